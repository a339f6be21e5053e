package net

import (
	"fmt"
	"hash/fnv"
	"math/rand/v2"
	"net/netip"
	"slices"
	"testing"
	"time"

	"lanarena/game"
	"lanarena/net/transport"
)

// simNet is a seeded in-memory network for replication tests: the peers'
// production cores (newCore) are driven on one fake clock, through the
// same entry points as Peer.Run's driver (handle, tick, housekeep), and
// the network drops, duplicates, delays and so reorders packets from a
// seeded source. No goroutines.
type simNet struct {
	rng      *rand.Rand
	now      time.Time
	step     int
	loss     float64
	dup      float64
	maxDelay int // in steps; random delays reorder packets
	delayAll int // in steps, added to every packet
	queue    []simPacket
	cores    []*core
	byAddr   map[netip.AddrPort]*core
	sent     int
	dropped  int
	seed     uint64
	links    map[[2]netip.AddrPort]*rand.Rand
	onSend   func(from netip.AddrPort, b []byte) // when set, sees every packet sent
}

func (n *simNet) linkRNG(from, to netip.AddrPort) *rand.Rand {
	k := [2]netip.AddrPort{from, to}
	r := n.links[k]
	if r == nil {
		h := fnv.New64a()
		h.Write([]byte(from.String() + ">" + to.String()))
		r = rand.New(rand.NewPCG(n.seed, h.Sum64()))
		n.links[k] = r
	}
	return r
}

type simPacket struct {
	from, to netip.AddrPort
	data     []byte
	due      int
}

type simTransport struct {
	net  *simNet
	addr netip.AddrPort
	ch   chan transport.Packet
}

func (t *simTransport) WriteTo(b []byte, to netip.AddrPort) error {
	t.net.enqueue(t.addr, to, b)
	return nil
}
func (t *simTransport) Packets() <-chan transport.Packet { return t.ch }
func (t *simTransport) LocalAddr() netip.AddrPort        { return t.addr }
func (t *simTransport) Close() error                     { return nil }

func (n *simNet) enqueue(from, to netip.AddrPort, b []byte) {
	n.sent++
	if n.onSend != nil {
		n.onSend(from, b)
	}
	rng := n.linkRNG(from, to)
	copies := 1
	if rng.Float64() < n.dup {
		copies = 2
	}
	for range copies {
		if rng.Float64() < n.loss {
			n.dropped++
			continue
		}
		delay := 0
		if n.maxDelay > 0 {
			delay = rng.IntN(n.maxDelay + 1)
		}
		n.queue = append(n.queue, simPacket{from: from, to: to, data: slices.Clone(b), due: n.step + n.delayAll + delay})
	}
}

func newSimNet(t testing.TB, seed uint64, peers int, bots bool) *simNet {
	return newSimNetMode(t, seed, peers, bots, ModeP2P)
}

func newSimNetMode(t testing.TB, seed uint64, peers int, bots bool, mode Mode) *simNet {
	return newSimNetWith(t, seed, peers, func(i int, c *Config) { c.Bot, c.Mode = bots, mode })
}

// newSimNetWith builds peers whose configuration tune adjusts.
func newSimNetWith(t testing.TB, seed uint64, peers int, tune func(i int, c *Config)) *simNet {
	t.Helper()
	n := &simNet{
		rng:    rand.New(rand.NewPCG(seed, 7)),
		now:    time.Unix(1_700_000_000, 0),
		byAddr: map[netip.AddrPort]*core{},
		seed:   seed,
		links:  map[[2]netip.AddrPort]*rand.Rand{},
	}
	params := game.DefaultParams()
	for i := range peers {
		addr := netip.AddrPortFrom(netip.AddrFrom4([4]byte{10, 0, 0, byte(i + 1)}), 4000)
		tr := &simTransport{net: n, addr: addr, ch: make(chan transport.Packet)}
		cfg := Config{
			Name:   fmt.Sprintf("p%d", i),
			Color:  -1,
			Room:   "sim",
			Params: params,
			Seed:   seed*100 + uint64(i) + 1,
			ID:     game.PlayerID(1000 + i),
		}
		tune(i, &cfg)
		p, err := New(cfg, tr)
		if err != nil {
			t.Fatal(err)
		}
		l, err := newCore(p, n.now)
		if err != nil {
			t.Fatal(err)
		}
		n.cores = append(n.cores, l)
		n.byAddr[addr] = l
	}
	// Everybody knows the first peer's address, as with --join.
	for _, l := range n.cores[1:] {
		l.handle(candidateMsg{addr: n.cores[0].p.Addr(), permanent: true}, n.now)
	}
	return n
}

// deliver hands every due packet to its destination, in queue order.
func (n *simNet) deliver() {
	var later []simPacket
	for len(n.queue) > 0 {
		q := n.queue
		n.queue = nil
		for _, pk := range q {
			if pk.due > n.step {
				later = append(later, pk)
				continue
			}
			if l := n.byAddr[pk.to]; l != nil {
				l.handle(transport.Packet{Data: pk.data, From: pk.from, At: n.now}, n.now)
			}
		}
	}
	n.queue = later
}

// advance runs one tick of every loop; with frozen set, owners send their
// state but do not move, so that convergence can be checked exactly.
func (n *simNet) advance(frozen bool) {
	n.step++
	n.now = n.now.Add(time.Second / 15)
	for _, l := range n.cores {
		if frozen {
			// The send-on-change rules as a tick applies them, without
			// the step.
			l.now = n.now
			if p, ok := l.model.(*p2p); ok {
				p.send(n.now, false)
			} else {
				l.broadcast()
			}
		} else {
			l.tick(n.now)
		}
	}
	n.deliver()
	if n.step%4 == 0 {
		for _, l := range n.cores {
			l.housekeep(n.now)
		}
		n.deliver()
	}
}

