package game

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// policy chooses a heading for cycle id, like BotDir.
type policy func(s *State, id PlayerID, rng *rand.Rand) Dir

// straightOn never turns: the baseline a bot must beat.
func straightOn(s *State, id PlayerID, _ *rand.Rand) Dir { return s.Cycle(id).Dir }

type replayStats struct {
	aliveTicks int // summed over cycles
	deaths     int
}

// replay joins n local cycles driven by pol and runs ticks ticks, calling
// check (when not nil) after every tick.
func replay(t testing.TB, seed uint64, n, ticks int, pol policy, check func(*State, []Event) error) (*State, replayStats) {
	t.Helper()
	s := New(DefaultParams())
	rng := newRNG(seed)
	for id := PlayerID(1); id <= PlayerID(n); id++ {
		if _, err := s.Join(id, Text(fmt.Sprint("bot", id)), int(id)%Colors, true, rng); err != nil {
			t.Fatal(err)
		}
	}
	var st replayStats
	for tick := 1; tick <= ticks; tick++ {
		for _, id := range s.order {
			c := s.cycles[id]
			if !c.Alive {
				continue
			}
			if c.Ready == 0 { // a life is measured from when it rides
				st.aliveTicks++
			}
			if d := pol(s, id, rng); d != c.Dir {
				s.Turn(id, d)
			}
		}
		events := s.Step(rng)
		for _, e := range events {
			if e.Kind == EventCrash {
				st.deaths++
			}
		}
		if check != nil {
			if err := check(s, events); err != nil {
				t.Fatalf("seed %d tick %d: %v", seed, tick, err)
			}
		}
	}
	return s, st
}

func replayState(t testing.TB, seed uint64, n, ticks int, pol policy) *State {
	s, _ := replay(t, seed, n, ticks, pol, nil)
	return s
}

// invariants returns a checker of the rules that hold after every tick of
// an arena where every cycle is local.
func invariants(p Params) func(*State, []Event) error {
	rules := tickInvariants(p)
	ready := readyInvariants()
	return func(s *State, events []Event) error {
		if err := rules(s, events); err != nil {
			return err
		}
		return ready(s, events)
	}
}

// readyInvariants checks the ready phase after every tick: a waiting
// cycle is alive, sits on its spawn cell (a one-cell trail), never
// crashes, and its count only goes down within a life.
func readyInvariants() func(*State, []Event) error {
	last := map[PlayerID][2]int{} // life, ready
	return func(s *State, events []Event) error {
		for _, id := range s.order {
			c := s.cycles[id]
			if c.Ready == 0 {
				continue
			}
			if !c.Alive || len(c.Verts) != 1 || c.Verts[0] != c.Head {
				return fmt.Errorf("cycle %d waiting %d ticks: alive %v, verts %v, head %v", id, c.Ready, c.Alive, c.Verts, c.Head)
			}
			if l := last[id]; l[0] == int(c.Life) && c.Ready >= l[1] {
				return fmt.Errorf("cycle %d: ready %d after %d", id, c.Ready, l[1])
			}
			last[id] = [2]int{int(c.Life), c.Ready}
		}
		for _, e := range events {
			if c := s.cycles[e.Player]; e.Kind == EventCrash && c.Ready > 0 {
				return fmt.Errorf("waiting cycle %d crashed", e.Player)
			}
		}
		return nil
	}
}

