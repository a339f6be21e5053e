package net

import (
	"context"
	"lanarena/game"
	"lanarena/net/transport"
	"lanarena/net/wire"
	"net/netip"
	"slices"
	"testing"
	"time"
)

// TestServerModeReplicasFollowNewHostSoon: when the host dies, the
// remaining client's replicas agree with the new host's within 8 s.
func TestServerModeReplicasFollowNewHostSoon(t *testing.T) {
	n, host, clients := serverSim(t, 3)
	for range 15 * 30 {
		n.advance(false)
	}
	delete(n.byAddr, host.p.Addr())
	n.cores = []*core{clients[0], clients[1]}
	newHost, other := clients[0], clients[1]
	for i := range 15 * 300 {
		n.advanceInOrder([]*core{other, newHost})
		ok := newHost.server().hosting()
		for _, id := range newHost.st.IDs() {
			a, b := newHost.st.Cycle(id), other.st.Cycle(id)
			if b == nil || a.Head != b.Head || a.Life != b.Life {
				ok = false
			}
		}
		if ok {
			t.Logf("other's replicas follow the new host %.1f s after the old host died", float64(i+1)/15)
			if i > 15*8 {
				t.Errorf("frozen for %.1f s after failover", float64(i+1)/15)
			}
			return
		}
	}
	t.Errorf("frozen for more than 300 s")
}

// TestSourcesStayBoundedUnderFlood: junk from tens of thousands of source
// addresses is tracked in at most maxSources entries plus one shared
// overflow source.
func TestSourcesStayBoundedUnderFlood(t *testing.T) {
	p, err := New(Config{Name: "x", Color: -1, Room: "r", Params: game.DefaultParams(), ID: 1}, benchDiscard{})
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	l, err := newCore(p, now)
	if err != nil {
		t.Fatal(err)
	}
	junk := []byte("garbage!")
	for _, n := range []int{4000, 20000, 40000} {
		clear(l.sources)
		start := time.Now()
		for i := range n {
			a := netip.AddrFrom4([4]byte{10, byte(i >> 16), byte(i >> 8), byte(i)})
			l.handle(transport.Packet{Data: junk, From: netip.AddrPortFrom(a, 9), At: now}, now)
		}
		took := time.Since(start)
		t.Logf("%6d junk packets from distinct sources: %v, sources %d", n, took, len(l.sources))
		if len(l.sources) > maxSources {
			t.Errorf("%d sources remembered, limit %d", len(l.sources), maxSources)
		}
		if l.overflow == nil && n > maxSources {
			t.Errorf("%d sources and no shared overflow source", n)
		}
	}
}

// TestHostReportsLongNamesThatClash: a name that fits a Hello still fits
// the host's CycleState when clashing names get a "#xxxx" suffix.
func TestHostReportsLongNamesThatClash(t *testing.T) {
	name := "🐉🐉🐉🐉🐉🐉🐉🐉🐉🐉🐉🐉🐉🐉🐉🐉" // 64 bytes; shown with a "#1a2b" suffix, 69
	n := newSimNetWith(t, 3, 3, func(i int, c *Config) { c.Mode, c.Name, c.Bot = ModeServer, name, true })
	for range 15 * 5 {
		n.advance(false)
	}
	for _, l := range n.cores {
		if l.st.Len() != 3 {
			t.Errorf("%d: sees %d cycles, want 3", l.p.id, l.st.Len())
		}
	}
}

// TestServerModeSpectatorSendsNoMoveRequests: a spectating client asks
// the host for nothing, and the host drops nothing as not-host.
func TestServerModeSpectatorSendsNoMoveRequests(t *testing.T) {
	n := newSimNetWith(t, 3, 3, func(i int, c *Config) { c.Mode = ModeServer; c.Spectator = i == 2 })
	for range 15 * 10 {
		n.advance(false)
	}
	host := n.cores[0]
	if !host.server().hosting() || host.drops[DropNotHost] != 0 || n.cores[2].server().req != 0 {
		t.Errorf("host hosting %v; not-host drops at host: %d; spectator requests %d, want none", host.server().hosting(), host.drops[DropNotHost], n.cores[2].server().req)
	}
}

