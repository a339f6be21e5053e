package transport

import (
	"container/heap"
	"fmt"
	"math/rand/v2"
	"net"
	"net/netip"
	"sync"
	"sync/atomic"
	"time"
)

// reorderHold is the longest a packet chosen for reordering waits for a
// later packet to overtake it; then it goes on its way (with the delay).
const reorderHold = 200 * time.Millisecond

// maxHeld bounds the packets held for reordering in one direction (one per
// remote address).
const maxHeld = 64

// The two directions; each has its own random source.
const (
	dirOut = iota
	dirIn
)

// ImpairCounts counts what an Impaired did to the packets of one direction.
type ImpairCounts struct {
	Lost, Duplicated, Delayed, Reordered uint64
	// Overtaken counts the packets held back for reordering that a later
	// packet overtook; the others (Reordered − Overtaken, less those
	// still held) went on alone, in order, after the hold.
	Overtaken uint64
}

// ImpairStats counts what an Impaired did, per direction.
type ImpairStats struct {
	Out, In ImpairCounts
}

// Impaired wraps a Transport and impairs the packets it sends and receives
// as its ImpairConfig says. It owns the inner transport: Close closes it.
//
// It runs two goroutines: routineReceive impairs the inner transport's
// packets, and routineSchedule sends and delivers the delayed ones at
// their due time, in order of due time.
type Impaired struct {
	inner   Transport
	packets chan Packet
	stats   counters // what the user sees: its writes, its deliveries
	closed  atomic.Bool

	mu    sync.Mutex // guards everything below
	cfg   ImpairConfig
	dirs  [2]direction
	queue itemHeap
	seq   uint64
	hold  time.Duration // reorderHold; a test can lengthen it

	wake chan struct{} // a new earliest item: re-arm the timer
	stop chan struct{} // closed by Close: routineSchedule exits

	wg        sync.WaitGroup
	closeOnce sync.Once
	closeErr  error
}

var (
	_ Transport = (*Impaired)(nil)
	_ Batcher   = (*Impaired)(nil)
)

type direction struct {
	rng    *rand.Rand
	held   map[netip.AddrPort]*item // held back for reordering, by remote address
	counts ImpairCounts
}

// item is a packet in flight, or (when release is set) the deadline of a
// packet held back for reordering.
type item struct {
	due     time.Time
	seq     uint64 // ties on due keep sending order
	dir     int
	data    []byte
	addr    netip.AddrPort // destination (out) or source (in)
	release *item
}

// Impair wraps t. A config that impairs nothing passes packets straight
// through (still via routineReceive).
func Impair(t Transport, c ImpairConfig) *Impaired {
	h := &Impaired{
		inner:   t,
		packets: make(chan Packet, QueueLen),
		wake:    make(chan struct{}, 1),
		stop:    make(chan struct{}),
	}
	h.cfg = c.sanitized()
	h.hold = reorderHold
	for d := range h.dirs {
		h.dirs[d].held = make(map[netip.AddrPort]*item)
	}
	h.seedLocked()
	h.wg.Add(2)
	go h.routineReceive()
	go h.routineSchedule()
	return h
}

// seedLocked gives each direction a fresh source from cfg.Seed.
func (h *Impaired) seedLocked() {
	for d := range h.dirs {
		h.dirs[d].rng = rand.New(rand.NewPCG(h.cfg.Seed, uint64(d)+0x9e3779b97f4a7c15))
	}
}

