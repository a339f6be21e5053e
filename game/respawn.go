package game

import "math/rand/v2"

// Spawn safety: how far a new cycle keeps from living heads and trails,
// and how much open road it wants ahead.
const (
	spawnCandidates = 64
	spawnMargin     = 2 // free cells around the spawn cell
	spawnHeadRoom   = 6 // cells from any living head
	spawnRunway     = 8 // free cells straight ahead
)

// spawn starts a new life of c at the safest of a few random spots, facing
// the most open direction.
func (s *State) spawn(c *Cycle, rng *rand.Rand) {
	p, d := s.SafeSpot(rng, c.ID)
	c.Alive = true
	c.Life++
	c.Dir = d
	c.Head = p
	c.Verts = []Point{p}
	c.DeadTicks = 0
	c.Killer = 0
	c.queue = nil
	s.ensureGrid()
	s.grid[p.Y*s.Params.Width+p.X] = c.ID
}

// SafeSpot picks a cell and heading for a new life: on the arena, on a free
// cell with free cells around it, away from every living head, with open
// road ahead. It tries spawnCandidates random cells and keeps the best;
// when the arena is nearly full it settles for the best it saw.
func (s *State) SafeSpot(rng *rand.Rand, self PlayerID) (Point, Dir) {
	s.ensureGrid()
	bestScore := -1 << 30
	var best Point
	bestDir := Right
	w, h := s.Params.Width, s.Params.Height
	for range spawnCandidates {
		p := Point{rng.IntN(w-2*spawnMargin) + spawnMargin, rng.IntN(h-2*spawnMargin) + spawnMargin}
		if !s.Free(p) {
			continue
		}
		score := 0
		for dy := -spawnMargin; dy <= spawnMargin; dy++ {
			for dx := -spawnMargin; dx <= spawnMargin; dx++ {
				if !s.Free(Point{p.X + dx, p.Y + dy}) {
					score -= 20
				}
			}
		}
		near := w + h
		for _, id := range s.order {
			o := s.cycles[id]
			if id == self || !o.Alive {
				continue
			}
			near = min(near, abs(o.Head.X-p.X)+abs(o.Head.Y-p.Y))
		}
		if near < spawnHeadRoom {
			score -= 100 * (spawnHeadRoom - near)
		}
		score += min(near, 2*spawnHeadRoom)
		d, run := s.openest(p)
		score += 4 * min(run, 2*spawnRunway)
		if run < spawnRunway {
			score -= 50
		}
		if score > bestScore {
			bestScore, best, bestDir = score, p, d
		}
	}
	if bestScore == -1<<30 {
		// Every candidate was taken: scan for any free cell.
		for y := range h {
			for x := range w {
				if p := (Point{x, y}); s.Free(p) {
					d, _ := s.openest(p)
					return p, d
				}
			}
		}
		return Point{w / 2, h / 2}, Right
	}
	return best, bestDir
}

// openest returns the heading from p with the longest free straight run.
func (s *State) openest(p Point) (Dir, int) {
	bestDir, bestRun := Right, -1
	for d := Up; d <= Left; d++ {
		run := s.Run(p, d, s.Params.Width+s.Params.Height)
		if run > bestRun {
			bestDir, bestRun = d, run
		}
	}
	return bestDir, bestRun
}

// Run counts the free cells straight ahead of p in direction d, up to limit.
func (s *State) Run(p Point, d Dir, limit int) int {
	n := 0
	for n < limit {
		p = p.Add(d)
		if !s.Free(p) {
			break
		}
		n++
	}
	return n
}
