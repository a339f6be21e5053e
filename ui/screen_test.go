package ui

import (
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/ansi"

	"lanarena/game"
	"lanarena/net/view"
)

func TestHeadLettersDoNotClash(t *testing.T) {
	p := game.Params{Width: 16, Height: 16, TickRate: 15}
	snap := arenaWith(t, p, 0,
		&game.Cycle{ID: 1, Name: "Castor", Color: 0, Alive: true, Dir: game.Right,
			Head: game.Point{X: 5, Y: 2}, Verts: []game.Point{{X: 1, Y: 2}}},
		&game.Cycle{ID: 2, Name: "Clu", Color: 1, Alive: true, Dir: game.Right,
			Head: game.Point{X: 5, Y: 6}, Verts: []game.Point{{X: 1, Y: 6}}},
		&game.Cycle{ID: 3, Name: "cc", Color: 2, Alive: true, Dir: game.Right,
			Head: game.Point{X: 5, Y: 10}, Verts: []game.Point{{X: 1, Y: 10}}},
	)
	b := newBoard(colorprofile.ASCII)
	b.update(&snap, true)
	got := map[rune]game.PlayerID{}
	for id, r := range b.letters {
		if other, ok := got[r]; ok {
			t.Errorf("players %d and %d share head letter %c", other, id, r)
		}
		got[r] = id
	}
	if b.letters[1] != 'C' || b.letters[2] != 'L' {
		t.Errorf("Castor's letter %c, Clu's %c; want C and L", b.letters[1], b.letters[2])
	}
	// The letters stay when a player leaves: nobody is relabelled.
	snap2 := arenaWith(t, p, 0, snap.Arena.Cycle(2).Clone(), snap.Arena.Cycle(3).Clone())
	before := b.letters[3]
	b.update(&snap2, true)
	if b.letters[3] != before || b.letters[2] != 'L' {
		t.Errorf("letters changed when Castor left: Clu %c, cc %c (was %c)", b.letters[2], b.letters[3], before)
	}
}

func TestNoColorKeepsEveryRow(t *testing.T) {
	// Two trails one row apart, with a one-cell gap between them, fall in
	// one character row at half-block scale: both must show, and the gap.
	p := game.Params{Width: 16, Height: 16, TickRate: 15}
	snap := arenaWith(t, p, 0,
		&game.Cycle{ID: 1, Name: "a", Color: 0, Alive: true, Dir: game.Right,
			Head: game.Point{X: 8, Y: 4}, Verts: []game.Point{{X: 1, Y: 4}}},
		&game.Cycle{ID: 2, Name: "b", Color: 1, Alive: true, Dir: game.Right,
			Head: game.Point{X: 12, Y: 5}, Verts: []game.Point{{X: 3, Y: 5}}},
		// A trail on row 8 only, with a gap at x=6.
		&game.Cycle{ID: 3, Name: "c", Color: 2, Alive: true, Dir: game.Right,
			Head: game.Point{X: 5, Y: 8}, Verts: []game.Point{{X: 1, Y: 8}}},
		&game.Cycle{ID: 4, Name: "d", Color: 3, Alive: true, Dir: game.Right,
			Head: game.Point{X: 14, Y: 8}, Verts: []game.Point{{X: 7, Y: 8}}},
	)
	b := newBoard(colorprofile.ASCII)
	b.update(&snap, true)
	want := map[int]string{
		3: "│ ▀▀█████A▄▄▄B   │", // rows 4 (upper) and 5 (lower), letters at the heads
		5: "│ ▀▀▀▀C ▀▀▀▀▀▀▀D │", // row 8 (upper), the gap at x=6
	}
	for r, w := range want {
		if got := b.rows[r]; got != w {
			t.Errorf("character row %d:\n got %q\nwant %q", r, got, w)
		}
	}
	for _, r := range b.rows {
		if strings.Contains(r, "\x1b") {
			t.Errorf("escape in a colourless row: %q", r)
		}
	}
}

