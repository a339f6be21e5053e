package transport

import (
	"bytes"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"testing"
	"time"
)

// batchTo makes each receivers' messages: different payloads and sizes,
// interleaved the way a server's report interleaves its members.
func batchTo(to []netip.AddrPort, each int) []Message {
	var msgs []Message
	for i := range each {
		for r, addr := range to {
			data := bytes.Repeat([]byte{byte(r)}, 20+i*37%1200)
			copy(data, fmt.Sprintf("%d/%d", r, i))
			msgs = append(msgs, Message{Data: data, To: addr})
		}
	}
	return msgs
}

func testBatch(t *testing.T, im impl) {
	const receivers, each = 3, 40
	trs := im.group(t, 1+receivers)
	tx, rxs := trs[0], trs[1:]
	var to []netip.AddrPort
	for _, rx := range rxs {
		to = append(to, rx.LocalAddr())
	}
	msgs := batchTo(to, each)
	var bytesOut int
	for _, m := range msgs {
		bytesOut += len(m.Data)
	}
	if err := tx.(Batcher).WriteBatch(msgs); err != nil {
		t.Fatalf("WriteBatch: %v", err)
	}
	for r, rx := range rxs {
		var want [][]byte
		for _, m := range msgs {
			if m.To == rx.LocalAddr() {
				want = append(want, m.Data)
			}
		}
		got := collect(rx, len(want), time.Second)
		if len(got) != len(want) {
			t.Fatalf("receiver %d got %d packets, want %d", r, len(got), len(want))
		}
		// Loopback keeps the order; the arrival is what the test is about.
		seen := make(map[string]bool)
		for _, p := range got {
			if p.From != tx.LocalAddr() {
				t.Errorf("receiver %d: From = %v, want %v", r, p.From, tx.LocalAddr())
			}
			seen[string(p.Data)] = true
		}
		for i, w := range want {
			if !seen[string(w)] {
				t.Errorf("receiver %d: message %d (%d bytes) missing", r, i, len(w))
			}
		}
	}
	if st := tx.(statser).Stats(); st.PacketsOut != uint64(len(msgs)) || st.BytesOut != uint64(bytesOut) {
		t.Errorf("sender Stats = %+v, want %d packets and %d bytes out", st, len(msgs), bytesOut)
	}
}

func testBatchAfterClose(t *testing.T, im impl) {
	a, b := im.pair(t)
	a.Close()
	msgs := batchTo([]netip.AddrPort{b.LocalAddr()}, 3)
	err := a.(Batcher).WriteBatch(msgs)
	be, ok := errors.AsType[*BatchError](err)
	if !ok || !errors.Is(err, net.ErrClosed) {
		t.Fatalf("WriteBatch after Close: %v, want a *BatchError of net.ErrClosed", err)
	}
	for i, err := range be.Errs {
		if !errors.Is(err, net.ErrClosed) {
			t.Errorf("message %d: %v, want net.ErrClosed", i, err)
		}
	}
}

// A message the socket cannot send fails alone: the others arrive.
func TestUDPBatchSkipsFailures(t *testing.T) {
	tx, rx := listenUDP(t), listenUDP(t)
	msgs := []Message{
		{Data: []byte("one"), To: rx.LocalAddr()},
		// An IPv4 socket cannot send to IPv6: this one never reaches
		// sendmmsg.
		{Data: []byte("lost"), To: netip.AddrPortFrom(netip.IPv6Loopback(), rx.LocalAddr().Port())},
		{Data: []byte("two"), To: rx.LocalAddr()},
		// The kernel refuses port 0 (EINVAL): sendmmsg stops here.
		{Data: []byte("lost"), To: netip.AddrPortFrom(rx.LocalAddr().Addr(), 0)},
		{Data: []byte("three"), To: rx.LocalAddr()},
	}
	err := tx.WriteBatch(msgs)
	be, ok := errors.AsType[*BatchError](err)
	if !ok || len(be.Errs) != len(msgs) {
		t.Fatalf("WriteBatch = %v, want a *BatchError", err)
	}
	for i, err := range be.Errs {
		if lost := string(msgs[i].Data) == "lost"; (err != nil) != lost {
			t.Errorf("message %d to %v: error %v, want one: %v", i, msgs[i].To, err, lost)
		}
	}
	var got []string
	for _, p := range collect(rx, 3, time.Second) {
		got = append(got, string(p.Data))
	}
	if fmt.Sprint(got) != "[one two three]" {
		t.Errorf("got %q, want one, two, three", got)
	}
	if st := tx.Stats(); st.PacketsOut != 3 {
		t.Errorf("PacketsOut = %d, want 3", st.PacketsOut)
	}
}

// A batch longer than one sendmmsg takes (the kernel caps it at 1024
// messages) goes out whole.
func TestUDPBatchLong(t *testing.T) {
	tx, rx := listenUDP(t), listenUDP(t)
	const n = 2500
	msgs := make([]Message, n)
	for i := range msgs {
		msgs[i] = Message{Data: []byte{byte(i)}, To: rx.LocalAddr()}
	}
	if err := tx.WriteBatch(msgs); err != nil {
		t.Fatal(err)
	}
	if st := tx.Stats(); st.PacketsOut != n || st.BytesOut != n {
		t.Errorf("sender Stats = %+v, want %d packets and bytes out", st, n)
	}
}

// A dual-stack socket has no batch path (see UDP.batch) and sends one
// WriteTo a message, to IPv4 and IPv6 destinations alike.
func TestUDPBatchDualStack(t *testing.T) {
	tx, err := ListenUDP(netip.AddrPort{})
	if err != nil {
		t.Skipf("no dual-stack socket: %v", err)
	}
	t.Cleanup(func() { tx.Close() })
	rx := listenUDP(t)
	msgs := batchTo([]netip.AddrPort{rx.LocalAddr()}, 5)
	if err := tx.WriteBatch(msgs); err != nil {
		t.Fatal(err)
	}
	if got := collect(rx, len(msgs), time.Second); len(got) != len(msgs) {
		t.Errorf("got %d packets, want %d", len(got), len(msgs))
	}
}

func TestUDPBatchAllocs(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector drops sync.Pool items, which x/net's sendmmsg uses")
	}
	tx := listenUDP(t)
	// Bare sockets that nobody reads: a transport's reader would count
	// its own allocations.
	var to []netip.AddrPort
	for range 8 {
		c, err := net.ListenUDP("udp4", net.UDPAddrFromAddrPort(loopback))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { c.Close() })
		to = append(to, c.LocalAddr().(*net.UDPAddr).AddrPort())
	}
	msgs := batchTo(to, 4)
	allocs := testing.AllocsPerRun(50, func() {
		if err := tx.WriteBatch(msgs); err != nil {
			t.Fatal(err)
		}
	})
	if allocs != 0 {
		t.Errorf("WriteBatch of %d: %v allocations, want 0", len(msgs), allocs)
	}
}
