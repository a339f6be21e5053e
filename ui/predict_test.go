package ui

import (
	"strings"
	"testing"

	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"

	"lanarena/game"
	"lanarena/net/view"
)

// predictSnap is an arena of 40×20 where you ride down column 2 and bob,
// last heard at (10,6) heading right, is predicted 3 cells further, at
// (13,6).
func predictSnap(t testing.TB) view.Snapshot {
	t.Helper()
	p := game.Params{Width: 40, Height: 20, TickRate: 15}
	snap := arenaWith(t, p, 1,
		&game.Cycle{ID: 1, Name: "me", Color: 0, Alive: true, Dir: game.Down,
			Head: game.Point{X: 2, Y: 8}, Verts: []game.Point{{X: 2, Y: 2}}},
		&game.Cycle{ID: 2, Name: "bob", Color: 1, Alive: true, Dir: game.Right,
			Head: game.Point{X: 10, Y: 6}, Verts: []game.Point{{X: 4, Y: 6}}},
	)
	snap.Predictions = []view.Prediction{{ID: 2, Heard: game.Point{X: 10, Y: 6}, Head: game.Point{X: 13, Y: 6}, Ahead: 3}}
	return snap
}

// cellAt is the paint of cell (x, y) of b.
func cellAt(b *board, x, y int) paint { return b.cells[y*b.w+x] }

func TestBoardDrawsPrediction(t *testing.T) {
	snap := predictSnap(t)
	b := newBoard(colorprofile.TrueColor)

	b.update(&snap, true)
	for _, c := range []struct {
		x    int
		want paint
		what string
	}{
		{9, trailPaint(1), "the trail before the last heard head"},
		{10, ghostPaint(1), "the ghost, where bob was last heard"},
		{11, trailPaint(1), "a predicted cell"},
		{12, trailPaint(1), "a predicted cell"},
		{13, headPaint(1), "the predicted head"},
		{14, paintEmpty, "the cell past the predicted head"},
	} {
		if got := cellAt(b, c.x, 6); got != c.want {
			t.Errorf("predict on: (%d,6) = %d, want %d (%s)", c.x, got, c.want, c.what)
		}
	}
	if got := b.heads[6*b.w+10]; got != 'B' {
		t.Errorf("the ghost carries letter %q, want B", got)
	}

	b.update(&snap, false)
	if got := cellAt(b, 10, 6); got != headPaint(1) {
		t.Errorf("predict off: (10,6) = %d, want bob's head %d", got, headPaint(1))
	}
	for x := 11; x <= 13; x++ {
		if got := cellAt(b, x, 6); got != paintEmpty {
			t.Errorf("predict off: (%d,6) = %d, want empty: nothing is predicted", x, got)
		}
	}
	for i, p := range b.cells {
		if isGhost(p) {
			t.Errorf("predict off: a ghost at cell %d", i)
		}
	}
}

// predictAll gives every live remote cycle of snap a prediction up to
// ahead cells straight on, stopping before a wall or a trail, as the net
// layer does.
func predictAll(snap *view.Snapshot, ahead int) {
	a := snap.Arena
	taken := map[game.Point]bool{}
	a.Cycles(func(c *game.Cycle) {
		c.Cells(func(p game.Point) bool { taken[p] = true; return true })
	})
	a.Cycles(func(c *game.Cycle) {
		if !c.Alive || c.ID == snap.Self {
			return
		}
		dx, dy := c.Dir.Delta()
		head, n := c.Head, 0
		for n < ahead {
			next := game.Point{X: head.X + dx, Y: head.Y + dy}
			if !a.Params.In(next) || taken[next] {
				break
			}
			head, n = next, n+1
			taken[head] = true
		}
		snap.Predictions = append(snap.Predictions, view.Prediction{ID: c.ID, Heard: c.Head, Head: head, Ahead: n})
	})
}

// TestBoardHeadIsDrawnHead: the head the board draws is the cell
// Snapshot.DrawnHead names, prediction on and off: the harness measures
// the view error there.
func TestBoardHeadIsDrawnHead(t *testing.T) {
	snap := testSnapshot(t, game.DefaultParams(), 16, 60)
	predictAll(&snap, 3)
	moved := 0
	for _, predict := range []bool{true, false} {
		b := newBoard(colorprofile.ANSI256)
		b.update(&snap, predict)
		snap.Arena.Cycles(func(c *game.Cycle) {
			head, ok := snap.DrawnHead(c.ID, predict)
			if !ok {
				return
			}
			if head != c.Head {
				moved++
			}
			if p := cellAt(b, head.X, head.Y); !isHead(p) && p != paintOwnHead {
				t.Errorf("predict %v: cycle %d's drawn head %v holds paint %d, not a head", predict, c.ID, head, p)
			}
		})
	}
	if moved == 0 {
		t.Fatal("no prediction moved a head: the test shows nothing")
	}
}

