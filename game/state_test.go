package game

import (
	"errors"
	"fmt"
	"slices"
	"testing"
)

func TestMove(t *testing.T) {
	tests := []struct {
		dir   Dir
		ticks int
		want  Point
	}{
		{Up, 3, Point{10, 7}},
		{Right, 4, Point{14, 10}},
		{Down, 9, Point{10, 19}},
		{Left, 10, Point{0, 10}},
	}
	for _, tt := range tests {
		t.Run(tt.dir.String(), func(t *testing.T) {
			s := New(testParams)
			c := place(t, s, 1, tt.dir, Point{10, 10})
			if events := steps(s, tt.ticks, newRNG(1)); len(events) != 0 {
				t.Errorf("events = %v, want none", events)
			}
			if !c.Alive || c.Head != tt.want {
				t.Errorf("after %d ticks: alive %v head %v, want alive head %v", tt.ticks, c.Alive, c.Head, tt.want)
			}
			if got, want := c.Verts, []Point{{10, 10}}; !slices.Equal(got, want) {
				t.Errorf("Verts = %v, want %v", got, want)
			}
			if got := c.TrailLen(); got != tt.ticks+1 {
				t.Errorf("TrailLen() = %d, want %d", got, tt.ticks+1)
			}
			if got := s.Tick; got != uint32(tt.ticks) {
				t.Errorf("Tick = %d, want %d", got, tt.ticks)
			}
			if got := s.Occupant(Point{10, 10}); got != 1 {
				t.Errorf("Occupant(spawn cell) = %d, want 1", got)
			}
		})
	}
}

func TestTurnQueue(t *testing.T) {
	type tick struct {
		head Point
		dir  Dir
	}
	tests := []struct {
		name    string
		presses []Dir
		ok      []bool // what Turn returns for each press
		ticks   []tick // head and heading after each tick
		verts   []Point
	}{
		{
			name:    "one turn",
			presses: []Dir{Up},
			ok:      []bool{true},
			ticks:   []tick{{Point{10, 9}, Up}, {Point{10, 8}, Up}},
			verts:   []Point{{10, 10}},
		},
		{
			name:    "two presses in one tick apply on successive ticks",
			presses: []Dir{Up, Left},
			ok:      []bool{true, true},
			ticks:   []tick{{Point{10, 9}, Up}, {Point{9, 9}, Left}, {Point{8, 9}, Left}},
			verts:   []Point{{10, 10}, {10, 9}},
		},
		{
			name:    "up then down: down is ignored",
			presses: []Dir{Up, Down},
			ok:      []bool{true, false},
			ticks:   []tick{{Point{10, 9}, Up}, {Point{10, 8}, Up}},
			verts:   []Point{{10, 10}},
		},
		{
			name:    "reverse is ignored",
			presses: []Dir{Left},
			ok:      []bool{false},
			ticks:   []tick{{Point{11, 10}, Right}},
			verts:   []Point{{10, 10}},
		},
		{
			name:    "repeat of the heading is ignored",
			presses: []Dir{Right},
			ok:      []bool{false},
			ticks:   []tick{{Point{11, 10}, Right}},
			verts:   []Point{{10, 10}},
		},
		{
			name:    "repeat of a queued turn is ignored",
			presses: []Dir{Down, Down, Right},
			ok:      []bool{true, false, true},
			ticks:   []tick{{Point{10, 11}, Down}, {Point{11, 11}, Right}},
			verts:   []Point{{10, 10}, {10, 11}},
		},
		{
			name:    "queue is bounded",
			presses: []Dir{Up, Left, Down, Right},
			ok:      []bool{true, true, true, false},
			ticks:   []tick{{Point{10, 9}, Up}, {Point{9, 9}, Left}, {Point{9, 10}, Down}, {Point{9, 11}, Down}},
			verts:   []Point{{10, 10}, {10, 9}, {9, 9}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := New(testParams)
			c := place(t, s, 1, Right, Point{10, 10})
			for i, d := range tt.presses {
				if got := s.Turn(1, d); got != tt.ok[i] {
					t.Errorf("press %d (%v): Turn = %v, want %v", i, d, got, tt.ok[i])
				}
			}
			for i, want := range tt.ticks {
				if events := s.Step(newRNG(1)); len(events) != 0 {
					t.Fatalf("tick %d: events %v, want none", i+1, events)
				}
				if c.Head != want.head || c.Dir != want.dir {
					t.Errorf("tick %d: head %v heading %v, want %v %v", i+1, c.Head, c.Dir, want.head, want.dir)
				}
			}
			if !slices.Equal(c.Verts, tt.verts) {
				t.Errorf("Verts = %v, want %v", c.Verts, tt.verts)
			}
		})
	}
}

