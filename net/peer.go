package net

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"math/rand/v2"
	"net/netip"
	"sync"
	"sync/atomic"
	"time"

	"lanarena/game"
	"lanarena/net/discovery"
	"lanarena/net/transport"
	"lanarena/net/wire"
)

// Mode is the synchronisation model of a room (wire.Mode: one type from
// the flag to the packet).
type Mode = wire.Mode

// Modes of a room.
const (
	ModeP2P    = wire.ModeP2P
	ModeServer = wire.ModeServer
)

// ParseMode reads a mode's name, "p2p" or "server" ("" is ModeP2P).
func ParseMode(s string) (Mode, error) { return wire.ParseMode(s) }

// Membership timings.
const (
	LagAfter      = 3 * time.Second  // a silent peer is shown as lagging
	TimeoutAfter  = 10 * time.Second // and removed with its cycle
	helloEvery    = time.Second      // to candidates until they answer
	heartbeatEvry = 2 * time.Second  // hello to members: gossip and ledger
	pingEvery     = time.Second
	maxCandidates = 64
	maxHelloTries = 30
)

// Config describes one peer.
type Config struct {
	Name      string
	Color     int // preferred palette index; -1 picks one from the id
	Room      string
	Params    game.Params
	Mode      Mode   // ModeP2P (the zero value) or ModeServer
	Host      bool   // server mode: this peer wants to host
	Bot       bool   // an AI steers this peer's cycle
	Spectator bool   // no cycle of its own
	Secret    string // private room: every packet authenticated
	Seed      uint64 // randomness of spawns and bots; 0 picks one
	ID        game.PlayerID
	Logger    *log.Logger // nil: discard
	// Impairment describes the impairment applied to the transport, for
	// the status line ("" when off).
	Impairment string
	// LagAfter and TimeoutAfter override the membership timings (tests);
	// zero keeps the defaults.
	LagAfter, TimeoutAfter time.Duration
	// Addr is the address shown as this peer's (the socket listens on every
	// interface); zero shows the socket's own address.
	Addr netip.AddrPort
	// Notice is a standing notice, shown whenever no other is (such as
	// "discovery off: no network").
	Notice game.Text
	// OnHost, when set, is told when this peer starts or stops hosting a
	// server-mode room (to update its mDNS record). It runs on the loop
	// goroutine and must return at once.
	OnHost func(hosting bool)
	// Probe, when set, is told of every own step and every remote state
	// applied: the bench harness measures replication with it.
	Probe Probe
	// Publish makes the loop put a fresh snapshot in the Snapshots mailbox
	// every tick (a UI wants it; a headless bot does not).
	Publish bool
}

// Probe observes a peer loop. Its methods run on the loop goroutine and
// must return at once.
type Probe interface {
	// Stepped: this peer's cycle id is at head after its tick.
	Stepped(id game.PlayerID, tick uint32, head game.Point, alive bool, at time.Time)
	// Applied: this peer (self) applied owner's state of the owner's tick.
	Applied(self, owner game.PlayerID, tick uint32, head game.Point, alive bool, at time.Time)
}

// Peer is one player of a room: it owns a game replica and a membership
// table, steps its own cycle, and exchanges state with the other peers over
// a Transport, asynchronously: it never waits for a reply.
//
// Methods other than Run are safe to call from any goroutine and never
// block: they post to the loop, dropping input if the loop is behind.
type Peer struct {
	cfg  Config
	name game.Text // cfg.Name, cleaned
	id   game.PlayerID
	tr   transport.Transport
	log  *log.Logger
	key  *[32]byte
	room uint32

	turns      chan game.Dir
	says       chan string
	candidates chan candidateMsg
	snaps      chan Snapshot
	snapReq    chan chan Snapshot
	done       chan struct{}
	err        error // what Run returned; read after done is closed
	stopOnce   sync.Once
	stop       chan struct{}
	wireWanted atomic.Bool // a wire view wants the traffic recorded
}

