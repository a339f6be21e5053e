package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"lanarena/net/netns"
)

// TestTUISilentJoinAddress: --join to an address where nobody answers
// says so in the status line instead of waiting in silence.
func TestTUISilentJoinAddress(t *testing.T) {
	lan := netns.New(t, 1)
	// Port 9 on the namespace's own loopback: nothing listens there.
	s := startTUI(t, lan.Hosts()[0], 80, 24, "--name", "sol", "--room", "x", "--no-mdns", "--join", "127.0.0.1:9")
	s.waitScreen(15*time.Second, "no answer from 127.0.0.1:9 (", "tries)")
	s.keys("C-c")
	waitFor(t, 5*time.Second, "the TUI exits on ctrl+c", s.paneDead)
}

// TestTUIFirstRunWrongSecretAndBackToLobby drives a newcomer as root: the
// first run asks for a name (then remembers it); a wrong secret for a
// locked room is asked again, the right one joins; L takes the player
// back to the lobby (the room sees them leave), from where another room
// is joined.
func TestTUIFirstRunWrongSecretAndBackToLobby(t *testing.T) {
	if osUser() != "root" {
		t.Skip("the first-run prompt shows for root; this runs as " + osUser())
	}
	lan := netns.New(t, 2)
	hosts := lan.Hosts()
	bot := startProc(t, hosts[1], "robo", "--bot", "--room", "vault", "--secret", "right")
	conf := t.TempDir()
	s := startTUIEnv(t, hosts[0], []string{"XDG_CONFIG_HOME=" + conf}, 80, 24)

	s.waitScreen(10*time.Second, "what is your name?")
	s.keys("-l", "eve")
	s.keys("Enter")
	s.waitScreen(10*time.Second, "vault", "locked", "playing: robo")
	waitFor(t, 5*time.Second, "the name is remembered", func() bool {
		b, _ := os.ReadFile(filepath.Join(conf, "lanarena", "prefs"))
		return strings.Contains(string(b), "name=eve")
	})

	s.keys("Enter") // vault, the busiest room, is first
	s.waitScreen(5*time.Second, "secret for vault")
	s.keys("-l", "wrong")
	s.keys("Enter")
	s.waitScreen(20*time.Second, "wrong secret for vault", "secret:")
	s.keys("-l", "right")
	s.keys("Enter")
	s.waitScreen(10*time.Second, "robo", "eve", "1 peer")
	waitFor(t, 10*time.Second, "the bot sees eve", func() bool {
		l, _ := bot.last(t)
		_, ok := l.player("eve")
		return ok
	})

	s.keys("L")
	s.waitScreen(10*time.Second, "enter join", "vault", "arena")
	waitFor(t, 5*time.Second, "the bot drops eve at once", func() bool {
		l, _ := bot.last(t)
		_, ok := l.player("eve")
		return !ok
	})
	s.keys("Down", "Enter") // the default room, after vault
	waitFor(t, 10*time.Second, "eve plays in the default room", func() bool {
		scr := s.screen()
		return strings.Contains(scr, "eve") && strings.Contains(scr, "arena") && !strings.Contains(scr, "enter join")
	})
	s.keys("C-c")
	waitFor(t, 5*time.Second, "the TUI exits on ctrl+c", s.paneDead)
}

// TestTUIRoomAdoptsTheRulesOnTheLAN: --room NAME without rules on the
// command line plays by the rules of the room of that name already on the
// LAN (here 30 ticks a second, not the default 15) with its players.
func TestTUIRoomAdoptsTheRulesOnTheLAN(t *testing.T) {
	lan := netns.New(t, 2)
	hosts := lan.Hosts()
	bot := startProc(t, hosts[1], "zed", "--bot", "--room", "fast", "--tick", "30")
	waitFor(t, 10*time.Second, "the bot plays", func() bool { _, ok := bot.last(t); return ok })
	s := startTUI(t, hosts[0], 80, 24, "--name", "amy", "--room", "fast")
	s.waitScreen(15*time.Second, "zed", "amy", "1 peer")
	waitFor(t, 10*time.Second, "the bot sees amy", func() bool {
		l, _ := bot.last(t)
		_, ok := l.player("amy")
		return ok
	})
	s.keys("C-c")
	waitFor(t, 5*time.Second, "the TUI exits on ctrl+c", s.paneDead)
}

// TestTUIBackToLobbyFromRoomFlag: started in a room with --room, L still
// leads to the lobby, which had not run yet.
func TestTUIBackToLobbyFromRoomFlag(t *testing.T) {
	lan := netns.New(t, 1)
	s := startTUI(t, lan.Hosts()[0], 80, 24, "--name", "kim", "--room", "solo", "--no-mdns", "--bots", "1")
	s.waitScreen(10*time.Second, "kim", "1 peer")
	s.keys("L")
	s.waitScreen(10*time.Second, "enter join", "arena")
	if scr := s.screen(); strings.Contains(scr, "1 peer") {
		t.Errorf("the arena still shows after L:\n%s", scr)
	}
	s.keys("q")
	waitFor(t, 5*time.Second, "the lobby quits on q", s.paneDead)
}