func TestTurnRefused(t *testing.T) {
	s := New(testParams)
	place(t, s, 1, Right, Point{10, 10})
	dead := place(t, s, 2, Right, Point{5, 5})
	dead.Alive = false
	if _, err := s.Merge(&Cycle{ID: 3, Alive: true, Dir: Up, Head: Point{2, 2}, Verts: []Point{{2, 2}}}); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		id   PlayerID
		d    Dir
	}{
		{"unknown player", 9, Up},
		{"dead cycle", 2, Up},
		{"remote cycle", 3, Left},
		{"invalid heading", 1, Dir(7)},
	}
	for _, tt := range tests {
		if s.Turn(tt.id, tt.d) {
			t.Errorf("%s: Turn(%d, %v) = true, want false", tt.name, tt.id, tt.d)
		}
	}
}

// TestNoReverseIntoOwnTrail presses every pair of keys inside one tick and
// checks that no pair ever turns the cycle into its own trail.
func TestNoReverseIntoOwnTrail(t *testing.T) {
	for start := Up; start <= Left; start++ {
		for a := Up; a <= Left; a++ {
			for b := Up; b <= Left; b++ {
				s := New(testParams)
				c := place(t, s, 1, start, Point{10, 10})
				steps(s, 2, newRNG(1))
				s.Turn(1, a)
				s.Turn(1, b)
				if events := steps(s, 3, newRNG(1)); len(events) != 0 || !c.Alive {
					t.Errorf("heading %v, presses %v %v: events %v, alive %v; want alive, no events", start, a, b, events, c.Alive)
				}
			}
		}
	}
}

func TestCollisions(t *testing.T) {
	type pos struct {
		id    PlayerID
		dir   Dir
		head  Point
		verts []Point
	}
	type death struct {
		id     PlayerID
		killer PlayerID
	}
	tests := []struct {
		name   string
		cycles []pos
		ticks  int
		deaths []death // in id order; everyone else survives
	}{
		{"wall left", []pos{{1, Left, Point{0, 5}, nil}}, 1, []death{{1, 0}}},
		{"wall right", []pos{{1, Right, Point{19, 5}, nil}}, 1, []death{{1, 0}}},
		{"wall top", []pos{{1, Up, Point{5, 0}, nil}}, 1, []death{{1, 0}}},
		{"wall bottom", []pos{{1, Down, Point{5, 19}, nil}}, 1, []death{{1, 0}}},
		{"wall after a run", []pos{{1, Right, Point{15, 5}, nil}}, 5, []death{{1, 0}}},
		{"other's trail", []pos{
			{1, Right, Point{5, 5}, nil},
			{2, Down, Point{8, 10}, []Point{{8, 2}}},
		}, 3, []death{{1, 2}}},
		{"own trail", []pos{
			{1, Up, Point{6, 5}, []Point{{5, 4}, {8, 4}, {8, 6}, {6, 6}}},
		}, 1, []death{{1, 0}}},
		{"into another head's cell", []pos{
			{1, Right, Point{5, 5}, nil},
			{2, Down, Point{6, 5}, []Point{{6, 3}}},
		}, 1, []death{{1, 2}}},
		{"head-on into one empty cell", []pos{
			{1, Right, Point{4, 5}, nil},
			{2, Left, Point{6, 5}, nil},
		}, 1, []death{{1, 2}, {2, 1}}},
		{"perpendicular into one empty cell", []pos{
			{1, Right, Point{4, 5}, nil},
			{2, Down, Point{5, 4}, nil},
		}, 1, []death{{1, 2}, {2, 1}}},
		{"swapping heads", []pos{
			{1, Right, Point{5, 5}, nil},
			{2, Left, Point{6, 5}, nil},
		}, 1, []death{{1, 2}, {2, 1}}},
		{"three heads into one cell", []pos{
			{1, Right, Point{4, 5}, nil},
			{2, Left, Point{6, 5}, nil},
			{3, Up, Point{5, 6}, nil},
		}, 1, []death{{1, 2}, {2, 1}, {3, 1}}},
		{"trail of a cycle crashing this tick still blocks this tick", []pos{
			{1, Right, Point{19, 5}, []Point{{15, 5}}},
			{2, Up, Point{16, 6}, nil},
		}, 1, []death{{1, 0}, {2, 1}}},
		{"parallel neighbours survive", []pos{
			{1, Right, Point{5, 5}, nil},
			{2, Right, Point{5, 6}, nil},
		}, 5, nil},
		{"following a trail survives", []pos{
			{1, Right, Point{5, 5}, []Point{{2, 5}}},
			{2, Right, Point{1, 5}, nil},
		}, 1, []death{{2, 1}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := New(testParams)
			for _, p := range tt.cycles {
				place(t, s, p.id, p.dir, p.head, p.verts...)
			}
			heads := map[PlayerID]Point{}
			for _, p := range tt.cycles {
				heads[p.id] = p.head
			}
			var events []Event
			for range tt.ticks {
				events = append(events, s.Step(newRNG(1))...)
			}
			var got []death
			var crashEvents []death
			for _, e := range events {
				if e.Kind == EventCrash {
					crashEvents = append(crashEvents, death{e.Player, e.Other})
				}
			}
			s.Cycles(func(c *Cycle) {
				if !c.Alive {
					got = append(got, death{c.ID, c.Killer})
					if c.Deaths != 1 {
						t.Errorf("player %d: Deaths = %d, want 1", c.ID, c.Deaths)
					}
				}
			})
			if !slices.Equal(got, tt.deaths) {
				t.Errorf("deaths (player, killer) = %v, want %v", got, tt.deaths)
			}
			slices.SortFunc(crashEvents, func(a, b death) int { return int(a.id) - int(b.id) })
			if !slices.Equal(crashEvents, tt.deaths) {
				t.Errorf("crash events = %v, want %v", crashEvents, tt.deaths)
			}
			kills := map[PlayerID]uint16{}
			for _, d := range tt.deaths {
				v := s.Cycle(d.id)
				if d.killer != 0 {
					kills[d.killer]++
					if got := v.KilledByCount(d.killer); got != 1 {
						t.Errorf("player %d: KilledByCount(%d) = %d, want 1", d.id, d.killer, got)
					}
				} else if len(v.KilledBy) != 0 {
					t.Errorf("player %d: KilledBy = %v, want empty", d.id, v.KilledBy)
				}
				if !s.Params.In(v.Head) {
					t.Errorf("player %d: crashed head %v off the arena", d.id, v.Head)
				}
			}
			s.Cycles(func(c *Cycle) {
				if c.Kills != kills[c.ID] {
					t.Errorf("player %d: Kills = %d, want %d", c.ID, c.Kills, kills[c.ID])
				}
				if c.Best < c.Streak || c.Best < c.Kills {
					t.Errorf("player %d: Best %d below Streak %d or Kills %d", c.ID, c.Best, c.Streak, c.Kills)
				}
				if !c.Alive && c.Streak != 0 {
					t.Errorf("player %d died: Streak = %d, want 0", c.ID, c.Streak)
				}
				if c.Alive && c.Streak != c.Kills {
					t.Errorf("player %d alive: Streak = %d, want %d", c.ID, c.Streak, c.Kills)
				}
			})
		})
	}
}

