package net

import (
	"errors"
	"net/netip"
	"slices"
	"time"

	"lanarena/game"
	"lanarena/net/wire"
)

// Replicas of remote cycles, shared by both models: a peer-to-peer peer
// keeps one per member, a server-mode client one per cycle its host
// reports. Each is rebuilt from sequenced states and trail chunks, then
// merged into the game replica.

// replica is what a replica knows of one remote cycle: the owner's newest
// state and as much of its trail as has arrived.
type replica struct {
	stateSeq  uint32 // sequence of the newest state applied
	haveState bool
	state     wire.State   // newest state applied (Verts not kept)
	verts     []game.Point // known trail vertices of the current life...
	base      int          // ...starting at this index of the owner's list
	ledger    []game.Tally // grow-only: max of every count announced
	repairAt  time.Time
}

// crashes reports whether s announces the crash of the life we saw alive.
func (r *replica) crashes(s *wire.State) bool {
	return r.haveState && r.state.Alive && !s.Alive && r.state.Life == s.Life
}

// take folds a newer state into the replica.
func (r *replica) take(seq uint32, s *wire.State) {
	if s.Life != r.state.Life { // (r.state outlives haveState: see setHost)
		r.verts, r.base = nil, 0
	}
	r.mergeVerts(s)
	r.stateSeq, r.haveState = seq, true
	r.state = *s
	r.state.Verts = nil
	if s.Killer != 0 {
		mergeLedger(&r.ledger, []game.Tally{{Killer: s.Killer, Count: s.KillerCount}})
	}
}

// plausible rejects states no honest owner sends: a head off the arena, a
// cycle that moved farther than one cell per tick of its owner's clock, or
// fewer vertices than before in the same life.
//
// slack is the extra cells allowed: in server mode a client's cycle moves
// when its request arrives, which can be once before and once after the
// host's tick.
func plausible(p game.Params, r *replica, s *wire.State, slack int64) DropReason {
	if !p.In(s.Head) {
		return DropOffArena
	}
	for _, v := range s.Verts {
		if !p.In(v) {
			return DropOffArena
		}
	}
	if s.Alive && s.VertTotal == 0 {
		return DropBadTrail
	}
	if r.haveState && s.Life == r.state.Life && s.Alive && r.state.Alive {
		ticks := int64(s.Tick) - int64(r.state.Tick)
		dist := int64(abs(s.Head.X-r.state.Head.X) + abs(s.Head.Y-r.state.Head.Y))
		if ticks < 0 || dist > ticks+slack {
			return DropTeleport
		}
		if s.VertTotal < r.state.VertTotal {
			return DropBadTrail
		}
	}
	return ""
}

// validate checks a state before any of it is applied: plausible, and the
// trail it would make is a valid one. A dropped packet changes nothing.
func (l *core) validate(r *replica, s *wire.State, slack int64) DropReason {
	p := l.p.cfg.Params
	if reason := plausible(p, r, s, slack); reason != "" {
		return reason
	}
	verts := r.verts
	if s.Life != r.state.Life {
		verts = nil
	}
	l.scratch = append(l.scratch[:0], verts...)
	l.scratch = joinVerts(l.scratch, r.base, s)
	if p.ValidateTrail(l.scratch, s.Head, s.Dir) != nil {
		return DropBadTrail
	}
	return ""
}

// joinVerts is mergeVerts on a copy: verts (starting at index base of the
// owner's list) with the state's recent vertices folded in.
func joinVerts(verts []game.Point, base int, s *wire.State) []game.Point {
	total, n := int(s.VertTotal), len(s.Verts)
	start := total - n
	switch {
	case total == 0:
		return verts[:0]
	case len(verts) > 0 && base <= start && base+len(verts) >= start:
		return append(verts[:start-base], s.Verts...)
	default:
		return append(verts[:0], s.Verts...)
	}
}

