package game

import "testing"

// matchArena is an arena of first-to-2 matches with local cycles 1..n,
// riding (no ready phase) on rows of their own.
func matchArena(t *testing.T, n int) *State {
	t.Helper()
	p := testParams
	p.FirstTo = 2
	s := New(p)
	for id := PlayerID(1); id <= PlayerID(n); id++ {
		place(t, s, id, Right, Point{1, int(id) * 2})
		s.cycles[id].Match = s.Match
	}
	return s
}

// TestKillsComeFromLedgers: an update claiming kills with no ledger
// behind it gives no kill; a victim's ledger does, for the match it
// belongs to only.
func TestKillsComeFromLedgers(t *testing.T) {
	s := New(testParams)
	u := func(ledger []Tally, deaths uint16) *Update {
		return &Update{Name: "x", Life: 1, Alive: true, Dir: Right, Head: Point{5, 5}, VertTotal: 1,
			Verts: []Point{{2, 5}}, Kills: 7, Streak: 7, Best: 7, Deaths: deaths, Ledger: ledger}
	}
	if _, err := s.Apply(1, u(nil, 0)); err != nil {
		t.Fatal(err)
	}
	if k := s.Cycle(1).Kills; k != 0 {
		t.Fatalf("a claim of 7 kills shows %d, want 0", k)
	}
	v := u([]Tally{{Killer: 1, Count: 2}}, 3)
	v.Head, v.Verts = Point{5, 9}, []Point{{2, 9}}
	if _, err := s.Apply(2, v); err != nil {
		t.Fatal(err)
	}
	if k := s.Cycle(1).Kills; k != 2 {
		t.Errorf("kills of 1 with a victim's ledger naming it twice: %d, want 2", k)
	}
	s.Remove(2)
	if k := s.Cycle(1).Kills; k != 0 {
		t.Errorf("kills of 1 once its victim left: %d, want 0 (only ledgers count)", k)
	}
}

// TestMatchDecidedAndRestarted: the first to FirstTo kills wins; the
// result shows for IntermissionTicks, then the next match starts with
// ledgers and scores reset and every local cycle respawning.
func TestMatchDecidedAndRestarted(t *testing.T) {
	s := matchArena(t, 3)
	rng := newRNG(1)
	c2 := s.cycles[2]
	c2.KilledBy, c2.Deaths = []Tally{{Killer: 3, Count: 1}}, 1
	s.recount()
	if s.Winner != 0 {
		t.Fatalf("winner %d after one kill, want none", s.Winner)
	}
	c1 := s.cycles[1]
	c1.KilledBy, c1.Deaths = []Tally{{Killer: 3, Count: 1}}, 1
	s.recount()
	if s.Winner != 3 || len(s.Final) != 3 || s.Final[0].ID != 3 || s.Final[0].Kills != 2 {
		t.Fatalf("winner %d final %v, want 3 with 2 kills first", s.Winner, s.Final)
	}
	for range s.Params.IntermissionTicks() - 1 {
		s.Step(rng)
	}
	if over, left := s.MatchOver(); !over || left != 1 || s.Match != 1 {
		t.Fatalf("one tick before the end: over %v left %d match %d", over, left, s.Match)
	}
	s.Step(rng)
	if s.Match != 2 || s.Winner != 0 || s.LastWinner != 3 {
		t.Fatalf("match %d winner %d last %d, want match 2 under way after 3's win", s.Match, s.Winner, s.LastWinner)
	}
	for _, id := range s.order {
		c := s.cycles[id]
		if c.Kills != 0 || c.Deaths != 0 || len(c.KilledBy) != 0 || c.Match != 2 {
			t.Errorf("cycle %d in match 2: kills %d deaths %d ledger %v match %d, want all reset", id, c.Kills, c.Deaths, c.KilledBy, c.Match)
		}
	}
	s.Step(rng)
	for _, id := range s.order {
		if c := s.cycles[id]; !c.Alive || c.Ready == 0 {
			t.Errorf("cycle %d after the restart: alive %v ready %d, want a new life waiting", id, c.Alive, c.Ready)
		}
	}
}

// TestHearMatch: claims for the current match settle on the lowest id; a
// later match is joined at once; an older one is ignored.
func TestHearMatch(t *testing.T) {
	tests := []struct {
		name        string
		claims      [][2]uint32 // match, winner
		match       uint16
		winner      PlayerID
		freshLedger bool
	}{
		{"a claim decides", [][2]uint32{{1, 7}}, 1, 7, false},
		{"the lower id wins", [][2]uint32{{1, 7}, {1, 3}, {1, 5}}, 1, 3, false},
		{"no claim, no winner", [][2]uint32{{1, 0}}, 1, 0, false},
		{"a later match is joined", [][2]uint32{{1, 7}, {3, 0}}, 3, 0, true},
		{"with its winner", [][2]uint32{{2, 9}}, 2, 9, true},
		{"an older match is ignored", [][2]uint32{{2, 0}, {1, 4}}, 2, 0, true},
		{"a winner this replica has not met", [][2]uint32{{1, 42}}, 1, 42, false},
		{"and a later match with one", [][2]uint32{{2, 42}}, 2, 42, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := matchArena(t, 9)
			s.cycles[1].KilledBy, s.cycles[1].Deaths = []Tally{{Killer: 2, Count: 1}}, 1
			s.recount()
			for _, c := range tt.claims {
				s.HearMatch(uint16(c[0]), PlayerID(c[1]))
			}
			if s.Match != tt.match || s.Winner != tt.winner {
				t.Errorf("match %d winner %d, want %d and %d", s.Match, s.Winner, tt.match, tt.winner)
			}
			if fresh := len(s.cycles[1].KilledBy) == 0 && s.cycles[2].Kills == 0; fresh != tt.freshLedger {
				t.Errorf("ledger %v kills %d: reset %v, want %v", s.cycles[1].KilledBy, s.cycles[2].Kills, fresh, tt.freshLedger)
			}
		})
	}
	s := New(testParams) // drop-in play: no matches at all
	s.HearMatch(4, 9)
	if s.Match != 0 || s.Winner != 0 {
		t.Errorf("drop-in play heard a match: %d, winner %d", s.Match, s.Winner)
	}
}

// TestNewMatchIsNotACrash: a replica seeing a cycle stop because its
// owner started the next match reports no crash, and joins that match.
func TestNewMatchIsNotACrash(t *testing.T) {
	p := testParams
	p.FirstTo = 3
	s := New(p)
	alive := &Update{Name: "x", Life: 1, Alive: true, Dir: Right, Head: Point{5, 5}, VertTotal: 1,
		Verts: []Point{{2, 5}}, Match: 1, Tick: 1}
	if _, err := s.Apply(1, alive); err != nil {
		t.Fatal(err)
	}
	stopped := *alive
	stopped.Alive, stopped.Match, stopped.Tick, stopped.Follows = false, 2, 2, true
	events, err := s.Apply(1, &stopped)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range events {
		if e.Kind == EventCrash {
			t.Errorf("event %+v: a new match is not a crash", e)
		}
	}
	if s.Match != 2 {
		t.Errorf("replica in match %d, want 2", s.Match)
	}
	stopped.Match, stopped.Tick = 2, 3
	again := stopped
	again.Alive = true
	again.Tick = 4
	if _, err := s.Apply(1, &again); err != nil {
		t.Fatal(err)
	}
	crash := again
	crash.Alive, crash.Tick = false, 5
	events, _ = s.Apply(1, &crash)
	if len(events) != 1 || events[0].Kind != EventCrash {
		t.Errorf("a real crash in the same match: events %v, want one crash", events)
	}
}