// TestCrashFadeRespawn checks that a crashed trail blocks nobody from the
// next tick on, stays visible until it fades, and that the cycle respawns
// after RespawnTicks on a free cell facing open road.
func TestCrashFadeRespawn(t *testing.T) {
	p := DefaultParams()
	s := New(p)
	a := place(t, s, 1, Up, Point{30, 0}, Point{30, 20})
	b := place(t, s, 2, Right, Point{28, 10})
	rng := newRNG(7)
	events := s.Step(rng) // a hits the top wall; b moves to (29,10)
	if a.Alive || len(events) != 1 || events[0] != (Event{Kind: EventCrash, Player: 1, Tick: 1}) {
		t.Fatalf("tick 1: a alive %v, events %v; want a crashed into the wall", a.Alive, events)
	}
	if got := s.Occupant(Point{30, 10}); got != 0 {
		t.Errorf("Occupant of the crashed trail = %d, want 0", got)
	}
	if s.Step(rng); !b.Alive || b.Head != (Point{30, 10}) {
		t.Errorf("b riding over a's crashed trail: alive %v head %v, want alive at (30,10)", b.Alive, b.Head)
	}
	for tick := 2; tick <= p.RespawnTicks(); tick++ {
		if a.Alive {
			t.Fatalf("a alive again %d ticks after its crash, want %d", tick-1, p.RespawnTicks())
		}
		if got, want := s.RespawnIn(a), p.RespawnTicks()-(tick-1); got != want {
			t.Errorf("%d ticks after the crash: RespawnIn = %d, want %d", tick-1, got, want)
		}
		if faded := len(a.Verts) == 0; faded != (tick-1 >= p.FadeTicks()) {
			t.Errorf("%d ticks after the crash: trail faded %v, want %v (FadeTicks %d)", tick-1, faded, !faded, p.FadeTicks())
		}
		place(t, s, 2, Right, Point{5, 5}) // keep b well clear
		events = s.Step(rng)
	}
	if !a.Alive {
		t.Fatalf("a still dead %d ticks after its crash", p.RespawnTicks())
	}
	if len(events) != 1 || events[0].Kind != EventRespawn || events[0].Player != 1 {
		t.Errorf("respawn tick events = %v, want one EventRespawn of 1", events)
	}
	if a.Life != 1 || len(a.Verts) != 1 || a.Verts[0] != a.Head || a.Killer != 0 || s.RespawnIn(a) != 0 {
		t.Errorf("respawned: Life %d Verts %v Head %v Killer %d RespawnIn %d; want Life 1, Verts [Head], Killer 0, RespawnIn 0",
			a.Life, a.Verts, a.Head, a.Killer, s.RespawnIn(a))
	}
	if got := s.Occupant(a.Head); got != 1 {
		t.Errorf("Occupant(new head) = %d, want 1", got)
	}
	if d := dist(a.Head, b.Head); d < spawnHeadRoom {
		t.Errorf("respawned %d cells from b's head, want >= %d", d, spawnHeadRoom)
	}
	if run := s.Run(a.Head, a.Dir, spawnRunway); run < spawnRunway {
		t.Errorf("respawned facing a run of %d, want >= %d", run, spawnRunway)
	}
}

