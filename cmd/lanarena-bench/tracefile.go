package main

import (
	"bufio"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"lanarena/game"
)

// The pure half of --procs: reading the --trace files of lanarena
// processes (the format is documented in cmd/lanarena/trace.go) and
// computing view error, replication latency and traffic from them.

// traceFile is one process's trace.
type traceFile struct {
	self    uint32
	views   []viewRec  // by time
	steps   []stepRec  // own steps, by time
	applied []applyRec // remote states applied here, by time
	nets    []netRec   // socket totals, by time
}

type viewRec struct {
	t       int64 // unix ns
	self    uint32
	tick    uint32
	life    uint16
	alive   bool
	ready   bool
	head    game.Point
	remotes []remoteRec
}

// remoteRec is another cycle as this process's screen draws it.
type remoteRec struct {
	id      uint32
	life    uint16
	ready   bool
	off, on game.Point // DrawnHead with prediction off, on
}

type stepRec struct {
	t     int64
	tick  uint32
	alive bool
	head  game.Point
}

type applyRec struct {
	t     int64
	owner uint32
	tick  uint32
}

type netRec struct {
	t                                  int64
	pktsOut, bytesOut, pktsIn, bytesIn uint64
}

// parseTrace reads a trace. A line it cannot read is an error: the file
// comes from this tree's own lanarena, so a bad line is a bug to see.
func parseTrace(r io.Reader) (*traceFile, error) {
	tf := &traceFile{}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	var steps []stepFull
	var applied []applyFull
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		if line == "" || line[0] == '#' {
			continue
		}
		var err error
		switch line[0] {
		case 'V':
			var v viewRec
			if v, err = parseView(line); err == nil {
				tf.views = append(tf.views, v)
				if v.self != 0 {
					tf.self = v.self
				}
			}
		case 'S':
			var s stepFull
			if s, err = parseStep(line); err == nil {
				steps = append(steps, s)
			}
		case 'A':
			var a applyFull
			if a, err = parseApplied(line); err == nil {
				applied = append(applied, a)
			}
		case 'N':
			var nr netRec
			if nr, err = parseNet(line); err == nil {
				tf.nets = append(tf.nets, nr)
			}
		default:
			err = fmt.Errorf("unknown record %q", line[:1])
		}
		if err != nil {
			return nil, fmt.Errorf("trace line %d: %w", n, err)
		}
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	tf.keep(steps, applied)
	return tf, nil
}

// keep files the steps and applied states of the peer the V lines
// describe (bots beside it in its process are not traced) and sorts every
// record by time.
func (tf *traceFile) keep(steps []stepFull, applied []applyFull) {
	for _, s := range steps {
		if s.id == tf.self {
			tf.steps = append(tf.steps, s.stepRec)
		}
	}
	for _, a := range applied {
		if a.self == tf.self {
			tf.applied = append(tf.applied, a.applyRec)
		}
	}
	slices.SortStableFunc(tf.views, func(a, b viewRec) int { return cmpInt64(a.t, b.t) })
	slices.SortStableFunc(tf.steps, func(a, b stepRec) int { return cmpInt64(a.t, b.t) })
	slices.SortStableFunc(tf.applied, func(a, b applyRec) int { return cmpInt64(a.t, b.t) })
	slices.SortStableFunc(tf.nets, func(a, b netRec) int { return cmpInt64(a.t, b.t) })
}

type stepFull struct {
	stepRec
	id uint32
}

type applyFull struct {
	applyRec
	self uint32
}

func cmpInt64(a, b int64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// fields splits a record and checks its field count.
func fields(line string, want int) ([]string, error) {
	f := strings.Fields(line)
	if len(f) < want {
		return nil, fmt.Errorf("%q: %d fields, want %d", line, len(f), want)
	}
	return f, nil
}

// nums parses fs as integers; the first error wins.
func nums(fs ...string) ([]int64, error) {
	out := make([]int64, len(fs))
	for i, s := range fs {
		v, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return nil, fmt.Errorf("field %q: want a number", s)
		}
		out[i] = v
	}
	return out, nil
}

