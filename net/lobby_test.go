package net

import (
	"slices"
	"testing"

	"lanarena/game"
	"lanarena/net/discovery"
	"lanarena/net/wire"
)

func TestRoomsGroupsAndJudges(t *testing.T) {
	def := game.DefaultParams()
	entry := func(instance, room, mode string, version int, p game.Params, locked bool, role string) discovery.Entry {
		return discovery.Entry{Instance: instance, Announcement: discovery.Announcement{
			ID: 1, Name: instance, Room: room, Mode: mode, Role: role, Version: version, Locked: locked,
			Width: p.Width, Height: p.Height, TickRate: p.TickRate,
		}}
	}
	big := game.Params{Width: 80, Height: 40, TickRate: 20}
	entries := []discovery.Entry{
		entry("a", "den", "p2p", wire.Version, def, false, ""),
		entry("b", "den", "p2p", wire.Version, def, false, ""),
		entry("c", "lab", "server", wire.Version, def, true, "host"),
		entry("d", "old", "p2p", wire.Version+1, def, false, ""),
		entry("e", "big", "p2p", wire.Version, big, false, ""),
		entry("w", "den", "p2p", wire.Version, def, false, "spectator"),
		entry("f", "den", "p2p", wire.Version, def, false, "player"),
	}
	byName := func(rooms []RoomInfo) map[game.Text]RoomInfo {
		m := map[game.Text]RoomInfo{}
		for _, r := range rooms {
			m[r.Name] = r
		}
		return m
	}
	rooms := Rooms(entries, RoomsConfig{Params: def, Mode: ModeP2P})
	if rooms[0].Name != "den" {
		t.Errorf("first room %q, want the busiest, den", rooms[0].Name)
	}
	got := byName(rooms)
	if r := got["den"]; r.Players != 3 || r.Spectators != 1 || !r.Compatible ||
		!slices.Equal(r.Names, []game.Text{"a", "b", "f"}) || !slices.Equal(r.Watchers, []game.Text{"w"}) {
		t.Errorf("den: %+v, want 3 players a b f and 1 spectator w, compatible", r)
	}
	if r := got["lab"]; !r.Locked || r.Host != "c" || r.Mode != ModeServer || !r.Compatible {
		t.Errorf("lab: %+v, want locked, hosted by c, server mode", r)
	}
	if r := got["old"]; r.Compatible || r.Reason == "" {
		t.Errorf("old: %+v, want incompatible (protocol version)", r)
	}
	if r := got["big"]; !r.Compatible || r.Params != big {
		t.Errorf("big: %+v, want joinable with its own rules when the player chose none", r)
	}
	// A player who chose the rules on the command line cannot join others.
	got = byName(Rooms(entries, RoomsConfig{Params: def, Mode: ModeP2P, Strict: true}))
	if r := got["big"]; r.Compatible || r.Reason != "arena 80x40 at 20/s; yours 56x40 at 15/s (--width 80 --tick 20)" {
		t.Errorf("big with --width etc. given: %+v, want incompatible, both rules named with the flags that fix it", r)
	}
	if r := got["lab"]; r.Compatible || r.Reason != "arena 56x40 at 15/s, mode server; yours 56x40 at 15/s, mode p2p (--mode server)" {
		t.Errorf("lab with --mode p2p given: %+v, want incompatible, naming --mode server", r)
	}
}

// TestRoomsCleanStrangersText: room and host names from mDNS records come
// out as clean game.Text, which screens print as they are.
func TestRoomsCleanStrangersText(t *testing.T) {
	const evil = "\x1b]0;pwn\x07\x1b[2J"
	def := game.DefaultParams()
	rooms := Rooms([]discovery.Entry{{Instance: "x", Announcement: discovery.Announcement{
		ID: 1, Name: evil + "eve", Room: evil + "den", Mode: "server", Role: "host", Version: wire.Version,
		Width: def.Width, Height: def.Height, TickRate: def.TickRate,
	}}}, RoomsConfig{Params: def})
	if len(rooms) != 1 {
		t.Fatalf("%d rooms, want 1", len(rooms))
	}
	if r := rooms[0]; r.Name != "den" || r.Host != "eve" {
		t.Errorf("room %q host %q, want %q and %q", r.Name, r.Host, "den", "eve")
	}
}

// TestMismatchNamesFirstTo: a room of matches is told apart from yours,
// with the flag that fixes it.
func TestMismatchNamesFirstTo(t *testing.T) {
	p := game.DefaultParams()
	q := p
	q.FirstTo = 5
	if got, want := Mismatch(q, ModeP2P, p, ModeP2P), "arena 56x40 at 15/s, first to 5; yours 56x40 at 15/s, no matches (--first-to 5)"; got != want {
		t.Errorf("Mismatch = %q, want %q", got, want)
	}
	if got, want := Mismatch(p, ModeP2P, q, ModeP2P), "arena 56x40 at 15/s, no matches; yours 56x40 at 15/s, first to 5 (--first-to 0)"; got != want {
		t.Errorf("Mismatch = %q, want %q", got, want)
	}
}
