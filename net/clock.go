package net

import (
	"time"

	"lanarena/game"
)

// The room clock: the peers of a peer-to-peer room line up their tick
// phases, so that they all tick at about the same instant.
//
// Why: a screen shows the snapshot of its peer's last tick until the
// next. A remote owner that ticks half a period off draws, for half of
// every period, one cell from where the prediction put it, whatever the
// prediction does. Lined up, the tick an owner runs "now" is the one it
// runs at our tick, and the prediction (predict.go) rounds to it.
//
// How: each peer follows the lowest id among the players it hears,
// unless its own cycle's id is lower (that peer leads and never moves).
// The leader's tick instants come from its States (arrival − one-way
// delay, the same estimate as the prediction's), and after each tick the
// follower moves its next tick by a quarter of its phase error, at most
// a sixteenth of a period (4 ms at 15/s): the game's pace changes by at
// most 6 %, and a peer half a period off is lined up within a second.
// Following one leader rather than an average of everyone keeps the
// loop free of feedback between followers; when the leader leaves, the
// next-lowest id is already lined up, so nothing jumps. Everything is
// receiver behaviour: nothing on the wire changes.
//
// The ticker lives in the driver (driver.go), which asks tickShift after
// each tick; the simulation does the same with fake time.

// Room clock limits.
const (
	phaseGain     = 4  // a follower moves by 1/phaseGain of its phase error per tick
	maxShiftParts = 16 // and at most 1/maxShiftParts of a period
	maxCatchUp    = 3  // ticks run late back to back before the schedule starts afresh
)

// tickShift is how much this peer moves its next tick to line up with
// the room clock, given that its tick ran at now: negative for sooner.
// Zero in server mode, when leading, or before the leader is heard.
func (l *core) tickShift(now time.Time) time.Duration {
	p, ok := l.model.(*p2p)
	if !ok {
		return 0
	}
	return p.pred.shift(l, now)
}

// shift is tickShift in a peer-to-peer room.
func (pr *predictor) shift(l *core, now time.Time) time.Duration {
	origin, ok := pr.leaderOrigin(l)
	if !ok {
		return 0
	}
	phase := now.Sub(origin) % pr.period // how long after the leader's tick ours ran
	if phase < 0 {
		phase += pr.period
	}
	if phase >= pr.period/2 {
		phase -= pr.period // just before the leader's next tick
	}
	limit := pr.period / maxShiftParts
	return -min(max(phase/phaseGain, -limit), limit)
}

// leaderOrigin is when the leader's tick 0 happened on this peer's clock:
// the leader is the lowest id among the members whose clock is known and
// who are not lagging (a stalled peer is not followed), unless this peer
// plays with a lower id.
func (pr *predictor) leaderOrigin(l *core) (time.Time, bool) {
	var leader game.PlayerID
	for id, o := range pr.owners {
		m := l.members[id]
		if _, known := o.clock.origin(); known && m != nil && !m.lagging && (leader == 0 || id < leader) {
			leader = id
		}
	}
	if leader == 0 || (l.self() != nil && l.p.id < leader) {
		return time.Time{}, false
	}
	return pr.owners[leader].clock.origin()
}

// nextTick is when the tick after the one due at due, which ran at now,
// is due: a period later, moved by shift. Ticks that run late are caught
// up back to back (every peer's tick k stays at one instant of the room
// clock), unless this peer fell more than maxCatchUp ticks behind, when
// its schedule starts afresh from now, as a time.Ticker would drop them.
func nextTick(due, now time.Time, period, shift time.Duration) time.Time {
	next := due.Add(period + shift)
	if now.Sub(next) > maxCatchUp*period {
		return now.Add(period + shift)
	}
	return next
}
