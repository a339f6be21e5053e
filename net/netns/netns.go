//go:build linux

// Package netns builds a virtual LAN out of Linux network namespaces for
// tests: a switch namespace holding a bridge, and one namespace per host,
// each joined to the bridge by a veth pair. Multicast (mDNS) works between
// the hosts and never reaches a real interface: nothing of the LAN lives in
// the namespace the test started in.
//
// It needs root and the ip command (iproute2). New skips the test when they
// are missing, or fails it when the environment says CI=true, where a
// skipped network test would pass unnoticed.
//
// Two ways to run code on a host:
//
//   - Host.Command runs a program inside the host's namespace with
//     `ip netns exec`: the whole process lives there. This is the robust
//     way, and the way to test the real binary end to end. A test can run
//     its own binary this way (os.Args[0] with an environment variable
//     that TestMain checks) to run test code in a namespace.
//   - Host.Run runs a function in this process on an OS thread switched
//     into the namespace. Sockets created by that function stay in the
//     namespace for their whole life; goroutines it starts do not run
//     there. See Host.Run.
package netns

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"math/big"
	"net/netip"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
)

// MaxHosts is the most hosts a LAN can have (one /24, the first addresses).
const MaxHosts = 200

// LAN is a virtual LAN of network namespaces made by New. Everything it
// made is deleted when the test ends, whether it passed or not.
type LAN struct {
	prefix netip.Prefix
	sw     string // switch namespace, holding the bridge
	hosts  []Host
	procs  *procs // started by Host.Command, killed at cleanup
}

// procs are the commands a LAN's hosts started. `ip netns pids` cannot
// see a command that has not entered its namespace yet, so cleanup also
// kills every command started here, by pid, wherever it is.
type procs struct {
	mu   sync.Mutex
	cmds []*exec.Cmd
}

func (p *procs) add(c *exec.Cmd) {
	p.mu.Lock()
	p.cmds = append(p.cmds, c)
	p.mu.Unlock()
}

func (p *procs) kill() {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, c := range p.cmds {
		if c.Process != nil {
			_ = c.Process.Kill() // fails harmlessly once it has exited
		}
	}
}

// Host is one machine of a LAN.
type Host struct {
	Name  string     // network namespace name, as in `ip netns`
	Addr  netip.Addr // IPv4 address on the LAN
	Iface string     // the host's network interface
	procs *procs
}

// names of one LAN. Namespaces are machine-wide, so their names start with
// the run's prefix (see PrefixEnv) and carry this process's id, so that a
// later run can delete what a killed run left behind. Interfaces live
// inside the LAN's own namespaces: they need only the LAN's tag, and stay
// within the kernel's 15 bytes.
type names struct{ prefix, tag string }

func (n names) ns(role string) string {
	return fmt.Sprintf("%s%s-%d-%s", n.prefix, n.tag, os.Getpid(), role)
}
func (n names) hostIf(i int) string     { return fmt.Sprintf("la%sh%d", n.tag, i) } // ≤ 2+6+1+3 bytes
func (n names) switchPort(i int) string { return fmt.Sprintf("la%sp%d", n.tag, i) }
func (n names) bridge() string          { return "la" + n.tag + "br" }

// newNames draws a LAN's tag, under this run's prefix.
func newNames(t testing.TB) names {
	t.Helper()
	prefix, err := Prefix()
	if err != nil {
		t.Fatalf("netns.New: %v", err)
	}
	var tag [3]byte
	mustRandom(t, tag[:])
	return names{prefix: prefix, tag: hex.EncodeToString(tag[:])}
}

// PrefixEnv is the environment variable whose value starts the name of
// every namespace a LAN makes ("la" when unset). A CI run sets a value of
// its own, so that its clean-up and its leftover check touch only the
// namespaces it made, never those of a run going on beside it. A prefix is
// 1 to 24 lower-case letters and digits, starting with a letter; one that
// ends in a letter other than a-f cannot be confused with another run's
// prefix followed by a tag.
const PrefixEnv = "LANARENA_NETNS_PREFIX"

