package game

import "slices"

// Matches (Params.FirstTo > 0). Kills are never taken from an owner's
// claim: a cycle's kills are the deaths every victim's ledger counts for
// it, among the victims whose ledger belongs to the current match. The
// match number is an epoch that restarts every grow-only ledger.
//
// Every peer agrees on the winner without a referee: each one that sees a
// player reach FirstTo in its ledgers names the one with the most kills
// (the lowest id among equals) and announces it with the match number in
// its states; a peer that hears a claim for its match takes it when it
// has none or when the claimed id is lower than its own (so all settle on
// the lowest id claimed); a peer that hears a later match number joins
// that match at once. The result shows for IntermissionTicks, then the
// next match starts: ledgers and scores reset, every cycle respawns.

// Standing is one row of a match's final table.
type Standing struct {
	ID            PlayerID
	Kills, Deaths int
}

// IntermissionTicks is how long the result of a match shows before the
// next one starts: five seconds.
func (p Params) IntermissionTicks() int { return 5 * p.TickRate }

// MatchOver reports whether the current match is decided, and the ticks
// left before the next one starts.
func (s *State) MatchOver() (over bool, nextIn int) {
	if s.Winner == 0 {
		return false, 0
	}
	return true, max(0, s.Params.IntermissionTicks()-int(s.Tick-s.overAt))
}

// HearMatch folds in a match number and winner announced by another
// peer (winner 0: still playing). The winner may be a player this replica
// has not met (a peer it cannot reach): the claim still settles the
// match, so that every peer agrees.
func (s *State) HearMatch(match uint16, winner PlayerID) {
	if s.Params.FirstTo == 0 || match < s.Match {
		return
	}
	if match > s.Match {
		s.startMatch(match)
	}
	if winner != 0 && (s.Winner == 0 || winner < s.Winner) {
		s.decide(winner)
	}
}

// recount derives every cycle's kills from the ledgers of the current
// match, then looks for a winner.
func (s *State) recount() {
	for _, id := range s.order {
		s.cycles[id].Kills = 0
	}
	for _, vid := range s.order {
		v := s.cycles[vid]
		if v.Match != s.Match {
			continue
		}
		for _, t := range v.KilledBy {
			if k := s.cycles[t.Killer]; k != nil && k.ID != v.ID {
				k.Kills += t.Count
			}
		}
	}
	s.checkWinner()
}

// checkWinner decides the match once some player has FirstTo kills.
func (s *State) checkWinner() {
	if s.Params.FirstTo == 0 || s.Winner != 0 {
		return
	}
	var best *Cycle
	for _, id := range s.order {
		if c := s.cycles[id]; best == nil || c.Kills > best.Kills {
			best = c
		}
	}
	if best != nil && int(best.Kills) >= s.Params.FirstTo {
		s.decide(best.ID)
	}
}

// decide makes w the winner of the current match; the final table is the
// standings as this replica knows them.
func (s *State) decide(w PlayerID) {
	if s.Winner == 0 {
		s.overAt = s.Tick
	}
	s.Winner = w
	s.Final = s.Final[:0:0]
	for _, id := range s.order {
		c := s.cycles[id]
		s.Final = append(s.Final, Standing{ID: id, Kills: int(c.Kills), Deaths: int(c.Deaths)})
	}
	slices.SortStableFunc(s.Final, func(a, b Standing) int {
		switch {
		case a.ID == w:
			return -1
		case b.ID == w:
			return 1
		}
		return b.Kills - a.Kills
	})
}

// nextMatch starts the next match once the result has shown long enough.
func (s *State) nextMatch() {
	if over, left := s.MatchOver(); over && left == 0 && s.Match < ^uint16(0) {
		s.startMatch(s.Match + 1)
	}
}

// startMatch starts match m: the local cycles' ledgers and scores reset
// and they respawn on their next step (ready phase included). Remote
// cycles count for nothing until their owners announce m.
func (s *State) startMatch(m uint16) {
	if s.Winner != 0 {
		s.LastWinner = s.Winner
	}
	s.Match, s.Winner, s.Final = m, 0, nil
	for _, id := range s.order {
		c := s.cycles[id]
		if !s.local[id] {
			continue
		}
		c.Match, c.KilledBy, c.Deaths, c.Streak, c.Best = m, nil, 0, 0, 0
		c.credited = map[PlayerID]uint16{}
		if c.Alive && c.Ready > 0 {
			continue // a life that has not started yet (a newcomer) is fresh already
		}
		c.Alive, c.Ready, c.queue = false, 0, nil
		c.DeadTicks = s.Params.RespawnTicks() - 1
	}
	s.gridDirty = true
	s.recount()
}
