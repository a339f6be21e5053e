package net

import (
	"net/netip"
	"testing"
	"time"

	"lanarena/game"
	"lanarena/net/transport"
	"lanarena/net/wire"
)

// tapped is one packet put on the simulated network, decoded.
type tapped struct {
	step     int
	from, to *core
	msg      wire.Message
	h        wire.Header
}

// runTapped advances n for steps ticks like advance(false), and returns
// every packet sent meanwhile, decoded, in order.
func runTapped(t *testing.T, n *simNet, steps int) []tapped {
	t.Helper()
	var out []tapped
	for range steps {
		before := len(n.queue)
		n.step++
		n.now = n.now.Add(time.Second / 15)
		for _, l := range n.cores {
			l.tick(n.now)
		}
		out = append(out, decodeQueue(t, n, before)...)
		n.deliver()
		if n.step%4 == 0 {
			before = len(n.queue)
			for _, l := range n.cores {
				l.housekeep(n.now)
			}
			out = append(out, decodeQueue(t, n, before)...)
			n.deliver()
		}
	}
	return out
}

func decodeQueue(t *testing.T, n *simNet, from int) []tapped {
	t.Helper()
	var out []tapped
	for _, pk := range n.queue[from:] {
		h, m, err := wire.Decode(pk.data)
		if err != nil {
			t.Fatalf("a peer sent an undecodable packet: %v", err)
		}
		out = append(out, tapped{step: n.step, from: n.byAddr[pk.from], to: n.byAddr[pk.to], msg: m, h: h})
	}
	return out
}

// met runs n until every peer is a member of every other.
func met(t *testing.T, n *simNet) {
	t.Helper()
	for range 100 {
		n.advance(false)
		all := true
		for _, l := range n.cores {
			all = all && len(l.members) == len(n.cores)-1
		}
		if all {
			return
		}
	}
	t.Fatal("the peers did not meet")
}

// A cycle that runs straight is sent as a keepalive about every 250 ms,
// and nothing else of the stream travels: no Pings between peers that
// probe on the stream.
func TestStraightRunnerSendsKeepalivesOnly(t *testing.T) {
	n := newSimNetWith(t, 3, 2, func(i int, c *Config) { c.Params = game.Params{Width: 250, Height: 250, TickRate: 15} })
	met(t, n)
	const steps = 150 // 10 s
	pkts := runTapped(t, n, steps)
	states, pings, other := 0, 0, 0
	a, b := n.cores[0], n.cores[1]
	for _, p := range pkts {
		if p.from != a || p.to != b {
			continue
		}
		switch p.msg.(type) {
		case *wire.State:
			states++
		case *wire.Ping, *wire.Pong:
			pings++
		case *wire.Hello:
		default:
			other++
		}
	}
	// At 15 ticks a second a keepalive leaves every 4th tick (267 ms);
	// the ready phase's end and the crash into the far wall, if any,
	// add a few.
	if states < 35 || states > 45 {
		t.Errorf("a straight runner sent %d states in 10 s, want about 37 (one per 250 ms)", states)
	}
	if pings != 0 || other != 0 {
		t.Errorf("%d pings or pongs and %d other packets beside the states", pings, other)
	}
	if m := b.members[a.p.id]; m == nil || m.rtt <= 0 && m.rttHist == nil {
		t.Errorf("no RTT measured on the stream")
	}
}

// A turn leaves at the tick it is made, and the receiver's replica has it
// after that tick's delivery; the next States carry only what is not
// acknowledged.
func TestTurnSentAtItsTickThenAcked(t *testing.T) {
	n := newSimNetWith(t, 4, 2, func(i int, c *Config) { c.Params = game.Params{Width: 250, Height: 250, TickRate: 15} })
	met(t, n)
	a, b := n.cores[0], n.cores[1]
	for a.self().Ready > 0 {
		n.advance(false)
	}
	for range 10 {
		n.advance(false)
	}
	d := (a.self().Dir + 1) % 4 // a quarter turn
	a.handle(turnEvent(d), n.now)
	pkts := runTapped(t, n, 1)
	var sent *wire.State
	for _, p := range pkts {
		if s, ok := p.msg.(*wire.State); ok && p.from == a && p.to == b {
			sent = s
		}
	}
	if sent == nil || sent.Dir != d {
		t.Fatalf("the turn's tick sent %+v to b, want a state heading %v", sent, d)
	}
	if got := b.st.Cycle(a.p.id); got.Dir != d || got.Head != a.self().Head {
		t.Fatalf("b's replica heads %v at %v, a heads %v at %v", got.Dir, got.Head, d, a.self().Head)
	}
	// b acknowledges within its ack delay; then a's States carry one
	// vertex.
	pkts = runTapped(t, n, 30)
	acked := false
	for _, p := range pkts {
		if s, ok := p.msg.(*wire.State); ok && p.from == b && p.to == a && s.Stream.Ack != 0 {
			acked = true
		}
	}
	if !acked {
		t.Fatal("b sent no acknowledgement")
	}
	if st := a.members[b.p.id].stream; st.ackVer != a.model.(*p2p).own.ver || st.vertsFor(a.self()) != 1 {
		t.Errorf("a: acknowledged change %d of %d, would send %d vertices", st.ackVer, a.model.(*p2p).own.ver, st.vertsFor(a.self()))
	}
}

