package view

import (
	"slices"
	"time"

	"lanarena/game"
	"lanarena/net/wire"
)

// WireMark is what the wire view infers about a packet, a bit set.
type WireMark uint8

// Marks of a wire event. All of them are inferred from what one peer sent
// and received: sequence numbers, answers, its own drop reasons.
const (
	// MarkLost: an incoming packet that never came (a gap in the sender's
	// sequence numbers, drawn as an event of its own), or an outgoing one
	// whose answer shows it did not get through: a chat line or move
	// request sent again, a ping never answered (the packet or its answer
	// was lost: one peer cannot tell which).
	MarkLost      WireMark = 1 << iota
	MarkDup                // a sequence number received before
	MarkReordered          // arrived after a higher sequence number of the same sender
	// MarkLate: arrived more than a tick after the sender's tick time. The
	// sender's clock is not ours, so its tick time is estimated: the
	// packet that came fastest is taken to have spent RTT/2 on the way,
	// which fixes the sender's tick k at base + k·tick, base being that
	// packet's arrival minus RTT/2 minus its tick times the tick.
	MarkLate
	MarkDropped // dropped by one of this peer's checks (Reason says which)
)

// wireRunBreak is the largest jump of a sender's sequence counted as
// gaps: a larger one starts a new run (a sender's first packets to an
// address come from another counter before it knows it as a member).
const wireRunBreak = 256

// maxGapEvents bounds the lost events one analysis adds: a sender that
// jumps its numbers on purpose must not make the screen's work grow
// without bound. Past it, gaps are left unmarked.
const maxGapEvents = 2048

// pingAnswerWait is how long a ping may wait for its pong before the wire
// view marks it lost.
const pingAnswerWait = 2 * time.Second

// MarkedEvent is a wire event with what the wire view makes of it.
type MarkedEvent struct {
	WireEvent
	Marks WireMark
}

// WirePair is a request and its answer (server mode: a move request and
// the host's answer), by index into WireAnalysis.Events.
type WirePair struct{ Req, Ans int }

// WireAnalysis is a wire log with its marks.
type WireAnalysis struct {
	Events                              []MarkedEvent // oldest first, with one event per incoming packet lost
	Pairs                               []WirePair
	Lost, Dup, Reordered, Late, Dropped int
}

// AnalyzeWire marks the events of w. rtt is the round trip to a peer
// (0 when unknown).
func AnalyzeWire(w *WireLog, rtt func(game.PlayerID) time.Duration) WireAnalysis {
	var a WireAnalysis
	if w == nil {
		return a
	}
	a.Events = make([]MarkedEvent, 0, len(w.Events)+16)
	for _, e := range w.Events {
		a.Events = append(a.Events, MarkedEvent{WireEvent: e})
	}
	a.markIncoming()
	a.markLate(w.Period, rtt)
	a.markOutgoing()
	slices.SortStableFunc(a.Events, func(x, y MarkedEvent) int { return x.At.Compare(y.At) })
	a.pair()
	for _, e := range a.Events {
		a.Lost += e.count(MarkLost)
		a.Dup += e.count(MarkDup)
		a.Reordered += e.count(MarkReordered)
		a.Late += e.count(MarkLate)
		a.Dropped += e.count(MarkDropped)
	}
	return a
}

func (e MarkedEvent) count(m WireMark) int {
	if e.Marks&m != 0 {
		return 1
	}
	return 0
}

func distance(a, b uint32) uint32 { return max(a, b) - min(a, b) }

// sequenced reports whether e's sequence number belongs to the sender its
// header claims: not a stranger's, not one from a spoofed address.
func sequenced(e *MarkedEvent) bool {
	return e.Dir == WireIn && e.Peer != 0 && e.Type != 0 && e.Reason != "spoofed" && e.Reason != "unknown-sender"
}

type seqRun struct {
	high   uint32
	have   bool
	seen   map[uint32]bool
	lastAt time.Time
}

