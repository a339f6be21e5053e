package game

import "testing"

// Move advances one cycle without the arena's clock: a server-mode host
// moves a client's cycle when that client's request arrives.
func TestMoveDoesNotAdvanceTick(t *testing.T) {
	s := New(testParams)
	place(t, s, 1, Right, Point{5, 5})
	place(t, s, 2, Left, Point{15, 15})
	s.Move(1, newRNG(1))
	if s.Tick != 0 {
		t.Errorf("tick %d after Move, want 0", s.Tick)
	}
	if got, want := s.Cycle(1).Head, (Point{6, 5}); got != want {
		t.Errorf("head %v, want %v", got, want)
	}
	if got, want := s.Cycle(2).Head, (Point{15, 15}); got != want {
		t.Errorf("other head moved to %v, want %v", got, want)
	}
	s.Turn(1, Down)
	s.Move(1, newRNG(1))
	if got, want := s.Cycle(1).Head, (Point{6, 6}); got != want {
		t.Errorf("after a turn: head %v, want %v", got, want)
	}
	s.SetLocal(2, false)
	if evs := s.Move(2, newRNG(1)); evs != nil || s.Cycle(2).Head != (Point{15, 15}) {
		t.Errorf("Move of a remote cycle moved it")
	}
}

// SetLocal hands a cycle to this replica without counting old kills again.
func TestSetLocalKeepsCreditedKills(t *testing.T) {
	a := New(testParams)
	rng := newRNG(3)
	if _, err := a.Join(1, "one", 0, false, rng); err != nil {
		t.Fatal(err)
	}
	victim := &Cycle{ID: 2, Name: "two", Color: 1, Life: 1, Deaths: 2, KilledBy: []Tally{{Killer: 1, Count: 2}}}
	if _, err := a.Merge(victim); err != nil {
		t.Fatal(err)
	}
	if got := a.Cycle(1).Kills; got != 2 {
		t.Fatalf("kills %d after merging the ledger, want 2", got)
	}
	// Another replica, where 1 is remote, takes both cycles over.
	b := New(testParams)
	one := a.Cycle(1).Clone()
	if _, err := b.Merge(one); err != nil {
		t.Fatal(err)
	}
	if _, err := b.Merge(victim); err != nil {
		t.Fatal(err)
	}
	b.SetLocal(1, true)
	b.SetLocal(2, true)
	if !b.IsLocal(1) || !b.IsLocal(2) {
		t.Fatalf("SetLocal did not make the cycles local")
	}
	victim2 := b.Cycle(2)
	victim2.KilledBy[0].Count = 3
	victim2.Deaths = 3
	evs := b.settle(victim2, nil)
	if got := b.Cycle(1).Kills; got != 3 {
		t.Errorf("kills %d after one more death, want 3 (old kills counted once)", got)
	}
	if len(evs) != 1 || evs[0].Kind != EventKill {
		t.Errorf("events %v, want one kill", evs)
	}
	b.SetLocal(1, false)
	if b.IsLocal(1) {
		t.Errorf("SetLocal(false) kept the cycle local")
	}
}