// TestSafeSpotKeepsAway checks that new lives start clear of living heads
// in an arena where few cells are far from all of them.
func TestSafeSpotKeepsAway(t *testing.T) {
	s := New(testParams)
	id := PlayerID(1)
	for _, h := range []Point{{3, 3}, {3, 10}, {3, 16}, {10, 3}, {10, 16}, {16, 3}, {16, 10}, {16, 16}, {10, 10}} {
		place(t, s, id, Up, h)
		id++
	}
	const spots = 50
	close := 0
	for seed := range uint64(spots) {
		p, d := s.SafeSpot(newRNG(seed), 0)
		near := s.Params.Width
		s.Cycles(func(c *Cycle) { near = min(near, dist(c.Head, p)) })
		if near < spawnHeadRoom {
			close++
		}
		if near < spawnHeadRoom-2 {
			t.Errorf("seed %d: spot %v is %d cells from a head, want >= %d", seed, p, near, spawnHeadRoom-2)
		}
		if run := s.Run(p, d, spawnRunway); run < spawnRunway {
			t.Errorf("seed %d: spot %v faces %v with a run of %d, want >= %d", seed, p, d, run, spawnRunway)
		}
	}
	// The few far cells are sometimes all missed by the random candidates.
	if close > spots/10 {
		t.Errorf("%d of %d spots closer than %d cells to a head, want at most %d", close, spots, spawnHeadRoom, spots/10)
	}
}

// serpentine returns the vertices of a trail that sweeps rows 0..h-1 of a
// w-wide arena, left to right first, and the cell where it ends after n
// cells.
func serpentine(w, n int) ([]Point, Point) {
	verts := []Point{{0, 0}}
	p := Point{0, 0}
	dir := Right
	for left := n - 1; left > 0; {
		if dir == Right && p.X == w-1 || dir == Left && p.X == 0 {
			verts = append(verts, p)
			p = p.Add(Down)
			left--
			verts = append(verts, p)
			if dir == Right {
				dir = Left
			} else {
				dir = Right
			}
			continue
		}
		p = p.Add(dir)
		left--
	}
	return slices.Compact(verts), p
}

func TestRespawnNearlyFull(t *testing.T) {
	p := testParams
	tests := []struct {
		name string
		free int // cells left uncovered by the other trail
	}{
		{"one row free", p.Width},
		{"few cells", 5},
		{"one cell", 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := New(p)
			verts, head := serpentine(p.Width, p.Width*p.Height-tt.free)
			wall := &Cycle{ID: 2, Alive: true, Dir: Left, Head: head, Verts: verts}
			if got := wall.TrailLen(); got != p.Width*p.Height-tt.free {
				t.Fatalf("bad test: serpentine covers %d cells, want %d", got, p.Width*p.Height-tt.free)
			}
			if _, err := s.Merge(wall); err != nil {
				t.Fatalf("Merge(wall) = %v", err)
			}
			a := place(t, s, 1, Up, Point{0, 0})
			a.Verts, a.Alive, a.DeadTicks = nil, false, p.RespawnTicks()-1
			s.gridDirty = true
			free := map[Point]bool{}
			for y := range p.Height {
				for x := range p.Width {
					if s.Free(Point{x, y}) {
						free[Point{x, y}] = true
					}
				}
			}
			if len(free) != tt.free {
				t.Fatalf("bad test: %d free cells, want %d", len(free), tt.free)
			}
			s.Step(newRNG(3))
			if !a.Alive || !free[a.Head] {
				t.Errorf("respawn: alive %v at %v, want alive on one of the free cells %v", a.Alive, a.Head, free)
			}
			if got := s.Occupant(a.Head); got != 1 {
				t.Errorf("Occupant(new head) = %d, want 1", got)
			}
		})
	}
}

