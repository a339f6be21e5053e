// Command lanarena is a light-cycle arena for the terminal, played
// peer-to-peer on a LAN: peers find each other with mDNS and exchange their
// cycles' states over UDP without ever waiting for one another.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"os"
	"os/signal"
	"sync"
	"syscall"

	tea "github.com/charmbracelet/bubbletea"

	"lanarena/cmd/internal/rotate"
	"lanarena/game"
	gamenet "lanarena/net"
	"lanarena/ui"
)

// version is set at build time with -ldflags "-X main.version=…".
var version = "0.1.0-dev"

func main() {
	if err := run(os.Args[1:], os.Stdout, os.Stderr); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			os.Exit(0)
		}
		fmt.Fprintln(os.Stderr, "lanarena:", err)
		os.Exit(1)
	}
}

func run(args []string, stdout, stderr io.Writer) error {
	o, err := parseOptions(args, stderr)
	if err != nil {
		return err
	}
	if o.version {
		fmt.Fprintln(stdout, "lanarena", version)
		return nil
	}
	logger, closeLog, err := openLog(o.logFile)
	if err != nil {
		return err
	}
	defer closeLog()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if o.bot {
		return runBot(ctx, o, logger)
	}
	return runTUI(ctx, o, logger)
}

func openLog(path string) (*log.Logger, func(), error) {
	if path == "" {
		return log.New(io.Discard, "", 0), func() {}, nil
	}
	f, err := rotate.Open(path, rotate.DefaultMax) // bounded: a flood must not fill the disk
	if err != nil {
		return nil, nil, fmt.Errorf("log file: %w", err)
	}
	return log.New(f, "", log.LstdFlags|log.Lmicroseconds), func() { f.Close() }, nil
}

// runBot plays one AI cycle headless until SIGINT or SIGTERM, then leaves.
func runBot(ctx context.Context, o *options, logger *log.Logger) error {
	room := o.room
	if room == "" {
		room = defaultRoom
	}
	f := newFleet(ctx, o, logger, room)
	defer f.close()
	n, err := f.start(o.name, o.color, true, false)
	if err != nil {
		return err
	}
	logger.Printf("bot %s playing in room %q at %s", o.name, room, n.Addr())
	if err := f.addBots(o.bots); err != nil {
		return err
	}
	stats := startStats(ctx, o.statsFile, n.Peer, logger)
	defer stats()
	select {
	case <-ctx.Done():
	case <-n.Peer.Done():
		return n.Err()
	}
	return nil
}

const defaultRoom = "arena"

// runTUI plays in the terminal: the lobby first unless --room was given.
func runTUI(ctx context.Context, o *options, logger *log.Logger) error {
	s := &session{o: o, ctx: ctx, logger: logger, started: make(chan *gamenet.Node, 1), joined: make(chan struct{})}
	defer s.close()
	cfg := ui.Config{
		Join:      s.join,
		Room:      o.room,
		Version:   version,
		NoColor:   os.Getenv("NO_COLOR") != "",
		Spectator: o.spectate,
	}
	if o.room != "" {
		c, err := s.join(o.room, o.secret)
		if err != nil {
			return err
		}
		cfg.Controller = c
	}
	// Frames change at the tick rate (15/s by default): 30 FPS shows every
	// one without waking the renderer 60 times a second.
	prog := tea.NewProgram(ui.New(cfg), tea.WithAltScreen(), tea.WithContext(ctx), tea.WithFPS(30))
	pumpCtx, stopPump := context.WithCancel(ctx)
	defer stopPump()
	go pump(pumpCtx, prog, s.started, o, logger)
	if o.room == "" {
		rooms := gamenet.RoomsConfig{Logger: logger, Params: o.params(), Mode: o.mode, Strict: o.strict}
		go lobby(pumpCtx, prog, rooms, !o.noMDNS, s.joined, &s.book)
	}
	_, err := prog.Run()
	stopPump()
	if errors.Is(err, tea.ErrProgramKilled) && ctx.Err() != nil {
		err = nil // SIGTERM or SIGINT: a clean exit
	}
	if errors.Is(err, tea.ErrInterrupted) {
		err = nil
	}
	return err
}

// session is the game this TUI plays: started at once with --room, or by
// the lobby's Joiner, which bubbletea runs on a goroutine of its own.
type session struct {
	o       *options
	ctx     context.Context
	logger  *log.Logger
	book    roomBook
	started chan *gamenet.Node // to the pump, once
	joined  chan struct{}      // closed once a room is joined

	mu     sync.Mutex // guards fleet and closed
	fleet  *fleet
	closed bool
}

func (s *session) join(room, secret string) (ui.Controller, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.fleet != nil || s.closed {
		return nil, errors.New("already playing")
	}
	o := new(options) // a copy: a failed join must not change the next one
	*o = *s.o
	if secret != "" {
		o.secret = secret
	}
	if r, ok := s.book.find(room); ok && !o.strict && r.Params.Validate() == nil {
		// Joining from the lobby adopts the room's rules.
		o.width, o.height, o.tickRate = r.Params.Width, r.Params.Height, r.Params.TickRate
		if r.Mode != "" {
			o.mode = r.Mode
		}
	}
	f := newFleet(s.ctx, o, s.logger, room)
	n, err := f.start(o.name, o.color, false, o.spectate)
	if err != nil {
		f.close()
		return nil, err
	}
	if err := f.addBots(o.bots); err != nil {
		f.close()
		return nil, err
	}
	s.fleet = f
	s.started <- n
	close(s.joined)
	return controller{peer: n.Peer, fleet: f}, nil
}

// close stops the bots and the player's peer, which tells the room.
func (s *session) close() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.closed = true
	if s.fleet != nil {
		s.fleet.close()
	}
}

// pump hands the latest snapshot of the player's peer to the program. It is
// the only goroutine that calls prog.Send for snapshots; the peer loop never
// waits for the UI. It exits when ctx is done.
func pump(ctx context.Context, prog *tea.Program, started <-chan *gamenet.Node, o *options, logger *log.Logger) {
	var n *gamenet.Node
	select {
	case n = <-started:
	case <-ctx.Done():
		return
	}
	stats := startStats(ctx, o.statsFile, n.Peer, logger)
	defer stats()
	for {
		select {
		case <-ctx.Done():
			return
		case <-n.Peer.Done():
			return
		case s := <-n.Peer.Snapshots():
			prog.Send(ui.SnapshotMsg{Snapshot: s})
		}
	}
}

// controller is what the UI drives: the player's peer and the fleet of
// bots. Every method returns at once.
type controller struct {
	peer  *gamenet.Peer
	fleet *fleet
}

func (c controller) Turn(d game.Dir) { c.peer.Turn(d) }
func (c controller) Say(text string) { c.peer.Say(text) }
func (c controller) AddBot()         { c.fleet.requestBot(+1) }
func (c controller) RemoveBot()      { c.fleet.requestBot(-1) }