// New makes a peer on tr. Run starts it.
func New(cfg Config, tr transport.Transport) (*Peer, error) {
	if err := cfg.Params.Validate(); err != nil {
		return nil, err
	}
	if cfg.Room == "" {
		return nil, errors.New("no room")
	}
	// One form for names that look the same: the room tag, the key and
	// every comparison of names use it (see discovery.Canonical).
	cfg.Room, cfg.Name = discovery.Canonical(cfg.Room), discovery.Canonical(cfg.Name)
	if !cfg.Mode.Valid() {
		return nil, fmt.Errorf("unknown mode %v", cfg.Mode)
	}
	if cfg.LagAfter <= 0 {
		cfg.LagAfter = LagAfter
	}
	if cfg.TimeoutAfter <= 0 {
		cfg.TimeoutAfter = TimeoutAfter
	}
	if cfg.Seed == 0 {
		cfg.Seed = rand.Uint64()
	}
	if game.CleanText(cfg.Room, game.MaxRoomRunes) != cfg.Room || len(cfg.Room) > wire.MaxRoomBytes {
		return nil, fmt.Errorf("room %q: use at most %d printable characters", cfg.Room, game.MaxRoomRunes)
	}
	cfg.Name = game.CleanText(cfg.Name, game.MaxNameRunes)
	if cfg.Name == "" {
		cfg.Name = "player"
	}
	logger := cfg.Logger
	if logger == nil {
		logger = log.New(io.Discard, "", 0)
	}
	id := cfg.ID
	for id == 0 {
		id = game.PlayerID(rand.Uint32())
	}
	p := &Peer{
		cfg:        cfg,
		name:       game.Text(cfg.Name), // cleaned above
		id:         id,
		tr:         tr,
		log:        logger,
		room:       wire.RoomTag(cfg.Room),
		turns:      make(chan game.Dir, 8),
		says:       make(chan string, 8),
		candidates: make(chan candidateMsg, 64),
		snaps:      make(chan Snapshot, 1),
		snapReq:    make(chan chan Snapshot),
		done:       make(chan struct{}),
		stop:       make(chan struct{}),
	}
	if cfg.Secret != "" {
		k := wire.Key(cfg.Room, cfg.Secret)
		p.key = &k
	}
	return p, nil
}

// ID is this peer's player id.
func (p *Peer) ID() game.PlayerID { return p.id }

// Addr is the address others reach this peer at: Config.Addr when set,
// else the local address of the transport.
func (p *Peer) Addr() netip.AddrPort {
	if p.cfg.Addr.IsValid() {
		return p.cfg.Addr
	}
	return p.tr.LocalAddr()
}

// Config returns the configuration the peer runs with.
func (p *Peer) Config() Config { return p.cfg }

// Turn asks the loop to turn this peer's cycle on its next tick.
func (p *Peer) Turn(d game.Dir) {
	select {
	case p.turns <- d:
	default:
	}
}

// Say sends a chat line to every peer of the room.
func (p *Peer) Say(text string) {
	select {
	case p.says <- text:
	default:
	}
}

// AddCandidate tells the peer of an address where another peer may be,
// found by mDNS: id is the player it announced (0 if unknown). It never
// blocks.
func (p *Peer) AddCandidate(addr netip.AddrPort, id game.PlayerID) {
	p.postCandidate(candidateMsg{addr: addr, id: id})
}

// Join tells the peer of an address given by the player (--join): it says
// hello there until it is answered, and again whenever that peer is lost.
func (p *Peer) Join(addr netip.AddrPort) {
	p.postCandidate(candidateMsg{addr: addr, permanent: true})
}

type candidateMsg struct {
	addr      netip.AddrPort
	id        game.PlayerID
	permanent bool
}

func (p *Peer) postCandidate(c candidateMsg) {
	select {
	case p.candidates <- c:
	default:
	}
}

// Snapshots delivers the latest snapshot: a one-slot mailbox the loop
// refills every tick, replacing what was not taken.
func (p *Peer) Snapshots() <-chan Snapshot { return p.snaps }

// Snapshot asks the loop for a snapshot now. It fails when ctx ends or the
// peer has stopped first.
func (p *Peer) Snapshot(ctx context.Context) (Snapshot, error) {
	reply := make(chan Snapshot, 1)
	select {
	case p.snapReq <- reply:
		return <-reply, nil
	case <-p.done:
		return Snapshot{}, errors.New("peer stopped")
	case <-ctx.Done():
		return Snapshot{}, ctx.Err()
	}
}

// Done is closed when Run has returned.
func (p *Peer) Done() <-chan struct{} { return p.done }

// Stop asks Run to send its leave and return. It is idempotent and does not
// wait; use Done for that.
func (p *Peer) Stop() { p.stopOnce.Do(func() { close(p.stop) }) }

// Run is the peer loop: the one goroutine that owns the replica and the
// membership table. It returns when ctx is done, Stop is called or the
// transport closes, after telling the other peers it leaves.
func (p *Peer) Run(ctx context.Context) (err error) {
	defer func() {
		p.err = err
		close(p.done)
	}()
	l, err := newCore(p, time.Now())
	if err != nil {
		return err
	}
	return p.drive(ctx, l)
}

// Err is what Run returned, once Done is closed; nil before.
func (p *Peer) Err() error {
	select {
	case <-p.done:
		return p.err
	default:
		return nil
	}
}
