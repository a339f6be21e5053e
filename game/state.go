package game

import (
	"fmt"
	"maps"
	"math/rand/v2"
	"slices"
)

// EventKind says what happened in an Event.
type EventKind uint8

// Event kinds.
const (
	EventCrash   EventKind = iota + 1 // Player crashed; Other is the killer (0: none)
	EventKill                         // Player was credited a kill of Other
	EventRespawn                      // Player is back
)

// Event is something a player would want to be told about.
type Event struct {
	Kind   EventKind
	Player PlayerID
	Other  PlayerID
	Tick   uint32
}

// State is one replica of the arena: every cycle this peer knows of. The
// cycles marked local are stepped here; the others are copies merged from
// their owners.
//
// The zero value is not usable; call New. A State is not safe for
// concurrent use: one goroutine owns it and hands out Clones.
type State struct {
	Params Params
	Tick   uint32

	// Match is the current match, from 1 (0: drop-in play); Winner its
	// winner once decided, and Final the table then. LastWinner is the
	// winner of the match before. See match.go.
	Match      uint16
	Winner     PlayerID
	Final      []Standing
	LastWinner PlayerID
	overAt     uint32

	cycles map[PlayerID]*Cycle
	order  []PlayerID // sorted ids, so that iteration is deterministic
	local  map[PlayerID]bool

	grid      []PlayerID // occupant of each cell by a living cycle's trail
	gridDirty bool
}

// New returns an empty arena.
func New(p Params) *State {
	var match uint16
	if p.FirstTo > 0 {
		match = 1
	}
	return &State{
		Params: p,
		Match:  match,
		cycles: map[PlayerID]*Cycle{},
		local:  map[PlayerID]bool{},
		grid:   make([]PlayerID, p.Width*p.Height),
	}
}

// IDs returns the ids of all cycles, sorted.
func (s *State) IDs() []PlayerID { return slices.Clone(s.order) }

// Len is the number of cycles.
func (s *State) Len() int { return len(s.order) }

// Cycle returns the cycle of id, or nil. The caller must not keep it past
// the next change of s; use Clone for that.
func (s *State) Cycle(id PlayerID) *Cycle { return s.cycles[id] }

// Cycles calls f for each cycle in id order.
func (s *State) Cycles(f func(*Cycle)) {
	for _, id := range s.order {
		f(s.cycles[id])
	}
}

// IsLocal reports whether id is stepped by this replica.
func (s *State) IsLocal(id PlayerID) bool { return s.local[id] }

// Join adds a local cycle and spawns it at a safe spot at once.
func (s *State) Join(id PlayerID, name Text, color int, bot bool, rng *rand.Rand) (*Cycle, error) {
	if id == 0 {
		return nil, fmt.Errorf("player id 0 is reserved")
	}
	if color < 0 || color >= Colors {
		return nil, ErrBadColor
	}
	if _, ok := s.cycles[id]; ok {
		return nil, fmt.Errorf("player %d already in the arena", id)
	}
	if len(s.order) >= MaxPlayers {
		return nil, fmt.Errorf("%w (%d players)", ErrArenaFull, MaxPlayers)
	}
	c := &Cycle{ID: id, Name: name, Color: color, Bot: bot, Match: s.Match, credited: map[PlayerID]uint16{}}
	s.insert(c)
	s.local[id] = true
	if !s.spawn(c, rng) {
		s.Remove(id)
		return nil, fmt.Errorf("arena has no free cell")
	}
	return c, nil
}

func (s *State) insert(c *Cycle) {
	s.cycles[c.ID] = c
	i, _ := slices.BinarySearch(s.order, c.ID)
	s.order = slices.Insert(s.order, i, c.ID)
}

// Remove deletes a cycle, with its trail.
func (s *State) Remove(id PlayerID) {
	if _, ok := s.cycles[id]; !ok {
		return
	}
	delete(s.cycles, id)
	delete(s.local, id)
	if i, ok := slices.BinarySearch(s.order, id); ok {
		s.order = slices.Delete(s.order, i, i+1)
	}
	s.gridDirty = true
	s.recount()
}

