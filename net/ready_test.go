package net

import "testing"

// TestReplicasSeeTheReadyPhase: in a peer-to-peer room, another peer's
// replica of a new cycle shows its ready phase, the cycle waiting on its
// spawn cell, then riding; the owner's first key ends the phase.
func TestReplicasSeeTheReadyPhase(t *testing.T) {
	n := newSimNet(t, 4, 2, false)
	a, b := n.cores[0], n.cores[1]
	spawn := a.self().Head
	seen := false
	for range a.st.Params.ReadyTicks() - 2 {
		n.advance(false)
		if c := a.self(); c.Head != spawn || c.Ready == 0 {
			t.Fatalf("a's cycle during its ready phase: head %v ready %d, want it waiting at %v", c.Head, c.Ready, spawn)
		}
		if r := b.st.Cycle(a.p.id); r != nil && r.Ready > 0 {
			seen = true
			if r.Head != spawn || r.Ready < a.self().Ready {
				t.Fatalf("b's replica of a: head %v ready %d, a has %v ready %d", r.Head, r.Ready, spawn, a.self().Ready)
			}
		}
	}
	if !seen {
		t.Fatal("b never saw a's ready phase")
	}
	d := a.self().Dir.Opposite()
	a.model.turn(d)
	n.advance(false)
	n.advance(false)
	if c := a.self(); c.Ready != 0 || c.Head == spawn || c.Dir != d {
		t.Fatalf("a after a key: ready %d head %v dir %v, want riding %v from %v", c.Ready, c.Head, c.Dir, d, spawn)
	}
	if r := b.st.Cycle(a.p.id); r.Ready != 0 || r.Head == spawn {
		t.Errorf("b's replica after a set off: ready %d head %v", r.Ready, r.Head)
	}
}

// TestServerHostRunsTheReadyPhase: in server mode the host counts a
// client's ready phase down on its own clock, holding the cycle on its
// cell whatever the client requests, and the clients see the phase.
func TestServerHostRunsTheReadyPhase(t *testing.T) {
	n := newSimNetMode(t, 3, 3, false, ModeServer) // players who press no key
	for range 60 {
		n.advance(false)
	}
	host, clients := n.cores[0], n.cores[1:]
	if !host.server().hosting() {
		t.Fatal("the lowest id does not host")
	}
	id := clients[0].p.id
	c := host.st.Cycle(id)
	if !c.Alive {
		for !c.Alive {
			n.advance(false)
		}
	}
	c.Ready = 10
	at := c.Head
	seen := false
	for range 9 {
		n.advance(false)
		if c.Head != at || !c.Alive {
			t.Fatalf("client's cycle on the host during its phase: head %v alive %v, want waiting at %v", c.Head, c.Alive, at)
		}
		if r := clients[1].st.Cycle(id); r != nil && r.Ready > 0 && r.Head == at {
			seen = true
		}
	}
	if !seen {
		t.Error("another client never saw the phase")
	}
	for range 3 {
		n.advance(false)
	}
	if c.Ready != 0 {
		t.Errorf("ready %d after 12 host ticks, want 0: the host's clock runs the phase", c.Ready)
	}
}

// TestServerClientKeyEndsThePhase: a server-mode client's first key, even
// its current heading, sets its waiting cycle off through the host.
func TestServerClientKeyEndsThePhase(t *testing.T) {
	n := newSimNetMode(t, 3, 2, false, ModeServer)
	for range 60 {
		n.advance(false)
	}
	host, client := n.cores[0], n.cores[1]
	c := host.st.Cycle(client.p.id)
	for !c.Alive {
		n.advance(false)
	}
	c.Ready = 60
	for range 3 {
		n.advance(false)
	}
	at, d := c.Head, c.Dir
	client.model.turn(d)
	for range 4 {
		n.advance(false)
	}
	if c.Ready != 0 || c.Head == at || c.Dir != d {
		t.Fatalf("after the client's key: ready %d head %v dir %v, want riding %v from %v", c.Ready, c.Head, c.Dir, d, at)
	}
}
