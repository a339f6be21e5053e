package net

import (
	"time"

	"lanarena/game"
	"lanarena/net/view"
)

// Prediction of remote cycles in a peer-to-peer room (issue 14).
//
// An owner sends its State right after its tick, so a State of tick k that
// arrives at a leaves the owner at about a − (one-way delay): that is when
// the owner's tick k happened, on this peer's clock. Each State is one
// sample of the owner's tick clock, x = a − k·period = (when the owner's
// tick 0 was) + (this packet's delay). Delay only ever adds, so the
// estimate keeps the smallest x of the last clockWindow (the
// least-delayed packet, as NTP's minimum filter) and takes off half the
// smallest round trip of the same window: the same least-delayed view of
// the path, over the same span, so that a change of delay (the player
// bends the network) moves both at once.
// A jittery packet then moves nothing, and a few States a second (send on
// change plus keepalives) are as good as fifteen.
//
// From that clock, the owner's tick now is rounded to the nearest whole
// tick: with the room clock (clock.go) every peer ticks at about the same
// instant, so the tick the owner runs "now" is the one it runs at our own
// tick, give or take a few milliseconds, and rounding forgives an error of
// up to half a period (33 ms at 15/s) in the delay estimate.
//
// A remote cycle that rides is drawn at its last heard head advanced
// straight by (owner's tick now − the state's tick), minus what is left of
// its ready phase, with two bounds:
//   - it stops on the last free cell before a wall or a trail of the
//     replica: a prediction never shows a crash. The owner decides its
//     crash; drawing one that did not happen (the owner turned in time,
//     which is what a cycle heading for a wall usually does) and taking it
//     back would be the largest jump of all, while waiting at the last
//     free cell costs at most the cells since the turn;
//   - it goes at most predictHorizon ticks (one second) beyond the last
//     state: a silent or lagging peer stops where the horizon leaves it
//     instead of riding on across the arena on a guess.
//
// Predicted cells live only in snapshots: collisions, the replica and
// every owner's crash use the replicas alone, which converge exactly as
// before.

// Limits of the estimates.
const (
	clockWindow      = 2 * time.Second // samples of an owner's clock kept
	clockSamples     = 32              // at most, whatever the rate of States
	correctionWindow = 5 * time.Second // CorrectionMax is the largest over this
	maxCorrections   = 64              // kept within correctionWindow, the oldest dropped first
)

// predictHorizon is how many ticks a cycle is predicted beyond its last
// state, at most: one second.
func predictHorizon(p game.Params) int { return p.TickRate }

// ownerClock estimates when an owner's ticks happen on this peer's clock,
// from the States it sends at each tick.
type ownerClock struct {
	samples [clockSamples]clockSample
	n, next int
}

type clockSample struct {
	at  time.Time     // arrival
	x   time.Time     // arrival − tick·period: the owner's tick 0 plus this packet's delay
	rtt time.Duration // the latest round trip to the owner then (negative: none yet)
}

// add takes the state of the owner's tick that arrived at at, when the
// latest round trip to the owner was rtt (negative: none yet).
func (c *ownerClock) add(tick uint32, at time.Time, period, rtt time.Duration) {
	c.samples[c.next] = clockSample{at: at, x: at.Add(-time.Duration(tick) * period), rtt: rtt}
	c.next = (c.next + 1) % clockSamples
	c.n = min(c.n+1, clockSamples)
}

// origin is when the owner's tick 0 happened on this peer's clock: the
// least-delayed sample of the window, less half the least round trip of
// the same window (so that both follow a change of delay together). ok
// is false until a sample of the window knows a round trip: a guess
// without the delay would be drawn, then jump.
func (c *ownerClock) origin() (t time.Time, ok bool) {
	if c.n == 0 {
		return time.Time{}, false
	}
	newest := c.samples[(c.next+clockSamples-1)%clockSamples]
	x, rtt := newest.x, newest.rtt
	for i := range c.n {
		s := c.samples[i]
		if newest.at.Sub(s.at) > clockWindow {
			continue
		}
		if s.x.Before(x) {
			x = s.x
		}
		if s.rtt >= 0 && (rtt < 0 || s.rtt < rtt) {
			rtt = s.rtt
		}
	}
	if rtt < 0 {
		return time.Time{}, false
	}
	return x.Add(-rtt / 2), true
}

// tickAt is the owner's tick nearest to instant now.
func (c *ownerClock) tickAt(now time.Time, period time.Duration) (int64, bool) {
	origin, ok := c.origin()
	if !ok {
		return 0, false
	}
	return roundDiv(int64(now.Sub(origin)), int64(period)), true
}

// roundDiv is a/b rounded to the nearest integer (b > 0).
func roundDiv(a, b int64) int64 {
	if a >= 0 {
		return (a + b/2) / b
	}
	return -((-a + b/2) / b)
}

// predictor is what a peer-to-peer model keeps for prediction: each
// owner's clock, its last state's tick and life, and its corrections.
type predictor struct {
	period time.Duration
	owners map[game.PlayerID]*heardCycle
}

