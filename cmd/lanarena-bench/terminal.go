package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"text/tabwriter"
	"time"
)

// termCase is one screen of --terminal.
type termCase struct {
	Width, Height, Players int
	TrueColor              bool // COLORTERM=truecolor; otherwise the 256 colours of TERM
}

// The first case is the one the targets speak of; the second shows that a
// true-colour terminal gets 256-colour output too.
var termCases = []termCase{
	{80, 24, 4, false},
	{80, 24, 4, true},
	{160, 50, 16, false},
}

// benchTickRate is the game's default tick rate, which the runs use.
const benchTickRate = 15

// termResult is what the real TUI wrote to a terminal and what it cost.
type termResult struct {
	Size    string  `json:"size"`
	Players int     `json:"players"`
	Window  float64 `json:"window_s"`
	Bytes   int     `json:"bytes"`
	BytesPS float64 `json:"bytes_per_s"`
	// Frames are write bursts: the pane's output as tmux reads it, reads
	// less than burstGap apart counted as one. bubbletea v2 marks no frame
	// start (v1 began each with ESC [ H), so the bursts are counted by time.
	Frames        int     `json:"frames"`
	FramesPS      float64 `json:"frames_per_s"`
	BytesPerFrame float64 `json:"bytes_per_frame"`
	// Bytes per tick: bytes/s divided by the tick rate: the cost of one
	// snapshot on screen, whatever the renderer does.
	BytesPerTick float64 `json:"bytes_per_tick"`
	CPUPct       float64 `json:"cpu_pct"`      // of one core: the TUI process alone (its own peer and the screen)
	BotsCPUPct   float64 `json:"bots_cpu_pct"` // the bots' process, for scale
	RSSMB        float64 `json:"rss_mb"`
	HWMMB        float64 `json:"rss_peak_mb"`
	Term         string  `json:"term"`
	Note         string  `json:"note,omitempty"`
}

func runTerminal(ctx context.Context, o *options, stdout, stderr io.Writer) error {
	if _, err := exec.LookPath("tmux"); err != nil {
		fmt.Fprintln(stdout, "tmux not found: --terminal skipped (install tmux to measure the TUI's output)")
		return nil
	}
	self, err := os.Executable()
	if err != nil {
		return err
	}
	dir, err := os.MkdirTemp("", "lanarena-bench-")
	if err != nil {
		return err
	}
	if !o.keepCapture {
		defer os.RemoveAll(dir)
	}
	bin, err := lanarenaBinary(ctx, o.termBin, dir, stderr)
	if err != nil {
		return err
	}
	var results []termResult
	report := func(r termResult) error {
		results = append(results, r)
		if o.json {
			return json.NewEncoder(stdout).Encode(r)
		}
		return nil
	}
	for _, c := range termCases {
		fmt.Fprintf(stderr, "lanarena-bench: lanarena in tmux %d×%d, %d players (bots in another process) for %s…\n", c.Width, c.Height, c.Players, o.termWindow)
		cctx, cancel := context.WithTimeout(ctx, o.termWindow+45*time.Second)
		r, err := measureTerminal(cctx, bin, self, dir, c, o.termWindow)
		cancel()
		if err != nil {
			return fmt.Errorf("terminal %d×%d: %w", c.Width, c.Height, err)
		}
		if err := report(r); err != nil {
			return err
		}
	}
	// The same one peer without a TUI: what the screen costs is the difference.
	fmt.Fprintf(stderr, "lanarena-bench: one headless peer (--bot) with 3 bots in another process for %s…\n", o.termWindow)
	cctx, cancel := context.WithTimeout(ctx, o.termWindow+45*time.Second)
	r, err := measureHeadless(cctx, bin, dir, 4, o.termWindow)
	cancel()
	if err != nil {
		return fmt.Errorf("headless: %w", err)
	}
	if err := report(r); err != nil {
		return err
	}
	if o.keepCapture {
		fmt.Fprintf(stderr, "lanarena-bench: captures kept in %s\n", dir)
	}
	if !o.json {
		printTerminal(stdout, results)
	}
	return nil
}