// A change whose State is lost is repeated before the keepalive would
// carry it, and a bot room stays within the packet budget.
func TestLostChangeRepeatedAndBudget(t *testing.T) {
	n := newSimNet(t, 9, 4, true)
	met(t, n)
	const steps = 300 // 20 s
	pkts := runTapped(t, n, steps)
	perPair := map[[2]*core]int{}
	for _, p := range pkts {
		perPair[[2]*core{p.from, p.to}]++
	}
	// The budget is a mean over pairs: a pair whose cycles ride near each
	// other gets a State every tick meanwhile (nearCells), so one pair
	// may go over, but never above the old stream of a State every tick.
	total := 0
	for k, c := range perPair {
		total += c
		if rate := float64(c) / (steps / 15.0); rate > 15 {
			t.Errorf("%s → %s: %.1f packets/s, want ≤ 15 (a State every tick)", k[0].p.cfg.Name, k[1].p.cfg.Name, rate)
		}
	}
	if mean := float64(total) / float64(len(perPair)) / (steps / 15.0); mean > 8 {
		t.Errorf("%.1f packets/s per pair on average, want ≤ 8", mean)
	} else {
		t.Logf("%.1f packets/s per pair on average", mean)
	}
	// Now a's next change to b is lost: the following packets to b
	// repeat it until b has it.
	a, b := n.cores[0], n.cores[1]
	n.loss = 0
	lostVer := a.model.(*p2p).own.ver
	for a.model.(*p2p).own.ver == lostVer {
		n.loss = 1 // every packet of this tick, a's change included
		n.advance(false)
		n.loss = 0
	}
	want := a.model.(*p2p).own.ver
	for i := range 8 {
		n.advance(false)
		if st := a.members[b.p.id].stream; st.ackVer >= want {
			t.Logf("change acknowledged %d ticks after its loss", i+1)
			return
		}
	}
	t.Errorf("a's lost change was not repeated and acknowledged within 8 ticks")
}

// What the stream brings from the network is checked: an ack of a State
// never sent and an echo of a time never sent drop the packet, counted.
func TestStreamFieldsChecked(t *testing.T) {
	n := newSimNet(t, 5, 2, false)
	met(t, n)
	a, b := n.cores[0], n.cores[1]
	m := b.members[a.p.id]
	send := func(st wire.Stream) {
		s := ownState(a.st, a.self())
		s.Stream = st
		a.members[b.p.id].txSeq++
		pkt, err := wire.Append(nil, wire.Header{Sender: a.p.id, Seq: a.members[b.p.id].txSeq, Room: a.p.room}, s)
		if err != nil {
			t.Fatal(err)
		}
		b.handle(transport.Packet{Data: pkt, From: a.p.Addr(), At: n.now}, n.now)
	}
	send(wire.Stream{Ack: m.txSeq + 1})
	if b.drops[DropBadAck] != 1 {
		t.Errorf("an ack past what b sent: drops %v", b.drops)
	}
	send(wire.Stream{Echoed: true, Echo: b.micros(n.now) + 1000})
	if b.drops[DropBadEcho] != 1 {
		t.Errorf("an echo of a time b never sent: drops %v", b.drops)
	}
	rtts := len(m.rttHist)
	send(wire.Stream{Echoed: true, Echo: b.micros(n.now.Add(-30 * time.Millisecond)), Hold: 10_000})
	if len(m.rttHist) != rtts+1 || m.rtt != 20*time.Millisecond {
		t.Errorf("echo 30 ms old held 10 ms: RTT %v (%d samples), want 20ms", m.rtt, len(m.rttHist)-rtts)
	}
}

