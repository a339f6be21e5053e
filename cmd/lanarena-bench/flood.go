package main

// --flood: what a flood of junk costs a running peer. The victim and a
// legitimate peer are real lanarena processes (--bot --no-mdns) on
// loopback; this process floods the victim's port with junk datagrams at a
// paced rate, from one source and then from many, and reads the victim's
// CPU (/proc), its own tick rate and the legitimate peer's view of it
// (their --stats), and the kernel's drops on its socket (/proc/net/udp*):
// a victim that kept its CPU low by reading slowly would show them. For
// comparison it floods a bare Go UDP reader (this binary, re-executed) in
// the same way.

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/netip"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"text/tabwriter"
	"time"

	"lanarena/game"
	"lanarena/net/transport"
	"lanarena/net/wire"
)

// bareReaderEnv makes this binary a bare UDP reader on the port it names.
const bareReaderEnv = "LANARENA_BENCH_BARE_READER"

// floodResult is one row of the flood table.
type floodResult struct {
	Case        string  `json:"case"`
	Target      string  `json:"target"` // "lanarena" or "bare Go reader"
	Sources     int     `json:"sources"`
	OfferedPS   float64 `json:"offered_pkts_per_s"`
	SentPS      float64 `json:"sent_pkts_per_s"`    // what the flooder managed
	CPUPct      float64 `json:"cpu_pct"`            // of one core
	KernelDrops float64 `json:"kernel_drops_per_s"` // the socket's receive queue overflowed
	TicksPS     float64 `json:"ticks_per_s,omitempty"`
	LegitLoss   float64 `json:"legit_loss,omitempty"`       // the legitimate peer's loss of the victim's packets
	LegitRTTP50 float64 `json:"legit_rtt_ms_p50,omitempty"` // and its round trip to the victim (the victim's loop answers pings)
	Window      float64 `json:"window_s"`
}

// bareReader reads and discards datagrams on 127.0.0.1:port until killed:
// the cheapest a Go program can take a flood.
func bareReader(port string) int {
	p, err := strconv.Atoi(port)
	if err != nil {
		return 2
	}
	c, err := net.ListenUDP("udp4", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1), Port: p})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	_ = c.SetReadBuffer(1 << 20) // as lanarena asks
	fmt.Println("ready")
	buf := make([]byte, transport.ReadBufferSize)
	for {
		if _, _, err := c.ReadFromUDPAddrPort(buf); err != nil {
			return 0
		}
	}
}

// freePort returns a UDP port of 127.0.0.1 that was free a moment ago.
func freePort() (int, error) {
	c, err := net.ListenUDP("udp4", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		return 0, err
	}
	defer c.Close()
	return c.LocalAddr().(*net.UDPAddr).Port, nil
}

// proc is a process the flood bench started; stop ends it.
type benchProc struct {
	cmd    *exec.Cmd
	exited chan error
	once   sync.Once
}

func startProc(name string, args []string, env ...string) (*benchProc, error) {
	cmd := exec.Command(name, args...)
	cmd.Env = append(os.Environ(), env...)
	dieWithParent(cmd)
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	p := &benchProc{cmd: cmd, exited: make(chan error, 1)}
	go func() { p.exited <- cmd.Wait() }()
	return p, nil
}

// stopOnce is stop, doing nothing the second time.
func (p *benchProc) stopOnce() { p.once.Do(p.stop) }

func (p *benchProc) stop() {
	p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-p.exited:
	case <-time.After(5 * time.Second):
		p.cmd.Process.Kill()
		<-p.exited
	}
}

