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

func (v *viewErrors) String() string {
	return fmt.Sprintf("off p50 %d p99 %d, on p50 %d p99 %d (%d samples)",
		v.quantile(false, 0.5), v.quantile(false, 0.99), v.quantile(true, 0.5), v.quantile(true, 0.99), len(v.on))
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
		})
	}
}
