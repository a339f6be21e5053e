package main

import (
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"lanarena/net/netns"
)

// loopbackOnly returns a host whose namespace has only the loopback
// interface (a laptop in airplane mode, a container without network).
func loopbackOnly(t *testing.T) netns.Host {
	t.Helper()
	h := netns.New(t, 1).Hosts()[0]
	if out, err := exec.Command("ip", "-n", h.Name, "link", "del", h.Iface).CombinedOutput(); err != nil {
		t.Fatalf("removing %s's LAN interface: %v: %s", h.Name, err, out)
	}
	return h
}

// shellQuote quotes s for the shell tmux starts a session's command with.
func shellQuote(s string) string { return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'" }

// moving waits until every one of names rides between two stats lines
// of p: alive at both, at different places, or in a later life.
func moving(t *testing.T, p *proc, names ...string) {
	t.Helper()
	var first statsLine
	waitFor(t, 10*time.Second, "stats listing "+strings.Join(names, ", "), func() bool {
		l, ok := p.last(t)
		for _, n := range names {
			if _, seen := l.player(n); !seen {
				return false
			}
		}
		first = l
		return ok
	})
	moved := map[string]bool{}
	waitFor(t, 20*time.Second, "every player moving", func() bool {
		l, _ := p.last(t)
		for _, n := range names {
			a, _ := first.player(n)
			b, ok := l.player(n)
			// Alive at both readings, somewhere else: it rides. Or in a
			// later life: a cycle nobody steers dies within seconds, and
			// a respawn means the game goes on for it.
			if ok && (a.Alive && b.Alive && (a.X != b.X || a.Y != b.Y) || b.Life > a.Life) {
				moved[n] = true
			}
		}
		if len(moved) < len(names) && l.Tick > first.Tick+15 {
			first = l // someone died or stood still meanwhile: measure again
		}
		return len(moved) == len(names)
	})
}

// TestOfflinePlay: on a machine with only loopback, `lanarena --room x
// --bots 3` plays (discovery off, with a notice) instead of exiting, and
// a second peer joins it with --join on loopback.
func TestOfflinePlay(t *testing.T) {
	h := loopbackOnly(t)
	dir := t.TempDir()
	me := &proc{name: "solo", stats: dir + "/tui.jsonl"}
	s := startTUI(t, h, 100, 30, "--name", "solo", "--log", dir+"/tui.log", "--stats", me.stats,
		"--room", "x", "--bots", "3", "--port", "40555")
	s.waitScreen(10*time.Second, "no LAN discovery", "127.0.0.1:40555")
	moving(t, me, "solo", "Quorra", "Rinzler", "Sark")
	if s.paneDead() {
		t.Fatalf("lanarena exited:\n%s", s.screen())
	}

	bob := startProc(t, h, "bob", "--bot", "--room", "x", "--join", "127.0.0.1:40555")
	waitFor(t, 10*time.Second, "solo sees bob, joined on loopback", func() bool {
		l, _ := me.last(t)
		_, ok := l.player("bob")
		return ok
	})
	moving(t, bob, "solo", "bob")
	if l, _ := me.last(t); l.Self.Addr != "127.0.0.1:40555" {
		t.Errorf("solo shows its address as %s, want 127.0.0.1:40555", l.Self.Addr)
	}
	logged(t, dir+"/tui.log", `solo joined room "x" at 127.0.0.1:40555`)
}

// logged fails unless the log file holds want.
func logged(t *testing.T, path, want string) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil || !strings.Contains(string(b), want) {
		t.Errorf("the log lacks %q (%v):\n%s", want, err, tail(string(b), 20))
	}
}

// TestUnicodeRoomAcrossHosts: a room named "café ★" made on one machine
// is listed in another's lobby by that name, joined from it, and played
// in together: both see each other move.
func TestUnicodeRoomAcrossHosts(t *testing.T) {
	lan := netns.New(t, 2)
	hosts := lan.Hosts()
	const room = "café ★"
	bot := startProc(t, hosts[0], "zoé", "--bot", "--room", room)
	dir := t.TempDir()
	me := &proc{name: "ひかり", stats: dir + "/tui.jsonl"}
	s := startTUI(t, hosts[1], 80, 24, "--name", shellQuote(me.name), "--log", dir+"/tui.log", "--stats", me.stats)
	s.waitScreen(10*time.Second, room)
	s.keys("Enter") // the busiest room is first
	s.waitScreen(10*time.Second, "zoé", "1 peer")
	moving(t, me, "zoé", me.name)
	moving(t, bot, "zoé", me.name)
	if l, _ := me.last(t); l.Room != room {
		t.Errorf("joined room %q, want %q", l.Room, room)
	}
	if l, _ := bot.last(t); l.Room != room {
		t.Errorf("the bot's room is %q, want %q", l.Room, room)
	}
	// The address shown is the one the LAN reaches, not 0.0.0.0.
	logged(t, bot.log, fmt.Sprintf("zoé joined room %q at %s:", room, hosts[0].Addr))
}

// TestOfflineLobbyCreate: with only loopback the lobby says discovery is
// off, and its "new room" starts a game.
func TestOfflineLobbyCreate(t *testing.T) {
	h := loopbackOnly(t)
	dir := t.TempDir()
	me := &proc{name: "solo", stats: dir + "/tui.jsonl"}
	s := startTUI(t, h, 100, 30, "--name", "solo", "--log", dir+"/tui.log", "--stats", me.stats)
	s.waitScreen(10*time.Second, "LAN discovery is off")
	s.keys("n")
	s.waitScreen(3*time.Second, "room name") // asked the room's name, its secret, its matches
	s.keys("-l", "desk")
	s.keys("Enter")
	s.waitScreen(3*time.Second, "secret for desk")
	s.keys("Enter")
	s.waitScreen(3*time.Second, "first to how many kills?")
	s.keys("Enter") // drop-in play
	s.waitScreen(10*time.Second, "desk", "no LAN discovery")
	moving(t, me, "solo")
}

// TestUnicodeRoomByFlag: two players who start with the same room name,
// typed once precomposed (é) and once decomposed (e + U+0301), meet.
func TestUnicodeRoomByFlag(t *testing.T) {
	lan := netns.New(t, 2)
	hosts := lan.Hosts()
	ana := startProc(t, hosts[0], "ana", "--bot", "--room", "my room \u00e9 ★")
	ben := startProc(t, hosts[1], "ben", "--bot", "--room", "my room e\u0301 ★")
	moving(t, ana, "ana", "ben")
	moving(t, ben, "ana", "ben")
}
