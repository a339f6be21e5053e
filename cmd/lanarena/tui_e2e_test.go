package main

import (
	"crypto/rand"
	"encoding/hex"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"lanarena/net/netns"
)

// tmuxSession is the real TUI in a tmux session of its own server, the
// program running inside a host's namespace.
type tmuxSession struct {
	t      *testing.T
	socket string
}

func startTUI(t *testing.T, h netns.Host, width, height int, args ...string) *tmuxSession {
	t.Helper()
	return startTUIEnv(t, h, nil, width, height, args...)
}

// startTUIEnv is startTUI with env ("NAME=value") added to the program's
// environment.
func startTUIEnv(t *testing.T, h netns.Host, env []string, width, height int, args ...string) *tmuxSession {
	t.Helper()
	if _, err := exec.LookPath("tmux"); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("tmux is not installed (CI must install it: .ci/run does)")
		}
		t.Skip("tmux is not installed")
	}
	b := make([]byte, 4)
	rand.Read(b)
	s := &tmuxSession{t: t, socket: "lanarena-e2e-" + hex.EncodeToString(b)}
	// A configuration directory of its own: the player's name and colour
	// are never remembered in the machine's (env may give another).
	env = append([]string{"XDG_CONFIG_HOME=" + t.TempDir()}, env...)
	cmd := append(append(append([]string{"ip", "netns", "exec", h.Name, "env"}, env...), binary(t)), args...)
	out, err := exec.Command("tmux", "-L", s.socket, "new-session", "-d", "-s", "game",
		"-x", strconv.Itoa(width), "-y", strconv.Itoa(height), strings.Join(cmd, " ")).CombinedOutput()
	if err != nil {
		t.Fatalf("tmux: %v\n%s", err, out)
	}
	exec.Command("tmux", "-L", s.socket, "set-option", "-t", "game", "remain-on-exit", "on").Run()
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("screen at the end:\n%s", s.screen())
		}
		exec.Command("tmux", "-L", s.socket, "kill-server").Run()
	})
	return s
}

// screen is what a person would see now.
func (s *tmuxSession) screen() string {
	out, err := exec.Command("tmux", "-L", s.socket, "capture-pane", "-p", "-t", "game").Output()
	if err != nil {
		return ""
	}
	return string(out)
}

// screenEscapes is the screen with its colours and attributes as escapes.
func (s *tmuxSession) screenEscapes() string {
	out, err := exec.Command("tmux", "-L", s.socket, "capture-pane", "-p", "-e", "-t", "game").Output()
	if err != nil {
		return ""
	}
	return string(out)
}

// resize makes the terminal width×height, as a person dragging its corner.
func (s *tmuxSession) resize(width, height int) {
	s.t.Helper()
	out, err := exec.Command("tmux", "-L", s.socket, "resize-window", "-t", "game",
		"-x", strconv.Itoa(width), "-y", strconv.Itoa(height)).CombinedOutput()
	if err != nil {
		s.t.Fatalf("resize-window: %v\n%s", err, out)
	}
}

func (s *tmuxSession) keys(keys ...string) {
	s.t.Helper()
	args := append([]string{"-L", s.socket, "send-keys", "-t", "game"}, keys...)
	if out, err := exec.Command("tmux", args...).CombinedOutput(); err != nil {
		s.t.Fatalf("send-keys: %v\n%s", err, out)
	}
}

// waitScreen waits until the screen contains every one of want.
func (s *tmuxSession) waitScreen(timeout time.Duration, want ...string) string {
	s.t.Helper()
	var scr string
	waitFor(s.t, timeout, "the screen shows "+strings.Join(want, ", "), func() bool {
		scr = s.screen()
		for _, w := range want {
			if !strings.Contains(scr, w) {
				return false
			}
		}
		return true
	})
	return scr
}

// quit leaves the game with q, answering y if it asks (it does while
// your cycle rides), and waits for the program to exit.
func (s *tmuxSession) quit() {
	s.t.Helper()
	s.keys("q")
	waitFor(s.t, 5*time.Second, "q quits or asks", func() bool {
		return s.paneDead() || strings.Contains(s.screen(), "leave the game?")
	})
	if !s.paneDead() {
		s.keys("y")
	}
	waitFor(s.t, 5*time.Second, "the TUI exits", s.paneDead)
}

// paneDead reports whether the program in the session has exited.
func (s *tmuxSession) paneDead() bool {
	out, _ := exec.Command("tmux", "-L", s.socket, "display-message", "-p", "-t", "game", "#{pane_dead}").Output()
	return strings.TrimSpace(string(out)) == "1"
}