var validPrefix = regexp.MustCompile(`^[a-z][a-z0-9]{0,23}$`)

// Prefix returns the prefix of the namespaces made by this process: the
// value of PrefixEnv, or "la".
func Prefix() (string, error) {
	p, ok := os.LookupEnv(PrefixEnv)
	if !ok || p == "" {
		return "la", nil
	}
	if !validPrefix.MatchString(p) {
		return "", fmt.Errorf("%s=%q: want 1 to 24 lower-case letters and digits, starting with a letter", PrefixEnv, p)
	}
	return p, nil
}

// staleName matches the namespaces this package makes, whatever their
// prefix, capturing the id of the process that made them.
var staleName = regexp.MustCompile(`^[a-z][a-z0-9]*[0-9a-f]{6}-([0-9]+)-(?:sw|h[0-9]+)$`)

// New makes a LAN of the given number of hosts, on a private /24 chosen
// at random (10.77.X.0/24): host i has address .i+1. In each host the
// loopback and LAN interfaces are up and 224.0.0.0/4 is routed to the LAN
// interface, so multicast sockets can bind and send.
func New(t testing.TB, hosts int) *LAN {
	t.Helper()
	if hosts < 1 || hosts > MaxHosts {
		t.Fatalf("netns.New: %d hosts, want 1..%d", hosts, MaxHosts)
	}
	if err := Available(); err != nil {
		unavailable(t, "%v", err)
	}
	n := newNames(t)
	removeStale(t)
	x := byte(randomInt(t, 256))
	l := &LAN{
		prefix: netip.PrefixFrom(netip.AddrFrom4([4]byte{10, 77, x, 0}), 24),
		sw:     n.ns("sw"),
		procs:  &procs{},
	}

	var made []string // namespaces, in order of creation
	t.Cleanup(func() {
		l.procs.kill()
		for i := len(made) - 1; i >= 0; i-- {
			if err := remove(made[i]); err != nil {
				t.Errorf("netns cleanup: %v", err)
			}
		}
	})
	add := func(ns string) {
		t.Helper()
		if out, err := ip("netns", "add", ns); err != nil {
			if len(made) == 0 {
				// The first namespace: the system does not allow them.
				unavailable(t, "netns.New: cannot make network namespaces: %v: %s", err, out)
			}
			t.Fatalf("netns.New: ip netns add %s: %v: %s", ns, err, out)
		}
		made = append(made, ns)
	}
	run := func(args ...string) {
		t.Helper()
		if out, err := ip(args...); err != nil {
			t.Fatalf("netns.New: ip %s: %v: %s", strings.Join(args, " "), err, out)
		}
	}

	add(l.sw)
	run("-n", l.sw, "link", "set", "lo", "up")
	// Without snooping the bridge floods all multicast, as a cheap
	// home switch does.
	run("-n", l.sw, "link", "add", n.bridge(), "type", "bridge", "mcast_snooping", "0")
	run("-n", l.sw, "link", "set", n.bridge(), "up")
	for i := range hosts {
		h := Host{
			Name:  n.ns("h" + strconv.Itoa(i)),
			Addr:  netip.AddrFrom4([4]byte{10, 77, x, byte(i + 1)}),
			Iface: n.hostIf(i),
			procs: l.procs,
		}
		add(h.Name)
		// Made from inside the host namespace, with its peer put in
		// the switch: the pair never exists in ours.
		run("-n", h.Name, "link", "add", h.Iface, "type", "veth", "peer", "name", n.switchPort(i), "netns", l.sw)
		run("-n", l.sw, "link", "set", n.switchPort(i), "master", n.bridge())
		run("-n", l.sw, "link", "set", n.switchPort(i), "up")
		run("-n", h.Name, "link", "set", "lo", "up")
		run("-n", h.Name, "addr", "add", netip.PrefixFrom(h.Addr, 24).String(), "dev", h.Iface)
		run("-n", h.Name, "link", "set", h.Iface, "up")
		run("-n", h.Name, "route", "add", "224.0.0.0/4", "dev", h.Iface)
		l.hosts = append(l.hosts, h)
	}
	return l
}

