package transport

import (
	"bytes"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"sync"
	"testing"
	"time"
)

// The same behavioural suite runs over every implementation, the way
// wireguard-go runs its tests over a real socket and over bindtest.

var loopback = netip.AddrPortFrom(netip.MustParseAddr("127.0.0.1"), 0)

type statser interface{ Stats() Stats }

type impl struct {
	name string
	// pair returns two transports that can reach each other; the test
	// closes them.
	pair func(t *testing.T) (a, b Transport)
	// group returns n transports that can reach each other, likewise.
	group func(t *testing.T, n int) []Transport
	// lossless: every packet sent arrives (Mem); a real socket may lose
	// a few under load.
	lossless bool
}

func listenUDP(t *testing.T) *UDP {
	t.Helper()
	u, err := ListenUDP(loopback)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { u.Close() })
	return u
}

func listenMem(t *testing.T, n *MemNetwork) *Mem {
	t.Helper()
	m, err := n.Listen(loopback)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { m.Close() })
	return m
}

func impaired(t *testing.T, tr Transport, c ImpairConfig) *Impaired {
	h := Impair(tr, c)
	t.Cleanup(func() { h.Close() })
	return h
}

var impls = []impl{
	{name: "udp", pair: func(t *testing.T) (Transport, Transport) {
		return listenUDP(t), listenUDP(t)
	}, group: func(t *testing.T, n int) []Transport {
		return listenN(n, func() Transport { return listenUDP(t) })
	}},
	{name: "mem", lossless: true, pair: func(t *testing.T) (Transport, Transport) {
		n := NewMemNetwork()
		return listenMem(t, n), listenMem(t, n)
	}, group: func(t *testing.T, n int) []Transport {
		mn := NewMemNetwork()
		return listenN(n, func() Transport { return listenMem(t, mn) })
	}},
	{name: "impaired-udp", pair: func(t *testing.T) (Transport, Transport) {
		return impaired(t, listenUDP(t), ImpairConfig{}), impaired(t, listenUDP(t), ImpairConfig{})
	}, group: func(t *testing.T, n int) []Transport {
		return listenN(n, func() Transport { return impaired(t, listenUDP(t), ImpairConfig{}) })
	}},
	{name: "impaired-mem", lossless: true, pair: func(t *testing.T) (Transport, Transport) {
		n := NewMemNetwork()
		return impaired(t, listenMem(t, n), ImpairConfig{}), impaired(t, listenMem(t, n), ImpairConfig{})
	}, group: func(t *testing.T, n int) []Transport {
		mn := NewMemNetwork()
		return listenN(n, func() Transport { return impaired(t, listenMem(t, mn), ImpairConfig{}) })
	}},
}

func listenN(n int, listen func() Transport) []Transport {
	trs := make([]Transport, n)
	for i := range trs {
		trs[i] = listen()
	}
	return trs
}

func TestTransport(t *testing.T) {
	tests := []struct {
		name string
		fn   func(*testing.T, impl)
	}{
		{"SendReceive", testSendReceive},
		{"ReceiverOwnsData", testReceiverOwnsData},
		{"LocalAddr", testLocalAddr},
		{"MappedAddress", testMappedAddress},
		{"UnknownDestination", testUnknownDestination},
		{"BigDatagram", testBigDatagram},
		{"ConcurrentWriters", testConcurrentWriters},
		{"Stats", testStats},
		{"ReadDrops", testReadDrops},
		{"Close", testClose},
		{"CloseUnblocksReader", testCloseUnblocksReader},
		{"Batch", testBatch},
		{"BatchAfterClose", testBatchAfterClose},
	}
	for _, im := range impls {
		t.Run(im.name, func(t *testing.T) {
			for _, tt := range tests {
				t.Run(tt.name, func(t *testing.T) { tt.fn(t, im) })
			}
		})
	}
}

// recv waits for one packet.
func recv(t *testing.T, tr Transport) Packet {
	t.Helper()
	select {
	case p, ok := <-tr.Packets():
		if !ok {
			t.Fatal("Packets closed")
		}
		return p
	case <-time.After(5 * time.Second):
		t.Fatal("no packet within 5s")
	}
	panic("unreachable")
}

// collect receives until n packets have arrived or nothing has arrived for
// quiet.
func collect(tr Transport, n int, quiet time.Duration) []Packet {
	var got []Packet
	for len(got) < n {
		select {
		case p, ok := <-tr.Packets():
			if !ok {
				return got
			}
			got = append(got, p)
		case <-time.After(quiet):
			return got
		}
	}
	return got
}

