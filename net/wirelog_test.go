package net

import (
	"net/netip"
	"testing"
	"time"

	"lanarena/game"
	"lanarena/net/transport"
	"lanarena/net/view"
	"lanarena/net/wire"
)

// wireCore is a core with one member, id 2 at from, that pings it.
func wireCore(tb testing.TB) (*core, netip.AddrPort, func(seq uint32, at time.Time, msg wire.Message) transport.Packet) {
	from := netip.MustParseAddrPort("10.0.0.2:4000")
	p, err := New(Config{Name: "p1", Color: -1, Room: benchRoom, Params: game.DefaultParams(), ID: 1, Seed: 1},
		benchDiscard{netip.MustParseAddrPort("10.0.0.1:4000")})
	if err != nil {
		tb.Fatal(err)
	}
	now := time.Now()
	l, err := newCore(p, now)
	if err != nil {
		tb.Fatal(err)
	}
	pkt := func(seq uint32, at time.Time, msg wire.Message) transport.Packet {
		data, err := wire.Append(nil, wire.Header{Sender: 2, Seq: seq, Room: wire.RoomTag(benchRoom)}, msg)
		if err != nil {
			tb.Fatal(err)
		}
		return transport.Packet{Data: data, From: from, At: at}
	}
	l.handle(pkt(1, now, &wire.HelloProof{Cookie: l.cookies.make(from, now), // the handshake's last step
		Hello: wire.Hello{Params: game.DefaultParams(), Name: "p2", Room: benchRoom}}), now)
	if l.members[2] == nil {
		tb.Fatalf("member not admitted: drops %v", l.drops)
	}
	return l, from, pkt
}

func setWireLog(l *core, on bool) {
	l.p.WireLog(on)
	l.syncWireLog()
}

// Recording adds no allocation per packet, closed or open: the closed log
// records nothing, the open one writes into its fixed ring.
func TestWireLogAllocatesNothingPerPacket(t *testing.T) {
	l, _, pkt := wireCore(t)
	pkts := make([]transport.Packet, 400)
	for i := range pkts {
		pkts[i] = pkt(uint32(i+2), time.Time{}, &wire.Ping{Nonce: uint64(i)})
	}
	i := 0
	at := time.Now()
	run := func() {
		at = at.Add(20 * time.Millisecond) // within the source's rate
		pkts[i].At = at
		l.handle(pkts[i], at)
		i++
	}
	off := testing.AllocsPerRun(100, run)
	setWireLog(l, true)
	on := testing.AllocsPerRun(100, run)
	if on > off {
		t.Errorf("allocations per packet: %v with the wire log open, %v closed", on, off)
	}
	w := l.wireSnapshot()
	if w == nil || len(w.Events) != 2*101 { // a ping in and a pong out each, AllocsPerRun runs once more
		t.Fatalf("wire log: %v events, want %d", w, 2*101)
	}
	setWireLog(l, false)
	if l.wireSnapshot() != nil {
		t.Error("a closed wire log still published")
	}
}

// The ring keeps the newest wireRingLen events, oldest first, and a drop
// is written on the packet it dropped.
func TestWireLogRingAndDrops(t *testing.T) {
	l, _, pkt := wireCore(t)
	setWireLog(l, true)
	at := time.Now()
	n := wireRingLen/2 + 10
	for i := range n {
		at = at.Add(20 * time.Millisecond)
		l.handle(pkt(uint32(i+2), at, &wire.Ping{Nonce: uint64(i)}), at)
	}
	at = at.Add(20 * time.Millisecond)
	l.handle(pkt(3, at, &wire.State{Tick: 1, Life: 9, Alive: true, Head: game.Point{X: 1, Y: 1}}), at) // an old number, after higher ones
	w := l.wireSnapshot()
	if len(w.Events) != wireRingLen {
		t.Fatalf("%d events, want %d", len(w.Events), wireRingLen)
	}
	for i := 1; i < len(w.Events); i++ {
		if w.Events[i].At.Before(w.Events[i-1].At) {
			t.Fatalf("event %d before event %d", i, i-1)
		}
	}
	last := w.Events[len(w.Events)-1]
	if last.Dir != view.WireIn || last.Type != wire.TypeState || last.Seq != 3 || last.Tick != 1 || last.Peer != 2 {
		t.Errorf("last event %+v, want the state in", last)
	}
	l.handle(transport.Packet{Data: []byte("junk"), From: netip.MustParseAddrPort("10.9.9.9:1"), At: at}, at)
	w = l.wireSnapshot()
	junk := w.Events[len(w.Events)-1]
	if junk.Type != 0 || junk.Peer != 0 || junk.Reason == "" {
		t.Errorf("junk recorded as %+v, want a drop with a reason and no sender", junk)
	}
}

