package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
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
	Width, Height, Bots int
	TrueColor           bool // COLORTERM=truecolor; otherwise the 256 colours of TERM
}

// The first case is the one the targets speak of.
var termCases = []termCase{
	{80, 24, 3, true},
	{80, 24, 3, false},
	{160, 50, 15, true},
}

// termResult is what the real TUI wrote to a terminal and what it cost.
type termResult struct {
	Size    string  `json:"size"`
	Players int     `json:"players"`
	Window  float64 `json:"window_s"`
	Bytes   int     `json:"bytes"`
	BytesPS float64 `json:"bytes_per_s"`
	// Frames are counted by bubbletea's alt-screen repaint, which starts
	// every frame it writes with cursor-home (ESC [ H).
	Frames        int     `json:"frames"`
	FramesPS      float64 `json:"frames_per_s"`
	BytesPerFrame float64 `json:"bytes_per_frame"`
	// Bytes per tick: bytes/s divided by the tick rate (15/s): the cost of
	// one snapshot on screen, whatever the renderer does.
	BytesPerTick float64 `json:"bytes_per_tick"`
	CPUPct       float64 `json:"cpu_pct"` // of one core, whole process (player's peer, bots, TUI)
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
	dir, err := os.MkdirTemp("", "lanarena-bench-")
	if err != nil {
		return err
	}
	if !o.keepCapture {
		defer os.RemoveAll(dir)
	}
	bin := filepath.Join(dir, "lanarena")
	fmt.Fprintf(stderr, "lanarena-bench: building lanarena/cmd/lanarena…\n")
	build := exec.CommandContext(ctx, "go", "build", "-o", bin, "lanarena/cmd/lanarena")
	build.Stdout, build.Stderr = stderr, stderr
	if err := build.Run(); err != nil {
		return fmt.Errorf("build lanarena: %w", err)
	}
	var results []termResult
	for _, c := range termCases {
		fmt.Fprintf(stderr, "lanarena-bench: lanarena in tmux %d×%d with %d bots for %s…\n", c.Width, c.Height, c.Bots, o.termWindow)
		cctx, cancel := context.WithTimeout(ctx, o.termWindow+30*time.Second)
		r, err := measureTerminal(cctx, bin, dir, c, o.termWindow)
		cancel()
		if err != nil {
			return fmt.Errorf("terminal %d×%d: %w", c.Width, c.Height, err)
		}
		results = append(results, r)
		if o.json {
			if err := json.NewEncoder(stdout).Encode(r); err != nil {
				return err
			}
		}
	}
	// The same peers without a TUI: what the screen costs is the difference.
	fmt.Fprintf(stderr, "lanarena-bench: lanarena --bot --bots 3 (headless) for %s…\n", o.termWindow)
	cctx, cancel := context.WithTimeout(ctx, o.termWindow+30*time.Second)
	r, err := measureHeadless(cctx, bin, 3, o.termWindow)
	cancel()
	if err != nil {
		return fmt.Errorf("headless: %w", err)
	}
	results = append(results, r)
	if o.json {
		if err := json.NewEncoder(stdout).Encode(r); err != nil {
			return err
		}
	}
	if o.keepCapture {
		fmt.Fprintf(stderr, "lanarena-bench: captures kept in %s\n", dir)
	}
	if !o.json {
		printTerminal(stdout, results)
	}
	return nil
}

