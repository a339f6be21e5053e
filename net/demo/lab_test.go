package demo

// The figures of the lab in README.md ("For teachers"), measured over the
// in-memory network with the same impairment layer as --loss and --delay:
//
//	go test -run '^$' -bench Lab -benchtime 1x ./net/demo
//
// Each benchmark is one seeded run in real time; the figures are its
// metrics.

import (
	"context"
	"fmt"
	"net/netip"
	"slices"
	"testing"
	"time"

	"lanarena/game"
	gamenet "lanarena/net"
	"lanarena/net/transport"
	"lanarena/net/view"
)

// labPair is two peers of room "lab" on one in-memory network: a behind
// an impairing link, b not. Both run until the benchmark ends.
func labPair(b *testing.B, link transport.ImpairConfig) (a, c *gamenet.Peer, imp *transport.Impaired) {
	b.Helper()
	n := transport.NewMemNetwork()
	listen := func() transport.Transport {
		tr, err := n.Listen(netip.AddrPortFrom(loopback, 0))
		if err != nil {
			b.Fatal(err)
		}
		return tr
	}
	imp = transport.Impair(listen(), transport.ImpairConfig{})
	start := func(name string, tr transport.Transport) *gamenet.Peer {
		p, err := gamenet.New(gamenet.Config{Name: name, Room: "lab", Params: game.DefaultParams(), Color: -1, Seed: 9}, tr)
		if err != nil {
			b.Fatal(err)
		}
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan struct{})
		go func() { defer close(done); p.Run(ctx) }()
		b.Cleanup(func() { cancel(); <-done; tr.Close() })
		return p
	}
	a, c = start("a", imp), start("b", listen())
	c.Join(a.Addr())
	labWait(b, "a and b meet", func() bool { return len(labSnap(b, a).Peers) == 1 && len(labSnap(b, c).Peers) == 1 })
	imp.SetConfig(link)
	return a, c, imp
}

func labSnap(b *testing.B, p *gamenet.Peer) view.Snapshot {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	s, err := p.Snapshot(ctx)
	if err != nil {
		b.Fatal(err)
	}
	return s
}

func labWait(b *testing.B, what string, ok func() bool) {
	b.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for !ok() {
		if time.Now().After(deadline) {
			b.Fatalf("never: %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// BenchmarkLabChat: how long a chat line takes from b to a when a's link
// loses packets each way: the median, the mean and the worst of 20 lines.
func BenchmarkLabChat(b *testing.B) {
	for _, loss := range []float64{0, 0.1, 0.2, 0.3, 0.5} {
		b.Run(fmt.Sprintf("loss=%.0f%%", loss*100), func(b *testing.B) {
			for b.Loop() {
				a, c, _ := labPair(b, transport.ImpairConfig{Loss: loss, Seed: 11})
				var took []time.Duration
				for i := range 20 {
					text := fmt.Sprintf("line %d", i)
					sent := time.Now()
					c.Say(text)
					labWait(b, "line delivered", func() bool {
						chat := labSnap(b, a).Chat
						return len(chat) > 0 && string(chat[len(chat)-1].Text) == text
					})
					took = append(took, time.Since(sent))
				}
				slices.Sort(took)
				var sum time.Duration
				for _, d := range took {
					sum += d
				}
				b.ReportMetric(float64(sum.Milliseconds())/float64(len(took)), "mean-ms")
				b.ReportMetric(float64(took[len(took)/2].Milliseconds()), "p50-ms")
				b.ReportMetric(float64(took[len(took)-1].Milliseconds()), "max-ms")
			}
		})
	}
}

// BenchmarkLabWire: what b's wire view makes of three seconds of a's
// packets behind a link: the share marked lost beside the share the link
// lost, and the share marked late.
func BenchmarkLabWire(b *testing.B) {
	for _, tc := range []struct {
		name string
		link transport.ImpairConfig
	}{
		{"clean", transport.ImpairConfig{}},
		{"loss=20%", transport.ImpairConfig{Loss: 0.2, Seed: 5}},
		{"delay=30ms", transport.ImpairConfig{Delay: 30 * time.Millisecond}},
		{"delay=100ms", transport.ImpairConfig{Delay: 100 * time.Millisecond}},
	} {
		b.Run(tc.name, func(b *testing.B) {
			for b.Loop() {
				a, c, imp := labPair(b, transport.ImpairConfig{})
				c.WireLog(true)
				time.Sleep(500 * time.Millisecond) // a clean start for the log
				before := imp.ImpairStats().Out
				imp.SetConfig(tc.link)
				time.Sleep(3 * time.Second)
				did := imp.ImpairStats().Out
				s := labSnap(b, c)
				rtt := map[game.PlayerID]time.Duration{}
				for _, p := range s.Peers {
					rtt[p.ID] = p.RTT
				}
				an := view.AnalyzeWire(s.Wire, func(id game.PlayerID) time.Duration { return rtt[id] })
				var in, lost, late int
				for _, e := range an.Events {
					if e.Dir != view.WireIn || e.Peer != a.ID() {
						continue
					}
					in++
					if e.Marks&view.MarkLost != 0 {
						lost++
					}
					if e.Marks&view.MarkLate != 0 {
						late++
					}
				}
				b.ReportMetric(float64(in), "packets")
				b.ReportMetric(float64(lost), "marked-lost")
				b.ReportMetric(float64(did.Lost-before.Lost), "link-lost")
				b.ReportMetric(float64(late), "marked-late")
			}
		})
	}
}