// TestTUIAgainstBotOnLAN drives the real TUI as a person would: start it
// with no flags, find the bot's room in the lobby through mDNS, join it,
// see the bot on the scoreboard, open help and the netgraph, steer, chat,
// and quit; the bot sees the player leave at once.
func TestTUIAgainstBotOnLAN(t *testing.T) {
	lan := netns.New(t, 2)
	hosts := lan.Hosts()
	bot := startProc(t, hosts[1], "robo", "--bot", "--room", "lab")
	dir := t.TempDir()
	me := &proc{name: "alice", stats: dir + "/tui.jsonl"}
	s := startTUI(t, hosts[0], 80, 24, "--name", "alice", "--log", dir+"/tui.log", "--stats", me.stats)

	scr := s.waitScreen(10*time.Second, "lab")
	if !strings.Contains(scr, "arena") {
		t.Errorf("the lobby does not offer the default room:\n%s", scr)
	}
	s.keys("Enter") // the busiest room is first
	scr = s.waitScreen(10*time.Second, "robo", "alice", "1 peer")
	if strings.Contains(scr, "too small") {
		t.Fatalf("80×24 is reported too small:\n%s", scr)
	}
	waitFor(t, 10*time.Second, "the bot sees alice", func() bool {
		l, ok := bot.last(t)
		if !ok {
			return false
		}
		_, ok = l.player("alice")
		return ok
	})

	s.keys("?")
	s.waitScreen(3*time.Second, "remove bot", "streak (best)") // only the full help says these
	s.keys("?")
	waitFor(t, 3*time.Second, "help closes", func() bool { return !strings.Contains(s.screen(), "remove bot") })
	s.keys("n")
	s.waitScreen(3*time.Second, "dropped, by reason", "robo") // only the netgraph says it
	s.keys("n")
	waitFor(t, 3*time.Second, "netgraph closes", func() bool { return !strings.Contains(s.screen(), "dropped, by reason") })
	// Steering: each key turns alice's cycle, as her own --stats report.
	perp := map[string][2]string{"up": {"Left", "left"}, "down": {"d", "right"}, "left": {"w", "up"}, "right": {"Down", "down"}}
	turned := 0
	for range 4 {
		var cur statsPlayer
		waitFor(t, 5*time.Second, "alice alive", func() bool {
			l, ok := me.last(t)
			p, ok2 := l.player("alice")
			cur = p
			return ok && ok2 && p.Alive
		})
		k := perp[cur.Dir]
		s.keys(k[0])
		waitFor(t, 4*time.Second, "alice turns "+k[1]+" after "+k[0], func() bool {
			l, _ := me.last(t)
			p, ok := l.player("alice")
			if ok && p.Life == cur.Life && p.Dir == k[1] {
				turned++
				return true
			}
			return ok && p.Life != cur.Life // died and respawned meanwhile: try again
		})
	}
	if turned < 2 {
		t.Errorf("alice turned %d times of 4", turned)
	}
	s.keys("t")
	s.keys("-l", "hello robo")
	s.keys("Enter")
	s.waitScreen(3*time.Second, "hello robo")

	s.quit()
	waitFor(t, 3*time.Second, "the bot drops alice at once", func() bool {
		l, _ := bot.last(t)
		_, ok := l.player("alice")
		return !ok
	})
}

// TestTUIServerModeAcrossHosts: two machines play in server mode: a bot
// hosts, advertised as such in the lobby; a person joins through the
// lobby and plays as a client over a 100 ms link.
func TestTUIServerModeAcrossHosts(t *testing.T) {
	lan := netns.New(t, 2)
	hosts := lan.Hosts()
	host := startProc(t, hosts[1], "hal", "--bot", "--room", "srv", "--mode", "server", "--host")
	// No --room, no --mode: the lobby shows the hosted room and joining it
	// adopts its mode.
	s := startTUI(t, hosts[0], 100, 30, "--name", "dave", "--delay", "100ms")
	s.waitScreen(10*time.Second, "srv", "server", "hal")
	s.keys("Enter")
	s.waitScreen(10*time.Second, "hal", "dave", "server")
	waitFor(t, 10*time.Second, "the host moves dave's cycle", func() bool {
		l, ok := host.last(t)
		if !ok {
			return false
		}
		p, ok := l.player("dave")
		return ok && p.Trail > 5
	})
	s.waitScreen(5*time.Second, "IMPAIRED")
	s.quit()
}

// TestTUIResizeAndNoColor: the screen follows the terminal's size, to the
// too-small message and back, and NO_COLOR puts no colour on the screen:
// the players are told apart by glyphs.
func TestTUIResizeAndNoColor(t *testing.T) {
	lan := netns.New(t, 1)
	s := startTUIEnv(t, lan.Hosts()[0], []string{"NO_COLOR=1"}, 80, 24, "--name", "nora", "--room", "solo", "--bots", "1")
	s.waitScreen(10*time.Second, "nora", "1 peer", "@") // '@' is your own head without colour
	if scr := s.screenEscapes(); sgrColour.MatchString(scr) {
		t.Errorf("NO_COLOR screen holds colours: %q", sgrColour.FindAllString(scr, 5))
	}
	s.resize(50, 15)
	s.waitScreen(5*time.Second, "terminal too small", "(now 50×15)")
	s.resize(100, 30)
	waitFor(t, 5*time.Second, "the arena is back at 100×30", func() bool {
		scr := s.screen()
		return strings.Contains(scr, "nora") && !strings.Contains(scr, "too small")
	})
	s.quit()
}

// sgrColour matches an SGR sequence that sets a foreground or background
// colour.
var sgrColour = regexp.MustCompile(`\x1b\[([0-9]+;)*(3[0-9]|4[0-9]|9[0-7]|10[0-7])(;[0-9]+)*m`)
