package ui

import (
	"slices"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/exp/golden"

	"lanarena/game"
)

// The golden screens are whole frames at the Ascii profile (the glyph
// board). Run `go test ./ui -run Golden -update` to rewrite them after a
// deliberate change, and read the diff.
func TestGoldenScreens(t *testing.T) {
	four := testSnapshot(t, game.DefaultParams(), 4, 60)

	dead := testSnapshot(t, game.DefaultParams(), 8, 90)
	dead.Impairment = "loss 20% delay 300ms"
	dead.Locked = true
	me := dead.Arena.Cycle(1)
	me.Alive, me.Killer, me.DeadTicks = false, 3, 4

	tests := []struct {
		name string
		w, h int
		snap SnapshotMsg
		keys []string
	}{
		{"arena_80x24", 80, 24, SnapshotMsg{four}, nil},
		{"netgraph_80x24", 80, 24, SnapshotMsg{four}, []string{"n"}},
		{"help_80x24", 80, 24, SnapshotMsg{four}, []string{"?"}},
		{"chat_80x24", 80, 24, SnapshotMsg{four}, []string{"t", "g", "g"}},
		{"dead_160x50", 160, 50, SnapshotMsg{dead}, nil},
		{"too_small_60x20", 60, 20, SnapshotMsg{four}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := arenaAt(t, &fakeController{}, colorprofile.ASCII, tt.w, tt.h, tt.snap.Snapshot)
			for _, k := range tt.keys {
				m, _ = send(t, m, keyMsg(k))
			}
			view := m.View().Content
			checkFits(t, view, tt.w, tt.h)
			golden.RequireEqual(t, []byte(view))
		})
	}
}

func TestGoldenLobby(t *testing.T) {
	m := newModel(Config{Version: "v0.1.0"}, colorprofile.ASCII)
	rooms := slices.Clone(lanRooms)
	rooms[0].Names, rooms[0].Spectators, rooms[0].Watchers = []game.Text{"ann", "bob", "Rinzler"}, 1, []game.Text{"projector"}
	rooms[1].Names = []game.Text{"alice"}
	m, _ = send(t, m, tea.WindowSizeMsg{Width: 80, Height: 24}, RoomsMsg{Rooms: rooms}, keyMsg("down"), keyMsg("enter"))
	view := m.View().Content
	checkFits(t, view, 80, 24)
	golden.RequireEqual(t, []byte(view))
}
