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

func TestKeysCallTheController(t *testing.T) {
	snap := testSnapshot(t, game.DefaultParams(), 4, 10)
	tests := []struct {
		key  string
		want string
	}{
		{"up", "turn up"}, {"w", "turn up"}, {"k", "turn up"},
		{"down", "turn down"}, {"s", "turn down"}, {"j", "turn down"},
		{"left", "turn left"}, {"a", "turn left"}, {"h", "turn left"},
		{"right", "turn right"}, {"d", "turn right"}, {"l", "turn right"},
		{"b", "add bot"},
		{"B", "remove bot"},
		{"x", ""},
	}
	for _, tt := range tests {
		t.Run(tt.key, func(t *testing.T) {
			ctrl := &fakeController{}
			m := arenaAt(t, ctrl, colorprofile.ASCII, 80, 24, snap)
			send(t, m, keyMsg(tt.key))
			if got := ctrl.String(); got != tt.want {
				t.Errorf("key %q: got calls %q, want %q", tt.key, got, tt.want)
			}
		})
	}
}

func TestQuitKeys(t *testing.T) {
	snap := testSnapshot(t, game.DefaultParams(), 2, 5) // you (1) ride
	dead := testSnapshot(t, game.DefaultParams(), 2, 5)
	dead.Arena.Cycle(1).Alive = false
	tests := []struct {
		name string
		snap view.Snapshot
		spec bool
		keys []string
		quit bool
	}{
		{"ctrl+c while riding", snap, false, []string{"ctrl+c"}, true},
		{"q while riding asks", snap, false, []string{"q"}, false},
		{"q then y", snap, false, []string{"q", "y"}, true},
		{"q then q", snap, false, []string{"q", "q"}, true},
		{"q then n stays", snap, false, []string{"q", "n"}, false},
		{"q then esc then q asks again", snap, false, []string{"q", "esc", "q"}, false},
		{"q then ctrl+c", snap, false, []string{"q", "ctrl+c"}, true},
		{"q while dead", dead, false, []string{"q"}, true},
		{"q as a spectator", snap, true, []string{"q"}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := newModel(Config{Controller: &fakeController{}, Spectator: tt.spec}, colorprofile.ASCII)
			m, _ = send(t, m, tea.WindowSizeMsg{Width: 80, Height: 24}, SnapshotMsg{tt.snap})
			var cmd tea.Cmd
			for _, k := range tt.keys {
				m, cmd = send(t, m, keyMsg(k))
			}
			if got := isQuit(cmd); got != tt.quit {
				t.Errorf("keys %v: quit = %v, want %v", tt.keys, got, tt.quit)
			}
			if tt.quit {
				return
			}
			asking := strings.Contains(m.View().Content, "leave the game?")
			if want := tt.keys[len(tt.keys)-1] == "q"; asking != want {
				t.Errorf("keys %v: question shown = %v, want %v", tt.keys, asking, want)
			}
		})
	}
}

