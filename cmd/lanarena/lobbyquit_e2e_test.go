package main

import (
	"fmt"
	"io"
	"log"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/mdns"
	"github.com/miekg/dns"

	"lanarena/net/discovery"
	"lanarena/net/netns"
)

var discardLog = log.New(io.Discard, "", 0)

// manyZone answers a query for our service with n instances in one
// response, as one machine advertising many instances does.
type manyZone struct {
	n  int
	ip net.IP
}

func (z manyZone) Records(q dns.Question) []dns.RR {
	hdr := func(name string, t uint16) dns.RR_Header {
		return dns.RR_Header{Name: name, Rrtype: t, Class: dns.ClassINET, Ttl: 120}
	}
	var rrs []dns.RR
	for i := range z.n {
		inst := fmt.Sprintf("h%d.%s.local.", i, discovery.Service)
		if !strings.EqualFold(q.Name, discovery.Service+".local.") && !strings.EqualFold(q.Name, inst) {
			continue
		}
		host := fmt.Sprintf("h%d.local.", i)
		rrs = append(rrs,
			&dns.PTR{Hdr: hdr(discovery.Service+".local.", dns.TypePTR), Ptr: inst},
			&dns.SRV{Hdr: hdr(inst, dns.TypeSRV), Port: uint16(7000 + i), Target: host},
			&dns.A{Hdr: hdr(host, dns.TypeA), A: z.ip},
			&dns.TXT{Hdr: hdr(inst, dns.TypeTXT), Txt: []string{"v=1", fmt.Sprintf("id=%x", 0xbe000000+i),
				fmt.Sprintf("name=h%d", i), fmt.Sprintf("room=many%d", i), "mode=p2p", "role=player"}},
		)
	}
	return rrs
}

// TestLobbyQuitsPromptlyAmongManyInstances: the lobby has been browsing a
// LAN with many instances (100 advertisers, and responders naming 243
// instances each); q quits within a fraction of a second. The bound is
// loose for a busy machine; the time is logged.
func TestLobbyQuitsPromptlyAmongManyInstances(t *testing.T) {
	lan := netns.New(t, 2)
	hosts := lan.Hosts()
	hosts[1].Run(t, func() {
		for i := range 100 {
			a := discovery.Announcement{ID: uint32(0xbee00000 + i), Name: fmt.Sprintf("p%d", i), Room: fmt.Sprintf("room%d", i%20),
				Mode: "p2p", Role: "player", Version: 1, Width: 64, Height: 32, TickRate: 15, Port: 7000 + i}
			ad, err := discovery.Advertise(a, nil)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { ad.Close() })
		}
		for range 3 {
			srv, err := mdns.NewServer(&mdns.Config{Zone: manyZone{n: 243, ip: hosts[1].Addr.AsSlice()}, Logger: discardLog})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { srv.Shutdown() })
		}
	})
	s := startTUI(t, hosts[0], 100, 30, "--name", "quitter")
	s.waitScreen(10*time.Second, "room1")
	time.Sleep(2 * time.Second) // a few queries, each answered by every instance
	start := time.Now()
	s.keys("q")
	for !s.paneDead() {
		if time.Since(start) > 10*time.Second {
			t.Fatal("the lobby did not quit within 10s of q")
		}
		time.Sleep(5 * time.Millisecond)
	}
	took := time.Since(start)
	t.Logf("quit %v after q", took.Round(time.Millisecond))
	if took > 700*time.Millisecond {
		t.Errorf("the lobby quit %v after q, want well under a second (200 ms on an idle machine)", took.Round(time.Millisecond))
	}
}
