package game

import (
	"math"
	"math/rand/v2"
)

// Bot tuning, in points. Only their order matters much: certain death is
// worse than a likely head-on, which is worse than any small enclosed
// area, which outweighs all the small preferences (run, room, whims).
// A bot whose every heading leads into a closed region of fewer than
// botFillCap cells is shut in, and plays to last rather than to roam.
const (
	botFillCap = 300 // cells a flood fill counts before it calls a region open
	botRunLook = 12  // straight cells worth looking ahead

	botDeath       = -1_000_000
	botHeadOnAhead = -5000 // the cell another head enters if it rides on
	botHeadOnTurn  = -1500 // the cell another head enters if it turns
	botAreaWeight  = 10    // per reachable cell
	botRunWeight   = 4     // per free cell straight ahead
	botCramp       = -8    // per blocked neighbour of the next cell
	botStraight    = 16    // keeps a bot from dithering
	botHug         = 24    // per blocked neighbour of the next cell, when shut in
	botNoise       = 10    // random points for each heading (exclusive bound)
	botWhimOdds    = 15    // one call in this many, a bot fancies a turn...
	botWhim        = 80    // ...worth this much
	botHuntRange   = 10    // Manhattan distance within which a head is prey
	botHuntLead    = 3     // cells ahead of the prey to aim for
	botHunt        = 30    // for closing in on that cell when it is safe
	botRunway      = -3000 // a cell of the road a waiting cycle will take
)

// BotDir returns the heading the bot riding cycle id should take this tick:
// its current Dir to ride straight on, or one of its two turns; never the
// opposite of its current Dir. For a dead or unknown cycle it returns that
// cycle's Dir (Up when unknown).
//
// Each heading is scored on immediate safety, the area it can still reach
// (a flood fill bounded at a few hundred cells), the free run straight
// ahead, the risk of a head-on with another living head, and a little
// seeded whim: bots turn now and then in the open and cut in front of a
// nearby head when the road there is wide. Shut in a closed region, a bot
// hugs its walls to last as long as the space allows.
//
// BotDir does not change s (beyond rebuilding its occupancy grid when it is
// stale) and draws only from rng, so it is deterministic given s, id and
// rng's state. The caller applies the answer:
//
//	if d := game.BotDir(s, id, rng); d != c.Dir {
//		s.Turn(id, d)
//	}
func BotDir(s *State, id PlayerID, rng *rand.Rand) Dir {
	c := s.cycles[id]
	if c == nil {
		return Up
	}
	if !c.Alive || !c.Dir.Valid() {
		return c.Dir
	}
	s.ensureGrid()
	whim := -1
	if rng.IntN(botWhimOdds) == 0 {
		whim = 1 + rng.IntN(2)
	}
	prey, hunting := botPrey(s, c)
	headings := [3]Dir{c.Dir, (c.Dir + 1) % 4, (c.Dir + 3) % 4}
	var areas [3]int
	var f fill
	open := false
	for i, d := range headings {
		if next := c.Head.Add(d); s.free(next) {
			areas[i] = f.area(s, next, uint32(i+1))
			open = open || areas[i] >= botFillCap
		}
	}
	best, bestScore := c.Dir, math.MinInt
	for i, d := range headings {
		score := rng.IntN(botNoise)
		next := c.Head.Add(d)
		switch {
		case areas[i] == 0:
			score += botDeath
		case open:
			score += botAreaWeight*areas[i] + headOnRisk(s, c.ID, next) + runwayRisk(s, c.ID, next) +
				botRunWeight*s.run(c.Head, d, botRunLook) +
				botCramp*s.blockedAround(next)
			if i == 0 {
				score += botStraight
			}
			if i == whim {
				score += botWhim
			}
			if hunting && areas[i] >= botFillCap && dist(next, prey) < dist(c.Head, prey) {
				score += botHunt
			}
		default:
			// Shut in: fill the space by hugging its walls, not cutting
			// it up, and keep the bigger part when a move must cut.
			score += botAreaWeight*areas[i] + headOnRisk(s, c.ID, next) + runwayRisk(s, c.ID, next) +
				botHug*s.blockedAround(next)
		}
		if score > bestScore {
			best, bestScore = d, score
		}
	}
	return best
}

// botPrey returns the cell a few steps ahead of the nearest other living
// head within botHuntRange, if there is one.
func botPrey(s *State, c *Cycle) (Point, bool) {
	var prey *Cycle
	near := botHuntRange + 1
	for _, id := range s.order {
		o := s.cycles[id]
		if o == c || !o.Alive {
			continue
		}
		if d := dist(o.Head, c.Head); d < near {
			prey, near = o, d
		}
	}
	if prey == nil {
		return Point{}, false
	}
	dx, dy := prey.Dir.Delta()
	p := Point{prey.Head.X + botHuntLead*dx, prey.Head.Y + botHuntLead*dy}
	p.X = min(max(p.X, 0), s.Params.Width-1)
	p.Y = min(max(p.Y, 0), s.Params.Height-1)
	return p, true
}

