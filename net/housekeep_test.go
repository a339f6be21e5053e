package net

import (
	"net/netip"
	"testing"
	"time"

	"lanarena/net/transport"
	"lanarena/net/wire"
)

// TestHousekeepingOnOneClock: on the simulation's clock alone, a source
// that sends junk is marked suspect, its junk count is reset after 10 s,
// it is forgotten after 30 s of silence, and a notice goes away after
// 10 s.
func TestHousekeepingOnOneClock(t *testing.T) {
	n := newSimNet(t, 9, 2, false)
	for range 30 {
		n.advance(false)
	}
	a := n.cores[0]
	junk := netip.AddrPortFrom(netip.AddrFrom4([4]byte{10, 9, 9, 9}), 666)
	for range suspectAfter + 5 {
		a.handle(transport.Packet{Data: []byte("not a packet"), From: junk}, n.now)
	}
	other, err := wire.Append(nil, wire.Header{Sender: 77, Seq: 1, Room: a.p.room}, &wire.Ping{})
	if err != nil {
		t.Fatal(err)
	}
	other[2] = wire.Version + 1 // the version byte
	a.handle(transport.Packet{Data: other, From: junk}, n.now)
	if s := a.sources[junk]; s == nil || s.bad < suspectAfter || !s.warned {
		t.Fatalf("source after %d junk packets: %+v, want it suspect and reported", suspectAfter+5, s)
	}
	if want := "10.9.9.9:666 runs another lanarena (protocol 3): update"; string(a.notice) != want {
		t.Fatalf("notice %q, want %q", a.notice, want)
	}

	advanceFor(n, 11*time.Second)
	if s := a.sources[junk]; s == nil || s.bad != 0 {
		t.Errorf("source 11 s later: %+v, want it remembered with its junk count reset", s)
	}
	if a.notice != "" {
		t.Errorf("notice %q 11 s later, want none", a.notice)
	}
	advanceFor(n, 20*time.Second)
	if s := a.sources[junk]; s != nil {
		t.Errorf("source 31 s after its last packet: %+v, want it forgotten", s)
	}
}

// advanceFor runs the simulation for d of its time.
func advanceFor(n *simNet, d time.Duration) {
	for end := n.now.Add(d); n.now.Before(end); {
		n.advance(false)
	}
}

// TestOtherVersionNamed: a version-1 Hello names its sender in the notice,
// and one source is told about once per versionNoticeEvery, not per packet.
func TestOtherVersionNamed(t *testing.T) {
	n := newSimNet(t, 9, 1, false)
	a := n.cores[0]
	from := netip.AddrPortFrom(netip.AddrFrom4([4]byte{10, 9, 9, 8}), 4242)
	hello := []byte{'L', 'A', 1, byte(wire.TypeHello), 0, 4, 3, 2, 1, 7, 0, 0, 0}
	hello = append(hello, byte(a.p.room), byte(a.p.room>>8), byte(a.p.room>>16), byte(a.p.room>>24))
	hello = append(hello, 0, 0, 3, 56, 40, 15, 5, 'o', 'l', 'd', '\x1b', 'y', 0, 0, 0)
	ping, _ := wire.Append(nil, wire.Header{Sender: 0x01020304, Seq: 1, Room: a.p.room}, &wire.Ping{})
	ping[2] = 1
	a.handle(transport.Packet{Data: ping, From: from}, n.now)
	if want := "10.9.9.8:4242 runs another lanarena (protocol 1): update"; string(a.notice) != want {
		t.Fatalf("notice %q after a ping, want %q", a.notice, want)
	}
	a.handle(transport.Packet{Data: hello, From: from}, n.now)
	if want := "old runs another lanarena (protocol 1): update"; string(a.notice) != want {
		t.Fatalf("notice %q after a hello, want %q", a.notice, want)
	}
	a.notice = ""
	n.advance(false)
	a.handle(transport.Packet{Data: hello, From: from}, n.now)
	if a.notice != "" {
		t.Errorf("notice %q told again at once", a.notice)
	}
	advanceFor(n, versionNoticeEvery+time.Second)
	a.handle(transport.Packet{Data: hello, From: from}, n.now)
	if a.notice == "" {
		t.Errorf("no notice %v later", versionNoticeEvery+time.Second)
	}
}
