//go:build !linux

package transport

import "net"

// newBatchReader returns nil: off Linux routineRead reads one datagram a
// system call.
func newBatchReader(*net.UDPConn, int) batchReader { return nil }
