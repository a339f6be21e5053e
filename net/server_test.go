package net

import (
	"strings"
	"testing"
	"time"

	"lanarena/game"
)

// advanceInOrder runs one tick of each loop in the given order, delivering
// what each sent before the next one ticks.
func (n *simNet) advanceInOrder(order []*core) {
	n.step++
	n.now = n.now.Add(time.Second / 15)
	for _, l := range order {
		l.tick(n.now)
		n.deliver()
	}
	if n.step%4 == 0 {
		for _, l := range order {
			l.housekeep(n.now)
		}
		n.deliver()
	}
}

func serverSim(t *testing.T, peers int) (*simNet, *core, []*core) {
	t.Helper()
	n := newSimNetMode(t, 3, peers, true, ModeServer)
	for range 60 { // 4 s: meet, then elect after electionDelay
		n.advance(false)
	}
	host := n.cores[0] // lowest id
	if !host.server().hosting() {
		t.Fatalf("peer %s does not host", host.p.cfg.Name)
	}
	for _, l := range n.cores[1:] {
		if l.server().hosting() || l.server().host != host.p.id {
			t.Fatalf("%s: host %d, want %d", l.p.cfg.Name, l.server().host, host.p.id)
		}
	}
	return n, host, n.cores[1:]
}

// TestServerModeReplicasAgreeTickByTick: with clients ticking before the
// host, after every tick each client's replica of every cycle equals the
// host's authoritative cycle.
func TestServerModeReplicasAgreeTickByTick(t *testing.T) {
	n, host, clients := serverSim(t, 3)
	order := append(append([]*core{}, clients...), host)
	moved := 0
	for tick := range 300 {
		before := host.st.Cycle(clients[0].p.id).TrailLen()
		n.advanceInOrder(order)
		if host.st.Cycle(clients[0].p.id).TrailLen() != before {
			moved++
		}
		for _, c := range clients {
			for _, id := range host.st.IDs() {
				want := host.st.CycleDigest(id)
				if got := c.st.CycleDigest(id); got != want {
					t.Fatalf("tick %d: %s's replica of %s differs from the host's", tick, c.p.cfg.Name, host.st.Cycle(id).Name)
				}
			}
			if c.st.Len() != host.st.Len() {
				t.Fatalf("tick %d: %s knows %d cycles, host %d", tick, c.p.cfg.Name, c.st.Len(), host.st.Len())
			}
		}
	}
	if moved < 100 {
		t.Errorf("client cycle grew on %d of 300 ticks: server mode does not move clients", moved)
	}
}

// TestServerModeClientBlocksOnHost: a client whose answers are delayed
// moves once per round trip, not once per tick.
func TestServerModeClientBlocksOnHost(t *testing.T) {
	n, host, clients := serverSim(t, 2)
	client := clients[0]
	cells := func() int { return int(host.st.Cycle(client.p.id).Life)*10000 + host.st.Cycle(client.p.id).TrailLen() }
	n.maxDelay = 0
	start, moves := cells(), 0
	for range 60 {
		n.advance(false)
		if c := cells(); c != start {
			moves++
			start = c
		}
	}
	if moves < 45 {
		t.Fatalf("no delay: client moved on %d of 60 ticks, want most", moves)
	}
	// Every packet now takes 4 ticks each way: a round trip is 8 ticks.
	n.delayAll = 4
	start, moves = cells(), 0
	for range 80 {
		n.advance(false)
		if c := cells(); c != start {
			moves++
			start = c
		}
	}
	if moves < 6 || moves > 14 {
		t.Errorf("round trip of 8 ticks: client moved on %d of 80 ticks, want about 10", moves)
	}
	if w, _ := client.server().waiting(n.now); w <= 0 && client.server().outstanding {
		t.Errorf("waiting %v while a request is outstanding", w)
	}
}

// TestServerModeHostFailover: when the host vanishes, clients say so,
// elect the next host, and play on.
func TestServerModeHostFailover(t *testing.T) {
	n, host, clients := serverSim(t, 3)
	delete(n.byAddr, host.p.Addr()) // the host's machine dies: nothing in, nothing out
	var alive []*core
	for _, l := range n.cores {
		if l != host {
			alive = append(alive, l)
		}
	}
	n.cores = alive
	for range 15 * 6 { // 6 s
		n.advance(false)
	}
	newHost := clients[0]
	if !newHost.server().hosting() {
		t.Fatalf("%s did not take over (host %d)", newHost.p.cfg.Name, newHost.server().host)
	}
	if got := clients[1].server().host; got != newHost.p.id {
		t.Fatalf("%s follows host %d, want %d", clients[1].p.cfg.Name, got, newHost.p.id)
	}
	if newHost.st.Cycle(host.p.id) != nil {
		t.Errorf("the dead host's cycle is still in the arena")
	}
	found := false
	for _, ln := range clients[1].logLines {
		if strings.Contains(string(ln.Text), "host") && (strings.Contains(string(ln.Text), "stopped answering") || strings.Contains(string(ln.Text), "left")) {
			found = true
		}
	}
	if !found {
		t.Errorf("no log line tells the player the host was lost: %v", clients[1].logLines)
	}
	before := newHost.st.Cycle(clients[1].p.id).TrailLen() + 1000*int(newHost.st.Cycle(clients[1].p.id).Life)
	for range 30 {
		n.advance(false)
	}
	after := newHost.st.Cycle(clients[1].p.id).TrailLen() + 1000*int(newHost.st.Cycle(clients[1].p.id).Life)
	if after == before {
		t.Errorf("the remaining client does not move under the new host")
	}
	_ = game.Up
}
