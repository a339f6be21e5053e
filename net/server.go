package net

import (
	"time"

	"lanarena/game"
	"lanarena/net/wire"
)

// serverState runs the blocking client-server mode (see server mode issue).
type serverState struct {
	l *loop
}

func newServerState(l *loop) *serverState { return &serverState{l: l} }

func (s *serverState) hosting() bool                                 { return true }
func (s *serverState) turn(d game.Dir)                               {}
func (s *serverState) tick(now time.Time)                            {}
func (s *serverState) memberChanged()                                {}
func (s *serverState) waiting(now time.Time) (time.Duration, string) { return 0, "" }
func (s *serverState) notice() string                                { return "" }
func (s *serverState) receive(m *member, h wire.Header, msg wire.Message, now time.Time) {
}
