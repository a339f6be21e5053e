package ui

import (
	"slices"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/exp/golden"

	"lanarena/game"
	"lanarena/net/view"
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

// TestGoldenProfiles are whole frames in every colour profile, at 80×24
// (half blocks) and 160×50 (a cell two columns by one row): your head
// blinks white on black in colour and is an @ without, your scoreboard
// row is in reverse video in colour and carries an @ without.
func TestGoldenProfiles(t *testing.T) {
	profiles := []struct {
		name string
		p    colorprofile.Profile
	}{
		{"truecolor", colorprofile.TrueColor},
		{"ansi256", colorprofile.ANSI256},
		{"ansi", colorprofile.ANSI},
		{"nocolor", colorprofile.ASCII},
	}
	scenes := []struct {
		name string
		w, h int
		snap view.Snapshot
	}{
		{"80x24", 80, 24, testSnapshot(t, game.DefaultParams(), 4, 60)},
		{"160x50", 160, 50, testSnapshot(t, game.DefaultParams(), 16, 60)},
	}
	for _, pr := range profiles {
		for _, sc := range scenes {
			t.Run(pr.name+"_"+sc.name, func(t *testing.T) {
				m := arenaAt(t, &fakeController{}, pr.p, sc.w, sc.h, sc.snap)
				view := m.View().Content
				checkFits(t, view, sc.w, sc.h)
				golden.RequireEqual(t, []byte(view))
			})
		}
	}
}

// TestGoldenFirstMinute: the ready phase (your cycle waits at its spawn
// cell, the arrow shows where it will go, the bar counts down), a match's
// result beside the board, the question q asks, a spectator's help.
func TestGoldenFirstMinute(t *testing.T) {
	ready := testSnapshot(t, game.DefaultParams(), 4, 60)
	me := ready.Arena.Cycle(1)
	*me = game.Cycle{ID: 1, Name: me.Name, Color: me.Color, Alive: true, Dir: game.Left, Ready: 40,
		Head: game.Point{X: 40, Y: 30}, Verts: []game.Point{{X: 40, Y: 30}}}

	match := testSnapshot(t, game.DefaultParams(), 4, 60)
	match.Match = view.Match{FirstTo: 5, Number: 3, Winner: 2, NextIn: 3 * time.Second, Final: []view.Standing{
		{ID: 2, Name: "bob", Color: 1, Kills: 5, Deaths: 2},
		{ID: 1, Name: "alice", Color: 0, Kills: 2, Deaths: 1},
		{ID: 4, Name: "dave", Color: 3, Bot: true, Kills: 1, Deaths: 3},
		{ID: 3, Name: "carol", Color: 2, Kills: 0, Deaths: 2},
	}}
	four := testSnapshot(t, game.DefaultParams(), 4, 60)

	tests := []struct {
		name string
		w, h int
		snap view.Snapshot
		spec bool
		keys []string
	}{
		{"ready_80x24", 80, 24, ready, false, nil},
		{"ready_160x50", 160, 50, ready, false, nil},
		{"match_80x24", 80, 24, match, false, nil},
		{"quit_80x24", 80, 24, four, false, []string{"q"}},
		{"spectator_help_80x24", 80, 24, four, true, []string{"?"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := newModel(Config{Controller: &fakeController{}, Spectator: tt.spec, Room: "den"}, colorprofile.ASCII)
			m, _ = send(t, m, tea.WindowSizeMsg{Width: tt.w, Height: tt.h}, SnapshotMsg{tt.snap})
			for _, k := range tt.keys {
				m, _ = send(t, m, keyMsg(k))
			}
			view := m.View().Content
			checkFits(t, view, tt.w, tt.h)
			golden.RequireEqual(t, []byte(view))
		})
	}
}
