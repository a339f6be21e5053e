package view

import "lanarena/net/wire"

// Mode is the synchronisation model of a room; screens compare it with
// ModeServer rather than with a string.
type Mode = wire.Mode

// Modes of a room.
const (
	ModeP2P    = wire.ModeP2P
	ModeServer = wire.ModeServer
)
