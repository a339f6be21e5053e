package main

import (
	"testing"
	"time"

	"lanarena/net/netns"
)

// TestReadyThenRides: a new player's cycle is in its ready phase first
// (--stats "ready": true, the head on its spawn cell), then rides.
func TestReadyThenRides(t *testing.T) {
	lan := netns.New(t, 1)
	ada := startProc(t, lan.Hosts()[0], "ada", "--bot", "--room", "ready")
	var spawn [2]int
	waitFor(t, 10*time.Second, "ada's first stats line shows her cycle ready", func() bool {
		l, ok := ada.last(t)
		if !ok {
			return false
		}
		p, ok := l.player("ada")
		if !ok {
			return false
		}
		if !p.Ready || p.Life != 1 {
			t.Fatalf("ada's first life in her first stats line: %+v, want it in its ready phase", p)
		}
		spawn = [2]int{p.X, p.Y}
		return true
	})
	waitFor(t, 10*time.Second, "ada rides after her ready phase", func() bool {
		l, _ := ada.last(t)
		p, ok := l.player("ada")
		return ok && !p.Ready && p.Alive && p.Life == 1 && [2]int{p.X, p.Y} != spawn && p.Trail > 1
	})
}

// TestMatchOnLAN: two machines, five bots, first to 2 kills on a small
// arena: a match is won, every peer names the same winner, and the next
// match starts with the scores reset.
func TestMatchOnLAN(t *testing.T) {
	lan := netns.New(t, 2)
	hosts := lan.Hosts()
	rules := []string{"--room", "cup", "--first-to", "2", "--width", "20", "--height", "20", "--tick", "30"}
	procs := []*proc{
		startProc(t, hosts[0], "ada", append([]string{"--bot", "--bots", "2"}, rules...)...),
		startProc(t, hosts[1], "bob", append([]string{"--bot", "--bots", "1"}, rules...)...),
	}
	winner := make([]uint32, len(procs))
	waitFor(t, 150*time.Second, "every peer in match 2 or later, naming match 1's winner", func() bool {
		done := true
		for i, p := range procs {
			l, ok := p.last(t)
			if !ok || l.Match == nil {
				return false
			}
			m := l.Match
			if m.FirstTo != 2 {
				t.Fatalf("%s: match %+v, want first_to 2", p.name, m)
			}
			switch {
			case m.Number == 1 && m.Winner != 0:
				winner[i] = m.Winner
			case m.Number == 2:
				winner[i] = m.Last
				if m.Winner == 0 {
					for _, pl := range l.Players {
						if pl.Kills > 2 {
							t.Fatalf("%s in match 2: %s has %d kills, want the scores reset", p.name, pl.Name, pl.Kills)
						}
					}
				}
			}
			done = done && m.Number >= 2 && winner[i] != 0
		}
		return done
	})
	if winner[0] != winner[1] {
		t.Fatalf("match 1's winner: ada says %d, bob says %d", winner[0], winner[1])
	}
	t.Logf("match 1 won by %d on every peer", winner[0])
}