// headOnRisk is the penalty for entering p when another living head may
// enter it in the same tick.
func headOnRisk(s *State, self PlayerID, p Point) int {
	risk := 0
	for _, id := range s.order {
		o := s.cycles[id]
		if id == self || !o.Alive || dist(o.Head, p) != 1 {
			continue
		}
		switch p {
		case o.Head.Add(o.Dir):
			risk += botHeadOnAhead
		case o.Head.Add(o.Dir.Opposite()):
			// o cannot reverse into p.
		default:
			risk += botHeadOnTurn
		}
	}
	return risk
}

// runwayRisk is the penalty for entering p when p lies on the road a
// new life will take: the cells of its first second of straight travel
// from its spawn cell, while it waits there (its ready phase) and, once it
// rides, until it turns or has ridden that second. A newcomer is not
// killed by a bot before it has found its cycle; a bot crosses that road
// only when every other way is worse.
func runwayRisk(s *State, self PlayerID, p Point) int {
	risk := 0
	for _, id := range s.order {
		o := s.cycles[id]
		if id == self || !o.Alive || len(o.Verts) != 1 {
			continue // gone, or turned: its road is its own choice now
		}
		dx, dy := o.Dir.Delta()
		spawn := o.Verts[0]
		rx, ry := p.X-spawn.X, p.Y-spawn.Y
		k := rx*dx + ry*dy // cells ahead of the spawn cell, if on its line
		rode := (o.Head.X-spawn.X)*dx + (o.Head.Y-spawn.Y)*dy
		if rx*dy-ry*dx == 0 && k > rode && k <= s.Params.TickRate+1 {
			risk += botRunway
		}
	}
	return risk
}

// blockedAround counts the neighbours of p that are walls or trails.
func (s *State) blockedAround(p Point) int {
	n := 0
	for d := Up; d <= Left; d++ {
		if !s.free(p.Add(d)) {
			n++
		}
	}
	return n
}

func dist(a, b Point) int { return abs(a.X-b.X) + abs(a.Y-b.Y) }

// fill is the scratch space of up to three bounded flood fills, one per
// heading, sharing one visited set so that headings into the same region
// cost one fill. It lives on the stack: BotDir allocates nothing.
type fill struct {
	seen  [fillSlots]uint32 // open addressing: (cell+1) | fill<<16; 0 is empty
	queue [botFillCap]int32
	areas [4]int // by fill number
}

// fillSlots is a power of two comfortably above 3*botFillCap entries.
const fillSlots = 2048

// visit marks cell as seen by fill n and returns 0, or returns the number
// of the fill that saw it first.
func (f *fill) visit(cell int, n uint32) uint32 {
	key := uint32(cell + 1)
	for i := (key * 0x9e3779b1) >> (32 - 11); ; i = (i + 1) & (fillSlots - 1) {
		switch e := f.seen[i]; {
		case e == 0:
			f.seen[i] = key | n<<16
			return 0
		case e&0xffff == key:
			return e >> 16
		}
	}
}

// area counts the free cells reachable from free cell start, start
// included, up to botFillCap, as fill number n (1..3).
//
// Regions are connected components, so meeting a cell an earlier fill saw
// means the earlier fill stopped at the cap (a finished fill covers its
// whole component): this region is open too.
func (f *fill) area(s *State, start Point, n uint32) int {
	w, h := s.Params.Width, s.Params.Height
	first := start.Y*w + start.X
	if prev := f.visit(first, n); prev != 0 {
		return f.areas[prev]
	}
	f.areas[n] = botFillCap
	q := f.queue[:1]
	q[0] = int32(first)
	count := 1
	for i := 0; i < len(q); i++ {
		cell := int(q[i])
		x, y := cell%w, cell/w
		for _, nb := range [4]struct {
			ok   bool
			cell int
		}{{y > 0, cell - w}, {x < w-1, cell + 1}, {y < h-1, cell + w}, {x > 0, cell - 1}} {
			if !nb.ok || s.grid[nb.cell] != 0 {
				continue
			}
			if prev := f.visit(nb.cell, n); prev != 0 {
				if prev != n {
					return botFillCap
				}
				continue
			}
			count++
			if count >= botFillCap {
				return botFillCap
			}
			q = append(q, int32(nb.cell))
		}
	}
	f.areas[n] = count
	return count
}
