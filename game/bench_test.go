package game

import (
	"fmt"
	"testing"
)

// benchArena returns an arena of n local bots after warm ticks of play.
func benchArena(b *testing.B, n, warm int) *State {
	b.Helper()
	s, _ := replay(b, 1, n, warm, BotDir, nil)
	return s
}

// BenchmarkStep measures one authoritative tick of n local cycles that
// turn at random now and then (crashes and respawns included).
func BenchmarkStep(b *testing.B) {
	for _, n := range []int{2, 8, 32} {
		b.Run(fmt.Sprintf("cycles=%d", n), func(b *testing.B) {
			s := benchArena(b, n, 100)
			rng := newRNG(2)
			b.ReportAllocs()
			for b.Loop() {
				for _, id := range s.order {
					if rng.IntN(8) == 0 {
						s.Turn(id, Dir(rng.IntN(4)))
					}
				}
				s.Step(rng)
			}
		})
	}
}

// BenchmarkBotDir measures one decision of one bot among eight.
func BenchmarkBotDir(b *testing.B) {
	s := benchArena(b, 8, 200)
	var alive []PlayerID
	for _, id := range s.order {
		if s.cycles[id].Alive {
			alive = append(alive, id)
		}
	}
	if len(alive) == 0 {
		b.Fatal("no bot alive")
	}
	rng := newRNG(3)
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		BotDir(s, alive[i%len(alive)], rng)
		i++
	}
}

// BenchmarkBotTick measures a whole tick of 32 bots: every decision, then
// the step.
func BenchmarkBotTick(b *testing.B) {
	s := benchArena(b, 32, 50)
	rng := newRNG(4)
	b.ReportAllocs()
	for b.Loop() {
		for _, id := range s.order {
			if c := s.cycles[id]; c.Alive {
				if d := BotDir(s, id, rng); d != c.Dir {
					s.Turn(id, d)
				}
			}
		}
		s.Step(rng)
	}
}

// BenchmarkMerge measures merging the latest state of a remote cycle with
// a trail of about 300 cells into an arena of eight.
func BenchmarkMerge(b *testing.B) {
	s := benchArena(b, 8, 20)
	p := s.Params
	verts, head := serpentine(p.Width, 300)
	remote := &Cycle{ID: 100, Name: "remote", Color: 3, Alive: true, Life: 1, Dir: Left,
		Head: head, Verts: verts, Deaths: 1, KilledBy: []Tally{{1, 1}}}
	if got := remote.TrailLen(); got != 300 {
		b.Fatalf("trail of %d cells, want 300", got)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := s.Merge(remote); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDigest measures the digest of an arena of 32 cycles.
func BenchmarkDigest(b *testing.B) {
	s := benchArena(b, 32, 50)
	b.ReportAllocs()
	for b.Loop() {
		s.Digest()
	}
}
