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
	"syscall"
	"time"

	tea "charm.land/bubbletea/v2"

	"lanarena/cmd/internal/rotate"
	"lanarena/game"
	gamenet "lanarena/net"
	"lanarena/net/fleet"
	"lanarena/net/session"
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
		if errors.As(err, new(usageError)) {
			os.Exit(2) // a mistake on the command line, as flag.ExitOnError says
		}
		os.Exit(1)
	}
}

func run(args []string, stdout, stderr io.Writer) error {
	if len(args) > 0 { // subcommands: tools for the class (see README, For teachers)
		switch args[0] {
		case "demo":
			return runDemo(args[1:], stderr)
		case "spoof":
			return runSpoof(args[1:], stdout, stderr)
		}
	}
	o, err := parseOptions(args, stderr)
	if err != nil {
		return err
	}
	if o.version {
		fmt.Fprintln(stdout, versionLine())
		return nil
	}
	logger, closeLog, err := openLog(o.logFile)
	if err != nil {
		return err
	}
	defer closeLog()
	if o.traceFile != "" {
		if o.tracer, err = openTrace(o.traceFile); err != nil {
			return err
		}
		defer o.tracer.close()
	}
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
// It neither reads nor writes the player's remembered name.
func runBot(ctx context.Context, o *options, logger *log.Logger) error {
	if o.name == "" {
		o.name = defaultName()
	}
	room := o.room
	if room == "" {
		room = session.DefaultRoom
	}
	f, err := fleet.Start(ctx, o.nodeConfig(room, logger))
	if err != nil {
		return err
	}
	defer f.Close()
	n := f.Own()
	logger.Printf("bot %s playing in room %q at %s", o.name, room, n.Addr())
	if o.sshAddr != "" {
		gw, err := listenSSH(ctx, o, logger)
		if err != nil {
			return err
		}
		defer gw.Close() // the SSH players leave before the bot
		gw.play(n)
	} else {
		oneThread()
	}
	if err := f.Add(o.bots); err != nil {
		return err
	}
	stats := startStats(ctx, o.statsFile, n.Peer, logger)
	defer stats()
	var snaps <-chan gamenet.Snapshot // published only for --trace
	if o.tracer != nil {
		o.tracer.follow(n)
		snaps = n.Peer.Snapshots()
	}
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-n.Peer.Done():
			return n.Err()
		case s := <-snaps:
			o.tracer.snapshot(s)
		}
	}
}

// runTUI plays in the terminal: the lobby first unless --room was given.
func runTUI(ctx context.Context, o *options, logger *log.Logger) error {
	askName, setName := o.choose(logger)
	s := session.New(ctx, session.Config{Node: o.nodeConfig("", logger), Strict: o.strict, Bots: o.bots})
	defer s.Close()
	cfg := ui.Config{
		Join:      joiner(s),
		Create:    creator(s),
		Leave:     s.Leave,
		AskName:   askName,
		SetName:   func(name string) { s.SetName(name); setName(name) },
		Room:      o.room,
		Secret:    o.secret,
		Version:   version,
		NoColor:   os.Getenv("NO_COLOR") != "",
		Profile:   ui.DetectProfile(os.Stdout, os.Environ()),
		Spectator: o.spectate,
	}
	started := s.Started()
	if o.sshAddr != "" {
		gw, err := listenSSH(ctx, o, logger)
		if err != nil {
			return err
		}
		defer gw.Close() // the SSH players leave before the player's peer
		cfg.SSH = gw.share
		started = gw.follow(started)
	} else {
		oneThread()
	}
	if o.room != "" {
		// Without rules on the command line, play by those of a room of
		// that name already on the LAN rather than alone with others.
		if s.Look(ctx, o.room, lookForRoom) {
			logger.Printf("room %q found on the LAN: playing by its rules", o.room)
		}
	}
	if o.room != "" && !askName {
		c, err := cfg.Join(o.room, o.secret)
		if err != nil {
			return err
		}
		cfg.Controller = c
	}
	// Frames change at the tick rate (15/s by default): 30 FPS shows every
	// one without waking the renderer 60 times a second. The renderer
	// encodes colours in the profile the UI draws in.
	prog := tea.NewProgram(ui.New(cfg), tea.WithContext(ctx), tea.WithFPS(30), tea.WithColorProfile(cfg.Profile))
	pumpCtx, stopPump := context.WithCancel(ctx)
	defer stopPump()
	go pump(pumpCtx, prog, started, o, logger)
	go lobby(pumpCtx, prog, s, o.room != "" && !askName)
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

// lookForRoom is how long --room looks for its room on the LAN before
// playing.
const lookForRoom = time.Second

// joiner lets the UI join a room of session s; bubbletea runs it on a
// goroutine of its own.
func joiner(s *session.Session) ui.Joiner {
	return func(room, secret string) (ui.Controller, error) {
		return control(s.Join(room, secret))
	}
}

// creator lets the UI create a room of session s with its options.
func creator(s *session.Session) func(ui.RoomRequest) (ui.Controller, error) {
	return func(r ui.RoomRequest) (ui.Controller, error) {
		return control(s.Create(r.Room, r.Secret, r.FirstTo))
	}
}

func control(f *fleet.Fleet, err error) (ui.Controller, error) {
	if err != nil {
		return nil, err
	}
	return controller{peer: f.Own().Peer, fleet: f}, nil
}

// pump hands the latest snapshot of the player's peer to the program, for
// each room joined in turn. It is the only goroutine that calls prog.Send
// for snapshots; the peer loop never waits for the UI. It exits when ctx
// is done.
func pump(ctx context.Context, prog *tea.Program, started <-chan *gamenet.Node, o *options, logger *log.Logger) {
	for {
		select {
		case n := <-started:
			pumpRoom(ctx, prog, n, o, logger)
		case <-ctx.Done():
			return
		}
	}
}

// pumpRoom pumps the snapshots of n until it stops (the player left the
// room) or ctx is done.
func pumpRoom(ctx context.Context, prog *tea.Program, n *gamenet.Node, o *options, logger *log.Logger) {
	stats := startStats(ctx, o.statsFile, n.Peer, logger)
	defer stats()
	if o.tracer != nil {
		o.tracer.follow(n)
	}
	for {
		select {
		case <-ctx.Done():
			return
		case <-n.Peer.Done():
			return
		case s := <-n.Peer.Snapshots():
			if o.tracer != nil {
				o.tracer.snapshot(s) // a file: nothing reaches the terminal
			}
			prog.Send(ui.SnapshotMsg{Snapshot: s})
		}
	}
}

// controller is what the UI drives: the player's peer and the fleet of
// bots. Every method returns at once.
type controller struct {
	peer  *gamenet.Peer
	fleet *fleet.Fleet
}

func (c controller) Turn(d game.Dir) { c.peer.Turn(d) }
func (c controller) Say(text string) { c.peer.Say(text) }
func (c controller) AddBot()         { c.fleet.RequestAdd() }
func (c controller) RemoveBot()      { c.fleet.RequestRemove() }
