package net

// Helpers shared by the package's tests: peers on real transports
// (startPeer, udpFactory, memFactory), polling (eventually), snapshots,
// and replica checks. The seeded simulation lives in sim_test.go.

import (
	"context"
	"fmt"
	"net/netip"
	"slices"
	"testing"
	"time"

	"lanarena/game"
	"lanarena/net/transport"
)

// server is the core's server-mode model, nil in a peer-to-peer room.
func (l *core) server() *serverModel {
	s, _ := l.model.(*serverModel)
	return s
}

var loopback = netip.AddrFrom4([4]byte{127, 0, 0, 1})

// smallArena is the smallest arena: bots crash and respawn every few
// seconds there, so that replication is seen across lives.
var smallArena = game.Params{Width: game.MinSize, Height: game.MinSize, TickRate: 15}

// testPeer is a peer running its loop on a transport for a test.
type testPeer struct {
	*Peer
	tr transport.Transport
}

type transportFactory func(t *testing.T) transport.Transport

func udpFactory(t *testing.T) transport.Transport {
	tr, err := transport.ListenUDP(netip.AddrPortFrom(loopback, 0))
	if err != nil {
		t.Fatal(err)
	}
	return tr
}

func memFactory() transportFactory {
	n := transport.NewMemNetwork()
	return func(t *testing.T) transport.Transport {
		tr, err := n.Listen(netip.AddrPortFrom(loopback, 0))
		if err != nil {
			t.Fatal(err)
		}
		return tr
	}
}

// startPeer runs a peer until the test ends.
func startPeer(t *testing.T, tr transport.Transport, cfg Config) *testPeer {
	t.Helper()
	if cfg.Room == "" {
		cfg.Room = "test"
	}
	if cfg.Params == (game.Params{}) {
		cfg.Params = game.DefaultParams()
	}
	if cfg.Color == 0 {
		cfg.Color = -1
	}
	p, err := New(cfg, tr)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- p.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("%s: Run: %v", cfg.Name, err)
		}
		tr.Close()
	})
	return &testPeer{Peer: p, tr: tr}
}

func snap(t *testing.T, p *Peer) Snapshot {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	s, err := p.Snapshot(ctx)
	if err != nil {
		t.Fatalf("snapshot: %v", err)
	}
	return s
}

// eventually polls cond until it holds or the timeout passes.
func eventually(t *testing.T, timeout time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("after %v: %s", timeout, what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// sees reports whether p's arena holds a cycle for every id.
func sees(t *testing.T, p *Peer, ids ...game.PlayerID) bool {
	s := snap(t, p)
	for _, id := range ids {
		if s.Arena.Cycle(id) == nil {
			return false
		}
	}
	return true
}

func cellsOf(c *game.Cycle) []game.Point {
	var out []game.Point
	c.Cells(func(p game.Point) bool { out = append(out, p); return true })
	return out
}

// trailsAgree reports whether a replica's trail is the owner's trail as it
// was a moment ago (at most slack cells shorter): the same life, and its
// cells a prefix of the owner's. A replica a life behind does not agree.
func trailsAgree(replica, owner *game.Cycle, slack int) error {
	if replica.Life != owner.Life {
		return fmt.Errorf("life %d, owner's %d", replica.Life, owner.Life)
	}
	rc, oc := cellsOf(replica), cellsOf(owner)
	if len(rc) > len(oc) || len(oc)-len(rc) > slack {
		return fmt.Errorf("trail %d cells, owner's %d", len(rc), len(oc))
	}
	if !slices.Equal(rc, oc[:len(rc)]) {
		return fmt.Errorf("trail is not a prefix of the owner's")
	}
	return nil
}