func TestArenaFillsALargeScreen(t *testing.T) {
	snap := testSnapshot(t, game.DefaultParams(), 16, 60)
	for _, p := range []colorprofile.Profile{colorprofile.ANSI256, colorprofile.ASCII} {
		m := arenaAt(t, &fakeController{}, p, 160, 50, snap)
		v := m.View().Content
		checkFits(t, v, 160, 50)
		lines := strings.Split(ansi.Strip(v), "\n")
		var boardRows, boardCols int
		for _, l := range lines {
			if i := strings.Index(l, "┌"); i >= 0 {
				boardCols = ansi.StringWidth(l[i:strings.Index(l, "┐")]) + 1
			}
			if strings.HasPrefix(strings.TrimLeft(l, " "), "│") {
				boardRows++
			}
		}
		// 56×40 cells at one row and two columns a cell.
		if boardCols != 114 || boardRows != 40 {
			t.Errorf("%v: board %d×%d inside its walls, want 114×40 (2 columns, 1 row a cell)", p, boardCols, boardRows)
		}
		// Full names in the wide panel, and the longer log.
		plain := ansi.Strip(v)
		for _, want := range []string{"kills deaths streak(best)", "mallory", "── log"} {
			if !strings.Contains(plain, want) {
				t.Errorf("%v: 160×50 lacks %q", p, want)
			}
		}
	}
}

func TestNamesGetTenColumnsAt80(t *testing.T) {
	nameW, _ := scoreLayout(22) // the panel at 80 columns
	if nameW < 10 {
		t.Errorf("names get %d columns at 80, want ≥ 10", nameW)
	}
	snap := testSnapshot(t, game.DefaultParams(), 4, 10)
	snap.Arena.Cycle(2).Name = "Bartholomew" // 11 columns
	snap.Arena.Cycle(3).Name = "中文名字五"       // 10 columns
	m := arenaAt(t, &fakeController{}, colorprofile.ASCII, 80, 24, snap)
	v := ansi.Strip(m.View().Content)
	for _, want := range []string{"Bartholom…", "中文名字五"} {
		if !strings.Contains(v, want) {
			t.Errorf("scoreboard lacks %q:\n%s", want, v)
		}
	}
}

func TestLogLinesWrap(t *testing.T) {
	snap := testSnapshot(t, game.DefaultParams(), 4, 10)
	snap.Log = append(snap.Log, view.LogLine{Text: "alice joined room \"wide\" at 192.168.100.200:47000"})
	m := arenaAt(t, &fakeController{}, colorprofile.ASCII, 80, 24, snap)
	v := ansi.Strip(m.View().Content)
	if strings.Contains(v, "…") {
		t.Errorf("a log line was cut:\n%s", v)
	}
	if !strings.Contains(v, "192.168.100.200:47000") {
		t.Errorf("the end of a long log line is lost:\n%s", v)
	}
}

func TestHelpOffersWhatTheRoleCanDo(t *testing.T) {
	snap := testSnapshot(t, game.DefaultParams(), 4, 10)
	for _, spec := range []bool{false, true} {
		m := newModel(Config{Controller: &fakeController{}, Spectator: spec}, colorprofile.ASCII)
		m, _ = send(t, m, tea.WindowSizeMsg{Width: 80, Height: 24}, SnapshotMsg{snap})
		short := ansi.Strip(m.View().Content)
		m, _ = send(t, m, keyMsg("?"))
		full := ansi.Strip(m.View().Content)
		for _, v := range []string{short, full} {
			if got := strings.Contains(v, "steer") || strings.Contains(v, "↑/w/k"); got == spec {
				t.Errorf("spectator %v: steering offered = %v:\n%s", spec, got, v)
			}
		}
	}
}

func TestOverlaysLeaveTheBoard(t *testing.T) {
	snap := testSnapshot(t, game.DefaultParams(), 4, 60)
	for _, size := range [][2]int{{80, 24}, {160, 50}} {
		m := arenaAt(t, &fakeController{}, colorprofile.ANSI256, size[0], size[1], snap)
		before := boardPart(m.View().Content)
		for _, k := range []string{"?", "n"} {
			m2, _ := send(t, m, keyMsg(k))
			v := m2.View().Content
			checkFits(t, v, size[0], size[1])
			if got := boardPart(v); got != before {
				t.Errorf("%v: %q changed the board:\n%s", size, k, ansi.Strip(v))
			}
			m2, _ = send(t, m2, keyMsg("esc"))
		}
	}
}

