package game

import "testing"

// TestArenaPictureDoesNotChange: a picture taken from a State keeps
// showing that moment while the State plays on: turns appended to the
// trail, a merge that extends a remote trail, a merge of a new life, a
// crash that grows the ledger.
func TestArenaPictureDoesNotChange(t *testing.T) {
	p := Params{Width: 40, Height: 40, TickRate: 15}
	s := New(p)
	rng := newRNG(1)
	if _, err := s.Join(1, "own", 0, false, rng); err != nil {
		t.Fatal(err)
	}
	remote := &Cycle{ID: 2, Name: "far", Color: 1, Alive: true, Life: 1, Dir: Right,
		Head: Point{5, 30}, Verts: []Point{{0, 30}}}
	if _, err := s.Merge(remote); err != nil {
		t.Fatal(err)
	}
	s.Turn(1, (s.Cycle(1).Dir+1)%4)
	s.StepOwn(1, rng)

	pic := s.View()
	want := map[PlayerID]uint64{1: pic.CycleDigest(1), 2: pic.CycleDigest(2)}
	if want[1] != s.CycleDigest(1) || want[2] != s.CycleDigest(2) {
		t.Fatalf("picture differs from the state it was taken from")
	}

	for i := range 6 { // more turns: the owner's trail grows past the picture's
		s.Turn(1, (s.Cycle(1).Dir+Dir(1+i%2*2))%4)
		s.StepOwn(1, rng)
	}
	reborn := &Cycle{ID: 2, Name: "far", Color: 1, Alive: true, Life: 2, Dir: Up,
		Head: Point{20, 10}, Verts: []Point{{20, 12}}, Deaths: 1, KilledBy: []Tally{{Killer: 1, Count: 1}}}
	if _, err := s.Merge(reborn); err != nil {
		t.Fatal(err)
	}
	for id, d := range want {
		if got := pic.CycleDigest(id); got != d {
			t.Errorf("cycle %d of the picture changed after the state moved on", id)
		}
		if pic.CycleDigest(id) == s.CycleDigest(id) {
			t.Errorf("cycle %d: the state did not move on: the test checks nothing", id)
		}
	}
}
