package main

import (
	"strings"
	"testing"
	"time"

	"lanarena/net/netns"
)

// boardText is the arena part of a captured screen: the characters
// between the board's walls, a line per character row. The panel beside
// it (names, the log) is left out, so that a letter found here is drawn
// on the board.
func boardText(scr string) string {
	var b strings.Builder
	for _, line := range strings.Split(scr, "\n") {
		r := []rune(line)
		if len(r) == 0 || r[0] != '│' {
			continue
		}
		rest := string(r[1:])
		end := strings.IndexRune(rest, '│')
		if end < 0 {
			continue
		}
		b.WriteString(rest[:end])
		b.WriteByte('\n')
	}
	return b.String()
}

// TestTUIPredictionToggleAndGhost: a bot 200 ms away (its own --delay)
// is drawn where it is now, its last heard head a ghost (without colour,
// its letter in lower case) a few cells behind; p turns prediction off
// (the status bar says so, the ghost goes, the head is drawn where last
// heard) and on again (the ghost is back). The player spectates: no
// death box of its own can cover the board with letters.
func TestTUIPredictionToggleAndGhost(t *testing.T) {
	lan := netns.New(t, 1)
	h := lan.Hosts()[0]
	startProc(t, h, "robo", "--bot", "--room", "pr", "--no-mdns", "--port", "40611", "--delay", "200ms")
	s := startTUIEnv(t, h, []string{"NO_COLOR=1"}, 80, 24,
		"--name", "pat", "--room", "pr", "--spectate", "--no-mdns", "--join", "127.0.0.1:40611")
	s.waitScreen(15*time.Second, "spectating", "robo", "1 peer", "p: prediction on")

	// robo's head is R on the board, its ghost r: both at once, while
	// it rides and its states arrive 200 ms (3 ticks) late.
	ghostAndHead := func() bool {
		b := boardText(s.screen())
		return strings.Contains(b, "R") && strings.Contains(b, "r")
	}
	waitFor(t, 15*time.Second, "robo's head and its ghost on the board", ghostAndHead)

	s.keys("p")
	s.waitScreen(3*time.Second, "p: prediction off")
	waitFor(t, 3*time.Second, "the ghost goes once prediction is off", func() bool {
		return !strings.Contains(boardText(s.screen()), "r")
	})
	// And stays away, frame after frame, while robo rides on.
	for range 10 {
		if b := boardText(s.screen()); strings.Contains(b, "r") {
			t.Fatalf("a ghost with prediction off:\n%s", b)
		}
		time.Sleep(100 * time.Millisecond)
	}

	s.keys("p")
	s.waitScreen(3*time.Second, "p: prediction on")
	waitFor(t, 10*time.Second, "the ghost is back with prediction on", ghostAndHead)

	// At 160×50 a cell is two columns: the ghost is still r.
	s.resize(160, 50)
	waitFor(t, 5*time.Second, "the board at 160×50", func() bool {
		return strings.Contains(s.screen(), "p: prediction on") && len(strings.Split(boardText(s.screen()), "\n")) > 30
	})
	waitFor(t, 10*time.Second, "robo's head and its ghost at 160×50", ghostAndHead)
	s.quit()
}
