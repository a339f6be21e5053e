package net

import (
	"math/rand/v2"
	"testing"
	"time"

	"lanarena/game"
)

const testPeriod = time.Second / 15

// TestOwnerClockIgnoresJitter: States every few ticks, some lost, each
// delayed by 50 ms plus up to 30 ms of jitter, round trips of 100 ms plus
// up to 20; the owner's tick nearest to any instant is the true one.
func TestOwnerClockIgnoresJitter(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	origin := time.Unix(1_700_000_000, 0) // the owner's tick 0
	const delay = 50 * time.Millisecond
	var c ownerClock
	if _, ok := c.tickAt(origin, testPeriod); ok {
		t.Fatal("a clock without samples has a tick")
	}
	c.add(1, origin.Add(testPeriod), testPeriod, -1)
	if _, ok := c.tickAt(origin, testPeriod); ok {
		t.Fatal("a clock without a round trip has a tick")
	}
	wrong := 0
	for tick := uint32(1000); tick < 1600; tick += uint32(1 + rng.IntN(5)) {
		at := origin.Add(time.Duration(tick)*testPeriod + delay + time.Duration(rng.Int64N(int64(30*time.Millisecond))))
		rtt := 2*delay + time.Duration(rng.Int64N(int64(20*time.Millisecond)))
		if tick%15 == 0 {
			rtt = 2 * delay // the least round trip, once a second
		}
		c.add(tick, at, testPeriod, rtt)
		if tick < 1030 {
			continue // the window fills
		}
		// Anywhere within 15 ms of one of the owner's ticks, that tick.
		for _, off := range []time.Duration{-15 * time.Millisecond, 0, 15 * time.Millisecond} {
			want := int64(tick) + 2
			now := origin.Add(time.Duration(want)*testPeriod + off)
			if got, _ := c.tickAt(now, testPeriod); got != want {
				wrong++
				t.Logf("tick %d off %v: estimated %d", want, off, got)
			}
		}
	}
	if wrong > 0 {
		t.Errorf("%d estimates wrong", wrong)
	}
}

// TestOwnerClockFollowsAShift: an owner that moves its ticks 20 ms later
// (a follower lining up with the room clock) is followed within the
// window; one that moves them sooner, at once.
func TestOwnerClockFollowsAShift(t *testing.T) {
	origin := time.Unix(1_700_000_000, 0)
	for _, shift := range []time.Duration{20 * time.Millisecond, -20 * time.Millisecond} {
		var c ownerClock
		for tick := uint32(0); tick < 300; tick++ {
			at := origin.Add(time.Duration(tick) * testPeriod)
			if tick >= 100 {
				at = at.Add(shift)
			}
			c.add(tick, at, testPeriod, 2*time.Millisecond)
		}
		x, _ := c.origin()
		if got := x.Sub(origin); got != shift-time.Millisecond {
			t.Errorf("shift %v: origin moved by %v", shift, got)
		}
	}
}

func TestRoundDiv(t *testing.T) {
	for _, tc := range []struct{ a, b, want int64 }{{0, 10, 0}, {4, 10, 0}, {5, 10, 1}, {14, 10, 1}, {-4, 10, 0}, {-5, 10, -1}, {-16, 10, -2}} {
		if got := roundDiv(tc.a, tc.b); got != tc.want {
			t.Errorf("roundDiv(%d, %d) = %d, want %d", tc.a, tc.b, got, tc.want)
		}
	}
}

// TestShiftTowardsLeader: a follower whose tick runs 20 ms after the
// leader's moves its next one sooner, by a bounded step; the leader and a
// peer alone do not move.
func TestShiftTowardsLeader(t *testing.T) {
	n := newSimNet(t, 9, 2, false)
	for range 20 {
		n.advance(false)
	}
	leader, follower := n.cores[0], n.cores[1]
	limit := testPeriod / maxShiftParts
	for _, tc := range []struct {
		late time.Duration
		want time.Duration
	}{{0, 0}, {8 * time.Millisecond, -2 * time.Millisecond}, {20 * time.Millisecond, -limit}, {-8 * time.Millisecond, 2 * time.Millisecond}, {-30 * time.Millisecond, limit}} {
		if got := follower.tickShift(n.now.Add(tc.late)); got != tc.want {
			t.Errorf("follower %v late: shift %v, want %v", tc.late, got, tc.want)
		}
	}
	if got := leader.tickShift(n.now.Add(20 * time.Millisecond)); got != 0 {
		t.Errorf("the leader shifts by %v", got)
	}
	alone := newSimNet(t, 9, 1, false)
	alone.advance(false)
	if got := alone.cores[0].tickShift(alone.now.Add(20 * time.Millisecond)); got != 0 {
		t.Errorf("a peer alone shifts by %v", got)
	}
}

