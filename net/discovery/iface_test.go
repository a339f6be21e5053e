package discovery

import (
	"context"
	"fmt"
	"net"
	"net/netip"
	"os/exec"
	"slices"
	"strings"
	"testing"
	"time"

	"lanarena/net/netns"
)

// twoNetworks makes a machine on two networks: hosts[0] of a LAN shared
// with hosts[1], and also linked point to point (a second interface) to
// a third host on a network of its own. It returns the three hosts, the
// third with its address on the link, and the first's interface on it.
func twoNetworks(t *testing.T) (hosts []netns.Host, link string) {
	t.Helper()
	lan := netns.New(t, 2)
	hosts = lan.Hosts()
	p := lan.Prefix().Addr().As4()
	self := netip.AddrFrom4([4]byte{10, 78, p[2], 1})
	other := netns.Host{Name: hosts[0].Name + "x", Addr: netip.AddrFrom4([4]byte{10, 78, p[2], 2}), Iface: "lax1"}
	ip := func(args ...string) {
		t.Helper()
		if out, err := exec.Command("ip", args...).CombinedOutput(); err != nil {
			t.Fatalf("ip %s: %v: %s", strings.Join(args, " "), err, out)
		}
	}
	ip("netns", "add", other.Name)
	t.Cleanup(func() { exec.Command("ip", "netns", "del", other.Name).Run() })
	link = "lax0"
	ip("-n", hosts[0].Name, "link", "add", link, "type", "veth", "peer", "name", other.Iface, "netns", other.Name)
	ip("-n", hosts[0].Name, "addr", "add", self.String()+"/24", "dev", link)
	ip("-n", hosts[0].Name, "link", "set", link, "up")
	ip("-n", other.Name, "link", "set", "lo", "up")
	ip("-n", other.Name, "addr", "add", other.Addr.String()+"/24", "dev", other.Iface)
	ip("-n", other.Name, "link", "set", other.Iface, "up")
	ip("-n", other.Name, "route", "add", "224.0.0.0/4", "dev", other.Iface)
	return append(hosts, other), link
}

// browseOnce runs one query on h and returns what it found, by name.
func browseOnce(t *testing.T, h netns.Host, cfg BrowseConfig) map[string]Entry {
	found := map[string]Entry{}
	h.Run(t, func() {
		if cfg.Interfaces != nil {
			ifaces, err := Interfaces(cfg.Interfaces[0].Name)
			if err != nil {
				t.Fatal(err)
			}
			cfg.Interfaces = ifaces
		}
		b := NewBrowser(cfg)
		for range 3 {
			b.query(context.Background(), func(e Entry) { found[e.Name] = e })
		}
	})
	return found
}

// TestEveryInterface: a machine on two networks finds the peers of both
// in one query, is found from both at the address of each network, and
// --iface (BrowseConfig.Interfaces) narrows it to one.
func TestEveryInterface(t *testing.T) {
	hosts, link := twoNetworks(t)
	for i, h := range hosts {
		h.Run(t, func() {
			ad, err := Advertise(Announcement{ID: uint32(i + 1), Name: fmt.Sprint("p", i), Room: "r", Version: 1, Port: 7000 + i}, logBuffer(t))
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { ad.Close() })
		})
	}
	cfg := BrowseConfig{Timeout: 300 * time.Millisecond, Logger: logBuffer(t)}
	found := browseOnce(t, hosts[0], cfg)
	for _, want := range []struct {
		name string
		at   netip.Addr
	}{{"p1", hosts[1].Addr}, {"p2", hosts[2].Addr}} {
		if e, ok := found[want.name]; !ok || e.Addr.Addr() != want.at {
			t.Errorf("the machine on two networks found %s at %v (%v), want %v", want.name, e.Addr, ok, want.at)
		}
	}
	// Each network finds the machine at its address on that network.
	for _, h := range hosts[1:] {
		e, ok := browseOnce(t, h, cfg)["p0"]
		v4 := slices.DeleteFunc(slices.Clone(e.IPs), func(a netip.Addr) bool { return !a.Is4() })
		if !ok || !netip.PrefixFrom(h.Addr, 24).Masked().Contains(e.Addr.Addr()) || len(v4) != 2 {
			t.Errorf("%s found p0 at %v (%v; advertised %v), want an address on its own network", h.Addr, e.Addr, ok, e.IPs)
		}
	}
	// Narrowed to the link, the LAN's peer is out of sight.
	cfg.Interfaces = []net.Interface{{Name: link}} // browseOnce looks it up in the namespace
	found = browseOnce(t, hosts[0], cfg)
	if _, ok := found["p2"]; !ok {
		t.Errorf("narrowed to %s: p2 not found", link)
	}
	if _, ok := found["p1"]; ok {
		t.Errorf("narrowed to %s: found p1 of the other network", link)
	}
}

// TestInterfacesWithCarrierFirst: an interface that is up but has no
// carrier (a Docker bridge without containers, an unplugged cable) comes
// after one that works, whatever their order in the system, so the
// address shown to the player is one others can reach.
func TestInterfacesWithCarrierFirst(t *testing.T) {
	h := netns.New(t, 1).Hosts()[0]
	ip := func(args ...string) {
		t.Helper()
		if out, err := exec.Command("ip", append([]string{"-n", h.Name}, args...)...).CombinedOutput(); err != nil {
			t.Fatalf("ip %s: %v: %s", strings.Join(args, " "), err, out)
		}
	}
	ip("link", "del", h.Iface)
	// dead0 first, so it has the lower index: up, but its peer is down.
	ip("link", "add", "dead0", "type", "veth", "peer", "name", "dead1")
	ip("link", "add", "live0", "type", "veth", "peer", "name", "live1")
	ip("addr", "add", "10.79.0.1/24", "dev", "dead0")
	ip("addr", "add", "10.80.0.1/24", "dev", "live0")
	for _, l := range []string{"dead0", "live0", "live1"} {
		ip("link", "set", l, "up")
	}
	var names []string
	var ips []netip.Addr
	h.Run(t, func() {
		// The carrier comes up a moment after the link.
		deadline := time.Now().Add(5 * time.Second)
		for {
			ifaces, err := Interfaces("")
			names = names[:0]
			for _, ifi := range ifaces {
				names = append(names, ifi.Name)
			}
			ips = IPs(ifaces)
			if err == nil && len(names) == 2 && names[0] == "live0" || time.Now().After(deadline) {
				return
			}
			time.Sleep(50 * time.Millisecond)
		}
	})
	if want := []string{"live0", "dead0"}; !slices.Equal(names, want) {
		t.Errorf("Interfaces = %v, want %v", names, want)
	}
	if len(ips) == 0 || ips[0] != netip.MustParseAddr("10.80.0.1") {
		t.Errorf("IPs = %v, want 10.80.0.1 first", ips)
	}
}