// boardPart is the board's columns of a view: every line up to its
// board's right wall.
func boardPart(v string) string {
	var out []string
	for _, l := range strings.Split(ansi.Strip(v), "\n") {
		if i := strings.LastIndexAny(l, "│┐┘"); i >= 0 {
			l = l[:i]
		}
		out = append(out, l)
	}
	return strings.Join(out, "\n")
}

func TestReadyPhase(t *testing.T) {
	p := game.DefaultParams()
	me := &game.Cycle{ID: 1, Name: "me", Color: 0, Alive: true, Dir: game.Up, Ready: 25,
		Head: game.Point{X: 20, Y: 21}, Verts: []game.Point{{X: 20, Y: 21}}}
	bob := &game.Cycle{ID: 2, Name: "bob", Color: 1, Alive: true, Dir: game.Down,
		Head: game.Point{X: 40, Y: 20}, Verts: []game.Point{{X: 40, Y: 5}}}
	for _, prof := range []colorprofile.Profile{colorprofile.ANSI256, colorprofile.ASCII} {
		for _, size := range [][2]int{{80, 24}, {160, 50}} {
			snap := arenaWith(t, p, 1, me.Clone(), bob.Clone())
			if snap.Arena.Cycle(1).Ready != 25 {
				t.Skip("game.Merge does not carry Ready")
			}
			m := arenaAt(t, &fakeController{}, prof, size[0], size[1], snap)
			v := ansi.Strip(m.View().Content)
			if !strings.Contains(v, "get ready: 2…") {
				t.Errorf("%v %v: no countdown (25 ticks at 15/s is 2 s):\n%s", prof, size, v)
			}
			if strings.Count(v, "▲") != 1 {
				t.Errorf("%v %v: want one ▲ ahead of your cycle:\n%s", prof, size, v)
			}
			// The arrow is above the head: in the line above the head's.
			lines := strings.Split(v, "\n")
			for i, l := range lines {
				if j := strings.Index(l, "▲"); j >= 0 {
					col := ansi.StringWidth(l[:j])
					below := lines[i+1]
					if size[0] == 160 {
						below = lines[i+1]
					}
					if c := []rune(ansi.Cut(below, col, col+1)); len(c) == 0 || c[0] == ' ' {
						t.Errorf("%v %v: nothing of your cycle under the arrow:\n%s", prof, size, v)
					}
				}
			}
			// Riding: no arrow, no countdown.
			ride := arenaWith(t, p, 1, &game.Cycle{ID: 1, Name: "me", Color: 0, Alive: true, Dir: game.Up,
				Head: game.Point{X: 20, Y: 20}, Verts: []game.Point{{X: 20, Y: 21}}}, bob.Clone())
			m, _ = send(t, m, SnapshotMsg{ride})
			if v := ansi.Strip(m.View().Content); strings.Contains(v, "▲") || strings.Contains(v, "get ready") {
				t.Errorf("%v %v: ready marks after the start:\n%s", prof, size, v)
			}
		}
	}
}

