package net

import (
	"net/netip"
	"time"

	"lanarena/net/view"
	"lanarena/net/wire"
)

// wireRingLen is how many packets the wire log keeps: a few seconds of a
// full room (15 ticks/s, 7 members, both ways, plus the rest).
const wireRingLen = 1024

// wireRing is the core's record of the packets it sends and receives,
// kept only while a wire view asked for it (Peer.WireLog): a fixed array
// written in place, so recording allocates nothing. The core goroutine
// owns it; snapshots carry a copy.
type wireRing struct {
	ev  [wireRingLen]view.WireEvent
	n   uint64 // events ever written; the newest is ev[(n-1)%len]
	cur int    // the event of the packet being received, -1 when none
}

// WireLog asks the peer to record its traffic for a wire view (on) or to
// stop and forget it (off). While off, the core records nothing and
// snapshots carry no wire log. It never blocks.
func (p *Peer) WireLog(on bool) { p.wireWanted.Store(on) }

// syncWireLog makes the ring follow what the wire view asked for; the
// core calls it once a tick.
func (l *core) syncWireLog() {
	switch on := l.p.wireWanted.Load(); {
	case on && l.wire == nil:
		l.wire = &wireRing{cur: -1}
	case !on && l.wire != nil:
		l.wire = nil
	}
}

func (r *wireRing) add(e view.WireEvent) int {
	i := int(r.n % wireRingLen)
	r.ev[i] = e
	r.n++
	return i
}

// recordOut records a packet encoded for to.
func (l *core) recordOut(m *member, seq uint32, msg wire.Message) {
	if l.wire == nil {
		return
	}
	e := view.WireEvent{At: l.now, Dir: view.WireOut, Type: msg.Type(), Seq: seq}
	if m != nil {
		e.Peer = m.id
	}
	e.Ref, e.Tick = view.WireRef(msg)
	l.wire.add(e)
}

// recordIn records a packet that passed the admit gate; a drop that
// follows while it is handled is written on it.
func (l *core) recordIn(h wire.Header, msg wire.Message) {
	if l.wire == nil {
		return
	}
	e := view.WireEvent{At: l.now, Dir: view.WireIn, Peer: h.Sender, Type: h.Type, Seq: h.Seq}
	e.Ref, e.Tick = view.WireRef(msg)
	l.wire.cur = l.wire.add(e)
}

// recordDrop writes reason on the packet being received, or records a
// packet dropped before its header was read (its sender is unknown).
func (l *core) recordDrop(reason DropReason, from netip.AddrPort) {
	if l.wire == nil {
		return
	}
	if l.wire.cur >= 0 {
		l.wire.ev[l.wire.cur].Reason = string(reason)
		return
	}
	if id, ok := l.byAddr[from]; ok {
		l.wire.add(view.WireEvent{At: l.now, Dir: view.WireIn, Peer: id, Reason: string(reason)})
		return
	}
	l.wire.add(view.WireEvent{At: l.now, Dir: view.WireIn, Reason: string(reason)})
}

// receiving marks the start (and end) of a received packet's handling.
func (l *core) receiving() {
	if l.wire != nil {
		l.wire.cur = -1
	}
}

// wireSnapshot is a copy of the ring, oldest first; nil when off.
func (l *core) wireSnapshot() *view.WireLog {
	r := l.wire
	if r == nil {
		return nil
	}
	w := &view.WireLog{Self: l.p.id, Period: time.Second / time.Duration(l.p.cfg.Params.TickRate)}
	n := int(min(r.n, wireRingLen))
	w.Events = make([]view.WireEvent, 0, n)
	start := int((r.n - uint64(n)) % wireRingLen)
	for i := range n {
		w.Events = append(w.Events, r.ev[(start+i)%wireRingLen])
	}
	return w
}