func runFlood(ctx context.Context, o *options, stdout, stderr io.Writer) error {
	dir, err := os.MkdirTemp("", "lanarena-bench-flood-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	bin := o.lanarenaBin
	if bin == "" {
		bin = filepath.Join(dir, "lanarena")
		fmt.Fprintf(stderr, "lanarena-bench: building lanarena/cmd/lanarena…\n")
		build := exec.CommandContext(ctx, "go", "build", "-o", bin, "lanarena/cmd/lanarena")
		build.Stdout, build.Stderr = stderr, stderr
		if err := build.Run(); err != nil {
			return fmt.Errorf("build lanarena: %w", err)
		}
	}
	results, err := floodLanarena(ctx, o, bin, dir, stderr)
	if err != nil {
		return err
	}
	bare, err := floodBare(ctx, o, stderr)
	if err != nil {
		return err
	}
	results = append(results, bare)
	if o.json {
		enc := json.NewEncoder(stdout)
		for _, r := range results {
			if err := enc.Encode(r); err != nil {
				return err
			}
		}
		return nil
	}
	printFlood(stdout, results, o)
	return nil
}

// floodLanarena measures a victim with a legitimate peer: quiet, then
// flooded from one source, then from many.
func floodLanarena(ctx context.Context, o *options, bin, dir string, stderr io.Writer) ([]floodResult, error) {
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	victimStats, legitStats := filepath.Join(dir, "victim.jsonl"), filepath.Join(dir, "legit.jsonl")
	victim, err := startProc(bin, []string{"--bot", "--no-mdns", "--room", "flood", "--name", "victim",
		"--port", strconv.Itoa(port), "--stats", victimStats, "--log", filepath.Join(dir, "victim.log")})
	if err != nil {
		return nil, err
	}
	defer victim.stop()
	legit, err := startProc(bin, []string{"--bot", "--no-mdns", "--room", "flood", "--name", "legit",
		"--join", fmt.Sprintf("127.0.0.1:%d", port), "--stats", legitStats})
	if err != nil {
		return nil, err
	}
	defer legit.stop()
	if err := awaitMeeting(ctx, legitStats, 15*time.Second); err != nil {
		return nil, err
	}
	target := netip.AddrPortFrom(netip.MustParseAddr("127.0.0.1"), uint16(port))
	var results []floodResult
	for _, c := range []struct {
		name    string
		sources int
		kind    floodKind
	}{
		{"quiet", 0, floodJunk},
		{"junk, one source", 1, floodJunk}, {"junk, many sources", o.floodSources, floodJunk},
		{"headers, one source", 1, floodOtherRoom}, {"headers, many sources", o.floodSources, floodOtherRoom},
		{"room's states, one source", 1, floodRoomStates}, {"room's states, many sources", o.floodSources, floodRoomStates},
	} {
		fmt.Fprintf(stderr, "lanarena-bench: flood: %s, %s…\n", c.name, o.duration)
		r := floodResult{Case: c.name, Target: "lanarena", Sources: c.sources}
		sent, err := underFlood(ctx, target, c.sources, o.floodRate, c.kind, func() error {
			return measureVictim(ctx, &r, victim.cmd.Process.Pid, port, victimStats, legitStats, o.duration)
		})
		r.SentPS = float64(sent) / max(r.Window, 1e-9)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", c.name, err)
		}
		if c.sources > 0 {
			r.OfferedPS = float64(o.floodRate)
		}
		results = append(results, r)
	}
	return results, nil
}

// floodBare measures the bare reader under the one-source flood.
func floodBare(ctx context.Context, o *options, stderr io.Writer) (floodResult, error) {
	r := floodResult{Case: "junk, one source", Target: "bare Go reader", Sources: 1, OfferedPS: float64(o.floodRate)}
	self, err := os.Executable()
	if err != nil {
		return r, err
	}
	port, err := freePort()
	if err != nil {
		return r, err
	}
	bare, err := startProc(self, nil, bareReaderEnv+"="+strconv.Itoa(port))
	if err != nil {
		return r, err
	}
	defer bare.stop()
	if err := sleep(ctx, 500*time.Millisecond); err != nil { // it binds at once
		return r, err
	}
	fmt.Fprintf(stderr, "lanarena-bench: flood: bare Go reader, one source, %s…\n", o.duration)
	target := netip.AddrPortFrom(netip.MustParseAddr("127.0.0.1"), uint16(port))
	sent, err := underFlood(ctx, target, 1, o.floodRate, floodJunk, func() error {
		d0 := kernelDrops(port)
		pct, secs, err := cpuOver(ctx, []int{bare.cmd.Process.Pid}, o.duration)
		if err != nil {
			return err
		}
		r.CPUPct, r.Window = pct[0], secs
		r.KernelDrops = float64(kernelDrops(port)-d0) / secs
		return err
	})
	r.SentPS = float64(sent) / max(r.Window, 1e-9)
	return r, err
}

