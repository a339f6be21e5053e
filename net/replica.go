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
// reports. The cycle itself, trail included, lives in the game replica,
// which validates and merges each update (game.State.Apply); net keeps
// only the sequencing, the ledger gathered from hellos and states, and
// the repair timer.
type replica struct {
	stateSeq  uint32 // sequence of the newest state applied
	haveState bool
	ledger    []game.Tally // grow-only within a match: max of every count announced
	match     uint16       // the match ledger belongs to
	repairAt  time.Time
}

// shown is how a remote cycle is presented here: the display name and
// color membership gives it.
type shown struct {
	name  game.Text
	color int
	bot   bool
}

// apply folds a state of owner's cycle, numbered seq by its sender, into
// the game replica. It reports the reason when the state is dropped; a
// dropped state changes nothing. slack is the extra movement allowed (see
// game.Update).
func (l *core) apply(owner game.PlayerID, look shown, r *replica, seq uint32, s *wire.State, slack int) DropReason {
	ledger := r.ledger
	if s.Match != r.match { // another match: its ledger starts afresh
		ledger = nil
	}
	if s.Killer != 0 {
		ledger = withTallies(ledger, []game.Tally{{Killer: s.Killer, Count: s.KillerCount}})
	}
	u := game.Update{
		Name: look.name, Color: look.color, Bot: look.bot,
		Tick: s.Tick, Life: s.Life, Alive: s.Alive, Dir: s.Dir, Head: s.Head,
		DeadTicks: int(s.DeadTicks), Ready: int(s.Ready), Killer: s.Killer,
		Kills: s.Kills, Deaths: s.Deaths, Streak: s.Streak, Best: s.Best,
		Ledger: ledger,
		Match:  s.Match, Winner: s.Winner,
		VertTotal: int(s.VertTotal), Verts: s.Verts,
		Follows: r.haveState, Slack: slack,
	}
	evs, err := l.st.Apply(owner, &u)
	if err != nil {
		return applyDrop(err)
	}
	r.stateSeq, r.haveState, r.ledger, r.match = seq, true, ledger, s.Match
	l.events(evs)
	return ""
}

// applyDrop is the drop reason of an update the game refused.
func applyDrop(err error) DropReason {
	switch {
	case errors.Is(err, game.ErrArenaFull):
		return DropRoomFull
	case errors.Is(err, game.ErrTrailOffArena):
		return DropOffArena
	case errors.Is(err, game.ErrTeleport):
		return DropTeleport
	case errors.Is(err, game.ErrTrailGap):
		return DropTrailGap
	}
	return DropBadTrail
}

// heardLedger folds a ledger a hello brings into r and, when the cycle is
// in the arena already, into it.
func (l *core) heardLedger(owner game.PlayerID, r *replica, ledger []game.Tally, from netip.AddrPort) {
	if r.match != l.st.Match {
		if r.haveState {
			return // the replica is of another match: its next state restarts the ledger
		}
		r.ledger, r.match = nil, l.st.Match
	}
	grown := withTallies(r.ledger, ledger)
	if len(grown) == len(r.ledger) && slices.Equal(grown, r.ledger) {
		return
	}
	if !r.haveState {
		r.ledger = grown
		return
	}
	evs, err := l.st.MergeLedger(owner, grown)
	if err != nil {
		l.drop(DropBadTrail, from)
		return
	}
	r.ledger = grown
	l.events(evs)
}

// addTrail folds in a chunk of owner's trail sent for repair.
func (l *core) addTrail(owner game.PlayerID, life uint16, from int, verts []game.Point, sender netip.AddrPort) {
	if err := l.st.AddTrail(owner, life, from, verts); err != nil {
		l.drop(applyDrop(err), sender)
	}
}

// repairDue says which part of owner's trail to ask for, when the replica
// misses its start and it is time to ask (again).
func (l *core) repairDue(owner game.PlayerID, r *replica, now time.Time) (life uint16, from uint16, due bool) {
	life, upTo := l.st.MissingTrail(owner)
	if upTo == 0 || !r.haveState || now.Before(r.repairAt) {
		return 0, 0, false
	}
	r.repairAt = now.Add(repairEvery)
	// The chunk just before what we know, so that each answer joins.
	return life, uint16(max(0, upTo-maxTrailChunk)), true
}

// trailChunk is the part of c's trail from vertex from that fits a packet.
func trailChunk(c *game.Cycle, from uint16) *wire.Trail {
	total := len(c.Verts)
	start := min(int(from), total)
	end := min(total, start+maxTrailChunk)
	return &wire.Trail{Life: c.Life, From: uint16(start), Total: uint16(total), Verts: c.Verts[start:end]}
}

// withTallies is ledger with counts folded in, keeping the maximum of each
// killer's count. It returns ledger itself when nothing grows, and a new
// slice otherwise: the game replica may share the old one.
func withTallies(ledger []game.Tally, counts []game.Tally) []game.Tally {
	out := ledger
	for _, t := range counts {
		if t.Killer == 0 {
			continue
		}
		i, ok := slices.BinarySearchFunc(out, t.Killer, func(a game.Tally, id game.PlayerID) int {
			return int(int64(a.Killer) - int64(id))
		})
		switch {
		case !ok && len(out) < game.MaxPlayers*4:
			out = slices.Insert(slices.Clone(out), i, t)
		case ok && t.Count > out[i].Count:
			out = slices.Clone(out)
			out[i].Count = t.Count
		}
	}
	return out
}