// parseView reads "V T SELF TICK LIFE ALIVE READY X Y [ID:LIFE:READY:X,Y:PX,PY]...".
func parseView(line string) (viewRec, error) {
	f, err := fields(line, 9)
	if err != nil {
		return viewRec{}, err
	}
	n, err := nums(f[1:9]...)
	if err != nil {
		return viewRec{}, err
	}
	v := viewRec{
		t: n[0], self: uint32(n[1]), tick: uint32(n[2]), life: uint16(n[3]),
		alive: n[4] == 1, ready: n[5] == 1, head: game.Point{X: int(n[6]), Y: int(n[7])},
	}
	for _, r := range f[9:] {
		rr, err := parseRemote(r)
		if err != nil {
			return viewRec{}, err
		}
		v.remotes = append(v.remotes, rr)
	}
	return v, nil
}

func parseRemote(s string) (remoteRec, error) {
	p := strings.Split(s, ":")
	if len(p) != 5 {
		return remoteRec{}, fmt.Errorf("remote %q: want ID:LIFE:READY:X,Y:PX,PY", s)
	}
	off, err1 := parsePoint(p[3])
	on, err2 := parsePoint(p[4])
	n, err3 := nums(p[0], p[1], p[2])
	if err := firstErr(err1, err2, err3); err != nil {
		return remoteRec{}, fmt.Errorf("remote %q: %w", s, err)
	}
	return remoteRec{id: uint32(n[0]), life: uint16(n[1]), ready: n[2] == 1, off: off, on: on}, nil
}

func parsePoint(s string) (game.Point, error) {
	x, y, ok := strings.Cut(s, ",")
	if !ok {
		return game.Point{}, fmt.Errorf("point %q: want X,Y", s)
	}
	n, err := nums(x, y)
	if err != nil {
		return game.Point{}, err
	}
	return game.Point{X: int(n[0]), Y: int(n[1])}, nil
}

func firstErr(errs ...error) error {
	for _, e := range errs {
		if e != nil {
			return e
		}
	}
	return nil
}

// parseStep reads "S T ID TICK ALIVE X Y".
func parseStep(line string) (stepFull, error) {
	f, err := fields(line, 7)
	if err != nil {
		return stepFull{}, err
	}
	n, err := nums(f[1:7]...)
	if err != nil {
		return stepFull{}, err
	}
	head := game.Point{X: int(n[4]), Y: int(n[5])}
	return stepFull{stepRec{t: n[0], tick: uint32(n[2]), alive: n[3] == 1, head: head}, uint32(n[1])}, nil
}

// parseApplied reads "A T SELF OWNER TICK ALIVE X Y".
func parseApplied(line string) (applyFull, error) {
	f, err := fields(line, 8)
	if err != nil {
		return applyFull{}, err
	}
	n, err := nums(f[1:8]...)
	if err != nil {
		return applyFull{}, err
	}
	return applyFull{applyRec{t: n[0], owner: uint32(n[2]), tick: uint32(n[3])}, uint32(n[1])}, nil
}

// parseNet reads "N T PKTS_OUT BYTES_OUT PKTS_IN BYTES_IN".
func parseNet(line string) (netRec, error) {
	f, err := fields(line, 6)
	if err != nil {
		return netRec{}, err
	}
	n, err := nums(f[1:6]...)
	if err != nil {
		return netRec{}, err
	}
	return netRec{t: n[0], pktsOut: uint64(n[1]), bytesOut: uint64(n[2]), pktsIn: uint64(n[3]), bytesIn: uint64(n[4])}, nil
}

// span is the part of a run the figures describe, in unix ns.
type span struct{ from, to int64 }

func (w span) has(t int64) bool { return t >= w.from && t <= w.to }

// cellStats is a distribution of distances in cells.
type cellStats struct {
	counts []uint64 // counts[d]: samples d cells off
	n      uint64
	sum    uint64
}

