//go:build linux

package netns

import (
	"context"
	"fmt"
	"net"
	"net/netip"
	"os"
	"os/exec"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"lanarena/net/transport"
)

// linkNames lists the interfaces of the namespace the calling thread is
// in, sorted.
func linkNames(t *testing.T) []string {
	t.Helper()
	ifs, err := net.Interfaces()
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, i := range ifs {
		names = append(names, i.Name)
	}
	slices.Sort(names)
	return names
}

func namespaces(t *testing.T) string {
	t.Helper()
	out, err := exec.Command("ip", "netns", "list").CombinedOutput()
	if err != nil {
		t.Fatalf("ip netns list: %v: %s", err, out)
	}
	return string(out)
}

// TestLAN checks that hosts reach each other over the LAN, and that
// nothing is left, nor ever made, in this namespace.
func TestLAN(t *testing.T) {
	if err := Available(); err != nil {
		unavailable(t, "%v", err)
	}
	before := linkNames(t)
	var made []string
	t.Run("exchange", func(t *testing.T) {
		lan := New(t, 3)
		hosts := lan.Hosts()
		for _, h := range hosts {
			made = append(made, h.Name)
			if !lan.Prefix().Contains(h.Addr) {
				t.Errorf("%s at %v, outside %v", h.Name, h.Addr, lan.Prefix())
			}
			if len(h.Iface) > 15 {
				t.Errorf("interface name %q longer than 15 bytes", h.Iface)
			}
		}
		made = append(made, lan.Switch())
		if got := linkNames(t); !slices.Equal(got, before) {
			t.Errorf("links here changed while the LAN exists: %v, was %v", got, before)
		}

		// One UDP socket per host, each made inside its namespace.
		trs := make([]*transport.UDP, len(hosts))
		for i, h := range hosts {
			h.Run(t, func() {
				if err := Verify(h.Name); err != nil {
					t.Fatal(err)
				}
				names := linkNames(t)
				if want := []string{h.Iface, "lo"}; !slices.Equal(names, want) {
					t.Errorf("interfaces in %s: %v, want %v", h.Name, names, want)
				}
				tr, err := transport.ListenUDP(netip.AddrPortFrom(h.Addr, 0))
				if err != nil {
					t.Fatal(err)
				}
				trs[i] = tr
			})
			t.Cleanup(func() { trs[i].Close() })
		}
		for i, from := range trs {
			for j, to := range trs {
				if i == j {
					continue
				}
				if err := from.WriteTo([]byte{byte(i)}, to.LocalAddr()); err != nil {
					t.Fatalf("%v -> %v: %v", from.LocalAddr(), to.LocalAddr(), err)
				}
			}
		}
		for _, tr := range trs {
			for range len(trs) - 1 {
				select {
				case p := <-tr.Packets():
					if want := trs[p.Data[0]].LocalAddr(); p.From != want {
						t.Errorf("packet from %v, want %v", p.From, want)
					}
				case <-time.After(5 * time.Second):
					t.Fatalf("%v: missing packets after 5s", tr.LocalAddr())
				}
			}
		}
	})
	if got := linkNames(t); !slices.Equal(got, before) {
		t.Errorf("links after cleanup: %v, want %v", got, before)
	}
	list := namespaces(t)
	for _, ns := range made {
		if strings.Contains(list, ns) {
			t.Errorf("namespace %s left after cleanup", ns)
		}
	}
}

func TestRunStaysInside(t *testing.T) {
	lan := New(t, 1)
	h := lan.Hosts()[0]
	if err := Verify(h.Name); err == nil {
		t.Fatalf("Verify(%s) = nil in the test's own namespace", h.Name)
	}
	var inside error
	h.Run(t, func() { inside = Verify(h.Name) })
	if inside != nil {
		t.Errorf("Verify inside Run: %v", inside)
	}
	// The host's address exists only in its namespace.
	if c, err := net.ListenUDP("udp4", net.UDPAddrFromAddrPort(netip.AddrPortFrom(h.Addr, 0))); err == nil {
		c.Close()
		t.Errorf("bound %v outside the namespace: Run leaked its namespace", h.Addr)
	}
	// Run many times, then look at many threads: none came back in the
	// wrong namespace.
	for range 50 {
		h.Run(t, func() {})
	}
	var wg sync.WaitGroup
	for range 50 {
		wg.Go(func() {
			runtime.LockOSThread()
			defer runtime.UnlockOSThread()
			if err := Verify(h.Name); err == nil {
				t.Error("a thread stayed in the namespace after Run")
			}
			time.Sleep(time.Millisecond) // keep the thread busy so others are used too
		})
	}
	wg.Wait()
}

