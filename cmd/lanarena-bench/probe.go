package main

import (
	"sync"
	"sync/atomic"
	"time"

	"lanarena/game"
	gamenet "lanarena/net"
)

// ringLen is how many of its latest ticks each owner remembers: 17 s at
// 15 ticks/s, far more than any delay the harness applies.
const ringLen = 256

// probe measures replication across the peers of one run. Its methods run
// on the peer loops, so they do little: the owner writes its tick into its
// own ring (one short lock), a receiver matches the owner tick and adds to
// its own shard, which no other goroutine touches until the loops stop.
//
// Peer ids are 1..n; id i has index i-1.
type probe struct {
	n         int
	epoch     time.Time
	recording atomic.Bool

	rings  []ownerRing
	shards []shard
	// current[o]: owner o's latest step; latest[r*n+o]: the newest state
	// of owner o that receiver r applied. Packed with pack.
	current []atomic.Uint64
	latest  []atomic.Uint64
}

type ownerRing struct {
	mu   sync.Mutex
	ents [ringLen]ringEntry
}

type ringEntry struct {
	tick    uint32
	valid   bool
	head    game.Point
	alive   bool
	at      time.Duration // since epoch: the tick the owner stepped
	stepped time.Duration // since epoch: when Stepped ran
}

// shard is what one receiver measured. Only its own loop writes it while
// the peers run.
type shard struct {
	total     hist // owner's Stepped call → applied here
	fromTick  hist // owner's scheduled tick → applied here
	step      hist // owner's scheduled tick → owner's Stepped call
	wire      hist // owner's Stepped → packet received here
	queue     hist // packet received here → applied
	matched   uint64
	unmatched uint64 // owner tick no longer (or not) in the ring
	divergent uint64
	divSum    uint64 // cells
	divMax    int
	// Owner ticks this receiver never applied (lost, or dropped as stale
	// after reordering): runs of consecutive ones, by owner.
	lastTick []uint32 // by owner index; 0: none yet
	applied  uint64   // ticks applied, for the loss fraction
	lost     uint64
	maxRun   int
	_        [64]byte // keep neighbours' hot fields off this cache line
}

func newProbe(n int) *probe {
	p := &probe{
		n:       n,
		epoch:   time.Now(),
		rings:   make([]ownerRing, n),
		shards:  make([]shard, n),
		current: make([]atomic.Uint64, n),
		latest:  make([]atomic.Uint64, n*n),
	}
	for i := range p.shards {
		p.shards[i].lastTick = make([]uint32, n)
	}
	return p
}

func (p *probe) index(id game.PlayerID) (int, bool) {
	i := int(id) - 1
	return i, i >= 0 && i < p.n
}

// pack squeezes a head state into one word: tick, x, y, alive, valid.
func pack(tick uint32, head game.Point, alive bool) uint64 {
	v := uint64(tick)<<32 | uint64(head.X&0xff)<<16 | uint64(head.Y&0xff)<<8 | 1
	if alive {
		v |= 2
	}
	return v
}

type headState struct {
	tick  uint32
	head  game.Point
	alive bool
	valid bool
}

func unpack(v uint64) headState {
	return headState{
		tick:  uint32(v >> 32),
		head:  game.Point{X: int(v>>16) & 0xff, Y: int(v>>8) & 0xff},
		alive: v&2 != 0,
		valid: v&1 != 0,
	}
}

// Stepped implements gamenet.Probe.
func (p *probe) Stepped(id game.PlayerID, tick uint32, head game.Point, alive bool, at time.Time) {
	o, ok := p.index(id)
	if !ok {
		return
	}
	now := time.Since(p.epoch)
	r := &p.rings[o]
	r.mu.Lock()
	r.ents[tick%ringLen] = ringEntry{tick: tick, valid: true, head: head, alive: alive, at: at.Sub(p.epoch), stepped: now}
	r.mu.Unlock()
	p.current[o].Store(pack(tick, head, alive))
}

// Applied implements gamenet.Probe.
func (p *probe) Applied(self, owner game.PlayerID, tick uint32, head game.Point, alive bool, at time.Time) {
	now := time.Since(p.epoch)
	s, ok1 := p.index(self)
	o, ok2 := p.index(owner)
	if !ok1 || !ok2 {
		return
	}
	p.latest[s*p.n+o].Store(pack(tick, head, alive))
	sh := &p.shards[s]
	last := sh.lastTick[o]
	sh.lastTick[o] = tick
	if !p.recording.Load() {
		return
	}
	sh.applied++
	if last != 0 && tick > last+1 {
		run := int(tick - last - 1)
		sh.lost += uint64(run)
		sh.maxRun = max(sh.maxRun, run)
	}
	r := &p.rings[o]
	r.mu.Lock()
	e := r.ents[tick%ringLen]
	r.mu.Unlock()
	if !e.valid || e.tick != tick {
		sh.unmatched++
		return
	}
	received := at.Sub(p.epoch)
	sh.matched++
	sh.total.add(now - e.stepped)
	sh.fromTick.add(now - e.at)
	sh.step.add(e.stepped - e.at)
	sh.wire.add(received - e.stepped)
	sh.queue.add(now - received)
	if d := manhattan(head, e.head); d > 0 || alive != e.alive {
		sh.divergent++
		sh.divSum += uint64(d)
		sh.divMax = max(sh.divMax, d)
	}
}

var _ gamenet.Probe = (*probe)(nil)

func manhattan(a, b game.Point) int {
	return abs(a.X-b.X) + abs(a.Y-b.Y)
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// lagStats is the view lag: at one wall-clock instant, how many cells the
// newest head a receiver applied is behind its owner's current head.
type lagStats struct {
	samples   uint64
	sum       uint64
	max       int
	over1     uint64
	skipped   uint64 // a side dead, or the heads of two different lives
	histCells [8]uint64
}

// sampleLag looks at every (receiver, owner) pair once. It runs on the
// harness's sampler goroutine, which alone owns ls.
func (p *probe) sampleLag(ls *lagStats, players int) {
	for o := range players {
		cur := unpack(p.current[o].Load())
		if !cur.valid {
			continue
		}
		for r := range p.n {
			if r == o {
				continue
			}
			rem := unpack(p.latest[r*p.n+o].Load())
			if !rem.valid {
				continue
			}
			behind := int(cur.tick) - int(rem.tick)
			d := manhattan(cur.head, rem.head)
			// In one life a head moves one cell per tick at most: a
			// longer distance is a respawn the receiver has not seen.
			if !cur.alive || !rem.alive || behind < 0 || d > behind {
				ls.skipped++
				continue
			}
			ls.samples++
			ls.sum += uint64(d)
			ls.max = max(ls.max, d)
			if d > 1 {
				ls.over1++
			}
			ls.histCells[min(d, len(ls.histCells)-1)]++
		}
	}
}