func TestScoring(t *testing.T) {
	s := New(testParams)
	b := place(t, s, 2, Down, Point{10, 15}, Point{10, 0})
	a := place(t, s, 1, Right, Point{8, 5})
	rng := newRNG(1)
	steps(s, 2, rng) // a dies on b's trail
	place(t, s, 1, Right, Point{8, 8})
	steps(s, 2, rng) // and again; b is now at (10,19)
	if a.Deaths != 2 || a.KilledByCount(2) != 2 || b.Kills != 2 || b.Streak != 2 || b.Best != 2 {
		t.Fatalf("after two kills: a Deaths %d KilledBy(b) %d; b Kills %d Streak %d Best %d; want 2 2; 2 2 2",
			a.Deaths, a.KilledByCount(2), b.Kills, b.Streak, b.Best)
	}
	s.Step(rng) // b hits the bottom wall
	if b.Alive || b.Deaths != 1 || b.Streak != 0 || b.Best != 2 || b.Kills != 2 {
		t.Errorf("b after its crash: alive %v Deaths %d Streak %d Best %d Kills %d; want dead 1 0 2 2",
			b.Alive, b.Deaths, b.Streak, b.Best, b.Kills)
	}
	place(t, s, 2, Down, Point{10, 10}, Point{10, 0})
	place(t, s, 1, Right, Point{8, 5})
	steps(s, 2, rng)
	if b.Kills != 3 || b.Streak != 1 || b.Best != 2 || a.Streak != 0 {
		t.Errorf("b's next kill: Kills %d Streak %d Best %d, a Streak %d; want 3 1 2, 0", b.Kills, b.Streak, b.Best, a.Streak)
	}
}

// TestHeadOnStreaksSymmetric checks that two cycles killing each other end
// with the same scores whatever their ids.
func TestHeadOnStreaksSymmetric(t *testing.T) {
	s := New(testParams)
	a := place(t, s, 1, Right, Point{4, 5})
	b := place(t, s, 2, Left, Point{6, 5})
	a.Streak, a.Best, b.Streak, b.Best = 3, 3, 3, 3
	s.Step(newRNG(1))
	if a.Streak != b.Streak || a.Best != b.Best || a.Kills != b.Kills {
		t.Errorf("a Streak %d Best %d Kills %d, b Streak %d Best %d Kills %d; want equal",
			a.Streak, a.Best, a.Kills, b.Streak, b.Best, b.Kills)
	}
	if a.Streak != 0 || a.Best != 4 {
		t.Errorf("a Streak %d Best %d; want 0 4", a.Streak, a.Best)
	}
}

func TestJoin(t *testing.T) {
	s := New(DefaultParams())
	rng := newRNG(1)
	c, err := s.Join(5, CleanName("\x1b[31mzed\x1b[0m"), 3, true, rng)
	if err != nil {
		t.Fatalf("Join = %v", err)
	}
	if c.Name != "zed" || !c.Alive || c.Life != 1 || !s.IsLocal(5) || s.Occupant(c.Head) != 5 {
		t.Errorf("joined: name %q alive %v life %d local %v occupant %d; want zed, alive, 1, local, 5",
			c.Name, c.Alive, c.Life, s.IsLocal(5), s.Occupant(c.Head))
	}
	for _, tt := range []struct {
		name  string
		id    PlayerID
		color int
	}{
		{"id zero", 0, 1},
		{"duplicate id", 5, 1},
		{"negative color", 6, -1},
		{"color past the palette", 6, Colors},
	} {
		if _, err := s.Join(tt.id, "x", tt.color, false, rng); err == nil {
			t.Errorf("%s: Join(%d, color %d) = nil error, want one", tt.name, tt.id, tt.color)
		}
	}
	for id := PlayerID(100); s.Len() < MaxPlayers; id++ {
		if _, err := s.Join(id, "x", 0, false, rng); err != nil {
			t.Fatalf("Join #%d = %v", s.Len()+1, err)
		}
	}
	if _, err := s.Join(1000, "x", 0, false, rng); err == nil {
		t.Errorf("Join into a full arena = nil error, want one")
	}
	ids := s.IDs()
	if !slices.IsSorted(ids) || len(ids) != MaxPlayers {
		t.Errorf("IDs() = %v, want %d sorted ids", ids, MaxPlayers)
	}
	head := s.Cycle(5).Head
	s.Remove(5)
	if s.Cycle(5) != nil || s.IsLocal(5) || s.Occupant(head) != 0 || s.Len() != MaxPlayers-1 {
		t.Errorf("after Remove: cycle %v local %v occupant %d len %d; want gone", s.Cycle(5), s.IsLocal(5), s.Occupant(head), s.Len())
	}
}