func TestMatchOnScreen(t *testing.T) {
	snap := testSnapshot(t, game.DefaultParams(), 4, 30)
	snap.Match = view.Match{FirstTo: 5, Number: 2}
	m := arenaAt(t, &fakeController{}, colorprofile.ASCII, 80, 24, snap)
	if v := ansi.Strip(m.View().Content); !strings.Contains(v, "first to 5") {
		t.Errorf("no \"first to 5\" in the status bar:\n%s", v)
	}
	snap.Match = view.Match{FirstTo: 5, Number: 2, Winner: 3, NextIn: 4200 * time.Millisecond,
		Final: []view.Standing{
			{ID: 3, Name: "carol", Color: 2, Kills: 5, Deaths: 1},
			{ID: 1, Name: "alice", Color: 0, Kills: 3, Deaths: 2},
			{ID: 2, Name: "bob", Color: 1, Kills: 0, Deaths: 4},
		}}
	for _, size := range [][2]int{{80, 24}, {160, 50}} {
		m := arenaAt(t, &fakeController{}, colorprofile.ASCII, size[0], size[1], snap)
		v := ansi.Strip(m.View().Content)
		checkFits(t, m.View().Content, size[0], size[1])
		for _, want := range []string{"match 2", "carol wins", "next match in 5s"} {
			if !strings.Contains(v, want) {
				t.Errorf("%v: result lacks %q:\n%s", size, want, v)
			}
		}
		// The final table, best first, beside the board.
		var rows []string
		for _, l := range strings.Split(v, "\n") {
			i := strings.LastIndex(l, "│")
			if i < 0 {
				continue
			}
			side := strings.Fields(l[i+len("│"):])
			if len(side) == 3 && (side[0] == "+carol" || side[0] == "#alice" || side[0] == "*bob") {
				rows = append(rows, strings.Join(side, " "))
			}
		}
		if got, want := strings.Join(rows, ", "), "+carol 5 1, #alice 3 2, *bob 0 4"; got != want {
			t.Errorf("%v: final table %q, want %q", size, got, want)
		}
	}
}

func TestSharedColoursShowLetters(t *testing.T) {
	// Past the palette's twelve colours, two players share one: their
	// heads carry their letters, in colour too, and so do their swatches.
	p := game.DefaultParams() // half blocks at 80×24
	snap := arenaWith(t, p, 0,
		&game.Cycle{ID: 1, Name: "ann", Color: 3, Alive: true, Dir: game.Right,
			Head: game.Point{X: 5, Y: 2}, Verts: []game.Point{{X: 1, Y: 2}}},
		&game.Cycle{ID: 2, Name: "ben", Color: 3, Alive: true, Dir: game.Right,
			Head: game.Point{X: 5, Y: 6}, Verts: []game.Point{{X: 1, Y: 6}}},
		&game.Cycle{ID: 3, Name: "cy", Color: 4, Alive: true, Dir: game.Right,
			Head: game.Point{X: 5, Y: 10}, Verts: []game.Point{{X: 1, Y: 10}}},
	)
	m := arenaAt(t, &fakeController{}, colorprofile.ANSI256, 80, 24, snap)
	v := ansi.Strip(m.View().Content)
	for _, want := range []string{"▀▀▀▀A", "▀▀▀▀B"} {
		if !strings.Contains(v, want) {
			t.Errorf("no head letter in %q:\n%s", want, v)
		}
	}
	if strings.Contains(v, "▀▀▀▀C") {
		t.Errorf("cy's colour is its own, yet its head shows a letter:\n%s", v)
	}
	var swatches []string
	for _, l := range strings.Split(v, "\n") {
		side := strings.Fields(l[strings.LastIndex(l, "│")+len("│"):])
		if len(side) > 0 && strings.HasSuffix(side[0], "ann") || len(side) > 0 && strings.HasSuffix(side[0], "ben") ||
			len(side) > 0 && strings.HasSuffix(side[0], "cy") {
			swatches = append(swatches, side[0])
		}
	}
	if got, want := strings.Join(swatches, " "), "Aann Bben █cy"; got != want {
		t.Errorf("swatches %q, want %q", got, want)
	}
}

func TestLongNoticeIsNotCut(t *testing.T) {
	snap := testSnapshot(t, game.DefaultParams(), 4, 10)
	snap.Notice = "the host left: choose another room in the lobby, or create one of your own and wait for the others to join it"
	m := arenaAt(t, &fakeController{}, colorprofile.ASCII, 80, 24, snap)
	v := m.View().Content
	checkFits(t, v, 80, 24)
	flat := strings.Join(strings.Fields(ansi.Strip(v)), " ")
	if !strings.Contains(flat, "choose another room in the lobby, or create one of your own") {
		t.Errorf("the notice is cut:\n%s", ansi.Strip(v))
	}
	// A short one keeps the status bar.
	snap.Notice = "look out"
	m, _ = send(t, m, SnapshotMsg{snap})
	if v := ansi.Strip(m.View().Content); !strings.Contains(v, "! look out") || !strings.Contains(v, "3 peers") {
		t.Errorf("a short notice hid the status bar:\n%s", v)
	}
}
