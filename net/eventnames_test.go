package net

import (
	"strings"
	"testing"
	"time"

	"lanarena/game"
)

// TestEventLogNamesUnknownPlayer: a crash into, or a kill by, a player
// whose hello has not come yet is logged as "an unknown player", never as
// a bare id that reads like a name; once known, the player is named.
func TestEventLogNamesUnknownPlayer(t *testing.T) {
	p, err := New(Config{Name: "b1", Color: -1, Room: "r", Params: game.DefaultParams(), ID: 1}, benchDiscard{})
	if err != nil {
		t.Fatal(err)
	}
	l, err := newCore(p, time.Now()) // its own cycle joins
	if err != nil {
		t.Fatal(err)
	}
	const stranger = game.PlayerID(0x1234aeeb)
	last := func() string { return string(l.logLines[len(l.logLines)-1].Text) }

	l.events([]game.Event{{Kind: game.EventCrash, Player: 1, Other: stranger}})
	if got, want := last(), "b1 crashed into an unknown player"; got != want {
		t.Errorf("crash into a player not yet known logged as %q, want %q", got, want)
	}
	l.events([]game.Event{{Kind: game.EventKill, Player: stranger, Other: 1}})
	if got, want := last(), "an unknown player got b1"; got != want {
		t.Errorf("kill by a player not yet known logged as %q, want %q", got, want)
	}
	for _, line := range l.logLines {
		if strings.Contains(string(line.Text), "#aeeb") {
			t.Errorf("log line %q names a player by a bare id", line.Text)
		}
	}

	l.members[stranger] = &member{id: stranger, name: "mallory", display: "mallory"}
	l.events([]game.Event{{Kind: game.EventCrash, Player: 1, Other: stranger}})
	if got, want := last(), "b1 crashed into mallory"; got != want {
		t.Errorf("crash into a known player logged as %q, want %q", got, want)
	}
}