func printTerminal(w io.Writer, rs []termResult) {
	fmt.Fprintln(w, "the real lanarena TUI in a detached tmux pane (--no-mdns --room bench --bots N): output piped with pipe-pane -o")
	fmt.Fprintln(w, "frames = cursor-home sequences (bubbletea's alt-screen repaint starts each frame with ESC[H); per tick = bytes/s ÷ 15")
	fmt.Fprintln(w, "CPU and RSS are the whole lanarena process: the player's peer, the bot peers and the TUI; 'headless' is the same 4 peers with --bot (no TUI)")
	fmt.Fprintln(w)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "size\tplayers\tTERM\tbytes/s\tframes/s\tbytes/frame\tbytes/tick\tCPU %\tRSS MB\tpeak RSS MB\t")
	for _, r := range rs {
		if r.Size == "headless" {
			fmt.Fprintf(tw, "%s\t%d\t%s\t—\t—\t—\t—\t%.2f\t%.1f\t%.1f\t\n",
				r.Size, r.Players, "--bot", r.CPUPct, r.RSSMB, r.HWMMB)
			continue
		}
		fmt.Fprintf(tw, "%s\t%d\t%s\t%.0f\t%.1f\t%.0f\t%.0f\t%.2f\t%.1f\t%.1f\t\n",
			r.Size, r.Players, r.Term, r.BytesPS, r.FramesPS, r.BytesPerFrame, r.BytesPerTick, r.CPUPct, r.RSSMB, r.HWMMB)
	}
	tw.Flush()
	for _, r := range rs {
		if r.Note != "" {
			fmt.Fprintf(w, "%s: %s\n", r.Size, r.Note)
		}
	}
	if len(rs) > 0 {
		fmt.Fprintln(w, "\ntargets:")
		r := rs[0]
		mark := func(ok bool) string {
			if ok {
				return "met   "
			}
			return "MISSED"
		}
		fmt.Fprintf(w, "  %s terminal output 80×24, 4 players ≤ 1 KB per frame   %.0f B/frame, %.0f B/tick\n", mark(r.BytesPerFrame <= 1024 && r.BytesPerTick <= 1024), r.BytesPerFrame, r.BytesPerTick)
		fmt.Fprintf(w, "  %s CPU of one TUI process (4 players, 80×24) ≤ 2%%     %.2f%%\n", mark(r.CPUPct <= 2), r.CPUPct)
		worst := 0.0
		for _, r := range rs {
			worst = max(worst, r.HWMMB)
		}
		fmt.Fprintf(w, "  %s RSS ≤ 20 MB per process                            peak %.1f MB\n", mark(worst <= 20), worst)
	}
}

const termTERM = "tmux-256color"

