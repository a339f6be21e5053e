package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// --procs: every peer is a lanarena process of its own (this tree's,
// built once), a headless bot on loopback with mDNS off, meeting through
// --join. The processes write --trace and --stats files; the figures come
// from those and from /proc, never from inside one process.

// procCase is one run of --procs.
type procCase struct {
	Name  string
	Procs int
	// Delay and Loss are what a pair of processes sees each way: every
	// process impairs both its sending and its receiving, so each gets
	// half the delay and the loss whose square leaves 1-Loss.
	Delay time.Duration
	Loss  float64 // fraction, 0..1
	Trace bool    // write and read --trace (view error, latency, traffic)
	CPU   bool    // report each process's CPU over the window
	// Args are more flags for every process, such as an impairment given
	// per process rather than per pair.
	Args []string
}

// args is the impairment flags of one process for c.
func (c procCase) impairArgs() []string {
	var a []string
	if c.Delay > 0 {
		a = append(a, "--delay", (c.Delay / 2).String())
	}
	if c.Loss > 0 {
		each := 1 - sqrt(1-c.Loss) // lost going out or coming in: 1-(1-each)² = Loss
		a = append(a, "--loss", strconv.FormatFloat(each*100, 'f', 3, 64))
	}
	return a
}

// sqrt by Newton's method, to keep math out for one call.
func sqrt(x float64) float64 {
	if x <= 0 {
		return 0
	}
	z := x
	for range 40 {
		z = (z + x/z) / 2
	}
	return z
}

// procSuites are the runs --procs-suite names.
var procSuites = map[string][]procCase{
	"view": {
		{Name: "4 bots, clean", Procs: 4, Trace: true},
		{Name: "4 bots, 50 ms", Procs: 4, Delay: 50 * time.Millisecond, Trace: true},
		{Name: "4 bots, 100 ms", Procs: 4, Delay: 100 * time.Millisecond, Trace: true},
		{Name: "4 bots, 200 ms", Procs: 4, Delay: 200 * time.Millisecond, Trace: true},
		{Name: "4 bots, 5% loss", Procs: 4, Loss: 0.05, Trace: true},
	},
	"room32": {{Name: "32 bots, clean", Procs: 32, Trace: true}},
	"cpu": {
		{Name: "8 bots, clean, cpu", Procs: 8, CPU: true},
		{Name: "8 bots, --loss 5 --delay 50ms, cpu", Procs: 8, CPU: true, Args: []string{"--loss", "5", "--delay", "50ms"}},
	},
}

var procSuiteOrder = []string{"view", "room32", "cpu"}

// procResult is what one run measured.
type procResult struct {
	Case         string    `json:"case"`
	Procs        int       `json:"procs"`
	DelayMs      float64   `json:"delay_ms"` // one-way, per pair
	LossPct      float64   `json:"loss_pct"` // per pair, each way
	Secs         float64   `json:"secs"`
	TurnsPerSec  float64   `json:"turns_per_s"` // per cycle while riding
	ViewOff      cellSum   `json:"view_off"`    // at the instants frames are made
	ViewOn       cellSum   `json:"view_on"`
	ViewOffSeen  cellSum   `json:"view_off_seen"` // at instants every 5 ms: what the screens show then
	ViewOnSeen   cellSum   `json:"view_on_seen"`
	OtherLife    uint64    `json:"view_other_life"` // samples left out: a respawn not heard yet
	RepN         uint64    `json:"rep_n"`
	RepP50       float64   `json:"rep_p50_ms"`
	RepP99       float64   `json:"rep_p99_ms"`
	RepMean      float64   `json:"rep_mean_ms"`
	RepUnmatched uint64    `json:"rep_unmatched"`
	PairPkts     float64   `json:"pair_pkts_per_s"`
	PairBytes    float64   `json:"pair_bytes_per_s"` // 28 B IP+UDP header per packet included
	LANPkts      float64   `json:"lan_pkts_per_s"`
	CPU          []float64 `json:"cpu_pct,omitempty"` // percent of one core, each process
	Profile      string    `json:"profile,omitempty"`
}

// cellSum summarises a cellStats.
type cellSum struct {
	N    uint64  `json:"n"`
	P50  int     `json:"p50"`
	P99  int     `json:"p99"`
	Mean float64 `json:"mean"`
	Max  int     `json:"max"`
}

func summarise(c *cellStats) cellSum {
	return cellSum{N: c.n, P50: c.quantile(0.5), P99: c.quantile(0.99), Mean: c.mean(), Max: c.max()}
}

