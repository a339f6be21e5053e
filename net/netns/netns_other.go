//go:build !linux

package netns

// Network namespaces exist only on Linux. Elsewhere this file keeps the
// package's API so that tests using it compile, and New skips them.

import (
	"context"
	"errors"
	"net/netip"
	"os/exec"
	"testing"
)

// MaxHosts is the most hosts a LAN can have.
const MaxHosts = 200

var errNotLinux = errors.New("network namespaces need Linux")

// LAN is a virtual LAN of network namespaces; there is none off Linux.
type LAN struct{}

// Host is one machine of a LAN.
type Host struct {
	Name  string
	Addr  netip.Addr
	Iface string
}

// New skips the test: network namespaces need Linux.
func New(t testing.TB, hosts int) *LAN {
	t.Helper()
	t.Skip(errNotLinux.Error())
	return nil
}

// Hosts returns no host.
func (l *LAN) Hosts() []Host { return nil }

// Prefix is the zero prefix.
func (l *LAN) Prefix() netip.Prefix { return netip.Prefix{} }

// Switch is empty.
func (l *LAN) Switch() string { return "" }

// Command returns a command that fails to start.
func (h Host) Command(ctx context.Context, name string, args ...string) *exec.Cmd {
	return exec.CommandContext(ctx, "network-namespaces-need-linux")
}

// Run skips the test.
func (h Host) Run(t testing.TB, fn func()) {
	t.Helper()
	t.Skip(errNotLinux.Error())
}

// Available says network namespaces need Linux.
func Available() error { return errNotLinux }

// Verify says network namespaces need Linux.
func Verify(name string) error { return errNotLinux }
