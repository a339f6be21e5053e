package net

import (
	"errors"
	stdnet "net"
	"net/netip"
	"os"
	"testing"
	"time"

	"lanarena/game"
	"lanarena/net/wire"
)

// scripted is a socket that speaks the protocol by hand, as an outside
// program would: it sends what a test tells it to a running peer over
// real UDP and reads what comes back.
type scripted struct {
	t      *testing.T
	conn   *stdnet.UDPConn
	target *stdnet.UDPAddr
	room   string
}

func newScripted(t *testing.T, target netip.AddrPort, room string) *scripted {
	t.Helper()
	c, err := stdnet.ListenUDP("udp4", &stdnet.UDPAddr{IP: stdnet.IPv4(127, 0, 0, 1)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return &scripted{t: t, conn: c, target: stdnet.UDPAddrFromAddrPort(target), room: room}
}

func (s *scripted) addr() netip.AddrPort { return s.conn.LocalAddr().(*stdnet.UDPAddr).AddrPort() }

func (s *scripted) packet(sender game.PlayerID, seq uint32, m wire.Message) []byte {
	b, err := wire.Append(nil, wire.Header{Sender: sender, Seq: seq, Room: wire.RoomTag(s.room)}, m)
	if err != nil {
		s.t.Fatal(err)
	}
	return b
}

func (s *scripted) send(sender game.PlayerID, seq uint32, m wire.Message) {
	s.sendRaw(s.packet(sender, seq, m))
}

func (s *scripted) sendRaw(b []byte) {
	if _, err := s.conn.WriteToUDP(b, s.target); err != nil {
		s.t.Fatal(err)
	}
}

// read returns the next message that arrives within d, nil if none.
func (s *scripted) read(d time.Duration) wire.Message {
	buf := make([]byte, 2048)
	deadline := time.Now().Add(d)
	for {
		s.conn.SetReadDeadline(deadline)
		n, err := s.conn.Read(buf)
		if errors.Is(err, os.ErrDeadlineExceeded) {
			return nil
		}
		if err != nil {
			s.t.Fatal(err)
		}
		if _, m, err := wire.Decode(buf[:n]); err == nil {
			return m
		}
	}
}

// challenge sends hello and returns the Challenge it gets.
func (s *scripted) challenge(id game.PlayerID, hello *wire.Hello) *wire.Challenge {
	s.t.Helper()
	for try := 0; try < 5; try++ {
		s.send(id, 1, hello)
		for {
			m := s.read(1500 * time.Millisecond)
			if m == nil {
				break
			}
			if c, ok := m.(*wire.Challenge); ok {
				return c
			}
		}
	}
	s.t.Fatalf("no challenge for %v", id)
	return nil
}

// join makes id a member by the handshake: Hello, Challenge, HelloProof.
func (s *scripted) join(id game.PlayerID, name string) {
	s.t.Helper()
	hello := &wire.Hello{Name: name, Room: s.room, Params: game.DefaultParams()}
	c := s.challenge(id, hello)
	s.send(id, 2, &wire.HelloProof{Cookie: c.Cookie, Hello: *hello})
}

// play sends one valid State of a cycle at head, which makes a member a
// player.
func (s *scripted) play(id game.PlayerID, seq uint32, head game.Point) {
	s.send(id, seq, &wire.State{Tick: 1, Life: 1, Alive: true, Dir: game.Right, Head: head,
		VertTotal: 1, Verts: []game.Point{head}})
}
