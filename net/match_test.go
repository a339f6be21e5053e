package net

import (
	"fmt"
	"testing"
	"time"

	"lanarena/game"
)

// TestMatchWinnerAgreedAtLoss: four bots play first-to-2 matches at 20 %
// loss on the simulation's clock. Every peer names the same winner for
// each match, and the next match starts with the scores reset.
func TestMatchWinnerAgreedAtLoss(t *testing.T) {
	for _, seed := range []uint64{11, 1, 4} {
		t.Run(fmt.Sprint("seed ", seed), func(t *testing.T) { matchAtLoss(t, seed) })
	}
}

func matchAtLoss(t *testing.T, seed uint64) {
	p := smallArena
	p.FirstTo = 2
	n := newSimNetWith(t, seed, 4, func(i int, c *Config) { c.Bot, c.Params = true, p })
	n.loss = 0.2
	winners := make([]map[uint16]game.PlayerID, len(n.cores))
	for i := range winners {
		winners[i] = map[uint16]game.PlayerID{}
	}
	reset := false
	prev := make([]uint16, len(n.cores))
	for step := 0; step < 15*600 && !allPast(n, 3); step++ {
		n.advance(false)
		for i, l := range n.cores {
			if l.st.Winner != 0 {
				winners[i][l.st.Match] = l.st.Winner
				checkResultShown(t, l)
			}
			if c := l.self(); l.st.Match > prev[i] && prev[i] > 0 {
				if c.Deaths != 0 || len(c.KilledBy) != 0 || c.Match != l.st.Match {
					t.Fatalf("%s starts match %d with deaths %d ledger %v: scores not reset", l.p.cfg.Name, l.st.Match, c.Deaths, c.KilledBy)
				}
				reset = true
			}
			prev[i] = l.st.Match
			if l.st.Winner == 0 {
				l.st.Cycles(func(c *game.Cycle) {
					if int(c.Kills) >= p.FirstTo {
						t.Fatalf("%s: %d has %d kills in match %d and no winner", l.p.cfg.Name, c.ID, c.Kills, l.st.Match)
					}
				})
			}
		}
	}
	t.Logf("matches %v after %d steps, winners %v", matches(n), n.step, winners)
	if !allPast(n, 3) {
		t.Fatalf("matches reached: %v, want every peer past match 2", matches(n))
	}
	for m := uint16(1); m <= 2; m++ {
		w := winners[0][m]
		for i := range n.cores {
			if winners[i][m] != w || w == 0 {
				t.Errorf("match %d: peer %d says winner %d, peer 0 says %d", m, i, winners[i][m], w)
			}
		}
	}
	if !reset {
		t.Error("no peer was seen starting a new match")
	}
}

func allPast(n *simNet, m uint16) bool {
	for _, l := range n.cores {
		if l.st.Match < m {
			return false
		}
	}
	return true
}

func matches(n *simNet) []uint16 {
	var out []uint16
	for _, l := range n.cores {
		out = append(out, l.st.Match)
	}
	return out
}

// TestKillsNotTakenFromClaims: a State claiming kills with no death behind
// it in any ledger shows no kill on the receiver's scoreboard.
func TestKillsNotTakenFromClaims(t *testing.T) {
	n := newSimNet(t, 5, 2, false)
	for range 30 {
		n.advance(false)
	}
	a, b := n.cores[0], n.cores[1]
	c := b.self()
	s := ownState(b.st, c)
	s.Kills, s.Streak, s.Best = 7, 7, 7
	b.send(a.p.Addr(), s)
	n.deliver()
	if got := a.st.Cycle(b.p.id); got == nil || got.Kills != 0 {
		t.Fatalf("b's kills on a's screen: %+v, want 0 (no ledger names b)", got)
	}
}

// checkResultShown: while a match's result shows, the snapshot names the
// winner first in the final table, with the time to the next match.
func checkResultShown(t *testing.T, l *core) {
	t.Helper()
	m := l.snapshot(l.now).Match
	if m.Winner != l.st.Winner || len(m.Final) == 0 || m.Final[0].ID != m.Winner || m.Final[0].Name == "" ||
		m.NextIn <= 0 || m.NextIn > 5*time.Second || m.FirstTo != 2 || m.Number != int(l.st.Match) {
		t.Fatalf("%s: result shown as %+v, want winner %d first, the next match within 5 s", l.p.cfg.Name, m, l.st.Winner)
	}
}
