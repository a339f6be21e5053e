package game

import (
	"math/rand/v2"
	"testing"
)

// testParams is a small arena for hand-built positions.
var testParams = Params{Width: 20, Height: 20, TickRate: 15}

func newRNG(seed uint64) *rand.Rand { return rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)) }

// place puts cycle id on the arena alive, heading dir, with the trail verts
// running on to head. It creates a local cycle when there is none and keeps
// the scores of an existing one.
func place(t testing.TB, s *State, id PlayerID, dir Dir, head Point, verts ...Point) *Cycle {
	t.Helper()
	if len(verts) == 0 {
		verts = []Point{head}
	}
	if err := s.Params.ValidateTrail(verts, head, dir); err != nil {
		t.Fatalf("place %d: %v", id, err)
	}
	c := s.cycles[id]
	if c == nil {
		c = &Cycle{ID: id, Name: "p", credited: map[PlayerID]uint16{}}
		s.insert(c)
		s.local[id] = true
	}
	c.Alive, c.Dir, c.Head, c.Verts, c.DeadTicks, c.Ready, c.queue = true, dir, head, verts, 0, 0, nil
	s.gridDirty = true
	return c
}

// steps runs n ticks of s and returns the events of all of them.
func steps(s *State, n int, rng *rand.Rand) []Event {
	var events []Event
	for range n {
		events = append(events, s.Step(rng)...)
	}
	return events
}

// cells lists the cells of c's trail.
func cells(c *Cycle) []Point {
	var ps []Point
	c.Cells(func(p Point) bool {
		ps = append(ps, p)
		return true
	})
	return ps
}
