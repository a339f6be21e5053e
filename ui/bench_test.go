package ui

import (
	"bytes"
	"flag"
	"strings"
	"testing"

	"github.com/charmbracelet/colorprofile"
	uv "github.com/charmbracelet/ultraviolet"

	"lanarena/game"
	"lanarena/net/view"
)

// BenchmarkView renders whole frames the way the program does: a
// SnapshotMsg (fill the board, render its rows), View, and bubbletea v2's
// renderer (parse the frame into cells, diff them against the screen,
// encode the changes). The snapshots alternate between two consecutive
// ticks, so every frame is one tick's change.
//
// It reports the frame's size and the bytes the renderer writes for it.
//
// The predicted cases draw every remote cycle ahead of its replica, with
// a ghost: "ghosts move" as when a state arrives every tick (the ghost and
// the head both move each frame), "heads move" as between two states
// (the replica stays, the predicted heads run on a cell a frame).
func BenchmarkView(b *testing.B) {
	const (
		ghostsMove = 1
		headsMove  = 2
	)
	cases := []struct {
		name    string
		params  game.Params
		players int
		w, h    int
		profile colorprofile.Profile
		predict int
	}{
		{"160x50/16p/ansi256", game.Params{Width: 120, Height: 90, TickRate: 15}, 16, 160, 50, colorprofile.ANSI256, 0},
		{"160x50/16p/ascii", game.Params{Width: 120, Height: 90, TickRate: 15}, 16, 160, 50, colorprofile.ASCII, 0},
		// The default arena at 160×50: a cell two columns by one row.
		{"160x50/16p/ansi256/scale1", game.DefaultParams(), 16, 160, 50, colorprofile.ANSI256, 0},
		{"80x24/4p/ansi256", game.DefaultParams(), 4, 80, 24, colorprofile.ANSI256, 0},
		{"80x24/4p/ansi", game.DefaultParams(), 4, 80, 24, colorprofile.ANSI, 0},
		{"80x24/4p/ansi256/predicted/ghosts-move", game.DefaultParams(), 4, 80, 24, colorprofile.ANSI256, ghostsMove},
		{"80x24/4p/ansi256/predicted/heads-move", game.DefaultParams(), 4, 80, 24, colorprofile.ANSI256, headsMove},
		{"160x50/16p/ansi256/scale1/predicted/ghosts-move", game.DefaultParams(), 16, 160, 50, colorprofile.ANSI256, ghostsMove},
		{"160x50/16p/ansi256/scale1/predicted/heads-move", game.DefaultParams(), 16, 160, 50, colorprofile.ANSI256, headsMove},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			var snaps [2]view.Snapshot
			if c.players == 4 || c.params == game.DefaultParams() {
				snaps[0] = testSnapshot(b, c.params, c.players, 120)
				snaps[1] = testSnapshot(b, c.params, c.players, 121)
			} else {
				snaps[0] = zigzagSnapshot(b, c.params, c.players, 300)
				snaps[1] = zigzagSnapshot(b, c.params, c.players, 301)
			}
			switch c.predict {
			case ghostsMove:
				predictAll(&snaps[0], 2)
				predictAll(&snaps[1], 2)
			case headsMove:
				snaps[1] = snaps[0]
				predictAll(&snaps[0], 2)
				predictAll(&snaps[1], 3)
			}
			m := arenaAt(b, &fakeController{}, c.profile, c.w, c.h, snaps[0])
			term := newTermSim(c.w, c.h, c.profile)
			term.frame(m.View().Content)
			if strings.Contains(m.View().Content, "too small") {
				b.Fatal(m.View().Content)
			}

			b.ReportAllocs()
			written, frames := 0, 0
			for b.Loop() {
				frames++
				m, _ = send(b, m, SnapshotMsg{snaps[frames%2]})
				if !drawOnly {
					written += term.frame(m.View().Content)
				}
			}
			b.ReportMetric(float64(len(m.View().Content)), "frame-bytes")
			if !drawOnly {
				b.ReportMetric(float64(written)/float64(frames), "written-bytes/frame")
			}
		})
	}
}

// drawOnly leaves the renderer out of BenchmarkView (-draw-only), to
// tell the UI's share of a frame from the renderer's.
var drawOnly bool

