package net

import (
	"time"

	"lanarena/game"
	"lanarena/net/wire"
)

// Send on change (PROTOCOL.md 7.5). A peer-to-peer owner sends its State
// to a member only from its tick, right after its step, when:
//   - its cycle changed in a way the member cannot foresee (a turn, a
//     crash, a respawn, the ready phase ending, a score, the ledger, the
//     match) and the member has not been sent that change yet;
//   - a change sent is still unacknowledged repeatAfter later (repeated
//     at most maxRepeats times; the keepalives carry it after that);
//   - it owes the member an acknowledgement of a change for ackDelay;
//   - nothing went to the member for keepaliveEvery;
//   - the member's cycle is near the own one (nearCells): every tick then,
//     as before send on change, so that where two cycles may meet each
//     sees the other's newest wall (collisions use replicas, never
//     predictions, and a replica a keepalive old would let a cycle ride
//     through a wall laid in the last quarter second).
//
// Every State carries the vertices the member has not acknowledged (up
// to wire.MaxStateVerts), an ExtAck of the member's newest State applied
// here, and about once a second an RTT probe; the answer to a probe (its
// echo) rides on the next packet. A peer without a cycle (a spectator)
// sends KeepAlives instead, every spectatorKeepalive or when it owes an
// acknowledgement. Pings go only to members that send no probes (peers of
// an earlier revision, server mode).
const (
	keepaliveEvery     = 250 * time.Millisecond
	spectatorKeepalive = time.Second
	ackDelay           = 100 * time.Millisecond
	maxRepeats         = 4
	probeEvery         = time.Second
	// probedWithin: a member heard probing this recently gets no Ping.
	probedWithin = 3 * time.Second
	// maxEchoAge bounds an echo's age: an older one is of a time never
	// sent (bad-echo).
	maxEchoAge = time.Minute
	sentRing   = 32 // States remembered per member, to read its acks
	// nearCells: a member whose cycle's head is this close to the own
	// head (the larger of the x and y gaps) gets a State every tick. The
	// walls a keepalive-old replica misses are the last 4 cells behind a
	// head (250 ms at 15 ticks/s); 6 covers a cycle about to cross them
	// and keeps a crowded bot room within 8 packets a pair a second.
	nearCells = 6
)

// stateSig is what of a State a receiver cannot foresee: a State whose
// signature differs from the previous one is a change. Head, tick, the
// ready and dead countdowns follow from the rules between changes.
type stateSig struct {
	life                                     uint16
	alive, riding                            bool
	dir                                      game.Dir
	killer, winner                           game.PlayerID
	killerCount, kills, deaths, streak, best uint16
	match, vertTotal                         uint16
}

func sigOf(s *wire.State) stateSig {
	return stateSig{
		life: s.Life, alive: s.Alive, riding: s.Ready == 0, dir: s.Dir,
		killer: s.Killer, winner: s.Winner,
		killerCount: s.KillerCount, kills: s.Kills, deaths: s.Deaths, streak: s.Streak, best: s.Best,
		match: s.Match, vertTotal: s.VertTotal,
	}
}

// sentState is one State sent to a member, as its acknowledgement will
// name it (by header seq).
type sentState struct {
	seq         uint32
	ver         uint32 // the owner's change count when sent
	life, verts uint16
}

// stream is the send-on-change bookkeeping of one member, both ways. The
// core goroutine owns it, inside the member.
type stream struct {
	// What this peer sent the member of its own cycle, and what the
	// member acknowledged of it.
	sent              [sentRing]sentState
	nsent             int
	ackIn             uint32 // newest acknowledgement taken
	ackVer            uint32
	ackLife, ackVerts uint16
	acked             bool
	sentVer           uint32 // change count of the newest State sent
	everSent          bool
	repeats           int
	lastOut           time.Time // newest State or KeepAlive sent
	lastProbe         time.Time

	// What this peer heard from the member.
	ackSeq    uint32    // header seq of its newest State applied here
	ackOwed   time.Time // when a change of it was applied unacknowledged; zero when none
	newSig    stateSig  // signature of its newest State applied
	ackedSig  stateSig  // signature acknowledged with the latest ack sent
	heardTime uint32    // its newest probe
	heardAt   time.Time
	echoDue   bool
	probedAt  time.Time // when its newest probe came

	// The members gossiped to it last, and when (heartbeat).
	gossipSig uint64
	gossipAt  time.Time
}

