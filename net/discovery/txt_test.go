package discovery

import (
	"errors"
	"net"
	"net/netip"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/mdns"
	"github.com/miekg/dns"
)

var alice = Announcement{
	ID: 0x1a2b3c4d, Name: "Alice ☺", Room: "lobby 1", Mode: "p2p", Role: "player",
	Version: 1, Locked: true, Width: 56, Height: 40, TickRate: 15,
}

func TestTXTRoundTrip(t *testing.T) {
	for _, a := range []Announcement{
		alice,
		{ID: 1, Version: 1},
		{ID: 0xffffffff, Version: 65535, Name: strings.Repeat("é", MaxNameBytes/2), Room: strings.Repeat("r", MaxRoomBytes),
			Mode: "server", Role: "spectator", Width: MaxSize, Height: 1, TickRate: MaxTickRate},
		{ID: 2, Version: 2, FirstTo: 5},
		{ID: 3, Version: 2, FirstTo: MaxFirstTo},
	} {
		txt, err := a.TXT()
		if err != nil {
			t.Fatalf("%+v.TXT(): %v", a, err)
		}
		got, err := ParseTXT(txt)
		if err != nil {
			t.Fatalf("ParseTXT(%q): %v", txt, err)
		}
		if !reflect.DeepEqual(got, a) {
			t.Errorf("round trip of %+v: got %+v (TXT %q)", a, got, txt)
		}
	}
}

func TestTXTFormat(t *testing.T) {
	txt, err := alice.TXT()
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"v=1", "id=1a2b3c4d", "name=Alice ☺", "room=lobby 1", "mode=p2p", "role=player",
		"locked=1", "w=56", "h=40", "tick=15"}
	if !reflect.DeepEqual(txt, want) {
		t.Errorf("TXT() = %q, want %q", txt, want)
	}
}

func TestTXTRejects(t *testing.T) {
	for _, a := range []Announcement{
		{ID: 1},                                // no version
		{Version: 1},                           // no id
		{ID: 1, Version: 1, Name: "a\x1b[31m"}, // escape sequence
		{ID: 1, Version: 1, Room: strings.Repeat("r", MaxRoomBytes+1)},
		{ID: 1, Version: 1, Name: "\xff"},
		{ID: 1, Version: 1, Mode: "P2P"},
		{ID: 1, Version: 1, Role: "a b"},
		{ID: 1, Version: 1, Width: MaxSize + 1},
		{ID: 1, Version: 1, TickRate: -1},
		{ID: 1, Version: 2, FirstTo: MaxFirstTo + 1},
	} {
		if txt, err := a.TXT(); !errors.Is(err, ErrBadTXT) {
			t.Errorf("%+v.TXT() = %q, %v; want ErrBadTXT", a, txt, err)
		}
	}
}