// BenchmarkWireLog is a member's ping taken and answered, with the wire
// log closed and open: the same allocations either way (-benchmem).
func BenchmarkWireLog(b *testing.B) {
	for _, on := range []bool{false, true} {
		name := "closed"
		if on {
			name = "open"
		}
		b.Run(name, func(b *testing.B) {
			l, _, pkt := wireCore(b)
			setWireLog(l, on)
			const ring = 4096
			pkts := make([]transport.Packet, ring)
			for i := range pkts {
				pkts[i] = pkt(uint32(i+2), time.Time{}, &wire.Ping{Nonce: uint64(i)})
			}
			at := time.Now()
			i := 0
			b.ReportAllocs()
			for b.Loop() {
				if i == ring {
					i = 0
				}
				at = at.Add(20 * time.Millisecond)
				pkts[i].At = at
				l.handle(pkts[i], at)
				i++
			}
		})
	}
}

// What the wire view marks as lost and reordered is what the impairment
// layer did: a seeded run over the in-memory network where a's every
// packet passes an impairing link, read from b's wire log alone.
func TestWireViewMarksWhatTheLinkDid(t *testing.T) {
	mk := memFactory()
	ia := transport.Impair(mk(t), transport.ImpairConfig{})
	a := startPeer(t, ia, Config{Name: "a", ID: 10, Seed: 1, Bot: true}) // a bot turns: more packets
	b := startPeer(t, mk(t), Config{Name: "b", ID: 20, Seed: 2})
	b.Join(a.Addr())
	eventually(t, 10*time.Second, "a and b see each other", func() bool { return sees(t, a.Peer, 20) && sees(t, b.Peer, 10) })
	// Opened once both count each other as members: before that, a's
	// hellos are numbered from another run.
	b.WireLog(true)
	eventually(t, 5*time.Second, "b records a's packets", func() bool {
		w := snap(t, b.Peer).Wire
		return w != nil && len(w.Events) > 10
	})
	// A sends on change: a few packets a second, so the link is harsh.
	ia.SetConfig(transport.ImpairConfig{Loss: 0.3, Reorder: 0.3, Seed: 42})
	eventually(t, 40*time.Second, "the link loses and reorders", func() bool {
		s := ia.ImpairStats().Out
		return s.Lost >= 15 && s.Overtaken >= 5
	})
	ia.SetConfig(transport.ImpairConfig{Seed: 42})
	did := ia.ImpairStats().Out
	healed := time.Now()
	eventually(t, 5*time.Second, "a's packets arrive again", func() bool {
		w := snap(t, b.Peer).Wire
		return len(w.Events) > 0 && w.Events[len(w.Events)-1].At.Sub(healed) > 300*time.Millisecond
	})
	s := snap(t, b.Peer)
	rtt := func(game.PlayerID) time.Duration { return 0 }
	an := view.AnalyzeWire(s.Wire, rtt)
	lost, reordered := 0, 0
	for _, e := range an.Events {
		if e.Dir != view.WireIn || e.Peer != 10 {
			continue
		}
		if e.Marks&view.MarkLost != 0 {
			lost++
		}
		if e.Marks&view.MarkReordered != 0 {
			reordered++
		}
	}
	if lost != int(did.Lost) {
		t.Errorf("wire view marks %d of a's packets lost, the link lost %d", lost, did.Lost)
	}
	// A packet held back for reordering that nothing overtook (a sends a
	// few packets a second) went on alone, in order: not reordered.
	if reordered != int(did.Overtaken) {
		t.Errorf("wire view marks %d of a's packets reordered, the link reordered %d", reordered, did.Overtaken)
	}
	t.Logf("link: lost %d held %d overtaken %d; wire view: lost %d reordered %d", did.Lost, did.Reordered, did.Overtaken, lost, reordered)
}
