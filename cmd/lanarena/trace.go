package main

import (
	"bufio"
	"fmt"
	"os"
	"strconv"
	"sync"
	"time"

	"lanarena/game"
	gamenet "lanarena/net"
	"lanarena/net/transport"
)

// The --trace file is for the bench harness (lanarena-bench --procs): a
// text file, one record a line, fields separated by one space, every time
// in unix nanoseconds of this machine's wall clock (every process of a run
// shares it). Records:
//
//	# lanarena trace 1 pid=PID
//	V T SELF TICK LIFE ALIVE READY X Y [ID:LIFE:READY:X,Y:PX,PY]...
//	S T ID TICK ALIVE X Y
//	A T SELF OWNER TICK ALIVE X Y
//	N T PKTS_OUT BYTES_OUT PKTS_IN BYTES_IN
//
// V: a snapshot, at the instant the loop took it: this peer's own cycle
// (the truth) and, for each other cycle alive on this peer's screen, the
// head drawn with prediction off (X,Y) and on (PX,PY), both from
// view.Snapshot.DrawnHead. S: this peer stepped its own cycle (a tick).
// A: this peer applied OWNER's state of the owner's TICK. N: the socket's
// totals (IP and UDP headers not included), about once a second. ALIVE
// and READY are 0 or 1 (READY: in the ready phase, not riding).
const traceVersion = 1

// tracer writes the --trace file. The probe methods run on the peer loop:
// they only append to pending under mu. Everything else, and every write
// to the file, happens on the goroutine that hands it snapshots.
type tracer struct {
	f *os.File
	w *bufio.Writer

	mu      sync.Mutex
	pending []byte
	dropped uint64 // probe records lost because pending was full

	// wmu guards the file: the TUI's pump may hand a last snapshot while
	// the process closes the trace.
	wmu      sync.Mutex
	closed   bool
	line     []byte
	lastNet  time.Time
	traffic  func() transport.Stats
	closeErr error
}

// maxPending bounds what the probe keeps between two snapshots (a stalled
// writer must not grow the heap without end).
const maxPending = 1 << 20

func openTrace(path string) (*tracer, error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, fmt.Errorf("trace file: %w", err)
	}
	t := &tracer{f: f, w: bufio.NewWriterSize(f, 64<<10)}
	fmt.Fprintf(t.w, "# lanarena trace %d pid=%d\n", traceVersion, os.Getpid())
	return t, nil
}

// Stepped implements gamenet.Probe.
func (t *tracer) Stepped(id game.PlayerID, tick uint32, head game.Point, alive bool, at time.Time) {
	t.record('S', at, head, uint64(id), uint64(tick), b2u(alive))
}

// Applied implements gamenet.Probe.
func (t *tracer) Applied(self, owner game.PlayerID, tick uint32, head game.Point, alive bool, at time.Time) {
	t.record('A', at, head, uint64(self), uint64(owner), uint64(tick), b2u(alive))
}

// record keeps one probe record for the next snapshot to write: kind, the
// time, the fields, the head. Beyond maxPending it only counts.
func (t *tracer) record(kind byte, at time.Time, head game.Point, fields ...uint64) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if len(t.pending) > maxPending {
		t.dropped++
		return
	}
	b := append(t.pending, kind, ' ')
	b = strconv.AppendInt(b, at.UnixNano(), 10)
	b = appendUints(b, fields...)
	b = appendInts(b, head.X, head.Y)
	t.pending = append(b, '\n')
}

var _ gamenet.Probe = (*tracer)(nil)

// follow makes the N records count the socket of n (the own peer's).
func (t *tracer) follow(n *gamenet.Node) {
	t.mu.Lock()
	t.traffic = n.Traffic
	t.mu.Unlock()
}