// Turn queues a turn of a local cycle for the coming ticks. A turn that
// repeats the heading it follows, or reverses it, is ignored, so that two
// quick presses inside one tick can never add up to a 180° turn.
func (s *State) Turn(id PlayerID, d Dir) bool {
	c := s.cycles[id]
	if c == nil || !s.local[id] || !d.Valid() || !c.Alive {
		return false
	}
	if c.Ready > 0 {
		// The first key of a waiting cycle sets off in that direction:
		// its trail is one cell, so any heading will do.
		c.Dir, c.Ready, c.queue = d, 0, nil
		return true
	}
	last := c.Dir
	if n := len(c.queue); n > 0 {
		last = c.queue[n-1]
	}
	if d == last || d == last.Opposite() || len(c.queue) >= maxQueued {
		return false
	}
	c.queue = append(c.queue, d)
	return true
}

// Occupant returns the living cycle whose trail covers p, or 0.
func (s *State) Occupant(p Point) PlayerID {
	if !s.Params.In(p) {
		return 0
	}
	s.ensureGrid()
	return s.grid[p.Y*s.Params.Width+p.X]
}

// Free reports whether p is on the arena and no living trail covers it.
func (s *State) Free(p Point) bool { return s.Params.In(p) && s.Occupant(p) == 0 }

func (s *State) ensureGrid() {
	if !s.gridDirty {
		return
	}
	clear(s.grid)
	for _, id := range s.order {
		if c := s.cycles[id]; c.Alive {
			s.paint(c)
		}
	}
	s.gridDirty = false
}

func (s *State) paint(c *Cycle) {
	w := s.Params.Width
	c.Cells(func(p Point) bool {
		if s.Params.In(p) {
			s.grid[p.Y*w+p.X] = c.ID
		}
		return true
	})
}

// Step advances every local cycle by one tick, all at once: this is the
// authoritative simulation (a host in server mode, tests, replays). Two
// heads entering one cell both crash, each killed by the other.
func (s *State) Step(rng *rand.Rand) []Event {
	var movers []PlayerID
	for _, id := range s.order {
		if s.local[id] {
			movers = append(movers, id)
		}
	}
	s.Tick++
	s.nextMatch()
	return s.step(movers, rng)
}

// StepOwn advances the single local cycle id by one tick against the rest
// of the arena as this replica knows it: the peer-to-peer step, where each
// owner decides its own crash from its own view.
func (s *State) StepOwn(id PlayerID, rng *rand.Rand) []Event {
	s.Tick++
	s.nextMatch()
	if !s.local[id] {
		return nil
	}
	return s.step([]PlayerID{id}, rng)
}

// Move advances the single local cycle id by one step without advancing
// the arena's tick: in server mode the host moves a client's cycle when
// that client's request arrives, not on the host's clock.
func (s *State) Move(id PlayerID, rng *rand.Rand) []Event {
	if !s.local[id] {
		return nil
	}
	return s.step([]PlayerID{id}, rng)
}

// SetLocal makes a cycle one this replica steps (a server-mode host taking
// over every cycle), or hands it back to a remote owner. A cycle made local
// counts as credited every kill its victims' ledgers already name, so that
// no kill is counted twice.
func (s *State) SetLocal(id PlayerID, local bool) {
	c := s.cycles[id]
	if c == nil || s.local[id] == local {
		return
	}
	if !local {
		delete(s.local, id)
		c.queue = nil
		return
	}
	s.local[id] = true
	c.credited = map[PlayerID]uint16{}
	for _, vid := range s.order {
		if n := s.cycles[vid].KilledByCount(id); n > 0 {
			c.credited[vid] = n
		}
	}
}

type move struct {
	c      *Cycle
	next   Point
	crash  bool
	killer PlayerID
}

