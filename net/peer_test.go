package net

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"lanarena/game"
	"lanarena/net/transport"
)

// TestPeersReplicate runs several peers joined by address, over the
// in-memory transport and over real UDP on loopback: everybody sees
// everybody by name, and every replica's trail is its owner's, cell for
// cell, in the owner's current life: the bots' trails with turns, and
// those of players who ride straight into a wall of a small arena, once
// they live again.
func TestPeersReplicate(t *testing.T) {
	for _, tc := range []struct {
		name string
		make transportFactory
	}{{"mem", memFactory()}, {"udp", udpFactory}} {
		t.Run(tc.name, func(t *testing.T) {
			const n = 4
			var peers []*testPeer
			for i := range n {
				tr := tc.make(t)
				p := startPeer(t, tr, Config{Name: fmt.Sprintf("p%d", i), Bot: i%2 == 0, Params: smallArena})
				peers = append(peers, p)
			}
			for _, p := range peers[1:] {
				p.Join(peers[0].Addr()) // like --join; gossip does the rest
			}
			var ids []game.PlayerID
			for _, p := range peers {
				ids = append(ids, p.ID())
			}
			for _, p := range peers {
				eventually(t, 10*time.Second, p.cfg.Name+" sees every cycle", func() bool { return sees(t, p.Peer, ids...) })
			}
			for _, p := range peers {
				s := snap(t, p.Peer)
				var names, want []string
				for _, ps := range s.Peers {
					names = append(names, string(ps.Name))
				}
				for _, o := range peers {
					if o != p {
						want = append(want, o.cfg.Name)
					}
				}
				slices.Sort(names)
				slices.Sort(want)
				if !slices.Equal(names, want) {
					t.Errorf("%s sees peers %v, want %v", p.cfg.Name, names, want)
				}
			}
			for _, owner := range peers { // bots turn; the others crash and live again
				eventually(t, 10*time.Second, owner.cfg.Name+" turns or lives again", func() bool {
					c := snap(t, owner.Peer).Arena.Cycle(owner.ID())
					if owner.cfg.Bot {
						return len(c.Verts) >= 2 || c.Life > 1
					}
					return c.Life > 1 && c.Alive
				})
			}
			for _, owner := range peers {
				eventually(t, 5*time.Second, "replicas of "+owner.cfg.Name+" agree with it", func() bool {
					own := snap(t, owner.Peer).Arena.Cycle(owner.ID())
					for _, p := range peers {
						if p == owner {
							continue
						}
						rep := snap(t, p.Peer).Arena.Cycle(owner.ID())
						if err := trailsAgree(rep, own, 15); err != nil {
							t.Logf("%s's replica of %s: %v", p.cfg.Name, owner.cfg.Name, err)
							return false
						}
					}
					return true
				})
			}
		})
	}
}

// TestLeaveRemovesAtOnce: a peer that stops says so, and the others drop
// its cycle long before the timeout.
func TestLeaveRemovesAtOnce(t *testing.T) {
	a := startPeer(t, udpFactory(t), Config{Name: "a", TimeoutAfter: time.Hour})
	trB := udpFactory(t)
	b, err := New(Config{Name: "b", Room: "test", Params: game.DefaultParams(), Color: -1}, trB)
	if err != nil {
		t.Fatal(err)
	}
	go b.Run(context.Background())
	t.Cleanup(func() { b.Stop(); <-b.Done(); trB.Close() })
	b.Join(a.Addr())
	eventually(t, 5*time.Second, "a sees b", func() bool { return sees(t, a.Peer, b.ID()) })
	start := time.Now()
	b.Stop()
	<-b.Done()
	eventually(t, 5*time.Second, "a drops b after its leave (the timeout is an hour)", func() bool { return !sees(t, a.Peer, b.ID()) })
	t.Logf("b gone %v after it stopped", time.Since(start))
}

// TestSilentPeerTimesOut: a peer that vanishes without a word is shown as
// lagging, then removed with its cycle.
func TestSilentPeerTimesOut(t *testing.T) {
	a := startPeer(t, udpFactory(t), Config{Name: "a", LagAfter: 300 * time.Millisecond, TimeoutAfter: 3 * time.Second})
	trB := udpFactory(t)
	b, err := New(Config{Name: "b", Room: "test", Params: game.DefaultParams(), Color: -1}, trB)
	if err != nil {
		t.Fatal(err)
	}
	go b.Run(context.Background())
	t.Cleanup(func() { <-b.Done() })
	b.Join(a.Addr())
	eventually(t, 5*time.Second, "a sees b", func() bool { return sees(t, a.Peer, b.ID()) })
	trB.Close() // b's machine drops off the network: its loop ends, no leave
	eventually(t, 3*time.Second, "a shows b lagging", func() bool {
		s := snap(t, a.Peer)
		if len(s.Peers) == 0 {
			t.Fatal("b was removed before a ever showed it lagging")
		}
		return s.Peers[0].Lagging
	})
	eventually(t, 5*time.Second, "a removes b", func() bool { return !sees(t, a.Peer, b.ID()) && len(snap(t, a.Peer).Peers) == 0 })
}

// TestOwnCycleTurnsOnNextTickUnderImpairment: with 300 ms of delay and 20%
// loss, your own cycle still turns on the very next tick.
func TestOwnCycleTurnsOnNextTickUnderImpairment(t *testing.T) {
	mk := memFactory()
	// Far walls: a cycle nobody steers lives through the test.
	params := game.Params{Width: game.MaxSize, Height: game.MaxSize, TickRate: 15}
	other := startPeer(t, mk(t), Config{Name: "other", Bot: true, Params: params, Seed: 1})
	tr := transport.Impair(mk(t), transport.ImpairConfig{Loss: 0.2, Delay: 300 * time.Millisecond, Seed: 1})
	me := startPeer(t, tr, Config{Name: "me", Publish: true, Params: params, Seed: 2})
	me.Join(other.Addr())
	eventually(t, 10*time.Second, "me sees other", func() bool { return sees(t, me.Peer, other.ID()) })
	deadline := time.After(20 * time.Second)
	next := func() Snapshot {
		t.Helper()
		select {
		case s := <-me.Snapshots():
			return s
		case <-deadline:
			t.Fatal("no snapshot within 20s")
		}
		panic("unreachable")
	}
	for turned := 0; turned < 5; {
		s := next()
		c := s.Arena.Cycle(me.ID())
		if !c.Alive {
			continue
		}
		life, want := c.Life, (c.Dir+1+2*game.Dir(turned%2))%4 // right, left, right…: a zigzag
		me.Turn(want)
		// The key lands on the next tick, or on the one after when the
		// snapshot was already a tick old; a turn that waited for the
		// network would take a round trip, 600 ms or 9 ticks.
		tick := s.Arena.Tick
		for s.Arena.Tick < tick+2 {
			s = next()
			if c := s.Arena.Cycle(me.ID()); c.Dir == want {
				break
			}
		}
		c = s.Arena.Cycle(me.ID())
		if c.Life != life || !c.Alive {
			continue // crashed meanwhile: try again
		}
		if c.Dir != want {
			t.Fatalf("tick %d: heading %v, want %v within two ticks of the key (pressed at tick %d)", s.Arena.Tick, c.Dir, want, tick)
		}
		turned++
	}
}