// SetConfig changes the impairment from now on. Packets already delayed
// keep their due time; packets held for reordering are released when
// reordering is switched off. A new Seed restarts the random sources.
// It is safe for concurrent use.
func (h *Impaired) SetConfig(c ImpairConfig) {
	c = c.sanitized()
	now := time.Now()
	var ready []*item
	h.mu.Lock()
	defer h.mu.Unlock()
	reseed := c.Seed != h.cfg.Seed
	h.cfg = c
	if reseed {
		h.seedLocked()
	}
	if c.Reorder == 0 {
		for d := range h.dirs {
			for addr, it := range h.dirs[d].held {
				delete(h.dirs[d].held, addr)
				ready = h.emitLocked(it, now, ready)
			}
		}
	}
	// Only the two routines deliver incoming packets (Close closes
	// Packets once they have exited), so hand these to routineSchedule.
	for _, it := range ready {
		it.due = now
		h.pushLocked(it)
	}
}

// Config returns the current impairment.
func (h *Impaired) Config() ImpairConfig {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.cfg
}

// WriteTo impairs b on its way to the inner transport: it may be lost,
// sent twice, held back or delayed. A lost packet is not an error.
func (h *Impaired) WriteTo(b []byte, to netip.AddrPort) error {
	if h.closed.Load() {
		return fmt.Errorf("impaired write to %v: %w", to, net.ErrClosed)
	}
	h.stats.sent(len(b))
	data := make([]byte, len(b)) // we may keep it
	copy(data, b)
	h.mu.Lock()
	ready := h.impairLocked(dirOut, data, canonical(to), time.Now())
	h.mu.Unlock()
	var first error
	for _, it := range ready {
		if err := h.inner.WriteTo(it.data, it.addr); err != nil && first == nil {
			first = err
		}
	}
	return first
}

// WriteBatch impairs each message as WriteTo does, one at a time: each
// has its own fate, and the copies that survive go to the inner
// transport one WriteTo each.
func (h *Impaired) WriteBatch(msgs []Message) error { return writeEach(h, msgs) }

// Packets returns the channel of received (and impaired) packets, closed
// after Close.
func (h *Impaired) Packets() <-chan Packet { return h.packets }

// LocalAddr is the inner transport's address.
func (h *Impaired) LocalAddr() netip.AddrPort { return h.inner.LocalAddr() }

// Stats counts the packets the user wrote and the packets delivered to it.
// The inner transport's Stats count what crossed the network.
func (h *Impaired) Stats() Stats { return h.stats.snapshot() }

// ImpairStats counts what the impairment did.
func (h *Impaired) ImpairStats() ImpairStats {
	h.mu.Lock()
	defer h.mu.Unlock()
	return ImpairStats{Out: h.dirs[dirOut].counts, In: h.dirs[dirIn].counts}
}

// Close shuts down in this order: stop routineSchedule (packets still
// delayed are lost, as if in flight); close the inner transport, whose
// closed Packets channel ends routineReceive; wait for both; close our
// Packets channel, which nobody sends on any more. It is idempotent.
func (h *Impaired) Close() error {
	h.closeOnce.Do(func() {
		h.closed.Store(true)
		close(h.stop)
		h.closeErr = h.inner.Close()
		h.wg.Wait()
		close(h.packets)
	})
	return h.closeErr
}

// routineReceive impairs each packet of the inner transport until its
// Packets channel is closed.
func (h *Impaired) routineReceive() {
	defer h.wg.Done()
	for p := range h.inner.Packets() {
		h.mu.Lock()
		ready := h.impairLocked(dirIn, p.Data, p.From, time.Now())
		h.mu.Unlock()
		h.sendAll(ready)
	}
}

// routineSchedule sends and delivers delayed packets when they are due,
// until Close.
func (h *Impaired) routineSchedule() {
	defer h.wg.Done()
	timer := time.NewTimer(time.Hour)
	timer.Stop()
	for {
		h.mu.Lock()
		now := time.Now()
		var ready []*item
		for len(h.queue) > 0 && !h.queue[0].due.After(now) {
			it := heap.Pop(&h.queue).(*item)
			if it.release == nil {
				ready = append(ready, it)
				continue
			}
			// A held packet's time is up and nothing overtook it.
			held := it.release
			if st := &h.dirs[held.dir]; st.held[held.addr] == held {
				delete(st.held, held.addr)
				ready = h.emitLocked(held, now, ready)
			}
		}
		wait := time.Duration(-1)
		if len(h.queue) > 0 {
			wait = h.queue[0].due.Sub(now)
		}
		h.mu.Unlock()

		h.sendAll(ready)
		if wait >= 0 {
			timer.Reset(wait)
		}
		select {
		case <-h.stop:
			timer.Stop()
			return // Close was called
		case <-h.wake:
		case <-timer.C:
		}
		timer.Stop()
	}
}

