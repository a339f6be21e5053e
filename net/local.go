package net

import "net/netip"

// canonical names a socket of this machine by one address. A peer on the
// same machine (a bot of this process, another copy) is reachable both
// over loopback and at this machine's LAN address, and the kernel picks
// the source address of each packet by where it goes: packets from
// 127.0.0.1:P and from the LAN address at port P come from one socket.
// When one of them is already a member's address, the other is mapped to
// it; without this the two sides can each settle on a different address
// and drop each other's packets as spoofed forever.
//
// It widens nothing for strangers: a packet from another machine cannot
// carry a loopback source, and only this machine's own addresses are
// mapped.
func (l *core) canonical(a netip.AddrPort) netip.AddrPort {
	if _, ok := l.byAddr[a]; ok || !l.onThisMachine(a.Addr()) {
		return a
	}
	for _, ip := range [...]netip.Addr{netip.IPv4Unspecified(), loopback4, netip.IPv6Loopback(), l.p.Addr().Addr()} {
		alt := netip.AddrPortFrom(ip, a.Port())
		if _, ok := l.byAddr[alt]; ok && ip.IsValid() && l.onThisMachine(ip) {
			return alt
		}
	}
	return a
}

var loopback4 = netip.AddrFrom4([4]byte{127, 0, 0, 1})

// onThisMachine reports whether ip names this machine: loopback, or the
// address this peer is shown at.
func (l *core) onThisMachine(ip netip.Addr) bool {
	ip = ip.Unmap()
	return ip.IsLoopback() || (ip.IsValid() && ip == l.p.Addr().Addr().Unmap())
}
