package transport

import (
	"net/netip"
	"time"
)

// SourceLimit bounds the datagrams one source address (address and port)
// may pass to Packets: Rate a second, in bursts of up to Burst. A UDP
// transport applies it on its reader goroutine, before it copies or
// queues anything, so a flood from one address costs a system call per
// batch of datagrams and little more, and never wakes the reader of
// Packets. The zero value limits nothing.
//
// It is a first, coarse gate: set it well above what the receiver's own
// per-source checks allow, so that they still see (and count) a flood,
// only less of it.
type SourceLimit struct {
	Rate  float64 // datagrams a second; 0: no limit
	Burst float64 // at least 1
}

// Past maxLimitedSources addresses, the newcomers share one bucket (as a
// flood from many addresses would): the table never grows without bound.
const (
	maxLimitedSources = 4096
	sourceIdle        = 10 * time.Second // forgotten after this long quiet
)

// sourceTable is the token buckets of a SourceLimit, owned by one
// goroutine. Buckets are values in a map: a known source allocates
// nothing.
type sourceTable struct {
	lim      SourceLimit
	buckets  map[netip.AddrPort]bucket
	overflow bucket
	swept    time.Time
}

type bucket struct {
	tokens float64
	last   time.Time
}

func newSourceTable(lim SourceLimit) *sourceTable {
	return &sourceTable{lim: lim, buckets: map[netip.AddrPort]bucket{}}
}

// allow takes a token from from's bucket at now, and reports whether
// there was one.
func (t *sourceTable) allow(from netip.AddrPort, now time.Time) bool {
	if t.lim.Rate <= 0 {
		return true
	}
	if now.Sub(t.swept) > sourceIdle {
		t.sweep(now)
	}
	b, known := t.buckets[from]
	shared := !known && len(t.buckets) >= maxLimitedSources
	switch {
	case shared:
		b = t.overflow
	case !known:
		b = bucket{tokens: max(t.lim.Burst, 1), last: now}
	}
	b.tokens = min(max(t.lim.Burst, 1), b.tokens+now.Sub(b.last).Seconds()*t.lim.Rate)
	b.last = now
	ok := b.tokens >= 1
	if ok {
		b.tokens--
	}
	if shared {
		t.overflow = b
	} else {
		t.buckets[from] = b
	}
	return ok
}

// sweep forgets the sources quiet for sourceIdle: their buckets are full
// again by then anyway.
func (t *sourceTable) sweep(now time.Time) {
	t.swept = now
	for a, b := range t.buckets {
		if now.Sub(b.last) > sourceIdle {
			delete(t.buckets, a)
		}
	}
}
