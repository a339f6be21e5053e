package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"lanarena/net/netns"
	"lanarena/net/stats"
)

// End-to-end tests: the real binary, several "machines" made of network
// namespaces on a bridge (net/netns), real mDNS between them, and the
// real TUI driven through tmux. They need root; without it they skip,
// except under CI=true, where they fail.

var (
	buildOnce sync.Once
	binPath   string
	buildErr  error
)

// binary builds cmd/lanarena once per test run.
func binary(t testing.TB) string {
	t.Helper()
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "lanarena-e2e-")
		if err != nil {
			buildErr = err
			return
		}
		binPath = filepath.Join(dir, "lanarena")
		out, err := exec.Command("go", "build", "-o", binPath, ".").CombinedOutput()
		if err != nil {
			buildErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return binPath
}

// proc is a lanarena process running on a host of the LAN.
type proc struct {
	name  string
	cmd   *exec.Cmd
	stats string
	log   string
	done  chan error
}

func startProc(t *testing.T, h netns.Host, name string, args ...string) *proc {
	t.Helper()
	return startProcB(t, h, name, args...)
}

// startProcB starts lanarena on host h as player name; it is killed when
// the test or benchmark ends.
func startProcB(t testing.TB, h netns.Host, name string, args ...string) *proc {
	t.Helper()
	dir := t.TempDir()
	p := &proc{name: name, stats: filepath.Join(dir, "stats.jsonl"), log: filepath.Join(dir, "log.txt"), done: make(chan error, 1)}
	args = append([]string{"--name", name, "--stats", p.stats, "--log", p.log}, args...)
	p.cmd = h.Command(context.Background(), binary(t), args...)
	out, err := os.Create(filepath.Join(dir, "output.txt"))
	if err != nil {
		t.Fatal(err)
	}
	p.cmd.Stdout, p.cmd.Stderr = out, out
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { p.done <- p.cmd.Wait(); out.Close() }()
	t.Cleanup(func() {
		p.cmd.Process.Kill()
		<-p.done
		if t.Failed() {
			logs, _ := os.ReadFile(p.log)
			outs, _ := os.ReadFile(filepath.Join(dir, "output.txt"))
			t.Logf("--- %s log:\n%s\n--- %s output:\n%s", name, tail(string(logs), 40), name, outs)
		}
	})
	return p
}

func tail(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

// last returns the newest stats line, or false when there is none yet.
func (p *proc) last(t *testing.T) (statsLine, bool) {
	t.Helper()
	f, err := os.Open(p.stats)
	if err != nil {
		return statsLine{}, false
	}
	defer f.Close()
	var line statsLine
	ok := false
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		var l statsLine
		if json.Unmarshal(sc.Bytes(), &l) == nil {
			line, ok = l, true
		}
	}
	return line, ok
}

// statsLine is one line of a process's --stats file, in net/stats'
// schema, with lookups by name.
type statsLine struct{ stats.Line }

type (
	statsPlayer = stats.Player
	statsPeer   = stats.Peer
)

func (l statsLine) player(name string) (statsPlayer, bool) { return l.Line.Player(name) }
func (l statsLine) peer(name string) (statsPeer, bool)     { return l.Line.Peer(name) }

// waitFor polls cond every 100 ms until it holds, failing after timeout.
func waitFor(t *testing.T, timeout time.Duration, what string, cond func() bool) time.Duration {
	t.Helper()
	start := time.Now()
	for !cond() {
		if time.Since(start) > timeout {
			t.Fatalf("after %v: %s", timeout, what)
		}
		time.Sleep(100 * time.Millisecond)
	}
	return time.Since(start)
}

