package game

import (
	"testing"
)

func TestBotDirLegal(t *testing.T) {
	s := New(DefaultParams())
	rng := newRNG(1)
	for id := PlayerID(1); id <= 8; id++ {
		if _, err := s.Join(id, "bot", int(id), true, rng); err != nil {
			t.Fatal(err)
		}
	}
	for tick := range 500 {
		for _, id := range s.IDs() {
			c := s.Cycle(id)
			d := BotDir(s, id, rng)
			if !c.Alive {
				if d != c.Dir {
					t.Fatalf("tick %d: dead bot %d: BotDir = %v, want its Dir %v", tick, id, d, c.Dir)
				}
				continue
			}
			if !d.Valid() || d == c.Dir.Opposite() {
				t.Fatalf("tick %d: bot %d heading %v: BotDir = %v, want a legal heading", tick, id, c.Dir, d)
			}
			if d != c.Dir && !s.Turn(id, d) {
				t.Fatalf("tick %d: bot %d: Turn(%v) refused while heading %v", tick, id, d, c.Dir)
			}
		}
		s.Step(rng)
	}
	if got := BotDir(s, 99, rng); got != Up {
		t.Errorf("BotDir(unknown) = %v, want %v", got, Up)
	}
}

func TestBotDirChoices(t *testing.T) {
	type pos struct {
		id    PlayerID
		dir   Dir
		head  Point
		verts []Point
	}
	tests := []struct {
		name   string
		bot    pos // id 1
		others []pos
		want   []Dir // acceptable answers
	}{
		{"wall ahead", pos{1, Right, Point{19, 5}, nil}, nil, []Dir{Up, Down}},
		{"corner", pos{1, Right, Point{19, 0}, nil}, nil, []Dir{Down}},
		{"corner going up", pos{1, Up, Point{0, 0}, []Point{{0, 5}}}, nil, []Dir{Right}},
		{"trail ahead", pos{1, Right, Point{5, 5}, nil}, []pos{{2, Down, Point{6, 15}, []Point{{6, 0}}}}, []Dir{Up, Down}},
		{"trail beside", pos{1, Up, Point{5, 15}, []Point{{5, 19}}}, []pos{{2, Down, Point{4, 19}, []Point{{4, 0}}}}, []Dir{Up, Right}},
		{"small pocket left, open right", pos{1, Up, Point{3, 10}, []Point{{3, 12}}}, []pos{
			{2, Right, Point{3, 9}, []Point{{0, 9}}},
			{3, Right, Point{2, 12}, []Point{{0, 12}}},
		}, []Dir{Right}},
		{"dead end straight, room to the side", pos{1, Right, Point{10, 10}, []Point{{5, 10}}}, []pos{
			{2, Left, Point{11, 8}, []Point{{14, 8}, {14, 12}, {11, 12}}},
			{3, Right, Point{0, 0}, nil},
		}, []Dir{Up, Down}},
		{"head-on ahead", pos{1, Right, Point{5, 10}, nil}, []pos{{2, Left, Point{7, 10}, nil}}, []Dir{Up, Down}},
		{"head crossing ahead", pos{1, Right, Point{5, 10}, nil}, []pos{{2, Down, Point{6, 9}, []Point{{6, 2}}}}, []Dir{Down}},
		{"only exit", pos{1, Right, Point{10, 10}, []Point{{8, 10}}}, []pos{
			{2, Right, Point{12, 9}, []Point{{10, 9}}},
			{3, Right, Point{11, 11}, []Point{{9, 11}}},
		}, []Dir{Right}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := New(testParams)
			c := place(t, s, tt.bot.id, tt.bot.dir, tt.bot.head, tt.bot.verts...)
			for _, o := range tt.others {
				place(t, s, o.id, o.dir, o.head, o.verts...)
			}
			before := s.Digest()
			counts := map[Dir]int{}
			for seed := range uint64(200) {
				counts[BotDir(s, c.ID, newRNG(seed))]++
			}
			for d, n := range counts {
				ok := false
				for _, w := range tt.want {
					ok = ok || d == w
				}
				if !ok {
					t.Errorf("BotDir chose %v in %d of 200 seeds, want only %v", d, n, tt.want)
				}
			}
			if got := s.Digest(); got != before {
				t.Errorf("BotDir changed the state: digest %x, want %x", got, before)
			}
		})
	}
}

// A bot does not ride across the road a new life will take in its first
// second (waiting in its ready phase, or riding it without a turn yet),
// when it can turn instead; behind that cycle, or across the line of a
// cycle that has turned, it rides on as usual (turning only on a whim).
func TestBotSparesTheReadyRoad(t *testing.T) {
	for _, tt := range []struct {
		name     string
		ready    int
		head     Point   // the other cycle's, heading Right
		verts    []Point // its trail; nil: only its spawn cell, the head
		straight bool    // the bot mostly rides on down, across row 10
	}{
		{"road ahead of a waiting cycle", 20, Point{5, 10}, nil, false},
		{"behind a waiting cycle", 20, Point{12, 10}, nil, true},
		{"road ahead of a cycle in its first second", 0, Point{5, 10}, []Point{{3, 10}}, false},
		{"a cycle that has turned", 0, Point{5, 10}, []Point{{5, 14}, {5, 10}}, true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			s := New(testParams)
			bot := place(t, s, 1, Down, Point{8, 9}, Point{8, 2})
			w := place(t, s, 2, Right, tt.head, tt.verts...)
			w.Ready = tt.ready
			down := 0
			for seed := range uint64(100) {
				if BotDir(s, bot.ID, newRNG(seed)) == Down {
					down++
				}
			}
			if tt.straight && down < 80 || !tt.straight && down > 0 {
				t.Errorf("the bot rode on across row 10 in %d of 100 seeds", down)
			}
		})
	}
}