// measureTerminal runs the TUI in a tmux server of its own, lets the
// peers meet, pipes the pane's output to a file for window and reads the
// process's CPU time and memory at both ends.
func measureTerminal(ctx context.Context, bin, dir string, c termCase, window time.Duration) (termResult, error) {
	res := termResult{Size: fmt.Sprintf("%d×%d", c.Width, c.Height), Players: c.Bots + 1, Term: termTERM}
	colorterm := "COLORTERM="
	if c.TrueColor {
		colorterm += "truecolor"
		res.Term += " truecolor"
	}
	sock := fmt.Sprintf("lanarena-bench-%d-%d-%t", os.Getpid(), c.Width, c.TrueColor)
	conf := filepath.Join(dir, "tmux.conf")
	// No status line (the pane gets the whole size), a common modern TERM.
	if err := os.WriteFile(conf, []byte("set -g status off\nset -g default-terminal "+termTERM+"\n"), 0o644); err != nil {
		return res, err
	}
	tmux := func(args ...string) (string, error) {
		cmd := exec.CommandContext(ctx, "tmux", append([]string{"-L", sock, "-f", conf}, args...)...)
		out, err := cmd.CombinedOutput()
		if err != nil {
			return string(out), fmt.Errorf("tmux %s: %w: %s", strings.Join(args, " "), err, bytes.TrimSpace(out))
		}
		return string(out), nil
	}
	// Several arguments: tmux runs the program itself, no shell between.
	_, err := tmux("new-session", "-d", "-s", "bench", "-x", strconv.Itoa(c.Width), "-y", strconv.Itoa(c.Height),
		"-e", colorterm,
		bin, "--no-mdns", "--room", "bench", "--bots", strconv.Itoa(c.Bots), "--name", "bench", "--log", filepath.Join(dir, fmt.Sprintf("lanarena-%dx%d-truecolor-%t.log", c.Width, c.Height, c.TrueColor)))
	if err != nil {
		return res, err
	}
	pid := 0
	defer func() {
		tmux("kill-server") // our own server only: -L sock
		waitGone(pid, 3*time.Second)
	}()
	out, err := tmux("display-message", "-p", "-t", "bench", "#{pane_pid} #{pane_width}x#{pane_height}")
	if err != nil {
		return res, err
	}
	f := strings.Fields(out)
	if len(f) != 2 {
		return res, fmt.Errorf("tmux display-message: %q", out)
	}
	if pid, err = strconv.Atoi(f[0]); err != nil {
		return res, fmt.Errorf("pane pid %q: %w", f[0], err)
	}
	if want := fmt.Sprintf("%dx%d", c.Width, c.Height); f[1] != want {
		res.Note = fmt.Sprintf("pane is %s, not %s", f[1], want)
	}
	// The peers meet and the arena fills: measure steady play.
	if err := sleep(ctx, 3*time.Second); err != nil {
		return res, err
	}
	if comm, _ := os.ReadFile(fmt.Sprintf("/proc/%d/comm", pid)); strings.TrimSpace(string(comm)) != "lanarena" {
		screen, _ := tmux("capture-pane", "-p", "-t", "bench")
		return res, fmt.Errorf("pane process %d is %q, not lanarena; screen:\n%s", pid, bytes.TrimSpace(comm), screen)
	}
	capture := filepath.Join(dir, fmt.Sprintf("capture-%dx%d-truecolor-%t.bin", c.Width, c.Height, c.TrueColor))
	if _, err := tmux("pipe-pane", "-o", "-t", "bench", "cat >> "+shellQuote(capture)); err != nil {
		return res, err
	}
	cpuPct, s, err := cpuOver(ctx, pid, window)
	if err != nil {
		return res, err
	}
	rss, hwm, _ := memStatus(pid)
	if _, err := tmux("pipe-pane", "-t", "bench"); err != nil { // no command: stop piping
		return res, err
	}
	screen, _ := tmux("capture-pane", "-p", "-t", "bench")
	if strings.Contains(screen, "too small") {
		res.Note = strings.TrimSpace(res.Note + " the TUI says the terminal is too small")
	}
	// cat may still be writing what it read: let it finish.
	if err := sleep(ctx, 300*time.Millisecond); err != nil {
		return res, err
	}
	data, err := os.ReadFile(capture)
	if err != nil {
		return res, err
	}
	res.Window = s
	res.Bytes = len(data)
	res.BytesPS = float64(len(data)) / s
	res.Frames = bytes.Count(data, []byte("\x1b[H"))
	res.FramesPS = float64(res.Frames) / s
	if res.Frames > 0 {
		res.BytesPerFrame = float64(len(data)) / float64(res.Frames)
	}
	res.BytesPerTick = res.BytesPS / 15
	res.CPUPct = cpuPct
	res.RSSMB, res.HWMMB = float64(rss)/mb, float64(hwm)/mb
	return res, nil
}

// measureHeadless runs the same process without a TUI, --bot with bots,
// and reads its CPU and memory.
func measureHeadless(ctx context.Context, bin string, bots int, window time.Duration) (termResult, error) {
	res := termResult{Size: "headless", Players: bots + 1}
	cmd := exec.Command(bin, "--bot", "--no-mdns", "--room", "bench-headless", "--bots", strconv.Itoa(bots), "--name", "bench")
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
	cpuPct, s, err := cpuOver(ctx, pid, window)
	if err != nil {
		return res, err
	}
	rss, hwm, _ := memStatus(pid)
	res.Window = s
	res.CPUPct = cpuPct
	res.RSSMB, res.HWMMB = float64(rss)/mb, float64(hwm)/mb
	return res, nil
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

// cpuOver measures the CPU a process uses over window: percent of one
// core, and the seconds the window really lasted.
func cpuOver(ctx context.Context, pid int, window time.Duration) (pct, secs float64, err error) {
	cpu0, err := procCPU(pid)
	if err != nil {
		return 0, 0, err
	}
	t0 := time.Now()
	if err := sleep(ctx, window); err != nil {
		return 0, 0, err
	}
	cpu1, err := procCPU(pid)
	if err != nil {
		return 0, 0, err
	}
	secs = time.Since(t0).Seconds()
	return 100 * (cpu1 - cpu0).Seconds() / secs, secs, nil
}
