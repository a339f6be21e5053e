package transport

import (
	"errors"
	"net"
	"net/netip"
	"sync"
	"time"
)

// socketBuffer is the kernel receive buffer we ask for, so that a burst of
// packets from many peers waits in the kernel rather than being dropped.
const socketBuffer = 1 << 20

// UDP is a Transport over one UDP socket. One goroutine, routineRead, reads
// the socket; it exits when Close closes the socket.
type UDP struct {
	conn    *net.UDPConn
	local   netip.AddrPort
	packets chan Packet
	stats   counters

	closeOnce sync.Once
	closeErr  error
	done      chan struct{} // closed when routineRead has exited
}

var _ Transport = (*UDP)(nil)

// ListenUDP opens a UDP socket on addr. Port 0 picks a free port; an
// invalid (zero) address listens on all addresses, IPv4 and IPv6.
func ListenUDP(addr netip.AddrPort) (*UDP, error) {
	addr = canonical(addr)
	network := "udp"
	if addr.Addr().Is4() {
		network = "udp4"
	}
	conn, err := net.ListenUDP(network, net.UDPAddrFromAddrPort(addr))
	if err != nil {
		return nil, err
	}
	_ = conn.SetReadBuffer(socketBuffer) // best effort: the kernel may cap it
	u := &UDP{
		conn:    conn,
		local:   canonical(conn.LocalAddr().(*net.UDPAddr).AddrPort()),
		packets: make(chan Packet, QueueLen),
		done:    make(chan struct{}),
	}
	go u.routineRead()
	return u, nil
}

// routineRead delivers datagrams from the socket to the Packets channel
// until the socket is closed.
func (u *UDP) routineRead() {
	defer close(u.done)
	defer close(u.packets)
	buf := make([]byte, ReadBufferSize)
	for {
		n, from, err := u.conn.ReadFromUDPAddrPort(buf)
		if errors.Is(err, net.ErrClosed) {
			return // Close was called
		}
		if err != nil {
			// An unconnected UDP socket reports nothing that stops it
			// for good (at worst an ICMP error of an earlier send):
			// keep reading.
			continue
		}
		data := make([]byte, n)
		copy(data, buf[:n])
		u.stats.offer(u.packets, Packet{Data: data, From: canonical(from), At: time.Now()})
	}
}

// WriteTo sends b to the given address. It is safe for concurrent use.
func (u *UDP) WriteTo(b []byte, to netip.AddrPort) error {
	n, err := u.conn.WriteToUDPAddrPort(b, canonical(to))
	if err != nil {
		return err
	}
	u.stats.sent(n)
	return nil
}

// Packets returns the channel of received packets, closed after Close.
func (u *UDP) Packets() <-chan Packet { return u.packets }

// LocalAddr is the address the socket is bound to.
func (u *UDP) LocalAddr() netip.AddrPort { return u.local }

// Stats returns the transport's counters.
func (u *UDP) Stats() Stats { return u.stats.snapshot() }

// Close closes the socket and waits for routineRead to exit, which closes
// the Packets channel. Later calls wait the same way and return the same
// result.
func (u *UDP) Close() error {
	u.closeOnce.Do(func() {
		u.closeErr = u.conn.Close()
	})
	<-u.done
	return u.closeErr
}