// lanarenaBinary is the binary to measure: given, or built from the tree.
func lanarenaBinary(ctx context.Context, given, dir string, stderr io.Writer) (string, error) {
	if given != "" {
		return filepath.Abs(given)
	}
	bin := filepath.Join(dir, "lanarena")
	fmt.Fprintf(stderr, "lanarena-bench: building lanarena/cmd/lanarena…\n")
	build := exec.CommandContext(ctx, "go", "build", "-o", bin, "lanarena/cmd/lanarena")
	build.Stdout, build.Stderr = stderr, stderr
	if err := build.Run(); err != nil {
		return "", fmt.Errorf("build lanarena: %w", err)
	}
	return bin, nil
}

func printTerminal(w io.Writer, rs []termResult) {
	fmt.Fprintln(w, "the real lanarena TUI in a detached tmux pane (--no-mdns --room bench --join the bots), the bots in a process of their own")
	fmt.Fprintf(w, "frames = write bursts (reads of the pane less than %s apart); per tick = bytes/s ÷ %d\n", burstGap, benchTickRate)
	fmt.Fprintln(w, "CPU and RSS are the TUI process alone: its own peer and the screen; 'headless' is the same one peer with --bot (no TUI)")
	fmt.Fprintln(w)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "size\tplayers\tTERM\tbytes/s\tframes/s\tbytes/frame\tbytes/tick\tCPU %\tbots' CPU %\tRSS MB\tpeak RSS MB\t")
	for _, r := range rs {
		if r.Size == "headless" {
			fmt.Fprintf(tw, "%s\t%d\t%s\t—\t—\t—\t—\t%.2f\t%.2f\t%.1f\t%.1f\t\n",
				r.Size, r.Players, "--bot", r.CPUPct, r.BotsCPUPct, r.RSSMB, r.HWMMB)
			continue
		}
		fmt.Fprintf(tw, "%s\t%d\t%s\t%.0f\t%.1f\t%.0f\t%.0f\t%.2f\t%.2f\t%.1f\t%.1f\t\n",
			r.Size, r.Players, r.Term, r.BytesPS, r.FramesPS, r.BytesPerFrame, r.BytesPerTick, r.CPUPct, r.BotsCPUPct, r.RSSMB, r.HWMMB)
	}
	tw.Flush()
	for _, r := range rs {
		if r.Note != "" {
			fmt.Fprintf(w, "%s: %s\n", r.Size, r.Note)
		}
	}
	if len(rs) > 0 {
		printTargets(w, rs)
	}
}

func printTargets(w io.Writer, rs []termResult) {
	mark := func(ok bool) string {
		if ok {
			return "met   "
		}
		return "MISSED"
	}
	fmt.Fprintln(w, "\ntargets:")
	r := rs[0]
	fmt.Fprintf(w, "  %s bytes per frame, 80×24, 4 players, 256 colours ≤ 250 B   %.0f B/frame, %.0f B/tick\n", mark(r.BytesPerFrame <= 250 && r.BytesPerTick <= 250), r.BytesPerFrame, r.BytesPerTick)
	fmt.Fprintf(w, "  %s bytes per second, same scene ≤ 4 KB/s                  %.0f B/s\n", mark(r.BytesPS <= 4096), r.BytesPS)
	for _, big := range rs {
		if big.Size == "160×50" {
			fmt.Fprintf(w, "  %s bytes per frame, 160×50, 16 players ≤ 1.5 KB            %.0f B/frame, %.0f B/tick\n", mark(big.BytesPerFrame <= 1536 && big.BytesPerTick <= 1536), big.BytesPerFrame, big.BytesPerTick)
		}
	}
	fmt.Fprintf(w, "  %s CPU of the TUI process (one peer, 4 players, 80×24) ≤ 2%%  %.2f%% (noisy on a shared machine: run it a few times)\n", mark(r.CPUPct <= 2), r.CPUPct)
	worst := 0.0
	for _, r := range rs {
		worst = max(worst, r.HWMMB)
	}
	fmt.Fprintf(w, "  %s RSS ≤ 20 MB per process                                  peak %.1f MB\n", mark(worst <= 20), worst)
}

