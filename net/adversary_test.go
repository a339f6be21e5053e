package net

import (
	"math/rand/v2"
	stdnet "net"
	"net/netip"
	"testing"
	"time"

	"lanarena/game"
	"lanarena/net/wire"
)

// TestHostileTraffic sends garbage, truncated, oversized, foreign,
// replayed, spoofed, impossible and flooding traffic at a running peer over
// real UDP. The peer keeps playing, keeps what it had, and counts the drops
// by reason; the attacker is reported.
func TestHostileTraffic(t *testing.T) {
	a := startPeer(t, udpFactory(t), Config{Name: "a", Bot: true})
	b := startPeer(t, udpFactory(t), Config{Name: "b", Bot: true})
	b.Join(a.Addr())
	eventually(t, 5*time.Second, "a sees b", func() bool { return sees(t, a.Peer, b.ID()) })

	conn, err := stdnet.ListenUDP("udp4", &stdnet.UDPAddr{IP: stdnet.IPv4(127, 0, 0, 1)})
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	target := stdnet.UDPAddrFromAddrPort(a.Addr())
	send := func(b []byte) {
		if _, err := conn.WriteToUDP(b, target); err != nil {
			t.Fatal(err)
		}
	}
	room := wire.RoomTag("test")
	pkt := func(sender game.PlayerID, seq uint32, m wire.Message) []byte {
		b, err := wire.Append(nil, wire.Header{Sender: sender, Seq: seq, Room: room}, m)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	rng := rand.New(rand.NewPCG(1, 2))
	garbage := make([]byte, 200)
	for range 50 { // garbage
		for i := range garbage {
			garbage[i] = byte(rng.Uint32())
		}
		send(garbage[:rng.IntN(len(garbage))+1])
	}
	hello := pkt(666, 1, &wire.Hello{Name: "\x1b[31mevil", Room: "test", Params: game.DefaultParams()})
	for i := 1; i < len(hello); i += 7 { // truncated
		send(hello[:i])
	}
	send(make([]byte, 1500)) // oversized
	// Another room's hello, from a source of its own: the truncated ones
	// spent this source's answer of the second.
	newScripted(t, a.Addr(), "test").send(666, 2, &wire.Hello{Name: "elsewhere", Room: "other", Params: game.DefaultParams()})
	foreign := pkt(666, 3, &wire.Leave{})
	foreign[2] = 9 // another protocol version
	send(foreign)
	state := &wire.State{Tick: 1, Life: 1, Alive: true, Head: game.Point{X: 3, Y: 3}, VertTotal: 1, Verts: []game.Point{{X: 3, Y: 3}}}
	send(pkt(b.ID(), 1<<30, state))                                                              // spoofed: b's id from another address
	send(pkt(b.ID(), 1<<30, &wire.Leave{}))                                                      // spoofed leave
	send(pkt(b.ID(), 1<<30, &wire.Hello{Name: "b", Room: "test", Params: game.DefaultParams()})) // spoofed hello
	// The attacker joins as a member, then sends impossible states.
	hello = pkt(666, 10, &wire.Hello{Name: "\x1b]0;pwn\x07mallory", Room: "test", Params: game.DefaultParams()})
	challenge := readChallenge(t, conn, func() { send(hello) })
	send(pkt(666, 10, &wire.HelloProof{Cookie: challenge.Cookie, Hello: wire.Hello{Name: "\x1b]0;pwn\x07mallory", Room: "test", Params: game.DefaultParams()}}))
	eventually(t, 3*time.Second, "a admits mallory", func() bool { return len(snap(t, a.Peer).Peers) == 2 })
	send(pkt(666, 11, state))
	send(pkt(666, 12, &wire.State{Tick: 2, Life: 1, Alive: true, Head: game.Point{X: 30, Y: 30}, VertTotal: 1, Verts: []game.Point{{X: 30, Y: 30}}})) // teleport
	send(pkt(666, 13, &wire.State{Tick: 3, Life: 1, Alive: true, Head: game.Point{X: 200, Y: 3}, VertTotal: 1, Verts: []game.Point{{X: 3, Y: 3}}}))   // off the arena
	send(pkt(666, 14, &wire.State{Tick: 10, Life: 1, Alive: true, Head: game.Point{X: 4, Y: 4}, VertTotal: 1, Verts: []game.Point{{X: 3, Y: 3}}}))    // diagonal trail
	send(pkt(666, 11, state))                                                                                                                         // replayed: an old sequence number
	for i := range 3000 {                                                                                                                             // flood
		send(pkt(666, uint32(100+i), &wire.Ping{Nonce: uint64(i)}))
	}

	want := []DropReason{DropBadMagic, DropTruncated, DropTooBig, DropWrongRoom, DropVersion, DropSpoofed,
		DropTeleport, DropOffArena, DropBadTrail, DropStale, DropRateLimit}
	eventually(t, 5*time.Second, "a counts every kind of drop", func() bool {
		drops := map[DropReason]uint64{}
		for _, d := range snap(t, a.Peer).Drops {
			drops[DropReason(d.Reason)] = d.Count
		}
		for _, r := range want {
			if drops[r] == 0 {
				t.Logf("no %q drop yet: %v", r, drops)
				return false
			}
		}
		return true
	})
	s := snap(t, a.Peer)
	var mallory *PeerStats
	for i := range s.Peers {
		if s.Peers[i].ID == 666 {
			mallory = &s.Peers[i]
		}
	}
	if mallory == nil || !mallory.Suspect {
		t.Errorf("the attacker is not marked as a suspect: %+v", mallory)
	}
	for _, ps := range s.Peers {
		for _, r := range ps.Name {
			if r < 0x20 || r == 0x7f {
				t.Errorf("a name keeps a control character: %q", ps.Name)
			}
		}
	}
	// a still plays with b: b's cycle is there, agrees with b, and a moves.
	tick := s.Arena.Tick
	eventually(t, 5*time.Second, "a's replica of b agrees with b", func() bool {
		rep := snap(t, a.Peer).Arena.Cycle(b.ID())
		own := snap(t, b.Peer).Arena.Cycle(b.ID())
		return rep != nil && trailsAgree(rep, own, 15) == nil
	})
	eventually(t, 2*time.Second, "a keeps ticking", func() bool { return snap(t, a.Peer).Arena.Tick > tick+3 })
	if m := snap(t, a.Peer).Arena.Cycle(666); m != nil && m.Head == (game.Point{X: 30, Y: 30}) {
		t.Errorf("a teleported state was applied")
	}
	_ = netip.AddrPort{}
}

// readChallenge says hello on conn, again every 1.2 s (a stranger gets
// one answer a second), until a Challenge comes.
func readChallenge(t *testing.T, conn *stdnet.UDPConn, hello func()) *wire.Challenge {
	t.Helper()
	buf := make([]byte, 2048)
	defer conn.SetReadDeadline(time.Time{})
	for range 5 {
		hello()
		conn.SetReadDeadline(time.Now().Add(1200 * time.Millisecond))
		for {
			n, err := conn.Read(buf)
			if err != nil {
				break
			}
			if _, m, err := wire.Decode(buf[:n]); err == nil {
				if c, ok := m.(*wire.Challenge); ok {
					return c
				}
			}
		}
	}
	t.Fatal("no challenge")
	return nil
}
