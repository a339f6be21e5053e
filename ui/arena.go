package ui

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"lanarena/game"
	"lanarena/net/view"
)

// Layout of the arena screen: the board, the panel to its right (a gap
// column included), and two lines under both: the status bar and the help
// or chat line.
const (
	minPanelWidth = 22
	maxPanelWidth = 48
	chromeRows    = 2
	// narrowPanel is the widest panel drawn flush against the board: a
	// narrower one needs its every column for names of 10.
	narrowPanel = 24
)

// arenaModel is the arena screen.
type arenaModel struct {
	st        *styles
	keys      arenaKeyMap
	help      help.Model
	chat      textinput.Model
	ctrl      Controller
	room      string
	spectator bool
	ssh       string // how others join over SSH

	width, height int
	chatting      bool
	showNet       bool
	showHelp      bool
	wire          wireView // the wire view (wireview.go)
	confirmQuit   bool     // q pressed while playing: y quits, any other key stays
	// predict draws remote cycles where they are now, each with a ghost
	// where it was last heard (p toggles it; on by default). In server
	// mode there is nothing to predict: p then only says so (serverNote).
	predict, serverNote bool

	snap    view.Snapshot
	hasSnap bool
	board   *board    // filled from snap
	panel   panelData // derived from snap, cleaned
	frame   frame     // drawn from all of the above
	parts   *parts    // the frame's slow-changing pieces, as last drawn

	helpLine  string // the short help, rendered for helpWidth
	helpWidth int
}

// frame is the arena screen drawn from the latest snapshot, the size and
// the overlays. Update redraws it when one of those changes, so that View
// costs next to nothing; while a chat line is typed, View swaps the input
// in for the last line.
type frame struct {
	screen string   // the whole screen, centred
	lines  []string // its lines before centring; nil for a message
	width  int      // of lines
}

func newArenaModel(st *styles, cfg Config, ctrl Controller, room string) arenaModel {
	h := help.New()
	h.Styles = st.help

	ti := textinput.New()
	ti.Prompt = "say: "
	ti.Placeholder = "a message for the room"
	ti.CharLimit = game.MaxChatRunes
	ti.SetStyles(st.input)
	ti.SetVirtualCursor(false)

	return arenaModel{
		st:        st,
		keys:      newArenaKeyMap(),
		help:      h,
		chat:      ti,
		ctrl:      ctrl,
		room:      game.CleanText(room, game.MaxRoomRunes),
		spectator: cfg.Spectator,
		ssh:       cfg.SSH,
		board:     newBoard(st.profile),
		parts:     &parts{},
		predict:   true,
	}
}

// spectating reports whether this peer has no cycle of its own.
func (m arenaModel) spectating() bool {
	return m.spectator || (m.hasSnap && m.snap.Self == 0)
}

// Update plays a message: a snapshot or a resize redraws the frame, keys
// steer or open overlays and the chat line.
func (m arenaModel) Update(msg tea.Msg) (arenaModel, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.width, m.height = msg.Width, msg.Height
		m.rescale()
		m.redraw()
		return m, nil
	case SnapshotMsg:
		m.snap, m.hasSnap = msg.Snapshot, true
		m.board.scale = m.scaleFor(msg.Arena)
		m.board.update(&m.snap, m.predict)
		m.panel = newPanelData(msg.Snapshot).withLetters(m.board)
		m.redraw()
		return m, nil
	case tea.KeyPressMsg:
		return m.playKey(msg)
	}
	if m.chatting {
		var cmd tea.Cmd
		m.chat, cmd = m.chat.Update(msg) // a paste
		return m, cmd
	}
	return m, nil
}

// scaleFor is the board's scale for arena a on this screen: the largest
// that leaves room for the panel and the two lines under the board.
func (m arenaModel) scaleFor(a *game.Arena) int {
	if a == nil {
		return m.board.scale
	}
	if r := m.wireReserve(a); r > 0 {
		return fitScale(a.Params.Width, a.Params.Height, r, chromeRows, m.width, m.height)
	}
	return fitScale(a.Params.Width, a.Params.Height, minPanelWidth, chromeRows, m.width, m.height)
}

