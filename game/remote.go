package game

import (
	"errors"
	"fmt"
	"slices"
)

// Update is an owner's announcement of its cycle, as a state message
// carries it: the cycle's fields and the newest vertices of its trail.
// Apply folds it into a replica.
type Update struct {
	Name  Text // as shown on this replica
	Color int
	Bot   bool

	Tick                        uint32 // on the owner's clock
	Life                        uint16
	Alive                       bool
	Dir                         Dir
	Head                        Point
	DeadTicks                   int
	Ready                       int // ticks left of the life's ready phase
	Killer                      PlayerID
	Kills, Deaths, Streak, Best uint16
	Ledger                      []Tally // the cycle's deaths by killer, as known so far
	// Match and Winner are the owner's match and its winner (0 while
	// played): see HearMatch. Kills is the owner's claim, never taken:
	// kills are derived from the ledgers.
	Match  uint16
	Winner PlayerID

	VertTotal int     // vertices in the owner's list for this life
	Verts     []Point // the last len(Verts) of them

	// Follows says the update follows the last one applied on the same
	// clock, so that it may move at most one cell per tick (plus Slack)
	// from there and never has fewer vertices in the same life. It is
	// false for the first update from a sender (a new server-mode host
	// numbers its ticks its own way).
	Follows bool
	Slack   int
}

// Errors of Apply and AddTrail besides the trail errors.
var (
	ErrTeleport = errors.New("cycle moved farther than its ticks allow")
	ErrTrailGap = errors.New("trail chunk does not join the known trail")
)

// remoteTrail is what a replica knows of a remote cycle's trail: its
// Verts are the owner's vertices from base on (trail repair fills in the
// start), and the latest update's clock and vertex count.
type remoteTrail struct {
	base  int
	total int
	tick  uint32
}

// Apply validates an owner's update of cycle id against what this replica
// knows, then merges it: the one place where a remote state enters the
// arena. An invalid update changes nothing and returns one of
// ErrTrailOffArena, ErrTeleport, the other trail errors, ErrBadColor,
// ErrBadLedger or ErrArenaFull. The events are the kills it credits to
// local cycles and, when it follows a living update of the same life,
// the crash it announces.
func (s *State) Apply(id PlayerID, u *Update) ([]Event, error) {
	old := s.cycles[id]
	if err := s.plausible(old, u); err != nil {
		return nil, err
	}
	keep, base := joinPoint(old, u)
	var known []Point
	if keep > 0 {
		known = old.Verts[:keep]
	}
	if err := s.Params.validateJoined(known, u.Verts, u.Head, u.Dir); err != nil {
		return nil, err
	}
	if u.Alive && keep+len(u.Verts) == 0 {
		return nil, ErrTrailNotContiguous
	}
	c := Cycle{ID: id, Name: u.Name, Color: u.Color, Bot: u.Bot, Alive: u.Alive, Life: u.Life, Dir: u.Dir,
		Head: u.Head, DeadTicks: u.DeadTicks, Ready: u.Ready, Killer: u.Killer, Kills: u.Kills, Deaths: u.Deaths,
		Streak: u.Streak, Best: u.Best, Match: u.Match, KilledBy: u.Ledger}
	c.Deaths = max(c.Deaths, ledgerDeaths(u.Ledger)) // a ledger can come before the state counting its death
	if err := s.checkRemote(&c); err != nil {
		return nil, err
	}
	s.HearMatch(u.Match, u.Winner) // once the update is known to be sound
	// A cycle that stops at a new match did not crash.
	crashed := old != nil && u.Follows && old.Alive && !u.Alive && old.Life == u.Life && old.Match == u.Match
	c.trail = remoteTrail{base: base, total: u.VertTotal, tick: u.Tick}
	if old != nil {
		c.Verts = joinTrail(old.Verts, keep, u.Verts)
	} else {
		c.Verts = slices.Clone(u.Verts)
	}
	events := s.put(&c)
	if crashed {
		events = append(events, Event{Kind: EventCrash, Player: id, Other: u.Killer, Tick: s.Tick})
	}
	return events, nil
}