func TestNextTick(t *testing.T) {
	due := time.Unix(100, 0)
	if got := nextTick(due, due.Add(time.Millisecond), testPeriod, -time.Millisecond); !got.Equal(due.Add(testPeriod - time.Millisecond)) {
		t.Errorf("next tick at %v", got.Sub(due))
	}
	late := due.Add(2 * testPeriod) // caught up: the schedule holds
	if got := nextTick(due, late, testPeriod, 0); !got.Equal(due.Add(testPeriod)) {
		t.Errorf("after a short stall the next tick is at %v, want the schedule's", got.Sub(due))
	}
	stalled := due.Add(10 * testPeriod)
	if got := nextTick(due, stalled, testPeriod, 0); !got.Equal(stalled.Add(testPeriod)) {
		t.Errorf("after a long stall the next tick is at %v, want a period after it", got.Sub(due))
	}
}

// riding advances n until viewer b's replica of a's cycle rides and cond
// holds of it; it returns that replica.
func riding(t *testing.T, n *simNet, cond func(b *core, c *game.Cycle) bool) *game.Cycle {
	t.Helper()
	a, b := n.cores[0], n.cores[1]
	for range 600 {
		n.advance(false)
		if c := b.st.Cycle(a.p.id); c != nil && c.Alive && a.self().Alive && c.Life == a.self().Life && cond(b, c) {
			return c
		}
	}
	t.Fatal("the situation never came")
	return nil
}

// TestPredictionRules: a riding cycle is predicted one cell per tick of
// its owner, at most predictHorizon ticks, and stops on the last free
// cell before a wall; a cycle in its ready phase is predicted only once
// that phase is over.
func TestPredictionRules(t *testing.T) {
	n := newSimNet(t, 4, 2, false)
	b := n.cores[1]
	pred := b.model.(*p2p).pred
	at := func(ticks int) time.Time { return n.now.Add(time.Duration(ticks) * testPeriod) }

	ready := riding(t, n, func(_ *core, c *game.Cycle) bool { return c.Ready > 1 && c.Ready < 6 })
	if p, ok := pred.predict(b, ready, at(ready.Ready)); ok {
		t.Errorf("in its ready phase: predicted %+v", p)
	}
	if p, ok := pred.predict(b, ready, at(ready.Ready+2)); !ok || chebyshev(p.Head, ready.Head) != 2 || p.Ahead != ready.Ready+2 {
		t.Errorf("2 ticks after its ready phase: %+v, %v; want 2 cells from %v", p, ok, ready.Head)
	}

	open := riding(t, n, func(b *core, c *game.Cycle) bool {
		return c.Ready == 0 && b.st.Run(c.Head, c.Dir, 100) > 20
	})
	for ticks := 0; ticks <= 30; ticks += 3 {
		p, ok := pred.predict(b, open, at(ticks))
		want := min(ticks, predictHorizon(b.st.Params))
		if !ok || p.Ahead != want || chebyshev(p.Head, open.Head) != want || p.Heard != open.Head {
			t.Errorf("%d ticks on: %+v, %v; want %d cells ahead of %v", ticks, p, ok, want, open.Head)
		}
	}

	wall := riding(t, n, func(b *core, c *game.Cycle) bool {
		return c.Ready == 0 && b.st.Run(c.Head, c.Dir, 100) < 5
	})
	run := b.st.Run(wall.Head, wall.Dir, 100)
	p, ok := pred.predict(b, wall, at(10))
	if !ok || chebyshev(p.Head, wall.Head) != run || b.st.Free(p.Head.Add(wall.Dir)) {
		t.Errorf("towards a wall %d cells away: %+v, %v; want the last free cell", run, p, ok)
	}
}