func init() {
	flag.BoolVar(&drawOnly, "draw-only", false, "BenchmarkView: the UI's Update and View only, without the renderer")
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

// termSim is bubbletea v2's renderer without the program: a screen
// buffer the frame is drawn into and the cell-diffing terminal renderer,
// set up as the program sets them up on the alternate screen.
type termSim struct {
	out bytes.Buffer
	scr *uv.TerminalRenderer
	buf uv.ScreenBuffer
}

func newTermSim(w, h int, p colorprofile.Profile) *termSim {
	t := &termSim{}
	t.scr = uv.NewTerminalRenderer(&t.out, []string{"TERM=tmux-256color"})
	t.scr.SetColorProfile(p)
	t.scr.SetScrollOptim(true)
	t.scr.SetFullscreen(true)
	t.scr.SetRelativeCursor(false)
	t.scr.Erase()
	t.buf = uv.NewScreenBuffer(w, h)
	return t
}

// frame draws content as the program's renderer does and returns the
// number of bytes written to the terminal for it.
func (t *termSim) frame(content string) int {
	t.out.Reset()
	t.buf.Clear()
	uv.NewStyledString(content).Draw(t.buf, t.buf.Bounds())
	t.scr.Render(t.buf.RenderBuffer)
	if err := t.scr.Flush(); err != nil {
		panic(err)
	}
	return t.out.Len()
}

// TestFrameChangesAreSmall checks what the terminal gets for one tick: a
// few cells where the heads moved, not whole lines; nothing for a frame
// that did not change.
func TestFrameChangesAreSmall(t *testing.T) {
	tests := []struct {
		name    string
		prev    view.Snapshot
		next    view.Snapshot
		w, h    int
		maxSize int
	}{
		{"80x24/4p", testSnapshot(t, game.DefaultParams(), 4, 120), testSnapshot(t, game.DefaultParams(), 4, 121), 80, 24, 250},
		{"160x50/16p", zigzagSnapshot(t, game.Params{Width: 120, Height: 90, TickRate: 15}, 16, 300),
			zigzagSnapshot(t, game.Params{Width: 120, Height: 90, TickRate: 15}, 16, 301), 160, 50, 1536},
		// The default arena drawn two columns by one row a cell: trails
		// drawn as coloured blanks cost 2.4 KB here, the renderer taking
		// rows of blanks for scrolled lines.
		{"160x50/16p/scale1", testSnapshot(t, game.DefaultParams(), 16, 120),
			testSnapshot(t, game.DefaultParams(), 16, 121), 160, 50, 1536},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := arenaAt(t, &fakeController{}, colorprofile.ANSI256, tt.w, tt.h, tt.prev)
			term := newTermSim(tt.w, tt.h, colorprofile.ANSI256)
			if n := term.frame(m.View().Content); n < tt.w*tt.h/2 {
				t.Fatalf("the first frame wrote %d bytes: the screen is not drawn", n)
			}
			m, _ = send(t, m, SnapshotMsg{tt.next})
			if n := term.frame(m.View().Content); n > tt.maxSize || n == 0 {
				t.Errorf("one tick wrote %d bytes, want 1..%d", n, tt.maxSize)
			}
			m, _ = send(t, m, SnapshotMsg{tt.next})
			if n := term.frame(m.View().Content); n != 0 {
				t.Errorf("the same snapshot again wrote %d bytes, want 0", n)
			}
		})
	}
}

// TestTickCounterLeavesFramesAlone: the tick shown on the wall moves once a
// second, so a tick that moves nothing on the board changes no cell.
func TestTickCounterLeavesFramesAlone(t *testing.T) {
	snap := testSnapshot(t, game.DefaultParams(), 4, 30) // tick 30: a second starts
	m := arenaAt(t, &fakeController{}, colorprofile.ANSI256, 80, 24, snap)
	term := newTermSim(80, 24, colorprofile.ANSI256)
	term.frame(m.View().Content)
	at := func(tick uint32) view.Snapshot {
		s, a := snap, *snap.Arena
		a.Tick = tick
		s.Arena = &a
		return s
	}
	for tick := uint32(31); tick < 45; tick++ {
		m, _ = send(t, m, SnapshotMsg{at(tick)})
		if n := term.frame(m.View().Content); n != 0 {
			t.Fatalf("tick %d wrote %d bytes with nothing moving", tick, n)
		}
	}
	m, _ = send(t, m, SnapshotMsg{at(45)})
	if n := term.frame(m.View().Content); n == 0 || n > 40 {
		t.Errorf("the second's tick (45) wrote %d bytes, want the few cells of the counter", n)
	}
}
