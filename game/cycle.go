package game

import (
	"errors"
	"slices"
)

// Tally counts how often one killer got a cycle.
type Tally struct {
	Killer PlayerID
	Count  uint16
}

// Cycle is one player's light cycle. Its owner alone changes it; every
// other replica holds a copy taken from the owner's announcements.
//
// The trail is a polyline: Verts[0] is the cell where the cycle spawned,
// each later vertex is a cell where it turned, and the line runs on to Head.
// Every consecutive pair lies on one row or one column, so the cells of the
// trail are exactly the cells the cycle has ridden through this life.
type Cycle struct {
	ID    PlayerID
	Name  Text
	Color int // palette index, 0..Colors-1
	Bot   bool

	Alive     bool
	Life      uint16 // counts spawns: a new life starts a new trail
	Dir       Dir
	Head      Point
	Verts     []Point
	DeadTicks int // ticks since the latest crash, while dead
	// Ready counts the ticks left of this life's ready phase: the cycle
	// waits at its spawn cell, heading Dir, and cannot die. 0 once it rides.
	Ready  int
	Killer PlayerID // who caused the latest crash (0: wall or own trail)

	Kills, Deaths, Streak, Best uint16
	// Match is the match its ledger and scores belong to (0: no matches).
	Match uint16
	// KilledBy is this cycle's own ledger of its deaths, by killer, sorted
	// by Killer. A killer's Kills are derived from every victim's ledger,
	// so all scoreboards converge to the same numbers.
	KilledBy []Tally

	queue    []Dir               // owner only: turns pressed, not yet taken
	credited map[PlayerID]uint16 // owner only: kills counted, by victim
	trail    remoteTrail         // replicas only: what is known of the owner's trail
}

// maxQueued bounds the turns a player can press ahead of the ticks.
const maxQueued = 3

// Clone returns a deep copy of c, without the owner-only input queue.
func (c *Cycle) Clone() *Cycle {
	d := *c
	d.Verts = slices.Clone(c.Verts)
	d.KilledBy = slices.Clone(c.KilledBy)
	d.queue = nil
	d.credited = nil
	return &d
}

// TrailLen is the number of cells of the trail (0 once it has faded).
func (c *Cycle) TrailLen() int {
	if len(c.Verts) == 0 {
		return 0
	}
	n := 1
	prev := c.Verts[0]
	for i := 1; i <= len(c.Verts); i++ {
		next := c.Head
		if i < len(c.Verts) {
			next = c.Verts[i]
		}
		n += abs(next.X-prev.X) + abs(next.Y-prev.Y)
		prev = next
	}
	return n
}

// Cells calls f for every cell of the trail, from the spawn cell to the head.
// It stops early when f returns false, and at the first segment that is not
// on one row or column (only a trail that failed ValidateTrail has one).
func (c *Cycle) Cells(f func(Point) bool) {
	if len(c.Verts) == 0 {
		return
	}
	if !f(c.Verts[0]) {
		return
	}
	prev := c.Verts[0]
	for i := 1; i <= len(c.Verts); i++ {
		next := c.Head
		if i < len(c.Verts) {
			next = c.Verts[i]
		}
		if next.X != prev.X && next.Y != prev.Y {
			return
		}
		dx, dy := sign(next.X-prev.X), sign(next.Y-prev.Y)
		for prev != next {
			prev = Point{prev.X + dx, prev.Y + dy}
			if !f(prev) {
				return
			}
		}
	}
}

// KilledByCount returns how often killer got c.
func (c *Cycle) KilledByCount(killer PlayerID) uint16 {
	i, ok := slices.BinarySearchFunc(c.KilledBy, killer, cmpTally)
	if !ok {
		return 0
	}
	return c.KilledBy[i].Count
}

// addKilledBy counts one more death by killer. The ledger is copied, not
// changed in place: Arena pictures share it.
func (c *Cycle) addKilledBy(killer PlayerID) {
	i, ok := slices.BinarySearchFunc(c.KilledBy, killer, cmpTally)
	if ok {
		c.KilledBy = slices.Clone(c.KilledBy)
		c.KilledBy[i].Count++
		return
	}
	c.KilledBy = slices.Insert(slices.Clip(c.KilledBy), i, Tally{Killer: killer, Count: 1})
}

func cmpTally(t Tally, id PlayerID) int {
	switch {
	case t.Killer < id:
		return -1
	case t.Killer > id:
		return 1
	}
	return 0
}

// Trail validation errors, named so that the network layer can count drops
// by reason.
var (
	ErrTrailOffArena      = errors.New("trail leaves the arena")
	ErrTrailNotContiguous = errors.New("trail is not contiguous")
	ErrTrailTooLong       = errors.New("trail longer than the arena")
	ErrBadDir             = errors.New("invalid direction")
	ErrArenaFull          = errors.New("arena full")
	ErrBadColor           = errors.New("color outside the palette")
	ErrBadLedger          = errors.New("death ledger malformed")
)

// ValidateTrail checks a trail received from someone else: a valid heading,
// the head and every vertex on the arena, each segment on one row or
// column, and no more cells or vertices than the arena has. A faded trail
// (no vertices) still has its head on the arena.
func (p Params) ValidateTrail(verts []Point, head Point, dir Dir) error {
	return p.validateJoined(verts, nil, head, dir)
}

// validateJoined is ValidateTrail of the vertices a followed by b, without
// joining them.
func (p Params) validateJoined(a, b []Point, head Point, dir Dir) error {
	if !dir.Valid() {
		return ErrBadDir
	}
	if !p.In(head) {
		return ErrTrailOffArena
	}
	n := len(a) + len(b)
	if n == 0 {
		return nil
	}
	if n > p.Width*p.Height {
		return ErrTrailTooLong
	}
	at := func(i int) Point {
		switch {
		case i < len(a):
			return a[i]
		case i < n:
			return b[i-len(a)]
		}
		return head
	}
	cells := 1
	prev := at(0)
	if !p.In(prev) {
		return ErrTrailOffArena
	}
	for i := 1; i <= n; i++ {
		next := at(i)
		if !p.In(next) {
			return ErrTrailOffArena
		}
		if next.X != prev.X && next.Y != prev.Y {
			return ErrTrailNotContiguous
		}
		cells += abs(next.X-prev.X) + abs(next.Y-prev.Y)
		if cells > p.Width*p.Height {
			return ErrTrailTooLong
		}
		prev = next
	}
	return nil
}

// validateLedger checks a death ledger received from someone else: sorted
// by killer without repeats, no entry for nobody or for the victim itself,
// no empty entry, and no more deaths by killers than deaths.
func (c *Cycle) validateLedger() error {
	total := 0
	var last PlayerID
	for _, t := range c.KilledBy {
		if t.Killer <= last || t.Killer == c.ID || t.Count == 0 {
			return ErrBadLedger
		}
		last = t.Killer
		total += int(t.Count)
	}
	if total > int(c.Deaths) {
		return ErrBadLedger
	}
	return nil
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

func sign(x int) int {
	switch {
	case x < 0:
		return -1
	case x > 0:
		return 1
	}
	return 0
}
