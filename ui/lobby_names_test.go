package ui

import (
	"math/rand/v2"
	"net/netip"
	"strings"
	"testing"

	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/ansi"

	"lanarena/game"
	"lanarena/net/view"
)

// Room names in any script keep the lobby's columns: each is measured in
// terminal cells (CJK and emoji count two, a ZWJ sequence one glyph) as
// the renderer measures them, so every row ends at the same column.
func TestLobbyWideNamesKeepColumns(t *testing.T) {
	names := []string{"den", "café ★", "中文中文中文中文中文中文中文", "👨‍👩‍👧 family", "❤️ love", `a\b "q"`, "ｆｕｌｌｗｉｄｔｈ ｒｏｏｍ ｎａｍｅ"}
	var rooms []view.RoomInfo
	for _, n := range names {
		rooms = append(rooms, view.RoomInfo{Name: game.Clean(n, game.MaxRoomRunes), Players: 2, Mode: view.ModeP2P, Compatible: true})
	}
	m := lobbyAt(t, &fakeJoiner{}, 80, 24)
	m, _ = send(t, m, RoomsMsg{Rooms: rooms})
	v := m.View().Content
	checkFits(t, v, 80, 24)
	width := -1
	for _, l := range strings.Split(v, "\n") {
		if !strings.Contains(l, "p2p") {
			continue
		}
		w := ansi.StringWidth(strings.TrimRight(l, " "))
		if width >= 0 && w != width {
			t.Errorf("row %q ends at column %d, the first at %d", ansi.Strip(l), w, width)
		}
		width = w
	}
	for _, n := range names[:2] {
		if !strings.Contains(v, n) {
			t.Errorf("lobby lacks %q:\n%s", n, v)
		}
	}
}

func TestLobbyOffline(t *testing.T) {
	m := lobbyAt(t, &fakeJoiner{}, 80, 24)
	m, _ = send(t, m, RoomsMsg{Searching: true, Offline: "no network: LAN discovery is off"})
	if v := m.View().Content; !strings.Contains(v, "no network: LAN discovery is off") || strings.Contains(v, "looking for rooms") {
		t.Errorf("offline lobby:\n%s", v)
	}
}

// Player names in any script keep the scoreboard's columns: the scores
// start at the same column on every row.
func TestScoreboardWideNamesKeepColumns(t *testing.T) {
	names := []string{"中文中文中文中文中文", "👨‍👩‍👧 family", "❤️ love", "café ★", `a\b "q"`}
	s := game.New(game.DefaultParams())
	rng := rand.New(rand.NewPCG(3, 4))
	for i, n := range names {
		if _, err := s.Join(game.PlayerID(i+1), game.CleanName(n), i, false, rng); err != nil {
			t.Fatal(err)
		}
	}
	snap := view.Snapshot{Arena: s.View(), Self: 1, Room: "den", Mode: view.ModeP2P, Addr: netip.MustParseAddrPort("192.168.1.20:47000")}
	m := arenaAt(t, &fakeController{}, colorprofile.Ascii, 80, 24, snap)
	v := m.View().Content
	checkFits(t, v, 80, 24)
	col := -1
	rows := 0
	for _, l := range strings.Split(ansi.Strip(v), "\n") {
		i := strings.Index(l, "  0  0  0")
		if i < 0 {
			continue
		}
		rows++
		if c := ansi.StringWidth(l[:i]); col >= 0 && c != col {
			t.Errorf("scores of %q start at column %d, the first row's at %d", l, c, col)
		} else {
			col = c
		}
	}
	if rows != len(names) {
		t.Errorf("%d scoreboard rows, want %d:\n%s", rows, len(names), v)
	}
}
