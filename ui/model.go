package ui

import (
	"io"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"

	"lanarena/game"
	"lanarena/net/view"
)

// Controller is what the UI asks of the game. Every method must return at
// once: the UI calls them from Update, in the order of the keys pressed.
type Controller interface {
	Turn(d game.Dir)
	AddBot()
	RemoveBot()
	Say(text string)
}

// Joiner starts the game for a room chosen in the lobby. It must return at
// once; errors found later (a wrong secret, say) arrive as Snapshot.Notice.
type Joiner func(room, secret string) (Controller, error)

// Config says how the UI starts.
type Config struct {
	Controller Controller // nil: start in the lobby
	Join       Joiner     // used by the lobby
	Room       string
	Version    string
	NoColor    bool // no colour at all: players told apart by glyphs
	// Profile is the terminal's colour profile (see DetectProfile); the
	// zero value means 256 colours. Give the program the same one.
	Profile   colorprofile.Profile
	Spectator bool
	SSH       string // the command that lets others join over SSH, shown to all ("" for none)
}

// SnapshotMsg brings the latest picture of the game. Send it with
// tea.Program.Send from a pump goroutine, at most once per frame.
type SnapshotMsg struct{ view.Snapshot }

// RoomsMsg brings the rooms seen on the LAN, for the lobby.
type RoomsMsg struct {
	Rooms     []view.RoomInfo
	Searching bool   // still looking: the lobby shows a spinner
	Offline   string // why the LAN cannot be searched now ("" when it can)
}

// joinedMsg says the lobby's Joiner started the game for room.
type joinedMsg struct {
	room string
	ctrl Controller
}

// joinFailedMsg says the Joiner refused room.
type joinFailedMsg struct {
	room string
	err  error
}

type screen int

const (
	screenLobby screen = iota
	screenArena
)

// Model is the whole UI: the lobby until a room is joined, then the arena.
// *Model implements tea.Model; its views ask for the alternate screen.
// Update changes the model in place and returns it: a Model holds the
// bubbles' styles and key maps, tens of kilobytes that a value receiver
// would copy into a new interface value for every message.
type Model struct {
	cfg    Config
	st     *styles
	screen screen
	lobby  lobbyModel
	arena  arenaModel
	width  int
	height int
}

// DetectProfile is the colour profile of a terminal from its environment
// alone: it never asks the terminal anything, so nothing waits for an
// answer that may not come. TrueColor is capped at 256 colours: twelve
// player colours need no more, and 24-bit escapes nearly double the bytes
// of every changed cell.
func DetectProfile(out io.Writer, environ []string) colorprofile.Profile {
	return min(colorprofile.Detect(out, environ), colorprofile.ANSI256)
}

// New returns the UI for cfg: in cfg.Profile, or without colour if
// cfg.NoColor.
func New(cfg Config) *Model {
	p := cfg.Profile
	switch {
	case cfg.NoColor:
		p = colorprofile.ASCII
	case p == colorprofile.Unknown:
		p = colorprofile.ANSI256
	}
	st := newStyles(p)
	m := &Model{cfg: cfg, st: st}
	if cfg.Controller != nil {
		m.screen = screenArena
		m.arena = newArenaModel(st, cfg, cfg.Controller, cfg.Room)
	} else {
		m.screen = screenLobby
		m.lobby = newLobbyModel(st, cfg)
	}
	return m
}

// Init starts the lobby's spinner.
func (m *Model) Init() tea.Cmd {
	if m.screen == screenLobby {
		return m.lobby.Init()
	}
	return nil
}

// Update routes msg to the screen it concerns.
func (m *Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	var cmd tea.Cmd
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.width, m.height = msg.Width, msg.Height
		if m.screen == screenArena {
			m.arena, _ = m.arena.Update(msg)
		} else {
			m.lobby, _ = m.lobby.Update(msg)
		}
		return m, nil
	case joinedMsg:
		m.screen = screenArena
		m.arena = newArenaModel(m.st, m.cfg, msg.ctrl, msg.room)
		m.arena, _ = m.arena.Update(tea.WindowSizeMsg{Width: m.width, Height: m.height})
		return m, nil
	case RoomsMsg:
		m.lobby, cmd = m.lobby.Update(msg)
		return m, cmd
	case SnapshotMsg:
		if m.screen == screenArena {
			m.arena, cmd = m.arena.Update(msg)
		}
		return m, cmd
	}
	switch m.screen {
	case screenLobby:
		m.lobby, cmd = m.lobby.Update(msg)
	case screenArena:
		m.arena, cmd = m.arena.Update(msg)
	}
	return m, cmd
}

// View draws the current screen on the alternate screen. The content is
// the frame drawn in Update, the same string until something changes, so
// the renderer finds an unchanged screen at once and writes nothing.
func (m *Model) View() tea.View {
	var v tea.View
	if m.screen == screenLobby {
		v.Content, v.Cursor = m.lobby.View()
	} else {
		v.Content, v.Cursor = m.arena.View()
	}
	v.AltScreen = true
	return v
}