// plausible rejects updates no honest owner sends: a head or vertex off
// the arena, a living cycle without a trail, and, following a living
// update of the same life, a head farther than one cell per tick away
// or fewer vertices than before.
func (s *State) plausible(old *Cycle, u *Update) error {
	if !s.Params.In(u.Head) {
		return ErrTrailOffArena
	}
	for _, v := range u.Verts {
		if !s.Params.In(v) {
			return ErrTrailOffArena
		}
	}
	if u.Alive && u.VertTotal == 0 {
		return ErrTrailNotContiguous
	}
	if old == nil || !u.Follows || u.Life != old.Life || !u.Alive || !old.Alive {
		return nil
	}
	ticks := int64(u.Tick) - int64(old.trail.tick)
	dist := int64(abs(u.Head.X-old.Head.X) + abs(u.Head.Y-old.Head.Y))
	if ticks < 0 || dist > ticks+int64(u.Slack) {
		return ErrTeleport
	}
	if u.VertTotal < old.trail.total {
		return ErrTrailNotContiguous
	}
	return nil
}

// joinPoint says how an update's vertices join the known trail: keep is
// how many known vertices come before them, base the index of the first
// vertex of the result in the owner's list. The owner only ever appends
// to a life's list, so any overlap joins exactly; a gap keeps the newest
// part and leaves the older part to trail repair.
func joinPoint(old *Cycle, u *Update) (keep, base int) {
	start := u.VertTotal - len(u.Verts)
	switch {
	case u.VertTotal == 0:
		return 0, 0
	case old == nil || old.Life != u.Life || len(old.Verts) == 0:
		return 0, start
	case old.trail.base <= start && old.trail.base+len(old.Verts) >= start:
		return start - old.trail.base, old.trail.base
	}
	return 0, start
}

// joinTrail is known[:keep] followed by tail. It extends known in place
// when tail only adds to it, and copies otherwise: vertices once written
// are never changed, since Arena pictures share them.
func joinTrail(known []Point, keep int, tail []Point) []Point {
	if keep == 0 {
		return slices.Clone(tail)
	}
	overlap := len(known) - keep
	if overlap <= len(tail) && slices.Equal(known[keep:], tail[:overlap]) {
		return append(known, tail[overlap:]...)
	}
	out := make([]Point, 0, keep+len(tail))
	return append(append(out, known[:keep]...), tail...)
}

// AddTrail prepends the vertices from..from+len(verts) of life's trail,
// sent by trail repair, to what this replica knows of remote cycle id.
// They must join what it has (ErrTrailGap) and make a valid trail.
func (s *State) AddTrail(id PlayerID, life uint16, from int, verts []Point) error {
	c := s.cycles[id]
	if c == nil || s.local[id] || life != c.Life || c.trail.base == 0 || from > c.trail.base || from+len(verts) < c.trail.base {
		return ErrTrailGap
	}
	older := verts[:c.trail.base-from]
	if err := s.Params.validateJoined(older, c.Verts, c.Head, c.Dir); err != nil {
		return err
	}
	out := make([]Point, 0, len(older)+len(c.Verts))
	c.Verts = append(append(out, older...), c.Verts...)
	c.trail.base = from
	s.gridDirty = true
	return nil
}

// MissingTrail says which start of remote cycle id's trail this replica
// lacks: the first upTo vertices of life (upTo 0 when it has them all).
func (s *State) MissingTrail(id PlayerID) (life uint16, upTo int) {
	c := s.cycles[id]
	if c == nil || s.local[id] {
		return 0, 0
	}
	return c.Life, c.trail.base
}

// MergeLedger replaces the death ledger of remote cycle id with ledger,
// which has grown (a hello can bring a death's entry before the state
// that counts it), and credits its kills to the local cycles.
func (s *State) MergeLedger(id PlayerID, ledger []Tally) ([]Event, error) {
	c := s.cycles[id]
	if c == nil || s.local[id] {
		return nil, fmt.Errorf("no remote cycle %d", id)
	}
	next := *c
	next.KilledBy = ledger
	next.Deaths = max(c.Deaths, ledgerDeaths(ledger))
	if err := next.validateLedger(); err != nil {
		return nil, err
	}
	c.KilledBy, c.Deaths = slices.Clone(ledger), next.Deaths
	events := s.settle(c, nil)
	s.recount()
	return events, nil
}

func ledgerDeaths(ledger []Tally) uint16 {
	var n uint16
	for _, t := range ledger {
		n += t.Count
	}
	return n
}