// wireReserve is the width the open wire view keeps beside the arena: on
// a screen wide enough for a half-block board and the view, the view
// takes the side panel's place and what is left of the width (up to
// wireMaxWidth), and the board shrinks to make room; on a narrower one
// the view takes the arena's place instead (withWire), and nothing is kept.
func (m arenaModel) wireReserve(a *game.Arena) int {
	if !m.wire.open || a == nil {
		return 0
	}
	room := m.width - boardWidth(a.Params.Width, 0) - 1
	if room < wireBesideWidth {
		return 0
	}
	return 1 + min(room, wireMaxWidth)
}

// rescale redraws the board at the scale of a new screen size.
func (m *arenaModel) rescale() {
	if s := m.scaleFor(m.snap.Arena); m.hasSnap && s != m.board.scale {
		m.board.scale = s
		m.board.update(&m.snap, m.predict)
	}
}

// playKey plays one key. ctrl+c quits at once, always. q quits at once
// too unless you are riding: then it asks first, since q sits next to
// the steering keys (and is "left" on AZERTY).
//
// The key back to the lobby is handled above this screen, by Model.
func (m arenaModel) playKey(msg tea.KeyPressMsg) (arenaModel, tea.Cmd) {
	switch {
	case key.Matches(msg, m.keys.Interrupt):
		return m, tea.Quit
	case m.chatting:
		return m.updateChat(msg)
	case m.confirmQuit:
		m.confirmQuit = false
		if key.Matches(msg, m.keys.Yes) {
			return m, tea.Quit
		}
		m.redraw()
		return m, nil
	case key.Matches(msg, m.keys.Quit):
		if m.riding() {
			m.confirmQuit = true
			m.redraw()
			return m, nil
		}
		return m, tea.Quit
	}
	return m.updateKey(msg), nil
}

// riding reports whether you have a cycle in the arena, alive: quitting
// then loses it, so q asks first.
func (m arenaModel) riding() bool {
	if m.spectating() || !m.hasSnap || m.snap.Arena == nil {
		return false
	}
	c := m.snap.Arena.Cycle(m.snap.Self)
	return c != nil && c.Alive
}

// updateKey plays a key. Controller calls happen here rather than in a
// tea.Cmd: they return at once by contract, and Cmds run concurrently, which
// could swap two quick turns.
func (m arenaModel) updateKey(msg tea.KeyPressMsg) arenaModel {
	k := m.keys
	if w, ok := m.wire.key(msg, m.ctrl, m.snap); ok {
		m.wire = w
		m.rescale() // opening or closing the view changes the room the board has
		m.redraw()
		return m
	}
	switch {
	case key.Matches(msg, k.Up):
		m.turn(game.Up)
	case key.Matches(msg, k.Down):
		m.turn(game.Down)
	case key.Matches(msg, k.Left):
		m.turn(game.Left)
	case key.Matches(msg, k.Right):
		m.turn(game.Right)
	case key.Matches(msg, k.Help):
		m.showHelp = !m.showHelp
		m.redraw()
	case key.Matches(msg, k.Net):
		m.showNet = !m.showNet
		m.redraw()
	case key.Matches(msg, k.Predict):
		m.togglePredict()
	case key.Matches(msg, k.Close):
		m.showHelp, m.showNet = false, false
		m.redraw()
	case key.Matches(msg, k.Chat):
		m.chatting = true
		m.chat.Reset()
		m.chat.Focus() // the terminal's cursor: no command to blink it
	case key.Matches(msg, k.AddBot):
		if m.ctrl != nil {
			m.ctrl.AddBot()
		}
	case key.Matches(msg, k.RemoveBot):
		if m.ctrl != nil {
			m.ctrl.RemoveBot()
		}
	}
	return m
}

// togglePredict turns prediction on this screen on or off and redraws
// the board. In server mode there is none: the key toggles a note that
// says so.
func (m *arenaModel) togglePredict() {
	if m.hasSnap && m.snap.Mode == view.ModeServer {
		m.serverNote = !m.serverNote
		m.redraw()
		return
	}
	m.predict = !m.predict
	if m.hasSnap {
		m.board.update(&m.snap, m.predict)
	}
	m.redraw()
}

