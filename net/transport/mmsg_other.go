//go:build !linux

package transport

import (
	"errors"
	"net"
)

var errNoFilter = errors.New("no socket filter on this system")

// newBatchReader returns nil: off Linux routineRead reads one datagram a
// system call.
func newBatchReader(*net.UDPConn, int) batchReader { return nil }

// attachPrefixFilter has no kernel filter to attach here: the reader
// drops such datagrams itself.
func attachPrefixFilter(*net.UDPConn, []byte) error { return errNoFilter }
