//go:build linux

package transport

import (
	"net"
	"net/netip"
	"strconv"
	"syscall"
	"unsafe"

	"golang.org/x/sys/unix"
)

// mmsghdr is struct mmsghdr of <sys/socket.h>: a message header and the
// length the kernel received into it, padded to the header's alignment.
type mmsghdr struct {
	hdr unix.Msghdr
	len uint32
	_   [unsafe.Sizeof(uintptr(0)) - 4]byte
}

// mmsgReader reads many datagrams a system call with recvmmsg(2), into
// buffers it made once: a call allocates nothing. It is used by one
// goroutine (routineRead).
type mmsgReader struct {
	rc     syscall.RawConn
	hdrs   []mmsghdr
	iovs   []unix.Iovec
	names  []unix.RawSockaddrInet6 // room for either family
	bufs   [][]byte
	zones  map[uint32]string // IPv6 scope id → interface name, as package net names it
	recvFn func(fd uintptr) bool
	n      int
	errno  syscall.Errno
}

// newBatchReader returns a reader of up to batch datagrams a call on
// conn's socket, or nil if it cannot have one.
func newBatchReader(conn *net.UDPConn, batch int) batchReader {
	rc, err := conn.SyscallConn()
	if err != nil {
		return nil
	}
	r := &mmsgReader{
		rc:    rc,
		hdrs:  make([]mmsghdr, batch),
		iovs:  make([]unix.Iovec, batch),
		names: make([]unix.RawSockaddrInet6, batch),
		bufs:  make([][]byte, batch),
		zones: map[uint32]string{},
	}
	for i := range batch {
		r.bufs[i] = make([]byte, ReadBufferSize)
		r.iovs[i].Base = &r.bufs[i][0]
		r.iovs[i].SetLen(ReadBufferSize)
		h := &r.hdrs[i].hdr
		h.Name = (*byte)(unsafe.Pointer(&r.names[i]))
		h.Iov = &r.iovs[i]
		h.SetIovlen(1)
	}
	r.recvFn = r.recv // a method value made once: Read is called per batch
	return r
}

// recv is the non-blocking attempt RawConn.Read makes each time the
// socket may be readable; false means "wait and try again".
func (r *mmsgReader) recv(fd uintptr) bool {
	for i := range r.hdrs {
		r.hdrs[i].hdr.Namelen = unix.SizeofSockaddrInet6
	}
	for {
		n, _, e := unix.Syscall6(unix.SYS_RECVMMSG, fd, uintptr(unsafe.Pointer(&r.hdrs[0])), uintptr(len(r.hdrs)),
			unix.MSG_DONTWAIT, 0, 0)
		switch e {
		case unix.EINTR:
			continue
		case unix.EAGAIN:
			return false
		}
		r.n, r.errno = int(n), e
		return true
	}
}

// read blocks until at least one datagram has come, and returns how many
// it read; datagram(i) is each of them until the next read. The error is
// net.ErrClosed once the socket is closed.
func (r *mmsgReader) read() (int, error) {
	if err := r.rc.Read(r.recvFn); err != nil {
		return 0, err
	}
	if r.errno != 0 {
		return 0, r.errno
	}
	return r.n, nil
}

// datagram returns the i-th datagram of the last read (cut to
// ReadBufferSize) and its source. The bytes are the reader's: copy them.
func (r *mmsgReader) datagram(i int) ([]byte, netip.AddrPort) {
	data := r.bufs[i][:min(int(r.hdrs[i].len), ReadBufferSize)]
	sa := &r.names[i]
	switch sa.Family {
	case unix.AF_INET:
		sa4 := (*unix.RawSockaddrInet4)(unsafe.Pointer(sa))
		return data, netip.AddrPortFrom(netip.AddrFrom4(sa4.Addr), port(sa4.Port))
	case unix.AF_INET6:
		a := netip.AddrFrom16(sa.Addr)
		if sa.Scope_id != 0 {
			a = a.WithZone(r.zone(sa.Scope_id))
		}
		return data, netip.AddrPortFrom(a, port(sa.Port))
	}
	return data, netip.AddrPort{}
}

// port reads a port in network byte order, as the kernel stores it.
func port(p uint16) uint16 {
	b := (*[2]byte)(unsafe.Pointer(&p))
	return uint16(b[0])<<8 | uint16(b[1])
}

// zone names an IPv6 scope as package net does (the interface's name, or
// the number when there is no such interface), so that a link-local peer
// has the same address whichever way it was read.
func (r *mmsgReader) zone(id uint32) string {
	if z, ok := r.zones[id]; ok {
		return z
	}
	z := strconv.FormatUint(uint64(id), 10)
	if ifi, err := net.InterfaceByIndex(int(id)); err == nil {
		z = ifi.Name
	}
	if len(r.zones) < 64 {
		r.zones[id] = z
	}
	return z
}

// attachPrefixFilter makes the kernel drop, before they are queued on
// conn's socket, the datagrams that do not start with prefix: a classic
// BPF socket filter, which for a UDP socket sees the 8-byte UDP header
// first.
func attachPrefixFilter(conn *net.UDPConn, prefix []byte) error {
	const udpHeader = 8
	var prog []unix.SockFilter
	add := func(code uint16, jt, jf uint8, k uint32) {
		prog = append(prog, unix.SockFilter{Code: code, Jt: jt, Jf: jf, K: k})
	}
	n := len(prefix)
	// A = length; drop if shorter than the header and the prefix.
	add(unix.BPF_LD|unix.BPF_W|unix.BPF_LEN, 0, 0, 0)
	add(unix.BPF_JMP|unix.BPF_JGE|unix.BPF_K, 0, uint8(2*n+1), uint32(udpHeader+n))
	for i, c := range prefix {
		// A = byte i of the payload; on a mismatch jump to the drop.
		add(unix.BPF_LD|unix.BPF_B|unix.BPF_ABS, 0, 0, uint32(udpHeader+i))
		add(unix.BPF_JMP|unix.BPF_JEQ|unix.BPF_K, 0, uint8(2*(n-i-1)+1), uint32(c))
	}
	add(unix.BPF_RET|unix.BPF_K, 0, 0, 0xffffffff) // keep all of it
	add(unix.BPF_RET|unix.BPF_K, 0, 0, 0)          // drop
	rc, err := conn.SyscallConn()
	if err != nil {
		return err
	}
	fprog := unix.SockFprog{Len: uint16(len(prog)), Filter: &prog[0]}
	var serr error
	if err := rc.Control(func(fd uintptr) {
		serr = unix.SetsockoptSockFprog(int(fd), unix.SOL_SOCKET, unix.SO_ATTACH_FILTER, &fprog)
	}); err != nil {
		return err
	}
	return serr
}