// probes reports whether the member measures RTT on the stream: it gets
// no Pings then.
func (st *stream) probes(now time.Time) bool {
	return !st.probedAt.IsZero() && now.Sub(st.probedAt) < probedWithin
}

// micros is the stream clock: microseconds since the core started,
// modulo 2³² (about 71 minutes; only differences count).
func (l *core) micros(t time.Time) uint32 { return uint32(t.Sub(l.start).Microseconds()) }

// outStream is the stream part of the next State or KeepAlive to m: its
// acknowledgement, a probe when one is due, the echo of its probe. It
// counts as sent.
func (l *core) outStream(m *member, now time.Time) wire.Stream {
	st := &m.stream
	var s wire.Stream
	if st.ackSeq != 0 {
		s.Ack = st.ackSeq
		st.ackedSig, st.ackOwed = st.newSig, time.Time{}
	}
	if st.lastProbe.IsZero() || now.Sub(st.lastProbe) >= probeEvery {
		st.lastProbe = now
		s.Probe, s.Time = true, l.micros(now)
	}
	if st.echoDue {
		st.echoDue = false
		s.Echoed, s.Echo = true, st.heardTime
		s.Hold = uint32(min(now.Sub(st.heardAt).Microseconds(), int64(^uint32(0))))
	}
	st.lastOut = now
	return s
}

// takeStream takes the stream part of a member's State or KeepAlive,
// before anything else of it: false drops the packet (an acknowledgement
// of a State never sent, an echo of a time never sent).
func (l *core) takeStream(m *member, s *wire.Stream, now time.Time) bool {
	st := &m.stream
	if s.Ack > m.txSeq {
		l.drop(DropBadAck, m.addr)
		return false
	}
	if s.Echoed {
		age := l.micros(now) - s.Echo // modulo 2³²
		if time.Duration(age)*time.Microsecond > maxEchoAge {
			l.drop(DropBadEcho, m.addr)
			return false
		}
		if s.Hold <= age {
			m.sampleRTT(time.Duration(age-s.Hold) * time.Microsecond)
		}
	}
	if s.Ack != 0 {
		st.takeAck(s.Ack)
	}
	if s.Probe {
		st.heardTime, st.heardAt, st.echoDue, st.probedAt = s.Time, now, true, now
	}
	return true
}

// takeAck reads an acknowledgement: what the member has of this peer's
// cycle is what the State of that seq carried. An older one, or one of a
// State no longer remembered, changes nothing.
func (st *stream) takeAck(seq uint32) {
	if seq <= st.ackIn {
		return
	}
	for _, e := range st.sent {
		if e.seq == seq {
			st.ackIn = seq
			st.ackVer, st.ackLife, st.ackVerts, st.acked = e.ver, e.life, e.verts, true
			return
		}
	}
}

// applied notes a State of the member applied here, with header seq seq:
// a change is owed an acknowledgement.
func (st *stream) applied(seq uint32, s *wire.State, now time.Time) {
	st.ackSeq = seq
	st.newSig = sigOf(s)
	if st.newSig != st.ackedSig && st.ackOwed.IsZero() {
		st.ackOwed = now
	}
}

// ackDue reports whether the member has waited long enough for an
// acknowledgement: the next tick's packet carries it.
func (st *stream) ackDue(now time.Time) bool {
	return !st.ackOwed.IsZero() && now.Sub(st.ackOwed) >= ackDelay
}

