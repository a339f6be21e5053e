package net

import (
	"fmt"
	"net/netip"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"lanarena/game"
	"lanarena/net/wire"
)

// TestSquattersDoNotFillRoom: over real UDP, a script sends valid Hellos
// with a fresh id in every packet from 31 source ports, enough to fill
// the room, but never answers a challenge. None of them becomes a member,
// a real newcomer joins during the flood, and the victim answers each
// squatting port at most about once a second.
func TestSquattersDoNotFillRoom(t *testing.T) {
	a := startPeer(t, udpFactory(t), Config{Name: "a", Bot: true})
	const ports = game.MaxPlayers - 1
	squatters := make([]*scripted, ports)
	replies := make([]atomic.Int64, ports)
	var wg sync.WaitGroup
	t.Cleanup(wg.Wait) // after the sockets close: cleanups run last first
	for i := range squatters {
		squatters[i] = newScripted(t, a.Addr(), "test")
		wg.Add(1)
		go func() { // counts what the victim sends this port, until the test closes it
			defer wg.Done()
			buf := make([]byte, 2048)
			for {
				if _, err := squatters[i].conn.Read(buf); err != nil {
					return
				}
				replies[i].Add(1)
			}
		}()
	}

	start := time.Now()
	flood := func(round int) {
		for i, s := range squatters {
			id := game.PlayerID(0x400000 + round*ports + i)
			s.send(id, uint32(round+1), &wire.Hello{Name: fmt.Sprintf("sq%d", i), Room: "test", Params: game.DefaultParams()})
		}
	}
	round := 0
	for ; round < 10; round++ { // the room would be full by now
		flood(round)
		time.Sleep(20 * time.Millisecond)
	}
	b := startPeer(t, udpFactory(t), Config{Name: "b", Bot: true})
	b.Join(a.Addr())
	deadline := time.Now().Add(10 * time.Second)
	for !(sees(t, a.Peer, b.ID()) && sees(t, b.Peer, a.ID())) {
		if time.Now().After(deadline) {
			t.Fatalf("the newcomer did not join during the flood: a has %d peers", len(snap(t, a.Peer).Peers))
		}
		flood(round)
		round++
		time.Sleep(20 * time.Millisecond)
	}
	for time.Since(start) < 3*time.Second { // a few seconds of flood in all
		flood(round)
		round++
		time.Sleep(20 * time.Millisecond)
	}
	elapsed := time.Since(start)

	for _, p := range snap(t, a.Peer).Peers {
		if p.ID != b.ID() {
			t.Errorf("a squatter became a member: %+v", p)
		}
	}
	if n := len(snap(t, a.Peer).Peers); n != 1 {
		t.Errorf("a has %d peers, want 1 (b)", n)
	}
	time.Sleep(100 * time.Millisecond)     // the last replies in flight
	most := int64(elapsed/time.Second) + 2 // one a second, and one in flight
	for i := range replies {
		if n := replies[i].Load(); n > most {
			t.Errorf("port %d got %d replies in %v of %d Hellos, want at most %d", i, n, elapsed.Round(time.Millisecond), round, most)
		}
	}
	t.Logf("%d rounds of %d Hellos in %v; replies to port 0: %d", round, ports, elapsed.Round(time.Millisecond), replies[0].Load())
}

// TestSpoofedProofsGetNowhere: a source that never receives (a spoofed
// one) cannot echo its cookie. A HelloProof with a made-up cookie, or
// with the cookie of another address (all a spoofer can get), is dropped
// unread; the address whose cookie it is can join with it.
func TestSpoofedProofsGetNowhere(t *testing.T) {
	a := startPeer(t, udpFactory(t), Config{Name: "a"})
	own := newScripted(t, a.Addr(), "test")
	hello := wire.Hello{Name: "m", Room: "test", Params: game.DefaultParams()}
	c := own.challenge(0x500001, &hello)

	spoofer := newScripted(t, a.Addr(), "test")
	spoofer.send(0x500002, 1, &wire.HelloProof{Cookie: c.Cookie, Hello: hello})
	forged := c.Cookie
	forged[0] ^= 1
	newScripted(t, a.Addr(), "test").send(0x500003, 1, &wire.HelloProof{Cookie: forged, Hello: hello})
	for i := range 20 { // plain Hellos from a source that reads nothing
		spoofer.send(game.PlayerID(0x500010+i), 2, &hello)
	}
	eventually(t, 5*time.Second, "both proofs dropped as bad-cookie", func() bool {
		return dropCount(snap(t, a.Peer), DropBadCookie) >= 2
	})
	if ps := snap(t, a.Peer).Peers; len(ps) != 0 {
		t.Fatalf("spoofed Hellos made members: %+v", ps)
	}

	own.send(0x500001, 2, &wire.HelloProof{Cookie: c.Cookie, Hello: hello})
	eventually(t, 5*time.Second, "the cookie's own address joins", func() bool {
		ps := snap(t, a.Peer).Peers
		return len(ps) == 1 && ps[0].ID == 0x500001
	})
}

func dropCount(s Snapshot, r DropReason) uint64 {
	for _, d := range s.Drops {
		if d.Reason == string(r) {
			return d.Count
		}
	}
	return 0
}

