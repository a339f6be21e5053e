package main

import (
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"lanarena/net/netns"
)

// TestTUITrace: the real TUI with --trace against a bot on another host
// writes the harness's records while it plays, and nothing of them
// reaches the screen.
func TestTUITrace(t *testing.T) {
	lan := netns.New(t, 2)
	hosts := lan.Hosts()
	startProc(t, hosts[1], "robo", "--bot", "--room", "lab")
	trace := t.TempDir() + "/trace.txt"
	s := startTUI(t, hosts[0], 80, 24, "--name", "alice", "--room", "lab", "--trace", trace)
	s.waitScreen(10*time.Second, "robo", "alice", "1 peer")
	var remote string
	waitFor(t, 10*time.Second, "a V record drawing the bot's cycle", func() bool {
		b, _ := os.ReadFile(trace)
		for l := range strings.SplitSeq(string(b), "\n") {
			if f := strings.Fields(l); len(f) == 10 && f[0] == "V" && f[4] != "0" {
				remote = f[9]
				return true
			}
		}
		return false
	})
	// ID:LIFE:READY:X,Y:PX,PY, the heads on the board.
	p := strings.Split(remote, ":")
	if len(p) != 5 {
		t.Fatalf("remote %q", remote)
	}
	for _, xy := range p[3:] {
		x, y, _ := strings.Cut(xy, ",")
		if xi, err := strconv.Atoi(x); err != nil || xi < 0 || xi >= 56 {
			t.Errorf("remote %q: x off the board", remote)
		}
		if yi, err := strconv.Atoi(y); err != nil || yi < 0 || yi >= 40 {
			t.Errorf("remote %q: y off the board", remote)
		}
	}
	b, _ := os.ReadFile(trace)
	for _, rec := range []string{"\nS ", "\nA ", "\nN "} {
		if !strings.Contains(string(b), rec) {
			t.Errorf("no %q record in the trace", strings.TrimSpace(rec))
		}
	}
	if scr := s.screen(); strings.Contains(scr, "lanarena trace") || strings.Contains(scr, "V 1") {
		t.Errorf("trace records on the screen:\n%s", scr)
	}
	s.quit()
}
