//go:build linux

package transport

import (
	"bytes"
	"fmt"
	"net"
	"net/netip"
	"testing"
)

// TestMmsgReaderReadsQueuedInBatches: datagrams waiting in the socket
// are read a batch a system call, each whole (or cut to ReadBufferSize),
// with its source, from IPv4 and IPv6 senders alike.
func TestMmsgReaderReadsQueuedInBatches(t *testing.T) {
	rx, err := net.ListenUDP("udp", &net.UDPAddr{IP: net.IPv6unspecified})
	if err != nil {
		t.Skipf("no dual-stack socket here: %v", err)
	}
	defer rx.Close()
	port := uint16(rx.LocalAddr().(*net.UDPAddr).Port)
	r := newBatchReader(rx, 32)
	if r == nil {
		t.Fatal("no batch reader on Linux")
	}
	senders := map[string]*net.UDPConn{}
	for _, network := range []string{"udp4", "udp6"} {
		ip := net.IPv4(127, 0, 0, 1)
		if network == "udp6" {
			ip = net.IPv6loopback
		}
		c, err := net.ListenUDP(network, &net.UDPAddr{IP: ip})
		if err != nil {
			t.Skipf("no %s loopback: %v", network, err)
		}
		defer c.Close()
		senders[network] = c
	}
	type sent struct {
		data []byte
		from netip.AddrPort
	}
	var want []sent
	for i := range 50 {
		c := senders[[]string{"udp4", "udp6"}[i%2]]
		to := netip.AddrPortFrom(netip.IPv6Loopback(), port)
		if i%2 == 0 {
			to = netip.AddrPortFrom(netip.MustParseAddr("127.0.0.1"), port)
		}
		size := 10 + i*97%1200
		if i == 7 {
			size = ReadBufferSize + 500 // cut to ReadBufferSize
		}
		data := bytes.Repeat([]byte{byte(i)}, size)
		copy(data, fmt.Sprintf("#%d", i))
		if _, err := c.WriteToUDPAddrPort(data, to); err != nil {
			t.Fatal(err)
		}
		from := c.LocalAddr().(*net.UDPAddr).AddrPort()
		if i%2 == 0 {
			from = netip.AddrPortFrom(netip.AddrFrom16(from.Addr().As16()), from.Port()) // as a dual-stack socket sees it
		}
		want = append(want, sent{data[:min(size, ReadBufferSize)], from})
	}
	// Every datagram is queued in the socket now (loopback delivers
	// within the send): reads take 32, then 18.
	var got []sent
	for _, wantN := range []int{32, 18} {
		n, err := r.read()
		if err != nil {
			t.Fatal(err)
		}
		if n != wantN {
			t.Errorf("read %d datagrams in one call, want %d", n, wantN)
		}
		for i := range n {
			b, from := r.datagram(i)
			got = append(got, sent{bytes.Clone(b), from})
		}
	}
	if len(got) != len(want) {
		t.Fatalf("got %d datagrams, want %d", len(got), len(want))
	}
	for i := range want {
		if !bytes.Equal(got[i].data, want[i].data) || got[i].from != want[i].from {
			t.Errorf("datagram %d: %d bytes from %v, want %d bytes from %v", i, len(got[i].data), got[i].from, len(want[i].data), want[i].from)
		}
	}
}

// TestUDPReadAllocs: receiving costs one allocation a datagram (the copy
// handed to the reader of Packets), however many a system call reads.
func TestUDPReadAllocs(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector allocates")
	}
	rx := listenUDP(t)
	tx, err := net.ListenUDP("udp4", net.UDPAddrFromAddrPort(loopback))
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Close()
	payload := make([]byte, 100)
	const burst = 32
	allocs := testing.AllocsPerRun(20, func() {
		for range burst {
			if _, err := tx.WriteToUDPAddrPort(payload, rx.LocalAddr()); err != nil {
				t.Fatal(err)
			}
		}
		for range burst {
			<-rx.Packets()
		}
	})
	if allocs > burst+2 {
		t.Errorf("%v allocations to receive %d datagrams, want at most %d", allocs, burst, burst+2)
	}
}
