// Package throttle limits repeated log lines caused by the network: at
// most one line per source and reason per interval, and a count of the
// lines held back ("… and 5321 more"), so that a flood of packets cannot
// fill a disk with the same complaint.
//
// It performs no I/O and reads no clock: the caller passes the time.
package throttle

import (
	"fmt"
	"net/netip"
	"time"
)

// Key is what a line is about. Source is the address of the sender
// without its port, so that a flood rotating its source ports counts as
// one source. Reason should come from a small fixed set (the caller's
// constants), never from the network: keys are remembered.
type Key struct {
	Source netip.Addr
	Reason string
}

// String shows the key's source, or "many sources" for the key shared by
// sources past the limit.
func (k Key) String() string {
	if !k.Source.IsValid() {
		return "many sources"
	}
	return k.Source.String()
}

// Throttle lets through at most one line per Key per interval and counts
// the others. It remembers at most maxKeys keys: past that, new sources
// share one key per reason (with an invalid Source), so a flood from
// many addresses is bounded too. The zero value is not usable; call New.
// A Throttle is unsafe for concurrent use: one goroutine owns it.
type Throttle struct {
	interval time.Duration
	maxKeys  int
	keys     map[Key]*entry
}

type entry struct {
	next       time.Time // when the next line may pass
	suppressed uint64    // lines held back since the last that passed
}

// New returns a Throttle with the given interval (at least a
// millisecond) and bound on remembered keys (at least 1).
func New(interval time.Duration, maxKeys int) *Throttle {
	return &Throttle{interval: max(interval, time.Millisecond), maxKeys: max(maxKeys, 1), keys: map[Key]*entry{}}
}

// Allow reports whether a line for k may be written at now. When it may,
// suppressed is the number of lines for k held back since the last one
// let through, to be appended to the line (see More). The key actually
// counted is returned too: k, or the shared key of its reason once the
// Throttle is full.
func (t *Throttle) Allow(now time.Time, k Key) (ok bool, suppressed uint64, counted Key) {
	e := t.keys[k]
	if e == nil {
		if len(t.keys) >= t.maxKeys {
			k = Key{Reason: k.Reason}
			e = t.keys[k]
		}
		if e == nil {
			e = &entry{}
			t.keys[k] = e
		}
	}
	if now.Before(e.next) {
		e.suppressed++
		return false, 0, k
	}
	suppressed, e.suppressed = e.suppressed, 0
	e.next = now.Add(t.interval)
	return true, suppressed, k
}

// Flush reports, through fn, each key whose interval has ended with lines
// still held back, and forgets every key whose interval has ended (so its
// next line passes at once, and quiet sources free their place). Call it
// now and then (every second, say) so that the count of a flood that
// stopped is still written.
func (t *Throttle) Flush(now time.Time, fn func(k Key, suppressed uint64)) {
	for k, e := range t.keys {
		if now.Before(e.next) {
			continue
		}
		if e.suppressed > 0 {
			fn(k, e.suppressed)
		}
		delete(t.keys, k)
	}
}

// More is the suffix of a line that passed after n were held back: "" for
// none, else " (… and n more)".
func More(n uint64) string {
	if n == 0 {
		return ""
	}
	return fmt.Sprintf(" (… and %d more)", n)
}
