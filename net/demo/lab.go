package demo

// The measurements of the lab in README.md ("For teachers"), over an
// in-memory network with the same impairment layer as --loss and
// --delay, in real time: `lanarena-bench --lab` prints them, and the
// Lab benchmarks of this package run them.

import (
	"context"
	"errors"
	"fmt"
	"net/netip"
	"slices"
	"time"

	"lanarena/game"
	gamenet "lanarena/net"
	"lanarena/net/transport"
	"lanarena/net/view"
)

// labPair is two peers of room "lab" on one in-memory network: a behind
// an impairing link, b not.
type labPair struct {
	a, b   *gamenet.Peer
	link   *transport.Impaired
	cancel context.CancelFunc
	done   []chan struct{}
	trs    []transport.Transport
}

func newLabPair(ctx context.Context, seed uint64) (*labPair, error) {
	n := transport.NewMemNetwork()
	ctx, cancel := context.WithCancel(ctx)
	lp := &labPair{cancel: cancel}
	for i, name := range []string{"a", "b"} {
		tr, err := n.Listen(netip.AddrPortFrom(loopback, 0))
		if err != nil {
			lp.close()
			return nil, err
		}
		var t transport.Transport = tr
		if i == 0 {
			lp.link = transport.Impair(tr, transport.ImpairConfig{})
			t = lp.link
		}
		p, err := gamenet.New(gamenet.Config{Name: name, Room: "lab", Params: game.DefaultParams(), Color: -1, Seed: seed + uint64(i)}, t)
		if err != nil {
			lp.close()
			return nil, err
		}
		done := make(chan struct{})
		go func() { defer close(done); p.Run(ctx) }()
		lp.done, lp.trs = append(lp.done, done), append(lp.trs, t)
		if i == 0 {
			lp.a = p
		} else {
			lp.b = p
		}
	}
	lp.b.Join(lp.a.Addr())
	err := poll(ctx, 30*time.Second, func() bool {
		sa, sb := snapshotOf(ctx, lp.a), snapshotOf(ctx, lp.b)
		return len(sa.Peers) == 1 && len(sb.Peers) == 1
	})
	if err != nil {
		lp.close()
		return nil, fmt.Errorf("lab: the two peers never met: %w", err)
	}
	return lp, nil
}

func (lp *labPair) close() {
	lp.cancel()
	for _, d := range lp.done {
		<-d
	}
	for _, t := range lp.trs {
		t.Close()
	}
}

func snapshotOf(ctx context.Context, p *gamenet.Peer) view.Snapshot {
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	s, _ := p.Snapshot(ctx)
	return s
}

// poll checks ok every few milliseconds until it holds, ctx ends or
// timeout passes.
func poll(ctx context.Context, timeout time.Duration, ok func() bool) error {
	deadline := time.Now().Add(timeout)
	for !ok() {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if time.Now().After(deadline) {
			return errors.New("timed out")
		}
		time.Sleep(5 * time.Millisecond)
	}
	return nil
}

// ChatFigures is how long chat lines took through a lossy link.
type ChatFigures struct {
	Loss            float64
	Lines           int
	P50, Mean, Max  time.Duration
	FirstTryPercent float64 // lines that took less than the first retransmission (200 ms)
}

// LabChat sends lines chat lines, one at a time, from a clean peer to a
// peer whose link loses loss of its packets each way, and times each
// until the receiver shows it.
func LabChat(ctx context.Context, loss float64, lines int, seed uint64) (ChatFigures, error) {
	lp, err := newLabPair(ctx, seed)
	if err != nil {
		return ChatFigures{}, err
	}
	defer lp.close()
	lp.link.SetConfig(transport.ImpairConfig{Loss: loss, Seed: seed})
	f := ChatFigures{Loss: loss, Lines: lines}
	var took []time.Duration
	var sum time.Duration
	for i := range lines {
		text := fmt.Sprintf("line %d", i)
		sent := time.Now()
		lp.b.Say(text)
		err := poll(ctx, 30*time.Second, func() bool {
			chat := snapshotOf(ctx, lp.a).Chat
			return len(chat) > 0 && string(chat[len(chat)-1].Text) == text
		})
		if err != nil {
			return f, fmt.Errorf("lab: chat line %d: %w", i, err)
		}
		d := time.Since(sent)
		took, sum = append(took, d), sum+d
		if d < 200*time.Millisecond {
			f.FirstTryPercent += 100 / float64(lines)
		}
	}
	slices.Sort(took)
	f.P50, f.Mean, f.Max = took[len(took)/2], sum/time.Duration(lines), took[len(took)-1]
	return f, nil
}

// WireFigures is what a wire view made of one peer's packets behind a
// link, beside what the link did.
type WireFigures struct {
	Link                                 transport.ImpairConfig
	Packets, MarkedLost, LinkLost        int
	MarkedReordered, LinkReordered, Late int
}

// LabWire opens b's wire log, bends a's link for window, and analyses
// b's log: the packets from a marked lost, reordered and late, and what
// the link says it lost and reordered (overtaken) on the way out of a.
// The link heals for labTail before the analysis: a sends a few packets
// a second (send on change), and a loss shows only when a later packet
// comes.
func LabWire(ctx context.Context, link transport.ImpairConfig, window time.Duration) (WireFigures, error) {
	lp, err := newLabPair(ctx, link.Seed+1)
	if err != nil {
		return WireFigures{}, err
	}
	defer lp.close()
	lp.b.WireLog(true)
	time.Sleep(300 * time.Millisecond) // a clean start for the log
	before := lp.link.ImpairStats().Out
	lp.link.SetConfig(link)
	select {
	case <-time.After(window):
	case <-ctx.Done():
		return WireFigures{}, ctx.Err()
	}
	did := lp.link.ImpairStats().Out
	lp.link.SetConfig(transport.ImpairConfig{Seed: link.Seed})
	select {
	case <-time.After(labTail):
	case <-ctx.Done():
		return WireFigures{}, ctx.Err()
	}
	s := snapshotOf(ctx, lp.b)
	rtt := map[game.PlayerID]time.Duration{}
	for _, p := range s.Peers {
		rtt[p.ID] = p.RTT
	}
	an := view.AnalyzeWire(s.Wire, func(id game.PlayerID) time.Duration { return rtt[id] })
	f := WireFigures{Link: link, LinkLost: int(did.Lost - before.Lost), LinkReordered: int(did.Overtaken - before.Overtaken)}
	for _, e := range an.Events {
		if e.Dir != view.WireIn || e.Peer != lp.a.ID() {
			continue
		}
		f.Packets++
		f.MarkedLost += count(e, view.MarkLost)
		f.MarkedReordered += count(e, view.MarkReordered)
		f.Late += count(e, view.MarkLate)
	}
	return f, nil
}

func count(e view.MarkedEvent, m view.WireMark) int {
	if e.Marks&m != 0 {
		return 1
	}
	return 0
}

// labTail is how long LabWire lets a's packets through unharmed before
// it reads b's wire log.
const labTail = time.Second

// LabLinks are the links of the lab's wire-view figures.
var LabLinks = []transport.ImpairConfig{
	{},
	{Loss: 0.2, Seed: 5},
	{Reorder: 0.1, Seed: 5},
	{Delay: 30 * time.Millisecond},
	{Delay: 100 * time.Millisecond},
}

// LabLosses are the losses of the lab's chat figures.
var LabLosses = []float64{0, 0.1, 0.2, 0.3, 0.5}