type oneWayCut struct {
	transport.Transport
	cut netip.AddrPort
	on  bool
}

func (o *oneWayCut) WriteTo(b []byte, to netip.AddrPort) error {
	if o.on && to == o.cut {
		return nil
	}
	return o.Transport.WriteTo(b, to)
}

// TestChatResumesAfterOneWayOutage: a one-way outage B->A for 11 s: A
// times B out and tells B (A->B still works), so that neither keeps a
// one-sided membership; once healed they meet afresh and chat flows both
// ways.
func TestChatResumesAfterOneWayOutage(t *testing.T) {
	n := newSimNet(t, 9, 2, false)
	for range 30 {
		n.advance(false)
	}
	a, b := n.cores[0], n.cores[1]
	b.say("warm", n.now)
	a.say("warm", n.now)
	for range 15 {
		n.advance(false)
	}
	cut := &oneWayCut{Transport: b.p.tr, cut: a.p.Addr(), on: true}
	b.p.tr = cut
	for range 15 * 11 {
		n.advance(false)
	}
	if a.members[b.p.id] != nil || b.members[a.p.id] != nil {
		t.Fatalf("after the outage: a knows b %v, b knows a %v; want neither (a's leave tells b)", a.members[b.p.id] != nil, b.members[a.p.id] != nil)
	}
	cut.on = false
	for range 30 {
		n.advance(false)
	}
	t.Logf("healed: a knows b %v, b knows a %v", a.members[b.p.id] != nil, b.members[a.p.id] != nil)
	b.say("from b", n.now)
	a.say("from a", n.now)
	for range 15 * 10 {
		n.advance(false)
	}
	last := func(l *core) game.Text { return l.chatLines[len(l.chatLines)-1].Text }
	if got := last(a); got != "from b" {
		t.Errorf("a's last line %q, want %q", got, "from b")
	}
	if got := last(b); got != "from a" {
		t.Errorf("b's last line %q, want %q (a: bad-ack %d)", got, "from a", a.drops[DropBadAck])
	}
}

// TestPeersMeetAgainAfterOutageWithoutMDNS: two peers met through --join
// (no mDNS) time each other out in a 12 s outage both ways, and meet again
// once the network is back.
func TestPeersMeetAgainAfterOutageWithoutMDNS(t *testing.T) {
	n := newSimNet(t, 9, 2, false)
	for range 30 {
		n.advance(false)
	}
	a, b := n.cores[0], n.cores[1]
	n.loss = 1
	for range 15 * 12 {
		n.advance(false)
	}
	t.Logf("after outage: a knows b %v, b knows a %v; candidates a %d b %d", a.members[b.p.id] != nil, b.members[a.p.id] != nil, len(a.candidates), len(b.candidates))
	n.loss = 0
	for range 15 * 60 {
		n.advance(false)
	}
	t.Logf("60 s after healing: a knows b %v, b knows a %v", a.members[b.p.id] != nil, b.members[a.p.id] != nil)
	if a.members[b.p.id] == nil || b.members[a.p.id] == nil {
		t.Errorf("peers joined with --join never meet again after an outage")
	}
}

// TestServerModeLateJoinerLearnsEarlierDeaths: a client that joins late
// learns, from the players' hellos, the ledgers of deaths before it came.
func TestServerModeLateJoinerLearnsEarlierDeaths(t *testing.T) {
	n := newSimNetMode(t, 4, 4, true, ModeServer)
	late := n.cores[3]
	n.cores = n.cores[:3]
	delete(n.byAddr, late.p.Addr())

	for range 15 * 60 {
		n.advance(false)
	}
	host := n.cores[0]
	n.cores = append(n.cores, late)
	n.byAddr[late.p.Addr()] = late
	late.server().since = n.now
	delete(late.candidates, host.p.Addr())
	late.addCandidate(host.p.Addr(), true, n.now)
	for range 15 * 10 {
		n.advance(false)
	}
	t.Logf("late: host %d hosting %v members %d cycles %v; host hosting %v members %d; late drops %v", late.server().host, late.server().hosting(), len(late.members), late.st.IDs(), host.server().hosting(), len(host.members), late.drops)
	for _, id := range host.st.IDs() {
		hc, lc := host.st.Cycle(id), late.st.Cycle(id)
		if lc == nil {
			t.Errorf("late joiner has no cycle %d", id)
			continue
		}
		if !slices.Equal(hc.KilledBy, lc.KilledBy) {
			t.Errorf("cycle %s: host ledger %v, late joiner's %v (deaths %d/%d)", hc.Name, hc.KilledBy, lc.KilledBy, hc.Deaths, lc.Deaths)
		}
	}
}