func TestParseTXT(t *testing.T) {
	base := []string{"v=1", "id=1a2b3c4d"}
	with := func(extra ...string) []string { return append(append([]string(nil), base...), extra...) }
	ok := []struct {
		txt  []string
		want Announcement
	}{
		{base, Announcement{Version: 1, ID: 0x1a2b3c4d}},
		{[]string{"ID=00000001", "V=2"}, Announcement{Version: 2, ID: 1}},                 // keys ignore case, id zero-padded
		{[]string{"v=1", "id=ABC"}, Announcement{Version: 1, ID: 0xabc}},                  // upper-case hex, short
		{with("v=2", "id=5"), Announcement{Version: 1, ID: 0x1a2b3c4d}},                   // first occurrence wins
		{with("color=red", "future", "=x", ""), Announcement{Version: 1, ID: 0x1a2b3c4d}}, // unknown keys, empty
		{with("locked=true"), Announcement{Version: 1, ID: 0x1a2b3c4d, Locked: true}},
		{with("name=", "room="), Announcement{Version: 1, ID: 0x1a2b3c4d}},
		{with("name=a=b"), Announcement{Version: 1, ID: 0x1a2b3c4d, Name: "a=b"}},
	}
	for _, tt := range ok {
		got, err := ParseTXT(tt.txt)
		if err != nil || !reflect.DeepEqual(got, tt.want) {
			t.Errorf("ParseTXT(%q) = %+v, %v; want %+v", tt.txt, got, err, tt.want)
		}
	}
	bad := [][]string{
		nil,
		{"txtvers=1", "path=/"}, // somebody else's service
		{"v=1"},
		{"id=1"},
		{"v=1", "id=0"},
		{"v=1", "id=00000000"},
		{"v=1", "id=123456789"},
		{"v=1", "id=0x12"},
		{"v=1", "id=-1"},
		{"v=1", "id="},
		{"v=1", "id"},
		{"v=", "id=1"},
		{"v=0", "id=1"},
		{"v=x", "id=1"},
		{"v=+1", "id=1"},
		{"v= 1", "id=1"},
		{"v=65536", "id=1"},
		{"v=99999999999999999999", "id=1"},
		with("name=" + strings.Repeat("n", MaxNameBytes+1)),
		with("name=bell\a"),
		with("room=\x9b31m"), // C1 control
		with("room=\xc0\xaf"),
		with("mode=" + strings.Repeat("m", MaxTokenBytes+1)),
		with("role=Host"),
		with("locked=yes"),
		with("locked"),
		with("w=0"),
		with("h=1001"),
		with("tick=1.5"),
		with("first=0"),
		with("first=x"),
		with(strings.Repeat("x", 256)),
	}
	for _, txt := range bad {
		if got, err := ParseTXT(txt); !errors.Is(err, ErrBadTXT) {
			t.Errorf("ParseTXT(%q) = %+v, %v; want ErrBadTXT", txt, got, err)
		}
	}
}

func FuzzParseTXT(f *testing.F) {
	f.Add("v=1\x00id=1a2b3c4d\x00name=alice\x00room=r\x00locked=0\x00w=56")
	f.Add("V=1\x00ID=0\x00name=\x1b[2J")
	f.Add("txtvers=1\x00v\x00id=\xff")
	f.Fuzz(func(t *testing.T, s string) {
		a, err := ParseTXT(strings.Split(s, "\x00"))
		if err != nil {
			return
		}
		// What we accept, we can advertise, and read back the same.
		txt, err := a.TXT()
		if err != nil {
			t.Fatalf("accepted %+v but TXT() fails: %v", a, err)
		}
		b, err := ParseTXT(txt)
		if err != nil || !reflect.DeepEqual(a, b) {
			t.Fatalf("round trip %+v -> %q -> %+v, %v", a, txt, b, err)
		}
	})
}

func TestInstanceName(t *testing.T) {
	for _, tt := range []struct {
		name, want string
	}{
		{"Alice", "Alice-0000002a"},
		{"Bob the Builder!", "Bob the Builder!-0000002a"},
		{"  zoe\u0301 ", "zoé-0000002a"},
		{"a.b\\c \"q\"", "a.b\\c \"q\"-0000002a"},
		{"☺\x01☺", "☺☺-0000002a"},
		{"", "player-0000002a"},
		{"   ", "player-0000002a"},
		{strings.Repeat("abc", 20), strings.Repeat("abc", 18) + "-0000002a"},
		{strings.Repeat("é", 30), strings.Repeat("é", 27) + "-0000002a"}, // cut at a character
	} {
		if got := instanceName(Announcement{ID: 42, Name: tt.name}); got != tt.want {
			t.Errorf("instanceName(%q) = %q, want %q", tt.name, got, tt.want)
		}
	}
}