func (c *cellStats) add(d int) {
	for len(c.counts) <= d {
		c.counts = append(c.counts, 0)
	}
	c.counts[d]++
	c.n++
	c.sum += uint64(d)
}

// quantile is the smallest d with at least q of the samples at d or
// below (-1 when empty).
func (c *cellStats) quantile(q float64) int {
	if c.n == 0 {
		return -1
	}
	need := uint64(q*float64(c.n) + 0.999999)
	need = max(need, 1)
	var seen uint64
	for d, k := range c.counts {
		seen += k
		if seen >= need {
			return d
		}
	}
	return len(c.counts) - 1
}

func (c *cellStats) mean() float64 {
	if c.n == 0 {
		return 0
	}
	return float64(c.sum) / float64(c.n)
}

func (c *cellStats) max() int { return len(c.counts) - 1 }

// procViewError is the distance between where each owner's cycle truly is and
// where each viewer's screen draws it at the same instant, prediction off
// and on.
type procViewError struct {
	off, on cellStats
	// Samples left out: the owner had no trace line yet, or the viewer
	// draws another life than the owner's (a crash or respawn not heard
	// yet).
	noOwner, otherLife uint64
}

// computeViewError compares, at every viewer's snapshot instant t in w,
// each remote cycle it draws with the owner's own cycle in the owner's
// latest snapshot at or before t (an owner's head changes only when it
// steps, and it takes its snapshot right after). Only pairs where both
// sides show the cycle alive and riding (out of the ready phase) count.
func computeViewError(traces []*traceFile, w span) procViewError {
	return viewErrorBy(traces, w, (*traceFile).viewAt, cells)
}

// computeViewErrorOverTime is the view error a person looking at the
// screens sees: at instants every `every` through the window, the head
// each viewer's screen shows then (its latest frame at or before the
// instant) against the owner's true head then. A frame stays on the
// screen for a whole tick, so this weighs each frame by how long it is
// seen; computeViewError looks only at the instant a frame is made,
// where peers whose tick phases are lined up (within a millisecond or
// two) make it a coin flip whether the owner's tick about to come is
// already done.
func computeViewErrorOverTime(traces []*traceFile, w span, every time.Duration) procViewError {
	orig := map[uint32]*traceFile{}
	grid := make([]*traceFile, 0, len(traces))
	for _, tf := range traces {
		orig[tf.self] = tf
		g := &traceFile{self: tf.self}
		for t := w.from; t <= w.to; t += int64(every) {
			if v, ok := tf.viewAt(t); ok {
				v.t = t
				g.views = append(g.views, v)
			}
		}
		grid = append(grid, g)
	}
	at := func(tf *traceFile, t int64) (viewRec, bool) { return orig[tf.self].viewAt(t) }
	return viewErrorBy(grid, w, at, cells)
}

// viewErrorBy is computeViewError with the owner's truth at an instant
// and the distance given: the tests check that other choices fail them.
func viewErrorBy(traces []*traceFile, w span, at func(*traceFile, int64) (viewRec, bool), dist func(a, b game.Point) int) procViewError {
	var ve procViewError
	owners := map[uint32]*traceFile{}
	for _, tf := range traces {
		owners[tf.self] = tf
	}
	for _, viewer := range traces {
		for _, v := range viewer.views {
			if !w.has(v.t) {
				continue
			}
			for _, r := range v.remotes {
				o := owners[r.id]
				if r.ready || o == nil { // o: a bot beside a traced peer is not traced
					continue
				}
				truth, ok := at(o, v.t)
				switch {
				case !ok:
					ve.noOwner++
				case !truth.alive || truth.ready:
				case truth.life != r.life:
					ve.otherLife++
				default:
					ve.off.add(dist(truth.head, r.off))
					ve.on.add(dist(truth.head, r.on))
				}
			}
		}
	}
	return ve
}

// viewAt is the latest snapshot taken at or before t.
func (tf *traceFile) viewAt(t int64) (viewRec, bool) {
	i, _ := slices.BinarySearchFunc(tf.views, t, func(v viewRec, t int64) int {
		if v.t <= t {
			return -1
		}
		return 1
	})
	if i == 0 {
		return viewRec{}, false
	}
	return tf.views[i-1], true
}