// TestBotDirDeterministic checks that the answer depends only on the state
// and the random source.
func TestBotDirDeterministic(t *testing.T) {
	s := replayState(t, 5, 8, 300, BotDir)
	for _, id := range s.IDs() {
		for seed := range uint64(20) {
			a := BotDir(s, id, newRNG(seed))
			b := BotDir(s.Clone(), id, newRNG(seed))
			if a != b {
				t.Errorf("bot %d seed %d: BotDir %v on the state, %v on its clone", id, seed, a, b)
			}
		}
	}
}

// TestBotTurnsNowAndThen checks that a bot alone in an open arena neither
// rides dead straight from wall to wall nor dithers.
func TestBotTurnsNowAndThen(t *testing.T) {
	s := New(Params{Width: 120, Height: 120, TickRate: 15})
	rng := newRNG(4)
	place(t, s, 1, Right, Point{20, 60})
	turns := 0
	const ticks = 60
	for range ticks {
		c := s.Cycle(1)
		if d := BotDir(s, 1, rng); d != c.Dir {
			s.Turn(1, d)
			turns++
		}
		s.Step(rng)
	}
	if !s.Cycle(1).Alive {
		t.Fatalf("bot died in an open arena")
	}
	if turns < 1 || turns > ticks/3 {
		t.Errorf("bot turned %d times in %d ticks of open road, want 1..%d", turns, ticks, ticks/3)
	}
}

// TestBotFillsRoom shuts a bot into a room of 81 cells and checks that it
// uses most of them before it crashes.
func TestBotFillsRoom(t *testing.T) {
	const rooms, cells = 50, 81
	total := 0
	for seed := range uint64(rooms) {
		s := New(Params{Width: 16, Height: 16, TickRate: 15})
		rng := newRNG(seed)
		place(t, s, 2, Up, Point{9, 0}, Point{0, 9}, Point{9, 9}) // the room's walls
		s.local[2] = false
		place(t, s, 1, Dir(rng.IntN(4)), Point{rng.IntN(9), rng.IntN(9)})
		ticks := 0
		for ; s.Cycle(1).Alive && ticks <= cells; ticks++ {
			c := s.Cycle(1)
			if d := BotDir(s, 1, rng); d != c.Dir {
				s.Turn(1, d)
			}
			s.StepOwn(1, rng)
		}
		if ticks > cells {
			t.Fatalf("seed %d: bot alive after %d ticks in a room of %d cells", seed, ticks, cells)
		}
		total += ticks
	}
	if avg := float64(total) / rooms; avg < 0.8*cells {
		t.Errorf("bots lasted %.1f ticks on average in a room of %d cells, want >= %.0f", avg, cells, 0.8*cells)
	}
}

// TestFillArea checks the shared flood fill against a plain one.
func TestFillArea(t *testing.T) {
	plain := func(s *State, start Point) int {
		seen := map[Point]bool{start: true}
		queue := []Point{start}
		for len(queue) > 0 && len(seen) < botFillCap {
			p := queue[0]
			queue = queue[1:]
			for d := Up; d <= Left; d++ {
				if q := p.Add(d); s.Free(q) && !seen[q] {
					seen[q] = true
					queue = append(queue, q)
				}
			}
		}
		return min(len(seen), botFillCap)
	}
	checked, small := 0, 0
	for seed := range uint64(10) {
		s := replayState(t, seed, 8, 150+50*int(seed), BotDir)
		s.ensureGrid()
		for _, id := range s.order {
			c := s.cycles[id]
			if !c.Alive {
				continue
			}
			var f fill
			for i, d := range [3]Dir{c.Dir, (c.Dir + 1) % 4, (c.Dir + 3) % 4} {
				next := c.Head.Add(d)
				if !s.free(next) {
					continue
				}
				got, want := f.area(s, next, uint32(i+1)), plain(s, next)
				if got != want {
					t.Errorf("seed %d bot %d heading %v: area %d, want %d", seed, id, d, got, want)
				}
				checked++
				if want < botFillCap {
					small++
				}
			}
		}
	}
	// Shared fills: the second starts inside the first's region.
	s := New(testParams)
	place(t, s, 2, Up, Point{9, 0}, Point{0, 9}, Point{9, 9})
	var f fill
	for i, start := range []Point{{0, 0}, {5, 5}, {12, 12}} {
		want := plain(s, start)
		if got := f.area(s, start, uint32(i+1)); got != want {
			t.Errorf("fill %d from %v: area %d, want %d", i+1, start, got, want)
		}
	}
	var g fill
	for i, start := range []Point{{12, 12}, {19, 19}, {0, 0}} {
		want := plain(s, start)
		if got := g.area(s, start, uint32(i+1)); got != want {
			t.Errorf("second set, fill %d from %v: area %d, want %d", i+1, start, got, want)
		}
	}
	if checked == 0 || small == 0 {
		t.Errorf("checked %d areas, %d below the cap: want some of each", checked, small)
	}
}