// An escaped instance label packs into the name's very bytes, and
// miekg/dns unpacks it into the same escaped form (hashicorp/mdns compares
// queries with it).
func TestEscapeLabel(t *testing.T) {
	for _, label := range []string{"zoé-1", `a.b\c "q" (x); @'`, "中文 👍🏽", "tab\tx"} {
		name := escapeLabel(label) + "." + serviceName
		rr := &dns.PTR{Hdr: dns.RR_Header{Name: serviceName, Rrtype: dns.TypePTR, Class: dns.ClassINET}, Ptr: name}
		buf := make([]byte, 512)
		off, err := dns.PackRR(rr, buf, 0, nil, false)
		if err != nil {
			t.Fatalf("%q: %v", label, err)
		}
		got, _, err := dns.UnpackRR(buf[:off], 0)
		if err != nil {
			t.Fatal(err)
		}
		ptr := got.(*dns.PTR).Ptr
		if ptr != name {
			t.Errorf("%q: unpacked as %q, want %q", label, ptr, name)
		}
		if back := unescape(strings.TrimSuffix(ptr, "."+serviceName)); back != label {
			t.Errorf("%q came back as %q", label, back)
		}
	}
}

func TestEntryFrom(t *testing.T) {
	txt, _ := alice.TXT()
	good := func() *mdns.ServiceEntry {
		return &mdns.ServiceEntry{
			Name:       "alice-1a2b3c4d._lanarena._udp.local.",
			Port:       7777,
			AddrV4:     net.IPv4(10, 77, 1, 2),
			InfoFields: txt,
		}
	}
	e, err := entryFrom(good())
	if err != nil {
		t.Fatal(err)
	}
	want := alice
	want.Port = 7777
	want.IPs = []netip.Addr{netip.MustParseAddr("10.77.1.2")}
	if !reflect.DeepEqual(e.Announcement, want) || e.Instance != "alice-1a2b3c4d" ||
		e.Addr != netip.MustParseAddrPort("10.77.1.2:7777") {
		t.Errorf("entryFrom = %+v", e)
	}

	v6 := good()
	v6.AddrV4 = nil
	v6.AddrV6IPAddr = &net.IPAddr{IP: net.ParseIP("fe80::1"), Zone: "eth0"}
	if e, err := entryFrom(v6); err != nil || e.Addr != netip.MustParseAddrPort("[fe80::1%eth0]:7777") {
		t.Errorf("IPv6 only: %v, %v; want [fe80::1%%eth0]:7777", e.Addr, err)
	}
	both := good()
	both.AddrV6IPAddr = &net.IPAddr{IP: net.ParseIP("fd00::1")}
	if e, err := entryFrom(both); err != nil || !e.Addr.Addr().Is4() || len(e.IPs) != 2 {
		t.Errorf("IPv4 and IPv6: %+v, %v; want the IPv4 address first", e, err)
	}

	for name, change := range map[string]func(*mdns.ServiceEntry){
		"other service":   func(se *mdns.ServiceEntry) { se.Name = "alice._http._tcp.local." },
		"suffix only":     func(se *mdns.ServiceEntry) { se.Name = "._lanarena._udp.local." },
		"lookalike":       func(se *mdns.ServiceEntry) { se.Name = "x._lanarena._udp.local.evil." },
		"sub-service":     func(se *mdns.ServiceEntry) { se.Name = "x.x_lanarena._udp.local." },
		"garbled txt":     func(se *mdns.ServiceEntry) { se.InfoFields = []string{"v=1", "id=0"} },
		"no txt":          func(se *mdns.ServiceEntry) { se.InfoFields = nil },
		"port 0":          func(se *mdns.ServiceEntry) { se.Port = 0 },
		"port too big":    func(se *mdns.ServiceEntry) { se.Port = 70000 },
		"no address":      func(se *mdns.ServiceEntry) { se.AddrV4 = nil },
		"unspecified":     func(se *mdns.ServiceEntry) { se.AddrV4 = net.IPv4zero },
		"multicast":       func(se *mdns.ServiceEntry) { se.AddrV4 = net.IPv4(224, 0, 0, 251) },
		"broadcast":       func(se *mdns.ServiceEntry) { se.AddrV4 = net.IPv4bcast },
		"garbage address": func(se *mdns.ServiceEntry) { se.AddrV4 = net.IP{1, 2, 3} },
	} {
		se := good()
		change(se)
		if e, err := entryFrom(se); err == nil {
			t.Errorf("%s: accepted %+v", name, e)
		}
	}
	upper := good()
	upper.Name = "Alice-1A2B3C4D._LANARENA._udp.Local."
	if _, err := entryFrom(upper); err != nil {
		t.Errorf("service name in other case: %v (DNS names ignore case)", err)
	}
}