// predictNote is what the status bar says of prediction: on or off in
// peer-to-peer, nothing in server mode until p asks.
func (m arenaModel) predictNote() string {
	switch {
	case m.snap.Mode == view.ModeServer && m.serverNote:
		return "no prediction in server mode"
	case m.snap.Mode == view.ModeServer:
		return ""
	case m.predict:
		return "p: prediction on"
	}
	return "p: prediction off"
}

func (m arenaModel) turn(d game.Dir) {
	if m.ctrl != nil && !m.spectating() {
		m.ctrl.Turn(d)
	}
}

// updateChat handles a key while a chat line is typed: every key goes to
// the input, none steers.
func (m arenaModel) updateChat(msg tea.KeyPressMsg) (arenaModel, tea.Cmd) {
	switch {
	case key.Matches(msg, m.keys.Send):
		if text := game.CleanText(m.chat.Value(), game.MaxChatRunes); text != "" && m.ctrl != nil {
			m.ctrl.Say(text)
		}
		fallthrough
	case key.Matches(msg, m.keys.Cancel):
		m.chatting = false
		m.chat.Blur()
		m.chat.Reset()
		return m, nil
	}
	var cmd tea.Cmd
	m.chat, cmd = m.chat.Update(msg)
	return m, cmd
}

// View is the frame drawn in Update, with the chat input and the
// terminal's cursor in it while typing.
func (m arenaModel) View() (string, *tea.Cursor) {
	if !m.chatting || m.frame.lines == nil {
		return m.frame.screen, nil
	}
	lines := slices.Clone(m.frame.lines)
	last := len(lines) - 1
	lines[last] = fit(m.chat.View(), m.frame.width)
	var cur *tea.Cursor
	if c := m.chat.Cursor(); c != nil {
		left, top := corner(m.frame.width, len(lines), m.width, m.height)
		c.X, c.Y = left+c.X, top+last
		cur = c
	}
	return centre(lines, m.frame.width, m.width, m.height), cur
}

// mainWidth is the width of the board and the panel beside it.
func (m arenaModel) mainWidth() int {
	bw := m.board.width()
	if m.wireReserve(m.snap.Arena) > 0 {
		return bw // the wire view takes the panel's place
	}
	return bw + min(maxPanelWidth, m.width-bw)
}

// redraw draws the frame anew after a change of what it shows.
func (m *arenaModel) redraw() {
	if m.st == nil {
		return // the zero screen, before it is made
	}
	watching := m.spectating()
	if w := m.mainWidth(); w != m.helpWidth || watching != m.keys.watching {
		m.keys.watching = watching
		m.help.SetWidth(w)
		m.helpLine = m.help.ShortHelpView(m.keys.ShortHelp())
		m.helpWidth = w
	}
	m.frame = m.draw()
	if m.frame.width > 0 {
		m.chat.SetWidth(max(1, m.frame.width-ansi.StringWidth(m.chat.Prompt)-1))
	}
}

// draw renders the screen: the board with the death box over it, the
// side panel beside it, the status line and the help line under them.
func (m arenaModel) draw() frame {
	if m.st == nil || m.width <= 0 || m.height <= 0 {
		return frame{}
	}
	st := m.st
	if !m.hasSnap || m.snap.Arena == nil {
		text := st.dim.Render("joining " + m.room + "…")
		if n := string(m.snap.Notice); n != "" {
			text += "\n\n" + st.warn.Render(n)
		}
		return frame{screen: message(text, m.width, m.height)}
	}
	bw, bh := m.board.width(), m.board.height()
	if minW, minH := bw+minPanelWidth, bh+chromeRows; m.width < minW || m.height < minH {
		return frame{screen: message(fmt.Sprintf("terminal too small\nenlarge to at least %d×%d\n(now %d×%d)",
			minW, minH, m.width, m.height), m.width, m.height)}
	}
	mw := m.mainWidth()
	gap, pw := " ", mw-bw-1
	if mw-bw <= narrowPanel {
		gap, pw = "", mw-bw // every column for the names
	}

	rows := m.board.rows
	if len(rows) > 0 {
		rows = slices.Clone(rows)
		rows[0] = m.parts.top.get(m.topKey(bw), func() string { return m.topEdge(bw) })
		rows[len(rows)-1] = m.bottomEdge(bw)
	}
	if box := m.deathBox(bw); box != "" {
		rows = overlay(rows, box, bw, !st.glyphs)
	}
	side := m.side(pw, bh)
	lines := make([]string, bh, bh+chromeRows)
	for i := range bh {
		lines[i] = rows[i] + gap + side[i]
	}
	lines, mw = m.withWire(lines, mw, bh)
	if long := m.longNotice(mw); long != nil {
		lines = append(lines, long...)
	} else {
		lines = append(lines,
			m.parts.status.get(m.statusKey(mw), func() string { return m.statusLine(mw) }),
			m.parts.bottom.get(bottomKey{m.snap.Notice, m.confirmQuit, m.helpLine, mw}, func() string { return m.bottomLine(mw) }))
	}
	return frame{screen: centre(lines, mw, m.width, m.height), lines: lines, width: mw}
}