// owned is the send-on-change state of this peer's own cycle.
type owned struct {
	sig     stateSig
	ver     uint32 // counts changes of the own cycle
	started bool
}

// note takes the State just built of the own cycle: a new signature is a
// change.
func (o *owned) note(s *wire.State) {
	if sig := sigOf(s); !o.started || sig != o.sig {
		o.sig, o.started = sig, true
		o.ver++
	}
}

// stateDue reports whether member m gets the own cycle's State this tick,
// by the rules at the top of this file.
func (o *owned) stateDue(m *member, now time.Time, period time.Duration, near bool) bool {
	st := &m.stream
	since := now.Sub(st.lastOut)
	switch {
	case !st.everSent || st.sentVer != o.ver || near:
		return true
	case st.ackVer != o.ver && since >= repeatAfter(m.rtt, period) && st.repeats < maxRepeats:
		st.repeats++
		return true
	}
	return since >= keepaliveEvery || st.ackDue(now)
}

// repeatAfter is how long an owner waits for the acknowledgement of a
// change before it repeats it: the round trip, the receiver's ack delay
// and a tick at each end for the packets to leave.
func repeatAfter(rtt, period time.Duration) time.Duration {
	return rtt + ackDelay + 2*period
}

// vertsFor is how many of the own cycle's last vertices m gets: those it
// has not acknowledged, at least one (the receiver joins the trail on
// it) and at most what a State carries.
func (st *stream) vertsFor(c *game.Cycle) int {
	total := len(c.Verts)
	n := total
	if st.acked && st.ackLife == c.Life && int(st.ackVerts) <= total {
		n = total - int(st.ackVerts)
	}
	return min(max(n, 1), wire.MaxStateVerts, total)
}

// record remembers a State sent to the member, to read its ack.
func (st *stream) record(seq, ver uint32, s *wire.State) {
	if !st.everSent || st.sentVer != ver {
		st.repeats = 0
	}
	st.sent[st.nsent%sentRing] = sentState{seq: seq, ver: ver, life: s.Life, verts: s.VertTotal}
	st.nsent++
	st.sentVer, st.everSent = ver, true
}

// gossipEvery is how often a peer-to-peer heartbeat repeats an unchanged
// list of members (PROTOCOL.md 4.1).
const gossipEvery = 10 * time.Second

// heartbeat is the Hello a member gets every heartbeatEvry. In a
// peer-to-peer room it gossips the members only when they changed since
// the member last got them, or every gossipEvery: a room of 32 would
// otherwise spend a third of its bytes repeating the same addresses.
func (l *core) heartbeat(m *member, now time.Time) *wire.Hello {
	h := l.hello(0)
	if _, p2p := l.model.(*p2p); !p2p {
		return h
	}
	sig := l.membersSig()
	if sig == m.stream.gossipSig && now.Sub(m.stream.gossipAt) < gossipEvery {
		h.Peers = nil
		return h
	}
	m.stream.gossipSig, m.stream.gossipAt = sig, now
	return h
}

// membersSig is a digest of the members and their addresses, to notice a
// change of what a Hello gossips (all of them, or any 16).
func (l *core) membersSig() uint64 {
	var s uint64
	for id, m := range l.members {
		a := m.addr.Addr().As16()
		x := uint64(id)<<16 ^ uint64(m.addr.Port())
		for _, b := range a {
			x = x*1099511628211 ^ uint64(b)
		}
		s += x * 0x9e3779b97f4a7c15 // order-free: a map's order varies
	}
	return s + uint64(len(l.members))
}

// near reports whether cycle o (a member's, as replicated here) rides
// within nearCells of the own cycle c: both alive, heads close.
func near(c, o *game.Cycle) bool {
	if c == nil || o == nil || !c.Alive || !o.Alive {
		return false
	}
	return chebyshev(c.Head, o.Head) <= nearCells
}
