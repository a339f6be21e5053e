package ui

import (
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"

	"lanarena/game"
	gamenet "lanarena/net"
	"lanarena/net/view"
)

// The lobby names who plays and who watches in each room.
func TestLobbyNamesPlayersAndSpectators(t *testing.T) {
	m := lobbyAt(t, &fakeJoiner{}, 80, 24)
	m, _ = send(t, m, RoomsMsg{Rooms: []view.RoomInfo{{
		Name: "den", Players: 2, Spectators: 1, Mode: view.ModeP2P, Compatible: true,
		Names: []game.Text{"ann", "bob"}, Watchers: []game.Text{"cid"},
	}}})
	v := m.View().Content
	checkFits(t, v, 80, 24)
	for _, want := range []string{"players watching", "2        1  p2p", "playing: ann, bob · watching: cid"} {
		if !strings.Contains(v, want) {
			t.Errorf("lobby lacks %q:\n%s", want, v)
		}
	}
}

// The create form asks how many kills win a match, and hands the answer
// to Create with the room's name and secret.
func TestLobbyCreateAsksFirstTo(t *testing.T) {
	var got []RoomRequest
	create := func(r RoomRequest) (Controller, error) {
		got = append(got, r)
		return &fakeController{}, nil
	}
	j := &fakeJoiner{ctrl: &fakeController{}}
	m := newModel(Config{Join: j.join, Create: create}, colorprofile.ASCII)
	m, _ = send(t, m, tea.WindowSizeMsg{Width: 80, Height: 24}, keyMsg("n"))
	m, _ = send(t, m, typeText("duel")...)
	m, _ = send(t, m, keyMsg("enter"), keyMsg("enter")) // open room
	m, _ = send(t, m, typeText("x")...)
	m, _ = send(t, m, keyMsg("enter"))
	if v := m.View().Content; !strings.Contains(v, "first to: a number of kills") {
		t.Fatalf("a first-to of x was taken:\n%s", v)
	}
	m, _ = send(t, m, keyMsg("backspace"))
	m, _ = send(t, m, typeText("10")...)
	m, cmd := send(t, m, keyMsg("enter"))
	m = runCmd(t, m, cmd)
	if len(got) != 1 || got[0] != (RoomRequest{Room: "duel", Create: true, FirstTo: 10}) {
		t.Errorf("Create got %+v, want duel, first to 10", got)
	}
	if len(j.calls) != 0 || m.screen != screenArena {
		t.Errorf("Join calls %v, screen %v: want Create's room played", j.calls, m.screen)
	}
}

// A first run without a name asks for one, hands it over, then joins the
// room given on the command line.
func TestFirstRunAsksTheName(t *testing.T) {
	var names []string
	j := &fakeJoiner{ctrl: &fakeController{}}
	m := newModel(Config{Join: j.join, AskName: true, SetName: func(n string) { names = append(names, n) }, Room: "lab", Secret: "s"}, colorprofile.ASCII)
	m, _ = send(t, m, tea.WindowSizeMsg{Width: 80, Height: 24})
	if v := m.View().Content; !strings.Contains(v, "what is your name?") || !strings.Contains(v, "your name:") {
		t.Fatalf("no name prompt:\n%s", v)
	}
	m, _ = send(t, m, keyMsg("esc"), keyMsg("enter"))
	if v := m.View().Content; !strings.Contains(v, "type a name") || len(names) != 0 {
		t.Fatalf("esc or an empty name left the prompt (names %v):\n%s", names, v)
	}
	m, _ = send(t, m, typeText("Ada")...)
	m, cmd := send(t, m, keyMsg("enter"))
	m = runCmd(t, m, cmd)
	if len(names) != 1 || names[0] != "Ada" {
		t.Errorf("SetName got %v, want Ada", names)
	}
	if got := strings.Join(j.calls, ","); got != "lab/s" || m.screen != screenArena {
		t.Errorf("Join calls %q, screen %v: want lab with its secret, then the arena", got, m.screen)
	}
}

// leaveRecorder is a Config.Leave that counts its calls.
type leaveRecorder struct{ n int }

func (l *leaveRecorder) leave() { l.n++ }

// The back-to-lobby key leaves the room, shows the lobby, and another
// room can be joined from there.
// inFirstRoom is a model that has joined the first room of its lobby at
// 80×24, with the joiner and the leave recorder it uses.
func inFirstRoom(t *testing.T) (*Model, *fakeJoiner, *leaveRecorder) {
	t.Helper()
	left := &leaveRecorder{}
	j := &fakeJoiner{ctrl: &fakeController{}}
	m := newModel(Config{Join: j.join, Leave: left.leave}, colorprofile.ASCII)
	m, _ = send(t, m, tea.WindowSizeMsg{Width: 80, Height: 24}, RoomsMsg{Rooms: lanRooms})
	m, cmd := send(t, m, keyMsg("enter"))
	m = runCmd(t, m, cmd)
	if m.screen != screenArena {
		t.Fatal("not in the arena")
	}
	return m, j, left
}