// mergeVerts folds the recent vertices a state carries into what we know
// of the owner's trail. The owner only ever appends to a life's vertex list,
// so any overlap joins exactly; a gap keeps the newest part and leaves the
// older part to trail repair.
func (r *replica) mergeVerts(s *wire.State) {
	total, n := int(s.VertTotal), len(s.Verts)
	start := total - n
	joins := len(r.verts) > 0 && r.base <= start && r.base+len(r.verts) >= start
	r.verts = joinVerts(r.verts, r.base, s)
	switch {
	case total == 0:
		r.base = 0
	case !joins: // nothing known, a gap, or newer vertices than all we know
		r.base = start
	}
}

// addTrail prepends the older vertices from..from+len(verts) of the
// current life. It reports whether they joined what we have.
func (r *replica) addTrail(life uint16, from int, verts []game.Point) bool {
	if !r.haveState || life != r.state.Life || r.base == 0 || from > r.base || from+len(verts) < r.base {
		return false
	}
	r.verts = append(slices.Clone(verts[:r.base-from]), r.verts...)
	r.base = from
	return true
}

// applyReplica rebuilds a remote cycle from what we know and merges it
// into the game replica.
func (l *core) applyReplica(id game.PlayerID, name string, color int, bot bool, r *replica, from netip.AddrPort) {
	s := &r.state
	c := &game.Cycle{
		ID:        id,
		Name:      name,
		Color:     color,
		Bot:       bot,
		Alive:     s.Alive,
		Life:      s.Life,
		Dir:       s.Dir,
		Head:      s.Head,
		Verts:     r.verts,
		DeadTicks: int(s.DeadTicks),
		Killer:    s.Killer,
		Kills:     s.Kills,
		Deaths:    s.Deaths,
		Streak:    s.Streak,
		Best:      s.Best,
		KilledBy:  r.ledger,
	}
	// A hello can bring a death's ledger entry before the state that
	// counts the death: count it now rather than refuse the ledger.
	var ledgered uint16
	for _, t := range r.ledger {
		ledgered += t.Count
	}
	c.Deaths = max(c.Deaths, ledgered)
	evs, err := l.st.Merge(c)
	if errors.Is(err, game.ErrArenaFull) {
		l.drop(DropRoomFull, from)
		return
	}
	if err != nil {
		l.drop(DropBadTrail, from)
		l.p.log.Printf("merge %s: %v", name, err)
		r.verts, r.base = nil, 0
		return
	}
	l.events(evs)
}

// needsRepair reports whether the replica misses the start of the trail
// and it is time to ask (again) for it.
func (r *replica) needsRepair(now time.Time) bool {
	if r.base == 0 || !r.haveState || now.Before(r.repairAt) {
		return false
	}
	r.repairAt = now.Add(repairEvery)
	return true
}

// repairFrom is the first vertex to ask for: the chunk just before what
// we know, so that each answer joins.
func (r *replica) repairFrom() uint16 { return uint16(max(0, r.base-maxTrailChunk)) }

// trailChunk is the part of c's trail from vertex from that fits a packet.
func trailChunk(c *game.Cycle, from uint16) *wire.Trail {
	total := len(c.Verts)
	start := min(int(from), total)
	end := min(total, start+maxTrailChunk)
	return &wire.Trail{Life: c.Life, From: uint16(start), Total: uint16(total), Verts: c.Verts[start:end]}
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// mergeLedger folds counts into a grow-only ledger, keeping the maximum of
// each killer's count. It reports whether anything grew.
func mergeLedger(dst *[]game.Tally, src []game.Tally) bool {
	grew := false
	for _, t := range src {
		if t.Killer == 0 {
			continue
		}
		i, ok := slices.BinarySearchFunc(*dst, t.Killer, func(a game.Tally, id game.PlayerID) int {
			return int(int64(a.Killer) - int64(id))
		})
		switch {
		case !ok:
			if len(*dst) >= game.MaxPlayers*4 {
				continue
			}
			*dst = slices.Insert(*dst, i, t)
			grew = true
		case t.Count > (*dst)[i].Count:
			(*dst)[i].Count = t.Count
			grew = true
		}
	}
	return grew
}
