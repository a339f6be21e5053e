package net

import (
	"strings"
	"testing"

	"lanarena/net/transport"
)

// TestPrivateRoom: peers sharing the secret play; a peer with the wrong
// secret or none cannot join or inject, and is told why; a replayed packet
// is dropped.
func TestPrivateRoom(t *testing.T) {
	n := newSimNetWith(t, 9, 4, func(i int, c *Config) {
		c.Bot = true
		switch i {
		case 0, 1:
			c.Secret = "s3cret"
		case 2:
			c.Secret = "wrong"
		}
	})
	a, b, wrong, none := n.cores[0], n.cores[1], n.cores[2], n.cores[3]
	// As mDNS would, the room's peers find the outsiders too.
	a.addCandidate(wrong.p.Addr(), false, n.now)
	a.addCandidate(none.p.Addr(), false, n.now)
	for range 60 {
		n.advance(false)
	}
	if a.members[b.p.id] == nil || b.members[a.p.id] == nil {
		t.Fatalf("peers with the secret did not meet")
	}
	for _, l := range []*core{a, b} {
		if l.members[wrong.p.id] != nil || l.members[none.p.id] != nil {
			t.Errorf("%s admitted a peer without the secret", l.p.cfg.Name)
		}
		if l.st.Cycle(wrong.p.id) != nil || l.st.Cycle(none.p.id) != nil {
			t.Errorf("%s shows the cycle of a peer without the secret", l.p.cfg.Name)
		}
	}
	if a.drops[DropAuth] == 0 || a.drops[DropUnauthenticated] == 0 {
		t.Errorf("a counted no packets with a wrong or missing secret: %v", a.drops)
	}
	if !strings.Contains(string(wrong.notice), "wrong secret") {
		t.Errorf("wrong secret: notice %q", wrong.notice)
	}
	if !strings.Contains(string(none.notice), "--secret") {
		t.Errorf("no secret: notice %q", none.notice)
	}
	if wrong.members[a.p.id] != nil || none.members[a.p.id] != nil {
		t.Errorf("a peer without the secret admitted a member of the private room")
	}
	// Replay: a packet b already accepted, delivered again.
	a.broadcast()
	var pkt []byte
	for _, q := range n.queue {
		if q.from == a.p.Addr() && q.to == b.p.Addr() {
			pkt = q.data
		}
	}
	if pkt == nil {
		t.Fatal("no packet from a to b")
	}
	n.deliver()
	before := b.drops[DropReplay]
	b.handle(transport.Packet{Data: pkt, From: a.p.Addr(), At: n.now}, n.now)
	if b.drops[DropReplay] != before+1 {
		t.Errorf("replayed packet not dropped as a replay: drops %v", b.drops)
	}
}
