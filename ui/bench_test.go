package ui

import (
	"strings"
	"testing"

	"github.com/charmbracelet/colorprofile"

	"lanarena/game"
	"lanarena/net/view"
)

// BenchmarkView renders whole frames the way the program does: a
// SnapshotMsg (fill the board, render its rows) then View.
//
// It reports the frame's size and, between two consecutive ticks, the
// bytes of the lines that changed: bubbletea rewrites only those.
func BenchmarkView(b *testing.B) {
	cases := []struct {
		name    string
		params  game.Params
		players int
		w, h    int
		profile colorprofile.Profile
	}{
		{"160x50/16p/truecolor", game.Params{Width: 120, Height: 90, TickRate: 15}, 16, 160, 50, colorprofile.TrueColor},
		{"160x50/16p/ascii", game.Params{Width: 120, Height: 90, TickRate: 15}, 16, 160, 50, colorprofile.ASCII},
		{"80x24/4p/truecolor", game.DefaultParams(), 4, 80, 24, colorprofile.TrueColor},
		{"80x24/4p/ansi256", game.DefaultParams(), 4, 80, 24, colorprofile.ANSI256},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			var prev, snap view.Snapshot
			if c.players == 4 {
				prev = testSnapshot(b, c.params, c.players, 120)
				snap = testSnapshot(b, c.params, c.players, 121)
			} else {
				prev = zigzagSnapshot(b, c.params, c.players, 300)
				snap = zigzagSnapshot(b, c.params, c.players, 301)
			}
			cells := 0
			snap.Arena.Cycles(func(cy *game.Cycle) { cells += cy.TrailLen() })

			m := arenaAt(b, &fakeController{}, c.profile, c.w, c.h, prev)
			before := m.View().Content
			m, _ = send(b, m, SnapshotMsg{snap})
			after := m.View().Content
			if strings.Contains(after, "too small") {
				b.Fatal(after)
			}

			b.ReportAllocs()
			for b.Loop() {
				m, _ = send(b, m, SnapshotMsg{snap})
				after = m.View().Content
			}
			b.ReportMetric(float64(len(after)), "frame-bytes")
			b.ReportMetric(float64(changedBytes(before, after)), "changed-bytes")
			b.ReportMetric(float64(cells)/float64(c.players), "cells/trail")
		})
	}
}

// BenchmarkViewOnly is View alone, as after a key or a spinner tick: the
// board rows come from the cache.
func BenchmarkViewOnly(b *testing.B) {
	snap := zigzagSnapshot(b, game.Params{Width: 120, Height: 90, TickRate: 15}, 16, 300)
	m := arenaAt(b, &fakeController{}, colorprofile.TrueColor, 160, 50, snap)
	b.ReportAllocs()
	for b.Loop() {
		_ = m.View().Content
	}
}

// zigzagSnapshot is a busy arena: n players, each with a trail of length
// cells zigzagging down its own band of columns, the heads alive.
func zigzagSnapshot(tb testing.TB, p game.Params, n, length int) view.Snapshot {
	tb.Helper()
	band := p.Width / n
	var cycles []*game.Cycle
	for i := range n {
		x0, x1 := i*band, i*band+band-2
		verts := []game.Point{{X: x0, Y: 0}}
		at, y, right, cells := game.Point{X: x0, Y: 0}, 0, true, 1
		for cells < length {
			// Across the band, then two cells down.
			to := x1
			if !right {
				to = x0
			}
			step := min(length-cells, abs(to-at.X))
			if right {
				at.X += step
			} else {
				at.X -= step
			}
			cells += step
			if cells >= length || y+2 >= p.Height {
				break
			}
			verts = append(verts, at)
			y += 2
			at.Y = y
			cells += 2
			verts = append(verts, at)
			right = !right
		}
		cycles = append(cycles, &game.Cycle{
			ID: game.PlayerID(i + 1), Name: playerNames[i%len(playerNames)], Color: i % game.Colors,
			Alive: true, Dir: game.Down, Head: at, Verts: verts, Kills: uint16(i), Deaths: uint16(n - i),
		})
	}
	snap := testSnapshot(tb, p, n, 0)
	full := arenaWith(tb, p, 1, cycles...)
	snap.Arena = full.Arena
	return snap
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// changedBytes is the size of the lines of b that differ from a.
func changedBytes(a, b string) int {
	al, bl := strings.Split(a, "\n"), strings.Split(b, "\n")
	n := 0
	for i, l := range bl {
		if i >= len(al) || al[i] != l {
			n += len(l) + 1
		}
	}
	return n
}

func TestFrameChangesAreSmall(t *testing.T) {
	// At 80×24 with 4 players, one tick rewrites about a kilobyte.
	prev := testSnapshot(t, game.DefaultParams(), 4, 120)
	next := testSnapshot(t, game.DefaultParams(), 4, 121)
	m := arenaAt(t, &fakeController{}, colorprofile.TrueColor, 80, 24, prev)
	before := m.View().Content
	m, _ = send(t, m, SnapshotMsg{next})
	if n := changedBytes(before, m.View().Content); n > 2048 {
		t.Errorf("one tick changed %d bytes of the frame, want about 1 KB", n)
	}
}