func TestStateCloneSharesNothing(t *testing.T) {
	s := New(DefaultParams())
	rng := newRNG(2)
	for id := PlayerID(1); id <= 3; id++ {
		if _, err := s.Join(id, "p", int(id), false, rng); err != nil {
			t.Fatal(err)
		}
	}
	steps(s, 3, rng)
	want := s.Digest()
	d := s.Clone()
	if got := d.Digest(); got != want {
		t.Fatalf("clone digest %x, want %x", got, want)
	}
	d.Cycle(1).Verts[0].X++
	d.Cycle(2).Verts = append(d.Cycle(2).Verts, Point{1, 1})
	d.Cycle(3).Kills = 9
	d.Remove(2)
	steps(d, 5, rng)
	if got := s.Digest(); got != want {
		t.Errorf("original digest changed to %x by changing the clone, want %x", got, want)
	}
	if s.Len() != 3 || s.Occupant(s.Cycle(2).Head) != 2 {
		t.Errorf("original lost cycle 2: len %d", s.Len())
	}
}

func TestDigest(t *testing.T) {
	base := func() *Cycle {
		return &Cycle{
			ID: 1, Name: "a", Color: 2, Alive: true, Life: 1, Dir: Right,
			Head: Point{5, 3}, Verts: []Point{{1, 3}}, Kills: 1, Deaths: 2,
			Streak: 1, Best: 1, KilledBy: []Tally{{2, 1}},
		}
	}
	digest := func(c *Cycle) uint64 {
		s := New(testParams)
		if _, err := s.Merge(c); err != nil {
			t.Fatalf("Merge = %v", err)
		}
		if got, want := s.Digest(), s.Clone().Digest(); got != want {
			t.Fatalf("digest of clone %x, want %x", want, got)
		}
		return s.CycleDigest(c.ID)
	}
	want := digest(base())
	changes := []struct {
		field  string
		change func(*Cycle)
	}{
		{"Name", func(c *Cycle) { c.Name = "b" }},
		{"Color", func(c *Cycle) { c.Color = 3 }},
		{"Alive", func(c *Cycle) { c.Alive = false }},
		{"Life", func(c *Cycle) { c.Life = 2 }},
		{"Dir", func(c *Cycle) { c.Dir = Up }},
		{"Head", func(c *Cycle) { c.Head = Point{6, 3} }},
		{"Verts", func(c *Cycle) { c.Verts = []Point{{2, 3}} }},
		{"Deaths", func(c *Cycle) { c.Deaths = 3 }},
		{"Streak", func(c *Cycle) { c.Streak = 0 }},
		{"Best", func(c *Cycle) { c.Best = 2 }},
		{"KilledBy killer", func(c *Cycle) { c.KilledBy[0].Killer = 3 }},
		{"KilledBy count", func(c *Cycle) { c.KilledBy[0].Count = 2 }},
	}
	for _, tt := range changes {
		c := base()
		tt.change(c)
		if got := digest(c); got == want {
			t.Errorf("changing %s left the digest at %x, want a change", tt.field, got)
		}
	}
	c := base()
	c.DeadTicks, c.Killer, c.Bot = 7, 2, true
	if got := digest(c); got != want {
		t.Errorf("changing local-only fields changed the digest to %x, want %x", got, want)
	}
	c = base()
	c.Kills = 7 // a claim: kills come from the victims' ledgers
	if got := digest(c); got != want {
		t.Errorf("claiming kills changed the digest to %x, want %x", got, want)
	}
	s := New(testParams)
	if got := s.CycleDigest(1); got != 0 {
		t.Errorf("CycleDigest(unknown) = %x, want 0", got)
	}
	empty := s.Digest()
	s.Merge(base())
	if s.Digest() == empty {
		t.Errorf("digest of an arena with a cycle equals the empty arena's")
	}
}

// exchange merges each replica's own cycle into the other, as a network
// that loses nothing would.
func exchange(t *testing.T, replicas ...*State) []Event {
	t.Helper()
	var events []Event
	for _, from := range replicas {
		for _, to := range replicas {
			if from == to {
				continue
			}
			for _, id := range from.IDs() {
				if !from.IsLocal(id) {
					continue
				}
				e, err := to.Merge(from.Cycle(id).Clone())
				if err != nil {
					t.Fatalf("Merge(%d) = %v", id, err)
				}
				events = append(events, e...)
			}
		}
	}
	return events
}

