package ui

import (
	"fmt"
	"math/rand/v2"
	"net/netip"
	"reflect"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"

	"lanarena/game"
	"lanarena/net/view"
)

// fakeController records what the UI asked of the game.
type fakeController struct{ calls []string }

func (f *fakeController) Turn(d game.Dir) { f.calls = append(f.calls, "turn "+d.String()) }
func (f *fakeController) AddBot()         { f.calls = append(f.calls, "add bot") }
func (f *fakeController) RemoveBot()      { f.calls = append(f.calls, "remove bot") }
func (f *fakeController) Say(text string) { f.calls = append(f.calls, "say "+text) }
func (f *fakeController) String() string  { return strings.Join(f.calls, ", ") }
func (f *fakeController) reset()          { f.calls = nil }

// keyMsg is the message bubbletea sends for a key, named as key.Binding
// names it: "up", "enter", "ctrl+c", "B", "x".
func keyMsg(k string) tea.KeyPressMsg {
	switch k {
	case "up":
		return tea.KeyPressMsg{Code: tea.KeyUp}
	case "down":
		return tea.KeyPressMsg{Code: tea.KeyDown}
	case "left":
		return tea.KeyPressMsg{Code: tea.KeyLeft}
	case "right":
		return tea.KeyPressMsg{Code: tea.KeyRight}
	case "enter":
		return tea.KeyPressMsg{Code: tea.KeyEnter}
	case "esc":
		return tea.KeyPressMsg{Code: tea.KeyEscape}
	case "ctrl+c":
		return tea.KeyPressMsg{Code: 'c', Mod: tea.ModCtrl}
	case "backspace":
		return tea.KeyPressMsg{Code: tea.KeyBackspace}
	case " ":
		return tea.KeyPressMsg{Code: tea.KeySpace, Text: " "}
	}
	r := []rune(k)
	if len(r) != 1 {
		panic("keyMsg: one key at a time: " + k)
	}
	return tea.KeyPressMsg{Code: r[0], Text: k}
}

// newModel is New with a fixed colour profile.
func newModel(cfg Config, p colorprofile.Profile) *Model {
	cfg.Profile = p
	return New(cfg)
}

// typeText is the key messages of typing s.
func typeText(s string) []tea.Msg {
	var msgs []tea.Msg
	for _, r := range s {
		msgs = append(msgs, keyMsg(string(r)))
	}
	return msgs
}

// send feeds msgs to m one by one and returns the model and the last
// command.
func send(t testing.TB, m *Model, msgs ...tea.Msg) (*Model, tea.Cmd) {
	t.Helper()
	var cmd tea.Cmd
	for _, msg := range msgs {
		var tm tea.Model
		tm, cmd = m.Update(msg)
		m = tm.(*Model)
	}
	return m, cmd
}

// arenaAt is an arena screen of w×h at profile p showing snap.
func arenaAt(t testing.TB, ctrl Controller, p colorprofile.Profile, w, h int, snap view.Snapshot) *Model {
	t.Helper()
	m := newModel(Config{Controller: ctrl, Room: string(snap.Room), Version: "test"}, p)
	m, _ = send(t, m, tea.WindowSizeMsg{Width: w, Height: h}, SnapshotMsg{snap})
	return m
}

// ride steps s n ticks, turning the local cycles now and then and away
// from walls and trails, with a seeded source: the same trails every run.
func ride(s *game.State, n int, rng *rand.Rand) {
	for range n {
		for _, id := range s.IDs() {
			c := s.Cycle(id)
			if !c.Alive || !s.IsLocal(id) {
				continue
			}
			left, right := (c.Dir+3)%4, (c.Dir+1)%4
			ahead := s.Run(c.Head, c.Dir, 4)
			if ahead < 3 || rng.IntN(9) == 0 {
				l, r := s.Run(c.Head, left, 40), s.Run(c.Head, right, 40)
				switch {
				case l > r && l > ahead:
					s.Turn(id, left)
				case r > ahead:
					s.Turn(id, right)
				}
			}
		}
		s.Step(rng)
	}
}

var playerNames = []game.Text{"alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi",
	"ivan", "judy", "mallory", "niaj", "olivia", "peggy", "rupert", "sybil"}

// testSnapshot is a deterministic game of n players on p after steps
// ticks, seen by player 1, with peers, a log, chat and drops.
func testSnapshot(t testing.TB, p game.Params, n, steps int) view.Snapshot {
	t.Helper()
	rng := rand.New(rand.NewPCG(1, 2))
	s := game.New(p)
	for i := range n {
		if _, err := s.Join(game.PlayerID(i+1), playerNames[i%len(playerNames)], i%game.Colors, i == 3, rng); err != nil {
			t.Fatal(err)
		}
	}
	ride(s, steps, rng)
	snap := view.Snapshot{
		Arena: s.View(),
		Self:  1,
		Room:  "den",
		Mode:  view.ModeP2P,
		Addr:  netip.MustParseAddrPort("192.168.1.20:47000"),
		Drops: []view.DropCount{{Reason: "bad magic", Count: 3}, {Reason: "stale seq", Count: 12}},
	}
	for i := 1; i < n; i++ {
		snap.Peers = append(snap.Peers, view.PeerStats{
			ID:               game.PlayerID(i + 1),
			Name:             playerNames[i%len(playerNames)],
			Addr:             netip.MustParseAddrPort(fmt.Sprintf("192.168.1.%d:47000", 20+i)),
			Bot:              i == 3,
			Lagging:          i == 2,
			RTT:              time.Duration(10+i*7) * time.Millisecond,
			Jitter:           time.Duration(i) * time.Millisecond,
			Loss:             float64(i) / 100,
			Age:              time.Duration(40*i) * time.Millisecond,
			PacketsInPerSec:  15,
			PacketsOutPerSec: 15,
			BytesInPerSec:    1200 + float64(i)*10,
			BytesOutPerSec:   1100,
			RTTHistory:       []time.Duration{10 * time.Millisecond, 12 * time.Millisecond, 30 * time.Millisecond, 11 * time.Millisecond},
		})
	}
	at := time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)
	snap.Log = []view.LogLine{
		{At: at, Text: "bob joined"},
		{At: at, Text: "carol joined"},
		{At: at, Text: "alice crashed into bob"},
		{At: at, Text: "dave (bot) joined"},
	}
	snap.Chat = []view.ChatLine{
		{At: at, From: "bob", Text: "gg"},
		{At: at, From: "carol", Text: "watch the left wall, it is closer than it looks"},
	}
	return snap
}

// arenaWith is a snapshot of an arena holding exactly the given cycles,
// merged as they are: for precise pictures of deaths and trails.
func arenaWith(t testing.TB, p game.Params, self game.PlayerID, cycles ...*game.Cycle) view.Snapshot {
	t.Helper()
	s := game.New(p)
	for _, c := range cycles {
		if _, err := s.Merge(c); err != nil {
			t.Fatalf("merge %s: %v", c.Name, err)
		}
	}
	return view.Snapshot{Arena: s.View(), Self: self, Room: "den", Mode: view.ModeP2P}
}

// isQuit reports whether cmd is tea.Quit, without running it: other
// commands (a cursor's blink) sleep.
func isQuit(cmd tea.Cmd) bool {
	return cmd != nil && reflect.ValueOf(cmd).Pointer() == reflect.ValueOf(tea.Quit).Pointer()
}
