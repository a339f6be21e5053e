package main

import (
	"os"
	"strings"
	"testing"
	"time"

	"lanarena/net/netns"
)

// TestTUIPeerInAnotherRoom: a player who joins the address of a peer that
// plays in another room is told that room's name on screen, and the other
// peer is told this player's room in its log: neither plays alone in
// silence.
func TestTUIPeerInAnotherRoom(t *testing.T) {
	lan := netns.New(t, 2)
	hosts := lan.Hosts()
	bob := startProc(t, hosts[1], "bob", "--bot", "--room", "blue", "--no-mdns", "--port", "7777")
	s := startTUI(t, hosts[0], 80, 24, "--name", "ann", "--room", "red", "--no-mdns",
		"--join", hosts[1].Addr.String()+":7777")
	s.waitScreen(15*time.Second, "bob", `room "blue"`)
	waitFor(t, 10*time.Second, "bob's log names ann's room", func() bool {
		b, _ := os.ReadFile(bob.log)
		return strings.Contains(string(b), `room "red"`) && strings.Contains(string(b), "ann")
	})
	s.quit()
}
