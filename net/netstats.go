package net

import (
	"time"
)

const rttHistory = 30

// netStats are the figures of one member's traffic, kept by the loop.
type netStats struct {
	lastHeard time.Time

	rtt, jitter time.Duration
	rttHist     []time.Duration

	// loss, from gaps in the sender's sequence numbers
	firstSeq, highSeq uint32
	haveSeq           bool
	received          uint64
	winExpected       uint64 // at the last rate window
	winReceived       uint64
	winStarted        bool
	winAge            time.Duration
	loss              float64 // over the last loss window (lossWindow)

	pktsIn, pktsOut, bytesIn, bytesOut uint64
	lastPktsIn, lastPktsOut            uint64
	lastBytesIn, lastBytesOut          uint64
	ppsIn, ppsOut, bpsIn, bpsOut       float64
}

// heard accounts a packet of size bytes with header sequence seq.
func (n *netStats) heard(now time.Time, seq uint32, size int) {
	n.lastHeard = now
	n.pktsIn++
	n.bytesIn += uint64(size)
	n.received++
	switch {
	case !n.haveSeq:
		n.firstSeq, n.highSeq, n.haveSeq = seq, seq, true
	case seq > n.highSeq:
		n.highSeq = seq
	}
}

func (n *netStats) sent(size int) {
	n.pktsOut++
	n.bytesOut += uint64(size)
}

// sampleRTT folds one round-trip sample in; jitter is the smoothed mean
// deviation between consecutive samples (RFC 3550 style).
func (n *netStats) sampleRTT(rtt time.Duration) {
	if n.rtt == 0 {
		n.rtt = rtt
	} else {
		d := rtt - n.rtt
		if d < 0 {
			d = -d
		}
		n.jitter += (d - n.jitter) / 16
		n.rtt = rtt
	}
	n.rttHist = append(n.rttHist, rtt)
	if len(n.rttHist) > rttHistory {
		n.rttHist = n.rttHist[len(n.rttHist)-rttHistory:]
	}
}

// rates closes a measurement window of length dt: packets and bytes per
// second, and the loss over the window.
func (n *netStats) rates(dt time.Duration) {
	s := dt.Seconds()
	if s <= 0 {
		return
	}
	n.ppsIn = float64(n.pktsIn-n.lastPktsIn) / s
	n.ppsOut = float64(n.pktsOut-n.lastPktsOut) / s
	n.bpsIn = float64(n.bytesIn-n.lastBytesIn) / s
	n.bpsOut = float64(n.bytesOut-n.lastBytesOut) / s
	n.lastPktsIn, n.lastPktsOut = n.pktsIn, n.pktsOut
	n.lastBytesIn, n.lastBytesOut = n.bytesIn, n.bytesOut
	if n.haveSeq {
		n.lossWindow(dt)
	}
}

// Loss windows: at the few packets a second of send on change, one
// second holds too few packets to say anything, so a loss window closes
// once it expected lossWindowPackets packets, or after lossWindowMax
// with fewer (PROTOCOL.md 7.2).
const (
	lossWindowPackets = 32
	lossWindowMax     = 10 * time.Second
)

// lossWindow adds dt to the loss window and, when it is full, takes the
// loss over it: 1 − received / expected.
func (n *netStats) lossWindow(dt time.Duration) {
	expected := uint64(n.highSeq-n.firstSeq) + 1
	if !n.winStarted {
		// The first window spans the hellos sent before it knew us,
		// numbered from another run: it measures nothing.
		n.winStarted = true
		n.winExpected, n.winReceived, n.winAge = expected, n.received, 0
		return
	}
	n.winAge += dt
	de, dr := expected-n.winExpected, n.received-n.winReceived
	if de < lossWindowPackets && n.winAge < lossWindowMax {
		return
	}
	n.winExpected, n.winReceived, n.winAge = expected, n.received, 0
	if de > 0 {
		n.loss = min(max(1-float64(dr)/float64(de), 0), 1)
	}
}