// measureVictim fills r with the victim's CPU, kernel drops and tick rate,
// and the legitimate peer's view of it, over window.
func measureVictim(ctx context.Context, r *floodResult, pid, port int, victimStats, legitStats string, window time.Duration) error {
	start := time.Now()
	d0 := kernelDrops(port)
	pct, secs, err := cpuOver(ctx, []int{pid}, window)
	if err != nil {
		return err
	}
	r.CPUPct, r.Window = pct[0], secs
	r.KernelDrops = float64(kernelDrops(port)-d0) / secs
	r.TicksPS = tickRate(victimStats, start)
	r.LegitLoss, r.LegitRTTP50 = legitView(legitStats, "victim", start)
	return nil
}

// underFlood runs measure while sources sockets send rate junk datagrams
// a second, in all, at target (none when sources is 0), of kind. It returns how many were
// sent while measure ran.
func underFlood(ctx context.Context, target netip.AddrPort, sources, rate int, kind floodKind, measure func() error) (sent uint64, err error) {
	if sources == 0 {
		return 0, measure()
	}
	var txs []*transport.UDP
	defer func() {
		for _, tx := range txs {
			tx.Close()
		}
	}()
	for i := range sources {
		// Many sources are many hosts: 127.0.0.0/8 is all this machine's.
		ip := netip.AddrFrom4([4]byte{127, 0, 0, 1})
		if sources > 1 {
			ip = netip.AddrFrom4([4]byte{127, 1, byte(i / 250), byte(i%250 + 1)})
		}
		tx, err := transport.ListenUDP(netip.AddrPortFrom(ip, 0))
		if err != nil {
			return 0, err
		}
		txs = append(txs, tx)
	}
	fctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		flood(fctx, txs, target, rate, kind)
	}()
	count := func() (n uint64) {
		for _, tx := range txs {
			n += tx.Stats().PacketsOut
		}
		return n
	}
	before := count()
	err = measure()
	sent = count() - before
	cancel()
	<-done
	return sent, err
}

// floodKind is what a flood sends.
type floodKind int

const (
	// floodJunk is random bytes.
	floodJunk floodKind = iota
	// floodOtherRoom is a valid header of another room, then junk: it
	// passes the socket filter and the header check, and is dropped as
	// wrong-room.
	floodOtherRoom
	// floodRoomStates is whole, valid States of the victim's room from
	// ids that are not members: they pass every check but the admit
	// gate's stranger check (unknown-sender).
	floodRoomStates
)

// flood sends rate datagrams of kind a second to target, round robin over
// txs, paced every millisecond, until ctx is done.
func flood(ctx context.Context, txs []*transport.UDP, target netip.AddrPort, rate int, kind floodKind) {
	rng := rand.New(rand.NewPCG(1, 2))
	junk := make([][]byte, 64)
	for i := range junk {
		junk[i] = make([]byte, 40+rng.IntN(60))
		for j := range junk[i] {
			junk[i][j] = byte(rng.Uint32())
		}
		h := wire.Header{Sender: game.PlayerID(rng.Uint32() | 1), Seq: 1, Room: wire.RoomTag("not the victim's")}
		switch kind {
		case floodOtherRoom:
			b, _ := wire.Append(nil, h, &wire.Leave{})
			copy(junk[i], b[:wire.HeaderLen])
		case floodRoomStates:
			h.Room = wire.RoomTag("flood")
			head := game.Point{X: 5 + i%40, Y: 5 + i%30}
			junk[i], _ = wire.Append(nil, h, &wire.State{Tick: 1, Life: 1, Alive: true, Head: head,
				VertTotal: 1, Verts: []game.Point{head}})
		}
	}
	batch := make([]transport.Message, 0, 256)
	tick := time.NewTicker(time.Millisecond)
	defer tick.Stop()
	start, sent, src := time.Now(), 0, 0
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
		due := int(time.Since(start).Seconds()*float64(rate)) - sent
		for due > 0 {
			batch = batch[:0]
			for range min(due, cap(batch)) {
				batch = append(batch, transport.Message{Data: junk[sent%len(junk)], To: target})
				sent++
			}
			due -= len(batch)
			txs[src%len(txs)].WriteBatch(batch) // a full socket buffer loses some: that is a flood
			src++
		}
	}
}

