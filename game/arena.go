package game

import "slices"

// Arena is a read-only picture of a State at one tick: what a screen
// draws. Taking one copies each cycle's fields but shares its trail and
// ledger with the State, whose trails are append-only (a vertex once
// written is never changed; a new life gets a new list), so a picture
// costs the same however long the trails are. Nothing in an Arena, its
// cycles included, may be modified; it is safe to read from any goroutine
// once handed over.
type Arena struct {
	Params Params
	Tick   uint32
	cycles []Cycle // in id order
}

// View takes a picture of s.
func (s *State) View() *Arena {
	a := &Arena{Params: s.Params, Tick: s.Tick, cycles: make([]Cycle, len(s.order))}
	for i, id := range s.order {
		c := s.cycles[id]
		a.cycles[i] = *c
		pc := &a.cycles[i]
		pc.Verts = slices.Clip(c.Verts) // an append to s's trail stays out of sight
		pc.KilledBy = slices.Clip(c.KilledBy)
		pc.queue, pc.credited = nil, nil
	}
	return a
}

// Cycle returns the cycle of id, or nil.
func (a *Arena) Cycle(id PlayerID) *Cycle {
	if a == nil {
		return nil
	}
	i, ok := slices.BinarySearchFunc(a.cycles, id, func(c Cycle, id PlayerID) int {
		switch {
		case c.ID < id:
			return -1
		case c.ID > id:
			return 1
		}
		return 0
	})
	if !ok {
		return nil
	}
	return &a.cycles[i]
}

// Cycles calls f for each cycle in id order.
func (a *Arena) Cycles(f func(*Cycle)) {
	for i := range a.cycles {
		f(&a.cycles[i])
	}
}

// Len is the number of cycles.
func (a *Arena) Len() int { return len(a.cycles) }

// RespawnIn is how many ticks a dead cycle still waits (0 also when it is
// overdue, waiting for a free cell).
func (a *Arena) RespawnIn(c *Cycle) int {
	if c.Alive {
		return 0
	}
	return max(0, a.Params.RespawnTicks()-c.DeadTicks)
}

// CycleDigest is State.CycleDigest of the pictured cycle.
func (a *Arena) CycleDigest(id PlayerID) uint64 {
	c := a.Cycle(id)
	if c == nil {
		return 0
	}
	return c.digest()
}
