package ui

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/spinner"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"lanarena/game"
	"lanarena/net/view"
)

// maxRoomRunes bounds a room's name.
const maxRoomRunes = game.MaxRoomRunes

// lobbyPrompt is the question the lobby is asking, if any.
type lobbyPrompt int

const (
	promptNone    lobbyPrompt = iota
	promptName                // the name of a new room
	promptSecret              // the secret of a room
	promptFirstTo             // a new room's matches: first to N kills
	promptPlayer              // the player's own name, on a first run
)

// maxFirstToDigits bounds the first-to prompt: up to 99 kills.
const maxFirstToDigits = 2

// errNoJoiner is what joining says when the program gave the lobby no way
// to join.
var errNoJoiner = errors.New("joining is not available")

// lobbyModel is the screen that lists the rooms seen on the LAN and lets
// you join one or create your own.
type lobbyModel struct {
	st      *styles
	keys    lobbyKeyMap
	help    help.Model
	spin    spinner.Model
	input   textinput.Model
	join    Joiner
	create  func(RoomRequest) (Controller, error)
	setName func(string)
	version string

	width, height int
	rooms         []view.RoomInfo // in the order given (busiest first), names cleaned
	moved         bool            // the player moved the cursor: keep it on its room
	searching     bool
	offline       string // why the LAN cannot be searched
	cursor        int
	prompt        lobbyPrompt
	target        string       // the room the prompt is about
	creating      bool         // the secret prompt is for a new room
	secret        string       // a new room's secret, while its first-to is asked
	then          *RoomRequest // once the player's name is given: join this room
	joining       string       // the room being joined, until it answers
	err           string
}

func newLobbyModel(st *styles, cfg Config) lobbyModel {
	h := help.New()
	h.Styles = st.help
	ti := textinput.New()
	ti.SetStyles(st.input)
	ti.SetVirtualCursor(false)
	ti.SetWidth(32)
	// A spinner redraws the screen at its own rate: a slow one is enough
	// to say the lobby is still looking.
	spin := spinner.MiniDot
	spin.FPS = time.Second / 5
	return lobbyModel{
		st:        st,
		keys:      newLobbyKeyMap(),
		help:      h,
		spin:      spinner.New(spinner.WithSpinner(spin), spinner.WithStyle(st.spinner)),
		input:     ti,
		join:      cfg.Join,
		create:    cfg.Create,
		setName:   cfg.SetName,
		version:   game.CleanText(cfg.Version, 32),
		searching: true,
	}
}

func (m lobbyModel) Init() tea.Cmd { return m.spin.Tick }

func (m lobbyModel) Update(msg tea.Msg) (lobbyModel, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.width, m.height = msg.Width, msg.Height
		return m, nil
	case RoomsMsg:
		m.setRooms(msg.Rooms)
		m.searching, m.offline = msg.Searching, msg.Offline
		return m, nil
	case spinner.TickMsg:
		var cmd tea.Cmd
		m.spin, cmd = m.spin.Update(msg)
		return m, cmd
	case joinFailedMsg:
		m.joining = ""
		m.err = fmt.Sprintf("could not join %s: %s", msg.room, game.CleanText(msg.err.Error(), 200))
		return m, nil
	case tea.KeyPressMsg:
		return m.playKey(msg)
	}
	if m.prompt != promptNone {
		var cmd tea.Cmd
		m.input, cmd = m.input.Update(msg)
		return m, cmd
	}
	return m, nil
}

// playKey plays one key.
func (m lobbyModel) playKey(msg tea.KeyPressMsg) (lobbyModel, tea.Cmd) {
	if m.prompt != promptNone {
		return m.updatePrompt(msg)
	}
	return m.updateBrowse(msg)
}

