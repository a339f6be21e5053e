package ui

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"lanarena/net/view"
)

// Room names in any script keep the lobby's columns: each is measured in
// terminal cells (CJK and emoji count two, a ZWJ sequence one glyph) as
// the renderer measures them, so every row ends at the same column.
func TestLobbyWideNamesKeepColumns(t *testing.T) {
	names := []string{"den", "café ★", "中文中文中文中文中文中文中文", "👨‍👩‍👧 family", "❤️ love", `a\b "q"`, "ｆｕｌｌｗｉｄｔｈ ｒｏｏｍ ｎａｍｅ"}
	var rooms []view.RoomInfo
	for _, n := range names {
		rooms = append(rooms, view.RoomInfo{Name: n, Players: 2, Mode: "p2p", Compatible: true})
	}
	m := lobbyAt(t, &fakeJoiner{}, 80, 24)
	m, _ = send(t, m, RoomsMsg{Rooms: rooms})
	v := m.View()
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
	if v := m.View(); !strings.Contains(v, "no network: LAN discovery is off") || strings.Contains(v, "looking for rooms") {
		t.Errorf("offline lobby:\n%s", v)
	}
}
