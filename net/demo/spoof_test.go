package demo

import (
	"context"
	"net/netip"
	"testing"
	"time"

	"lanarena/game"
	gamenet "lanarena/net"
	"lanarena/net/transport"
)

func runPeer(t *testing.T, name string, joins ...netip.AddrPort) *gamenet.Peer {
	t.Helper()
	tr, err := transport.ListenUDP(netip.AddrPortFrom(loopback, 0))
	if err != nil {
		t.Fatal(err)
	}
	p, err := gamenet.New(gamenet.Config{Name: name, Room: "lab", Params: game.DefaultParams(), Color: -1}, tr)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); p.Run(ctx) }()
	t.Cleanup(func() { cancel(); <-done; tr.Close() })
	for _, a := range joins {
		p.Join(a)
	}
	return p
}

func drops(t *testing.T, p *gamenet.Peer) map[string]uint64 {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	s, err := p.Snapshot(ctx)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]uint64{}
	for _, d := range s.Drops {
		out[d.Reason] = d.Count
	}
	return out
}

// Spoof's two packets land in the target's drop counters under the
// reasons it announces: unknown-sender, then spoofed.
func TestSpoofCountsAsSpoofed(t *testing.T) {
	a := runPeer(t, "a")
	b := runPeer(t, "b", a.Addr())
	deadline := time.Now().Add(10 * time.Second)
	for {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		s, err := a.Snapshot(ctx)
		cancel()
		if err == nil && len(s.Peers) == 1 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("a and b never met")
		}
		time.Sleep(20 * time.Millisecond)
	}
	r, err := Spoof(context.Background(), a.Addr(), "lab")
	if err != nil {
		t.Fatal(err)
	}
	if r.Target != a.ID() || r.Claimed != b.ID() {
		t.Errorf("target #%x claimed #%x, want a #%x and b #%x", r.Target, r.Claimed, a.ID(), b.ID())
	}
	deadline = time.Now().Add(5 * time.Second)
	for {
		d := drops(t, a)
		if d["unknown-sender"] >= 1 && d["spoofed"] == 1 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("drops at the target %v, want unknown-sender and one spoofed", d)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