// setRooms replaces the list and keeps the cursor on the room it was on.
func (m *lobbyModel) setRooms(rooms []view.RoomInfo) {
	var selected game.Text
	if m.cursor < len(m.rooms) {
		selected = m.rooms[m.cursor].Name
	}
	m.rooms = slices.Clone(rooms) // names, hosts and reasons are game.Text: clean
	m.cursor = max(0, min(m.cursor, len(m.rooms)-1))
	if !m.moved {
		// Until the player picks, Enter joins the busiest room (first).
		m.cursor = 0
		return
	}
	for i, r := range m.rooms {
		if r.Name == selected {
			m.cursor = i
		}
	}
}

func (m lobbyModel) updateBrowse(msg tea.KeyPressMsg) (lobbyModel, tea.Cmd) {
	switch {
	case key.Matches(msg, m.keys.Quit):
		return m, tea.Quit
	case key.Matches(msg, m.keys.Up):
		m.cursor = max(0, m.cursor-1)
		m.moved = true
	case key.Matches(msg, m.keys.Down):
		m.cursor = max(0, min(len(m.rooms)-1, m.cursor+1))
		m.moved = true
	case key.Matches(msg, m.keys.Create):
		m.err = ""
		return m, m.ask(promptName, "", false)
	case key.Matches(msg, m.keys.Join):
		if m.cursor >= len(m.rooms) || m.joining != "" {
			return m, nil
		}
		r := m.rooms[m.cursor]
		m.err = ""
		switch {
		case !r.Compatible:
			m.err = fmt.Sprintf("cannot join %s: %s", r.Name, r.Reason)
		case r.Locked:
			return m, m.ask(promptSecret, string(r.Name), false)
		default:
			return m.startJoin(RoomRequest{Room: string(r.Name)})
		}
	}
	return m, nil
}

// ask opens a prompt.
func (m *lobbyModel) ask(p lobbyPrompt, target string, creating bool) tea.Cmd {
	m.prompt, m.target, m.creating = p, target, creating
	m.input.Reset()
	switch p {
	case promptName:
		m.input.Prompt = "room name: "
		m.input.Placeholder = "a name for your room"
		m.input.EchoMode = textinput.EchoNormal
		m.input.CharLimit = maxRoomRunes
	case promptSecret:
		m.input.Prompt = "secret: "
		m.input.Placeholder = ""
		if creating {
			m.input.Placeholder = "empty for an open room"
		}
		m.input.EchoMode = textinput.EchoPassword
		m.input.EchoCharacter = '•'
		m.input.CharLimit = 64
	case promptFirstTo:
		m.input.Prompt = "first to: "
		m.input.Placeholder = "empty: drop-in, no matches"
		m.input.EchoMode = textinput.EchoNormal
		m.input.CharLimit = maxFirstToDigits
	case promptPlayer:
		m.input.Prompt = "your name: "
		m.input.Placeholder = "shown on the scoreboard, remembered"
		m.input.EchoMode = textinput.EchoNormal
		m.input.CharLimit = game.MaxNameRunes
	}
	return m.input.Focus()
}

func (m lobbyModel) updatePrompt(msg tea.KeyPressMsg) (lobbyModel, tea.Cmd) {
	switch {
	case key.Matches(msg, m.keys.Interrupt):
		return m, tea.Quit
	case key.Matches(msg, m.keys.Back) && m.prompt != promptPlayer:
		m.prompt = promptNone
		m.input.Blur()
		return m, nil
	case key.Matches(msg, m.keys.Confirm):
		return m.confirm()
	}
	var cmd tea.Cmd
	m.input, cmd = m.input.Update(msg)
	return m, cmd
}

