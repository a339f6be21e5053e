package transport

import (
	"bytes"
	"errors"
	"net"
	"net/netip"
	"runtime"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"golang.org/x/net/ipv4"
)

// socketBuffer is the kernel receive buffer we ask for, so that a burst of
// packets from many peers waits in the kernel rather than being dropped.
const socketBuffer = 1 << 20

// readBatch is how many datagrams routineRead takes off the socket in one
// recvmmsg: under a flood the socket always holds many, and a system call
// a datagram is most of what a flood costs the receiver.
const readBatch = 32

// UDP is a Transport and a Batcher over one UDP socket. One goroutine,
// routineRead, reads the socket; it exits when Close closes the socket.
type UDP struct {
	conn    *net.UDPConn
	local   netip.AddrPort
	packets chan Packet
	stats   counters

	// batch sends batches with sendmmsg. It is nil off Linux (where x/net
	// sends one message a call, or none on Windows) and on a socket that
	// is not IPv4 only (x/net writes an IPv4 destination as an AF_INET
	// address, which an AF_INET6 socket refuses): there batches go out
	// one WriteTo a message.
	batch   *ipv4.PacketConn
	batchMu sync.Mutex // guards the scratch below, reused by every batch
	ms      []ipv4.Message
	index   []int         // ms[j] is message index[j] of the batch
	iovs    [][]byte      // ms[j].Buffers is iovs[j : j+1]
	addrs   []net.UDPAddr // ms[j].Addr is &addrs[j]

	// reader receives many datagrams a system call (recvmmsg, on Linux);
	// nil elsewhere, where routineRead reads one a call.
	reader    batchReader
	readCalls atomic.Uint64 // system calls that returned datagrams (tests)
	// limit is the SourceLimit routineRead applies, set by LimitSources;
	// routineRead owns the buckets (sources).
	limit   atomic.Pointer[SourceLimit]
	sources *sourceTable
	prefix  atomic.Pointer[[]byte] // set by RequirePrefix

	closeOnce sync.Once
	closeErr  error
	done      chan struct{} // closed when routineRead has exited
}

var (
	_ Transport = (*UDP)(nil)
	_ Batcher   = (*UDP)(nil)
)

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
	if network == "udp4" && runtime.GOOS == "linux" {
		u.batch = ipv4.NewPacketConn(conn)
	}
	u.reader = newBatchReader(conn, readBatch)
	go u.routineRead()
	return u, nil
}

// routineRead delivers datagrams from the socket to the Packets channel
// until the socket is closed.
func (u *UDP) routineRead() {
	defer close(u.done)
	defer close(u.packets)
	if u.reader != nil && !u.readBatches() {
		return
	}
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
		u.readCalls.Add(1)
		if !u.admit(canonical(from), buf[:n], time.Now()) {
			continue
		}
		data := make([]byte, n)
		copy(data, buf[:n])
		u.stats.offer(u.packets, Packet{Data: data, From: canonical(from), At: time.Now()})
	}
}

// batchReader reads many datagrams a system call.
type batchReader interface {
	// read blocks until datagrams have come and says how many it read,
	// or returns an error (net.ErrClosed once the socket is closed).
	read() (int, error)
	// datagram is the i-th datagram of the last read and its source; the
	// bytes are the reader's until the next read.
	datagram(i int) ([]byte, netip.AddrPort)
}

// readBatches delivers datagrams read readBatch at a time until the socket
// is closed, and then returns false. It returns true if the system has no
// recvmmsg for this socket after all: routineRead then reads one at a
// time.
func (u *UDP) readBatches() (unsupported bool) {
	for {
		n, err := u.reader.read()
		switch {
		case errors.Is(err, net.ErrClosed):
			return false // Close was called
		case errors.Is(err, syscall.ENOSYS), errors.Is(err, syscall.EOPNOTSUPP), errors.Is(err, syscall.EINVAL):
			return true // no recvmmsg here (an old kernel, a sandbox)
		case err != nil:
			continue // as in routineRead: nothing stops an unconnected socket
		}
		u.readCalls.Add(1)
		now := time.Now()
		for i := range n {
			b, from := u.reader.datagram(i)
			if !from.IsValid() || !u.admit(canonical(from), b, now) {
				continue
			}
			data := make([]byte, len(b))
			copy(data, b)
			u.stats.offer(u.packets, Packet{Data: data, From: canonical(from), At: now})
		}
	}
}