func TestMergePeerToPeer(t *testing.T) {
	p := testParams
	sa, sb := New(p), New(p)
	ra, rb := newRNG(1), newRNG(2)
	if _, err := sa.Join(1, "A", 1, false, ra); err != nil {
		t.Fatal(err)
	}
	if _, err := sb.Join(2, "B", 2, false, rb); err != nil {
		t.Fatal(err)
	}
	a := place(t, sa, 1, Right, Point{5, 5})
	b := place(t, sb, 2, Down, Point{8, 10}, Point{8, 2})
	exchange(t, sa, sb)
	for tick := 1; tick <= 2; tick++ {
		sa.StepOwn(1, ra)
		sb.StepOwn(2, rb)
		exchange(t, sa, sb)
	}
	events := sa.StepOwn(1, ra) // a hits b's trail as sa sees it
	if a.Alive || a.Killer != 2 || len(events) != 1 || events[0].Kind != EventCrash || events[0].Other != 2 {
		t.Fatalf("a: alive %v killer %d, events %v; want crashed by 2", a.Alive, a.Killer, events)
	}
	if got := sa.Cycle(2).Kills; got != 1 {
		t.Errorf("b's Kills = %d on sa, want 1: a's own ledger names b", got)
	}
	sb.StepOwn(2, rb)
	for i := range 2 { // the same announcement twice: b is credited once
		events, err := sb.Merge(sa.Cycle(1).Clone())
		if err != nil {
			t.Fatalf("Merge = %v", err)
		}
		wantEvents := 1 - i
		if len(events) != wantEvents || b.Kills != 1 || b.Streak != 1 || b.Best != 1 {
			t.Errorf("merge #%d: events %v, b Kills %d Streak %d Best %d; want %d event, 1 1 1", i+1, events, b.Kills, b.Streak, b.Best, wantEvents)
		}
		if wantEvents == 1 && (events[0].Kind != EventKill || events[0].Player != 2 || events[0].Other != 1) {
			t.Errorf("merge #%d: event %+v, want b's kill of a", i+1, events[0])
		}
	}
	exchange(t, sa, sb)
	if got := sa.Cycle(2).Kills; got != 1 {
		t.Errorf("sa's copy of b: Kills = %d, want 1", got)
	}
	// a respawns and lives on; its old death is never counted again.
	for range p.RespawnTicks() + 3 {
		sa.StepOwn(1, ra)
		place(t, sb, 2, Right, Point{0, 19}) // keep b out of the way
		if events := exchange(t, sa, sb); len(events) != 0 {
			t.Fatalf("exchange events %v, want none", events)
		}
	}
	if !a.Alive || a.Life != 2 || b.Kills != 1 || a.Deaths != 1 {
		t.Errorf("after respawn: a alive %v life %d deaths %d, b kills %d; want alive 2 1, 1", a.Alive, a.Life, a.Deaths, b.Kills)
	}
	if da, db := sa.Digest(), sb.Digest(); da != db {
		t.Errorf("replica digests %x and %x, want equal after an exchange", da, db)
	}
}

