package net

import (
	"bytes"
	"fmt"
	"log"
	stdnet "net"
	"strings"
	"sync"
	"testing"
	"time"

	"lanarena/game"
	"lanarena/net/wire"
)

// lineLog is a log destination that keeps every line, for tests that
// count them.
type lineLog struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (l *lineLog) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}

func (l *lineLog) lines(substr string) []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []string
	for _, line := range strings.Split(l.buf.String(), "\n") {
		if strings.Contains(line, substr) {
			out = append(out, line)
		}
	}
	return out
}

func (l *lineLog) size() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Len()
}

// TestHelloFloodLogBounded: over real UDP, a full room is flooded with
// Hellos of newcomers (each with its own id and name, from many source
// ports) and with packets of another protocol version. Every packet is
// refused with a notice; the log holds a few lines, one per reason and
// source address per interval, the rest counted.
func TestHelloFloodLogBounded(t *testing.T) {
	var logged lineLog
	a := startPeer(t, udpFactory(t), Config{Name: "a", Logger: log.New(&logged, "", 0)})
	room := wire.RoomTag("test")
	pkt := func(sender game.PlayerID, m wire.Message) []byte {
		b, err := wire.Append(nil, wire.Header{Sender: sender, Seq: 1, Room: room}, m)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	listen := func() *stdnet.UDPConn {
		c, err := stdnet.ListenUDP("udp4", &stdnet.UDPAddr{IP: stdnet.IPv4(127, 0, 0, 1)})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { c.Close() })
		return c
	}
	target := stdnet.UDPAddrFromAddrPort(a.Addr())

	// Fill the room: game.MaxPlayers-1 members besides a.
	for i := range game.MaxPlayers - 1 {
		c := listen()
		id := game.PlayerID(0x1000 + i)
		if _, err := c.WriteToUDP(pkt(id, &wire.Hello{Name: fmt.Sprintf("m%d", i), Room: "test", Params: game.DefaultParams()}), target); err != nil {
			t.Fatal(err)
		}
	}
	eventually(t, 5*time.Second, "the room fills", func() bool { return len(snap(t, a.Peer).Peers) == game.MaxPlayers-1 })

	// In rounds, each awaited: a burst bigger than the socket's buffer
	// would be dropped by the kernel, unseen.
	const rounds, sources, each = 10, 10, 40
	var drops map[string]uint64
	for r := range rounds {
		for s := range sources {
			c := listen()
			for i := range each {
				id := game.PlayerID(0x100000 + ((r*sources+s)*each + i))
				b := pkt(id, &wire.Hello{Name: fmt.Sprintf("n%d-%d-%d", r, s, i), Room: "test", Params: game.DefaultParams()})
				if i%2 == 1 {
					b[2]++ // another protocol version
				}
				if _, err := c.WriteToUDP(b, target); err != nil {
					t.Fatal(err)
				}
			}
		}
		want := uint64((r + 1) * sources * each / 2 / 2) // of each kind; the kernel may drop some
		eventually(t, 10*time.Second, fmt.Sprintf("round %d of the flood is refused", r), func() bool {
			drops = map[string]uint64{}
			for _, d := range snap(t, a.Peer).Drops {
				drops[d.Reason] = d.Count
			}
			return drops[string(DropRoomFull)] >= want && drops[string(DropVersion)] >= want
		})
	}

	notices := logged.lines("notice:")
	t.Logf("%d refusals and %d packets of another version; %d notice lines, %d bytes of log:\n%s",
		drops[string(DropRoomFull)], drops[string(DropVersion)], len(notices), logged.size(), strings.Join(notices, "\n"))
	// One line per reason from one address (all come from 127.0.0.1),
	// and the membership lines of the room filling.
	if len(notices) > 4 {
		t.Errorf("%d notice lines for a flood from one address, want at most 4", len(notices))
	}
	if n := logged.size(); n > 16<<10 {
		t.Errorf("%d bytes of log, want at most 16 KiB", n)
	}
}

// TestFreshIDFloodLogBounded: Hellos with a new id in every packet from
// one address (each a "restart" of the last) log a few lines, not two a
// packet.
func TestFreshIDFloodLogBounded(t *testing.T) {
	var logged lineLog
	a := startPeer(t, udpFactory(t), Config{Name: "a", Logger: log.New(&logged, "", 0)})
	c, err := stdnet.ListenUDP("udp4", &stdnet.UDPAddr{IP: stdnet.IPv4(127, 0, 0, 1)})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	target := stdnet.UDPAddrFromAddrPort(a.Addr())
	const n = 100 // within the per-source rate: every one is handled
	var last game.PlayerID
	for i := range n {
		last = game.PlayerID(0x200000 + i)
		b, err := wire.Append(nil, wire.Header{Sender: last, Seq: 1, Room: wire.RoomTag("test")},
			&wire.Hello{Name: fmt.Sprintf("r%d", i), Room: "test", Params: game.DefaultParams()})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := c.WriteToUDP(b, target); err != nil {
			t.Fatal(err)
		}
	}
	eventually(t, 5*time.Second, "the last id is the member", func() bool {
		ps := snap(t, a.Peer).Peers
		return len(ps) == 1 && ps[0].ID == last
	})
	lines := append(logged.lines(" restarted"), logged.lines(" joined")...)
	t.Logf("%d restart and join lines for %d ids:\n%s", len(lines), n, strings.Join(lines, "\n"))
	if len(lines) > 4 {
		t.Errorf("%d restart and join lines for %d new ids from one address, want at most 4", len(lines), n)
	}
}
