package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
	"time"

	tea "charm.land/bubbletea/v2"

	"lanarena/game"
	gamenet "lanarena/net"
	"lanarena/net/demo"
	"lanarena/ui"
)

// demoOptions are the flags of `lanarena demo`.
type demoOptions struct {
	name    string
	bots    int
	delay   time.Duration
	loss    float64
	mode    string
	seed    uint64
	logFile string
}

func parseDemoOptions(args []string, stderr io.Writer) (*demoOptions, error) {
	o := &demoOptions{}
	fs := flag.NewFlagSet("lanarena demo", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&o.name, "name", "you", "your name")
	fs.IntVar(&o.bots, "bots", 2, "AI players besides you and the far peer")
	fs.DurationVar(&o.delay, "delay", 200*time.Millisecond, "the far link's one-way delay at the start")
	fs.Float64Var(&o.loss, "loss", 20, "the far link's loss at the start, `PCT` percent each way")
	fs.StringVar(&o.mode, "mode", "p2p", "the model at the start: p2p or server (m switches)")
	fs.Uint64Var(&o.seed, "seed", 1, "seed of spawns, bots and the link")
	fs.StringVar(&o.logFile, "log", "", "write a debug log to `FILE`")
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "Usage: lanarena demo [flags]\n\nThe whole story on one machine: you, bots and a far peer behind a link you bend\n(+/- delay, >/< loss, 0 heal, m p2p/server), on loopback UDP, no LAN, no mDNS.\n\nFlags:\n")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("demo: unexpected argument %q", fs.Arg(0))
	}
	if o.bots < 0 || o.bots > 8 || o.loss < 0 || o.loss > 90 || o.delay < 0 || o.delay > demo.MaxDelay {
		return nil, errors.New("demo: --bots 0..8, --loss 0..90, --delay 0..2s")
	}
	return o, nil
}

// runDemo plays `lanarena demo` until q, SIGINT or SIGTERM.
func runDemo(args []string, stderr io.Writer) error {
	o, err := parseDemoOptions(args, stderr)
	if err != nil {
		return err
	}
	mode, err := gamenet.ParseMode(o.mode)
	if err != nil {
		return fmt.Errorf("demo: --mode %q: want p2p or server", o.mode)
	}
	logger, closeLog, err := openLog(o.logFile)
	if err != nil {
		return err
	}
	defer closeLog()
	room, err := demo.New(demo.Config{Name: o.name, Bots: o.bots, Params: game.DefaultParams(), Mode: mode,
		Link: demo.Link{Delay: o.delay, Loss: o.loss / 100}, Seed: o.seed, Logger: logger})
	if err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	cfg := ui.DemoConfig{Controller: demoController{room}, NoColor: os.Getenv("NO_COLOR") != "", Profile: ui.DetectProfile(os.Stdout, os.Environ())}
	prog := tea.NewProgram(ui.NewDemo(cfg), tea.WithContext(ctx), tea.WithFPS(30), tea.WithColorProfile(cfg.Profile))
	roomCtx, stopRoom := context.WithCancel(ctx)
	roomDone := make(chan error, 1)
	go func() {
		roomDone <- room.Run(roomCtx, func(f demo.Frame) {
			prog.Send(ui.DemoMsg{You: f.You, Far: f.Far, Delay: f.Link.Delay, Loss: f.Link.Loss, Mode: f.Mode})
		})
	}()
	_, err = prog.Run()
	stopRoom()
	if rerr := <-roomDone; rerr != nil && err == nil {
		err = rerr
	}
	if errors.Is(err, tea.ErrProgramKilled) && ctx.Err() != nil || errors.Is(err, tea.ErrInterrupted) {
		err = nil
	}
	return err
}

// demoController lets the demo screen drive the demo room.
type demoController struct{ r *demo.Room }

func (c demoController) Turn(d game.Dir) { c.r.Turn(d) }
func (c demoController) SwitchMode()     { c.r.SwitchMode() }
func (c demoController) WireLog(on bool) { c.r.WireLog(on) }
func (c demoController) SetLink(delay time.Duration, loss float64) {
	c.r.SetLink(demo.Link{Delay: delay, Loss: loss})
}
