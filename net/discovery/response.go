package discovery

import (
	"encoding/binary"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"slices"
	"strings"

	"github.com/hashicorp/mdns"
	"github.com/miekg/dns"
)

// Why this package reads mDNS responses itself instead of through the
// hashicorp/mdns client: that client unpacks a response with
// dns.Msg.Unpack, which rejects the whole packet for one record it cannot
// read (python-zeroconf 0.47.3, in Debian, adds an NSEC record with an
// empty type-bitmap block to every answer), and of several instances in
// one response it completes only the last. readResponse keeps every
// record it can read, and instances assembles all of them.

// Reasons for dropping what a responder sent.
var (
	errNotResponse = errors.New("not an mDNS response")
	errTruncated   = errors.New("response truncated")
)

// maxRecords bounds the records one query window keeps, whatever
// strangers send.
const maxRecords = 512

// readResponse parses an mDNS response record by record. It returns the
// records it could read and the number it skipped because miekg/dns
// could not read them. It stops at the first record whose extent cannot
// be known (a garbled name or length) and returns what came before with
// errTruncated.
func readResponse(msg []byte) (rrs []dns.RR, bad int, err error) {
	if len(msg) < 12 {
		return nil, 0, errTruncated
	}
	if msg[2]&0x80 == 0 {
		return nil, 0, errNotResponse
	}
	count := func(i int) int { return int(binary.BigEndian.Uint16(msg[4+2*i:])) }
	off := 12
	for range count(0) { // questions: a name, a type, a class
		_, end, err := dns.UnpackDomainName(msg, off)
		if err != nil || end+4 > len(msg) {
			return nil, 0, errTruncated
		}
		off = end + 4
	}
	n := count(1) + count(2) + count(3)
	for range n {
		_, hdrEnd, err := dns.UnpackDomainName(msg, off)
		if err != nil || hdrEnd+10 > len(msg) {
			return rrs, bad, errTruncated
		}
		end := hdrEnd + 10 + int(binary.BigEndian.Uint16(msg[hdrEnd+8:]))
		if end > len(msg) {
			return rrs, bad, errTruncated
		}
		rr, next, err := dns.UnpackRR(msg, off)
		if err != nil || next != end || rr == nil {
			bad++
		} else {
			rrs = append(rrs, rr)
		}
		off = end
	}
	return rrs, bad, nil
}

// serviceName is the name browsed: "_lanarena._udp.local.".
const serviceName = Service + "." + domain

// recordIndex holds the records of a response by owner name (lowercase),
// and the instance names in order of first mention.
type recordIndex struct {
	names []string
	named map[string]bool
	srv   map[string]*dns.SRV
	txt   map[string]*dns.TXT
	a4    map[string][]net.IP
	a6    map[string]net.IP
}

func indexRecords(rrs []dns.RR) *recordIndex {
	x := &recordIndex{named: map[string]bool{}, srv: map[string]*dns.SRV{}, txt: map[string]*dns.TXT{},
		a4: map[string][]net.IP{}, a6: map[string]net.IP{}}
	for _, rr := range rrs {
		owner := strings.ToLower(rr.Header().Name)
		switch r := rr.(type) {
		case *dns.PTR:
			if strings.EqualFold(r.Hdr.Name, serviceName) && r.Hdr.Ttl > 0 {
				x.addName(r.Ptr)
			}
		case *dns.SRV:
			if strings.HasSuffix(owner, serviceSuffix) {
				x.addName(r.Hdr.Name)
			}
			x.srv[owner] = r
		case *dns.TXT:
			x.txt[owner] = r
		case *dns.A:
			if len(x.a4[owner]) < maxAddrs && !slices.ContainsFunc(x.a4[owner], r.A.Equal) {
				x.a4[owner] = append(x.a4[owner], r.A)
			}
		case *dns.AAAA:
			if x.a6[owner] == nil {
				x.a6[owner] = r.AAAA
			}
		}
	}
	return x
}

func (x *recordIndex) addName(n string) {
	if k := strings.ToLower(n); !x.named[k] {
		x.named[k] = true
		x.names = append(x.names, n)
	}
}

