// Package transport moves datagrams between peers and nothing more: it deals
// only in bytes and addresses. Encoding lives in net/wire; membership and
// replication live in the parent package.
//
// Three implementations share one contract, Transport: UDP over a real
// socket, Mem over an in-memory MemNetwork for deterministic tests, and
// Impaired, a wrapper that loses, duplicates, delays and reorders packets on
// purpose so the game can show what a bad network does. All three are also
// Batchers, which send many datagrams at once: UDP with one sendmmsg.
//
// Addresses are netip values. IPv4-mapped IPv6 addresses (::ffff:a.b.c.d)
// are unmapped everywhere, so a peer has one canonical address.
package transport

import (
	"net/netip"
	"sync/atomic"
	"time"
)

// ReadBufferSize is the largest datagram a transport delivers. The game's
// packets are at most 1200 bytes; anything longer (up to this size) is still
// delivered whole so the decoder can count it as too big. A datagram longer
// than ReadBufferSize is cut to ReadBufferSize bytes, which is still too big.
const ReadBufferSize = 2048

// QueueLen is how many received packets a transport holds for its reader.
// When the queue is full, new packets are dropped and counted in
// Stats.ReadDrops: a slow reader loses packets, it never stalls the network.
const QueueLen = 256

// Packet is one received datagram.
type Packet struct {
	Data []byte         // the receiver owns it
	From netip.AddrPort // canonical (unmapped) source address
	At   time.Time      // when the transport received it
}

// Transport sends and receives datagrams.
type Transport interface {
	// WriteTo sends b to the given address. It never blocks for long, is
	// safe for concurrent use and copies b if it keeps it. Sending to an
	// address where nobody listens is not an error: the packet is lost.
	WriteTo(b []byte, to netip.AddrPort) error
	// Packets returns the channel of received packets. It is closed after
	// Close.
	Packets() <-chan Packet
	// LocalAddr is the address the transport is bound to.
	LocalAddr() netip.AddrPort
	// Close stops the transport and waits for its goroutines to exit. It
	// is idempotent.
	Close() error
}

// Stats counts what went through a transport.
type Stats struct {
	PacketsIn, PacketsOut uint64
	BytesIn, BytesOut     uint64
	// ReadDrops counts received packets dropped because the Packets
	// channel was full. They are included in PacketsIn and BytesIn.
	ReadDrops uint64
	// Limited counts datagrams dropped by a SourceLimit (UDP only).
	// They are included in PacketsIn and BytesIn.
	Limited uint64
	// Filtered counts datagrams the reader dropped for lacking the prefix
	// of RequirePrefix (UDP only; those the kernel's filter dropped never
	// arrive). They are included in PacketsIn and BytesIn.
	Filtered uint64
}

// counters is the atomic form of Stats.
type counters struct {
	packetsIn, packetsOut atomic.Uint64
	bytesIn, bytesOut     atomic.Uint64
	readDrops             atomic.Uint64
	limitedIn             atomic.Uint64
	filteredIn            atomic.Uint64
}

// filtered counts a datagram received and dropped for its prefix.
func (c *counters) filtered(n int) {
	c.received(n)
	c.filteredIn.Add(1)
}

// limited counts a datagram received and dropped by a SourceLimit.
func (c *counters) limited(n int) {
	c.received(n)
	c.limitedIn.Add(1)
}

func (c *counters) sent(n int) {
	c.packetsOut.Add(1)
	c.bytesOut.Add(uint64(n))
}

func (c *counters) received(n int) {
	c.packetsIn.Add(1)
	c.bytesIn.Add(uint64(n))
}

func (c *counters) snapshot() Stats {
	return Stats{
		PacketsIn:  c.packetsIn.Load(),
		PacketsOut: c.packetsOut.Load(),
		BytesIn:    c.bytesIn.Load(),
		BytesOut:   c.bytesOut.Load(),
		ReadDrops:  c.readDrops.Load(),
		Limited:    c.limitedIn.Load(),
		Filtered:   c.filteredIn.Load(),
	}
}

// offer puts p on ch unless ch is full, in which case it counts a drop.
func (c *counters) offer(ch chan<- Packet, p Packet) {
	c.received(len(p.Data))
	select {
	case ch <- p:
	default:
		c.readDrops.Add(1)
	}
}

// canonical unmaps an IPv4-mapped IPv6 address.
func canonical(ap netip.AddrPort) netip.AddrPort {
	if !ap.Addr().Is4In6() {
		return ap
	}
	return netip.AddrPortFrom(ap.Addr().Unmap(), ap.Port())
}