// TestLANPlay: three machines start `lanarena --bot` in one room with mDNS
// on; each sees the others by name within a few seconds, positions
// replicate, a peer sent SIGTERM disappears from the others at once, and
// one sent SIGKILL disappears after the membership timeout.
func TestLANPlay(t *testing.T) {
	lan := netns.New(t, 3)
	hosts := lan.Hosts()
	names := []string{"ada", "bob", "cy"}
	var procs []*proc
	start := time.Now()
	for i, h := range hosts {
		procs = append(procs, startProc(t, h, names[i], "--bot", "--room", "e2e"))
	}
	for i, p := range procs {
		took := waitFor(t, 10*time.Second, p.name+" sees everybody by name", func() bool {
			l, ok := p.last(t)
			if !ok {
				return false
			}
			for j, n := range names {
				if j == i {
					continue
				}
				if _, ok := l.peer(n); !ok {
					return false
				}
				if _, ok := l.player(n); !ok {
					return false
				}
			}
			return true
		})
		t.Logf("%s saw everybody %v after the start (%v of waiting here; stats are written once a second)", p.name, time.Since(start), took)
	}
	// Positions replicate: what ada sees of bob moves with bob.
	checkReplicated(t, procs[0], procs[1])
	checkReplicated(t, procs[2], procs[0])

	// SIGTERM: cy leaves and says so; the others drop it at once.
	procs[2].cmd.Process.Signal(syscall.SIGTERM)
	select {
	case err := <-procs[2].done:
		procs[2].done <- err
		if err != nil {
			t.Errorf("cy exited with %v after SIGTERM, want a clean exit", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("cy did not exit within 5 s of SIGTERM")
	}
	gone := waitFor(t, 4*time.Second, "ada drops cy after its leave", func() bool {
		l, ok := procs[0].last(t)
		_, seen := l.player("cy")
		return ok && !seen
	})
	t.Logf("cy gone from ada's view %v after SIGTERM", gone)

	// SIGKILL: bob vanishes without a word: lagging first, then removed.
	procs[1].cmd.Process.Kill()
	killed := time.Now()
	waitFor(t, 8*time.Second, "ada shows bob lagging", func() bool {
		l, _ := procs[0].last(t)
		p, ok := l.peer("bob")
		return ok && p.Lagging
	})
	waitFor(t, 16*time.Second, "ada removes bob after the timeout", func() bool {
		l, _ := procs[0].last(t)
		_, ok := l.player("bob")
		return !ok
	})
	if d := time.Since(killed); d < 8*time.Second {
		t.Errorf("bob removed %v after SIGKILL, before the 10 s timeout", d)
	}
}

// checkReplicated compares what observer reports of owner's cycle with
// what owner reports of itself, at nearby instants: the trail lengths
// differ by no more than the cells ridden between the two reports.
func checkReplicated(t *testing.T, observer, owner *proc) {
	t.Helper()
	matched := map[[2]int64]bool{} // distinct pairs of reports
	waitFor(t, 10*time.Second, observer.name+"'s view of "+owner.name+" follows "+owner.name, func() bool {
		o, ok1 := observer.last(t)
		w, ok2 := owner.last(t)
		if !ok1 || !ok2 {
			return false
		}
		seen, ok1 := o.player(owner.name)
		self, ok2 := w.player(owner.name)
		if !ok1 || !ok2 || !seen.Alive || !self.Alive || seen.Life != self.Life {
			return false
		}
		dt := o.T - w.T
		if dt < 0 {
			dt = -dt
		}
		slack := int(dt*15/1000) + 3
		diff := seen.Trail - self.Trail
		if diff < 0 {
			diff = -diff
		}
		if diff <= slack && seen.Trail > 5 {
			matched[[2]int64{o.T, w.T}] = true
		}
		return len(matched) >= 2
	})
}

// TestRestartNoGhost: a peer that crashes and restarts on its port comes
// back as a new player at once, with no ghost of the old one.
func TestRestartNoGhost(t *testing.T) {
	lan := netns.New(t, 2)
	hosts := lan.Hosts()
	ada := startProc(t, hosts[0], "ada", "--bot", "--room", "phoenix")
	bob := startProc(t, hosts[1], "bob", "--bot", "--room", "phoenix", "--port", "40123")
	var oldID uint32
	waitFor(t, 10*time.Second, "ada sees bob", func() bool {
		l, _ := ada.last(t)
		p, ok := l.player("bob")
		oldID = p.ID
		return ok
	})
	bob.cmd.Process.Kill()
	<-bob.done
	bob.done <- nil
	startProc(t, hosts[1], "bob", "--bot", "--room", "phoenix", "--port", "40123")
	waitFor(t, 5*time.Second, "ada shows the new bob and no ghost of the old one", func() bool {
		l, _ := ada.last(t)
		n := 0
		fresh := false
		for _, p := range l.Players {
			if p.Name == "bob" {
				n++
				fresh = p.ID != oldID
			}
		}
		return n == 1 && fresh
	})
}