func TestMergeRefused(t *testing.T) {
	p := testParams
	good := func() *Cycle {
		return &Cycle{ID: 2, Name: "B", Color: 1, Alive: true, Life: 1, Dir: Right,
			Head: Point{8, 3}, Verts: []Point{{3, 3}}, Deaths: 1, KilledBy: []Tally{{1, 1}}}
	}
	zigzag := []Point{{0, 0}}
	for i := range 30 {
		zigzag = append(zigzag, Point{19 * ((i + 1) % 2), 0})
	}
	tests := []struct {
		name   string
		change func(*Cycle)
		want   error
	}{
		{"diagonal segment", func(c *Cycle) { c.Verts = []Point{{3, 3}, {5, 5}}; c.Head = Point{8, 5} }, ErrTrailNotContiguous},
		{"alive without a trail", func(c *Cycle) { c.Verts = nil }, ErrTrailNotContiguous},
		{"vertex off the arena", func(c *Cycle) { c.Verts = []Point{{-3, 3}} }, ErrTrailOffArena},
		{"head off the arena", func(c *Cycle) { c.Head = Point{20, 3} }, ErrTrailOffArena},
		{"too long", func(c *Cycle) { c.Verts = zigzag; c.Head = Point{0, 5} }, ErrTrailTooLong},
		{"bad heading", func(c *Cycle) { c.Dir = 9 }, ErrBadDir},
		{"color past the palette", func(c *Cycle) { c.Color = Colors }, ErrBadColor},
		{"negative color", func(c *Cycle) { c.Color = -1 }, ErrBadColor},
		{"ledger names itself", func(c *Cycle) { c.KilledBy = []Tally{{2, 1}} }, ErrBadLedger},
		{"ledger names nobody", func(c *Cycle) { c.KilledBy = []Tally{{0, 1}} }, ErrBadLedger},
		{"ledger unsorted", func(c *Cycle) { c.Deaths = 2; c.KilledBy = []Tally{{3, 1}, {1, 1}} }, ErrBadLedger},
		{"ledger repeats", func(c *Cycle) { c.Deaths = 2; c.KilledBy = []Tally{{1, 1}, {1, 1}} }, ErrBadLedger},
		{"ledger empty entry", func(c *Cycle) { c.KilledBy = []Tally{{1, 0}} }, ErrBadLedger},
		{"more kills than deaths", func(c *Cycle) { c.KilledBy = []Tally{{1, 2}} }, ErrBadLedger},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := New(p)
			if _, err := s.Join(1, "A", 0, false, newRNG(1)); err != nil {
				t.Fatal(err)
			}
			if _, err := s.Merge(good()); err != nil {
				t.Fatalf("Merge(good) = %v", err)
			}
			before := s.Digest()
			occupied := s.Occupant(Point{5, 3})
			c := good()
			c.Life = 2
			tt.change(c)
			events, err := s.Merge(c)
			if !errors.Is(err, tt.want) || events != nil {
				t.Errorf("Merge = %v, %v; want nil, %v", events, err, tt.want)
			}
			if got := s.Digest(); got != before {
				t.Errorf("digest %x after a refused merge, want %x", got, before)
			}
			if got := s.Occupant(Point{5, 3}); got != occupied || got != 2 {
				t.Errorf("Occupant(5,3) = %d after a refused merge, want 2", got)
			}
			if got := s.Cycle(1).Kills; got != 1 {
				t.Errorf("a's Kills = %d, want 1 (from the good merge only)", got)
			}
		})
	}
	s := New(p)
	if _, err := s.Join(1, "A", 0, false, newRNG(1)); err != nil {
		t.Fatal(err)
	}
	own := s.Cycle(1).Clone()
	if _, err := s.Merge(own); err == nil {
		t.Errorf("Merge of a local cycle = nil error, want one")
	}
	zero := good()
	zero.ID = 0
	if _, err := s.Merge(zero); err == nil {
		t.Errorf("Merge of player 0 = nil error, want one")
	}
	if s.Len() != 1 {
		t.Errorf("Len = %d after refused merges, want 1", s.Len())
	}
}

// TestRespawnRace checks that a cycle respawning in a tick where another
// cycle moves never lands on the cell that cycle moves into, and waits
// while no cell is free.
func TestRespawnRace(t *testing.T) {
	p := testParams
	for _, free := range []int{1, 2} { // cells left of b, which rides left
		t.Run(fmt.Sprintf("free=%d", free), func(t *testing.T) {
			s := New(p)
			verts, head := serpentine(p.Width, p.Width*p.Height-free-1)
			if _, err := s.Merge(&Cycle{ID: 2, Alive: true, Dir: Left, Head: head, Verts: verts}); err != nil {
				t.Fatal(err)
			}
			b := place(t, s, 1, Left, Point{free, p.Height - 1})
			a := place(t, s, 3, Up, Point{0, 0})
			a.Verts, a.Alive, a.DeadTicks = nil, false, p.RespawnTicks()-1
			s.gridDirty = true
			events := s.Step(newRNG(1))
			if !b.Alive || b.Head != (Point{free - 1, p.Height - 1}) {
				t.Fatalf("b: alive %v head %v, want alive at (%d,%d)", b.Alive, b.Head, free-1, p.Height-1)
			}
			if free == 1 {
				if a.Alive || len(events) != 0 {
					t.Fatalf("no free cell: a alive %v at %v, events %v; want a still dead, no events", a.Alive, a.Head, events)
				}
				if got := s.RespawnIn(a); got != 0 {
					t.Errorf("RespawnIn = %d, want 0", got)
				}
				s.Step(newRNG(1)) // b hits the wall: its cells free up
				if b.Alive || !a.Alive {
					t.Fatalf("b alive %v, a alive %v; want b crashed and a respawned", b.Alive, a.Alive)
				}
				return
			}
			if !a.Alive || a.Head != (Point{0, p.Height - 1}) {
				t.Errorf("a: alive %v head %v, want alive at (0,%d)", a.Alive, a.Head, p.Height-1)
			}
		})
	}
}

func TestJoinFullArena(t *testing.T) {
	p := testParams
	s := New(p)
	verts, head := serpentine(p.Width, p.Width*p.Height)
	if _, err := s.Merge(&Cycle{ID: 2, Alive: true, Dir: Left, Head: head, Verts: verts}); err != nil {
		t.Fatal(err)
	}
	if c, err := s.Join(1, "a", 0, false, newRNG(1)); err == nil || c != nil || s.Len() != 1 || s.Cycle(1) != nil {
		t.Errorf("Join into an arena with no free cell = %v, %v, len %d; want nil, an error, len 1", c, err, s.Len())
	}
}