func TestGhostWithoutColour(t *testing.T) {
	snap := predictSnap(t)
	b := newBoard(colorprofile.ASCII)

	// Half blocks: y=6 is the upper half of character row 3, x is the
	// character after the wall.
	b.update(&snap, true)
	row := []rune(b.rows[1+3])
	if got := string(row[1+9 : 1+15]); got != "▀b▀▀B " {
		t.Errorf("half blocks, predict on: %q, want %q (ghost b, head B)", got, "▀b▀▀B ")
	}
	b.update(&snap, false)
	row = []rune(b.rows[1+3])
	if got := string(row[1+9 : 1+15]); got != "▀B    " {
		t.Errorf("half blocks, predict off: %q, want %q", got, "▀B    ")
	}

	// Scale 1: a cell two columns; a ghost shows its letter in lower case.
	b.setScale(1)
	b.update(&snap, true)
	if got, want := b.rows[1+6], "**b ****B "; !strings.Contains(got, want) {
		t.Errorf("scale 1, predict on: %q lacks %q", got, want)
	}
	b.update(&snap, false)
	if got := b.rows[1+6]; strings.Contains(got, "b ") || !strings.Contains(got, "**B ") {
		t.Errorf("scale 1, predict off: %q, want bob's head B at his last heard cell, no ghost", got)
	}

	if got := ghostRune('7'); got != glyphGhost {
		t.Errorf("a digit's ghost is %q, want %q", got, glyphGhost)
	}
}

func TestGhostIsDim(t *testing.T) {
	snap := predictSnap(t)
	for _, p := range []colorprofile.Profile{colorprofile.TrueColor, colorprofile.ANSI256, colorprofile.ANSI} {
		ghost, trail, head := paintColor(p, ghostPaint(1)), paintColor(p, trailPaint(1)), paintColor(p, headPaint(1))
		if sameColor(ghost, trail) || sameColor(ghost, head) {
			t.Errorf("profile %v: the ghost's colour %v is its trail's (%v) or head's (%v)", p, ghost, trail, head)
		}
		b := newBoard(p)
		b.update(&snap, true)
		if want := b.esc.fgOnly[ghostPaint(1)] + upperHalf; !strings.Contains(b.rows[1+3], want) {
			t.Errorf("profile %v: row %q lacks the ghost %q", p, b.rows[1+3], want)
		}
	}
	if got := paintANSI(ghostPaint(1)); got != 8 {
		t.Errorf("16 colours: the ghost is colour %d, want grey (8)", got)
	}
}

// TestPredictionChangesFewRows: a tick that moves a predicted head, and a
// state that moves the ghost, change only the row they are on: the
// renderer then sends a few cells, not the board (issue 9).
func TestPredictionChangesFewRows(t *testing.T) {
	snap := predictSnap(t)
	b := newBoard(colorprofile.ANSI256)
	b.update(&snap, true)
	before := append([]string(nil), b.rows...)

	next := snap
	next.Predictions = []view.Prediction{{ID: 2, Heard: game.Point{X: 10, Y: 6}, Head: game.Point{X: 14, Y: 6}, Ahead: 4}}
	b.update(&next, true)
	checkRowsChanged(t, "a tick", before, b.rows, 1+3)

	// The state of the tick arrives: the replica's head is where the
	// prediction was, and the ghost joins it.
	before = append(before[:0], b.rows...)
	heard := arenaWith(t, snap.Arena.Params, 1, snap.Arena.Cycle(1).Clone(), snap.Arena.Cycle(2).Clone())
	heard.Arena.Cycle(2).Head = game.Point{X: 14, Y: 6}
	heard.Predictions = []view.Prediction{{ID: 2, Heard: game.Point{X: 14, Y: 6}, Head: game.Point{X: 14, Y: 6}}}
	b.update(&heard, true)
	checkRowsChanged(t, "a state", before, b.rows, 1+3)
}

func checkRowsChanged(t *testing.T, what string, before, after []string, want int) {
	t.Helper()
	for i := range after {
		if changed := before[i] != after[i]; changed != (i == want) {
			t.Errorf("after %s row %d changed: %v, want %v", what, i, changed, i == want)
		}
	}
}

func TestPredictKey(t *testing.T) {
	snap := predictSnap(t)
	m := arenaAt(t, &fakeController{}, colorprofile.ASCII, 160, 50, snap)
	const ghost, off = "b ****B ", "**B "
	screen := m.View().Content
	if !strings.Contains(screen, "p: prediction on") || !strings.Contains(screen, ghost) {
		t.Fatalf("prediction not on by default in p2p:\n%s", screen)
	}

	m, _ = send(t, m, keyMsg("p"))
	screen = m.View().Content
	if !strings.Contains(screen, "p: prediction off") || strings.Contains(screen, ghost) || !strings.Contains(screen, off) {
		t.Errorf("after p: want prediction off, bob's head where last heard, no ghost:\n%s", screen)
	}
	// A new snapshot keeps the choice.
	m, _ = send(t, m, SnapshotMsg{snap})
	if screen = m.View().Content; strings.Contains(screen, ghost) {
		t.Errorf("a new snapshot turned prediction back on:\n%s", screen)
	}

	m, _ = send(t, m, keyMsg("p"))
	if screen = m.View().Content; !strings.Contains(screen, "p: prediction on") || !strings.Contains(screen, ghost) {
		t.Errorf("after p again: want prediction on and the ghost:\n%s", screen)
	}

	m, _ = send(t, m, keyMsg("?"))
	screen = m.View().Content
	for _, want := range []string{"p       prediction", "b: B as last heard"} {
		if !strings.Contains(screen, want) {
			t.Errorf("help lacks %q:\n%s", want, screen)
		}
	}
}