// instances assembles the instances of Service that rrs describe
// completely: a name (from a PTR to it, or its own SRV), a SRV, a TXT and
// an address of the SRV's target. Names are compared case-insensitively,
// as DNS does; TXT strings are unescaped. A PTR with TTL 0 is a goodbye
// and names nothing. The order is that of the first mention.
//
// An mdns.ServiceEntry holds one IPv4 address: the others of a machine on
// several networks are returned in more.
func instances(rrs []dns.RR) (out []*mdns.ServiceEntry, more map[*mdns.ServiceEntry][]net.IP) {
	x := indexRecords(rrs)
	more = map[*mdns.ServiceEntry][]net.IP{}
	for _, name := range x.names {
		k := strings.ToLower(name)
		s, t := x.srv[k], x.txt[k]
		if s == nil || t == nil {
			continue
		}
		host := strings.ToLower(s.Target)
		v4, v6 := x.a4[host], x.a6[host]
		if len(v4) == 0 && v6 == nil {
			continue
		}
		fields := make([]string, len(t.Txt))
		for i, f := range t.Txt {
			fields[i] = unescape(f)
		}
		e := &mdns.ServiceEntry{Name: name, Host: s.Target, Port: int(s.Port), InfoFields: fields}
		if len(v4) > 0 {
			e.AddrV4, more[e] = v4[0], v4[1:]
		}
		if v6 != nil {
			e.AddrV6, e.AddrV6IPAddr = v6, &net.IPAddr{IP: v6}
		}
		out = append(out, e)
	}
	return out, more
}

// maxAddrs bounds the IPv4 addresses kept for one host.
const maxAddrs = 8

// entries returns the valid instances of Service that rrs describe, with
// every usable IPv4 address each advertises.
func entries(rrs []dns.RR) []Entry {
	ses, more := instances(rrs)
	var out []Entry
	for _, se := range ses {
		e, err := entryFrom(se)
		if err != nil {
			continue
		}
		for _, ip := range more[se] {
			if a, ok := netip.AddrFromSlice(ip); ok && usable(a.Unmap()) && !slices.Contains(e.IPs, a.Unmap()) {
				e.IPs = append(e.IPs, a.Unmap())
			}
		}
		slices.SortStableFunc(e.IPs, func(a, b netip.Addr) int { return compareFamily(a, b) })
		out = append(out, e)
	}
	return out
}

// entryFrom checks one answer of the mDNS client: an instance of our
// service, with a valid TXT record, a port and a usable address.
func entryFrom(se *mdns.ServiceEntry) (Entry, error) {
	if len(se.Name) <= len(serviceSuffix) || !strings.EqualFold(se.Name[len(se.Name)-len(serviceSuffix):], serviceSuffix) {
		return Entry{}, fmt.Errorf("%q is not an instance of %s", se.Name, Service)
	}
	a, err := ParseTXT(se.InfoFields)
	if err != nil {
		return Entry{}, fmt.Errorf("%q: %w", se.Name, err)
	}
	if se.Port < 1 || se.Port > 65535 {
		return Entry{}, fmt.Errorf("%q: port %d", se.Name, se.Port)
	}
	a.Port = se.Port
	if ip, ok := netip.AddrFromSlice(se.AddrV4); ok && usable(ip.Unmap()) {
		a.IPs = append(a.IPs, ip.Unmap())
	}
	if se.AddrV6IPAddr != nil {
		if ip, ok := netip.AddrFromSlice(se.AddrV6IPAddr.IP); ok && usable(ip) {
			if ip.Is6() && !ip.Is4In6() {
				ip = ip.WithZone(se.AddrV6IPAddr.Zone)
			}
			a.IPs = append(a.IPs, ip.Unmap())
		}
	}
	if len(a.IPs) == 0 {
		return Entry{}, fmt.Errorf("%q: no usable address", se.Name)
	}
	return Entry{
		Announcement: a,
		Addr:         netip.AddrPortFrom(a.IPs[0], uint16(a.Port)),
		Instance:     unescape(se.Name[:len(se.Name)-len(serviceSuffix)]),
	}, nil
}