const termTERM = "tmux-256color"

// botFleet is a lanarena --bot process with bots, on a known port, that
// the measured peer joins.
type botFleet struct {
	cmd    *exec.Cmd
	exited chan error
	addr   string
}

// startBots runs n AI players in one process of their own.
func startBots(bin, dir, room string, n int) (*botFleet, error) {
	port, err := freeUDPPort()
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(bin, "--bot", "--no-mdns", "--room", room, "--port", strconv.Itoa(port),
		"--name", "bot", "--bots", strconv.Itoa(n-1), "--log", filepath.Join(dir, fmt.Sprintf("bots-%d.log", port)))
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	b := &botFleet{cmd: cmd, exited: make(chan error, 1), addr: fmt.Sprintf("127.0.0.1:%d", port)}
	go func() { b.exited <- cmd.Wait() }()
	return b, nil
}

// stop ends the bots' process: SIGTERM, then SIGKILL after 5 s.
func (b *botFleet) stop() {
	b.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-b.exited:
	case <-time.After(5 * time.Second):
		b.cmd.Process.Kill()
		<-b.exited
	}
}

// freeUDPPort is a loopback UDP port free a moment ago.
func freeUDPPort() (int, error) {
	c, err := net.ListenPacket("udp4", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer c.Close()
	return c.LocalAddr().(*net.UDPAddr).Port, nil
}

// measureTerminal runs the TUI in a tmux server of its own, joined to a
// process of bots, waits until it sees them all, records the pane's output
// for window and reads both processes' CPU time and the TUI's memory.
func measureTerminal(ctx context.Context, bin, self, dir string, c termCase, window time.Duration) (termResult, error) {
	res := termResult{Size: fmt.Sprintf("%d×%d", c.Width, c.Height), Players: c.Players, Term: termTERM}
	colorterm := "COLORTERM="
	if c.TrueColor {
		colorterm, res.Term = colorterm+"truecolor", res.Term+" truecolor"
	}
	name := fmt.Sprintf("%dx%d-truecolor-%t", c.Width, c.Height, c.TrueColor)
	room := fmt.Sprintf("bench%d", os.Getpid()%100000) // a room's name is short
	bots, err := startBots(bin, dir, room, c.Players-1)
	if err != nil {
		return res, err
	}
	defer bots.stop()
	tmux, err := tmuxServer(ctx, dir, fmt.Sprintf("lanarena-bench-%d-%s", os.Getpid(), name))
	if err != nil {
		return res, err
	}
	// Several arguments: tmux runs the program itself, no shell between.
	_, err = tmux("new-session", "-d", "-s", "bench", "-x", strconv.Itoa(c.Width), "-y", strconv.Itoa(c.Height),
		"-e", colorterm,
		bin, "--no-mdns", "--room", room, "--join", bots.addr, "--name", "bench", "--log", filepath.Join(dir, "tui-"+name+".log"))
	if err != nil {
		return res, err
	}
	pid := 0
	defer func() {
		tmux("kill-server") // our own server only: -L sock
		waitGone(pid, 3*time.Second)
	}()
	if pid, err = awaitPane(ctx, tmux, bin, c, &res); err != nil {
		return res, err
	}
	// The bench binary itself records the pane's output (see recordPane).
	capture := filepath.Join(dir, "capture-"+name)
	if _, err := tmux("pipe-pane", "-o", "-t", "bench", "exec "+shellQuote(self)+" "+recordArg+" "+shellQuote(capture)); err != nil {
		return res, err
	}
	cpu, s, err := cpuOver(ctx, []int{pid, bots.cmd.Process.Pid}, window)
	rss, hwm, _ := memStatus(pid)
	if _, perr := tmux("pipe-pane", "-t", "bench"); err == nil { // no command: stop piping
		err = perr
	}
	if err != nil {
		return res, err
	}
	if screen, _ := tmux("capture-pane", "-p", "-t", "bench"); strings.Contains(screen, "too small") {
		res.Note = strings.TrimSpace(res.Note + " the TUI says the terminal is too small")
	}
	reads, err := awaitReads(ctx, capture)
	if err != nil {
		return res, err
	}
	res.output(reads, s)
	res.CPUPct, res.BotsCPUPct = cpu[0], cpu[1]
	res.RSSMB, res.HWMMB = float64(rss)/mb, float64(hwm)/mb
	return res, nil
}

// output fills in what the pane's reads say about the output over the
// window of secs. The recorder starts a moment after the window does
// (tmux runs it: up to a second late on a busy machine), so the rates are
// taken over the span the reads cover, from the first frame to the last:
// frames per second is then (frames − 1) ÷ span, the tick rate when every
// tick has a frame of its own. Reads spanning less than half the window
// say too little: the rates are then over the window.
func (res *termResult) output(reads []paneRead, secs float64) {
	res.Window = secs
	for _, r := range reads {
		res.Bytes += r.n
	}
	res.Frames = bursts(reads, burstGap)
	if res.Frames == 0 {
		return
	}
	res.BytesPerFrame = float64(res.Bytes) / float64(res.Frames)
	res.FramesPS = float64(res.Frames) / secs
	if span := (reads[len(reads)-1].at - reads[0].at).Seconds(); res.Frames > 1 && span > secs/2 {
		res.FramesPS = float64(res.Frames-1) / span
	}
	res.BytesPS = res.BytesPerFrame * res.FramesPS
	res.BytesPerTick = res.BytesPS / benchTickRate
}

// tmuxServer is a way to run commands on a tmux server of our own, named
// sock, with no status line (the pane gets the whole size) and a common
// modern TERM.
func tmuxServer(ctx context.Context, dir, sock string) (func(...string) (string, error), error) {
	conf := filepath.Join(dir, "tmux.conf")
	if err := os.WriteFile(conf, []byte("set -g status off\nset -g default-terminal "+termTERM+"\n"), 0o644); err != nil {
		return nil, err
	}
	return func(args ...string) (string, error) {
		cmd := exec.CommandContext(ctx, "tmux", append([]string{"-L", sock, "-f", conf}, args...)...)
		out, err := cmd.CombinedOutput()
		if err != nil {
			return string(out), fmt.Errorf("tmux %s: %w: %s", strings.Join(args, " "), err, bytes.TrimSpace(out))
		}
		return string(out), nil
	}, nil
}

// awaitPane waits until the TUI in the pane sees every bot, checks that it
// is bin at the size asked, lets the arena fill, and returns its pid.
func awaitPane(ctx context.Context, tmux func(...string) (string, error), bin string, c termCase, res *termResult) (int, error) {
	pid, err := panePID(tmux, c, res)
	if err != nil {
		return 0, err
	}
	if err := awaitPeers(ctx, tmux, c.Players-1, 20*time.Second); err != nil {
		return pid, err
	}
	if err := checkPaneCommand(tmux, pid, bin); err != nil {
		return pid, err
	}
	return pid, sleep(ctx, time.Second) // the arena fills: measure steady play
}

// checkPaneCommand checks that process pid, in the pane, runs bin.
func checkPaneCommand(tmux func(...string) (string, error), pid int, bin string) error {
	want := filepath.Base(bin)
	want = want[:min(len(want), 15)] // the kernel keeps 15 bytes of a command's name
	if comm, _ := os.ReadFile(fmt.Sprintf("/proc/%d/comm", pid)); strings.TrimSpace(string(comm)) != want {
		screen, _ := tmux("capture-pane", "-p", "-t", "bench")
		return fmt.Errorf("pane process %d is %q, not %s; screen:\n%s", pid, bytes.TrimSpace(comm), want, screen)
	}
	return nil
}

// panePID is the pid of the program in the pane, and checks the pane's size.
func panePID(tmux func(...string) (string, error), c termCase, res *termResult) (int, error) {
	out, err := tmux("display-message", "-p", "-t", "bench", "#{pane_pid} #{pane_width}x#{pane_height}")
	if err != nil {
		return 0, err
	}
	f := strings.Fields(out)
	if len(f) != 2 {
		return 0, fmt.Errorf("tmux display-message: %q", out)
	}
	pid, err := strconv.Atoi(f[0])
	if err != nil {
		return 0, fmt.Errorf("pane pid %q: %w", f[0], err)
	}
	if want := fmt.Sprintf("%dx%d", c.Width, c.Height); f[1] != want {
		res.Note = fmt.Sprintf("pane is %s, not %s", f[1], want)
	}
	return pid, nil
}

// awaitPeers waits until the status line says the TUI sees n peers.
func awaitPeers(ctx context.Context, tmux func(...string) (string, error), n int, timeout time.Duration) error {
	want := fmt.Sprintf("%d peers", n)
	deadline := time.Now().Add(timeout)
	for {
		screen, _ := tmux("capture-pane", "-p", "-t", "bench")
		if strings.Contains(screen, want) {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("the TUI did not see %s within %s; screen:\n%s", want, timeout, screen)
		}
		if err := sleep(ctx, 200*time.Millisecond); err != nil {
			return err
		}
	}
}

// measureHeadless runs the one measured peer without a TUI (--bot),
// joined to the same bots in another process, and reads its CPU and memory.
func measureHeadless(ctx context.Context, bin, dir string, players int, window time.Duration) (termResult, error) {
	res := termResult{Size: "headless", Players: players}
	room := fmt.Sprintf("headless%d", os.Getpid()%100000)
	bots, err := startBots(bin, dir, room, players-1)
	if err != nil {
		return res, err
	}
	defer bots.stop()
	cmd := exec.Command(bin, "--bot", "--no-mdns", "--room", room, "--join", bots.addr, "--name", "bench")
	if err := cmd.Start(); err != nil {
		return res, err
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	defer func() {
		cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-exited:
		case <-time.After(5 * time.Second):
			cmd.Process.Kill()
			<-exited
		}
	}()
	pid := cmd.Process.Pid
	if err := sleep(ctx, 3*time.Second); err != nil {
		return res, err
	}
	cpu, s, err := cpuOver(ctx, []int{pid, bots.cmd.Process.Pid}, window)
	if err != nil {
		return res, err
	}
	rss, hwm, _ := memStatus(pid)
	res.Window = s
	res.CPUPct, res.BotsCPUPct = cpu[0], cpu[1]
	res.RSSMB, res.HWMMB = float64(rss)/mb, float64(hwm)/mb
	return res, nil
}

// recordArg makes the bench binary a recorder of a pane's output: tmux's
// pipe-pane runs it (see init), and it notes the time and size of every
// read, from which write bursts are counted.
const recordArg = "--record-pane-internal"

// burstGap separates two frames: bubbletea writes a frame with one write,
// at most 30 a second (33 ms apart), and tmux passes it on at once.
const burstGap = 5 * time.Millisecond

func init() {
	if len(os.Args) == 3 && os.Args[1] == recordArg {
		if err := recordPane(os.Stdin, os.Args[2]); err != nil {
			fmt.Fprintln(os.Stderr, "lanarena-bench:", err)
			os.Exit(1)
		}
		os.Exit(0)
	}
}

// paneRead is one read of the pane's output.
type paneRead struct {
	at time.Duration // since the first read
	n  int
}

// recordPane copies in to path+".bin" and notes every read ("nanoseconds
// bytes" a line) in path+".tmp", renamed to path at the end of in.
func recordPane(in io.Reader, path string) error {
	raw, err := os.Create(path + ".bin")
	if err != nil {
		return err
	}
	defer raw.Close()
	log, err := os.Create(path + ".tmp")
	if err != nil {
		return err
	}
	w := bufio.NewWriter(log)
	buf := make([]byte, 64<<10)
	t0 := time.Now()
	for {
		n, err := in.Read(buf)
		if n > 0 {
			fmt.Fprintf(w, "%d %d\n", time.Since(t0), n)
			raw.Write(buf[:n])
		}
		if err != nil {
			break
		}
	}
	if err := w.Flush(); err != nil {
		return err
	}
	if err := log.Close(); err != nil {
		return err
	}
	return os.Rename(path+".tmp", path)
}

// awaitReads waits for the recorder to finish and reads its notes.
func awaitReads(ctx context.Context, path string) ([]paneRead, error) {
	deadline := time.Now().Add(5 * time.Second)
	for {
		data, err := os.ReadFile(path)
		if err == nil {
			return parseReads(data)
		}
		if !errors.Is(err, os.ErrNotExist) || time.Now().After(deadline) {
			return nil, fmt.Errorf("pane recording: %w", err)
		}
		if err := sleep(ctx, 50*time.Millisecond); err != nil {
			return nil, err
		}
	}
}

func parseReads(data []byte) ([]paneRead, error) {
	var reads []paneRead
	for line := range strings.SplitSeq(strings.TrimSpace(string(data)), "\n") {
		if line == "" {
			continue
		}
		var at, n int64
		if _, err := fmt.Sscan(line, &at, &n); err != nil {
			return nil, fmt.Errorf("pane recording: line %q: %w", line, err)
		}
		reads = append(reads, paneRead{at: time.Duration(at), n: int(n)})
	}
	return reads, nil
}

// bursts counts the groups of reads whose gaps are all under gap.
func bursts(reads []paneRead, gap time.Duration) int {
	n := 0
	for i, r := range reads {
		if i == 0 || r.at-reads[i-1].at >= gap {
			n++
		}
	}
	return n
}

func sleep(ctx context.Context, d time.Duration) error {
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-time.After(d):
		return nil
	}
}

