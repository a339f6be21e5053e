package ui

import (
	"bytes"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/charmbracelet/x/exp/teatest/v2"

	"lanarena/game"
)

// syncController is a fakeController that the program's goroutine and the
// test may share.
type syncController struct {
	mu sync.Mutex
	fakeController
}

func (c *syncController) Turn(d game.Dir) { c.mu.Lock(); defer c.mu.Unlock(); c.fakeController.Turn(d) }
func (c *syncController) AddBot()         { c.mu.Lock(); defer c.mu.Unlock(); c.fakeController.AddBot() }
func (c *syncController) RemoveBot()      { c.mu.Lock(); defer c.mu.Unlock(); c.fakeController.RemoveBot() }
func (c *syncController) Say(text string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.fakeController.Say(text)
}
func (c *syncController) String() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.fakeController.String()
}

func waitFor(t *testing.T, tm *teatest.TestModel, text string) {
	t.Helper()
	teatest.WaitFor(t, tm.Output(), func(b []byte) bool { return bytes.Contains(b, []byte(text)) },
		teatest.WithDuration(5*time.Second), teatest.WithCheckInterval(10*time.Millisecond))
}

// TestProgramArena runs the UI in a real bubbletea program, as the cmd
// does: snapshots sent in, keys typed, quit.
func TestProgramArena(t *testing.T) {
	ctrl := &syncController{}
	tm := teatest.NewTestModel(t, New(Config{Controller: ctrl, Room: "den"}), teatest.WithInitialTermSize(80, 24))
	tm.Send(SnapshotMsg{testSnapshot(t, game.DefaultParams(), 4, 40)})
	waitFor(t, tm, "tick 30")
	tm.Send(keyMsg("up"))
	tm.Type("b")
	tm.Send(keyMsg("t"))
	tm.Type("hi")
	tm.Send(keyMsg("enter"))
	tm.Send(keyMsg("q")) // you ride: q asks first
	tm.Send(keyMsg("y"))
	tm.WaitFinished(t, teatest.WithFinalTimeout(5*time.Second))
	if got, want := ctrl.String(), "turn up, add bot, say hi"; got != want {
		t.Errorf("calls %q, want %q", got, want)
	}
	if _, ok := tm.FinalModel(t).(*Model); !ok {
		t.Errorf("final model is %T", tm.FinalModel(t))
	}
}

// TestProgramLobbyToArena joins a room from the lobby through the real
// program loop: the Joiner's command runs and the arena takes over.
func TestProgramLobbyToArena(t *testing.T) {
	ctrl := &syncController{}
	var mu sync.Mutex
	var joined []string
	join := func(room, secret string) (Controller, error) {
		mu.Lock()
		defer mu.Unlock()
		joined = append(joined, room+"/"+secret)
		return ctrl, nil
	}
	tm := teatest.NewTestModel(t, New(Config{Join: join}), teatest.WithInitialTermSize(80, 24))
	tm.Send(RoomsMsg{Rooms: lanRooms, Searching: true})
	waitFor(t, tm, "incompatible: protocol v2")
	tm.Send(keyMsg("enter"))
	snap := testSnapshot(t, game.DefaultParams(), 4, 33)
	// The cmd's pump starts sending once Join returned; keep sending
	// until the arena shows it.
	teatest.WaitFor(t, tm.Output(), func(b []byte) bool {
		tm.Send(SnapshotMsg{snap})
		return bytes.Contains(b, []byte("tick 30")) // the tick shown moves once a second
	}, teatest.WithDuration(5*time.Second), teatest.WithCheckInterval(20*time.Millisecond))
	tm.Send(keyMsg("ctrl+c"))
	tm.WaitFinished(t, teatest.WithFinalTimeout(5*time.Second))
	mu.Lock()
	defer mu.Unlock()
	if got, want := strings.Join(joined, ","), "den/"; got != want {
		t.Errorf("Join calls %q, want %q", got, want)
	}
	m := tm.FinalModel(t).(*Model)
	if m.screen != screenArena {
		t.Error("program still in the lobby")
	}
}