func TestTurnsKeepTheirOrder(t *testing.T) {
	ctrl := &fakeController{}
	m := arenaAt(t, ctrl, colorprofile.ASCII, 80, 24, testSnapshot(t, game.DefaultParams(), 2, 5))
	send(t, m, keyMsg("up"), keyMsg("l"), keyMsg("s"), keyMsg("a"))
	if got, want := ctrl.String(), "turn up, turn right, turn down, turn left"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestChatTypingDoesNotSteer(t *testing.T) {
	ctrl := &fakeController{}
	m := arenaAt(t, ctrl, colorprofile.ASCII, 80, 24, testSnapshot(t, game.DefaultParams(), 4, 10))

	m, _ = send(t, m, keyMsg("t"))
	m, _ = send(t, m, typeText("wasd hjkl qbBn?")...)
	if got := m.View().Content; !strings.Contains(got, "say: wasd hjkl qbBn?") {
		t.Errorf("chat input not shown while typing:\n%s", got)
	}
	m, cmd := send(t, m, keyMsg("enter"))
	if got, want := ctrl.String(), "say wasd hjkl qbBn?"; got != want {
		t.Errorf("got calls %q, want %q", got, want)
	}
	if isQuit(cmd) {
		t.Error("typing q in chat quit")
	}
	// The input is closed: keys steer again.
	ctrl.reset()
	m, _ = send(t, m, keyMsg("w"))
	if got, want := ctrl.String(), "turn up"; got != want {
		t.Errorf("after sending: got %q, want %q", got, want)
	}

	// Esc cancels without a word said; an empty line says nothing.
	ctrl.reset()
	m, _ = send(t, m, keyMsg("t"), keyMsg("h"), keyMsg("i"), keyMsg("esc"))
	m, _ = send(t, m, keyMsg("t"), keyMsg(" "), keyMsg("enter"))
	if got := ctrl.String(); got != "" {
		t.Errorf("cancelled and empty chat: got calls %q, want none", got)
	}
	if got := m.View().Content; strings.Contains(got, "say:") {
		t.Errorf("chat input still open after esc:\n%s", got)
	}
}

func TestChatCtrlCQuits(t *testing.T) {
	m := arenaAt(t, &fakeController{}, colorprofile.ASCII, 80, 24, testSnapshot(t, game.DefaultParams(), 2, 5))
	_, cmd := send(t, m, keyMsg("t"), keyMsg("ctrl+c"))
	if !isQuit(cmd) {
		t.Error("ctrl+c while typing did not quit")
	}
}

func TestHelpToggles(t *testing.T) {
	m := arenaAt(t, &fakeController{}, colorprofile.ASCII, 80, 24, testSnapshot(t, game.DefaultParams(), 4, 10))
	if got := m.View().Content; strings.Contains(got, "remove bot") || !strings.Contains(got, "? help") {
		t.Fatalf("short help wrong before ?:\n%s", got)
	}
	m, _ = send(t, m, keyMsg("?"))
	got := m.View().Content
	for _, want := range []string{"remove bot", "↑/w/k", "→/d/l", "netgraph", "streak (best)"} {
		if !strings.Contains(got, want) {
			t.Errorf("full help lacks %q:\n%s", want, got)
		}
	}
	m, _ = send(t, m, keyMsg("?"))
	if got := m.View().Content; strings.Contains(got, "remove bot") {
		t.Errorf("full help still shown after second ?:\n%s", got)
	}
}

func TestTooSmall(t *testing.T) {
	m := arenaAt(t, &fakeController{}, colorprofile.ASCII, 60, 20, testSnapshot(t, game.DefaultParams(), 4, 10))
	got := m.View().Content
	for _, want := range []string{"terminal too small", "enlarge to at least 80×24", "(now 60×20)"} {
		if !strings.Contains(got, want) {
			t.Fatalf("got\n%s\nwant it to say %q", got, want)
		}
	}
	checkFits(t, got, 60, 20)

	// Growing the terminal brings the arena back.
	m, _ = send(t, m, tea.WindowSizeMsg{Width: 80, Height: 24})
	if got := m.View().Content; strings.Contains(got, "too small") || !strings.Contains(got, "┌") {
		t.Errorf("at 80×24 still too small:\n%s", got)
	}
	// One row short is too small again.
	m, _ = send(t, m, tea.WindowSizeMsg{Width: 80, Height: 23})
	if got := m.View().Content; !strings.Contains(got, "(now 80×23)") {
		t.Errorf("at 80×23:\n%s", got)
	}
}

// checkFits fails unless view fits a w×h terminal.
func checkFits(t *testing.T, view string, w, h int) {
	t.Helper()
	lines := strings.Split(view, "\n")
	if len(lines) > h {
		t.Errorf("view has %d lines, terminal %d", len(lines), h)
	}
	for i, l := range lines {
		if lw := ansi.StringWidth(l); lw > w {
			t.Errorf("line %d is %d wide, terminal %d: %q", i, lw, w, ansi.Strip(l))
		}
	}
}

func TestResizeCentres(t *testing.T) {
	snap := testSnapshot(t, game.DefaultParams(), 4, 30)
	m := arenaAt(t, &fakeController{}, colorprofile.ASCII, 80, 24, snap)
	for _, size := range [][2]int{{80, 24}, {100, 30}, {160, 50}, {81, 25}, {200, 60}} {
		w, h := size[0], size[1]
		m, _ = send(t, m, tea.WindowSizeMsg{Width: w, Height: h})
		view := m.View().Content
		checkFits(t, view, w, h)
		lines := strings.Split(view, "\n")
		top := 0
		for top < len(lines) && strings.TrimSpace(lines[top]) == "" {
			top++
		}
		if top == len(lines) {
			t.Fatalf("%dx%d: empty view", w, h)
		}
		left := strings.Index(lines[top], "┌")
		scale := fitScale(snap.Arena.Params.Width, snap.Arena.Params.Height, minPanelWidth, chromeRows, w, h)
		bw := boardWidth(snap.Arena.Params.Width, scale)
		bh := boardHeight(snap.Arena.Params.Height, scale)
		pw := min(maxPanelWidth, w-bw)
		if wantLeft := (w - bw - pw) / 2; left != wantLeft {
			t.Errorf("%dx%d: board at column %d, want %d", w, h, left, wantLeft)
		}
		if wantTop := (h - bh - chromeRows) / 2; top != wantTop {
			t.Errorf("%dx%d: board at row %d, want %d", w, h, top, wantTop)
		}
	}
}

func TestBoardHalfBlocks(t *testing.T) {
	p := game.Params{Width: 16, Height: 16, TickRate: 15}
	snap := arenaWith(t, p, 1,
		// A horizontal trail on row 2 (upper half of char row 1), head
		// at (6,2).
		&game.Cycle{ID: 1, Name: "me", Color: 0, Alive: true, Dir: game.Right,
			Head: game.Point{X: 6, Y: 2}, Verts: []game.Point{{X: 2, Y: 2}}},
		// A vertical trail on column 10, rows 3..6, head at the bottom.
		&game.Cycle{ID: 2, Name: "bob", Color: 1, Alive: true, Dir: game.Down,
			Head: game.Point{X: 10, Y: 6}, Verts: []game.Point{{X: 10, Y: 3}}},
		// A crashed cycle's fading trail on row 9 (lower half of row 4).
		&game.Cycle{ID: 3, Name: "carol", Color: 2, Alive: false, Dir: game.Right,
			Head: game.Point{X: 4, Y: 9}, Verts: []game.Point{{X: 1, Y: 9}}},
	)
	b := newBoard(colorprofile.TrueColor)
	b.update(&snap, true)
	if got, want := len(b.rows), 16/2+2; got != want {
		t.Fatalf("%d rows, want %d", got, want)
	}
	plain := make([]string, len(b.rows))
	for i, r := range b.rows {
		plain[i] = ansi.Strip(r)
		if w := ansi.StringWidth(r); w != 18 {
			t.Errorf("row %d is %d wide, want 18", i, w)
		}
	}
	want := []string{
		"┌────────────────┐",
		"│                │",
		"│  ▀▀▀▀▀   ▄     │", // own head is a ▀ too, in white
		"│          █     │",
		"│          ▀     │", // bob's head, row 6
		"│ ▄▄▄▄           │",
		"│                │",
		"│                │",
		"│                │",
		"└────────────────┘",
	}
	for i := range want {
		if plain[i] != want[i] {
			t.Errorf("row %d:\n got %q\nwant %q", i, plain[i], want[i])
		}
	}
	// An escape only where the colour changes: row 1 holds the wall,
	// the red trail, the white head, bob's cell, the wall again and the
	// reset, and no colour before each of the three runs of empty cells.
	if n := strings.Count(b.rows[2], "\x1b["); n != 9 {
		t.Errorf("row 2 has %d escapes, want 9: %q", n, b.rows[2])
	}
	esc := newEscapes(colorprofile.TrueColor)
	if !strings.Contains(b.rows[2], esc.change(trailPaint(0), paintEmpty, paintOwnHead, paintInk)+"▀") {
		t.Errorf("own head not drawn white (blinking) on black: %q", b.rows[2])
	}
	if !strings.Contains(b.rows[5], esc.fgOnly[fadedPaint(2)]+"▄▄▄▄") {
		t.Errorf("fading trail not drawn dim: %q", b.rows[5])
	}
	if !strings.Contains(b.rows[4], esc.fgOnly[headPaint(1)]+"▀") {
		t.Errorf("bob's head not drawn bright: %q", b.rows[4])
	}
}

func TestBoardTwoColoursInOneCharacter(t *testing.T) {
	p := game.Params{Width: 16, Height: 16, TickRate: 15}
	snap := arenaWith(t, p, 0,
		&game.Cycle{ID: 1, Name: "a", Color: 0, Alive: true, Dir: game.Right,
			Head: game.Point{X: 5, Y: 4}, Verts: []game.Point{{X: 1, Y: 4}}},
		&game.Cycle{ID: 2, Name: "b", Color: 1, Alive: true, Dir: game.Right,
			Head: game.Point{X: 5, Y: 5}, Verts: []game.Point{{X: 1, Y: 5}}},
	)
	b := newBoard(colorprofile.ANSI256)
	b.update(&snap, true)
	want := b.esc.get(trailPaint(0), trailPaint(1)) + "▀▀▀▀"
	if !strings.Contains(b.rows[3], want) {
		t.Errorf("row 3 = %q, want it to hold %q", b.rows[3], want)
	}
}

func TestUnchangedRowsAreIdentical(t *testing.T) {
	// bubbletea rewrites only the lines that changed: a step that moves
	// a few heads must leave the other rows byte for byte the same.
	snap1 := testSnapshot(t, game.DefaultParams(), 4, 40)
	snap2 := testSnapshot(t, game.DefaultParams(), 4, 41)
	m := arenaAt(t, &fakeController{}, colorprofile.TrueColor, 80, 24, snap1)
	v1 := strings.Split(m.View().Content, "\n")
	m, _ = send(t, m, SnapshotMsg{snap2})
	v2 := strings.Split(m.View().Content, "\n")
	changed := 0
	for i := range v1 {
		if v1[i] != v2[i] {
			changed++
		}
	}
	// Four heads move (at most two rows each) and the tick in the status.
	if changed > 9 {
		t.Errorf("%d of %d lines changed after one tick", changed, len(v1))
	}
}

func TestDeathOverlay(t *testing.T) {
	p := game.DefaultParams()
	bob := &game.Cycle{ID: 2, Name: "bob", Color: 1, Alive: true, Dir: game.Down,
		Head: game.Point{X: 30, Y: 20}, Verts: []game.Point{{X: 30, Y: 5}}}
	tests := []struct {
		name string
		me   *game.Cycle
		want []string
	}{
		{"killer", &game.Cycle{ID: 1, Name: "me", Alive: false, Dir: game.Right, Killer: 2, DeadTicks: 10,
			Head: game.Point{X: 29, Y: 10}, Verts: []game.Point{{X: 20, Y: 10}}},
			[]string{"crashed into bob's trail", "respawn in 1.3s"}},
		{"wall", &game.Cycle{ID: 1, Name: "me", Alive: false, Dir: game.Right, DeadTicks: 29,
			Head: game.Point{X: 55, Y: 10}, Verts: []game.Point{{X: 40, Y: 10}}},
			[]string{"hit the wall", "respawn in 0.1s"}},
		{"own trail", &game.Cycle{ID: 1, Name: "me", Alive: false, Dir: game.Up, DeadTicks: 0,
			Head: game.Point{X: 10, Y: 11}, Verts: []game.Point{{X: 10, Y: 10}, {X: 12, Y: 10}, {X: 12, Y: 12}, {X: 10, Y: 12}}},
			[]string{"hit your own trail", "respawn in 2.0s"}},
		{"killer gone", &game.Cycle{ID: 1, Name: "me", Alive: false, Dir: game.Right, Killer: 9, DeadTicks: 20,
			Head: game.Point{X: 29, Y: 10}, Verts: []game.Point{{X: 20, Y: 10}}},
			[]string{"crashed into player 9's trail", "respawn in 0.7s"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			snap := arenaWith(t, p, 1, tt.me, bob.Clone())
			m := arenaAt(t, &fakeController{}, colorprofile.TrueColor, 80, 24, snap)
			view := ansi.Strip(m.View().Content)
			for _, w := range tt.want {
				if !strings.Contains(view, w) {
					t.Errorf("view lacks %q:\n%s", w, view)
				}
			}
			checkFits(t, m.View().Content, 80, 24)
		})
	}

	// Alive: no overlay.
	me := &game.Cycle{ID: 1, Name: "me", Alive: true, Dir: game.Right,
		Head: game.Point{X: 29, Y: 10}, Verts: []game.Point{{X: 20, Y: 10}}}
	m := arenaAt(t, &fakeController{}, colorprofile.ASCII, 80, 24, arenaWith(t, p, 1, me, bob.Clone()))
	if view := m.View().Content; strings.Contains(view, "respawn") {
		t.Errorf("overlay while alive:\n%s", view)
	}
}

func TestSpectator(t *testing.T) {
	p := game.DefaultParams()
	dead := &game.Cycle{ID: 2, Name: "bob", Alive: false, Dir: game.Right, DeadTicks: 3,
		Head: game.Point{X: 55, Y: 10}, Verts: []game.Point{{X: 40, Y: 10}}}
	ctrl := &fakeController{}
	m := arenaAt(t, ctrl, colorprofile.ASCII, 80, 24, arenaWith(t, p, 0, dead))
	view := m.View().Content
	if !strings.Contains(view, "spectating") {
		t.Errorf("no spectating mark:\n%s", view)
	}
	if strings.Contains(view, "respawn") {
		t.Errorf("death overlay for a spectator:\n%s", view)
	}
	send(t, m, keyMsg("up"), keyMsg("b"))
	if got, want := ctrl.String(), "add bot"; got != want {
		t.Errorf("spectator keys: got %q, want %q", got, want)
	}
}

func TestStatusLine(t *testing.T) {
	snap := testSnapshot(t, game.DefaultParams(), 4, 34)
	snap.Impairment = "loss 20% delay 300ms"
	snap.Locked = true
	snap.Waiting = 230 * time.Millisecond
	snap.Mode, snap.Host = view.ModeServer, "alice"
	snap.Notice = "host alice left: waiting for a new host"
	m := arenaAt(t, &fakeController{}, colorprofile.TrueColor, 120, 30, snap)
	view := ansi.Strip(m.View().Content)
	for _, want := range []string{"den", "locked", "IMPAIRED: loss 20% delay 300ms", "waiting for host 230ms", "den locked",
		"server, host alice", "3 peers", "tick 30", "192.168.1.20:47000", "host alice left: waiting for a new host"} {
		if !strings.Contains(view, want) {
			t.Errorf("view lacks %q:\n%s", want, view)
		}
	}
	// The impairment stands out: its own red block.
	st := newStyles(colorprofile.TrueColor)
	if raw := m.View().Content; !strings.Contains(raw, st.barAlert.Render(" IMPAIRED: loss 20% delay 300ms ")) {
		t.Error("impairment not drawn in the alert style")
	}
}

func TestScoreboard(t *testing.T) {
	p := game.DefaultParams()
	cyc := func(id game.PlayerID, name game.Text, color int, kills, deaths, streak, best uint16, bot bool) *game.Cycle {
		return &game.Cycle{ID: id, Name: name, Color: color, Bot: bot, Alive: true, Dir: game.Right,
			Head: game.Point{X: 5, Y: int(id) * 3}, Verts: []game.Point{{X: 1, Y: int(id) * 3}},
			Kills: kills, Deaths: deaths, Streak: streak, Best: best}
	}
	// Kills come from the victims' ledgers (the kills given here are
	// claims, which the game ignores): sus was got 7 times by botty and
	// twice by me, botty 3 times by me, alice once by sus, laggy twice
	// by alice.
	ledgers := map[game.PlayerID][]game.Tally{
		5: {{Killer: 2, Count: 2}, {Killer: 3, Count: 7}},
		3: {{Killer: 2, Count: 3}},
		1: {{Killer: 5, Count: 1}},
		4: {{Killer: 1, Count: 2}},
	}
	withLedger := func(c *game.Cycle) *game.Cycle { c.KilledBy = ledgers[c.ID]; return c }
	snap := arenaWith(t, p, 2,
		withLedger(cyc(1, "alice", 0, 2, 1, 1, 2, false)),
		withLedger(cyc(2, "me", 1, 5, 0, 5, 5, false)),
		withLedger(cyc(3, "botty", 2, 7, 3, 0, 4, true)),
		withLedger(cyc(4, "laggy", 3, 0, 2, 0, 0, false)),
		withLedger(cyc(5, "sus", 4, 1, 9, 0, 1, false)),
	)
	snap.Peers = []view.PeerStats{{ID: 4, Name: "laggy", Lagging: true}, {ID: 5, Name: "sus", Suspect: true}}
	m := arenaAt(t, &fakeController{}, colorprofile.ASCII, 80, 24, snap)
	lines := strings.Split(m.View().Content, "\n")
	var board []string
	for _, l := range lines[1:6] {
		board = append(board, strings.TrimRight(l[strings.LastIndex(l, "│")+len("│"):], " "))
	}
	// At 80 columns the panel sits flush against the board: the swatch,
	// a name of 10 columns, the mark column (b bot, ! suspect, ~ lagging,
	// @ you), then kills, deaths and streak.
	want := []string{
		"+botty      b  7  3  0",
		"*me         @  5  0  5",
		"#alice         2  1  1",
		"=sus        !  1  9  0",
		"%laggy      ~  0  2  0",
	}
	if h := strings.TrimRight(strings.Split(lines[0], "┐")[1], " "); h != " player     b  K  D  S" {
		t.Errorf("scoreboard header %q", h)
	}
	for i := range want {
		if board[i] != want[i] {
			t.Errorf("scoreboard line %d:\n got %q\nwant %q", i, board[i], want[i])
		}
	}
}

func TestNetgraph(t *testing.T) {
	snap := testSnapshot(t, game.DefaultParams(), 4, 10)
	snap.Peers[1].RTT = 230 * time.Millisecond
	snap.Peers[1].Jitter = 80 * time.Millisecond
	snap.Peers[1].Loss = 0.2
	snap.Peers[1].Age = 3100 * time.Millisecond
	snap.Peers[1].PacketsInPerSec = 12
	snap.Peers[1].PacketsOutPerSec = 15
	snap.Peers[1].BytesInPerSec = 4300
	snap.Peers[1].BytesOutPerSec = 980
	snap.Peers[1].RTTHistory = []time.Duration{
		10 * time.Millisecond, 20 * time.Millisecond, 40 * time.Millisecond, 80 * time.Millisecond,
		160 * time.Millisecond, 230 * time.Millisecond}
	snap.Peers[1].Correction, snap.Peers[1].CorrectionMax = 2, 5
	snap.Drops = append(snap.Drops, view.DropCount{Reason: "bad trail", Count: 1})

	// The netgraph takes the side panel's place; its columns run from the
	// most telling, so a narrow panel loses the last ones only.
	for _, tt := range []struct {
		w, h  int
		wants []string
	}{
		// The correction on a line of its own under each peer.
		{80, 24, []string{"rtt  loss", "carol   ~  230ms   20%\n", "correction 2 max 5", "bob         17ms    1%"}},
		{160, 50, []string{"rtt  loss  corr    age jitter", "carol     ~  230ms   20%   2/5   3.1s   80ms",
			"bob           17ms    1%   0/0   40ms    1ms",
			"      12/15    4.3k/980  ▁▁▂▃▆█"}}, // the traffic on a second line
		{200, 50, []string{"carol     ~  230ms   20%   2/5   3.1s   80ms"}},
	} {
		size := [2]int{tt.w, tt.h}
		m := arenaAt(t, &fakeController{}, colorprofile.TrueColor, size[0], size[1], snap)
		m, _ = send(t, m, keyMsg("n"))
		raw := m.View().Content
		checkFits(t, raw, size[0], size[1])
		view := ansi.Strip(raw)
		if !strings.Contains(view, "┐netgraph") && !strings.Contains(view, "┐ netgraph") {
			t.Errorf("%v: netgraph not beside the board:\n%s", size, view)
		}
		for _, want := range append(tt.wants, "netgraph", "bad magic 3", "stale seq 12", "bad trail 1") {
			if !strings.Contains(view, want) {
				t.Errorf("%v: netgraph lacks %q:\n%s", size, want, view)
			}
		}
		m, _ = send(t, m, keyMsg("n"))
		if strings.Contains(m.View().Content, "rtt") {
			t.Errorf("%v: netgraph still shown after second n", size)
		}
	}
}

func TestNetgraphManyPeersFits(t *testing.T) {
	snap := testSnapshot(t, game.DefaultParams(), 16, 10)
	for i := range 5 { // 20 peers: more than the side panel's rows
		p := snap.Peers[i]
		p.ID += 100
		snap.Peers = append(snap.Peers, p)
	}
	for i := range 20 {
		snap.Drops = append(snap.Drops, view.DropCount{Reason: strings.Repeat("r", i+3), Count: uint64(i)})
	}
	m := arenaAt(t, &fakeController{}, colorprofile.TrueColor, 80, 24, snap)
	m, _ = send(t, m, keyMsg("n"))
	view := m.View().Content
	checkFits(t, view, 80, 24)
	if !strings.Contains(ansi.Strip(view), "more") {
		t.Errorf("20 peers at 80×24: no \"more\" line:\n%s", ansi.Strip(view))
	}
}

func TestNoColorHasNoEscapes(t *testing.T) {
	snap := testSnapshot(t, game.DefaultParams(), 6, 60)
	snap.Impairment = "loss 20% delay 300ms"
	snap.Notice = "look out"
	me := snap.Arena.Cycle(1)
	me.Alive, me.Killer, me.DeadTicks = false, 2, 5
	// NoColor wins over whatever profile the terminal claims.
	m := newModel(Config{Controller: &fakeController{}, NoColor: true}, colorprofile.TrueColor)
	m, _ = send(t, m, tea.WindowSizeMsg{Width: 80, Height: 24}, SnapshotMsg{snap})
	views := map[string]string{"arena": m.View().Content}
	m, _ = send(t, m, keyMsg("n"))
	views["netgraph"] = m.View().Content
	m, _ = send(t, m, keyMsg("n"), keyMsg("?"))
	views["help"] = m.View().Content
	m, _ = send(t, m, keyMsg("?"), keyMsg("t"), keyMsg("x"))
	views["chat"] = m.View().Content
	m, _ = send(t, m, tea.WindowSizeMsg{Width: 160, Height: 50})
	views["big"] = m.View().Content
	m, _ = send(t, m, tea.WindowSizeMsg{Width: 40, Height: 10})
	views["small"] = m.View().Content
	for name, v := range views {
		if strings.ContainsRune(v, 0x1b) {
			t.Errorf("%s: NO_COLOR output holds an escape: %q", name, v)
		}
	}
	if !strings.Contains(views["arena"], "crashed into bob's trail") {
		t.Errorf("death overlay missing without colour:\n%s", views["arena"])
	}
}

func TestStrangerNamesCannotEscape(t *testing.T) {
	const evil = "\x1b]0;pwn\x07\x1b[31m"
	build := func(name string) view.Snapshot {
		snap := testSnapshot(t, game.DefaultParams(), 4, 20)
		c := snap.Arena.Cycle(2)
		// Text fields are cleaned where they come in, by the peer layer
		// (game.Clean); the others are cleaned by the screen.
		c.Name = game.CleanName(name + "bob")
		me := snap.Arena.Cycle(1)
		me.Alive, me.Killer, me.DeadTicks = false, 2, 5
		snap.Peers[0].Name = game.CleanName(name + "bob")
		snap.Peers[0].Suspect = true
		snap.Log = append(snap.Log, view.LogLine{Text: game.Clean(name+"bob joined", 120)})
		snap.Chat = append(snap.Chat, view.ChatLine{From: game.CleanName(name + "bob"), Text: game.Clean("hi "+name+"there\x07\r\n", game.MaxChatRunes)})
		snap.Room = game.Clean(name+"den", game.MaxRoomRunes)
		snap.Notice = game.Clean(name+"notice", 200)
		snap.Impairment = name + "loss 5%"
		snap.Drops = append(snap.Drops, view.DropCount{Reason: name + "odd", Count: 1})
		return snap
	}
	clean := game.CleanText(evil, 100)
	for _, p := range []colorprofile.Profile{colorprofile.TrueColor, colorprofile.ANSI256, colorprofile.ASCII} {
		for _, overlay := range []string{"", "n"} {
			render := func(name string) string {
				m := arenaAt(t, &fakeController{}, p, 100, 30, build(name))
				if overlay != "" {
					m, _ = send(t, m, keyMsg(overlay))
				}
				return m.View().Content
			}
			got, want := render(evil), render(clean)
			if got != want {
				t.Errorf("profile %v overlay %q: a hostile name changed the output:\n got %q\nwant %q", p, overlay, got, want)
			}
			if strings.Contains(got, "pwn") || strings.Contains(got, "\x07") {
				t.Errorf("profile %v: hostile sequence reached the output", p)
			}
		}
	}
}

func TestJoiningBeforeFirstSnapshot(t *testing.T) {
	m := newModel(Config{Controller: &fakeController{}, Room: "den"}, colorprofile.ASCII)
	m, _ = send(t, m, tea.WindowSizeMsg{Width: 80, Height: 24})
	if got := m.View().Content; !strings.Contains(got, "joining den…") {
		t.Errorf("before the first snapshot:\n%s", got)
	}
}

func TestSparkline(t *testing.T) {
	ms := func(v ...int) []time.Duration {
		var d []time.Duration
		for _, x := range v {
			d = append(d, time.Duration(x)*time.Millisecond)
		}
		return d
	}
	tests := []struct {
		in   []time.Duration
		n    int
		want string
	}{
		{nil, 5, ""},
		{ms(1, 2, 1), 5, "▁▁▁"}, // under the floor: flat
		{ms(10, 20, 40, 80, 160), 5, "▁▁▂▄█"}, // scaled to the largest
		{ms(5, 100, 100, 100), 2, "██"},       // the latest n only
		{ms(0, 50, 100), 3, "▁▄█"},
	}
	for _, tt := range tests {
		if got := sparkline(tt.in, tt.n); got != tt.want {
			t.Errorf("sparkline(%v, %d) = %q, want %q", tt.in, tt.n, got, tt.want)
		}
	}
}

func TestFormats(t *testing.T) {
	for _, tt := range []struct{ got, want string }{
		{fmtDur(0), "-"}, {fmtDur(500 * time.Microsecond), "<1ms"}, {fmtDur(230 * time.Millisecond), "230ms"},
		{fmtDur(1300 * time.Millisecond), "1.3s"}, {fmtDur(42 * time.Second), "42s"}, {fmtDur(3 * time.Hour), ">99m"},
		{fmtLoss(0), "0%"}, {fmtLoss(0.004), "<1%"}, {fmtLoss(0.2), "20%"}, {fmtLoss(3), "100%"},
		{fmtRate(15), "15"}, {fmtRate(1234), "1.2k"}, {fmtRate(45678), "46k"}, {fmtRate(2.5e6), "2.5M"},
	} {
		if tt.got != tt.want {
			t.Errorf("got %q, want %q", tt.got, tt.want)
		}
	}
}

func TestPasteIsChatNotKeys(t *testing.T) {
	ctrl := &fakeController{}
	m := arenaAt(t, ctrl, colorprofile.ASCII, 80, 24, testSnapshot(t, game.DefaultParams(), 2, 5))
	// Pasted text steers nothing outside the chat line...
	m, _ = send(t, m, tea.PasteMsg{Content: "wasd"})
	// ...and is one chat line inside it.
	m, _ = send(t, m, keyMsg("t"), tea.PasteMsg{Content: "wasd"}, keyMsg("enter"))
	if got, want := ctrl.String(), "say wasd"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}
