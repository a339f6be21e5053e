package main

import (
	"math"
	"testing"
	"time"
)

// The recorder starts late in the window: the rates are over the span of
// the reads, so a frame every tick reads as the tick rate.
func TestOutputRatesOverTheReads(t *testing.T) {
	var reads []paneRead
	tick := time.Second / benchTickRate
	for i := range 2 * benchTickRate { // two seconds of frames of 100 B, each in two reads
		at := time.Duration(i) * tick
		reads = append(reads, paneRead{at: at, n: 60}, paneRead{at: at + time.Millisecond, n: 40})
	}
	var res termResult
	res.output(reads, 3) // a window of 3 s, the recorder 1 s late
	if res.Frames != 2*benchTickRate {
		t.Errorf("frames = %d, want %d", res.Frames, 2*benchTickRate)
	}
	if math.Abs(res.FramesPS-benchTickRate) > 0.1 {
		t.Errorf("frames/s = %.2f, want %d (one frame a tick)", res.FramesPS, benchTickRate)
	}
	if res.BytesPerFrame != 100 || math.Abs(res.BytesPS-100*benchTickRate) > 10 {
		t.Errorf("bytes/frame = %.0f, bytes/s = %.0f, want 100 and %d", res.BytesPerFrame, res.BytesPS, 100*benchTickRate)
	}

	// Reads over less than half the window: the rates are over the window.
	var short termResult
	short.output(reads[:4], 3)
	if want := 2.0 / 3; math.Abs(short.FramesPS-want) > 0.01 {
		t.Errorf("two frames in a 3 s window: frames/s = %.2f, want %.2f", short.FramesPS, want)
	}
}
