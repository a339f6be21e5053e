package ui

import (
	"errors"
	"slices"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/ansi"

	"lanarena/game"
	"lanarena/net/view"
)

// fakeJoiner records the rooms it was asked for.
type fakeJoiner struct {
	calls []string
	ctrl  *fakeController
	err   error
}

func (j *fakeJoiner) join(room, secret string) (Controller, error) {
	j.calls = append(j.calls, room+"/"+secret)
	if j.err != nil {
		return nil, j.err
	}
	return j.ctrl, nil
}

var lanRooms = []view.RoomInfo{
	{Name: "den", Players: 3, Mode: view.ModeP2P, Compatible: true},
	{Name: "lab", Players: 1, Mode: view.ModeServer, Host: "alice", Locked: true, Compatible: true},
	{Name: "old", Players: 2, Mode: view.ModeP2P, Compatible: false, Reason: "protocol v2"},
}

func lobbyAt(t *testing.T, j *fakeJoiner, w, h int) *Model {
	t.Helper()
	m := newModel(Config{Join: j.join, Version: "v0.1.0"}, colorprofile.ASCII)
	if m.Init() == nil {
		t.Error("lobby Init: no spinner tick")
	}
	m, _ = send(t, m, tea.WindowSizeMsg{Width: w, Height: h})
	return m
}

// runCmd runs the command the lobby returned and feeds its message back.
func runCmd(t *testing.T, m *Model, cmd tea.Cmd) *Model {
	t.Helper()
	if cmd == nil {
		t.Fatal("no command")
	}
	m, _ = send(t, m, cmd())
	return m
}

func TestLobbyListsRooms(t *testing.T) {
	m := lobbyAt(t, &fakeJoiner{}, 80, 24)
	if got := m.View().Content; !strings.Contains(got, "looking for rooms on the LAN…") {
		t.Errorf("no searching line:\n%s", got)
	}
	m, _ = send(t, m, RoomsMsg{Rooms: lanRooms, Searching: true})
	view := m.View().Content
	checkFits(t, view, 80, 24)
	for _, want := range []string{
		"LANARENA", "v0.1.0", "looking for rooms on the LAN…",
		"▸ den", "3        0  p2p",
		"lab", "locked", "server · host alice",
		"old", "incompatible: protocol v2",
	} {
		if !strings.Contains(view, want) {
			t.Errorf("lobby lacks %q:\n%s", want, view)
		}
	}
	m, _ = send(t, m, RoomsMsg{Rooms: nil, Searching: false})
	if got := m.View().Content; !strings.Contains(got, "no rooms found") {
		t.Errorf("empty lobby:\n%s", got)
	}
}

func TestLobbyGreysIncompatibleRooms(t *testing.T) {
	m := newModel(Config{}, colorprofile.TrueColor)
	m, _ = send(t, m, tea.WindowSizeMsg{Width: 100, Height: 30}, RoomsMsg{Rooms: lanRooms})
	st := newStyles(colorprofile.TrueColor)
	grey, _, _ := strings.Cut(st.greyed.Render("X"), "X")
	if view := m.View().Content; !strings.Contains(view, grey+"old") {
		t.Errorf("incompatible room not greyed:\n%q", view)
	}
}

func TestLobbyJoin(t *testing.T) {
	j := &fakeJoiner{ctrl: &fakeController{}}
	m := lobbyAt(t, j, 80, 24)
	m, _ = send(t, m, RoomsMsg{Rooms: lanRooms})
	m, cmd := send(t, m, keyMsg("enter"))
	if got := m.View().Content; !strings.Contains(got, "joining den…") {
		t.Errorf("while joining:\n%s", got)
	}
	m = runCmd(t, m, cmd)
	if got, want := strings.Join(j.calls, ","), "den/"; got != want {
		t.Errorf("Join calls %q, want %q", got, want)
	}
	if m.screen != screenArena {
		t.Fatal("still in the lobby after a successful join")
	}
	// The arena now plays through the returned controller.
	m, _ = send(t, m, keyMsg("up"))
	if got, want := j.ctrl.String(), "turn up"; got != want {
		t.Errorf("arena after join: calls %q, want %q", got, want)
	}
	if got := m.View().Content; !strings.Contains(got, "joining den…") {
		t.Errorf("arena before its first snapshot:\n%s", got)
	}
}