// confirm plays Enter in a prompt: the next question, or the join.
func (m lobbyModel) confirm() (lobbyModel, tea.Cmd) {
	switch m.prompt {
	case promptName:
		name := game.CleanText(m.input.Value(), maxRoomRunes)
		if name == "" {
			m.err = "a room needs a name"
			return m, nil
		}
		m.err = ""
		return m, m.ask(promptSecret, name, true)
	case promptSecret:
		secret := m.input.Value()
		if secret == "" && !m.creating {
			m.err = m.target + " is locked: type its secret"
			return m, nil
		}
		if m.creating {
			m.secret, m.err = secret, ""
			return m, m.ask(promptFirstTo, m.target, true)
		}
		return m.startJoin(RoomRequest{Room: m.target, Secret: secret})
	case promptFirstTo:
		n, ok := parseFirstTo(m.input.Value())
		if !ok {
			m.err = "first to: a number of kills, 0 to 99 (0: drop-in play)"
			return m, nil
		}
		return m.startJoin(RoomRequest{Room: m.target, Secret: m.secret, FirstTo: n, Create: true})
	case promptPlayer:
		name := string(game.CleanName(strings.TrimSpace(m.input.Value())))
		if name == "" {
			m.err = "type a name for the scoreboard"
			return m, nil
		}
		if m.setName != nil {
			m.setName(name)
		}
		m.err, m.prompt = "", promptNone
		m.input.Blur()
		if then := m.then; then != nil {
			m.then = nil
			return m.startJoin(*then)
		}
	}
	return m, nil
}

// parseFirstTo reads the first-to prompt: empty is 0, drop-in play.
func parseFirstTo(s string) (int, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, true
	}
	n, err := strconv.Atoi(s)
	return n, err == nil && n >= 0 && n < 100
}

// startJoin closes any prompt and asks the Joiner (or Create, for a new
// room) for the room; its answer comes back as a joinedMsg or a
// joinFailedMsg.
func (m lobbyModel) startJoin(req RoomRequest) (lobbyModel, tea.Cmd) {
	m.prompt = promptNone
	m.input.Blur()
	m.input.Reset()
	m.joining, m.err, m.secret = req.Room, "", ""
	join, create := m.join, m.create
	return m, func() tea.Msg {
		var (
			ctrl Controller
			err  error
		)
		switch {
		case req.Create && create != nil:
			ctrl, err = create(req)
		case join == nil:
			err = errNoJoiner
		default:
			ctrl, err = join(req.Room, req.Secret)
		}
		if err != nil {
			return joinFailedMsg{room: req.Room, err: err}
		}
		return joinedMsg{room: req.Room, ctrl: ctrl, secret: req.Secret != ""}
	}
}

// View is the lobby, with the terminal's cursor in the prompt if one is
// open.
func (m lobbyModel) View() (string, *tea.Cursor) {
	if m.width <= 0 || m.height <= 0 {
		return "", nil
	}
	st := m.st
	var lines []string
	add := func(s string) { lines = append(lines, s) }

	title := st.title.Render("LANARENA")
	if m.version != "" {
		title += st.dim.Render("  " + m.version)
	}
	add(title)
	add(st.dim.Render("light cycles on your LAN"))
	add("")
	switch {
	case m.offline != "":
		add(st.text.Render(m.offline))
	case m.searching:
		add(m.spin.View() + " " + st.text.Render("looking for rooms on the LAN…"))
	case len(m.rooms) == 0:
		add(st.dim.Render("no rooms found: press n to create one"))
	default:
		add(st.dim.Render(fmt.Sprintf("%d rooms found", len(m.rooms))))
	}
	add("")
	lines = append(lines, m.roomList()...)
	add("")
	inputRow := -1
	if q := m.question(); q != "" {
		add(st.bold.Render(q))
		inputRow = len(lines)
		add(m.input.View())
	} else if m.joining != "" {
		add(st.text.Render("joining " + m.joining + "…"))
	}
	if m.err != "" {
		// Wrapped, not cut: the end of a reason names the flag to use.
		for _, l := range strings.Split(ansi.Wordwrap("✗ "+m.err, max(20, m.width-4), ""), "\n") {
			add(st.err.Render(l))
		}
	}
	add("")
	if m.prompt != promptNone {
		add(m.help.ShortHelpView(promptKeyMap{m.keys}.ShortHelp()))
	} else {
		add(m.help.ShortHelpView(m.keys.ShortHelp()))
	}

	return m.place(lines, inputRow)
}