func testSendReceive(t *testing.T, im impl) {
	a, b := im.pair(t)
	before := time.Now()
	for i := range 10 {
		if err := a.WriteTo([]byte{byte(i)}, b.LocalAddr()); err != nil {
			t.Fatal(err)
		}
	}
	seen := make(map[byte]bool)
	for range 10 {
		p := recv(t, b)
		if p.From != a.LocalAddr() {
			t.Errorf("From = %v, want %v", p.From, a.LocalAddr())
		}
		if p.At.Before(before) || time.Since(p.At) > time.Minute {
			t.Errorf("At = %v, want about now", p.At)
		}
		if len(p.Data) != 1 {
			t.Fatalf("got %d bytes, want 1", len(p.Data))
		}
		seen[p.Data[0]] = true
	}
	if len(seen) != 10 {
		t.Errorf("got %d distinct packets, want 10", len(seen))
	}
	// And back.
	if err := b.WriteTo([]byte("pong"), a.LocalAddr()); err != nil {
		t.Fatal(err)
	}
	if p := recv(t, a); string(p.Data) != "pong" || p.From != b.LocalAddr() {
		t.Errorf("got %q from %v, want %q from %v", p.Data, p.From, "pong", b.LocalAddr())
	}
}

func testReceiverOwnsData(t *testing.T, im impl) {
	a, b := im.pair(t)
	buf := []byte("hello")
	if err := a.WriteTo(buf, b.LocalAddr()); err != nil {
		t.Fatal(err)
	}
	copy(buf, "XXXXX") // the sender reuses its buffer at once
	if err := a.WriteTo(buf, b.LocalAddr()); err != nil {
		t.Fatal(err)
	}
	p1, p2 := recv(t, b), recv(t, b)
	if string(p1.Data) != "hello" || string(p2.Data) != "XXXXX" {
		t.Errorf("got %q, %q; want %q, %q", p1.Data, p2.Data, "hello", "XXXXX")
	}
}

func testLocalAddr(t *testing.T, im impl) {
	a, b := im.pair(t)
	for _, tr := range []Transport{a, b} {
		la := tr.LocalAddr()
		if !la.Addr().Is4() || la.Port() == 0 {
			t.Errorf("LocalAddr = %v, want an IPv4 address and a port", la)
		}
	}
	if a.LocalAddr() == b.LocalAddr() {
		t.Errorf("both transports at %v", a.LocalAddr())
	}
}

func testMappedAddress(t *testing.T, im impl) {
	a, b := im.pair(t)
	to := b.LocalAddr()
	mapped := netip.AddrPortFrom(netip.AddrFrom16(to.Addr().As16()), to.Port())
	if !mapped.Addr().Is4In6() {
		t.Fatalf("%v is not 4-in-6", mapped)
	}
	if err := a.WriteTo([]byte("x"), mapped); err != nil {
		t.Fatal(err)
	}
	if p := recv(t, b); p.From != a.LocalAddr() || !p.From.Addr().Is4() {
		t.Errorf("From = %v, want %v", p.From, a.LocalAddr())
	}
}

func testUnknownDestination(t *testing.T, im impl) {
	a, b := im.pair(t)
	gone := b.LocalAddr()
	b.Close()
	if err := a.WriteTo([]byte("x"), gone); err != nil {
		t.Errorf("WriteTo a closed port: %v, want nil (the packet is lost)", err)
	}
}

func testBigDatagram(t *testing.T, im impl) {
	a, b := im.pair(t)
	for _, tc := range []struct{ size, want int }{
		{1200, 1200},
		{1500, 1500}, // too big for the game, delivered whole for the decoder to count
		{3000, ReadBufferSize},
	} {
		msg := bytes.Repeat([]byte{0xAB}, tc.size)
		if err := a.WriteTo(msg, b.LocalAddr()); err != nil {
			t.Fatal(err)
		}
		if p := recv(t, b); len(p.Data) != tc.want {
			t.Errorf("sent %d bytes, got %d, want %d", tc.size, len(p.Data), tc.want)
		}
	}
}

func testConcurrentWriters(t *testing.T, im impl) {
	a, b := im.pair(t)
	// Fewer packets than the receiver queue holds: none may be dropped
	// however late the reader runs, so a lossless transport must deliver
	// every one, intact and once.
	const writers, each = 4, QueueLen/4 - 1
	var wg sync.WaitGroup
	for w := range writers {
		wg.Go(func() {
			for i := range each {
				if err := a.WriteTo([]byte{byte(w), byte(i)}, b.LocalAddr()); err != nil {
					t.Error(err)
					return
				}
			}
		})
	}
	wg.Wait()
	got := collect(b, writers*each, time.Second)
	seen := map[[2]byte]bool{}
	from := map[byte]bool{}
	for _, p := range got {
		if len(p.Data) != 2 || p.Data[0] >= writers || p.Data[1] >= each {
			t.Fatalf("mangled packet %v", p.Data)
		}
		k := [2]byte{p.Data[0], p.Data[1]}
		if seen[k] {
			t.Errorf("packet %v delivered twice", k)
		}
		seen[k] = true
		from[p.Data[0]] = true
	}
	switch {
	case im.lossless && len(got) != writers*each:
		t.Errorf("received %d packets, want %d", len(got), writers*each)
	case len(from) != writers:
		t.Errorf("packets from %d writers arrived, want %d", len(from), writers)
	}
}