// A spectator sends no States: KeepAlives that acknowledge the players'
// changes and keep it from lagging.
func TestSpectatorKeepsAlive(t *testing.T) {
	n := newSimNetWith(t, 6, 2, func(i int, c *Config) { c.Bot = i == 0; c.Spectator = i == 1 })
	met(t, n)
	pkts := runTapped(t, n, 150)
	a, s := n.cores[0], n.cores[1]
	kas := 0
	for _, p := range pkts {
		if p.from != s {
			continue
		}
		switch p.msg.(type) {
		case *wire.State:
			t.Fatal("a spectator sent a state")
		case *wire.KeepAlive:
			kas++
		}
	}
	if kas < 10 {
		t.Errorf("the spectator sent %d keepalives in 10 s", kas)
	}
	if st := a.members[s.p.id].stream; !st.acked {
		t.Errorf("the spectator acknowledged nothing")
	}
	if m := a.members[s.p.id]; m.lagging || m.rtt < 0 {
		t.Errorf("the spectator lags")
	}
}

// The loss figure is taken over windows of at least 32 expected packets
// (or 10 s): at 6 packets a second, 1 lost in 32 reads 3 %, not a
// second's 1 in 6.
func TestLossWindow(t *testing.T) {
	var s netStats
	now := time.Unix(0, 0)
	seq := uint32(0)
	second := func(lost int) {
		for i := range 6 {
			seq++
			if i >= lost {
				s.heard(now, seq, 50)
			}
		}
		now = now.Add(time.Second)
		s.rates(time.Second)
	}
	second(0) // the first window measures nothing
	second(1)
	if s.loss != 0 {
		t.Fatalf("loss %.2f after one second: the window closed early", s.loss)
	}
	for range 5 {
		second(0)
	}
	if s.loss < 0.02 || s.loss > 0.04 {
		t.Errorf("1 lost in 36: loss %.3f", s.loss)
	}
	for range 12 { // a trickle: 1 packet per second, none lost
		seq++
		s.heard(now, seq, 50)
		s.rates(time.Second)
	}
	if s.loss != 0 {
		t.Errorf("loss %.3f after 10 s of a clean trickle: the window should close after 10 s", s.loss)
	}
}

// A peer-to-peer heartbeat gossips the members when they changed, or
// every 10 s; the heartbeats between carry none.
func TestHeartbeatGossipsChanges(t *testing.T) {
	n := newSimNet(t, 8, 3, true)
	met(t, n)
	pkts := runTapped(t, n, 300) // 20 s
	a, b := n.cores[0], n.cores[1]
	hellos, gossip := 0, 0
	for _, p := range pkts {
		if h, ok := p.msg.(*wire.Hello); ok && p.from == a && p.to == b {
			hellos++
			if len(h.Peers) > 0 {
				gossip++
			}
		}
	}
	if hellos < 8 || gossip < 1 || gossip > 3 {
		t.Errorf("%d heartbeats in 20 s, %d of them with members; want about 10, 2", hellos, gossip)
	}
	// A member leaves: the next heartbeat says who is left.
	c := n.cores[2]
	n.cores = n.cores[:2]
	delete(n.byAddr, c.p.Addr()) // c is gone for good
	a.removeMember(c.p.id)
	for range 40 {
		for _, p := range runTapped(t, n, 1) {
			if h, ok := p.msg.(*wire.Hello); ok && p.from == a && p.to == b {
				if len(h.Peers) != 1 || h.Peers[0].ID != b.p.id {
					t.Fatalf("a's heartbeat after c left gossips %v, want b alone", h.Peers)
				}
				return
			}
		}
	}
	t.Error("no heartbeat in 40 ticks")
}

// States leave only from the tick handler, right after the step: never
// while a packet is handled nor at housekeeping, so that a receiver can
// take their arrivals for the owner's tick instants.
func TestStatesLeaveOnlyAtTicks(t *testing.T) {
	n := newSimNet(t, 10, 4, true)
	n.loss, n.maxDelay = 0.2, 3 // losses bring repeats and repairs
	ticking, states := false, 0
	n.onSend = func(from netip.AddrPort, b []byte) {
		if h, err := wire.PeekHeader(b); err == nil && h.Type == wire.TypeState {
			states++
			if !ticking {
				t.Fatalf("step %d: %v sent a state outside its tick", n.step, from)
			}
		}
	}
	for range 300 {
		n.step++
		n.now = n.now.Add(time.Second / 15)
		ticking = true
		for _, l := range n.cores {
			l.tick(n.now)
		}
		ticking = false
		n.deliver()
		if n.step%4 == 0 {
			for _, l := range n.cores {
				l.housekeep(n.now)
			}
			n.deliver()
		}
	}
	if states < 300 {
		t.Errorf("%d states in 300 ticks of 4 bots", states)
	}
}