// roomList is the rooms' table: a heading, then a line per room and,
// when names are known, a line of who is in it.
func (m lobbyModel) roomList() []string {
	if len(m.rooms) == 0 {
		return nil
	}
	nameCol := m.nameColumn()
	lines := []string{m.st.heading.Render(fmt.Sprintf("  %s %-6s %7s %8s  %s", fit("room", nameCol), "", "players", "watching", "mode"))}
	visible := max(3, m.height-14)
	if m.named() {
		visible = max(2, visible/2)
	}
	first := max(0, min(m.cursor-visible/2, len(m.rooms)-visible))
	for i := first; i < min(len(m.rooms), first+visible); i++ {
		lines = append(lines, m.roomLine(m.rooms[i], i == m.cursor, nameCol))
		if who := m.whoLine(m.rooms[i]); who != "" {
			lines = append(lines, who)
		}
	}
	return lines
}

// question is the title of the open prompt ("" when none is open).
func (m lobbyModel) question() string {
	switch m.prompt {
	case promptName:
		return "new room"
	case promptSecret:
		return "secret for " + m.target
	case promptFirstTo:
		return "matches in " + m.target + ": first to how many kills?"
	case promptPlayer:
		return "welcome: what is your name?"
	}
	return ""
}

// place centres the lobby's lines on the screen, with the terminal's
// cursor in the prompt's input on line inputRow (none if -1).
func (m lobbyModel) place(lines []string, inputRow int) (string, *tea.Cursor) {
	w := 0
	for _, l := range lines {
		w = max(w, ansi.StringWidth(l))
	}
	w = min(w, m.width)
	for i, l := range lines {
		lines[i] = fit(l, w)
	}
	var cur *tea.Cursor
	if c := m.input.Cursor(); c != nil && inputRow >= 0 {
		left, top := corner(w, len(lines), m.width, m.height)
		c.X, c.Y = left+c.X, top+inputRow
		cur = c
	}
	return centre(lines, w, m.width, m.height), cur
}

// nameColumn is the width of the rooms' name column, in terminal cells
// (a CJK name takes two a character): the widest name shown, at least as
// wide as its heading and at most what the screen spares.
func (m lobbyModel) nameColumn() int {
	w := len("room")
	for _, r := range m.rooms {
		w = max(w, ansi.StringWidth(string(r.Name)))
	}
	return min(w, 2*maxRoomRunes, max(len("room"), m.width-50))
}

// named reports whether any room's players are known by name.
func (m lobbyModel) named() bool {
	for _, r := range m.rooms {
		if len(r.Names)+len(r.Watchers) > 0 {
			return true
		}
	}
	return false
}

// whoLine names the players and spectators of a room, under its line.
func (m lobbyModel) whoLine(r view.RoomInfo) string {
	join := func(names []game.Text) string {
		parts := make([]string, len(names))
		for i, n := range names {
			parts[i] = string(n)
		}
		return strings.Join(parts, ", ")
	}
	var who []string
	if len(r.Names) > 0 {
		who = append(who, "playing: "+join(r.Names))
	}
	if len(r.Watchers) > 0 {
		who = append(who, "watching: "+join(r.Watchers))
	}
	if len(who) == 0 {
		return ""
	}
	return "    " + m.st.dim.Render(ansi.Truncate(strings.Join(who, " · "), max(10, m.width-8), "…"))
}

// roomLine is one room of the list.
func (m lobbyModel) roomLine(r view.RoomInfo, selected bool, nameCol int) string {
	st := m.st
	lock := ""
	if r.Locked {
		lock = "locked"
	}
	mode := r.Mode.String()
	if r.Mode == view.ModeServer {
		if r.Host != "" {
			mode += " · host " + string(r.Host)
		} else {
			mode += " · host unknown"
		}
	}
	line := fmt.Sprintf("%s %-6s %7d %8d  %s", fit(string(r.Name), nameCol), lock, r.Players, r.Spectators, mode)
	if !r.Compatible {
		line += "  incompatible: " + string(r.Reason)
	}
	cursor := "  "
	style := st.text
	switch {
	case !r.Compatible:
		style = st.greyed
	case selected:
		style = st.selected
	}
	if selected {
		cursor = st.accent.Render("▸ ")
	}
	return cursor + style.Render(line)
}