// TestServerModeClientAcceptsNewHostsReports: after a failover, a client
// that stayed applies the new host's CycleStates, which are numbered by
// the new host's own run of sequence numbers.
func TestServerModeClientAcceptsNewHostsReports(t *testing.T) {
	n, host, clients := serverSim(t, 3)
	for range 15 * 30 { // the first host hosts 30 s
		n.advance(false)
	}
	delete(n.byAddr, host.p.Addr())
	var alive []*core
	for _, l := range n.cores {
		if l != host {
			alive = append(alive, l)
		}
	}
	n.cores = alive
	for range 15 * 6 {
		n.advance(false)
	}
	newHost, other := clients[0], clients[1]
	if !newHost.server().hosting() {
		t.Fatalf("no takeover")
	}
	mismatch := 0
	for range 15 * 5 {
		n.advanceInOrder([]*core{other, newHost})
		for _, id := range newHost.st.IDs() {
			if newHost.st.CycleDigest(id) != other.st.CycleDigest(id) {
				mismatch++
			}
		}
	}
	t.Logf("other: host %d (want %d), drops %v, members %d", other.server().host, newHost.p.id, other.drops, len(other.members))
	for _, id := range newHost.st.IDs() {
		a, b := newHost.st.Cycle(id), other.st.Cycle(id)
		t.Logf("%+v\n%+v", *a, *b)
		t.Logf("cycle %d: host life %d head %v alive %v trail %d | other life %d head %v alive %v trail %d", id, a.Life, a.Head, a.Alive, a.TrailLen(), b.Life, b.Head, b.Alive, b.TrailLen())
	}
	t.Logf("mismatching cycle-ticks in 5 s after failover: %d of %d", mismatch, 15*5*newHost.st.Len())
	if mismatch > 15*newHost.st.Len() {
		t.Errorf("client %s's replicas stay frozen after failover", other.p.cfg.Name)
	}
}

// TestServerModeHostReportsPassRateLimit: with 12 players at 15 ticks/s
// the host sends each client more than perAddrRate packets a second, and
// none of them is dropped by the client's rate limit.
func TestServerModeHostReportsPassRateLimit(t *testing.T) {
	n := newSimNetMode(t, 3, 12, true, ModeServer)
	for range 15 * 10 {
		n.advance(false)
	}
	for _, l := range n.cores[1:3] {
		t.Logf("%s: rate-limit drops %d, stale %d", l.p.cfg.Name, l.drops[DropRateLimit], l.drops[DropStale])
		if l.drops[DropRateLimit] > 0 {
			t.Errorf("%s drops the host's packets: rate-limit %d", l.p.cfg.Name, l.drops[DropRateLimit])
		}
	}
}

// TestChatResumesAfterOneSidedRemoval: when one side forgets the other
// (a timeout) while the other does not, chat between them flows again.
func TestChatResumesAfterOneSidedRemoval(t *testing.T) {
	n := newSimNet(t, 9, 2, false)
	for range 30 {
		n.advance(false)
	}
	a, b := n.cores[0], n.cores[1]
	for i := range 3 {
		b.say("warmup", n.now)
		a.say("warmup", n.now)
		_ = i
		n.advance(false)
	}
	a.dropMember(a.members[b.p.id], n.now) // a timed b out (b's packets lost); b still has a until a's leave
	for range 30 {
		n.advance(false)
	}
	if a.members[b.p.id] == nil {
		t.Fatal("a did not meet b again")
	}
	b.say("from b", n.now)
	a.say("from a", n.now)
	for range 15 * 10 {
		n.advance(false)
	}
	last := func(l *core) game.Text { return l.chatLines[len(l.chatLines)-1].Text }
	if got := last(a); got != "from b" {
		t.Errorf("a's last line %q, want %q (pending %v)", got, "from b", a.members[b.p.id].chat.pending)
	}
	if got := last(b); got != "from a" {
		t.Errorf("b's last line %q, want %q; bad-ack drops at a: %d, unacked at a: %d", got, "from a", a.drops[DropBadAck], len(a.members[b.p.id].chat.unacked))
	}
}

