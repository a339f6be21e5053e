package net

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"lanarena/game"
)

// viewErrors is what a view-error run measured: for every viewer, every
// remote riding cycle and every tick, the distance in cells between the
// owner's true head and the head the viewer draws, prediction off and on.
type viewErrors struct {
	off, on []int
}

func (v *viewErrors) quantile(on bool, q float64) int {
	xs := v.off
	if on {
		xs = v.on
	}
	if len(xs) == 0 {
		return -1
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	return s[min(len(s)-1, int(q*float64(len(s))))]
}

func mean(xs []int) float64 {
	sum := 0
	for _, x := range xs {
		sum += x
	}
	return float64(sum) / float64(max(len(xs), 1))
}

func (v *viewErrors) String() string {
	return fmt.Sprintf("off p50 %d p99 %d mean %.2f, on p50 %d p99 %d mean %.2f (%d samples)",
		v.quantile(false, 0.5), v.quantile(false, 0.99), mean(v.off),
		v.quantile(true, 0.5), v.quantile(true, 0.99), mean(v.on), len(v.on))
}

// advanceMeasured is simNet.advance (not frozen) with the view error
// measured between the ticks and the delivery of the packets: every core
// has ticked at n.now, and each viewer's snapshot is the one it would
// publish at its tick, as a screen shows it.
func (n *simNet) advanceMeasured(v *viewErrors) {
	n.step++
	n.now = n.now.Add(time.Second / 15)
	for _, l := range n.cores {
		l.tick(n.now)
	}
	if v != nil {
		n.measure(v)
	}
	n.deliver()
	if n.step%4 == 0 {
		for _, l := range n.cores {
			l.housekeep(n.now)
		}
		n.deliver()
	}
}

// measure adds the view error of every viewer of every riding cycle.
func (n *simNet) measure(v *viewErrors) {
	for _, viewer := range n.cores {
		s := viewer.snapshot(n.now)
		for _, owner := range n.cores {
			c := owner.self()
			if owner == viewer || c == nil || !c.Alive || c.Ready > 0 {
				continue
			}
			rc := s.Arena.Cycle(c.ID)
			if rc == nil || rc.Life != c.Life {
				continue // not heard of yet, or of another life: no head to compare
			}
			if h, ok := s.DrawnHead(c.ID, false); ok {
				v.off = append(v.off, chebyshev(h, c.Head))
			}
			if h, ok := s.DrawnHead(c.ID, true); ok {
				v.on = append(v.on, chebyshev(h, c.Head))
			}
		}
	}
}

// TestPredictionDrawsOwnersHead: with a fixed delay and no loss, the head
// a viewer draws with prediction on is the owner's true head nearly
// always, while without prediction it is the delay behind.
func TestPredictionDrawsOwnersHead(t *testing.T) {
	for _, delay := range []int{0, 1, 2, 3} {
		t.Run(fmt.Sprintf("delay=%d", delay), func(t *testing.T) {
			n := newSimNetWith(t, 3, 4, func(i int, c *Config) { c.Bot, c.Params = true, game.DefaultParams() })
			n.delayAll = delay
			for range 60 {
				n.advanceMeasured(nil)
			}
			var v viewErrors
			for range 600 {
				n.advanceMeasured(&v)
			}
			t.Logf("delay %d ticks: %v", delay, &v)
			if got := v.quantile(true, 0.5); got != 0 {
				t.Errorf("p50 with prediction %d cells, want 0", got)
			}
			if got, want := v.quantile(false, 0.5), delay+1; got != want {
				t.Errorf("p50 without prediction %d cells, want %d (the delay and the tick in flight)", got, want)
			}
			if on, off := mean(v.on), mean(v.off); on > off/2 {
				t.Errorf("mean error %.2f cells with prediction, %.2f without: want less than half", on, off)
			}
		})
	}
}

// turnLog records, for each core of a timeNet, the ticks at which its
// cycle took a new direction or set off from its ready phase.
type turnLog struct {
	last  []turnSeen
	turns [][]uint32
}

type turnSeen struct {
	life   uint16
	dir    game.Dir
	riding bool
}

func newTurnLog(n *timeNet) *turnLog {
	tl := &turnLog{last: make([]turnSeen, len(n.cores)), turns: make([][]uint32, len(n.cores))}
	n.afterTick = func(i int) {
		c := n.cores[i].self()
		if c == nil || !c.Alive {
			return
		}
		now := turnSeen{c.Life, c.Dir, c.Ready == 0}
		if was := tl.last[i]; was.life == now.life && (was.dir != now.dir || was.riding != now.riding) {
			tl.turns[i] = append(tl.turns[i], n.cores[i].st.Tick)
		}
		tl.last[i] = now
	}
	return tl
}

// after is the first tick after tick at which core i turned, and how
// many turns it made since.
func (tl *turnLog) after(i int, tick uint32) (first uint32, turns int) {
	for _, t := range tl.turns[i] {
		if t > tick {
			if turns == 0 {
				first = t
			}
			turns++
		}
	}
	return first, turns
}

// correctionBound is the largest correction of a cycle that rode r cells
// since the first turn the viewer had not heard of (that turn's cell
// included) and turned turns times since, with held the cells the stop
// rule or the horizon held the drawn head back: a single turn is
// perpendicular to the line drawn, so the heads are r apart; after more,
// the cycle may head back along it (a U-turn), r + r. One more for the
// estimate of the owner's tick (the drawn head may be a tick ahead).
func correctionBound(r, turns, held int) int {
	switch {
	case turns == 0:
		return 1 + held
	case turns == 1:
		return r + 1 + held
	}
	return 2*r + 1 + held
}

// TestCorrectionsBounded is the correction property of issue 14: with a
// delay, jitter and loss, States every tick or only on change, every
// correction is at most the cells the cycle rode between its first turn
// the viewer had not heard of and now (the turn's own cell included),
// twice that after a U-turn, plus one for the estimate of the owner's
// tick and the cells the stop rule or the horizon held the head back; a
// cycle that did not turn is corrected by a cell at most.
func TestCorrectionsBounded(t *testing.T) {
	cases := 0
	for _, onChange := range []bool{false, true} {
		for _, d := range []time.Duration{30 * time.Millisecond, 100 * time.Millisecond, 200 * time.Millisecond} {
			for _, loss := range []float64{0, 0.1} {
				cases++
				n := newTimeNet(t, uint64(cases), 4)
				n.delay, n.jitter, n.loss, n.onChange = d, d/10+time.Millisecond, loss, onChange
				tl := newTurnLog(n)
				start := n.now
				var seen, nonzero, worst int
				n.corrected = func(vi, oi, cells int, prevTick uint32, held int) {
					seen++
					if cells > 0 {
						nonzero++
					}
					worst = max(worst, cells)
					first, turns := tl.after(oi, prevTick)
					bound := correctionBound(int(n.cores[oi].st.Tick-first)+1, turns, held)
					if cells > bound {
						t.Errorf("at %v: on change %v delay %v loss %.0f%%: %s's correction of %s is %d cells, bound %d", n.now.Sub(start),
							onChange, d, loss*100, n.cores[vi].p.cfg.Name, n.cores[oi].p.cfg.Name, cells, bound)
					}
				}
				n.run(40*time.Second, time.Second, nil)
				t.Logf("on change %v delay %v loss %.0f%%: %d corrections, %d non-zero, largest %d",
					onChange, d, loss*100, seen, nonzero, worst)
				if nonzero == 0 {
					t.Errorf("no correction was ever non-zero: the bots do not turn, the test shows nothing")
				}
			}
		}
	}
}
