package game

import "math/rand/v2"

// Spawn safety: how far a new cycle keeps from living heads and trails,
// and how much open road it wants ahead.
const (
	spawnCandidates = 64
	spawnMargin     = 2 // free cells around the spawn cell
	spawnHeadRoom   = 6 // cells from any living head
	spawnRunway     = 8 // free cells straight ahead, at the least (see Params.SpawnRunway)
)

// spawn starts a new life of c at the safest of a few random spots, facing
// the most open direction. It reports false, leaving c as it was, when no
// cell of the arena is free.
func (s *State) spawn(c *Cycle, rng *rand.Rand) bool {
	p, d := s.SafeSpot(rng, c.ID)
	if !s.free(p) {
		return false
	}
	c.Alive = true
	c.Life++
	c.Dir = d
	c.Head = p
	c.Verts = []Point{p}
	c.DeadTicks = 0
	c.Ready = s.Params.ReadyTicks()
	c.Killer = 0
	c.queue = nil
	s.grid[p.Y*s.Params.Width+p.X] = c.ID
	return true
}

// SafeSpot picks a cell and heading for a new life: on the arena, on a free
// cell with free cells around it, away from every living head but self's,
// with open road ahead. It tries spawnCandidates random cells and keeps the
// best; when none of them is free (a nearly full arena) it scores every
// free cell instead. Only when no cell at all is free does it return an
// occupied one, the centre (callers check Free).
func (s *State) SafeSpot(rng *rand.Rand, self PlayerID) (Point, Dir) {
	s.ensureGrid()
	w, h := s.Params.Width, s.Params.Height
	var buf [MaxPlayers]Point
	heads := buf[:0]
	for _, id := range s.order {
		if o := s.cycles[id]; id != self && o.Alive {
			heads = append(heads, o.Head)
		}
	}
	best, bestScore, found := Point{w / 2, h / 2}, 0, false
	consider := func(p Point) {
		if !s.free(p) {
			return
		}
		if score := s.spotScore(p, heads); !found || score > bestScore {
			best, bestScore, found = p, score, true
		}
	}
	for range spawnCandidates {
		consider(Point{rng.IntN(w-2*spawnMargin) + spawnMargin, rng.IntN(h-2*spawnMargin) + spawnMargin})
	}
	if !found {
		for y := range h {
			for x := range w {
				consider(Point{x, y})
			}
		}
	}
	if !found {
		return best, Right
	}
	d, _ := s.openest(best)
	return best, d
}

// spotScore rates free cell p as a spawn spot, given the other living heads.
func (s *State) spotScore(p Point, heads []Point) int {
	score := 0
	for dy := -spawnMargin; dy <= spawnMargin; dy++ {
		for dx := -spawnMargin; dx <= spawnMargin; dx++ {
			if !s.free(Point{p.X + dx, p.Y + dy}) {
				score -= 20
			}
		}
	}
	near := s.Params.Width + s.Params.Height
	for _, h := range heads {
		near = min(near, dist(h, p))
	}
	if near < spawnHeadRoom {
		score -= 100 * (spawnHeadRoom - near)
	}
	score += min(near, 2*spawnHeadRoom)
	runway := s.Params.SpawnRunway()
	run := 0
	for d := Up; d <= Left; d++ {
		run = max(run, s.run(p, d, 2*runway))
	}
	score += 4 * min(run, 2*spawnRunway)
	if run < runway {
		score -= 100
	}
	return score
}

// openest returns the heading from p with the longest free straight run.
func (s *State) openest(p Point) (Dir, int) {
	bestDir, bestRun := Right, -1
	for d := Up; d <= Left; d++ {
		run := s.run(p, d, s.Params.Width+s.Params.Height)
		if run > bestRun {
			bestDir, bestRun = d, run
		}
	}
	return bestDir, bestRun
}

// Run counts the free cells straight ahead of p in direction d, up to limit.
func (s *State) Run(p Point, d Dir, limit int) int {
	s.ensureGrid()
	return s.run(p, d, limit)
}

// run is Run on a grid known to be up to date.
func (s *State) run(p Point, d Dir, limit int) int {
	n := 0
	for n < limit {
		p = p.Add(d)
		if !s.free(p) {
			break
		}
		n++
	}
	return n
}

// free is Free on a grid known to be up to date.
func (s *State) free(p Point) bool {
	return s.Params.In(p) && s.grid[p.Y*s.Params.Width+p.X] == 0
}
