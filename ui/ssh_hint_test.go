package ui

import (
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"

	"lanarena/game"
)

// The command that lets others join over SSH shows in the lobby and in
// the arena's status bar, and nowhere without --ssh.
func TestSSHCommandShown(t *testing.T) {
	const cmd = "ssh -p 2222 10.0.0.7"
	for _, share := range []string{cmd, ""} {
		lobby := newModel(Config{Join: (&fakeJoiner{}).join, SSH: share}, colorprofile.ASCII)
		lobby, _ = send(t, lobby, tea.WindowSizeMsg{Width: 80, Height: 24})
		if got := strings.Contains(lobby.View().Content, "others join with: "+cmd); got != (share != "") {
			t.Errorf("SSH %q: lobby shows the command %v, want %v:\n%s", share, got, share != "", lobby.View().Content)
		}
		snap := testSnapshot(t, game.DefaultParams(), 2, 10)
		arena := newModel(Config{Controller: &fakeController{}, Room: string(snap.Room), SSH: share}, colorprofile.ANSI256)
		arena, _ = send(t, arena, tea.WindowSizeMsg{Width: 80, Height: 24}, SnapshotMsg{snap})
		view := arena.View().Content
		checkFits(t, view, 80, 24)
		var status string
		for _, line := range strings.Split(view, "\n") {
			if strings.Contains(line, "peer") && strings.Contains(line, "p2p") {
				status = line
			}
		}
		if got := strings.Contains(status, cmd); got != (share != "") {
			t.Errorf("SSH %q: status bar %q shows the command %v, want %v", share, status, got, share != "")
		}
	}
}

// On a narrow terminal the lobby's hint shortens instead of wrapping.
func TestSSHCommandFitsANarrowLobby(t *testing.T) {
	const cmd = "ssh -p 2222 192.168.100.200"
	for _, w := range []int{80, 50, 30} {
		m := newModel(Config{Join: (&fakeJoiner{}).join, SSH: cmd}, colorprofile.ASCII)
		m, _ = send(t, m, tea.WindowSizeMsg{Width: w, Height: 24})
		view := m.View().Content
		checkFits(t, view, w, 24)
		if !strings.Contains(view, cmd) {
			t.Errorf("at %d columns the lobby lacks %q:\n%s", w, cmd, view)
		}
	}
}
