package throttle

import (
	"net/netip"
	"testing"
	"time"
)

var t0 = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

func key(ip, reason string) Key { return Key{Source: netip.MustParseAddr(ip), Reason: reason} }

func TestAllowOncePerInterval(t *testing.T) {
	th := New(time.Second, 8)
	a := key("10.0.0.1", "room-full")
	lines := 0
	var held uint64
	// 1000 lines a second for 3 seconds.
	for i := range 3000 {
		ok, n, _ := th.Allow(t0.Add(time.Duration(i)*time.Millisecond), a)
		if ok {
			lines++
			held += n
		}
	}
	if lines != 3 {
		t.Errorf("%d lines in 3s of one source and reason, want 3", lines)
	}
	var flushed uint64
	th.Flush(t0.Add(10*time.Second), func(k Key, n uint64) {
		if k != a {
			t.Errorf("flushed %v, want %v", k, a)
		}
		flushed += n
	})
	if held+flushed != 3000-3 {
		t.Errorf("counted %d held back (%d at lines, %d at flush), want %d", held+flushed, held, flushed, 3000-3)
	}
	if ok, n, _ := th.Allow(t0.Add(11*time.Second), a); !ok || n != 0 {
		t.Errorf("after a flush: Allow = %v, %d; want true, 0", ok, n)
	}
}

func TestKeysAreIndependent(t *testing.T) {
	th := New(time.Second, 8)
	for _, k := range []Key{key("10.0.0.1", "room-full"), key("10.0.0.1", "version"), key("10.0.0.2", "room-full")} {
		if ok, _, got := th.Allow(t0, k); !ok || got != k {
			t.Errorf("first line of %v: %v as %v, want it through as itself", k, ok, got)
		}
		if ok, _, _ := th.Allow(t0, k); ok {
			t.Errorf("second line of %v in the same instant passed", k)
		}
	}
}

// TestManySourcesBounded: a flood from more addresses than the Throttle
// remembers shares one key per reason, so lines stay bounded.
func TestManySourcesBounded(t *testing.T) {
	th := New(time.Second, 16)
	lines := 0
	for i := range 10000 {
		ip := netip.AddrFrom4([4]byte{10, byte(i >> 16), byte(i >> 8), byte(i)})
		if ok, _, _ := th.Allow(t0.Add(time.Duration(i)*100*time.Microsecond), Key{Source: ip, Reason: "version"}); ok {
			lines++
		}
	}
	if lines > 16+1 {
		t.Errorf("%d lines from 10000 sources in 1s, want at most 17", lines)
	}
	if len(th.keys) > 17 {
		t.Errorf("%d keys remembered, want at most 17", len(th.keys))
	}
	var shared uint64
	th.Flush(t0.Add(time.Hour), func(k Key, n uint64) {
		if k.Source.IsValid() || k.String() != "many sources" {
			t.Errorf("flushed %v (%s), want the shared key", k, k)
		}
		shared += n
	})
	if want := uint64(10000 - 17); shared != want {
		t.Errorf("shared key held back %d, want %d", shared, want)
	}
	if len(th.keys) != 0 {
		t.Errorf("%d keys after a flush of quiet keys, want 0", len(th.keys))
	}
}

func TestMore(t *testing.T) {
	if got := More(0); got != "" {
		t.Errorf("More(0) = %q", got)
	}
	if got, want := More(5321), " (… and 5321 more)"; got != want {
		t.Errorf("More(5321) = %q, want %q", got, want)
	}
}

func BenchmarkAllow(b *testing.B) {
	th := New(time.Second, 256)
	k := key("10.0.0.1", "version")
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		th.Allow(t0.Add(time.Duration(i)), k)
	}
}
