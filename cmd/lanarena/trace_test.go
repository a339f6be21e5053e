package main

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"lanarena/game"
	gamenet "lanarena/net"
	"lanarena/net/view"
)

// TestTraceLine writes the V record of a snapshot with an own cycle, a
// remote one drawn ahead by its prediction and a dead one (left out).
func TestTraceLine(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	st := game.New(game.DefaultParams())
	for _, id := range []game.PlayerID{1, 2, 3} {
		if _, err := st.Join(id, "p", 0, true, rng); err != nil {
			t.Fatal(err)
		}
	}
	st.Cycle(3).Alive = false
	a := st.View()
	own, other := a.Cycle(1), a.Cycle(2)
	ahead := game.Point{X: other.Head.X + 2, Y: other.Head.Y}
	s := gamenet.Snapshot{Arena: a, Self: 1, Predictions: []view.Prediction{{ID: 2, Heard: other.Head, Head: ahead, Ahead: 2}}}
	at := time.Unix(1, 500)
	got := string(traceLine(nil, s, at))
	want := fmt.Sprintf("V 1000000500 1 %d %d 1 %d %d %d 2:%d:%d:%d,%d:%d,%d\n", a.Tick, own.Life, b2u(own.Ready > 0), own.Head.X, own.Head.Y,
		other.Life, b2u(other.Ready > 0), other.Head.X, other.Head.Y, ahead.X, ahead.Y)
	if got != want {
		t.Errorf("got  %q\nwant %q", got, want)
	}
}

// TestTraceFile checks the records a tracer writes, and that it writes
// nothing once closed.
func TestTraceFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "trace.txt")
	tr, err := openTrace(path)
	if err != nil {
		t.Fatal(err)
	}
	at := time.Unix(2, 0)
	tr.Stepped(1, 10, game.Point{X: 3, Y: 4}, true, at)
	tr.Applied(1, 2, 20, game.Point{X: 5, Y: 6}, false, at)
	tr.snapshot(gamenet.Snapshot{Self: 1, Peers: []view.PeerStats{{LastSeen: at.Add(-time.Second), Age: time.Second}}})
	if err := tr.close(); err != nil {
		t.Fatal(err)
	}
	tr.snapshot(gamenet.Snapshot{Self: 1})
	if err := tr.close(); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	want := []string{
		"S 2000000000 1 10 1 3 4",
		"A 2000000000 1 2 20 0 5 6",
		"V 2000000000 1 0 0 0 0 0 0", // the snapshot's instant: LastSeen + Age
	}
	if len(lines) != 4 || !strings.HasPrefix(lines[0], "# lanarena trace 1 pid=") || strings.Join(lines[1:], "|") != strings.Join(want, "|") {
		t.Errorf("trace:\n%s", b)
	}
}
