// Package demo runs the whole story on one machine, with no LAN: a room
// of peers on loopback UDP (no mDNS): the player's, some bots, and a
// "far" peer, a real peer whose every packet, in and out, passes an
// impairing link the player bends live. The room can be restarted in the
// other synchronisation model, so the same link shows both. A screen
// shows the room as the player's peer and as the far peer know it.
package demo

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"net/netip"
	"sync"
	"time"

	"lanarena/game"
	gamenet "lanarena/net"
	"lanarena/net/transport"
	"lanarena/net/view"
)

// Steps of the live link settings, and their bounds.
const (
	DelayStep = 50 * time.Millisecond
	MaxDelay  = 2 * time.Second
	LossStep  = 0.05
	MaxLoss   = 0.9
)

// Config describes a demo room.
type Config struct {
	Name   string // the player's name
	Bots   int
	Params game.Params
	Mode   gamenet.Mode // the model the room starts in
	Link   Link         // the far peer's link at the start
	Seed   uint64       // spawns, bots and the link's random draws
	Logger *log.Logger  // nil: discard
}

// Link is the far peer's link: every packet it sends or receives is
// delayed by Delay and lost with probability Loss (each way).
type Link struct {
	Delay time.Duration
	Loss  float64
}

func (l Link) impair(seed uint64) transport.ImpairConfig {
	return transport.ImpairConfig{Delay: l.Delay, Loss: l.Loss, Seed: seed}
}

// clamped keeps l within the demo's bounds.
func (l Link) clamped() Link {
	l.Delay = min(max(l.Delay, 0), MaxDelay)
	l.Loss = min(max(l.Loss, 0), MaxLoss)
	return l
}

// Frame is what the demo screen shows: the room as the player's peer and
// as the far peer know it, the link between them and the model.
type Frame struct {
	You, Far view.Snapshot
	Link     Link
	Mode     gamenet.Mode
}

// Room is a running demo. Its methods are safe for concurrent use and
// never block, except Run.
type Room struct {
	cfg    Config
	logger *log.Logger

	mu   sync.Mutex // guards the fields below
	link Link
	mode gamenet.Mode
	cur  *set // the peers now running; nil between two
	wire bool // the player's wire log is wanted

	switchMode chan struct{}
}

// New makes a demo room; Run starts it.
func New(cfg Config) (*Room, error) {
	if err := cfg.Params.Validate(); err != nil {
		return nil, err
	}
	if !cfg.Mode.Valid() {
		return nil, fmt.Errorf("unknown mode %v", cfg.Mode)
	}
	if cfg.Name == "" {
		cfg.Name = "you"
	}
	logger := cfg.Logger
	if logger == nil {
		logger = log.New(io.Discard, "", 0)
	}
	return &Room{cfg: cfg, logger: logger, link: cfg.Link.clamped(), mode: cfg.Mode, switchMode: make(chan struct{}, 1)}, nil
}

// Run starts the room's peers and hands show a frame every time the
// player's peer publishes a snapshot (each tick), until ctx ends. A mode
// switch restarts every peer in the other model. show runs on Run's
// goroutine and must not block for long.
func (r *Room) Run(ctx context.Context, show func(Frame)) error {
	for {
		r.mu.Lock()
		mode := r.mode
		r.mu.Unlock()
		s, err := r.start(mode)
		if err != nil {
			return err
		}
		r.mu.Lock()
		r.cur = s
		s.you.WireLog(r.wire)
		r.mu.Unlock()
		err = r.play(ctx, s, show)
		r.mu.Lock()
		r.cur = nil
		r.mu.Unlock()
		s.close()
		if err != nil || ctx.Err() != nil {
			return err
		}
	}
}

// play forwards frames until ctx ends (nil), a mode switch is asked
// (nil, with r.mode changed) or a peer stops (its error).
func (r *Room) play(ctx context.Context, s *set, show func(Frame)) error {
	var far view.Snapshot
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-r.switchMode:
			r.mu.Lock()
			r.mode = other(r.mode)
			r.mu.Unlock()
			return nil
		case <-s.you.Done():
			return errors.Join(errors.New("your peer stopped"), s.you.Err())
		case <-s.far.Done():
			return errors.Join(errors.New("the far peer stopped"), s.far.Err())
		case far = <-s.far.Snapshots():
		case you := <-s.you.Snapshots():
			r.mu.Lock()
			f := Frame{You: you, Far: far, Link: r.link, Mode: r.mode}
			r.mu.Unlock()
			show(f)
		}
	}
}

func other(m gamenet.Mode) gamenet.Mode {
	if m == gamenet.ModeServer {
		return gamenet.ModeP2P
	}
	return gamenet.ModeServer
}

// SwitchMode asks Run to restart the room in the other model.
func (r *Room) SwitchMode() {
	select {
	case r.switchMode <- struct{}{}:
	default:
	}
}

// SetLink changes the far peer's link at once (clamped to the demo's
// bounds); Heal is SetLink of the zero Link.
func (r *Room) SetLink(l Link) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.link = l.clamped()
	if r.cur != nil {
		r.cur.link.SetConfig(r.link.impair(r.cfg.Seed))
	}
}

// Link is the far peer's link now.
func (r *Room) Link() Link {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.link
}

// Turn steers the player's cycle.
func (r *Room) Turn(d game.Dir) {
	if p := r.you(); p != nil {
		p.Turn(d)
	}
}

// WireLog turns the player's peer's wire log on or off, for this room
// and the rooms a mode switch restarts.
func (r *Room) WireLog(on bool) {
	r.mu.Lock()
	r.wire = on
	r.mu.Unlock()
	if p := r.you(); p != nil {
		p.WireLog(on)
	}
}

func (r *Room) you() *gamenet.Peer {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.cur == nil {
		return nil
	}
	return r.cur.you
}

var loopback = netip.AddrFrom4([4]byte{127, 0, 0, 1})