func TestLobbyCursor(t *testing.T) {
	j := &fakeJoiner{ctrl: &fakeController{}}
	m := lobbyAt(t, j, 80, 24)
	// Until the player moves, the cursor follows the first (busiest) room.
	m, _ = send(t, m, RoomsMsg{Rooms: []view.RoomInfo{{Name: "arena", Mode: view.ModeP2P, Compatible: true}}})
	m, _ = send(t, m, RoomsMsg{Rooms: append(slices.Clone(lanRooms), view.RoomInfo{Name: "arena", Mode: view.ModeP2P, Compatible: true})})
	if !strings.Contains(m.View().Content, "▸ den") {
		t.Fatalf("cursor not on the busiest room:\n%s", m.View().Content)
	}
	// Rooms keep the order they arrive in.
	if v := m.View().Content; strings.Index(v, "den") > strings.Index(v, "lab") || strings.Index(v, "lab") > strings.Index(v, "old") {
		t.Errorf("rooms not in the order given:\n%s", v)
	}
	m, _ = send(t, m, keyMsg("j"), keyMsg("down"), keyMsg("down"), keyMsg("k"), keyMsg("k"))
	if !strings.Contains(m.View().Content, "▸ lab") {
		t.Fatalf("cursor not on lab:\n%s", m.View().Content)
	}
	// Once moved, a new list keeps the cursor on the same room.
	m, _ = send(t, m, RoomsMsg{Rooms: append([]view.RoomInfo{{Name: "aaa", Mode: view.ModeP2P, Compatible: true}}, lanRooms...)})
	if !strings.Contains(m.View().Content, "▸ lab") {
		t.Errorf("cursor moved off lab when the list changed:\n%s", m.View().Content)
	}
	m, _ = send(t, m, keyMsg("up"), keyMsg("up"), keyMsg("up"), keyMsg("up"))
	if !strings.Contains(m.View().Content, "▸ aaa") {
		t.Errorf("cursor not on top:\n%s", m.View().Content)
	}
}

func TestLobbyLockedRoomAsksTheSecret(t *testing.T) {
	j := &fakeJoiner{ctrl: &fakeController{}}
	m := lobbyAt(t, j, 80, 24)
	m, _ = send(t, m, RoomsMsg{Rooms: lanRooms}, keyMsg("down"))
	m, _ = send(t, m, keyMsg("enter"))
	if got := m.View().Content; !strings.Contains(got, "secret for lab") {
		t.Fatalf("no secret prompt:\n%s", got)
	}
	if len(j.calls) != 0 {
		t.Fatalf("joined before the secret: %v", j.calls)
	}
	// An empty secret is refused at once.
	m, _ = send(t, m, keyMsg("enter"))
	if got := m.View().Content; !strings.Contains(got, "lab is locked: type its secret") {
		t.Errorf("empty secret:\n%s", got)
	}
	m, _ = send(t, m, typeText("hunter2")...)
	if got := m.View().Content; strings.Contains(got, "hunter2") {
		t.Errorf("secret echoed:\n%s", got)
	}
	m, cmd := send(t, m, keyMsg("enter"))
	m = runCmd(t, m, cmd)
	if got, want := strings.Join(j.calls, ","), "lab/hunter2"; got != want {
		t.Errorf("Join calls %q, want %q", got, want)
	}
	if m.screen != screenArena {
		t.Error("still in the lobby")
	}
}

func TestLobbyEscClosesPrompt(t *testing.T) {
	j := &fakeJoiner{}
	m := lobbyAt(t, j, 80, 24)
	m, _ = send(t, m, RoomsMsg{Rooms: lanRooms}, keyMsg("down"), keyMsg("enter"), keyMsg("esc"))
	if got := m.View().Content; strings.Contains(got, "secret for") {
		t.Errorf("prompt still open after esc:\n%s", got)
	}
	// q in a prompt is a letter, not quit.
	m, cmd := send(t, m, keyMsg("n"), keyMsg("q"))
	if isQuit(cmd) {
		t.Error("q in the name prompt quit")
	}
	if got := m.View().Content; !strings.Contains(got, "room name: q") {
		t.Errorf("q not typed:\n%s", got)
	}
}

func TestLobbyCreateRoom(t *testing.T) {
	j := &fakeJoiner{ctrl: &fakeController{}}
	m := lobbyAt(t, j, 80, 24)
	m, _ = send(t, m, RoomsMsg{Rooms: lanRooms, Searching: true}, keyMsg("n"))
	if got := m.View().Content; !strings.Contains(got, "new room") {
		t.Fatalf("no name prompt:\n%s", got)
	}
	// An empty name is refused.
	m, _ = send(t, m, keyMsg("enter"))
	if got := m.View().Content; !strings.Contains(got, "a room needs a name") {
		t.Errorf("empty name:\n%s", got)
	}
	m, _ = send(t, m, typeText("  my   room ")...)
	m, _ = send(t, m, keyMsg("enter"))
	if got := m.View().Content; !strings.Contains(got, "secret for my room") {
		t.Fatalf("no secret prompt for the new room:\n%s", got)
	}
	// No secret: an open room; no first-to: drop-in play.
	m, _ = send(t, m, keyMsg("enter"))
	if got := m.View().Content; !strings.Contains(got, "first to:") {
		t.Fatalf("no first-to prompt for the new room:\n%s", got)
	}
	m, cmd := send(t, m, keyMsg("enter"))
	m = runCmd(t, m, cmd)
	if got, want := strings.Join(j.calls, ","), "my room/"; got != want {
		t.Errorf("Join calls %q, want %q", got, want)
	}
	if m.screen != screenArena {
		t.Error("still in the lobby")
	}
}