// tickInvariants checks the rules of an arena of local cycles.
func tickInvariants(p Params) func(*State, []Event) error {
	cover := make([]PlayerID, p.Width*p.Height)
	var lastTick uint32
	var lastDeaths, lastKills int
	return func(s *State, events []Event) error {
		if s.Tick != lastTick+1 {
			return fmt.Errorf("Tick = %d, want %d", s.Tick, lastTick+1)
		}
		lastTick = s.Tick
		clear(cover)
		s.ensureGrid()
		covered := 0
		kills, deaths, ledger := 0, 0, 0
		for _, id := range s.order {
			c := s.cycles[id]
			if c.Best < c.Streak || c.Streak > c.Kills {
				return fmt.Errorf("player %d: Kills %d Streak %d Best %d", id, c.Kills, c.Streak, c.Best)
			}
			mine := 0
			for _, t := range c.KilledBy {
				mine += int(t.Count)
			}
			if mine > int(c.Deaths) {
				return fmt.Errorf("player %d: %d deaths by killers, %d deaths", id, mine, c.Deaths)
			}
			ledger += mine
			kills += int(c.Kills)
			deaths += int(c.Deaths)
			credited := 0
			for _, vid := range s.order {
				credited += int(s.cycles[vid].KilledByCount(id))
			}
			if credited != int(c.Kills) {
				return fmt.Errorf("player %d: Kills %d, victims' ledgers name it %d times", id, c.Kills, credited)
			}
			if !c.Alive {
				if c.DeadTicks >= p.FadeTicks() && c.Verts != nil {
					return fmt.Errorf("player %d dead %d ticks: trail not faded", id, c.DeadTicks)
				}
				if c.DeadTicks >= p.RespawnTicks() {
					return fmt.Errorf("player %d dead %d ticks: not respawned", id, c.DeadTicks)
				}
				continue
			}
			if err := p.ValidateTrail(c.Verts, c.Head, c.Dir); err != nil || len(c.Verts) == 0 {
				return fmt.Errorf("player %d: trail %v → %v: %v", id, c.Verts, c.Head, err)
			}
			var prev Point
			n := 0
			var bad error
			c.Cells(func(q Point) bool {
				switch {
				case !p.In(q):
					bad = fmt.Errorf("player %d: cell %v off the arena", id, q)
				case n > 0 && dist(prev, q) != 1:
					bad = fmt.Errorf("player %d: cells %v and %v not adjacent", id, prev, q)
				case cover[q.Y*p.Width+q.X] != 0:
					bad = fmt.Errorf("cell %v covered by %d and %d", q, cover[q.Y*p.Width+q.X], id)
				case s.grid[q.Y*p.Width+q.X] != id:
					bad = fmt.Errorf("cell %v of %d: Occupant = %d", q, id, s.Occupant(q))
				}
				cover[q.Y*p.Width+q.X] = id
				prev = q
				n++
				return bad == nil
			})
			if bad != nil {
				return bad
			}
			if prev != c.Head || n != c.TrailLen() {
				return fmt.Errorf("player %d: cells end at %v after %d, want head %v after TrailLen %d", id, prev, n, c.Head, c.TrailLen())
			}
			covered += n
		}
		occupied := 0
		for _, o := range s.grid {
			if o != 0 {
				occupied++
			}
		}
		if occupied != covered {
			return fmt.Errorf("%d cells occupied, living trails cover %d", occupied, covered)
		}
		if kills != ledger {
			return fmt.Errorf("kills %d, deaths with a killer %d", kills, ledger)
		}
		crashes, killEvents := 0, 0
		for _, e := range events {
			switch e.Kind {
			case EventCrash:
				crashes++
			case EventKill:
				killEvents++
			}
		}
		if deaths-lastDeaths != crashes || kills-lastKills != killEvents {
			return fmt.Errorf("deaths +%d kills +%d, events: %d crashes %d kills", deaths-lastDeaths, kills-lastKills, crashes, killEvents)
		}
		lastDeaths, lastKills = deaths, kills
		return nil
	}
}

// TestReplayInvariants runs seeded games of eight bots, checking the rules
// after every tick, and compares the bots' lives with straight riders'.
func TestReplayInvariants(t *testing.T) {
	seeds, ticks := 20, 2000
	if testing.Short() {
		seeds = 4
	}
	if raceEnabled {
		ticks = 500
	}
	bots := make([]replayStats, seeds)
	straight := make([]replayStats, seeds)
	t.Run("seeds", func(t *testing.T) {
		for seed := range seeds {
			t.Run(fmt.Sprint(seed), func(t *testing.T) {
				t.Parallel()
				_, bots[seed] = replay(t, uint64(seed), 8, ticks, BotDir, invariants(DefaultParams()))
				_, straight[seed] = replay(t, uint64(seed), 8, ticks, straightOn, invariants(DefaultParams()))
			})
		}
	})
	var b, s replayStats
	for i := range seeds {
		b.aliveTicks += bots[i].aliveTicks
		b.deaths += bots[i].deaths
		s.aliveTicks += straight[i].aliveTicks
		s.deaths += straight[i].deaths
	}
	botLife := float64(b.aliveTicks) / float64(max(1, b.deaths))
	straightLife := float64(s.aliveTicks) / float64(max(1, s.deaths))
	t.Logf("average life: bots %.1f ticks (%d deaths), straight riders %.1f ticks (%d deaths)",
		botLife, b.deaths, straightLife, s.deaths)
	if b.deaths == 0 {
		t.Errorf("bots never died in %d ticks: the replay tested no crashes", seeds*ticks)
	}
	// Eight bots fill this arena in a few hundred ticks, so even good
	// play dies of crowding; a straight rider dies at the first wall.
	if botLife < 3*straightLife {
		t.Errorf("bots live %.1f ticks on average, want at least 3× a straight rider's %.1f", botLife, straightLife)
	}
}

func TestReplayDeterministic(t *testing.T) {
	digests := map[uint64]uint64{}
	for seed := range uint64(3) {
		a := replayState(t, seed, 8, 500, BotDir).Digest()
		b := replayState(t, seed, 8, 500, BotDir).Digest()
		if a != b {
			t.Errorf("seed %d: digests %x and %x, want equal", seed, a, b)
		}
		if prev, ok := digests[a]; ok {
			t.Errorf("seeds %d and %d ended with one digest %x", prev, seed, a)
		}
		digests[a] = seed
	}
}