// step moves the cycles ids by one cell, all at once against the arena as
// it was at the start of the tick, then crashes, credits kills and respawns.
func (s *State) step(ids []PlayerID, rng *rand.Rand) []Event {
	s.ensureGrid()
	w := s.Params.Width
	var events []Event
	var dead []*Cycle
	moves := make([]move, 0, len(ids))
	for _, id := range ids {
		c := s.cycles[id]
		if !c.Alive {
			dead = append(dead, c)
			continue
		}
		if c.waiting() {
			continue
		}
		c.takeTurn()
		m := move{c: c, next: c.Head.Add(c.Dir)}
		switch {
		case !s.Params.In(m.next):
			m.crash = true
		case s.grid[m.next.Y*w+m.next.X] != 0:
			m.crash = true
			if k := s.grid[m.next.Y*w+m.next.X]; k != c.ID {
				m.killer = k
			}
		}
		moves = append(moves, m)
	}
	meetHeads(moves)
	crashed := 0
	for _, m := range moves {
		if m.crash {
			events = s.crash(m.c, m.killer, events)
			crashed++
			continue
		}
		m.c.Head = m.next
		s.grid[m.next.Y*w+m.next.X] = m.c.ID
	}
	if crashed > 0 {
		events = s.settleCrashes(moves, events)
	}
	// Respawn last, on the arena as the moves left it, so that a new life
	// never starts on the cell another cycle moves into this tick.
	for _, c := range dead {
		events = s.stepDead(c, rng, events)
	}
	return events
}

// settleCrashes credits the kills of this tick's crashes, ends the
// victims' streaks and recounts the kills. Every kill is credited before
// any streak ends, so that two cycles killing each other end alike
// whatever their ids.
func (s *State) settleCrashes(moves []move, events []Event) []Event {
	for _, m := range moves {
		if m.crash {
			events = s.settle(m.c, events)
		}
	}
	for _, m := range moves {
		if m.crash {
			m.c.Streak = 0
		}
	}
	s.recount()
	return events
}

// waiting counts down the ready phase of c, reporting whether it is in
// it: then it stays on its spawn cell, an obstacle that cannot die.
func (c *Cycle) waiting() bool {
	if c.Ready == 0 {
		return false
	}
	c.Ready--
	return true
}

// meetHeads crashes heads meeting in one empty cell: both, each by the
// other.
func meetHeads(moves []move) {
	for i := range moves {
		for j := i + 1; j < len(moves); j++ {
			if moves[i].next == moves[j].next {
				if !moves[i].crash {
					moves[i].crash, moves[i].killer = true, moves[j].c.ID
				}
				if !moves[j].crash {
					moves[j].crash, moves[j].killer = true, moves[i].c.ID
				}
			}
		}
	}
}

// takeTurn applies the first queued turn, recording the turn point.
func (c *Cycle) takeTurn() {
	if len(c.queue) == 0 {
		return
	}
	if d := c.queue[0]; d != c.Dir && d != c.Dir.Opposite() {
		if len(c.Verts) == 0 || c.Verts[len(c.Verts)-1] != c.Head {
			c.Verts = append(c.Verts, c.Head)
		}
		c.Dir = d
	}
	c.queue = c.queue[1:]
}

// crash ends the life of c. Its trail stops blocking at once; the caller
// credits the kill (settle) and ends the streak.
func (s *State) crash(c *Cycle, killer PlayerID, events []Event) []Event {
	c.Alive = false
	c.DeadTicks = 0
	c.Killer = killer
	c.queue = nil
	c.Deaths++
	if killer != 0 {
		c.addKilledBy(killer)
	}
	s.gridDirty = true
	return append(events, Event{Kind: EventCrash, Player: c.ID, Other: killer, Tick: s.Tick})
}

func (s *State) stepDead(c *Cycle, rng *rand.Rand, events []Event) []Event {
	c.DeadTicks++
	if c.DeadTicks >= s.Params.FadeTicks() {
		c.Verts = nil
	}
	// In an arena with no free cell the cycle waits on, dead.
	if c.DeadTicks >= s.Params.RespawnTicks() && s.spawn(c, rng) {
		events = append(events, Event{Kind: EventRespawn, Player: c.ID, Tick: s.Tick})
	}
	return events
}

// RespawnIn is how many ticks a dead cycle still waits (0 also when it is
// overdue, waiting for a free cell).
func (s *State) RespawnIn(c *Cycle) int {
	if c.Alive {
		return 0
	}
	return max(0, s.Params.RespawnTicks()-c.DeadTicks)
}

// settle credits the kills that victim v's ledger names to the local
// cycles that made them, each death exactly once.
func (s *State) settle(v *Cycle, events []Event) []Event {
	for _, t := range v.KilledBy {
		k := s.cycles[t.Killer]
		if k == nil || !s.local[k.ID] || k.ID == v.ID {
			continue
		}
		if k.credited == nil {
			k.credited = map[PlayerID]uint16{}
		}
		if done := k.credited[v.ID]; t.Count > done {
			n := t.Count - done
			k.credited[v.ID] = t.Count
			k.Kills += n
			k.Streak += n
			k.Best = max(k.Best, k.Streak)
			events = append(events, Event{Kind: EventKill, Player: k.ID, Other: v.ID, Tick: s.Tick})
		}
	}
	return events
}