// runProcs runs the suites of --procs-suite and prints their figures.
func runProcs(ctx context.Context, o *options, stdout, stderr io.Writer) error {
	dir := o.procsDir
	if dir == "" {
		tmp, err := os.MkdirTemp("", "lanarena-bench-procs-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(tmp)
		dir = tmp
	}
	bin, err := lanarenaBinary(ctx, o.lanarenaBin, dir, stderr)
	if err != nil {
		return err
	}
	var results []procResult
	for _, name := range o.procSuites {
		for i, c := range procSuites[name] {
			fmt.Fprintf(stderr, "lanarena-bench: %s: %d processes for %v…\n", c.Name, c.Procs, o.duration)
			r, err := runProcCase(ctx, procRun{bin: bin, dir: filepath.Join(dir, fmt.Sprintf("%s-%d", name, i)),
				c: c, window: o.duration, meet: o.meetTimeout, seed: o.seed, perf: o.procsPerf, stderr: stderr})
			if err != nil {
				return fmt.Errorf("%s: %w", c.Name, err)
			}
			results = append(results, r)
			if o.json {
				if err := json.NewEncoder(stdout).Encode(r); err != nil {
					return err
				}
			}
		}
	}
	if !o.json {
		printProcs(stdout, results)
	}
	return nil
}

// viewEvery is the spacing of the instants at which the view error over
// time is sampled (computeViewErrorOverTime).
const viewEvery = 5 * time.Millisecond

// procRun is everything one run needs.
type procRun struct {
	bin, dir     string
	c            procCase
	window, meet time.Duration
	seed         uint64
	perf         bool
	stderr       io.Writer
}

// runProcCase starts the processes of one case, waits until they have all
// met, measures for the window, stops them and reads what they wrote.
// Every process started is stopped, whatever fails.
func runProcCase(ctx context.Context, r procRun) (procResult, error) {
	res := procResult{Case: r.c.Name, Procs: r.c.Procs, DelayMs: float64(r.c.Delay.Milliseconds()), LossPct: r.c.Loss * 100}
	if err := os.MkdirAll(r.dir, 0o755); err != nil {
		return res, err
	}
	procs, err := startProcPeers(r)
	defer stopProcPeers(procs)
	if err != nil {
		return res, err
	}
	meet := r.meet + time.Duration(r.c.Procs)*500*time.Millisecond
	if err := awaitAllMet(ctx, r.dir, r.c.Procs, meet); err != nil {
		return res, err
	}
	// A second for the ready phases to pass and the rates to settle.
	if err := sleep(ctx, time.Second); err != nil {
		return res, err
	}
	pids := make([]int, len(procs))
	for i, p := range procs {
		pids[i] = p.cmd.Process.Pid
	}
	from := time.Now()
	pct, secs, err := cpuOver(ctx, pids, r.window)
	if err != nil {
		return res, err
	}
	to := time.Now()
	res.Secs = secs
	if r.c.CPU {
		res.CPU = pct
		if r.perf {
			res.Profile = profile(ctx, pids[0], r.dir, r.stderr)
		}
	}
	stopProcPeers(procs)
	if r.c.Trace {
		return res, readTraces(&res, r.dir, r.c.Procs, span{from.UnixNano(), to.UnixNano()})
	}
	return res, nil
}

// startProcPeers starts the case's processes, each on a loopback port free a
// moment ago, each joining the first and the one before it: the room's
// gossip introduces the rest.
func startProcPeers(r procRun) ([]*benchProc, error) {
	n := r.c.Procs
	ports := make([]int, n)
	for i := range ports {
		p, err := freeUDPPort()
		if err != nil {
			return nil, err
		}
		ports[i] = p
	}
	room := fmt.Sprintf("procs-%d", os.Getpid())
	rng := rand.New(rand.NewPCG(r.seed, 15))
	var procs []*benchProc
	for i := range n {
		args := []string{"--bot", "--no-mdns", "--room", room, "--name", fmt.Sprintf("p%02d", i),
			"--port", strconv.Itoa(ports[i]), "--seed", strconv.FormatUint(r.seed*1000+uint64(i)+1, 10),
			"--stats", filepath.Join(r.dir, fmt.Sprintf("stats-%02d.jsonl", i)),
			"--log", filepath.Join(r.dir, fmt.Sprintf("log-%02d.txt", i))}
		for _, j := range []int{0, i - 1} {
			if j >= 0 && j != i {
				args = append(args, "--join", fmt.Sprintf("127.0.0.1:%d", ports[j]))
			}
		}
		if r.c.Trace {
			args = append(args, "--trace", filepath.Join(r.dir, fmt.Sprintf("trace-%02d.txt", i)))
		}
		args = append(append(args, r.c.impairArgs()...), r.c.Args...)
		p, err := startProc(r.bin, args)
		if err != nil {
			return procs, err
		}
		procs = append(procs, p)
		// Each process ticks on its own clock from its start: started
		// back to back, they would tick within a few milliseconds of each
		// other, which a LAN of laptops never does (and which hides the
		// half tick a remote head moves on average between two frames).
		// A pause of a random part of a tick spreads their phases.
		time.Sleep(time.Duration(rng.Int64N(int64(time.Second / 15))))
	}
	return procs, nil
}

// stopProcPeers stops every process (SIGTERM, then SIGKILL); stopping one
// already stopped does nothing.
func stopProcPeers(procs []*benchProc) {
	for _, p := range procs {
		p.stopOnce()
	}
}

// awaitAllMet waits until every process's latest --stats line lists all
// the others.
func awaitAllMet(ctx context.Context, dir string, n int, timeout time.Duration) error {
	deadline := time.Now().Add(timeout)
	for {
		met := 0
		for i := range n {
			ls := readStats(filepath.Join(dir, fmt.Sprintf("stats-%02d.jsonl", i)), time.Time{})
			if len(ls) > 0 && len(ls[len(ls)-1].Peers) == n-1 {
				met++
			}
		}
		if met == n {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("only %d of %d processes met all the others within %v", met, n, timeout)
		}
		if err := sleep(ctx, 200*time.Millisecond); err != nil {
			return err
		}
	}
}

// readTraces fills res from the processes' trace files over w.
func readTraces(res *procResult, dir string, n int, w span) error {
	var traces []*traceFile
	for i := range n {
		f, err := os.Open(filepath.Join(dir, fmt.Sprintf("trace-%02d.txt", i)))
		if err != nil {
			return err
		}
		tf, err := parseTrace(f)
		f.Close()
		if err != nil {
			return fmt.Errorf("trace of process %d: %w", i, err)
		}
		if tf.self == 0 {
			return fmt.Errorf("trace of process %d: no snapshot of its own cycle", i)
		}
		traces = append(traces, tf)
	}
	fillFromTraces(res, traces, w)
	return nil
}

// fillFromTraces computes the trace figures of res.
func fillFromTraces(res *procResult, traces []*traceFile, w span) {
	ve := computeViewError(traces, w)
	res.ViewOff, res.ViewOn, res.OtherLife = summarise(&ve.off), summarise(&ve.on), ve.otherLife
	seen := computeViewErrorOverTime(traces, w, viewEvery)
	res.ViewOffSeen, res.ViewOnSeen = summarise(&seen.off), summarise(&seen.on)
	rep := computeReplication(traces, w)
	res.RepN, res.RepUnmatched = rep.lat.n, rep.unmatched
	res.RepP50, res.RepP99, res.RepMean = rep.lat.quantile(0.5), rep.lat.quantile(0.99), rep.lat.meanMs()
	tr := computeTraffic(traces, w)
	res.PairPkts, res.PairBytes, res.LANPkts = tr.pairPkts, tr.pairBytesHdr, tr.lanPkts
	res.TurnsPerSec = turnsPerSec(traces, w)
}

// profile records where process pid spends its CPU for 10 s with perf,
// and returns the share of the samples under each of profileParts ("" without
// perf).
func profile(ctx context.Context, pid int, dir string, stderr io.Writer) string {
	if _, err := exec.LookPath("perf"); err != nil {
		fmt.Fprintln(stderr, "lanarena-bench: no perf: no profile")
		return ""
	}
	data := filepath.Join(dir, "perf.data")
	rec := exec.CommandContext(ctx, "perf", "record", "-F", "999", "-g", "-p", strconv.Itoa(pid), "-o", data, "--", "sleep", "10")
	if out, err := rec.CombinedOutput(); err != nil {
		fmt.Fprintf(stderr, "lanarena-bench: perf record: %v: %s\n", err, out)
		return ""
	}
	rep := exec.CommandContext(ctx, "perf", "report", "-i", data, "--stdio", "--children", "--sort", "sym", "-g", "none")
	out, err := rep.Output()
	if err != nil {
		fmt.Fprintf(stderr, "lanarena-bench: perf report: %v\n", err)
		return ""
	}
	return profileSummary(string(out))
}

// profileParts are the functions whose share (their callees included)
// says where a headless peer's CPU goes.
var profileParts = []struct{ sym, what string }{
	{"lanarena/net.(*Peer).drive", "the peer loop"},
	{"lanarena/net.(*core).tick", "  its ticks (step, send)"},
	{"lanarena/net/transport.(*UDP).WriteBatch", "    sending (sendmmsg)"},
	{"lanarena/net.(*core).handle", "  handling packets"},
	{"lanarena/net/transport.(*UDP).routineRead", "the UDP reader (recvmmsg)"},
	{"lanarena/net/stats.Start.func1", "the --stats writer"},
	{"runtime.schedule", "Go scheduler looking for work (idle wakeups)"},
	{"runtime.sysmon", "Go's sysmon thread"},
	{"runtime.gcBgMarkWorker", "garbage collection"},
	{"runtime.mallocgc", "allocation"},
}

// profileSummary picks profileParts out of a perf report --children.
func profileSummary(report string) string {
	children := map[string]string{}
	for _, l := range strings.Split(report, "\n") {
		f := strings.Fields(l)
		if len(f) >= 4 && strings.HasSuffix(f[0], "%") && (f[2] == "[.]" || f[2] == "[k]") {
			children[strings.Join(f[3:], " ")] = f[0]
		}
	}
	var b strings.Builder
	for _, p := range profileParts {
		pct := children[p.sym]
		if pct == "" {
			pct = "0%"
		}
		fmt.Fprintf(&b, "%7s  %-46s %s\n", pct, p.what, p.sym)
	}
	return strings.TrimRight(b.String(), "\n")
}

// printProcs prints the runs' figures as tables.
func printProcs(w io.Writer, rs []procResult) {
	fmt.Fprintln(w, "each peer its own lanarena process (--bot, --no-mdns, --join on 127.0.0.1); delay and loss per pair, each way")
	header := false
	for _, r := range rs {
		if r.CPU != nil {
			continue
		}
		if !header {
			fmt.Fprintf(w, "view error in cells, p50 p99 mean, prediction off and on: seen (every %v, the frame each screen shows then against the owner's head then), and at the instants frames are made\n", viewEvery)
			fmt.Fprintf(w, "%-28s %5s %6s | %-16s | %-16s | %-16s | %-16s | %7s | %-15s | %7s %8s %8s\n", "case", "procs", "turns/s", "seen off", "seen on", "at frame off", "at frame on", "skipped", "latency p50/p99", "pkt/pr/s", "B/pr/s", "LAN pkt/s")
			header = true
		}
		fmt.Fprintf(w, "%-28s %5d %7.2f | %s | %s | %s | %s | %7d | %6.2f %6.2f ms | %7.2f %8.0f %8.0f\n",
			r.Case, r.Procs, r.TurnsPerSec, fmtCells(r.ViewOffSeen), fmtCells(r.ViewOnSeen), fmtCells(r.ViewOff), fmtCells(r.ViewOn),
			r.OtherLife, r.RepP50, r.RepP99, r.PairPkts, r.PairBytes, r.LANPkts)
	}
	for _, r := range rs {
		if r.CPU == nil {
			continue
		}
		mean, hi := 0.0, 0.0
		for _, p := range r.CPU {
			mean += p / float64(len(r.CPU))
			hi = max(hi, p)
		}
		fmt.Fprintf(w, "\n%s: CPU of each process over %.0f s, %% of one core: mean %.2f, max %.2f (%s)\n", r.Case, r.Secs, mean, hi, formatPcts(r.CPU))
		if r.Profile != "" {
			fmt.Fprintf(w, "perf profile of process 0, 10 s: share of its CPU under each function, callees included:\n%s\n", r.Profile)
		}
	}
}

func fmtCells(c cellSum) string {
	return fmt.Sprintf("%3d %3d %6.2f   ", c.P50, c.P99, c.Mean)
}

func formatPcts(ps []float64) string {
	s := make([]string, len(ps))
	for i, p := range ps {
		s[i] = strconv.FormatFloat(p, 'f', 2, 64)
	}
	return strings.Join(s, " ")
}

// parseSuites reads --procs-suite.
func parseSuites(s string) ([]string, error) {
	var out []string
	for f := range strings.SplitSeq(s, ",") {
		f = strings.TrimSpace(f)
		if _, ok := procSuites[f]; !ok {
			return nil, errors.New("want a list of " + strings.Join(procSuiteOrder, ", "))
		}
		out = append(out, f)
	}
	return out, nil
}