// longNotice is a notice too long for the bottom line, wrapped over it
// and the status bar, which it outranks while it lasts; nil for a notice
// that fits (or none, or the quit question on screen).
func (m arenaModel) longNotice(w int) []string {
	text := "! " + screenText(string(m.snap.Notice))
	if m.snap.Notice == "" || m.confirmQuit || ansi.StringWidth(text) <= w {
		return nil
	}
	wrapped := strings.Split(ansi.Wrap(text, w, ""), "\n")
	out := make([]string, chromeRows)
	for i := range out {
		l := ""
		if i < len(wrapped) {
			l = wrapped[i]
		}
		if i == len(out)-1 && len(wrapped) > len(out) {
			l += " " + strings.Join(wrapped[len(out):], " ")
		}
		out[i] = fit(m.st.warn.Render(l), w)
	}
	return out
}

// side is what sits beside the board, w×h: the panel, or an overlay in
// its place, so that no overlay hides the arena while play goes on. A new
// overlay (the wire view, say) adds its case here, drawn by a function of
// the same shape: w columns by h lines.
func (m arenaModel) side(w, h int) []string {
	var box string
	switch {
	case m.showHelp:
		box = m.helpBox(w, h)
	case m.showNet:
		box = m.netgraph(w, h)
	case m.snap.Match.Winner != 0:
		box = m.matchBox(w, h)
	default:
		return m.parts.panel.get(panelKey{m.panel, w, h}, func() []string { return m.panelLines(w, h) })
	}
	lines := strings.Split(box, "\n")
	for i, l := range lines {
		lines[i] = fit(l, w)
	}
	for len(lines) < h {
		lines = append(lines, strings.Repeat(" ", w))
	}
	return lines[:h]
}

// deathBox is the overlay that tells you how you crashed and when you are
// back, or "" while you ride.
func (m arenaModel) deathBox(boardWidth int) string {
	if m.spectating() {
		return ""
	}
	a := m.snap.Arena
	c := a.Cycle(m.snap.Self)
	if c == nil || c.Alive {
		return ""
	}
	secs := float64(a.RespawnIn(c)) / float64(max(1, a.Params.TickRate))
	cause := ansi.Truncate(crashCause(a, c), boardWidth-8, "…")
	return m.st.deathBox.Render(lipgloss.JoinVertical(lipgloss.Center,
		m.st.err.Render(cause),
		m.st.text.Render(fmt.Sprintf("respawn in %.1fs", secs))))
}

// crashCause says in words what c hit.
func crashCause(a *game.Arena, c *game.Cycle) string {
	switch {
	case c.Killer != 0 && c.Killer != c.ID:
		name := ""
		if k := a.Cycle(c.Killer); k != nil {
			name = string(k.Name)
		}
		if name == "" {
			name = fmt.Sprintf("player %d", c.Killer)
		}
		return "crashed into " + screenText(name) + "'s trail"
	case !a.Params.In(c.Head.Add(c.Dir)):
		return "hit the wall"
	}
	return "hit your own trail"
}

