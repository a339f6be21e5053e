package net

import (
	"errors"
	"fmt"
	"net/netip"

	"lanarena/game"
	"lanarena/net/transport"
	"lanarena/net/wire"
)

// broadcast sends this peer's own cycle to every member now, whatever
// the send-on-change rules say (tests use it).
func (l *core) broadcast() {
	if p, ok := l.model.(*p2p); ok {
		p.send(l.now, true)
		return
	}
	c := l.self()
	if c == nil {
		return
	}
	msg := &l.out.state
	setOwnState(msg, l.st, c)
	for _, m := range l.members {
		l.queue(m.addr, msg)
	}
	l.flush()
}

// ownState is the state message of a cycle this replica owns.
func ownState(st *game.State, c *game.Cycle) *wire.State {
	s := new(wire.State)
	setOwnState(s, st, c)
	return s
}

// setOwnState makes s the state message of a cycle this replica owns.
func setOwnState(s *wire.State, st *game.State, c *game.Cycle) {
	n := min(len(c.Verts), stateVerts)
	*s = wire.State{
		Tick:        st.Tick,
		Life:        c.Life,
		Alive:       c.Alive,
		Dir:         c.Dir,
		Head:        c.Head,
		DeadTicks:   uint8(min(c.DeadTicks, 255)),
		Ready:       uint8(min(c.Ready, 255)),
		Killer:      c.Killer,
		KillerCount: c.KilledByCount(c.Killer),
		Kills:       c.Kills,
		Deaths:      c.Deaths,
		Streak:      c.Streak,
		Best:        c.Best,
		Match:       st.Match,
		Winner:      st.Winner,
		VertTotal:   uint16(len(c.Verts)),
		Verts:       c.Verts[len(c.Verts)-n:],
	}
}

// send encodes msg and writes it to addr. Errors are logged, never fatal:
// UDP is best effort.
func (l *core) send(to netip.AddrPort, msg wire.Message) {
	b, m, err := l.encode(l.buf[:0], to, msg)
	if err != nil {
		l.p.log.Print(err)
		return
	}
	l.buf = b
	if err := l.p.tr.WriteTo(b, to); err != nil {
		l.logLimited(to.Addr(), "send-error", "send to %s: %v", to, err)
		return
	}
	if m != nil {
		m.sent(len(b))
	}
}

// encode appends the packet of msg for to to buf, sealed when the room
// has a key. Each member gets its own run of sequence numbers, so that it
// can count the packets it lost; other addresses share one run. It
// returns the member at to, nil if none, whose accounting is the
// caller's once the packet is sent.
func (l *core) encode(buf []byte, to netip.AddrPort, msg wire.Message) ([]byte, *member, error) {
	var m *member
	if id, ok := l.byAddr[to]; ok {
		m = l.members[id]
	}
	l.seq++
	seq := l.seq
	if m != nil {
		m.txSeq++
		seq = m.txSeq
	}
	h := wire.Header{Sender: l.p.id, Seq: seq, Room: l.p.room}
	b, err := wire.Append(buf, h, msg)
	if err == nil && l.p.key != nil {
		b, err = wire.Seal(b, l.p.key)
	}
	if err != nil {
		return buf, m, fmt.Errorf("encode %T: %w", msg, err)
	}
	l.recordOut(m, seq, msg)
	return b, m, nil
}

// outBatch holds the packets queued for one flush: one per member (and
// per cycle, in a server's report). They lie back to back in arena, which
// the next batch reuses, so that a tick allocates nothing once the arena
// has grown to a tick's worth.
type outBatch struct {
	arena   []byte
	msgs    []transport.Message
	members []*member // members[i] is the member msgs[i] goes to, nil for none

	// The messages of broadcast and report, reused from tick to tick
	// too: a message is encoded when queued, so it can change then.
	state wire.State
	cycle wire.CycleState
}

// room is the free end of the arena, with room for the largest packet.
func (o *outBatch) room() []byte {
	if cap(o.arena)-len(o.arena) < wire.MaxPacket {
		// The packets queued so far keep the old array.
		o.arena = make([]byte, 0, 2*cap(o.arena)+wire.MaxPacket)
	}
	n := len(o.arena)
	return o.arena[n : n : n+wire.MaxPacket]
}

// queue encodes msg for to, as send would, and keeps the packet for flush.
func (l *core) queue(to netip.AddrPort, msg wire.Message) {
	o := &l.out
	b, m, err := l.encode(o.room(), to, msg)
	if err != nil {
		l.p.log.Print(err)
		return
	}
	o.arena = o.arena[:len(o.arena)+len(b)] // b was written in place: it fits room
	o.msgs = append(o.msgs, transport.Message{Data: b, To: to})
	o.members = append(o.members, m)
}

// flush sends the queued packets, in one batch when the transport is a
// Batcher (one sendmmsg for a UDP socket) or one WriteTo each, and
// accounts each packet sent as send does.
func (l *core) flush() {
	o := &l.out
	bt, batched := l.p.tr.(transport.Batcher)
	var failed []error
	if batched {
		failed = batchFailures(bt.WriteBatch(o.msgs), len(o.msgs))
	}
	for i, msg := range o.msgs {
		var err error
		switch {
		case !batched:
			err = l.p.tr.WriteTo(msg.Data, msg.To)
		case failed != nil:
			err = failed[i]
		}
		if err != nil {
			l.logLimited(msg.To.Addr(), "send-error", "send to %s: %v", msg.To, err)
		} else if m := o.members[i]; m != nil {
			m.sent(len(msg.Data))
		}
	}
	clear(o.members) // a member dropped later is not kept alive here
	o.arena, o.msgs, o.members = o.arena[:0], o.msgs[:0], o.members[:0]
}

// batchFailures is, for each of n messages, why WriteBatch did not send
// it (nil if it did).
func batchFailures(err error, n int) []error {
	if err == nil {
		return nil
	}
	if be, ok := errors.AsType[*transport.BatchError](err); ok && len(be.Errs) == n {
		return be.Errs
	}
	all := make([]error, n)
	for i := range all {
		all[i] = err
	}
	return all
}
