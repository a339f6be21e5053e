//go:build linux

package netns

import (
	"errors"
	"fmt"
	"path/filepath"
	"runtime"
	"testing"

	"golang.org/x/sys/unix"
)

// nsDir is where `ip netns` keeps its named namespaces.
const nsDir = "/run/netns"

// Run calls fn on an OS thread switched into the host's namespace, and
// returns when fn returns. The thread goes back to its original namespace
// afterwards; if it cannot, it is never reused (it ends with the goroutine
// that ran fn).
//
// Only fn's own thread is in the namespace:
//
//   - Sockets created by fn (net.Listen*, transport.ListenUDP, an mDNS
//     server or query) are bound to the namespace for their whole life,
//     and may be used and closed from any goroutine after fn returns.
//   - Goroutines started by fn run on other threads, in the original
//     namespace: a socket they create is NOT in the namespace. So fn must
//     create every socket itself, synchronously, and any call that
//     creates sockets as it goes (such as discovery.Browse, which opens
//     a client per query) must run inside fn until it is done.
//
// fn may call t.Fatal: Run then fails the test from the calling goroutine
// too. A panic in fn is re-raised in the calling goroutine.
func (h Host) Run(t testing.TB, fn func()) {
	t.Helper()
	type result struct {
		err      error
		returned bool
		panicked any
	}
	done := make(chan result, 1)
	go func() {
		var res result
		defer func() { done <- res }()
		// Locked for good: Unlock only once the thread is back home.
		runtime.LockOSThread()
		restore, err := enter(h.Name)
		if err != nil {
			res.err = err
			if restore == nil {
				runtime.UnlockOSThread()
			}
			return
		}
		defer func() {
			if err := restore(); err != nil {
				res.err = fmt.Errorf("leaving namespace %s: %w (thread discarded)", h.Name, err)
				return
			}
			runtime.UnlockOSThread()
		}()
		defer func() {
			if res.panicked = recover(); res.panicked != nil {
				res.returned = true
			}
		}()
		fn()
		res.returned = true
	}()
	res := <-done
	if res.panicked != nil {
		panic(res.panicked)
	}
	if res.err != nil {
		t.Fatalf("netns: %v", res.err)
	}
	if !res.returned {
		t.FailNow() // fn called t.FailNow (or runtime.Goexit)
	}
}

// enter switches the calling thread, which must be locked, into the named
// namespace. On success it returns a function that switches back. If it
// returns an error and a non-nil restore, the thread's namespace is
// unknown and the thread must be discarded.
func enter(name string) (restore func() error, err error) {
	orig, err := unix.Open(threadNS(), unix.O_RDONLY|unix.O_CLOEXEC, 0)
	if err != nil {
		return nil, fmt.Errorf("opening this thread's namespace: %w", err)
	}
	target, err := unix.Open(filepath.Join(nsDir, name), unix.O_RDONLY|unix.O_CLOEXEC, 0)
	if err != nil {
		unix.Close(orig)
		return nil, fmt.Errorf("opening namespace %s: %w", name, err)
	}
	defer unix.Close(target)
	restore = func() error {
		defer unix.Close(orig)
		return unix.Setns(orig, unix.CLONE_NEWNET)
	}
	if err := unix.Setns(target, unix.CLONE_NEWNET); err != nil {
		unix.Close(orig)
		return nil, fmt.Errorf("entering namespace %s: %w", name, err)
	}
	if err := Verify(name); err != nil {
		// Should not happen; do not run anything on a thread we are
		// not sure of.
		if rerr := restore(); rerr != nil {
			return restore, errors.Join(err, rerr)
		}
		return nil, err
	}
	return restore, nil
}

func threadNS() string {
	return fmt.Sprintf("/proc/self/task/%d/ns/net", unix.Gettid())
}

// Verify returns nil if the calling thread is in the named namespace (one
// made by `ip netns add`), and an error otherwise. Code that must never
// touch a real network (an mDNS test) calls it first: in a process started
// by Host.Command every thread is in the namespace; in Host.Run, only fn's
// thread is.
func Verify(name string) error {
	var self, want unix.Stat_t
	if err := unix.Stat(threadNS(), &self); err != nil {
		return fmt.Errorf("this thread's network namespace: %w", err)
	}
	path := filepath.Join(nsDir, name)
	if err := unix.Stat(path, &want); err != nil {
		return fmt.Errorf("network namespace %s: %w", name, err)
	}
	if self.Dev != want.Dev || self.Ino != want.Ino {
		return fmt.Errorf("not in network namespace %s", name)
	}
	return nil
}
