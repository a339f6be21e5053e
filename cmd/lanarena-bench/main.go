// Command lanarena-bench measures lanarena's peer-to-peer layer: it starts
// N headless bot peers in one process over real UDP on 127.0.0.1 (mDNS
// off; they meet through --join-style addresses and gossip), and reports
// replication latency, traffic, divergence, CPU and memory as N grows.
//
// With --models it compares the course's two synchronisation models from a
// player's seat; with --terminal it measures what the real TUI writes to a
// terminal, through tmux.
//
// Usage:
//
//	go run ./cmd/lanarena-bench [--peers 2,8,16,32,64] [--duration 10s] [--json]
//	go run ./cmd/lanarena-bench --loss 5 --delay 20ms --jitter 5ms --peers 8
//	go run ./cmd/lanarena-bench --models [--mode p2p|server|both] [--presses 30]
//	go run ./cmd/lanarena-bench --terminal
//	go run ./cmd/lanarena-bench --procs [--procs-suite view,room32,cpu] [--procs-perf] [--duration 10s]
//	go run ./cmd/lanarena-bench --flood [--flood-rate 100000] [--flood-sources 1000] [--duration 10s]
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime"
	"runtime/pprof"
	"runtime/trace"
	"strconv"
	"strings"
	"syscall"
	"time"

	"lanarena/game"
	"lanarena/net/transport"
)

func main() {
	if port := os.Getenv(bareReaderEnv); port != "" {
		os.Exit(bareReader(port)) // --flood's baseline
	}
	if err := run(os.Args[1:], os.Stdout, os.Stderr); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			os.Exit(0)
		}
		fmt.Fprintln(os.Stderr, "lanarena-bench:", err)
		os.Exit(1)
	}
}

type options struct {
	peers       []int
	duration    time.Duration
	meetTimeout time.Duration
	maxP99      time.Duration
	overfill    bool
	impair      transport.ImpairConfig
	seed        uint64
	json        bool

	models  bool
	mode    string
	presses int
	delays  []time.Duration

	lab bool

	procs      bool
	procSuites []string
	procsPerf  bool
	procsDir   string

	terminal    bool
	termWindow  time.Duration
	keepCapture bool
	termBin     string

	flood        bool
	floodRate    int
	floodSources int
	lanarenaBin  string

	cpuProfile, memProfile, trace string
}

func parseOptions(args []string, stderr io.Writer) (*options, error) {
	o := &options{}
	var raw rawFlags
	fs := newFlagSet(o, &raw, stderr)
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("unexpected argument %q (flags start with --)", fs.Arg(0))
	}
	if err := o.finish(raw); err != nil {
		return nil, err
	}
	return o, nil
}

// rawFlags holds the flags as typed, for those that options keeps only
// once converted and checked.
type rawFlags struct {
	peers, delays      string
	suites             string
	loss, dup, reorder float64
}

// newFlagSet defines every flag, writing into o, or into raw for those
// that finish converts.
func newFlagSet(o *options, raw *rawFlags, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet("lanarena-bench", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&raw.peers, "peers", "2,8,16,32,64", "comma-separated `LIST` of peer counts, run in turn with fresh peers")
	fs.DurationVar(&o.duration, "duration", 10*time.Second, "measurement window of each run, once every peer has met every other")
	fs.DurationVar(&o.meetTimeout, "meet-timeout", 10*time.Second, "stop the sweep when the peers of a run have not all met within this time")
	fs.DurationVar(&o.maxP99, "max-p99", 100*time.Millisecond, "stop the sweep after a run whose replication latency p99 exceeds this (plus twice the --delay and --jitter)")
	fs.BoolVar(&o.overfill, "overfill", false, fmt.Sprintf("make every peer a player even past the room's limit of %d (default: the rest spectate)", game.MaxPlayers))
	fs.Float64Var(&raw.loss, "loss", 0, "simulated packet loss on every peer, `PCT` percent, in and out")
	fs.DurationVar(&o.impair.Delay, "delay", 0, "simulated one-way delay on every peer, in and out (so a pair sees 2× per direction)")
	fs.DurationVar(&o.impair.Jitter, "jitter", 0, "simulated delay jitter (±)")
	fs.Float64Var(&raw.dup, "dup", 0, "simulated duplication, `PCT` percent")
	fs.Float64Var(&raw.reorder, "reorder", 0, "simulated reordering, `PCT` percent")
	fs.Uint64Var(&o.seed, "seed", 0, "seed of spawns, bots and impairment (default: random)")
	fs.BoolVar(&o.json, "json", false, "print one JSON object per run instead of tables")
	fs.BoolVar(&o.models, "models", false, "compare the p2p and server models from a player's seat at several delays")
	fs.StringVar(&o.mode, "mode", "both", "with --models: p2p, server or both")
	fs.IntVar(&o.presses, "presses", 30, "with --models: turns pressed per model and delay")
	fs.StringVar(&raw.delays, "delays", "0,50ms,100ms,200ms", "with --models: one-way delays applied on the player's peer")
	fs.BoolVar(&o.lab, "lab", false, "measure the figures of the README's lab for teachers (chat under loss, wire-view marks)")
	fs.BoolVar(&o.procs, "procs", false, "run each peer as a lanarena process of its own (built once) on loopback; report view error, traffic, latency and CPU from their --trace and --stats files and /proc")
	fs.StringVar(&raw.suites, "procs-suite", strings.Join(procSuiteOrder, ","), "with --procs: the runs, a `LIST` of view (4 processes at 0, 50, 100, 200 ms and 5% loss), room32 (32 processes), cpu (8 processes, clean and impaired)")
	fs.StringVar(&o.procsDir, "procs-dir", "", "with --procs: keep each run's traces, stats and logs under `DIR` (default: a temporary directory, removed)")
	fs.BoolVar(&o.procsPerf, "procs-perf", false, "with --procs: profile one process of each cpu run with perf for 10 s")
	fs.BoolVar(&o.terminal, "terminal", false, "measure the real TUI's terminal output through tmux")
	fs.DurationVar(&o.termWindow, "terminal-window", 10*time.Second, "with --terminal: measurement window per screen size")
	fs.BoolVar(&o.keepCapture, "keep-capture", false, "with --terminal: keep the captured terminal output files")
	fs.StringVar(&o.termBin, "terminal-bin", "", "with --terminal: measure this lanarena `BINARY` (another version, say) instead of building ./cmd/lanarena")
	fs.BoolVar(&o.flood, "flood", false, "flood a running lanarena peer with junk over loopback; report its CPU, tick rate and a legitimate peer's view of it")
	fs.IntVar(&o.floodRate, "flood-rate", 100000, "with --flood: junk datagrams a second")
	fs.IntVar(&o.floodSources, "flood-sources", 1000, "with --flood: source addresses of the many-source case")
	fs.StringVar(&o.lanarenaBin, "lanarena-bin", "", "with --flood and --procs: the lanarena binary to run (default: build this tree's)")
	fs.StringVar(&o.cpuProfile, "cpuprofile", "", "write a CPU profile of the whole run to `FILE`")
	fs.StringVar(&o.memProfile, "memprofile", "", "write a heap profile at the end to `FILE`")
	fs.StringVar(&o.trace, "trace", "", "write a runtime execution trace of the whole run to `FILE` (go tool trace; large: keep --duration short)")
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "lanarena-bench: measure lanarena's peer-to-peer layer over real UDP on loopback.\n\nUsage: lanarena-bench [flags]\n\nFlags:\n")
		fs.PrintDefaults()
	}
	return fs
}