// statusLine is the bar under the arena: your ready countdown, the
// match, where you are and what the network is doing to you.
func (m arenaModel) statusLine(w int) string {
	st, s := m.st, m.snap
	var segs []string
	add := func(style ink, text string) { segs = append(segs, style.Render(text)) }

	if m.spectating() {
		add(st.barWarn, "spectating")
	}
	if secs := m.readySecs(); secs > 0 {
		add(st.barAccent, fmt.Sprintf("get ready: %d… steer to start", secs))
	}
	if name := m.winnerName(); name != "" {
		add(st.barAccent, name+" wins the match")
	} else if s.Match.FirstTo > 0 {
		add(st.bar, fmt.Sprintf("first to %d", s.Match.FirstTo))
	}
	if imp := game.CleanText(s.Impairment, 80); imp != "" {
		text := "IMPAIRED: " + imp
		if !st.glyphs {
			text = " " + text + " " // a red block, not just red letters
		}
		add(st.barAlert, text)
	}
	if s.Waiting > 0 {
		add(st.barWarn, "waiting for host "+fmtDur(s.Waiting))
	}
	mode := s.Mode.String()
	if s.Mode == view.ModeServer {
		if host := screenText(string(s.Host)); host != "" {
			mode += ", host " + host
		} else {
			mode += ", hosting"
		}
	}
	if mode != "" {
		add(st.bar, mode)
	}
	if note := m.predictNote(); note != "" {
		add(st.barDim, note)
	}
	peers := "peers"
	if len(s.Peers) == 1 {
		peers = "peer"
	}
	add(st.bar, fmt.Sprintf("%d %s", len(s.Peers), peers))
	if m.ssh != "" {
		add(st.barDim, m.ssh)
	}
	line := st.bar.Render(" ") + strings.Join(segs, st.barDim.Render(" · "))
	if lw := ansi.StringWidth(line); lw > w {
		line = ansi.Truncate(line, w, "…")
	}
	if gap := w - ansi.StringWidth(line); gap > 0 {
		line += st.bar.Render(strings.Repeat(" ", gap))
	}
	return line
}

// readySecs is the whole seconds left of your ready phase, rounded up; 0
// once you ride.
func (m arenaModel) readySecs() int {
	a := m.snap.Arena
	if m.spectating() || a == nil {
		return 0
	}
	c := a.Cycle(m.snap.Self)
	if c == nil || !c.Alive || c.Ready <= 0 {
		return 0
	}
	rate := max(1, a.Params.TickRate)
	return (c.Ready + rate - 1) / rate
}

// winnerName is the name of the match's winner while the result shows.
func (m arenaModel) winnerName() string {
	mt := m.snap.Match
	if mt.Winner == 0 {
		return ""
	}
	for _, r := range mt.Final {
		if r.ID == mt.Winner && r.Name != "" {
			return screenText(string(r.Name))
		}
	}
	if m.snap.Arena != nil {
		if c := m.snap.Arena.Cycle(mt.Winner); c != nil && c.Name != "" {
			return screenText(string(c.Name))
		}
	}
	return fmt.Sprintf("player %d", mt.Winner)
}

// topEdge is the board's top wall with the room's name (and lock) on its
// left and your address on its right.
func (m arenaModel) topEdge(w int) string {
	st, s := m.st, m.snap
	room := string(s.Room)
	if room == "" {
		room = m.room
	}
	left := st.wall.Render("┌─ ") + st.title.Render(screenText(room))
	if s.Locked {
		left += st.warn.Render(" locked")
	}
	left += st.wall.Render(" ")
	right := ""
	if s.Addr.IsValid() {
		right = st.wall.Render(" ") + st.dim.Render(s.Addr.String()) + st.wall.Render(" ")
	}
	right += st.wall.Render("─┐")
	lw, rw := ansi.StringWidth(left), ansi.StringWidth(right)
	if lw+rw > w {
		right = st.wall.Render("─┐")
		rw = 2
	}
	if lw+rw > w {
		left = ansi.Truncate(left, w-rw, "…")
		lw = ansi.StringWidth(left)
	}
	return left + st.wall.Render(strings.Repeat("─", w-lw-rw)) + right
}