// awaitMeeting waits until the legitimate peer's stats show the victim.
func awaitMeeting(ctx context.Context, legitStats string, timeout time.Duration) error {
	deadline := time.Now().Add(timeout)
	for time.Now().Before(deadline) {
		for _, l := range readStats(legitStats, time.Time{}) {
			for _, p := range l.Peers {
				if p.Name == "victim" {
					return nil
				}
			}
		}
		if err := sleep(ctx, 200*time.Millisecond); err != nil {
			return err
		}
	}
	return fmt.Errorf("the legitimate peer did not meet the victim within %v", timeout)
}

// floodStats is the part of a --stats line the flood bench reads.
type floodStats struct {
	T     int64  `json:"t"`
	Tick  uint32 `json:"tick"`
	Peers []struct {
		Name  string  `json:"name"`
		Loss  float64 `json:"loss"`
		RTTms float64 `json:"rtt_ms"`
	} `json:"peers"`
}

// readStats returns the stats lines of path written since since.
func readStats(path string, since time.Time) []floodStats {
	f, err := os.Open(path)
	if err != nil {
		return nil
	}
	defer f.Close()
	var out []floodStats
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		var l floodStats
		if json.Unmarshal(sc.Bytes(), &l) == nil && l.T >= since.UnixMilli() {
			out = append(out, l)
		}
	}
	return out
}

// tickRate is the ticks a second of the stats lines since start.
func tickRate(path string, start time.Time) float64 {
	ls := readStats(path, start)
	if len(ls) < 2 {
		return 0
	}
	first, last := ls[0], ls[len(ls)-1]
	if last.T <= first.T {
		return 0
	}
	return float64(last.Tick-first.Tick) / (float64(last.T-first.T) / 1000)
}

// legitView is the mean loss of name's packets and the median round trip
// to it, as the legitimate peer saw them since start.
func legitView(path, name string, start time.Time) (loss, rttP50 float64) {
	var rtts []float64
	for _, l := range readStats(path, start) {
		for _, p := range l.Peers {
			if p.Name == name {
				loss += p.Loss
				rtts = append(rtts, p.RTTms)
			}
		}
	}
	if len(rtts) == 0 {
		return 1, -1
	}
	slices.Sort(rtts)
	return loss / float64(len(rtts)), rtts[len(rtts)/2]
}

// kernelDrops is the count of datagrams the kernel dropped for the
// sockets bound to port (any address): their receive queues were full.
func kernelDrops(port int) uint64 {
	var total uint64
	want := fmt.Sprintf(":%04X", port)
	for _, f := range []string{"/proc/net/udp", "/proc/net/udp6"} {
		b, err := os.ReadFile(f)
		if err != nil {
			continue
		}
		for _, line := range strings.Split(string(b), "\n")[1:] {
			fs := strings.Fields(line)
			if len(fs) < 13 || !strings.HasSuffix(fs[1], want) {
				continue
			}
			if n, err := strconv.ParseUint(fs[len(fs)-1], 10, 64); err == nil {
				total += n
			}
		}
	}
	return total
}

func printFlood(w io.Writer, rs []floodResult, o *options) {
	fmt.Fprintf(w, "\nJunk flood at %d datagrams/s over loopback (%d sources in the many-source case), %s windows.\n",
		o.floodRate, o.floodSources, o.duration)
	fmt.Fprintln(w, "Junk: random bytes. Headers: a valid header of another room, then random bytes.")
	fmt.Fprintln(w, "Kernel drops: by the socket filter, or a full receive queue. CPU is of one core; the flooder shares the machine, so figures are noisy.")
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "target\tcase\tsent/s\tCPU %\tkernel drops/s\tticks/s\tlegit: loss\tlegit: RTT p50 ms\t")
	for _, r := range rs {
		ticks, loss, age := "-", "-", "-"
		if r.Target == "lanarena" {
			ticks = fmt.Sprintf("%.1f", r.TicksPS)
			loss = fmt.Sprintf("%.3f", r.LegitLoss)
			age = fmt.Sprintf("%.2f", r.LegitRTTP50)
		}
		fmt.Fprintf(tw, "%s\t%s\t%.0f\t%.1f\t%.0f\t%s\t%s\t%s\t\n", r.Target, r.Case, r.SentPS, r.CPUPct, r.KernelDrops, ticks, loss, age)
	}
	tw.Flush()
}
