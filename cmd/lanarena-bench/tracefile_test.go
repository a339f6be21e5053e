package main

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"lanarena/game"
)

func mustParse(t *testing.T, text string) *traceFile {
	t.Helper()
	tf, err := parseTrace(strings.NewReader(text))
	if err != nil {
		t.Fatal(err)
	}
	return tf
}

func TestParseTrace(t *testing.T) {
	tf := mustParse(t, `# lanarena trace 1 pid=42
S 1000 7 5 1 3 4
S 1000 99 5 1 9 9
A 1500 7 8 20 1 10 11
A 1500 99 8 20 1 10 11
V 1001 7 5 2 1 0 3 4 8:1:0:10,11:12,11 9:3:1:1,1:1,1
N 2000 10 500 9 450
V 900 7 4 2 1 0 3 3
`)
	if tf.self != 7 {
		t.Fatalf("self %d, want 7", tf.self)
	}
	if len(tf.steps) != 1 || tf.steps[0] != (stepRec{t: 1000, tick: 5, alive: true, head: game.Point{X: 3, Y: 4}}) {
		t.Errorf("steps %+v: want only the traced peer's (a bot beside it, id 99, left out)", tf.steps)
	}
	if len(tf.applied) != 1 || tf.applied[0] != (applyRec{t: 1500, owner: 8, tick: 20}) {
		t.Errorf("applied %+v", tf.applied)
	}
	if len(tf.views) != 2 || tf.views[0].t != 900 || tf.views[1].t != 1001 {
		t.Fatalf("views %+v: want both, sorted by time", tf.views)
	}
	v := tf.views[1]
	want := []remoteRec{
		{id: 8, life: 1, off: game.Point{X: 10, Y: 11}, on: game.Point{X: 12, Y: 11}},
		{id: 9, life: 3, ready: true, off: game.Point{X: 1, Y: 1}, on: game.Point{X: 1, Y: 1}},
	}
	if v.tick != 5 || v.life != 2 || !v.alive || v.ready || v.head != (game.Point{X: 3, Y: 4}) || !slices.Equal(v.remotes, want) {
		t.Errorf("view %+v", v)
	}
	if len(tf.nets) != 1 || tf.nets[0] != (netRec{t: 2000, pktsOut: 10, bytesOut: 500, pktsIn: 9, bytesIn: 450}) {
		t.Errorf("nets %+v", tf.nets)
	}
}

func TestParseTraceRejectsBadLines(t *testing.T) {
	for _, line := range []string{
		"V 1 2 3",
		"V 1 7 5 2 1 0 3 4 8:1:0:10,11",
		"V 1 7 5 2 1 0 3 4 8:1:0:10;11:1,1",
		"S 1 2 3 x 5 6",
		"A 1 2",
		"N 1 2 3 4",
		"Q 1",
	} {
		if _, err := parseTrace(strings.NewReader(line + "\n")); err == nil {
			t.Errorf("%q: no error", line)
		}
	}
}

// viewCase is two processes' traces with a known view error: owner 1
// rides east one cell a tick (100 ms) from x=10; viewer 2 samples at
// instants between the owner's ticks. The answers below hold only for
// "the owner's latest line at or before t" and the larger of the x and y
// gaps.
const ownerTrace = `V 1000 1 1 1 1 0 10 5
V 1100 1 2 1 1 0 11 5
V 1200 1 3 1 1 0 12 5
V 1300 1 4 1 1 0 13 5
V 1400 1 5 1 0 0 13 5
V 1500 1 6 2 1 1 30 30
V 1600 1 7 2 1 0 30 31
`

const viewerTrace = `V 900 2 1 1 1 0 0 0 1:1:0:9,5:10,5
V 1050 2 2 1 1 0 0 0 1:1:0:9,5:10,5
V 1150 2 3 1 1 0 0 0 1:1:0:10,5:12,5
V 1250 2 4 1 1 0 0 0 1:1:0:12,5:12,5
V 1260 2 4 1 1 0 0 0 1:1:0:11,7:12,5
V 1300 2 5 1 1 0 0 0 1:1:0:13,5:12,5
V 1350 2 5 1 1 0 0 0 1:1:1:13,5:13,5
V 1450 2 6 1 1 0 0 0 1:1:0:13,5:14,5
V 1550 2 7 1 1 0 0 0 1:2:0:30,30:30,30
V 1650 2 8 1 1 0 0 0 1:1:0:30,30:30,32
V 9000 2 9 1 1 0 0 0 1:2:0:0,0:0,0
`