// waitGone waits until process pid has exited (tmux hangs it up when its
// server goes), and kills it if it outlives the wait.
func waitGone(pid int, d time.Duration) {
	if pid <= 0 {
		return
	}
	deadline := time.Now().Add(d)
	for time.Now().Before(deadline) {
		if !alive(pid) {
			return
		}
		if b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid)); err == nil {
			if i := bytes.LastIndexByte(b, ')'); i > 0 && i+2 < len(b) && b[i+2] == 'Z' {
				return // exited; its new parent has yet to reap it
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	if p, err := os.FindProcess(pid); err == nil {
		p.Kill()
	}
}

func shellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// cpuOver measures the CPU the processes pids use over window: percent of
// one core each, and the seconds the window really lasted.
func cpuOver(ctx context.Context, pids []int, window time.Duration) (pct []float64, secs float64, err error) {
	cpu0 := make([]time.Duration, len(pids))
	for i, pid := range pids {
		if cpu0[i], err = procCPU(pid); err != nil {
			return nil, 0, err
		}
	}
	t0 := time.Now()
	if err := sleep(ctx, window); err != nil {
		return nil, 0, err
	}
	secs = time.Since(t0).Seconds()
	for i, pid := range pids {
		cpu1, err := procCPU(pid)
		if err != nil {
			return nil, 0, err
		}
		pct = append(pct, 100*(cpu1-cpu0[i]).Seconds()/secs)
	}
	return pct, secs, nil
}