// divergence lists every replica that differs from its owner's state.
func (n *simNet) divergence() []string {
	var out []string
	for _, owner := range n.cores {
		want := owner.st.CycleDigest(owner.p.id)
		wantScore := score(owner.self())
		for _, l := range n.cores {
			if l == owner {
				continue
			}
			c := l.st.Cycle(owner.p.id)
			if c == nil {
				out = append(out, fmt.Sprintf("%s has no replica of %s", l.p.cfg.Name, owner.p.cfg.Name))
				continue
			}
			if got := l.st.CycleDigest(owner.p.id); got != want {
				out = append(out, fmt.Sprintf("%s's replica of %s differs: life %d/%d trail %d/%d cells, score %v, want %v",
					l.p.cfg.Name, owner.p.cfg.Name, c.Life, owner.self().Life, c.TrailLen(), owner.self().TrailLen(), score(c), wantScore))
			}
		}
	}
	return out
}

func score(c *game.Cycle) [4]uint16 { return [4]uint16{c.Kills, c.Deaths, c.Streak, c.Best} }

// TestReplicationConvergesAfterImpairment is the replication property:
// under heavy random loss, duplication, delay and reordering the game goes
// on; once the network heals, every replica of every cycle equals its
// owner's state, and all scoreboards agree, within 60 ticks (4 s).
func TestReplicationConvergesAfterImpairment(t *testing.T) {
	seeds := 12
	if testing.Short() {
		seeds = 3
	}
	for seed := range uint64(seeds) {
		t.Run(fmt.Sprintf("seed=%d", seed), func(t *testing.T) {
			n := newSimNet(t, seed+1, 4, true)
			// Meet on a clean network first.
			for range 30 {
				n.advance(false)
			}
			rng := rand.New(rand.NewPCG(seed, 99))
			n.loss = rng.Float64() * 0.5
			n.dup = rng.Float64() * 0.2
			n.maxDelay = rng.IntN(8)
			for range 600 {
				n.advance(false)
			}
			deaths := 0
			for _, l := range n.cores {
				deaths += int(l.self().Deaths)
			}
			loss, dup, maxDelay := n.loss, n.dup, n.maxDelay
			n.loss, n.dup, n.maxDelay = 0, 0, 0
			const bound = 60
			healed := -1
			for i := range bound {
				n.advance(true)
				if len(n.divergence()) == 0 {
					healed = i + 1
					break
				}
			}
			if healed < 0 {
				t.Fatalf("loss %.0f%% dup %.0f%% delay ≤%d ticks: not converged %d ticks after healing:\n%v",
					100*loss, 100*dup, maxDelay, bound, n.divergence())
			}
			t.Logf("healed in %d ticks; %d deaths; %d of %d packets dropped", healed, deaths, n.dropped, n.sent)
			// Scoreboards: every peer's table is the same, and kills add up.
			var kills, killedBy int
			for _, l := range n.cores {
				c := l.self()
				kills += int(c.Kills)
				for _, tl := range c.KilledBy {
					killedBy += int(tl.Count)
				}
			}
			if kills != killedBy {
				t.Errorf("kills %d, want %d (deaths with a killer)", kills, killedBy)
			}
			if deaths == 0 {
				t.Errorf("no deaths in 600 ticks of 4 bots: the test exercises nothing")
			}
		})
	}
}

// TestTrailRepairAfterLongLoss cuts one peer off for longer than the
// redundancy of state packets covers, then checks that the receiver
// rebuilds the exact trail through trail repair.
func TestTrailRepairAfterLongLoss(t *testing.T) {
	n := newSimNet(t, 42, 2, true)
	for range 30 {
		n.advance(false)
	}
	for _, l := range n.cores {
		if len(l.members) != 1 {
			t.Fatalf("%s did not meet the other peer", l.p.cfg.Name)
		}
	}
	n.loss = 1
	for range 60 {
		n.advance(false)
	}
	n.loss = 0
	for i := range 30 {
		n.advance(true)
		if len(n.divergence()) == 0 {
			t.Logf("repaired in %d ticks", i+1)
			return
		}
	}
	t.Fatalf("not repaired: %v", n.divergence())
}

// TestStalePacketsIgnored replays an old state packet after a newer one.
func TestStalePacketsIgnored(t *testing.T) {
	n := newSimNet(t, 5, 2, false)
	for range 20 {
		n.advance(false)
	}
	a, b := n.cores[0], n.cores[1]
	var old []byte
	// Capture one state packet from a to b, let more flow, replay it.
	a.broadcast()
	for _, pk := range n.queue {
		if pk.to == b.p.Addr() {
			old = pk.data
		}
	}
	if old == nil {
		t.Fatal("no packet from a to b")
	}
	for range 10 {
		n.advance(false)
	}
	before := b.drops[DropStale]
	want := b.st.CycleDigest(a.p.id)
	b.handle(transport.Packet{Data: old, From: a.p.Addr(), At: n.now}, n.now)
	if got := b.drops[DropStale]; got != before+1 {
		t.Errorf("stale drops %d, want %d", got, before+1)
	}
	if got := b.st.CycleDigest(a.p.id); got != want {
		t.Errorf("a stale packet changed the replica")
	}
}
