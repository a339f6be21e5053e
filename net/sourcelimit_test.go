package net

import (
	"context"
	stdnet "net"
	"net/netip"
	"testing"
	"time"

	"lanarena/game"
	"lanarena/net/wire"
)

// TestNodeFloodStopsAtTransport: a node's UDP transport drops a flood from
// one address before the loop sees more than its limit of it, while a
// real peer joins and plays on through the flood. The flood has the magic
// (packets of another version): junk without it never reaches the loop.
func TestNodeFloodStopsAtTransport(t *testing.T) {
	nd, err := StartNode(context.Background(), NodeConfig{Peer: Config{Name: "victim", Room: "r", Params: game.DefaultParams(), Color: -1, Bot: true}})
	if err != nil {
		t.Fatal(err)
	}
	defer nd.Close()
	to := netip.AddrPortFrom(loopback, nd.Addr().Port())
	flood, err := stdnet.ListenUDP("udp4", stdnet.UDPAddrFromAddrPort(netip.AddrPortFrom(loopback, 0)))
	if err != nil {
		t.Fatal(err)
	}
	defer flood.Close()
	junk := []byte("junk, not a lanarena packet")
	for range 1000 {
		flood.WriteToUDPAddrPort(junk, to)
	}
	other := append(wire.Magic(), 9, 1, 0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0) // version 9
	const n = 20000
	stop := make(chan struct{})
	flooded := make(chan struct{})
	start := time.Now()
	go func() {
		defer close(flooded)
		for i := 0; i < n; i++ {
			select {
			case <-stop:
				return
			default:
			}
			flood.WriteToUDPAddrPort(other, to)
			if i%200 == 199 {
				time.Sleep(time.Millisecond) // about 100k a second, in bursts the socket holds
			}
		}
	}()
	defer func() { close(stop); <-flooded }()

	b := startPeer(t, udpFactory(t), Config{Name: "real", Bot: true, Room: "r"})
	b.Join(to)
	eventually(t, 10*time.Second, "the real peer joins during the flood", func() bool { return sees(t, b.Peer, nd.Peer.ID()) && sees(t, nd.Peer, b.ID()) })
	<-flooded
	took := time.Since(start)
	limit := transportLimit(nd.Peer.cfg)
	eventually(t, 5*time.Second, "the transport drops most of the flood", func() bool {
		return nd.udp.Stats().Limited >= n/2
	})
	var looped, limited uint64
	for _, d := range snap(t, nd.Peer).Drops {
		switch DropReason(d.Reason) {
		case DropRateLimit, DropVersion:
			looped += d.Count
		case DropBadMagic:
			t.Errorf("%d junk packets reached the core", d.Count)
		case DropSourceLimit:
			limited = d.Count
		}
	}
	if limited < n/2 {
		t.Errorf("drops by source-limit: %d, want the transport's %d", limited, nd.udp.Stats().Limited)
	}
	// The loop saw at most the transport's burst and its rate over the
	// flood's time (plus a second of slack).
	if max := uint64(limit.Burst + (took.Seconds()+1)*limit.Rate); looped > max {
		t.Errorf("the loop handled %d flood packets, want at most %d", looped, max)
	}
	t.Logf("of %d flood packets: %d dropped by the transport, %d reached the loop", n, nd.udp.Stats().Limited, looped)
}