// TestNodeErrAfterTransportCloses: Node.Err reports the loop's error once
// Done is closed, without a data race.
func TestNodeErrAfterTransportCloses(t *testing.T) {
	for range 20 {
		nd, err := StartNode(context.Background(), NodeConfig{Peer: Config{Room: "r", Params: game.DefaultParams(), Color: -1}})
		if err != nil {
			t.Fatal(err)
		}
		nd.tr.Close() // transport closes: Run returns an error
		<-nd.Peer.Done()
		if nd.Err() == nil {
			t.Errorf("Err is nil after the transport closed under the loop")
		}
		nd.Close()
	}
}

// TestServerModeRetransmitKeepsTurn: a client's retransmitted MoveReq
// carries the same turn as the first, so that no turn is lost.
func TestServerModeRetransmitKeepsTurn(t *testing.T) {
	n := newSimNetMode(t, 3, 2, false, ModeServer)
	for range 60 {
		n.advance(false)
	}
	host, c := n.cores[0], n.cores[1]
	if !host.server().hosting() {
		t.Fatal("no host")
	}
	// wait until alive and no outstanding request
	for i := 0; i < 200; i++ {
		n.advance(false)
		if cy := c.self(); cy != nil && cy.Alive && cy.Dir == game.Up && host.st.Cycle(c.p.id).Alive {
			break
		}
	}
	cy := c.self()
	if cy == nil || !cy.Alive {
		t.Fatal("the client's cycle never came alive heading up")
	}
	d0 := cy.Dir
	r1 := (d0 + 1) % 4 // a right-angle turn
	r2 := d0           // and back: two valid turns in a row
	c.server().queue = []game.Dir{r1, r2}
	c.server().outstanding = false
	// client sends a new request carrying r1
	n.step++
	n.now = n.now.Add(time.Second / 15)
	c.server().clientTick(n.now)
	req := c.server().req
	t.Logf("queue %v dir %v req %d outstanding %v", c.server().queue, d0, c.server().req, c.server().outstanding)
	n.deliver() // host moves now or on its next tick
	hc := host.server().clients[c.p.id]
	t.Logf("host: pending %+v lastReq %d host dir %v", hc.pending, hc.lastReq, host.st.Cycle(c.p.id).Dir)
	host.server().hostTick(n.now)
	t.Logf("host after tick: pending %+v lastReq %d host dir %v", hc.pending, hc.lastReq, host.st.Cycle(c.p.id).Dir)
	// lose the MoveAck to the client, keep the rest
	var keep []simPacket
	for _, pk := range n.queue {
		if pk.to == c.p.Addr() {
			if _, m, err := wire.Decode(pk.data); err == nil {
				if _, ok := m.(*wire.MoveAck); ok {
					continue
				}
			}
		}
		keep = append(keep, pk)
	}
	n.queue = keep
	n.deliver()
	if c.self().Dir != r1 {
		t.Fatalf("client sees dir %v, want %v", c.self().Dir, r1)
	}
	// retransmission after the rto
	n.now = n.now.Add(time.Second)
	c.server().clientTick(n.now)
	if c.server().req != req {
		t.Fatalf("not a retransmission")
	}
	n.deliver()
	t.Logf("queue after the ack: %v (want [%v])", c.server().queue, r2)
	queued := len(c.server().queue) == 1 && c.server().queue[0] == r2
	asked := c.server().outstanding && c.server().cur.Turn && c.server().cur.Dir == r2
	if !queued && !asked {
		t.Errorf("turn %v lost: queue %v, request %+v", r2, c.server().queue, c.server().cur)
	}
}

var _ = netip.AddrPort{}
var _ transport.Packet