// markIncoming marks dropped, duplicated and reordered packets and adds
// an event for each gap never filled in the window.
func (a *WireAnalysis) markIncoming() {
	received := map[game.PlayerID]map[uint32]bool{}
	for i := range a.Events {
		if e := &a.Events[i]; sequenced(e) {
			if received[e.Peer] == nil {
				received[e.Peer] = map[uint32]bool{}
			}
			received[e.Peer][e.Seq] = true
		}
	}
	runs := map[game.PlayerID]*seqRun{}
	n := len(a.Events)
	for i := range n {
		e := &a.Events[i]
		if e.Dir == WireIn && e.Reason != "" {
			e.Marks |= MarkDropped
		}
		if !sequenced(e) {
			continue
		}
		r := runs[e.Peer]
		if r == nil {
			r = &seqRun{seen: map[uint32]bool{}}
			runs[e.Peer] = r
		}
		switch {
		case !r.have || distance(e.Seq, r.high) > wireRunBreak:
			r.high, r.have = e.Seq, true
			clear(r.seen)
		case r.seen[e.Seq]:
			e.Marks |= MarkDup
		case e.Seq > r.high:
			for s := r.high + 1; s < e.Seq && len(a.Events)-n < maxGapEvents; s++ {
				if !received[e.Peer][s] {
					at := r.lastAt.Add(e.At.Sub(r.lastAt) * time.Duration(s-r.high) / time.Duration(e.Seq-r.high))
					a.Events = append(a.Events, MarkedEvent{
						WireEvent: WireEvent{At: at, Dir: WireIn, Peer: e.Peer, Seq: s}, Marks: MarkLost})
					e = &a.Events[i] // append may have moved it
				}
			}
			r.high = e.Seq
		default:
			e.Marks |= MarkReordered
		}
		r.seen[e.Seq] = true
		r.lastAt = e.At
	}
}

// markLate marks packets that carry the sender's tick and arrived more
// than a tick after it (see MarkLate).
func (a *WireAnalysis) markLate(period time.Duration, rtt func(game.PlayerID) time.Duration) {
	if period <= 0 {
		return
	}
	base := map[game.PlayerID]time.Time{}
	offset := func(e *MarkedEvent) time.Time { return e.At.Add(-time.Duration(e.Tick) * period) }
	for i := range a.Events {
		if e := &a.Events[i]; sequenced(e) && e.Tick != 0 {
			if b, ok := base[e.Peer]; !ok || offset(e).Before(b) {
				base[e.Peer] = offset(e)
			}
		}
	}
	for i := range a.Events {
		e := &a.Events[i]
		if !sequenced(e) || e.Tick == 0 {
			continue
		}
		var half time.Duration
		if rtt != nil {
			half = rtt(e.Peer) / 2
		}
		if offset(e).Sub(base[e.Peer])+half > period {
			e.Marks |= MarkLate
		}
	}
}

type reqKey struct {
	peer game.PlayerID
	typ  wire.Type
	ref  uint32
}

// markOutgoing marks outgoing packets that answers show lost: a chat line
// or move request sent again, a ping unanswered for pingAnswerWait.
func (a *WireAnalysis) markOutgoing() {
	if len(a.Events) == 0 {
		return
	}
	end := a.Events[len(a.Events)-1].At
	for _, e := range a.Events {
		end = later(end, e.At)
	}
	last := map[reqKey]int{}
	answered := map[reqKey]bool{}
	for i, e := range a.Events {
		switch {
		case e.Dir == WireOut && (e.Type == wire.TypeChat || e.Type == wire.TypeMoveReq) && e.Ref != 0:
			k := reqKey{e.Peer, e.Type, e.Ref}
			if j, ok := last[k]; ok {
				a.Events[j].Marks |= MarkLost
			}
			last[k] = i
		case e.Dir == WireIn && e.Type == wire.TypePong && e.Reason == "":
			answered[reqKey{e.Peer, wire.TypePing, e.Ref}] = true
		}
	}
	for i := range a.Events {
		e := &a.Events[i]
		if e.Dir == WireOut && e.Type == wire.TypePing && !answered[reqKey{e.Peer, wire.TypePing, e.Ref}] &&
			end.Sub(e.At) > pingAnswerWait {
			e.Marks |= MarkLost
		}
	}
}

func later(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}

// pair pairs each move request with its answer: the first request of a
// number (the one the wait starts from) with the first answer to it, in
// either direction (a client's request out and answer in, a host's
// request in and answer out).
func (a *WireAnalysis) pair() {
	type key struct {
		peer game.PlayerID
		ref  uint32
		dir  WireDir
	}
	reqs := map[key]int{}
	done := map[key]bool{}
	for i, e := range a.Events {
		if e.Ref == 0 || e.Reason != "" {
			continue
		}
		switch e.Type {
		case wire.TypeMoveReq:
			k := key{e.Peer, e.Ref, e.Dir}
			if _, ok := reqs[k]; !ok {
				reqs[k] = i
			}
		case wire.TypeMoveAck:
			k := key{e.Peer, e.Ref, WireOut}
			if e.Dir == WireOut {
				k.dir = WireIn
			}
			if j, ok := reqs[k]; ok && !done[k] {
				done[k] = true
				a.Pairs = append(a.Pairs, WirePair{Req: j, Ans: i})
			}
		}
	}
}
