package discovery

import (
	"errors"
	"fmt"
	"net"
	"net/netip"
	"slices"
)

// ErrNoInterface says there is no network interface mDNS can use: the
// machine has only loopback (airplane mode, a container), or --iface
// names one that is down or has no IPv4 address. The game still plays
// without discovery: bots, and --join by address.
var ErrNoInterface = errors.New("no network interface for mDNS (up, multicast, with an IPv4 address)")

// Interfaces returns the interfaces discovery uses: up, able to
// multicast, not loopback, with an IPv4 address; those with a carrier
// (running) first. With name set, only that
// interface, and an error if it does not exist or does not qualify. It
// reads the interfaces of the calling thread's network namespace.
func Interfaces(name string) ([]net.Interface, error) {
	all, err := net.Interfaces()
	if err != nil {
		return nil, fmt.Errorf("listing network interfaces: %w", err)
	}
	var out []net.Interface
	for _, ifi := range all {
		if name != "" && ifi.Name != name {
			continue
		}
		if usableInterface(ifi) {
			out = append(out, ifi)
		}
	}
	// Those with a carrier first: the first address is the one shown to
	// the player, and an interface without one (a Docker bridge with no
	// container, an unplugged cable) reaches nobody.
	slices.SortStableFunc(out, func(a, b net.Interface) int {
		return cmpBool(b.Flags&net.FlagRunning != 0, a.Flags&net.FlagRunning != 0)
	})
	if len(out) == 0 {
		if name != "" {
			return nil, fmt.Errorf("interface %q: %w", name, ErrNoInterface)
		}
		return nil, ErrNoInterface
	}
	return out, nil
}

func usableInterface(ifi net.Interface) bool {
	if ifi.Flags&net.FlagUp == 0 || ifi.Flags&net.FlagLoopback != 0 || ifi.Flags&net.FlagMulticast == 0 {
		return false
	}
	return slices.ContainsFunc(addrs(ifi), netip.Addr.Is4)
}

// addrs returns the usable unicast addresses of an interface.
func addrs(ifi net.Interface) []netip.Addr {
	as, err := ifi.Addrs()
	if err != nil {
		return nil
	}
	var ips []netip.Addr
	for _, a := range as {
		n, ok := a.(*net.IPNet)
		if !ok {
			continue
		}
		ip, ok := netip.AddrFromSlice(n.IP)
		if ip = ip.Unmap(); ok && usable(ip) && !ip.IsLoopback() {
			ips = append(ips, ip)
		}
	}
	return ips
}

// IPs returns the addresses of the interfaces, without repeats, IPv4
// first: what others on those networks can reach this machine at.
func IPs(ifaces []net.Interface) []netip.Addr {
	var ips []netip.Addr
	for _, ifi := range ifaces {
		for _, ip := range addrs(ifi) {
			if !slices.Contains(ips, ip) {
				ips = append(ips, ip)
			}
		}
	}
	slices.SortStableFunc(ips, compareFamily)
	return ips
}

// compareFamily orders IPv4 addresses before IPv6 ones.
func compareFamily(a, b netip.Addr) int {
	switch {
	case a.Is4() == b.Is4():
		return 0
	case a.Is4():
		return -1
	}
	return 1
}

// LocalIPs returns the addresses to advertise: those of Interfaces(""),
// IPv4 first; none on a machine with only loopback.
func LocalIPs() []netip.Addr {
	ifaces, err := Interfaces("")
	if err != nil {
		return nil
	}
	return IPs(ifaces)
}

// usable reports whether ip can be a peer's unicast address.
func usable(ip netip.Addr) bool {
	return ip.IsValid() && !ip.IsUnspecified() && !ip.IsMulticast() &&
		ip.Unmap() != netip.AddrFrom4([4]byte{255, 255, 255, 255})
}

func cmpBool(a, b bool) int {
	switch {
	case a == b:
		return 0
	case a:
		return 1
	}
	return -1
}
