package discovery

import (
	"encoding/binary"
	"fmt"
	"net"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/miekg/dns"
)

func TestUnescape(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"plain", "plain"},
		{`caf\195\169`, "café"},
		{`a\\b`, `a\b`},
		{`say \"hi\"`, `say "hi"`},
		{`\226\152\133 star`, "★ star"},
		{`tab\009`, "tab\t"},
		{`\256`, "256"}, // not a byte: the escaped character itself
		{`\12`, "12"},   // too short for \DDD
		{`end\`, `end\`},
		{`\.`, "."},
	} {
		if got := unescape(tt.in); got != tt.want {
			t.Errorf("unescape(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// What miekg/dns packs from an escaped string and unpacks again is what
// unescape returns: names are bytes, faithfully.
func TestTXTRoundTripThroughMiekg(t *testing.T) {
	for _, s := range []string{"name=café ★", `name=a\b "q"`, "name=中文", "name=👨‍👩‍👧 family", "room=e\u0301", "name=\u00ff\u0001x"} {
		rr := &dns.TXT{Hdr: dns.RR_Header{Name: "x.local.", Rrtype: dns.TypeTXT, Class: dns.ClassINET}, Txt: []string{escapeTXT(s)}}
		buf := make([]byte, 512)
		off, err := dns.PackRR(rr, buf, 0, nil, false)
		if err != nil {
			t.Fatal(err)
		}
		got, _, err := dns.UnpackRR(buf[:off], 0)
		if err != nil {
			t.Fatal(err)
		}
		txt := got.(*dns.TXT).Txt
		if len(txt) != 1 || unescape(txt[0]) != s {
			t.Errorf("%q came back as %q, unescaped %q", s, txt, unescape(txt[0]))
		}
	}
}

func TestCanonical(t *testing.T) {
	nfd, nfc := "cafe\u0301 \u2605", "caf\u00e9 \u2605"
	if Canonical(nfd) != nfc {
		t.Errorf("Canonical(%q) = %q, want %q", nfd, Canonical(nfd), nfc)
	}
	if !SameName(nfd, nfc) || SameName("cafe", "café") {
		t.Error("SameName does not compare the NFC forms")
	}
	a, err := ParseTXT([]string{"v=1", "id=1", "name=zoe\u0301", "room=" + nfd})
	if err != nil || a.Room != nfc || a.Name != "zo\u00e9" {
		t.Errorf("ParseTXT kept %q, %q (%v); want the NFC forms", a.Name, a.Room, err)
	}
	txt, err := Announcement{Version: 1, ID: 1, Name: "x", Room: nfd}.TXT()
	if err != nil || !slices.Contains(txt, "room="+nfc) {
		t.Errorf("TXT() = %q, %v; want room in NFC", txt, err)
	}
}

// response builds an mDNS response of the given records, each packed by
// miekg/dns, with the raw bytes of extra appended as further additional
// records.
func response(t *testing.T, rrs []dns.RR, extra ...[]byte) []byte {
	t.Helper()
	m := &dns.Msg{MsgHdr: dns.MsgHdr{Response: true, Authoritative: true}, Answer: rrs}
	b, err := m.Pack()
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range extra {
		b = append(b, e...)
	}
	binary.BigEndian.PutUint16(b[10:], uint16(len(extra)))
	return b
}

// lanarenaRecords are the PTR, SRV, TXT and A records of one instance.
func lanarenaRecords(instance, host string, ip net.IP, port uint16, txt ...string) []dns.RR {
	name := instance + "." + serviceName
	h := func(n string, t uint16) dns.RR_Header {
		return dns.RR_Header{Name: n, Rrtype: t, Class: dns.ClassINET, Ttl: 120}
	}
	for i := range txt {
		txt[i] = escapeTXT(txt[i])
	}
	return []dns.RR{
		&dns.PTR{Hdr: h(serviceName, dns.TypePTR), Ptr: name},
		&dns.SRV{Hdr: h(name, dns.TypeSRV), Target: host, Port: port},
		&dns.TXT{Hdr: h(name, dns.TypeTXT), Txt: txt},
		&dns.A{Hdr: h(host, dns.TypeA), A: ip},
	}
}

// badNSEC is an NSEC record with an empty type-bitmap block, as
// python-zeroconf 0.47.3 writes them: miekg/dns refuses it.
func badNSEC() []byte {
	rr := []byte{0} // root name
	rr = binary.BigEndian.AppendUint16(rr, dns.TypeNSEC)
	rr = binary.BigEndian.AppendUint16(rr, dns.ClassINET)
	rr = binary.BigEndian.AppendUint32(rr, 120)
	rdata := []byte{0, 0, 0} // next name: root; window 0, length 0
	rr = binary.BigEndian.AppendUint16(rr, uint16(len(rdata)))
	return append(rr, rdata...)
}

func TestResponseWithManyInstancesAndABadRecord(t *testing.T) {
	var rrs []dns.RR
	names := []string{"café ★", `a\b "q"`, "中文", "👍🏽", "e"}
	for i, n := range names {
		rrs = append(rrs, lanarenaRecords("inst"+string(rune('a'+i)), "h"+string(rune('a'+i))+".local.",
			net.IPv4(10, 0, 0, byte(i+1)), uint16(7000+i), "v=1", "id="+string(rune('1'+i)), "name="+n, "room=café ★")...)
	}
	pkt := response(t, rrs, badNSEC())
	var whole dns.Msg
	if err := whole.Unpack(pkt); err == nil {
		t.Fatal("miekg/dns accepts the bad NSEC: the test no longer shows what it should")
	}
	got, bad, err := readResponse(pkt)
	if err != nil || bad != 1 || len(got) != len(rrs) {
		t.Fatalf("readResponse: %d records, %d bad, %v; want %d, 1 bad", len(got), bad, err, len(rrs))
	}
	found := entries(got)
	if len(found) != len(names) {
		t.Fatalf("found %d instances, want %d", len(found), len(names))
	}
	for i, e := range found {
		if e.Name != names[i] || e.Room != "café ★" || e.Port != 7000+i || e.Addr.String() != fmt.Sprintf("10.0.0.%d:%d", i+1, 7000+i) {
			t.Errorf("instance %d: %+v", i, e)
		}
	}
}

func TestResponseIncompleteOrGoodbye(t *testing.T) {
	full := lanarenaRecords("x", "hx.local.", net.IPv4(10, 0, 0, 9), 7000, "v=1", "id=9")
	for name, rrs := range map[string][]dns.RR{
		"no SRV":     {full[0], full[2], full[3]},
		"no TXT":     {full[0], full[1], full[3]},
		"no address": full[:3],
	} {
		if got := entries(rrs); len(got) != 0 {
			t.Errorf("%s: %d instances, want none", name, len(got))
		}
	}
	bye := *full[0].(*dns.PTR)
	bye.Hdr.Ttl = 0
	if got := entries([]dns.RR{&bye}); len(got) != 0 {
		t.Errorf("a goodbye PTR alone named %d instances", len(got))
	}
	// Without a PTR, the SRV names the instance (an answer to a direct query).
	if got := entries(full[1:]); len(got) != 1 {
		t.Errorf("SRV, TXT and A: %d instances, want 1", len(got))
	}
}

func TestReadResponseGarbage(t *testing.T) {
	good := response(t, lanarenaRecords("x", "hx.local.", net.IPv4(10, 0, 0, 9), 7000, "v=1", "id=9"))
	query := append([]byte(nil), good...)
	query[2] &^= 0x80
	if _, _, err := readResponse(query); err != errNotResponse {
		t.Errorf("a query: %v, want errNotResponse", err)
	}
	for cut := range len(good) {
		rrs, _, err := readResponse(good[:cut]) // must not panic
		if err == nil && cut < len(good) {
			t.Errorf("cut at %d of %d: no error, %d records", cut, len(good), len(rrs))
		}
	}
	// A record's length running past the end: what came before is kept.
	long := response(t, lanarenaRecords("x", "hx.local.", net.IPv4(10, 0, 0, 9), 7000, "v=1", "id=9"), []byte{0, 0, 1, 0, 1, 0, 0, 0, 0, 0xff, 0xff})
	if rrs, _, err := readResponse(long); err != errTruncated || len(rrs) != 4 {
		t.Errorf("overlong record: %d records, %v; want 4, errTruncated", len(rrs), err)
	}
}

// A response python-zeroconf 0.47.3 (Debian) sent to a query for our
// service: five PTRs and its bad NSEC. miekg/dns rejects it whole.
func TestZeroconfCapture(t *testing.T) {
	pkt, err := os.ReadFile("testdata/zeroconf-0.47.3-five.bin")
	if err != nil {
		t.Fatal(err)
	}
	var whole dns.Msg
	if err := whole.Unpack(pkt); err == nil {
		t.Error("miekg/dns accepts the capture whole")
	}
	rrs, bad, err := readResponse(pkt)
	if err != nil || bad == 0 {
		t.Fatalf("readResponse: %d records, %d bad, %v", len(rrs), bad, err)
	}
	var ptrs []string
	for _, rr := range rrs {
		if p, ok := rr.(*dns.PTR); ok {
			ptrs = append(ptrs, unescape(strings.TrimSuffix(p.Ptr, "."+serviceName)))
		}
	}
	slices.Sort(ptrs)
	if want := []string{"b", "c", "café ★", "d", "e"}; !slices.Equal(ptrs, want) {
		t.Errorf("PTRs %q, want %q", ptrs, want)
	}
	var names []string
	for _, e := range entries(rrs) {
		if e.Room != "café ★" {
			t.Errorf("%s: %+v", e.Instance, e)
		}
		names = append(names, e.Name)
	}
	if len(names) != 5 {
		t.Errorf("%d instances, want 5", len(names))
	}
	slices.Sort(names)
	if want := []string{`a\b "q"`, "e", "zoé", "中文", "👍🏽"}; !slices.Equal(names, want) {
		t.Errorf("names %q, want %q", names, want)
	}
}

func FuzzReadResponse(f *testing.F) {
	pkt, _ := os.ReadFile("testdata/zeroconf-0.47.3-five.bin")
	f.Add(pkt)
	f.Fuzz(func(t *testing.T, b []byte) {
		rrs, _, _ := readResponse(b)
		entries(rrs)
	})
}
