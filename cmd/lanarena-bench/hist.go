package main

import (
	"math/bits"
	"time"
)

// hist is a log-linear histogram of durations in microseconds: exact below
// 128 µs, then 64 buckets per power of two (under 1.6% error), up to about
// 18 minutes. It keeps no samples, so its size does not grow with the run.
//
// The zero value is an empty histogram ready to use. A hist is unsafe for
// concurrent use: each peer loop has its own, merged after the run.
type hist struct {
	counts [histBuckets]uint64
	n      uint64
	sum    float64 // µs
	max    uint64  // µs
}

const (
	histSubBits = 7
	histSub     = 1 << histSubBits
	histMaxExp  = 32
	histBuckets = histSub + histMaxExp*histSub/2
)

func histIndex(us uint64) int {
	if us < histSub {
		return int(us)
	}
	e := bits.Len64(us) - histSubBits
	if e > histMaxExp {
		return histBuckets - 1
	}
	return e*histSub/2 + int(us>>e)
}

// histLow is the smallest value of bucket i.
func histLow(i int) uint64 {
	if i < histSub {
		return uint64(i)
	}
	e := i/(histSub/2) - 1
	m := i - e*histSub/2
	return uint64(m) << e
}

func (h *hist) add(d time.Duration) {
	us := uint64(max(d, 0) / time.Microsecond)
	h.counts[histIndex(us)]++
	h.n++
	h.sum += float64(us)
	h.max = max(h.max, us)
}

func (h *hist) merge(o *hist) {
	for i, c := range o.counts {
		h.counts[i] += c
	}
	h.n += o.n
	h.sum += o.sum
	h.max = max(h.max, o.max)
}

// quantile returns the q-quantile (0 < q ≤ 1) in milliseconds, the middle
// of its bucket; 0 when empty.
func (h *hist) quantile(q float64) float64 {
	if h.n == 0 {
		return 0
	}
	rank := uint64(q * float64(h.n))
	rank = max(rank, 1)
	var seen uint64
	for i, c := range h.counts {
		seen += c
		if seen >= rank {
			lo := histLow(i)
			hi := lo + 1
			if i+1 < histBuckets {
				hi = histLow(i + 1)
			}
			mid := float64(lo+hi-1) / 2
			return min(mid, float64(h.max)) / 1000
		}
	}
	return float64(h.max) / 1000
}

func (h *hist) meanMs() float64 {
	if h.n == 0 {
		return 0
	}
	return h.sum / float64(h.n) / 1000
}

func (h *hist) maxMs() float64 { return float64(h.max) / 1000 }