// TestRefusalsSayWhy: peers that cannot play together are both told
// why, with the other side's room or settings, over real UDP.
func TestRefusalsSayWhy(t *testing.T) {
	wide := game.DefaultParams()
	wide.Width += 4
	cases := []struct {
		name  string
		a, b  Config
		wantA []string // in a's notice
		wantB []string // in b's notice
	}{
		{"other room", Config{Name: "alice", Room: "den"}, Config{Name: "bob", Room: "lan"},
			[]string{"bob", `room "lan"`}, []string{"alice", `room "den"`}},
		{"incompatible", Config{Name: "alice"}, Config{Name: "bob", Params: wide},
			[]string{"bob", "arena 60x40", "yours 56x40", "--width 60"},
			[]string{"arena 56x40", "yours 60x40", "--width 56"}},
		{"locked", Config{Name: "alice", Secret: "s3cret"}, Config{Name: "bob"},
			nil, []string{"private", "--secret"}},
		{"wrong secret", Config{Name: "alice", Secret: "s3cret"}, Config{Name: "bob", Secret: "other"},
			[]string{"wrong secret"}, []string{"alice", "refused your secret"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			a := startPeer(t, udpFactory(t), tc.a)
			b := startPeer(t, udpFactory(t), tc.b)
			b.Join(a.Addr())
			notice := func(p *testPeer, want []string) func() bool {
				return func() bool {
					n := string(snap(t, p.Peer).Notice)
					for _, w := range want {
						if !strings.Contains(n, w) {
							t.Logf("notice %q lacks %q", n, w)
							return false
						}
					}
					return true
				}
			}
			if tc.wantB != nil {
				eventually(t, 5*time.Second, "b is told why", notice(b, tc.wantB))
			}
			if tc.wantA != nil {
				eventually(t, 5*time.Second, "a is told why", notice(a, tc.wantA))
			}
			if len(snap(t, a.Peer).Peers)+len(snap(t, b.Peer).Peers) != 0 {
				t.Errorf("peers that cannot play together are members")
			}
		})
	}
}

// TestCookies: a cookie is good for its address in its window and the
// next, and for nothing else.
func TestCookies(t *testing.T) {
	t0 := time.Unix(1_000_000, 0)
	j := newCookieJar(t0)
	a := netip.MustParseAddrPort("192.0.2.1:7777")
	c := j.make(a, t0)
	for _, tc := range []struct {
		addr netip.AddrPort
		at   time.Duration
		ok   bool
	}{
		{a, 0, true},
		{a, cookieWindow, true},
		{netip.MustParseAddrPort("192.0.2.1:7778"), 0, false},
		{netip.MustParseAddrPort("192.0.2.2:7777"), 0, false},
		{a, 2*cookieWindow + time.Second, false},
	} {
		if got := j.check(tc.addr, c, t0.Add(tc.at)); got != tc.ok {
			t.Errorf("check(%v) at +%v = %v, want %v", tc.addr, tc.at, got, tc.ok)
		}
	}
}

// TestMembersCountOncePlaying: members that proved their address but
// never sent game state hold no place. With 24 players and 7 such
// members, a room that counted them would be full; a newcomer still
// joins, and plays.
func TestMembersCountOncePlaying(t *testing.T) {
	a := startPeer(t, udpFactory(t), Config{Name: "a", Bot: true})
	for i := range game.MaxPlayers - 1 {
		s := newScripted(t, a.Addr(), "test")
		id := game.PlayerID(0x600000 + i)
		s.join(id, fmt.Sprintf("s%d", i))
		if i >= maxPendingPerHost-1 {
			s.play(id, 3, game.Point{X: 1 + i, Y: 1 + i%8})
		}
	}
	eventually(t, 5*time.Second, "31 members", func() bool { return len(snap(t, a.Peer).Peers) == game.MaxPlayers-1 })
	b := startPeer(t, udpFactory(t), Config{Name: "b", Bot: true})
	b.Join(a.Addr())
	eventually(t, 5*time.Second, "the newcomer plays with a", func() bool {
		return sees(t, a.Peer, b.ID()) && snap(t, a.Peer).Arena.Cycle(b.ID()) != nil
	})
}

// TestNonPlayersPerHostBounded: a script that answers challenges from
// many ports of one machine but never plays holds at most
// maxPendingPerHost memberships.
func TestNonPlayersPerHostBounded(t *testing.T) {
	a := startPeer(t, udpFactory(t), Config{Name: "a"})
	hello := wire.Hello{Name: "idle", Room: "test", Params: game.DefaultParams()}
	for i := range maxPendingPerHost {
		s := newScripted(t, a.Addr(), "test")
		id := game.PlayerID(0x700000 + i)
		c := s.challenge(id, &hello)
		s.send(id, 2, &wire.HelloProof{Cookie: c.Cookie, Hello: hello})
	}
	eventually(t, 5*time.Second, "the first ones are members", func() bool {
		return len(snap(t, a.Peer).Peers) == maxPendingPerHost
	})
	for i := range 4 { // more from the same host get no challenge
		s := newScripted(t, a.Addr(), "test")
		s.send(game.PlayerID(0x700100+i), 1, &hello)
		if m := s.read(300 * time.Millisecond); m != nil {
			t.Errorf("a Hello past the cap got %T", m)
		}
	}
	eventually(t, 5*time.Second, "the extra Hellos dropped", func() bool {
		return dropCount(snap(t, a.Peer), DropRoomFull) >= 4
	})
	if n := len(snap(t, a.Peer).Peers); n != maxPendingPerHost {
		t.Errorf("%d members that never played, want %d", n, maxPendingPerHost)
	}
}