func TestBackToTheLobby(t *testing.T) {
	m, j, left := inFirstRoom(t)
	var cmd tea.Cmd
	// While a chat line is typed, L is a letter.
	m, _ = send(t, m, keyMsg("t"))
	m, cmd = send(t, m, keyMsg("L"))
	if cmd != nil && left.n == 0 {
		if _, ok := cmd().(leftMsg); ok {
			t.Fatal("L in a chat line left the room")
		}
	}
	m, _ = send(t, m, keyMsg("esc"))
	m, cmd = send(t, m, keyMsg("L"))
	if cmd == nil {
		t.Fatal("L did nothing")
	}
	if _, again := send(t, m, keyMsg("L")); again != nil {
		t.Error("a second L while leaving left again")
	}
	m = runCmd(t, m, cmd)
	if left.n != 1 || m.screen != screenLobby {
		t.Fatalf("Leave called %d times, screen %v: want once, the lobby", left.n, m.screen)
	}
	m, _ = send(t, m, RoomsMsg{Rooms: lanRooms})
	if v := m.View().Content; !strings.Contains(v, "3 rooms found") || strings.Contains(v, "joining") {
		t.Errorf("lobby after leaving:\n%s", v)
	}
	m, cmd = send(t, m, keyMsg("enter"))
	m = runCmd(t, m, cmd)
	if m.screen != screenArena || len(j.calls) != 2 {
		t.Errorf("screen %v, Join calls %v: want a second room joined", m.screen, j.calls)
	}
}

// The player's choice of prediction (p) holds in the next room joined.
func TestPredictionChoiceKeptAcrossRooms(t *testing.T) {
	m, _, _ := inFirstRoom(t)
	var cmd tea.Cmd
	if !m.arena.predict {
		t.Fatal("prediction off in the first room")
	}
	m, _ = send(t, m, keyMsg("p"))
	m, cmd = send(t, m, keyMsg("L"))
	m = runCmd(t, m, cmd)
	m, _ = send(t, m, RoomsMsg{Rooms: lanRooms})
	m, cmd = send(t, m, keyMsg("enter"))
	m = runCmd(t, m, cmd)
	if m.screen != screenArena || m.arena.predict {
		t.Errorf("screen %v, prediction %v in the next room: want the arena, off as chosen", m.screen, m.arena.predict)
	}
}

// A secret the room's players do not share brings the lobby back with
// its secret prompt; the right one then joins.
func TestWrongSecretIsAskedAgain(t *testing.T) {
	var left leaveRecorder
	j := &fakeJoiner{ctrl: &fakeController{}}
	m := newModel(Config{Join: j.join, Leave: left.leave}, colorprofile.ASCII)
	m, _ = send(t, m, tea.WindowSizeMsg{Width: 80, Height: 24}, RoomsMsg{Rooms: lanRooms}, keyMsg("down"), keyMsg("enter"))
	m, _ = send(t, m, typeText("wrong")...)
	m, cmd := send(t, m, keyMsg("enter"))
	m = runCmd(t, m, cmd)
	// A room that answers: an auth drop from a stranger changes nothing.
	peers := []view.PeerStats{{ID: 2, Name: "alice"}}
	auth := func(n uint64) []view.DropCount { return []view.DropCount{{Reason: "auth", Count: n}} }
	if _, cmd := send(t, m, SnapshotMsg{view.Snapshot{Room: "lab", Peers: peers, Drops: auth(9)}}); cmd != nil || m.screen != screenArena {
		t.Fatal("left a room whose players answer")
	}
	_, cmd = send(t, m, SnapshotMsg{view.Snapshot{Room: "lab", Drops: auth(1)}})
	if cmd != nil {
		t.Fatal("one failed packet is not yet a wrong secret")
	}
	m, cmd = send(t, m, SnapshotMsg{view.Snapshot{Room: "lab", Drops: auth(wrongSecretDrops)}})
	m = runCmd(t, m, cmd)
	if left.n != 1 || m.screen != screenLobby {
		t.Fatalf("Leave called %d times, screen %v: want the lobby back", left.n, m.screen)
	}
	v := m.View().Content
	if !strings.Contains(v, "wrong secret for lab") || !strings.Contains(v, "secret for lab") {
		t.Errorf("no second chance at the secret:\n%s", v)
	}
	m, _ = send(t, m, typeText("right")...)
	m, cmd = send(t, m, keyMsg("enter"))
	runCmd(t, m, cmd)
	if got := strings.Join(j.calls, ","); got != "lab/wrong,lab/right" {
		t.Errorf("Join calls %q, want the wrong secret then the right one", got)
	}
}

// An incompatible room's reason is shown whole at 80 columns, down to the
// flags that fix it.
func TestLobbyIncompatibleReasonWraps(t *testing.T) {
	reason := game.Text("arena 80x40 at 20/s, mode server; yours 56x40 at 15/s, mode p2p (--width 80 --tick 20 --mode server)")
	m := lobbyAt(t, &fakeJoiner{}, 80, 24)
	m, _ = send(t, m, RoomsMsg{Rooms: []view.RoomInfo{{Name: "big", Players: 1, Mode: view.ModeServer, Reason: reason}}}, keyMsg("enter"))
	v := m.View().Content
	checkFits(t, v, 80, 24)
	if !strings.Contains(v, "--width 80 --tick 20 --mode server)") || !strings.Contains(v, "cannot join big:") {
		t.Errorf("reason cut:\n%s", v)
	}
}

func TestAuthDropIsNetsReason(t *testing.T) {
	if authDrop != string(gamenet.DropAuth) {
		t.Errorf("ui reads wrong secrets from drops %q, net counts them as %q", authDrop, gamenet.DropAuth)
	}
}