func TestCommand(t *testing.T) {
	lan := New(t, 2)
	h := lan.Hosts()[1]
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	out, err := h.Command(ctx, "ip", "-4", "-o", "addr", "show", "dev", h.Iface).CombinedOutput()
	if err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	if !strings.Contains(string(out), h.Addr.String()+"/24") {
		t.Errorf("address of %s: %q, want %v/24", h.Iface, out, h.Addr)
	}
	out, err = h.Command(ctx, "ip", "route", "get", "224.0.0.251").CombinedOutput()
	if err != nil || !strings.Contains(string(out), "dev "+h.Iface) {
		t.Errorf("multicast route: %q, %v; want it through %s", out, err, h.Iface)
	}
}

func TestCleanupKillsProcesses(t *testing.T) {
	var cmd *exec.Cmd
	t.Run("lan", func(t *testing.T) {
		lan := New(t, 1)
		cmd = lan.Hosts()[0].Command(context.Background(), "sleep", "60")
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
	})
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		cmd.Process.Kill()
		t.Fatal("a process in the namespace outlived the LAN")
	}
}

// TestPrefix: a run that sets PrefixEnv finds every namespace of its LANs
// under that prefix, and only those.
func TestPrefix(t *testing.T) {
	if err := Available(); err != nil {
		unavailable(t, "%v", err)
	}
	prefix := fmt.Sprintf("latest%dq", os.Getpid())
	t.Setenv(PrefixEnv, prefix)
	lan := New(t, 2)
	names := []string{lan.Switch()}
	for _, h := range lan.Hosts() {
		names = append(names, h.Name)
	}
	var ours []string
	for _, line := range strings.Split(namespaces(t), "\n") {
		if ns, _, _ := strings.Cut(line, " "); strings.HasPrefix(ns, prefix) {
			ours = append(ours, ns)
		}
	}
	slices.Sort(names)
	slices.Sort(ours)
	if !slices.Equal(ours, names) {
		t.Errorf("namespaces named %s*: %q, want the LAN's %q", prefix, ours, names)
	}

	for _, bad := range []string{"La", "la-ci", "1la", "la/x", strings.Repeat("a", 25)} {
		t.Setenv(PrefixEnv, bad)
		if p, err := Prefix(); err == nil {
			t.Errorf("Prefix() with %s=%q = %q, want an error", PrefixEnv, bad, p)
		}
	}
}

// TestRemoveStaleScoped: a namespace whose maker has exited is removed,
// whatever its run's prefix; one whose maker still runs is left alone.
func TestRemoveStaleScoped(t *testing.T) {
	if err := Available(); err != nil {
		unavailable(t, "%v", err)
	}
	exited := exec.Command("true")
	if err := exited.Run(); err != nil {
		t.Fatal(err)
	}
	alive := exec.Command("sleep", "60")
	if err := alive.Start(); err != nil {
		t.Fatal(err)
	}
	defer alive.Wait()
	defer alive.Process.Kill()
	var tag [3]byte
	mustRandom(t, tag[:])
	dead := fmt.Sprintf("lastaleq%x-%d-sw", tag, exited.Process.Pid)
	live := fmt.Sprintf("lastaleq%x-%d-h0", tag, alive.Process.Pid)
	for _, ns := range []string{dead, live} {
		if out, err := ip("netns", "add", ns); err != nil {
			t.Fatalf("ip netns add %s: %v: %s", ns, err, out)
		}
		t.Cleanup(func() { ip("netns", "del", ns) })
	}
	removeStale(t)
	list := namespaces(t)
	if strings.Contains(list, dead) {
		t.Errorf("%s, made by exited process %d, was not removed", dead, exited.Process.Pid)
	}
	if !strings.Contains(list, live) {
		t.Errorf("%s, made by running process %d, was removed", live, alive.Process.Pid)
	}
}