// finish converts the raw flags into o and rejects what cannot run.
func (o *options) finish(raw rawFlags) error {
	var err error
	if o.peers, err = parseInts(raw.peers); err != nil {
		return fmt.Errorf("--peers: %w", err)
	}
	if o.delays, err = parseDurations(raw.delays); err != nil {
		return fmt.Errorf("--delays: %w", err)
	}
	if o.procSuites, err = parseSuites(raw.suites); err != nil {
		return fmt.Errorf("--procs-suite: %w", err)
	}
	o.impair.Loss, o.impair.Dup, o.impair.Reorder = raw.loss/100, raw.dup/100, raw.reorder/100
	o.impair.Seed = o.seed
	switch o.mode {
	case "p2p", "server", "both":
	default:
		return fmt.Errorf("--mode: want p2p, server or both, got %q", o.mode)
	}
	if o.floodRate <= 0 || o.floodSources < 1 || o.floodSources > 250*256 {
		return errors.New("--flood-rate must be positive and --flood-sources 1 to 64000")
	}
	if o.duration <= 0 || o.meetTimeout <= 0 || o.presses <= 0 || o.termWindow <= 0 {
		return errors.New("--duration, --meet-timeout, --presses and --terminal-window must be positive")
	}
	return nil
}

func parseInts(s string) ([]int, error) {
	var out []int
	for f := range strings.SplitSeq(s, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n < 2 || n > 1000 {
			return nil, fmt.Errorf("want peer counts from 2 to 1000, got %q", f)
		}
		out = append(out, n)
	}
	return out, nil
}

func parseDurations(s string) ([]time.Duration, error) {
	var out []time.Duration
	for f := range strings.SplitSeq(s, ",") {
		f = strings.TrimSpace(f)
		if f == "0" {
			out = append(out, 0)
			continue
		}
		d, err := time.ParseDuration(f)
		if err != nil || d < 0 {
			return nil, fmt.Errorf("want durations such as 50ms, got %q", f)
		}
		out = append(out, d)
	}
	return out, nil
}

func run(args []string, stdout, stderr io.Writer) error {
	o, err := parseOptions(args, stderr)
	if err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if o.cpuProfile != "" {
		f, err := os.Create(o.cpuProfile)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}
	if o.trace != "" {
		f, err := os.Create(o.trace)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := trace.Start(f); err != nil {
			return err
		}
		defer trace.Stop()
	}
	if o.memProfile != "" {
		defer writeHeapProfile(o.memProfile, stderr)
	}
	switch {
	case o.models:
		return runModels(ctx, o, stdout, stderr)
	case o.terminal:
		return runTerminal(ctx, o, stdout, stderr)
	case o.flood:
		return runFlood(ctx, o, stdout, stderr)
	case o.lab:
		return runLab(ctx, o, stdout, stderr)
	case o.procs:
		return runProcs(ctx, o, stdout, stderr)
	}
	return runSweep(ctx, o, stdout, stderr)
}

func writeHeapProfile(path string, stderr io.Writer) {
	f, err := os.Create(path)
	if err != nil {
		fmt.Fprintln(stderr, "memprofile:", err)
		return
	}
	defer f.Close()
	runtime.GC()
	if err := pprof.WriteHeapProfile(f); err != nil {
		fmt.Fprintln(stderr, "memprofile:", err)
	}
}