// Expected, sample by sample (owner's line at or before t; off, on):
//
//	 900: no owner line yet                      → noOwner
//	1050: owner 10,5; off 9,5 → 1; on 10,5 → 0
//	1150: owner 11,5; off 10,5 → 1; on 12,5 → 1
//	1250: owner 12,5; off 12,5 → 0; on 12,5 → 0
//	1260: owner 12,5; off 11,7 → 2 (Manhattan: 3); on 12,5 → 0
//	1300: owner 13,5 (its line of that instant); off 13,5 → 0; on 12,5 → 1
//	1350: remote in its ready phase on the viewer → left out
//	1450: owner dead → left out
//	1550: owner in its ready phase → left out
//	1650: owner 30,31 life 2; viewer draws life 1 → otherLife
//	9000: outside the span → ignored
func checkViewError(ve procViewError) []string {
	var bad []string
	if got, want := ve.off.counts, []uint64{2, 2, 1}; !slices.Equal(got, want) {
		bad = append(bad, fmt.Sprintf("off counts %v, want %v", got, want))
	}
	if got, want := ve.on.counts, []uint64{3, 2}; !slices.Equal(got, want) {
		bad = append(bad, fmt.Sprintf("on counts %v, want %v", got, want))
	}
	if ve.noOwner != 1 || ve.otherLife != 1 {
		bad = append(bad, fmt.Sprintf("left out: noOwner %d otherLife %d, want 1 and 1", ve.noOwner, ve.otherLife))
	}
	return bad
}

func viewTraces(t *testing.T) []*traceFile {
	return []*traceFile{mustParse(t, ownerTrace), mustParse(t, viewerTrace)}
}

func TestViewError(t *testing.T) {
	ve := computeViewError(viewTraces(t), span{0, 5000})
	for _, b := range checkViewError(ve) {
		t.Error(b)
	}
	off, on := summarise(&ve.off), summarise(&ve.on)
	if off != (cellSum{N: 5, P50: 1, P99: 2, Mean: 0.8, Max: 2}) {
		t.Errorf("off %+v", off)
	}
	if on != (cellSum{N: 5, P50: 0, P99: 1, Mean: 0.4, Max: 1}) {
		t.Errorf("on %+v", on)
	}
}

// TestViewErrorMutants checks that the hand-made traces catch a wrong
// computation: the owner's truth taken at another instant, or another
// distance.
func TestViewErrorMutants(t *testing.T) {
	traces := viewTraces(t)
	firstAfter := func(tf *traceFile, at int64) (viewRec, bool) {
		for _, v := range tf.views {
			if v.t >= at {
				return v, true
			}
		}
		return viewRec{}, false
	}
	strictlyBefore := func(tf *traceFile, at int64) (viewRec, bool) {
		return tf.viewAt(at - 1)
	}
	nearest := func(tf *traceFile, at int64) (viewRec, bool) {
		best, ok := viewRec{}, false
		for _, v := range tf.views {
			if !ok || abs64(v.t-at) < abs64(best.t-at) {
				best, ok = v, true
			}
		}
		return best, ok
	}
	manhattanDist := func(a, b game.Point) int { return manhattan(a, b) }
	for name, ve := range map[string]procViewError{
		"first line after t":       viewErrorBy(traces, span{0, 5000}, firstAfter, cells),
		"a line strictly before t": viewErrorBy(traces, span{0, 5000}, strictlyBefore, cells),
		"nearest line":             viewErrorBy(traces, span{0, 5000}, nearest, cells),
		"manhattan distance":       viewErrorBy(traces, span{0, 5000}, (*traceFile).viewAt, manhattanDist),
		"drawn heads swapped":      viewErrorBy(swapDrawn(traces), span{0, 5000}, (*traceFile).viewAt, cells),
	} {
		if len(checkViewError(ve)) == 0 {
			t.Errorf("mutant %q passes the check", name)
		}
	}
}

func abs64(v int64) int64 {
	if v < 0 {
		return -v
	}
	return v
}

// swapDrawn exchanges the heads drawn with prediction off and on.
func swapDrawn(traces []*traceFile) []*traceFile {
	var out []*traceFile
	for _, tf := range traces {
		c := *tf
		c.views = nil
		for _, v := range tf.views {
			v.remotes = slices.Clone(v.remotes)
			for i := range v.remotes {
				v.remotes[i].off, v.remotes[i].on = v.remotes[i].on, v.remotes[i].off
			}
			c.views = append(c.views, v)
		}
		out = append(out, &c)
	}
	return out
}

func TestCellStatsQuantiles(t *testing.T) {
	var c cellStats
	if c.quantile(0.5) != -1 {
		t.Error("empty: want -1")
	}
	for range 98 {
		c.add(0)
	}
	c.add(3)
	c.add(7)
	if c.quantile(0.5) != 0 || c.quantile(0.98) != 0 || c.quantile(0.99) != 3 || c.quantile(1) != 7 || c.max() != 7 {
		t.Errorf("p50 %d p98 %d p99 %d p100 %d max %d", c.quantile(0.5), c.quantile(0.98), c.quantile(0.99), c.quantile(1), c.max())
	}
	if c.mean() != 0.1 {
		t.Errorf("mean %v, want 0.1", c.mean())
	}
}

