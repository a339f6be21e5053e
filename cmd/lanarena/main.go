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

	tea "charm.land/bubbletea/v2"

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
		os.Exit(1)
	}
}

func run(args []string, stdout, stderr io.Writer) error {
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
	f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return nil, nil, fmt.Errorf("log file: %w", err)
	}
	return log.New(f, "", log.LstdFlags|log.Lmicroseconds), func() { f.Close() }, nil
}

// runBot plays one AI cycle headless until SIGINT or SIGTERM, then leaves.
func runBot(ctx context.Context, o *options, logger *log.Logger) error {
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
	}
	if err := f.Add(o.bots); err != nil {
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

// runTUI plays in the terminal: the lobby first unless --room was given.
func runTUI(ctx context.Context, o *options, logger *log.Logger) error {
	s := session.New(ctx, session.Config{Node: o.nodeConfig("", logger), Strict: o.strict, Bots: o.bots})
	defer s.Close()
	cfg := ui.Config{
		Join:      joiner(s),
		Room:      o.room,
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
	}
	if o.room != "" {
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
	if o.room == "" {
		go lobby(pumpCtx, prog, s)
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

// joiner lets the UI join a room of session s; bubbletea runs it on a
// goroutine of its own.
func joiner(s *session.Session) ui.Joiner {
	return func(room, secret string) (ui.Controller, error) {
		f, err := s.Join(room, secret)
		if err != nil {
			return nil, err
		}
		return controller{peer: f.Own().Peer, fleet: f}, nil
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
	fleet *fleet.Fleet
}

func (c controller) Turn(d game.Dir) { c.peer.Turn(d) }
func (c controller) Say(text string) { c.peer.Say(text) }
func (c controller) AddBot()         { c.fleet.RequestAdd() }
func (c controller) RemoveBot()      { c.fleet.RequestRemove() }