func TestServiceRecord(t *testing.T) {
	a := alice
	a.Port = 7777
	a.IPs = []netip.Addr{netip.MustParseAddr("::ffff:10.0.0.1"), netip.MustParseAddr("0.0.0.0"), netip.MustParseAddr("fd00::2")}
	svc, err := service(a)
	if err != nil {
		t.Fatal(err)
	}
	if svc.Instance != `Alice\ \226\152\186-1a2b3c4d` || svc.HostName != "1a2b3c4d.lanarena.local." || svc.Port != 7777 {
		t.Errorf("service = %+v", svc)
	}
	if len(svc.IPs) != 2 || !svc.IPs[0].Equal(net.IPv4(10, 0, 0, 1)) {
		t.Errorf("IPs = %v, want 10.0.0.1 and fd00::2", svc.IPs)
	}
	for _, bad := range []Announcement{
		{ID: 1, Version: 1}, // no port
		{ID: 1, Version: 1, Port: 1, IPs: []netip.Addr{netip.IPv4Unspecified()}}, // no usable address
		{Version: 1, Port: 1}, // no id
	} {
		if _, err := service(bad); err == nil {
			t.Errorf("service(%+v) succeeded", bad)
		}
	}
}

func TestLocalIPs(t *testing.T) {
	// Only reads the interface list: no traffic.
	for _, ip := range LocalIPs() {
		if ip.IsLoopback() || !usable(ip) || ip.Is4In6() {
			t.Errorf("LocalIPs has %v", ip)
		}
	}
}

func TestJitter(t *testing.T) {
	low, high := time.Hour, time.Duration(0)
	for range 1000 {
		d := jitter(time.Second)
		low, high = min(low, d), max(high, d)
	}
	if low < 750*time.Millisecond || high > 1250*time.Millisecond || high-low < 400*time.Millisecond {
		t.Errorf("jitter(1s) spans %v..%v, want about 750ms..1.25s", low, high)
	}
}

func TestSetInterval(t *testing.T) {
	b := NewBrowser(BrowseConfig{})
	for _, tt := range []struct{ set, want time.Duration }{
		{0, defaultInterval}, {-1, defaultInterval}, {time.Millisecond, minInterval}, {5 * time.Second, 5 * time.Second},
	} {
		b.SetInterval(tt.set)
		if got := time.Duration(b.interval.Load()); got != tt.want {
			t.Errorf("SetInterval(%v): interval %v, want %v", tt.set, got, tt.want)
		}
	}
}

func TestInterfacesNarrowed(t *testing.T) {
	// Only reads the interface list: no traffic.
	for _, name := range []string{"lo", "no-such-interface0"} {
		if got, err := Interfaces(name); !errors.Is(err, ErrNoInterface) || len(got) != 0 {
			t.Errorf("Interfaces(%q) = %v, %v; want ErrNoInterface", name, got, err)
		}
	}
	all, err := Interfaces("")
	if err != nil {
		t.Skipf("no usable interface here: %v", err)
	}
	one, err := Interfaces(all[0].Name)
	if err != nil || len(one) != 1 || one[0].Name != all[0].Name {
		t.Errorf("Interfaces(%q) = %v, %v", all[0].Name, one, err)
	}
	for _, ip := range IPs(all) {
		if ip.IsLoopback() || !usable(ip) {
			t.Errorf("IPs has %v", ip)
		}
	}
}

func TestCmpBool(t *testing.T) {
	if cmpBool(true, false) != 1 || cmpBool(false, true) != -1 || cmpBool(true, true) != 0 {
		t.Error("cmpBool orders false before true")
	}
}