// impairLocked decides the fate of one packet and returns the copies to
// send or deliver now; delayed copies go on the queue.
func (h *Impaired) impairLocked(dir int, data []byte, addr netip.AddrPort, now time.Time) []*item {
	c, st := h.cfg, &h.dirs[dir]
	if c.Loss > 0 && st.rng.Float64() < c.Loss {
		st.counts.Lost++
		return nil
	}
	copies := 1
	if c.Dup > 0 && st.rng.Float64() < c.Dup {
		st.counts.Duplicated++
		copies = 2
	}
	var ready []*item
	for i := range copies {
		it := &item{dir: dir, data: data, addr: addr}
		if i > 0 {
			it.data = append([]byte(nil), data...) // each receiver owns its copy
		}
		if c.Reorder > 0 && st.rng.Float64() < c.Reorder && st.held[addr] == nil && len(st.held) < maxHeld {
			st.counts.Reordered++
			st.held[addr] = it
			h.pushLocked(&item{due: now.Add(h.hold), release: it})
			continue
		}
		ready = h.emitLocked(it, now, ready)
		// This packet has overtaken the one held back for the same
		// address: let that one go now.
		if held := st.held[addr]; held != nil {
			delete(st.held, addr)
			st.counts.Overtaken++
			ready = h.emitLocked(held, now, ready)
		}
	}
	return ready
}

// emitLocked applies delay and jitter to it: a packet with no delay is
// appended to ready, a delayed one goes on the queue.
func (h *Impaired) emitLocked(it *item, now time.Time, ready []*item) []*item {
	c, st := h.cfg, &h.dirs[it.dir]
	d := c.Delay
	if c.Jitter > 0 {
		d += time.Duration((st.rng.Float64()*2 - 1) * float64(c.Jitter))
	}
	if d <= 0 {
		return append(ready, it)
	}
	st.counts.Delayed++
	it.due = now.Add(d)
	h.pushLocked(it)
	return ready
}

func (h *Impaired) pushLocked(it *item) {
	h.seq++
	it.seq = h.seq
	heap.Push(&h.queue, it)
	if h.queue[0] == it {
		select {
		case h.wake <- struct{}{}:
		default: // a wake-up is already pending
		}
	}
}

// sendAll sends outgoing items on the inner transport and delivers
// incoming ones to Packets.
func (h *Impaired) sendAll(items []*item) {
	for _, it := range items {
		if it.dir == dirOut {
			_ = h.inner.WriteTo(it.data, it.addr) // lost, as on a real network
			continue
		}
		h.stats.offer(h.packets, Packet{Data: it.data, From: it.addr, At: time.Now()})
	}
}

// itemHeap orders items by due time, then by sequence.
type itemHeap []*item

func (q itemHeap) Len() int { return len(q) }
func (q itemHeap) Less(i, j int) bool {
	if !q[i].due.Equal(q[j].due) {
		return q[i].due.Before(q[j].due)
	}
	return q[i].seq < q[j].seq
}
func (q itemHeap) Swap(i, j int) { q[i], q[j] = q[j], q[i] }
func (q *itemHeap) Push(x any)   { *q = append(*q, x.(*item)) }
func (q *itemHeap) Pop() any {
	old := *q
	it := old[len(old)-1]
	old[len(old)-1] = nil
	*q = old[:len(old)-1]
	return it
}
