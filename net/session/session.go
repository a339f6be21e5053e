// Package session is the game one player's process plays: joined at once
// (--room) or from the lobby, where joining a room the lobby saw adopts
// that room's rules. A session joins once; the fleet it starts (the
// player's peer and its bots) lives until Close.
package session

import (
	"context"
	"errors"
	"sync"

	gamenet "lanarena/net"
	"lanarena/net/fleet"
)

// DefaultRoom is the room a player plays in without naming one.
const DefaultRoom = "arena"

// Config is the player's peer as the command line describes it.
type Config struct {
	Node   gamenet.NodeConfig // the player's peer; Join sets its room
	Strict bool               // the rules were given on the command line: never adopt a room's
	Bots   int                // bots to start beside the player
}

// ErrAlreadyPlaying is what a second Join, or one after Close, returns.
var ErrAlreadyPlaying = errors.New("already playing")

// Session is the game this process plays. Join is called by the UI's
// lobby on a goroutine of its own, Lobby runs on another, Close at exit:
// every method may be called from any goroutine.
type Session struct {
	// ctx bounds the peers Join starts. It is kept because the UI's
	// Joiner, which calls Join, carries no context.
	ctx     context.Context
	cfg     Config
	rooms   roomBook
	started chan *gamenet.Node // to the pump, once
	joined  chan struct{}      // closed once a room is joined

	// Seams for tests; gamenet.BrowseRooms and fleet.Start otherwise.
	browse     func(context.Context, gamenet.RoomsConfig, func([]gamenet.RoomInfo))
	startFleet func(context.Context, gamenet.NodeConfig) (*fleet.Fleet, error)

	mu     sync.Mutex // guards fleet and closed
	fleet  *fleet.Fleet
	closed bool
}

// New returns a session that has joined no room yet.
func New(ctx context.Context, cfg Config) *Session {
	return &Session{
		ctx:        ctx,
		cfg:        cfg,
		started:    make(chan *gamenet.Node, 1),
		joined:     make(chan struct{}),
		browse:     gamenet.BrowseRooms,
		startFleet: fleet.Start,
	}
}

// Started delivers the player's peer once a room is joined.
func (s *Session) Started() <-chan *gamenet.Node { return s.started }

// Join starts the player's peer in room, with secret when it is not
// empty, and the configured bots beside it. It returns at once with the
// running fleet; a failed join leaves the session as it was.
func (s *Session) Join(room, secret string) (*fleet.Fleet, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.fleet != nil || s.closed {
		return nil, ErrAlreadyPlaying
	}
	cfg := s.cfg.Node // a copy: a failed join must not change the next one
	cfg.Peer.Room = room
	if secret != "" {
		cfg.Peer.Secret = secret
	}
	if r, ok := s.rooms.find(room); ok {
		cfg = adopt(cfg, r, s.cfg.Strict)
	}
	f, err := s.startFleet(s.ctx, cfg)
	if err != nil {
		return nil, err
	}
	if err := f.Add(s.cfg.Bots); err != nil {
		f.Close()
		return nil, err
	}
	s.fleet = f
	s.started <- f.Own()
	close(s.joined)
	return f, nil
}

// adopt gives cfg the rules (arena size, tick rate, mode) of room r, so
// that a player joining from the lobby plays with those already there.
// Rules given on the command line (strict) win, and rules that are not
// valid are not taken.
func adopt(cfg gamenet.NodeConfig, r gamenet.RoomInfo, strict bool) gamenet.NodeConfig {
	if strict || r.Params.Validate() != nil {
		return cfg
	}
	cfg.Peer.Params = r.Params
	cfg.Peer.Mode = r.Mode
	return cfg
}

// Close stops the bots and the player's peer, which tells the room. No
// room can be joined afterwards. Idempotent.
func (s *Session) Close() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.closed = true
	if s.fleet != nil {
		s.fleet.Close()
	}
}
