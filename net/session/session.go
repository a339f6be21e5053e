// Package session is the game one player's process plays: joined at once
// (--room) or from the lobby, where joining a room the lobby saw adopts
// that room's rules. The fleet a join starts (the player's peer and its
// bots) lives until Leave, which lets the session join again, or Close.
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
	started chan *gamenet.Node // to the pump, at every join
	left    chan struct{}      // a token at every Leave, for the lobby's feeder

	// Seams for tests; gamenet.BrowseRooms and fleet.Start otherwise.
	browse     func(context.Context, gamenet.RoomsConfig, func([]gamenet.RoomInfo))
	startFleet func(context.Context, gamenet.NodeConfig) (*fleet.Fleet, error)

	mu     sync.Mutex // guards fleet, joined and closed
	fleet  *fleet.Fleet
	joined chan struct{} // closed once a room is joined; a new one at Leave
	closed bool
}

// New returns a session that has joined no room yet.
func New(ctx context.Context, cfg Config) *Session {
	return &Session{
		ctx:        ctx,
		cfg:        cfg,
		started:    make(chan *gamenet.Node, 1),
		left:       make(chan struct{}, 1),
		joined:     make(chan struct{}),
		browse:     gamenet.BrowseRooms,
		startFleet: fleet.Start,
	}
}

// Started delivers the player's peer each time a room is joined.
func (s *Session) Started() <-chan *gamenet.Node { return s.started }

// Left delivers a token each time the player leaves a room with Leave:
// the lobby may run again.
func (s *Session) Left() <-chan struct{} { return s.left }

// joinedChan is closed once the current lobby's player joins a room.
func (s *Session) joinedChan() <-chan struct{} {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.joined
}

// SetName changes the name the next Join plays under (a name asked for
// on the first run, say).
func (s *Session) SetName(name string) {
	s.mu.Lock()
	s.cfg.Node.Peer.Name = name
	s.mu.Unlock()
}

// Leave stops the player's peer and bots, which tells the room they left,
// and lets the session join a room again. It returns once they have
// stopped. Without a room joined, or after Close, it does nothing.
func (s *Session) Leave() {
	s.mu.Lock()
	f := s.fleet
	if f == nil || s.closed {
		s.mu.Unlock()
		return
	}
	s.fleet = nil
	s.joined = make(chan struct{})
	s.mu.Unlock()
	f.Close()
	select {
	case s.left <- struct{}{}:
	default: // a token is waiting already
	}
}

// Join starts the player's peer in room, with secret when it is not
// empty, and the configured bots beside it. It returns at once with the
// running fleet; a failed join leaves the session as it was.
func (s *Session) Join(room, secret string) (*fleet.Fleet, error) {
	return s.join(room, secret, nil)
}

// Create is Join for a room created in the lobby's form, with its
// options: firstTo kills win a match (0: drop-in play without matches).
func (s *Session) Create(room, secret string, firstTo int) (*fleet.Fleet, error) {
	return s.join(room, secret, func(cfg *gamenet.NodeConfig) { setFirstTo(cfg, firstTo) })
}

// join starts the player's peer in room; options, if not nil, sets a new
// room's options on its configuration.
func (s *Session) join(room, secret string, options func(*gamenet.NodeConfig)) (*fleet.Fleet, error) {
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
	if options != nil {
		options(&cfg)
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
	select {
	case <-s.started: // the pump never took the last one: it is stopped
	default:
	}
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