// bottomEdge is the board's bottom wall with the tick on its right. The
// tick shown moves once a second, not every tick: a line that changes every
// frame costs its whole width in terminal output every frame.
func (m arenaModel) bottomEdge(w int) string {
	st := m.st
	a := m.snap.Arena
	rate := uint32(max(1, a.Params.TickRate))
	tick := fmt.Sprintf(" tick %d ", a.Tick/rate*rate)
	fill := w - 2 - 1 - len(tick)
	if fill < 1 {
		return st.wall.Render("└" + strings.Repeat("─", w-2) + "┘")
	}
	return st.wall.Render("└"+strings.Repeat("─", fill)) + st.dim.Render(tick) + st.wall.Render("─┘")
}

// bottomLine is the quit question, else the notice if any, else the
// short help. (View puts the chat input there while a line is typed.)
func (m arenaModel) bottomLine(w int) string {
	switch {
	case m.confirmQuit:
		return fit(m.st.warn.Render("leave the game? y or q: quit · any other key: keep playing"), w)
	case m.snap.Notice != "":
		return fit(m.st.warn.Render("! "+screenText(string(m.snap.Notice))), w)
	}
	return fit(m.helpLine, w)
}

// helpBox is the help for this role, a key to a line, with the
// scoreboard's marks explained, in w×h.
func (m arenaModel) helpBox(w, h int) string {
	st := m.st
	lines := []string{st.title.Render("keys") + st.dim.Render("  ? to close")}
	for _, group := range m.keys.FullHelp() {
		for _, b := range group {
			hb := b.Help()
			lines = append(lines, st.text.Render(fit(hb.Key, 7))+" "+st.dim.Render(hb.Desc))
		}
	}
	blank := len(lines)
	lines = append(lines, "",
		st.title.Render("scoreboard"),
		st.dim.Render(m.youLegend()),
		st.dim.Render("b bot ~ lag ! suspect"),
		st.dim.Render("K kills  D deaths"),
		st.dim.Render("S streak (best)"))
	if !m.spectating() {
		lines = append(lines, st.dim.Render("your head blinks"))
	}
	if g := m.ghostLegend(); g != "" {
		lines = append(lines, st.dim.Render(g))
	}
	if len(lines) > h {
		lines = slices.Delete(lines, blank, blank+1) // a short screen keeps the legend, not the gap
	}
	return strings.Join(lines[:min(len(lines), h)], "\n")
}

// ghostLegend says how a ghost is drawn, while prediction shows them.
func (m arenaModel) ghostLegend() string {
	switch {
	case !m.predict || m.snap.Mode == view.ModeServer:
		return ""
	case m.st.glyphs:
		return "b: B as last heard"
	}
	return "dim: last heard head"
}

// youLegend says how your scoreboard row is marked.
func (m arenaModel) youLegend() string {
	if m.st.glyphs {
		return string(glyphOwnHead) + " you"
	}
	return string(glyphOwnHead) + " you, in reverse"
}

// matchBox is a match's result: the winner, the final table and when the
// next match starts, in w×h.
func (m arenaModel) matchBox(w, h int) string {
	st, mt := m.st, m.snap.Match
	lines := []string{
		st.title.Render(fmt.Sprintf("match %d", mt.Number)),
		st.accent.Render(ansi.Truncate(m.winnerName()+" wins", w, "…")),
		"",
	}
	nameW := max(4, min(game.MaxNameRunes, w-1-8))
	lines = append(lines, st.heading.Render(" "+fit("player", nameW)+"   K   D"))
	for _, r := range mt.Final {
		row := fit(screenText(string(r.Name)), nameW) + fmt.Sprintf("%4d%4d", r.Kills, r.Deaths)
		style := st.text
		if r.ID == m.snap.Self {
			style = st.self
		}
		lines = append(lines, st.swatchOf(r.Color, 0)+style.Render(row))
	}
	secs := int((mt.NextIn + time.Second - 1) / time.Second)
	lines = append(lines, "", st.dim.Render(fmt.Sprintf("next match in %ds", secs)))
	if len(lines) > h {
		lines = append(lines[:h-1], lines[len(lines)-1])
	}
	return strings.Join(lines, "\n")
}
