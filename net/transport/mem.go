package transport

import (
	"errors"
	"fmt"
	"net"
	"net/netip"
	"sync"
	"time"
)

// ErrAddrInUse is returned by MemNetwork.Listen for an address already
// taken.
var ErrAddrInUse = errors.New("address already in use")

// Ephemeral ports handed out by MemNetwork.Listen for port 0, in order, so
// that tests are deterministic.
const (
	firstEphemeral = 49152
	lastEphemeral  = 65535
)

// MemNetwork is an in-memory network of Mem transports: the twin of UDP for
// tests. Delivery is synchronous and in order, so a test that sends from
// one goroutine sees exactly the same packets every run. The zero value is
// not usable; call NewMemNetwork. It is safe for concurrent use.
type MemNetwork struct {
	mu    sync.Mutex
	nodes map[netip.AddrPort]*Mem
	next  int // next ephemeral port to try
}

// NewMemNetwork returns an empty network.
func NewMemNetwork() *MemNetwork {
	return &MemNetwork{nodes: make(map[netip.AddrPort]*Mem), next: firstEphemeral}
}

// Listen attaches a transport at addr. The address must be valid (the
// network has no notion of "all addresses"); port 0 picks a free port.
func (n *MemNetwork) Listen(addr netip.AddrPort) (*Mem, error) {
	addr = canonical(addr)
	if !addr.Addr().IsValid() {
		return nil, fmt.Errorf("mem listen: invalid address %v", addr)
	}
	n.mu.Lock()
	defer n.mu.Unlock()
	if addr.Port() == 0 {
		free, ok := n.freePortLocked(addr.Addr())
		if !ok {
			return nil, fmt.Errorf("mem listen %v: no free port: %w", addr.Addr(), ErrAddrInUse)
		}
		addr = free
	}
	if _, taken := n.nodes[addr]; taken {
		return nil, fmt.Errorf("mem listen %v: %w", addr, ErrAddrInUse)
	}
	m := &Mem{net: n, local: addr, packets: make(chan Packet, QueueLen)}
	n.nodes[addr] = m
	return m, nil
}

func (n *MemNetwork) freePortLocked(ip netip.Addr) (netip.AddrPort, bool) {
	for range lastEphemeral - firstEphemeral + 1 {
		p := netip.AddrPortFrom(ip, uint16(n.next))
		n.next++
		if n.next > lastEphemeral {
			n.next = firstEphemeral
		}
		if _, taken := n.nodes[p]; !taken {
			return p, true
		}
	}
	return netip.AddrPort{}, false
}

func (n *MemNetwork) lookup(addr netip.AddrPort) *Mem {
	n.mu.Lock()
	defer n.mu.Unlock()
	return n.nodes[addr]
}

func (n *MemNetwork) remove(m *Mem) {
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.nodes[m.local] == m {
		delete(n.nodes, m.local)
	}
}

// Mem is a Transport on a MemNetwork. It has no goroutines: WriteTo puts
// the packet straight into the receiver's queue.
type Mem struct {
	net   *MemNetwork
	local netip.AddrPort
	stats counters

	mu      sync.Mutex // guards closed and sends on packets
	closed  bool
	packets chan Packet
}

var (
	_ Transport = (*Mem)(nil)
	_ Batcher   = (*Mem)(nil)
)

// WriteTo copies b into the queue of the transport listening at to. Like
// UDP, an address where nobody listens silently loses the packet, and a
// datagram longer than ReadBufferSize arrives cut to that size.
func (m *Mem) WriteTo(b []byte, to netip.AddrPort) error {
	if m.isClosed() {
		return fmt.Errorf("mem write to %v: %w", to, net.ErrClosed)
	}
	m.stats.sent(len(b))
	dst := m.net.lookup(canonical(to))
	if dst == nil {
		return nil
	}
	data := make([]byte, min(len(b), ReadBufferSize))
	copy(data, b)
	dst.deliver(Packet{Data: data, From: m.local, At: time.Now()})
	return nil
}

// WriteBatch is one WriteTo a message: delivery costs no system call.
func (m *Mem) WriteBatch(msgs []Message) error { return writeEach(m, msgs) }

func (m *Mem) isClosed() bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.closed
}

func (m *Mem) deliver(p Packet) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.closed {
		return // like a datagram to a port closed a moment ago
	}
	m.stats.offer(m.packets, p)
}

// Packets returns the channel of received packets, closed after Close.
func (m *Mem) Packets() <-chan Packet { return m.packets }

// LocalAddr is the address the transport listens at.
func (m *Mem) LocalAddr() netip.AddrPort { return m.local }

// Stats returns the transport's counters.
func (m *Mem) Stats() Stats { return m.stats.snapshot() }

// Close detaches the transport from its network and closes Packets. It is
// idempotent.
func (m *Mem) Close() error {
	m.mu.Lock()
	if !m.closed {
		m.closed = true
		close(m.packets)
	}
	m.mu.Unlock()
	m.net.remove(m)
	return nil
}
