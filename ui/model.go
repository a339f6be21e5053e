package ui

import (
	"io"

	"charm.land/bubbles/v2/key"
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

// RoomRequest is a room the lobby asks to play in.
type RoomRequest struct {
	Room, Secret string
	// Create: a room created with the lobby's form, with its options.
	Create bool
	// FirstTo: the kills that win a match in a created room; 0 is
	// drop-in play without matches.
	FirstTo int
}

// Config says how the UI starts.
type Config struct {
	Controller Controller // nil: start in the lobby
	Join       Joiner     // used by the lobby
	// Create starts the game for a room created in the lobby's form, with
	// its options (first to N kills); nil: Join, and the options are not
	// used. It must return at once, like Join.
	Create func(RoomRequest) (Controller, error)
	// Leave leaves the room for the lobby (the back-to-lobby key): the
	// room is told, then the lobby lists the rooms again. It may block
	// until the room is told. nil: the key does nothing.
	Leave func()
	// AskName: nobody has a name for the player yet (a first run as root):
	// the lobby asks for one before anything else and hands it to SetName;
	// then, with Room set, it joins Room with Secret.
	AskName bool
	SetName func(name string)
	Secret  string
	Room    string
	Version string
	NoColor bool // no colour at all: players told apart by glyphs
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
	room   string
	ctrl   Controller
	secret bool // joined with a secret typed in the lobby: a wrong one brings the lobby back
}

// leftMsg says the player left the room for the lobby.
type leftMsg struct {
	room        string
	retrySecret bool // the secret was wrong: ask it again
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

	room      string // the room of the arena
	secret    bool   // the arena's room was joined with a secret typed in the lobby
	leaving   bool   // Leave is under way: the arena waits for leftMsg
	lobbyKeys backKeyMap
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
	m := &Model{cfg: cfg, st: st, lobby: newLobbyModel(st, cfg), lobbyKeys: newBackKeyMap()}
	switch {
	case cfg.Controller != nil:
		m.screen = screenArena
		m.room = cfg.Room
		m.arena = newArenaModel(st, cfg, cfg.Controller, cfg.Room)
	case cfg.AskName:
		m.screen = screenLobby
		if cfg.Room != "" {
			m.lobby.then = &RoomRequest{Room: cfg.Room, Secret: cfg.Secret}
		}
		m.lobby.ask(promptPlayer, "", false)
	default:
		m.screen = screenLobby
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
		m.screen, m.room, m.secret, m.leaving = screenArena, msg.room, msg.secret, false
		m.lobby.joining = ""
		prev := m.arena
		m.arena = newArenaModel(m.st, m.cfg, msg.ctrl, msg.room)
		if prev.board != nil { // a room before this one: keep the player's p
			m.arena.predict = prev.predict
		}
		m.arena, _ = m.arena.Update(tea.WindowSizeMsg{Width: m.width, Height: m.height})
		return m, nil
	case leftMsg:
		return m, m.backInLobby(msg)
	case tea.KeyPressMsg:
		if m.screen == screenArena && !m.arena.chatting && !m.arena.confirmQuit && key.Matches(msg, m.lobbyKeys.Lobby) {
			return m, m.leave(false)
		}
	case RoomsMsg:
		m.lobby, cmd = m.lobby.Update(msg)
		return m, cmd
	case SnapshotMsg:
		if m.screen != screenArena || m.leaving {
			return m, nil // the last pictures of a room being left
		}
		if m.secret && wrongSecret(msg.Snapshot) {
			return m, m.leave(true)
		}
		m.arena, cmd = m.arena.Update(msg)
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

// leave leaves the arena's room for the lobby, once; retrySecret asks the
// room's secret again there.
func (m *Model) leave(retrySecret bool) tea.Cmd {
	if m.leaving || m.cfg.Leave == nil {
		return nil
	}
	m.leaving = true
	leave, room := m.cfg.Leave, m.room
	return func() tea.Msg {
		leave()
		return leftMsg{room: room, retrySecret: retrySecret}
	}
}

// backInLobby shows the lobby after the player left a room; the rooms
// come again from the program's lobby feeder.
func (m *Model) backInLobby(msg leftMsg) tea.Cmd {
	m.screen, m.leaving, m.secret = screenLobby, false, false
	m.lobby.joining, m.lobby.err = "", ""
	m.lobby, _ = m.lobby.Update(tea.WindowSizeMsg{Width: m.width, Height: m.height})
	cmds := []tea.Cmd{m.lobby.Init()}
	if msg.retrySecret {
		cmds = append(cmds, m.lobby.ask(promptSecret, msg.room, false))
		m.lobby.err = "wrong secret for " + msg.room + ": the players there cannot read you; try again"
	}
	return tea.Batch(cmds...)
}

// authDrop is the reason a peer counts packets that fail authentication
// under (net.DropAuth; ui does not import net).
const authDrop = "auth"

// wrongSecretDrops is how many packets that fail authentication, with
// nobody admitted, mean the secret typed is not the room's.
const wrongSecretDrops = 3

// wrongSecret reports whether snapshot s shows a room whose players seal
// their packets with another secret: they fail authentication, and nobody
// is admitted.
func wrongSecret(s view.Snapshot) bool {
	if len(s.Peers) > 0 {
		return false
	}
	for _, d := range s.Drops {
		if d.Reason == authDrop && d.Count >= wrongSecretDrops {
			return true
		}
	}
	return false
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