// TestSnapshotPredictions: a p2p snapshot predicts the remote cycles
// riding, not its own, sorted by id, and tells each peer's corrections;
// a server-mode snapshot predicts nothing.
func TestSnapshotPredictions(t *testing.T) {
	n := newSimNet(t, 5, 4, true)
	n.delayAll = 2
	seen := 0
	for range 300 {
		n.advance(false)
		s := n.cores[0].snapshot(n.now)
		for i, p := range s.Predictions {
			c := s.Arena.Cycle(p.ID)
			if p.ID == s.Self || c == nil || !c.Alive || p.Heard != c.Head || (i > 0 && s.Predictions[i-1].ID >= p.ID) {
				t.Fatalf("prediction %+v of cycle %+v (self %d, predictions %v)", p, c, s.Self, s.Predictions)
			}
			if h, _ := s.DrawnHead(p.ID, true); h != p.Head {
				t.Fatalf("drawn head %v, predicted %v", h, p.Head)
			}
		}
		seen += len(s.Predictions)
	}
	if seen == 0 {
		t.Fatal("no prediction in 300 ticks")
	}
	corrected := false
	for _, ps := range n.cores[0].snapshot(n.now).Peers {
		if ps.Correction > ps.CorrectionMax {
			t.Errorf("%s: correction %d above its max %d", ps.Name, ps.Correction, ps.CorrectionMax)
		}
		corrected = corrected || ps.CorrectionMax > 0
	}
	if !corrected {
		t.Error("turning bots 2 ticks away were never corrected")
	}

	srv := newSimNetMode(t, 5, 3, true, ModeServer)
	for range 100 {
		srv.advance(false)
	}
	for _, l := range srv.cores {
		s := l.snapshot(srv.now)
		if s.Arena.Len() < 2 || s.Predictions != nil {
			t.Errorf("server mode: %d cycles, predictions %v", s.Arena.Len(), s.Predictions)
		}
	}
}

// TestOwnerClockFollowsADelayChange: when the delay grows by 200 ms (the
// player bends the network), the estimate holds while the window still
// has packets of the old delay and the round trips to match, and is right
// again once it has only new ones: it never takes the new delay with the
// old round trip.
func TestOwnerClockFollowsADelayChange(t *testing.T) {
	origin := time.Unix(1_700_000_000, 0)
	var c ownerClock
	delay := 10 * time.Millisecond
	rtt := time.Duration(0)
	for tick := uint32(0); tick < 150; tick++ {
		if tick == 60 {
			delay = 210 * time.Millisecond
		}
		at := origin.Add(time.Duration(tick)*testPeriod + delay)
		if tick%15 == 0 || rtt == 0 { // a ping a second; its answer comes after its round trip
			rtt = 2 * delay
		}
		c.add(tick, at, testPeriod, rtt)
		if tick < 5 {
			continue
		}
		want := int64(tick) + 3
		if got, _ := c.tickAt(origin.Add(time.Duration(want)*testPeriod), testPeriod); got != want {
			t.Errorf("tick %d: estimated %d", want, got)
		}
	}
}

// TestPredictionsChangeNoReplica: taking snapshots with predictions, at
// any instant, leaves every replica as it was: predicted cells are drawn,
// never stepped on or collided with.
func TestPredictionsChangeNoReplica(t *testing.T) {
	n := newSimNet(t, 6, 3, true)
	n.delayAll = 2
	predicted := 0
	for range 200 {
		n.advance(false)
		for _, l := range n.cores {
			before := l.st.Digest()
			for ticks := range 20 {
				predicted += len(l.snapshot(n.now.Add(time.Duration(ticks) * testPeriod)).Predictions)
			}
			if l.st.Digest() != before {
				t.Fatalf("%s: a snapshot changed the replica", l.p.cfg.Name)
			}
		}
	}
	if predicted == 0 {
		t.Fatal("nothing was predicted")
	}
}
