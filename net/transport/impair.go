package transport

import (
	"math"
	"strconv"
	"strings"
	"time"
)

// ImpairConfig describes a simulated bad network (tc netem is not always
// available, and the game bends the network on purpose to show what it
// does). Each impairment applies to every packet, sent and received.
// The zero value impairs nothing.
type ImpairConfig struct {
	Loss   float64       // probability that a packet is lost, 0..1
	Delay  time.Duration // added to every packet
	Jitter time.Duration // the delay varies uniformly by ±Jitter (never below zero)
	Dup    float64       // probability that a packet arrives twice, 0..1
	// Reorder is the probability that a packet is held back until the
	// next packet between the same two addresses overtakes it (or
	// reorderHold passes), 0..1.
	Reorder float64
	// Seed seeds the random decisions: each direction draws from its own
	// source seeded with it, so a run over a MemNetwork from one goroutine
	// is repeatable. It is used as is, zero included.
	Seed uint64
}

// Enabled reports whether c impairs anything.
func (c ImpairConfig) Enabled() bool {
	c = c.sanitized()
	return c.Loss > 0 || c.Delay > 0 || c.Jitter > 0 || c.Dup > 0 || c.Reorder > 0
}

// String describes c for a status line, for example
// "loss 20% delay 300ms±50ms dup 1% reorder 5%", or "" when c is off.
func (c ImpairConfig) String() string {
	c = c.sanitized()
	var parts []string
	if c.Loss > 0 {
		parts = append(parts, "loss "+percent(c.Loss))
	}
	if c.Delay > 0 || c.Jitter > 0 {
		s := "delay " + c.Delay.String()
		if c.Jitter > 0 {
			s += "±" + c.Jitter.String()
		}
		parts = append(parts, s)
	}
	if c.Dup > 0 {
		parts = append(parts, "dup "+percent(c.Dup))
	}
	if c.Reorder > 0 {
		parts = append(parts, "reorder "+percent(c.Reorder))
	}
	return strings.Join(parts, " ")
}

func percent(p float64) string {
	return strconv.FormatFloat(p*100, 'g', 3, 64) + "%"
}

// sanitized clamps probabilities into 0..1 (NaN counts as 0) and negative
// durations to 0.
func (c ImpairConfig) sanitized() ImpairConfig {
	prob := func(p float64) float64 {
		if math.IsNaN(p) || p < 0 {
			return 0
		}
		return min(p, 1)
	}
	c.Loss, c.Dup, c.Reorder = prob(c.Loss), prob(c.Dup), prob(c.Reorder)
	c.Delay, c.Jitter = max(c.Delay, 0), max(c.Jitter, 0)
	return c
}