// LimitSources makes the reader drop, before copying or queueing them,
// the datagrams of a source past lim (see SourceLimit); they are counted
// in Stats.Limited. It may be called at any time, from any goroutine; the
// zero SourceLimit lifts the limit.
func (u *UDP) LimitSources(lim SourceLimit) { u.limit.Store(&lim) }

// RequirePrefix makes the transport drop the datagrams that do not start
// with prefix (a protocol's magic): on Linux in the kernel, with a socket
// filter, before they are queued or wake anything (they are then counted
// nowhere here); elsewhere, or if the filter cannot be attached, in the
// reader before it copies them (counted in Stats.Filtered). Call it once,
// before the socket matters; prefix is at most 16 bytes.
func (u *UDP) RequirePrefix(prefix []byte) {
	p := append([]byte(nil), prefix[:min(len(prefix), 16)]...)
	u.prefix.Store(&p)
	_ = attachPrefixFilter(u.conn, p) // best effort: the reader checks too
}

// admit applies RequirePrefix and the SourceLimit on routineRead's
// goroutine, counting what they drop.
func (u *UDP) admit(from netip.AddrPort, b []byte, now time.Time) bool {
	if p := u.prefix.Load(); p != nil && !bytes.HasPrefix(b, *p) {
		u.stats.filtered(len(b))
		return false
	}
	size := len(b)
	lim := u.limit.Load()
	if lim == nil {
		return true
	}
	if u.sources == nil || u.sources.lim != *lim {
		u.sources = newSourceTable(*lim)
	}
	if u.sources.allow(from, now) {
		return true
	}
	u.stats.limited(size)
	return false
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

// WriteBatch sends msgs with sendmmsg, up to 1024 messages a system call,
// or one WriteTo a message where it cannot (see UDP.batch). It allocates
// nothing once it has seen a batch as long. It is safe for concurrent use.
func (u *UDP) WriteBatch(msgs []Message) error {
	if u.batch == nil {
		return writeEach(u, msgs)
	}
	u.batchMu.Lock()
	defer u.batchMu.Unlock()
	var failed batchFailures
	u.prepare(msgs, &failed)
	for sent := 0; sent < len(u.ms); {
		n, err := u.batch.WriteBatch(u.ms[sent:], 0)
		if err == nil && n <= 0 {
			err = errors.New("sendmmsg sent nothing")
		}
		if err != nil {
			// sendmmsg stops at the first message it cannot send and
			// says why when that is the first of the call: skip it.
			failed.add(len(msgs), u.index[sent], err)
			sent++
			if errors.Is(err, net.ErrClosed) {
				for ; sent < len(u.ms); sent++ {
					failed.add(len(msgs), u.index[sent], err)
				}
			}
			continue
		}
		for _, m := range u.ms[sent : sent+n] {
			u.stats.sent(m.N)
		}
		sent += n
	}
	clear(u.iovs[:len(u.ms)]) // keep none of the caller's buffers
	return failed.err()
}

// prepare fills the scratch with the messages for IPv4 destinations and
// sends the others with WriteTo, which says why it cannot.
func (u *UDP) prepare(msgs []Message, failed *batchFailures) {
	if len(msgs) > len(u.addrs) {
		// Every ms[j] points into these: grow them before filling any.
		n := max(len(msgs), 2*len(u.addrs))
		u.ms = make([]ipv4.Message, 0, n)
		u.index = make([]int, 0, n)
		u.iovs = make([][]byte, n)
		u.addrs = make([]net.UDPAddr, n)
	}
	u.ms, u.index = u.ms[:0], u.index[:0]
	for i, m := range msgs {
		to := canonical(m.To)
		if !to.Addr().Is4() {
			if err := u.WriteTo(m.Data, to); err != nil {
				failed.add(len(msgs), i, err)
			}
			continue
		}
		j := len(u.ms)
		ip := to.Addr().As4()
		a := &u.addrs[j]
		a.IP, a.Port = append(a.IP[:0], ip[:]...), int(to.Port())
		u.iovs[j] = m.Data
		u.ms = append(u.ms, ipv4.Message{Buffers: u.iovs[j : j+1 : j+1], Addr: a})
		u.index = append(u.index, i)
	}
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