// snapshot writes the probe's records gathered since the last snapshot,
// then s.
func (t *tracer) snapshot(s gamenet.Snapshot) {
	at := snapshotTime(s)
	t.wmu.Lock()
	defer t.wmu.Unlock()
	if t.closed {
		return
	}
	t.mu.Lock()
	pending := t.pending
	t.pending = t.line[:0] // the buffers swap: no allocation per tick
	traffic := t.traffic
	t.mu.Unlock()
	t.w.Write(pending)
	t.line = pending[:0]
	t.w.Write(traceLine(nil, s, at))
	if traffic != nil && at.Sub(t.lastNet) >= time.Second {
		t.lastNet = at
		st := traffic()
		fmt.Fprintf(t.w, "N %d %d %d %d %d\n", at.UnixNano(), st.PacketsOut, st.BytesOut, st.PacketsIn, st.BytesIn)
	}
	t.w.Flush() // a process killed hard still leaves its trace
}

// close flushes and closes the file. It is idempotent.
func (t *tracer) close() error {
	t.wmu.Lock()
	defer t.wmu.Unlock()
	if t.closed {
		return t.closeErr
	}
	t.closed = true
	t.mu.Lock()
	if t.dropped > 0 {
		fmt.Fprintf(t.w, "# dropped %d probe records\n", t.dropped)
	}
	t.w.Write(t.pending)
	t.pending = nil
	t.mu.Unlock()
	if err := t.w.Flush(); err != nil {
		t.closeErr = err
	}
	if err := t.f.Close(); err != nil && t.closeErr == nil {
		t.closeErr = err
	}
	return t.closeErr
}

// snapshotTime is the instant the loop took s: every member's LastSeen
// plus its Age is that instant (Age is measured from it). Without a
// member, the time it is read is the best there is.
func snapshotTime(s gamenet.Snapshot) time.Time {
	for _, p := range s.Peers {
		if !p.LastSeen.IsZero() {
			return p.LastSeen.Add(p.Age)
		}
	}
	return time.Now()
}

// traceLine appends the V record of s, taken at at, to b.
func traceLine(b []byte, s gamenet.Snapshot, at time.Time) []byte {
	b = append(b, 'V', ' ')
	b = strconv.AppendInt(b, at.UnixNano(), 10)
	var tick uint32
	if s.Arena != nil {
		tick = s.Arena.Tick
	}
	b = appendUints(b, uint64(s.Self), uint64(tick))
	own := s.Arena.Cycle(s.Self)
	if own == nil {
		own = &game.Cycle{}
	}
	b = appendUints(b, uint64(own.Life), b2u(own.Alive), b2u(own.Ready > 0))
	b = appendInts(b, own.Head.X, own.Head.Y)
	if s.Arena != nil {
		s.Arena.Cycles(func(c *game.Cycle) {
			if c.ID == s.Self || !c.Alive {
				return
			}
			off, ok1 := s.DrawnHead(c.ID, false)
			on, ok2 := s.DrawnHead(c.ID, true)
			if !ok1 || !ok2 {
				return
			}
			b = append(b, ' ')
			b = strconv.AppendUint(b, uint64(c.ID), 10)
			b = append(b, ':')
			b = strconv.AppendUint(b, uint64(c.Life), 10)
			b = append(b, ':')
			b = strconv.AppendUint(b, b2u(c.Ready > 0), 10)
			b = appendPoint(append(b, ':'), off)
			b = appendPoint(append(b, ':'), on)
		})
	}
	return append(b, '\n')
}

func appendPoint(b []byte, p game.Point) []byte {
	b = strconv.AppendInt(b, int64(p.X), 10)
	b = append(b, ',')
	return strconv.AppendInt(b, int64(p.Y), 10)
}

func appendUints(b []byte, vs ...uint64) []byte {
	for _, v := range vs {
		b = strconv.AppendUint(append(b, ' '), v, 10)
	}
	return b
}

func appendInts(b []byte, vs ...int) []byte {
	for _, v := range vs {
		b = strconv.AppendInt(append(b, ' '), int64(v), 10)
	}
	return b
}

func b2u(v bool) uint64 {
	if v {
		return 1
	}
	return 0
}