// cells is the distance the view error counts: the larger of the x and y
// gaps.
func cells(a, b game.Point) int {
	return max(abs(a.X-b.X), abs(a.Y-b.Y))
}

// procReplication is the latency from an owner's step to a viewer applying
// the state of that step, across processes on one clock.
type procReplication struct {
	lat       hist
	unmatched uint64 // the owner's step of that tick is not in its trace
}

func computeReplication(traces []*traceFile, w span) procReplication {
	var rep procReplication
	steps := map[uint32]map[uint32]int64{} // owner → tick → step time
	for _, tf := range traces {
		m := make(map[uint32]int64, len(tf.steps))
		for _, s := range tf.steps {
			m[s.tick] = s.t
		}
		steps[tf.self] = m
	}
	for _, viewer := range traces {
		for _, a := range viewer.applied {
			if !w.has(a.t) {
				continue
			}
			st, ok := steps[a.owner][a.tick]
			if !ok {
				rep.unmatched++
				continue
			}
			rep.lat.add(time.Duration(a.t - st))
		}
	}
	return rep
}

// procTraffic is what the processes' sockets sent over a span.
type procTraffic struct {
	procs                  int
	secs                   float64 // the mean span measured per process
	lanPkts, lanBytes      float64 // per second, every process together; bytes without headers
	pairPkts, pairBytesHdr float64 // per ordered pair per second; bytes with 28 B IP+UDP headers
}

// ipUDPHeader is an IPv4 header without options and a UDP header.
const ipUDPHeader = 28

// computeTraffic reads each process's socket totals at the first and last
// N record in w.
func computeTraffic(traces []*traceFile, w span) procTraffic {
	tr := procTraffic{procs: len(traces)}
	var measured int
	for _, tf := range traces {
		var first, last *netRec
		for i := range tf.nets {
			if n := &tf.nets[i]; w.has(n.t) {
				if first == nil {
					first = n
				}
				last = n
			}
		}
		if first == nil || last.t <= first.t {
			continue
		}
		secs := float64(last.t-first.t) / 1e9
		tr.lanPkts += float64(last.pktsOut-first.pktsOut) / secs
		tr.lanBytes += float64(last.bytesOut-first.bytesOut) / secs
		tr.secs += secs
		measured++
	}
	if measured == 0 || tr.procs < 2 {
		return tr
	}
	tr.secs /= float64(measured)
	// Scale the processes measured to all of them, then share per pair.
	scale := float64(tr.procs) / float64(measured)
	tr.lanPkts *= scale
	tr.lanBytes *= scale
	pairs := float64(tr.procs * (tr.procs - 1))
	tr.pairPkts = tr.lanPkts / pairs
	tr.pairBytesHdr = (tr.lanBytes + ipUDPHeader*tr.lanPkts) / pairs
	return tr
}

// turnsPerSec is how often the traced cycles turn: changes of direction
// between consecutive own steps one cell apart each, per cycle per second
// of such riding.
func turnsPerSec(traces []*traceFile, w span) float64 {
	var turns int
	var riding float64
	for _, tf := range traces {
		var prev *stepRec
		var dir game.Point
		for i := range tf.steps {
			st := &tf.steps[i]
			if !w.has(st.t) {
				continue
			}
			d := game.Point{}
			if prev != nil && prev.alive && st.alive && st.tick == prev.tick+1 {
				d = game.Point{X: st.head.X - prev.head.X, Y: st.head.Y - prev.head.Y}
			}
			if cells(d, game.Point{}) == 1 && abs(d.X)+abs(d.Y) == 1 {
				if dir != (game.Point{}) && d != dir {
					turns++
				}
				riding += float64(st.t-prev.t) / 1e9
			} else {
				d = game.Point{} // standing (ready phase), dead, a respawn or a gap
			}
			dir = d
			prev = st
		}
	}
	if riding == 0 {
		return 0
	}
	return float64(turns) / riding
}