// Merge replaces the replica of a remote cycle with the owner's latest
// state and credits any kill it announces to the local cycles, each death
// once however often it is merged. The cycle is validated first (trail,
// color, death ledger: the errors ErrTrail…, ErrBadDir, ErrBadColor,
// ErrBadLedger); an invalid one is refused whole and s is left unchanged.
// The name is Text: the caller cleaned it where it came in.
func (s *State) Merge(remote *Cycle) ([]Event, error) {
	if err := s.Params.ValidateTrail(remote.Verts, remote.Head, remote.Dir); err != nil {
		return nil, err
	}
	if remote.Alive && len(remote.Verts) == 0 {
		return nil, ErrTrailNotContiguous
	}
	if err := s.checkRemote(remote); err != nil {
		return nil, err
	}
	c := *remote
	c.trail = remoteTrail{total: len(remote.Verts)}
	if old := s.cycles[remote.ID]; old != nil {
		c.Verts = extend(old.Verts, remote.Verts)
	} else {
		c.Verts = slices.Clone(remote.Verts)
	}
	return s.put(&c), nil
}

// checkRemote checks the fields of a remote cycle other than its trail:
// not owned here, a real id, a color of the palette, a well-formed
// ledger, and room in the arena for a newcomer.
func (s *State) checkRemote(c *Cycle) error {
	switch {
	case s.local[c.ID]:
		return fmt.Errorf("player %d is owned here", c.ID)
	case c.ID == 0:
		return fmt.Errorf("player id 0 is reserved")
	case c.Color < 0 || c.Color >= Colors:
		return ErrBadColor
	}
	if err := c.validateLedger(); err != nil {
		return err
	}
	if _, ok := s.cycles[c.ID]; !ok && len(s.order) >= MaxPlayers {
		return ErrArenaFull
	}
	return nil
}

// put stores a copy of a checked remote cycle, whose Verts are its own
// or extend the old ones, and credits the kills its ledger announces. A
// ledger equal to the old one is kept: Arena pictures share it, so it is
// never changed in place.
func (s *State) put(c *Cycle) []Event {
	c.queue, c.credited = nil, nil
	old := s.cycles[c.ID]
	if old == nil {
		nc := *c
		nc.KilledBy = slices.Clone(c.KilledBy)
		s.insert(&nc)
		s.gridDirty = true
		events := s.settle(&nc, nil)
		s.recount()
		return events
	}
	if slices.Equal(old.KilledBy, c.KilledBy) {
		c.KilledBy = old.KilledBy
	} else {
		c.KilledBy = slices.Clone(c.KilledBy)
	}
	*old = *c
	s.gridDirty = true
	events := s.settle(old, nil)
	s.recount()
	return events
}

// extend returns next, reusing old when next only appends to it: the
// vertices of old are never written, only those past its end.
func extend(old, next []Point) []Point {
	if len(next) >= len(old) && len(old) > 0 && slices.Equal(old, next[:len(old)]) {
		return append(old, next[len(old):]...)
	}
	return slices.Clone(next)
}

// Clone returns a deep copy that shares nothing with s: a snapshot the UI
// may keep. Owner-only input queues are not copied.
func (s *State) Clone() *State {
	d := &State{
		Params: s.Params,
		Tick:   s.Tick,
		Match:  s.Match, Winner: s.Winner, LastWinner: s.LastWinner, overAt: s.overAt,
		Final:     slices.Clone(s.Final),
		cycles:    make(map[PlayerID]*Cycle, len(s.cycles)),
		order:     slices.Clone(s.order),
		local:     maps.Clone(s.local),
		grid:      slices.Clone(s.grid),
		gridDirty: s.gridDirty,
	}
	for id, c := range s.cycles {
		cc := c.Clone()
		if c.credited != nil {
			cc.credited = maps.Clone(c.credited)
		}
		d.cycles[id] = cc
	}
	return d
}