func testStats(t *testing.T, im impl) {
	a, b := im.pair(t)
	const n, size = 20, 100
	for range n {
		if err := a.WriteTo(make([]byte, size), b.LocalAddr()); err != nil {
			t.Fatal(err)
		}
	}
	got := len(collect(b, n, time.Second))
	as, bs := a.(statser).Stats(), b.(statser).Stats()
	if as.PacketsOut != n || as.BytesOut != n*size {
		t.Errorf("sender Stats = %+v, want %d packets and %d bytes out", as, n, n*size)
	}
	if bs.PacketsIn != uint64(got) || bs.BytesIn != uint64(got*size) || bs.ReadDrops != 0 {
		t.Errorf("receiver Stats = %+v, want %d packets and %d bytes in, no drops", bs, got, got*size)
	}
	if got < n*9/10 {
		t.Errorf("received %d packets, want about %d", got, n)
	}
}

func testReadDrops(t *testing.T, im impl) {
	a, b := im.pair(t)
	const n = QueueLen + 200
	for i := range n {
		if err := a.WriteTo([]byte("x"), b.LocalAddr()); err != nil {
			t.Fatal(err)
		}
		if i%50 == 0 {
			time.Sleep(time.Millisecond) // spare the kernel's buffer
		}
	}
	// Nobody reads: the queue fills and the rest is dropped and counted.
	var st Stats
	waitFor(t, 5*time.Second, func() bool {
		st = b.(statser).Stats()
		return st.ReadDrops > 0 && len(b.Packets()) == QueueLen
	})
	if st.PacketsIn-st.ReadDrops != QueueLen {
		t.Errorf("Stats = %+v: %d kept, want %d", st, st.PacketsIn-st.ReadDrops, QueueLen)
	}
}

func testClose(t *testing.T, im impl) {
	a, b := im.pair(t)
	if err := a.WriteTo([]byte("x"), b.LocalAddr()); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for range 3 {
		wg.Go(func() { b.Close() })
	}
	wg.Wait()
	if err := b.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
	// Packets is closed (possibly after what was already queued).
	deadline := time.After(5 * time.Second)
	for open := true; open; {
		select {
		case _, open = <-b.Packets():
		case <-deadline:
			t.Fatal("Packets not closed after Close")
		}
	}
	if err := b.WriteTo([]byte("x"), a.LocalAddr()); !errors.Is(err, net.ErrClosed) {
		t.Errorf("WriteTo after Close: %v, want net.ErrClosed", err)
	}
}

func testCloseUnblocksReader(t *testing.T, im impl) {
	_, b := im.pair(t)
	done := make(chan struct{})
	go func() {
		defer close(done)
		for range b.Packets() {
		}
	}()
	time.Sleep(10 * time.Millisecond) // let the reader block
	b.Close()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("reader still blocked 5s after Close")
	}
}

func waitFor(t *testing.T, limit time.Duration, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(limit)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("condition not met within %v", limit)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func TestListenUDPMapped(t *testing.T) {
	u, err := ListenUDP(netip.MustParseAddrPort("[::ffff:127.0.0.1]:0"))
	if err != nil {
		t.Fatal(err)
	}
	defer u.Close()
	if la := u.LocalAddr(); !la.Addr().Is4() || la.Addr() != loopback.Addr() {
		t.Errorf("LocalAddr = %v, want 127.0.0.1:port", la)
	}
}

func TestMemListen(t *testing.T) {
	n := NewMemNetwork()
	a, err := n.Listen(netip.MustParseAddrPort("10.0.0.1:7000"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := n.Listen(netip.MustParseAddrPort("[::ffff:10.0.0.1]:7000")); !errors.Is(err, ErrAddrInUse) {
		t.Errorf("second Listen on the same address: %v, want ErrAddrInUse", err)
	}
	if _, err := n.Listen(netip.AddrPort{}); err == nil {
		t.Error("Listen on an invalid address succeeded")
	}
	// Ephemeral ports come in order, so tests are repeatable.
	p1, _ := n.Listen(netip.MustParseAddrPort("10.0.0.2:0"))
	p2, _ := n.Listen(netip.MustParseAddrPort("10.0.0.2:0"))
	if p1.LocalAddr().Port() != firstEphemeral || p2.LocalAddr().Port() != firstEphemeral+1 {
		t.Errorf("ports %d, %d; want %d, %d", p1.LocalAddr().Port(), p2.LocalAddr().Port(), firstEphemeral, firstEphemeral+1)
	}
	// A closed address can be reused.
	a.Close()
	if _, err := n.Listen(a.LocalAddr()); err != nil {
		t.Errorf("Listen after Close: %v", err)
	}
}

func ExampleImpairConfig_String() {
	c := ImpairConfig{Loss: 0.2, Delay: 300 * time.Millisecond, Jitter: 50 * time.Millisecond, Dup: 0.01, Reorder: 0.05}
	fmt.Println(c.String())
	// Output: loss 20% delay 300ms±50ms dup 1% reorder 5%
}