// Hosts returns the hosts, in order of their addresses.
func (l *LAN) Hosts() []Host { return append([]Host(nil), l.hosts...) }

// Prefix is the LAN's IPv4 network.
func (l *LAN) Prefix() netip.Prefix { return l.prefix }

// Switch is the name of the namespace holding the bridge (to watch the
// traffic with tcpdump, say).
func (l *LAN) Switch() string { return l.sw }

// Command returns a command that runs the named program inside the host's
// namespace (`ip netns exec`). The context kills it as in
// exec.CommandContext; processes still running in the namespace when the
// test ends are killed anyway.
func (h Host) Command(ctx context.Context, name string, args ...string) *exec.Cmd {
	cmd := exec.CommandContext(ctx, "ip", append([]string{"netns", "exec", h.Name, name}, args...)...)
	if h.procs != nil {
		h.procs.add(cmd)
	}
	return cmd
}

// Available reports why network namespaces cannot be made here, or nil.
func Available() error {
	if os.Geteuid() != 0 {
		return errors.New("network namespaces need root")
	}
	if _, err := exec.LookPath("ip"); err != nil {
		return fmt.Errorf("network namespaces need the ip command (iproute2): %w", err)
	}
	return nil
}

func unavailable(t testing.TB, format string, args ...any) {
	t.Helper()
	if os.Getenv("CI") == "true" {
		t.Fatalf(format+" (CI=true: this test must run)", args...)
	}
	t.Skipf(format, args...)
}

func ip(args ...string) ([]byte, error) {
	return exec.Command("ip", args...).CombinedOutput()
}

// remove kills the processes left in a namespace, then deletes it (which
// deletes its interfaces, and so the veth peers in other namespaces).
func remove(ns string) error {
	out, err := ip("netns", "pids", ns)
	if _, serr := os.Stat(filepath.Join(nsDir, ns)); err != nil && errors.Is(serr, os.ErrNotExist) {
		return fmt.Errorf("namespace %s was deleted by something else while in use (a clean-up not scoped to its own run?)", ns)
	}
	if err != nil {
		return fmt.Errorf("ip netns pids %s: %v: %s", ns, err, out)
	}
	for _, f := range strings.Fields(string(out)) {
		pid, err := strconv.Atoi(f)
		if err != nil || pid == os.Getpid() {
			continue
		}
		_ = syscall.Kill(pid, syscall.SIGKILL)
	}
	if out, err := ip("netns", "del", ns); err != nil {
		return fmt.Errorf("ip netns del %s: %v: %s", ns, err, out)
	}
	return nil
}

// removeStale deletes namespaces made by a test process that no longer
// exists: one killed by a timeout does not run its cleanups.
func removeStale(t testing.TB) {
	out, err := ip("netns", "list")
	if err != nil {
		return
	}
	for _, line := range bytes.Split(out, []byte("\n")) {
		ns, _, _ := strings.Cut(string(line), " ")
		m := staleName.FindStringSubmatch(ns)
		if m == nil {
			continue
		}
		pid, err := strconv.Atoi(m[1])
		if err != nil || syscall.Kill(pid, 0) != syscall.ESRCH {
			continue // its owner still runs
		}
		if err := remove(ns); err != nil {
			t.Logf("netns: removing stale %s: %v", ns, err)
		}
	}
}

func mustRandom(t testing.TB, b []byte) {
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
}

func randomInt(t testing.TB, n int64) int64 {
	v, err := rand.Int(rand.Reader, big.NewInt(n))
	if err != nil {
		t.Fatal(err)
	}
	return v.Int64()
}