type heardCycle struct {
	clock       ownerClock
	tick        uint32 // of the last state applied
	life        uint16
	correction  int
	corrections []correction // within correctionWindow, oldest first
}

type correction struct {
	at    time.Time
	cells int
}

func newPredictor(p game.Params) *predictor {
	return &predictor{period: time.Second / time.Duration(p.TickRate), owners: map[game.PlayerID]*heardCycle{}}
}

// drawn is where cycle id is drawn with prediction on: its predicted head
// when it has one, else its last heard head; ok is false for a cycle not
// on the board.
func (pr *predictor) drawn(l *core, id game.PlayerID, now time.Time) drawnHead {
	c := l.st.Cycle(id)
	if c == nil || !c.Alive {
		return drawnHead{}
	}
	if p, found := pr.predict(l, c, now); found {
		return drawnHead{p.Head, c.Life, true}
	}
	return drawnHead{c.Head, c.Life, true}
}

// predict is the prediction of remote cycle c at now, when it has one: it
// rides (or its ready phase is over by now) and its owner's clock is known.
func (pr *predictor) predict(l *core, c *game.Cycle, now time.Time) (view.Prediction, bool) {
	o := pr.owners[c.ID]
	if o == nil || !c.Alive || o.life != c.Life || c.ID == l.p.id {
		return view.Prediction{}, false
	}
	tick, ok := o.clock.tickAt(now, pr.period)
	if !ok {
		return view.Prediction{}, false
	}
	ahead := int(min(max(tick-int64(o.tick), 0), int64(predictHorizon(l.st.Params))))
	ride := ahead - c.Ready // a cycle in its ready phase waits it out first
	if c.Ready > 0 && ride <= 0 {
		return view.Prediction{}, false
	}
	cells := l.st.Run(c.Head, c.Dir, max(ride, 0)) // the last free cell: never a crash
	dx, dy := c.Dir.Delta()
	head := game.Point{X: c.Head.X + cells*dx, Y: c.Head.Y + cells*dy}
	return view.Prediction{ID: c.ID, Heard: c.Head, Head: head, Ahead: ahead}, true
}

// heard follows a state s of member m's cycle, applied at now: a sample
// of the owner's clock and, when the cycle was drawn before in the same
// life and still is, the correction: how far its drawn head moved for the
// same instant. before is drawn's answer from just before the state.
func (pr *predictor) heard(l *core, m *member, tick uint32, before drawnHead, now time.Time) {
	o := pr.owners[m.id]
	if o == nil {
		o = &heardCycle{}
		pr.owners[m.id] = o
	}
	_, known := o.clock.origin()
	rtt := m.rtt
	if len(m.rttHist) == 0 {
		rtt = -1
	}
	o.clock.add(tick, now, pr.period, rtt)
	o.tick = tick
	if c := l.st.Cycle(m.id); c != nil {
		o.life = c.Life
	}
	after := pr.drawn(l, m.id, now)
	if !after.ok || !before.ok || after.life != before.life || !known {
		return // born, died, a new life, or the first estimate: a jump that is no prediction's error
	}
	o.record(chebyshev(after.head, before.head), now)
}

// drawnHead is drawn's answer, kept across the application of a state.
type drawnHead struct {
	head game.Point
	life uint16
	ok   bool
}

// record keeps one correction of cells.
func (o *heardCycle) record(cells int, now time.Time) {
	o.correction = cells
	o.corrections = append(o.corrections, correction{at: now, cells: cells})
	o.prune(now)
}

// prune forgets corrections older than the window, and the oldest beyond
// maxCorrections.
func (o *heardCycle) prune(now time.Time) {
	drop := max(0, len(o.corrections)-maxCorrections)
	for drop < len(o.corrections) && now.Sub(o.corrections[drop].at) > correctionWindow {
		drop++
	}
	if drop > 0 {
		o.corrections = append(o.corrections[:0], o.corrections[drop:]...)
	}
}

// largest is the largest correction within the window.
func (o *heardCycle) largest(now time.Time) int {
	n := 0
	for _, c := range o.corrections {
		if now.Sub(c.at) <= correctionWindow {
			n = max(n, c.cells)
		}
	}
	return n
}

func chebyshev(a, b game.Point) int {
	dx, dy := a.X-b.X, a.Y-b.Y
	return max(dx, -dx, dy, -dy)
}

// predictions fills a snapshot's Predictions and each peer's corrections:
// in a peer-to-peer room only (nil in server mode).
func (l *core) predictions(s *Snapshot, now time.Time) {
	p, ok := l.model.(*p2p)
	if !ok {
		return
	}
	pr := p.pred
	l.st.Cycles(func(c *game.Cycle) { // in id order
		if pred, ok := pr.predict(l, c, now); ok {
			s.Predictions = append(s.Predictions, pred)
		}
	})
	for i := range s.Peers {
		if o := pr.owners[s.Peers[i].ID]; o != nil {
			s.Peers[i].Correction, s.Peers[i].CorrectionMax = o.correction, o.largest(now)
		}
	}
}
