package transport

import (
	"net"
	"net/netip"
	"testing"
	"time"
)

var t0 = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

func TestSourceTableRate(t *testing.T) {
	tab := newSourceTable(SourceLimit{Rate: 100, Burst: 20})
	flood := netip.MustParseAddrPort("10.0.0.1:9")
	other := netip.MustParseAddrPort("10.0.0.1:10")
	passed := 0
	// 100k datagrams over 2 s from one source: the burst, then 100 a second.
	for i := range 100000 {
		if tab.allow(flood, t0.Add(time.Duration(i)*20*time.Microsecond)) {
			passed++
		}
	}
	if passed < 20+190 || passed > 20+201 {
		t.Errorf("%d of a 2 s flood passed, want the burst of 20 and about 200", passed)
	}
	for i := range 20 {
		if !tab.allow(other, t0.Add(2*time.Second+time.Duration(i))) {
			t.Fatalf("datagram %d of another source was dropped during the flood", i)
		}
	}
	open := newSourceTable(SourceLimit{})
	for range 1000 {
		if !open.allow(flood, t0) {
			t.Fatal("the zero SourceLimit dropped a datagram")
		}
	}
}

// TestSourceTableBounded: a flood from more sources than the table holds
// shares one bucket past the limit, and quiet sources are forgotten.
func TestSourceTableBounded(t *testing.T) {
	tab := newSourceTable(SourceLimit{Rate: 10, Burst: 5})
	passed := 0
	for i := range 3 * maxLimitedSources {
		a := netip.AddrPortFrom(netip.AddrFrom4([4]byte{10, 1, byte(i >> 8), byte(i)}), uint16(i))
		if tab.allow(a, t0) {
			passed++
		}
	}
	if len(tab.buckets) > maxLimitedSources {
		t.Errorf("%d buckets, want at most %d", len(tab.buckets), maxLimitedSources)
	}
	if want := maxLimitedSources + 5; passed != want {
		t.Errorf("%d datagrams passed, want %d (one each for the table's sources, the burst for the rest)", passed, want)
	}
	tab.allow(netip.MustParseAddrPort("10.9.9.9:1"), t0.Add(sourceIdle+time.Second))
	if n := len(tab.buckets); n != 1 {
		t.Errorf("%d buckets after every other source was quiet for %v, want 1", n, sourceIdle)
	}
}

// TestUDPLimitSources: over a real socket, a flood from one address is
// cut to the limit, counted in Stats.Limited, costs no allocation; another
// address's datagrams all pass.
func TestUDPLimitSources(t *testing.T) {
	rx := listenUDP(t)
	rx.LimitSources(SourceLimit{Rate: 1, Burst: 10})
	flood, err := net.ListenUDP("udp4", net.UDPAddrFromAddrPort(loopback))
	if err != nil {
		t.Fatal(err)
	}
	defer flood.Close()
	payload := make([]byte, 100)
	send := func(n int) {
		t.Helper()
		for range n {
			if _, err := flood.WriteToUDPAddrPort(payload, rx.LocalAddr()); err != nil {
				t.Fatal(err)
			}
		}
	}
	send(100)
	other := listenUDP(t)
	for range 5 {
		if err := other.WriteTo(payload, rx.LocalAddr()); err != nil {
			t.Fatal(err)
		}
	}
	got := collect(rx, 15, 300*time.Millisecond)
	fromFlood := 0
	for _, p := range got {
		if p.From == other.LocalAddr() {
			continue
		}
		fromFlood++
	}
	if fromFlood > 11 || len(got)-fromFlood != 5 {
		t.Errorf("passed %d of 100 flood datagrams and %d of 5 others; want at most 11 and 5", fromFlood, len(got)-fromFlood)
	}
	if st := rx.Stats(); st.Limited < 89 || st.PacketsIn != 105 {
		t.Errorf("Stats = %+v, want 105 in and about 90 limited", st)
	}
	if raceEnabled {
		return
	}
	before := rx.Stats().Limited
	allocs := testing.AllocsPerRun(10, func() {
		want := rx.Stats().Limited + 32
		send(32)
		for rx.Stats().Limited < want {
			time.Sleep(50 * time.Microsecond)
		}
	})
	if allocs > 0 {
		t.Errorf("%v allocations for 32 datagrams dropped by the limit, want 0", allocs)
	}
	if rx.Stats().Limited < before+320 {
		t.Errorf("limited %d, want %d more", rx.Stats().Limited-before, 320)
	}
}
