package main

import (
	"strings"
	"testing"
	"time"

	"lanarena/net/netns"
)

// TestTUIWireViewShowsLoss: with W, the real TUI in a room with a peer
// whose link loses packets shows the gaps in that peer's sequence numbers
// as lost marks, beside the arena at 160×50.
func TestTUIWireViewShowsLoss(t *testing.T) {
	lan := netns.New(t, 2)
	hosts := lan.Hosts()
	startProc(t, hosts[1], "lossy", "--bot", "--room", "wire", "--loss", "30", "--seed", "3")
	s := startTUI(t, hosts[0], 160, 50, "--name", "wendy", "--room", "wire")
	s.waitScreen(15*time.Second, "lossy", "1 peer")
	s.keys("W")
	scr := s.waitScreen(10*time.Second, "wire view", "you", "lossy", "◀state", "state▶", "✗lost")
	if !arenaLeftOfWire(scr) { // the board is still there, left of the view (which takes the panel's place)
		t.Errorf("the arena is gone at 160×50:\n%s", scr)
	}
	s.keys("f") // states hidden: the lost marks stay
	s.waitScreen(5*time.Second, "state hidden", "✗lost")
	s.keys("Space")
	s.waitScreen(3*time.Second, "FROZEN")
	s.keys("W")
	waitFor(t, 3*time.Second, "the wire view closes", func() bool { return !strings.Contains(s.screen(), "wire view") })
	s.quit()
}

// arenaLeftOfWire reports whether the wire view's title line starts with
// the arena's top edge: the view sits beside the board.
func arenaLeftOfWire(screen string) bool {
	for _, l := range strings.Split(screen, "\n") {
		if i := strings.Index(l, "wire view"); i > 0 {
			return strings.Contains(l[:i], "┌─")
		}
	}
	return false
}

// TestTUIWireViewPairsServerRequests: in server mode, a client's wire
// view pairs each move request with the host's answer and draws the wait
// between them as a bar on the client's lane.
func TestTUIWireViewPairsServerRequests(t *testing.T) {
	lan := netns.New(t, 2)
	hosts := lan.Hosts()
	startProc(t, hosts[1], "hal", "--bot", "--room", "srv", "--mode", "server", "--host")
	s := startTUI(t, hosts[0], 160, 50, "--name", "dave", "--room", "srv", "--mode", "server", "--delay", "100ms")
	s.waitScreen(15*time.Second, "hal", "dave", "server")
	s.keys("W")
	s.waitScreen(10*time.Second, "wire view", "move-req▶", "◀move-ack", "┃", "report")
	s.quit()
}

// TestDemo: `lanarena demo` draws both arenas on one machine; the keys
// change the far link live, and the caption and the figures follow; W
// shows the far peer's losses in your wire view; m
// restarts the room in server mode; at 80×24 it says what it needs.
func TestDemo(t *testing.T) {
	lan := netns.New(t, 1) // loopback only, in a namespace of the test's own
	s := startTUI(t, lan.Hosts()[0], 160, 50, "demo", "--bots", "1", "--seed", "5")
	s.waitScreen(15*time.Second, "your arena", "the room as the far peer sees it", "far peer: 200 ms, 20 % loss, p2p")
	waitFor(t, 10*time.Second, "the figures show the far link's round trip", func() bool {
		return strings.Contains(s.screen(), "you → far: rtt 4") // 2 × 200 ms
	})
	s.keys("+", "+")
	s.waitScreen(3*time.Second, "far peer: 300 ms, 20 % loss")
	waitFor(t, 10*time.Second, "the round trip follows the link", func() bool {
		return strings.Contains(s.screen(), "you → far: rtt 6")
	})
	s.keys("W") // your wire view in place of the far arena: the far peer's losses show
	s.waitScreen(10*time.Second, "your packets", "◀state", "✗lost")
	s.keys("W")
	s.waitScreen(3*time.Second, "the room as the far peer sees it")
	s.keys("0")
	s.waitScreen(3*time.Second, "link healed")
	waitFor(t, 10*time.Second, "the round trip falls when the link heals", func() bool {
		scr := s.screen()
		return strings.Contains(scr, "you → far: rtt <1ms") || strings.Contains(scr, "you → far: rtt 1ms") || strings.Contains(scr, "you → far: rtt 2ms")
	})
	s.keys("m")
	s.waitScreen(15*time.Second, "far peer hosts", "server: your cycle moves once per answer")
	s.resize(80, 24)
	s.waitScreen(5*time.Second, "enlarge the terminal to at least", "(now 80×24")
	s.keys("q")
	waitFor(t, 5*time.Second, "the demo exits on q", s.paneDead)
}