// FuzzStream feeds a member's State and KeepAlive any stream extension
// values: the receiver never panics, never takes a negative or absurd
// RTT, and drops exactly the acks past what it sent and the echoes of
// times it never sent.
func FuzzStream(f *testing.F) {
	f.Add(uint32(1), true, uint32(0), true, uint32(0), uint32(0), false)
	f.Add(^uint32(0), false, uint32(5), true, ^uint32(0), ^uint32(0), true)
	f.Add(uint32(0), true, ^uint32(0), true, uint32(1000), uint32(2000), true)
	n := newSimNet(f, 11, 2, true)
	for range 40 {
		n.advance(false)
	}
	a, b := n.cores[0], n.cores[1]
	f.Fuzz(func(t *testing.T, ack uint32, probe bool, tm uint32, echoed bool, echo, hold uint32, keepalive bool) {
		m := b.members[a.p.id]
		if m == nil {
			t.Skip("not met")
		}
		st := wire.Stream{Ack: ack, Probe: probe, Time: tm, Echoed: echoed, Echo: echo, Hold: hold}
		var msg wire.Message = &wire.KeepAlive{Stream: st}
		if !keepalive {
			s := ownState(a.st, a.self())
			s.Stream = st
			msg = s
		}
		a.members[b.p.id].txSeq++
		pkt, err := wire.Append(nil, wire.Header{Sender: a.p.id, Seq: a.members[b.p.id].txSeq, Room: a.p.room}, msg)
		if err != nil {
			t.Fatal(err)
		}
		bad, echoes := b.drops[DropBadAck], b.drops[DropBadEcho]
		n.now = n.now.Add(10 * time.Millisecond) // under the source's rate limit
		b.handle(transport.Packet{Data: pkt, From: a.p.Addr(), At: n.now}, n.now)
		age := time.Duration(b.micros(n.now)-echo) * time.Microsecond
		wantBadAck := ack > m.txSeq
		wantBadEcho := !wantBadAck && echoed && age > maxEchoAge
		if got := b.drops[DropBadAck] - bad; got != map[bool]uint64{true: 1}[wantBadAck] {
			t.Errorf("ack %d (sent up to %d): %d bad-ack drops", ack, m.txSeq, got)
		}
		if got := b.drops[DropBadEcho] - echoes; got != map[bool]uint64{true: 1}[wantBadEcho] {
			t.Errorf("echo aged %v: %d bad-echo drops", age, got)
		}
		if m.rtt < 0 || m.rtt > maxEchoAge {
			t.Errorf("RTT %v", m.rtt)
		}
	})
}

// A member whose cycle rides near the own one gets a State every tick, so
// that neither can ride through the other's newest wall; a far one gets
// nothing between keepalives.
func TestNearCycleGetsEveryTick(t *testing.T) {
	const period = time.Second / 15
	now := time.Unix(100, 0)
	var o owned
	o.note(&wire.State{Alive: true, Life: 1, VertTotal: 1})
	m := &member{}
	m.stream.everSent, m.stream.sentVer, m.stream.ackVer = true, o.ver, o.ver
	m.stream.lastOut = now.Add(-period)
	if o.stateDue(m, now, period, false) {
		t.Fatalf("a far member got a State a tick after the last one")
	}
	if !o.stateDue(m, now, period, true) {
		t.Fatalf("a near member got no State a tick after the last one")
	}
	own := &game.Cycle{Alive: true, Head: game.Point{X: 20, Y: 20}}
	for _, tc := range []struct {
		at    game.Point
		alive bool
		want  bool
	}{
		{game.Point{X: 20 + nearCells, Y: 20 - nearCells}, true, true},
		{game.Point{X: 20 - nearCells - 1, Y: 20}, true, false},
		{game.Point{X: 20, Y: 20 + nearCells + 1}, true, false},
		{game.Point{X: 21, Y: 20}, false, false},
	} {
		other := &game.Cycle{Alive: tc.alive, Head: tc.at}
		if got := near(own, other); got != tc.want {
			t.Errorf("near(head %v, alive %v at %v) = %v, want %v", own.Head, tc.alive, tc.at, got, tc.want)
		}
	}
	if near(own, nil) || near(nil, own) {
		t.Errorf("a missing cycle is near")
	}
}