func TestPredictKeyInServerMode(t *testing.T) {
	snap := predictSnap(t)
	snap.Mode, snap.Predictions = view.ModeServer, nil
	snap.Peers = []view.PeerStats{{ID: 2, Name: "bob", Correction: 3, CorrectionMax: 4}}
	m := arenaAt(t, &fakeController{}, colorprofile.ASCII, 160, 50, snap)
	before := m.View().Content
	if strings.Contains(before, "prediction") {
		t.Errorf("server mode speaks of prediction before p:\n%s", before)
	}
	m, _ = send(t, m, keyMsg("p"))
	after := m.View().Content
	if !strings.Contains(after, "no prediction in server mode") {
		t.Errorf("p in server mode does not say there is no prediction:\n%s", after)
	}
	if strings.Contains(after, "b ****B") || !strings.Contains(after, "**B ") {
		t.Errorf("p in server mode changed the board:\n%s", after)
	}
	m, _ = send(t, m, keyMsg("n"))
	if got := ansi.Strip(m.View().Content); !strings.Contains(got, "bob") || strings.Contains(got, "3/4") {
		t.Errorf("server mode netgraph shows corrections:\n%s", got)
	}
}

// TestWireViewOtherPeersKey: p is prediction everywhere; the wire view
// shows other peers with o.
func TestWireViewOtherPeersKey(t *testing.T) {
	w := wireView{open: true}
	w2, ok := w.key(keyMsg("o"), nil, view.Snapshot{})
	if !ok || w2.first != 1 {
		t.Errorf("o in the wire view: handled %v, first %d; want true, 1", ok, w2.first)
	}
	if _, ok := w.key(keyMsg("p"), nil, view.Snapshot{}); ok {
		t.Error("the wire view took p, the prediction key")
	}
}

// TestGoldenPrediction: whole frames with predicted cycles, without
// colour (the ghost a lower-case letter), on and off.
func TestGoldenPrediction(t *testing.T) {
	four := testSnapshot(t, game.DefaultParams(), 4, 60)
	predictAll(&four, 3)
	many := testSnapshot(t, game.DefaultParams(), 16, 60)
	predictAll(&many, 3)
	tests := []struct {
		name string
		w, h int
		snap view.Snapshot
		keys []string
	}{
		{"on_80x24", 80, 24, four, nil},
		{"off_80x24", 80, 24, four, []string{"p"}},
		{"on_160x50", 160, 50, many, nil},
		{"off_160x50", 160, 50, many, []string{"p"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := arenaAt(t, &fakeController{}, colorprofile.ASCII, tt.w, tt.h, tt.snap)
			for _, k := range tt.keys {
				m, _ = send(t, m, keyMsg(k))
			}
			view := m.View().Content
			checkFits(t, view, tt.w, tt.h)
			golden.RequireEqual(t, []byte(view))
		})
	}
}

// TestDemoPredictKey: p in the demo turns prediction off and on in both
// arenas, and the caption says what the far peer makes of your cycle.
func TestDemoPredictKey(t *testing.T) {
	msg := demoMsg(t, view.ModeP2P)
	predictAll(&msg.Far, 3)
	ghosts := 0
	for _, p := range msg.Far.Predictions {
		if p.Head != p.Heard {
			ghosts++
		}
	}
	if ghosts == 0 {
		t.Fatal("no prediction in the far picture moves a head: the test shows nothing")
	}
	d := demoAt(t, &fakeDemo{}, 160, 50, msg)
	hasGhost := func() bool {
		for _, p := range d.far.cells {
			if isGhost(p) {
				return true
			}
		}
		return false
	}
	if v := d.View().Content; !hasGhost() || !strings.Contains(v, "the far peer predicts where it is") {
		t.Errorf("prediction not on by default in the demo:\n%s", v)
	}
	d.Update(keyMsg("p"))
	if v := d.View().Content; hasGhost() || !strings.Contains(v, "the far peer sees it late") {
		t.Errorf("after p: want no ghost, the far peer seeing your cycle late:\n%s", v)
	}
	d.Update(msg) // a new picture keeps the choice
	if hasGhost() {
		t.Error("a new picture turned prediction back on")
	}
	d.Update(keyMsg("p"))
	if !hasGhost() {
		t.Error("after p again: no ghost")
	}
}
