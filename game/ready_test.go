package game

import "testing"

// TestReadyPhase: a new life waits ReadyTicks at its spawn cell, heading
// Dir, unless its owner's first key sets it off; while waiting it is an
// obstacle that cannot die.
func TestReadyPhase(t *testing.T) {
	tests := []struct {
		name   string
		turnAt int // tick of the first key, -1 for none
		turn   func(d Dir) Dir
		moveAt int // first tick at which the head moves
	}{
		{"waits the whole phase", -1, nil, testParams.ReadyTicks() + 1},
		{"first key starts it", 3, func(d Dir) Dir { return (d + 1) % 4 }, 4},
		{"the opposite way too", 0, Dir.Opposite, 1},
		{"the same heading too", 5, func(d Dir) Dir { return d }, 6},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := New(testParams)
			rng := newRNG(7)
			c, err := s.Join(1, "a", 0, false, rng)
			if err != nil {
				t.Fatal(err)
			}
			if c.Ready != testParams.ReadyTicks() {
				t.Fatalf("Ready = %d after joining, want %d", c.Ready, testParams.ReadyTicks())
			}
			spawn, dir := c.Head, c.Dir
			for tick := 0; tick < tt.moveAt; tick++ {
				if tick == tt.turnAt {
					dir = tt.turn(dir)
					if !s.Turn(1, dir) {
						t.Fatalf("Turn(%v) refused while waiting", dir)
					}
				}
				if c.Head != spawn {
					t.Fatalf("tick %d: head moved to %v, want it at %v", tick, c.Head, spawn)
				}
				s.Step(rng)
			}
			if want := spawn.Add(dir); c.Head != want || c.Ready != 0 {
				t.Errorf("after %d ticks: head %v ready %d, want %v riding", tt.moveAt, c.Head, c.Ready, want)
			}
		})
	}
}

// TestWaitingCycleIsAnObstacle: a cycle riding into a waiting one crashes
// and the waiting one is credited; the waiting one stays alive.
func TestWaitingCycleIsAnObstacle(t *testing.T) {
	s := New(testParams)
	rng := newRNG(3)
	w := place(t, s, 1, Up, Point{10, 10})
	w.Ready = 5
	r := place(t, s, 2, Right, Point{8, 10}, Point{5, 10})
	events := steps(s, 2, rng)
	if r.Alive || r.Killer != 1 {
		t.Fatalf("rider alive %v killer %d, want crashed into the waiting cycle (events %v)", r.Alive, r.Killer, events)
	}
	if !w.Alive || w.Head != (Point{10, 10}) || w.Ready != 3 || w.Kills != 1 {
		t.Errorf("waiting cycle: alive %v head %v ready %d kills %d; want alive at (10,10), 3 ticks left, 1 kill", w.Alive, w.Head, w.Ready, w.Kills)
	}
}

// TestSpawnRunway: in an open arena a new life has at least a second of
// straight road ahead once its phase ends.
func TestSpawnRunway(t *testing.T) {
	for _, rate := range []int{5, 15, 30} {
		p := Params{Width: 60, Height: 40, TickRate: rate}
		for seed := range uint64(20) {
			s := New(p)
			rng := newRNG(seed)
			for id := PlayerID(1); id <= 4; id++ {
				c, err := s.Join(id, "x", int(id), true, rng)
				if err != nil {
					t.Fatal(err)
				}
				if run := s.Run(c.Head, c.Dir, 100); run < rate {
					t.Errorf("tick rate %d seed %d: cycle %d has %d free cells ahead, want >= %d", rate, seed, id, run, rate)
				}
			}
		}
	}
}