func TestReplication(t *testing.T) {
	const ms = 1_000_000
	owner := mustParse(t, "V 0 1 1 1 1 0 0 0\nS 1000000000 1 10 1 0 0\nS 1066000000 1 11 1 1 0\n")
	viewer := mustParse(t, "V 0 2 1 1 1 0 0 0\n"+
		"A 1002000000 2 1 10 1 0 0\n"+ // 2 ms after the step
		"A 1070000000 2 1 11 1 1 0\n"+ // 4 ms
		"A 1080000000 2 1 12 1 2 0\n"+ // a step not traced
		"A 9000000000 2 1 11 1 1 0\n") // outside the span
	rep := computeReplication([]*traceFile{owner, viewer}, span{0, 2000 * ms})
	if rep.lat.n != 2 || rep.unmatched != 1 {
		t.Fatalf("n %d unmatched %d, want 2 and 1", rep.lat.n, rep.unmatched)
	}
	if m := rep.lat.meanMs(); m < 2.9 || m > 3.1 {
		t.Errorf("mean %v ms, want 3", m)
	}
	if p := rep.lat.quantile(1); p < 3.9 || p > 4.1 {
		t.Errorf("max %v ms, want 4", p)
	}
}

func TestTraffic(t *testing.T) {
	a := mustParse(t, "V 0 1 1 1 1 0 0 0\nN 0 0 0 0 0\nN 1000000000 30 1500 0 0\nN 2000000000 40 2000 0 0\nN 9000000000 99 9999 0 0\n")
	b := mustParse(t, "V 0 2 1 1 1 0 0 0\nN 0 100 5000 0 0\nN 2000000000 120 6000 0 0\n")
	tr := computeTraffic([]*traceFile{a, b}, span{0, 2_000_000_000})
	// a: 20 packets/s, 1000 B/s; b: 10 packets/s, 500 B/s. Two ordered
	// pairs.
	if tr.lanPkts != 30 || tr.pairPkts != 15 {
		t.Errorf("LAN %v packets/s, pair %v, want 30 and 15", tr.lanPkts, tr.pairPkts)
	}
	if want := (1500.0 + 28*30) / 2; tr.pairBytesHdr != want {
		t.Errorf("pair %v B/s, want %v (28 B of header a packet)", tr.pairBytesHdr, want)
	}
}

func TestTurnsPerSec(t *testing.T) {
	// East, east, south (a turn), south, east (a turn), then a respawn
	// jump and a gap in the ticks, which count neither as turns nor as
	// riding. 5 one-cell moves of 100 ms: 2 turns in 0.5 s.
	tf := mustParse(t, "V 0 1 1 1 1 0 0 0\n"+
		"S 0 1 1 1 0 0\nS 100 1 2 1 1 0\nS 200 1 3 1 2 0\nS 300 1 4 1 2 1\nS 400 1 5 1 2 2\nS 500 1 6 1 3 2\n"+
		"S 600 1 7 1 20 20\nS 800 1 9 1 20 21\n")
	got := turnsPerSec([]*traceFile{tf}, span{0, 1000})
	if want := 2 / (500 / 1e9); got != want { // times in ns
		t.Errorf("%v turns/s, want %v", got, want)
	}
}

// A viewer whose frames are made a millisecond before the owner's ticks,
// each showing the head the owner is about to reach, is one cell off at
// the instant it makes them and right for the whole tick it shows them.
func TestViewErrorOverTime(t *testing.T) {
	owner := mustParse(t, `# lanarena trace 1
V 0 8 1 1 1 0 4 0
V 100 8 2 1 1 0 5 0
V 200 8 3 1 1 0 6 0
V 300 8 4 1 1 0 7 0
V 400 8 5 1 1 0 8 0
`)
	viewer := mustParse(t, `# lanarena trace 1
V 99 7 1 1 1 0 1 1 8:1:0:3,0:5,0
V 199 7 2 1 1 0 1 2 8:1:0:4,0:6,0
V 299 7 3 1 1 0 1 3 8:1:0:5,0:7,0
V 399 7 4 1 1 0 1 4 8:1:0:6,0:8,0
`)
	traces := []*traceFile{owner, viewer}
	w := span{100, 390}
	atFrame := computeViewError(traces, span{0, 400})
	if got := summarise(&atFrame.on); got.P50 != 1 || got.Max != 1 {
		t.Errorf("at the frames: on %+v, want every sample 1 cell", got)
	}
	seen := computeViewErrorOverTime(traces, w, 10)
	on, off := summarise(&seen.on), summarise(&seen.off)
	if on.N != 30 || on.Max != 0 {
		t.Errorf("seen: on %+v, want 30 samples all 0 cells", on)
	}
	if off.P50 != 2 || off.Max != 2 {
		t.Errorf("seen: off %+v, want every sample 2 cells", off)
	}
}