func TestLobbyCreateLockedRoom(t *testing.T) {
	j := &fakeJoiner{ctrl: &fakeController{}}
	m := lobbyAt(t, j, 80, 24)
	m, _ = send(t, m, keyMsg("n"))
	m, _ = send(t, m, typeText("vault")...)
	m, _ = send(t, m, keyMsg("enter"))
	m, _ = send(t, m, typeText("s3cret")...)
	m, _ = send(t, m, keyMsg("enter"))
	_, cmd := send(t, m, keyMsg("enter"))
	runCmd(t, m, cmd)
	if got, want := strings.Join(j.calls, ","), "vault/s3cret"; got != want {
		t.Errorf("Join calls %q, want %q", got, want)
	}
}

func TestLobbyJoinError(t *testing.T) {
	j := &fakeJoiner{err: errors.New("room den is full")}
	m := lobbyAt(t, j, 80, 24)
	m, _ = send(t, m, RoomsMsg{Rooms: lanRooms})
	m, cmd := send(t, m, keyMsg("enter"))
	m = runCmd(t, m, cmd)
	if m.screen != screenLobby {
		t.Fatal("left the lobby after a failed join")
	}
	view := m.View().Content
	if !strings.Contains(view, "could not join den: room den is full") {
		t.Errorf("join error not shown:\n%s", view)
	}
	if strings.Contains(view, "joining den") {
		t.Errorf("still joining after the error:\n%s", view)
	}
}

func TestLobbyIncompatibleRoom(t *testing.T) {
	j := &fakeJoiner{}
	m := lobbyAt(t, j, 80, 24)
	m, _ = send(t, m, RoomsMsg{Rooms: lanRooms}, keyMsg("down"), keyMsg("down"))
	m, cmd := send(t, m, keyMsg("enter"))
	if cmd != nil {
		t.Error("joining an incompatible room started")
	}
	if got := m.View().Content; !strings.Contains(got, "cannot join old: protocol v2") {
		t.Errorf("no reason given:\n%s", got)
	}
	if len(j.calls) != 0 {
		t.Errorf("Join called: %v", j.calls)
	}
}

func TestLobbyNoJoiner(t *testing.T) {
	m := newModel(Config{}, colorprofile.ASCII)
	m, _ = send(t, m, tea.WindowSizeMsg{Width: 80, Height: 24}, RoomsMsg{Rooms: lanRooms})
	m, cmd := send(t, m, keyMsg("enter"))
	m = runCmd(t, m, cmd)
	if got := m.View().Content; !strings.Contains(got, "could not join den: joining is not available") {
		t.Errorf("got\n%s", got)
	}
}

func TestLobbyQuit(t *testing.T) {
	for _, k := range []string{"q", "ctrl+c"} {
		m := lobbyAt(t, &fakeJoiner{}, 80, 24)
		_, cmd := send(t, m, keyMsg(k))
		if !isQuit(cmd) {
			t.Errorf("%s: command is not tea.Quit", k)
		}
	}
}

func TestLobbyHostileRoomNames(t *testing.T) {
	const evil = "\x1b]0;pwn\x07\x1b[2J"
	m := lobbyAt(t, &fakeJoiner{}, 100, 30)
	m, _ = send(t, m, RoomsMsg{Rooms: []view.RoomInfo{
		// The peer layer cleans what mDNS brings (net.Rooms) into game.Text.
		{Name: game.Clean(evil+"den", game.MaxRoomRunes), Mode: view.ModeServer, Host: game.CleanName(evil + "eve"),
			Compatible: false, Reason: game.Clean(evil+"protocol v9", 48)},
	}})
	view := m.View().Content
	if strings.ContainsRune(view, 0x1b) || strings.Contains(view, "pwn") {
		t.Errorf("hostile room reached the terminal: %q", view)
	}
	if !strings.Contains(ansi.Strip(view), "den") {
		t.Errorf("room missing:\n%s", view)
	}
}

func TestLobbyKeysMoveTheCursor(t *testing.T) {
	m := lobbyAt(t, &fakeJoiner{}, 80, 24)
	m, _ = send(t, m, RoomsMsg{Rooms: lanRooms}, keyMsg("j"), keyMsg("j"))
	if !strings.Contains(m.View().Content, "▸ old") {
		t.Errorf("\"jj\" did not move twice:\n%s", m.View().Content)
	}
}
