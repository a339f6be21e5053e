package transport

import (
	"encoding/binary"
	"math"
	"slices"
	"testing"
	"time"
)

// pipe is two transports on a MemNetwork, with optional impairment on
// either side.
type pipe struct {
	a, b   Transport
	all    []Transport // a, b and the transports they wrap
	sentAt []time.Time
}

func newPipe(t *testing.T, out, in *ImpairConfig) *pipe {
	n := NewMemNetwork()
	var a, b Transport = listenMem(t, n), listenMem(t, n)
	all := []Transport{a, b}
	if out != nil {
		a = impaired(t, a, *out)
		all = append(all, a)
	}
	if in != nil {
		b = impaired(t, b, *in)
		all = append(all, b)
	}
	return &pipe{a: a, b: b, all: all}
}

// backlog is the most packets waiting in any queue of the pipe.
func (p *pipe) backlog() int {
	n := 0
	for _, tr := range p.all {
		n = max(n, len(tr.Packets()))
		if h, ok := tr.(*Impaired); ok {
			h.mu.Lock()
			inFlight := 0
			for _, it := range h.queue {
				if it.release == nil {
					inFlight++
				}
			}
			h.mu.Unlock()
			n = max(n, inFlight)
		}
	}
	return n
}

// send writes packets numbered 0..n-1 from a to b, from one goroutine,
// pacing itself so that no queue overflows while collect drains b.
func (p *pipe) send(t *testing.T, n int) {
	t.Helper()
	for i := range n {
		var buf [4]byte
		binary.LittleEndian.PutUint32(buf[:], uint32(i))
		p.sentAt = append(p.sentAt, time.Now())
		if err := p.a.WriteTo(buf[:], p.b.LocalAddr()); err != nil {
			t.Fatal(err)
		}
		for deadline := time.Now().Add(10 * time.Second); p.backlog() > QueueLen/4; {
			if time.Now().After(deadline) {
				t.Fatalf("queues still full after 10s")
			}
			time.Sleep(50 * time.Microsecond)
		}
	}
}

type arrival struct {
	seq int
	lag time.Duration
}

// run sends n packets while collecting arrivals, until nothing has come
// for quiet after the last send.
func (p *pipe) run(t *testing.T, n int, quiet time.Duration) []arrival {
	t.Helper()
	sent := make(chan struct{})
	got := make(chan []Packet)
	go func() {
		var all []Packet
		for {
			select {
			case pk := <-p.b.Packets():
				all = append(all, pk)
				continue
			case <-sent:
			}
			got <- append(all, collect(p.b, math.MaxInt, quiet)...)
			return
		}
	}()
	p.send(t, n)
	close(sent)
	var out []arrival
	for _, pk := range <-got {
		seq := int(binary.LittleEndian.Uint32(pk.Data))
		out = append(out, arrival{seq: seq, lag: pk.At.Sub(p.sentAt[seq])})
	}
	for _, tr := range p.all {
		if st := tr.(statser).Stats(); st.ReadDrops != 0 {
			t.Fatalf("a receiver dropped %d packets: the test is too fast for it", st.ReadDrops)
		}
	}
	return out
}

func seqs(as []arrival) []int {
	s := make([]int, len(as))
	for i, a := range as {
		s[i] = a.seq
	}
	return s
}

func inversions(as []arrival) int {
	n := 0
	for i := 1; i < len(as); i++ {
		if as[i].seq < as[i-1].seq {
			n++
		}
	}
	return n
}

func TestImpairLoss(t *testing.T) {
	for _, dir := range []string{"out", "in"} {
		t.Run(dir, func(t *testing.T) {
			c := &ImpairConfig{Loss: 0.2, Seed: 1}
			p := newPipe(t, c, nil)
			if dir == "in" {
				p = newPipe(t, nil, c)
			}
			const n = 2000
			got := p.run(t, n, 300*time.Millisecond)
			lost := n - len(got)
			if lost < n*12/100 || lost > n*28/100 {
				t.Errorf("lost %d of %d, want 12%%..28%%", lost, n)
			}
			var counted uint64
			for _, tr := range []Transport{p.a, p.b} {
				if h, ok := tr.(*Impaired); ok {
					st := h.ImpairStats()
					counted = st.Out.Lost + st.In.Lost
				}
			}
			if counted != uint64(lost) {
				t.Errorf("ImpairStats counted %d lost, want %d", counted, lost)
			}
			if inversions(got) != 0 {
				t.Errorf("loss alone reordered packets")
			}
		})
	}
}

func TestImpairDup(t *testing.T) {
	p := newPipe(t, &ImpairConfig{Dup: 0.1, Seed: 2}, nil)
	const n = 2000
	got := p.run(t, n, 300*time.Millisecond)
	extra := len(got) - n
	if extra < n*5/100 || extra > n*15/100 {
		t.Errorf("%d duplicates of %d packets, want 5%%..15%%", extra, n)
	}
	count := make(map[int]int)
	for _, a := range got {
		count[a.seq]++
	}
	if len(count) != n {
		t.Errorf("%d distinct packets arrived, want all %d", len(count), n)
	}
}

func TestImpairDupCopiesData(t *testing.T) {
	p := newPipe(t, nil, &ImpairConfig{Dup: 1})
	if err := p.a.WriteTo([]byte("ab"), p.b.LocalAddr()); err != nil {
		t.Fatal(err)
	}
	p1, p2 := recv(t, p.b), recv(t, p.b)
	p1.Data[0] = 'X'
	if string(p2.Data) != "ab" {
		t.Errorf("the two copies share memory: second is %q after changing the first", p2.Data)
	}
}

func TestImpairDelay(t *testing.T) {
	const delay, jitter = 60 * time.Millisecond, 20 * time.Millisecond
	for _, dir := range []string{"out", "in"} {
		t.Run(dir, func(t *testing.T) {
			c := &ImpairConfig{Delay: delay, Jitter: jitter, Seed: 3}
			p := newPipe(t, c, nil)
			if dir == "in" {
				p = newPipe(t, nil, c)
			}
			const n = 200
			got := p.run(t, n, time.Second)
			if len(got) != n {
				t.Fatalf("%d of %d arrived", len(got), n)
			}
			var sum time.Duration
			low, high := time.Hour, time.Duration(0)
			for _, a := range got {
				sum += a.lag
				low, high = min(low, a.lag), max(high, a.lag)
			}
			mean := sum / n
			t.Logf("lag: min %v mean %v max %v", low, mean, high)
			// Loose bounds: timers fire late, never early.
			if low < delay-jitter-5*time.Millisecond {
				t.Errorf("a packet arrived after %v, want at least %v", low, delay-jitter)
			}
			if mean < delay-5*time.Millisecond {
				t.Errorf("mean lag %v, want about %v", mean, delay)
			}
			if high-low < jitter/2 {
				t.Errorf("lags span %v..%v: no jitter", low, high)
			}
			if inversions(got) == 0 {
				t.Errorf("jitter of %v over %d packets reordered none", jitter, n)
			}
		})
	}
}

func TestImpairDelayKeepsOrderWithoutJitter(t *testing.T) {
	p := newPipe(t, &ImpairConfig{Delay: 20 * time.Millisecond}, nil)
	got := p.run(t, 300, 500*time.Millisecond)
	if len(got) != 300 || inversions(got) != 0 {
		t.Errorf("got %d packets with %d inversions, want 300 in order", len(got), inversions(got))
	}
}

func TestImpairReorder(t *testing.T) {
	for _, dir := range []string{"out", "in"} {
		t.Run(dir, func(t *testing.T) {
			c := &ImpairConfig{Reorder: 0.1, Seed: 4}
			p := newPipe(t, c, nil)
			if dir == "in" {
				p = newPipe(t, nil, c)
			}
			const n = 1000
			got := p.run(t, n, 2*reorderHold)
			if len(got) != n {
				t.Fatalf("%d of %d arrived, want all", len(got), n)
			}
			inv := inversions(got)
			if inv < n*5/100 || inv > n*15/100 {
				t.Errorf("%d of %d overtaken, want about 10%%", inv, n)
			}
		})
	}
}

func TestImpairReorderReleasesAlone(t *testing.T) {
	// A held packet that nothing overtakes still arrives.
	p := newPipe(t, &ImpairConfig{Reorder: 1}, nil)
	start := time.Now()
	if err := p.a.WriteTo([]byte("x"), p.b.LocalAddr()); err != nil {
		t.Fatal(err)
	}
	recv(t, p.b)
	if lag := time.Since(start); lag < reorderHold/2 {
		t.Errorf("held packet arrived after %v, want about %v", lag, reorderHold)
	}
}

func TestImpairDeterministic(t *testing.T) {
	c := ImpairConfig{Loss: 0.1, Dup: 0.05, Reorder: 0.1, Seed: 42}
	var runs [2][]int
	for i := range runs {
		p := newPipe(t, &c, &c)
		runs[i] = seqs(p.run(t, 1000, 2*reorderHold))
	}
	if !slices.Equal(runs[0], runs[1]) {
		t.Errorf("two runs with seed %d differ: %d and %d packets", c.Seed, len(runs[0]), len(runs[1]))
	}
	c.Seed++
	p := newPipe(t, &c, &c)
	if other := seqs(p.run(t, 1000, 2*reorderHold)); slices.Equal(runs[0], other) {
		t.Errorf("seeds %d and %d gave the same run", c.Seed-1, c.Seed)
	}
}

func TestImpairSetConfig(t *testing.T) {
	p := newPipe(t, &ImpairConfig{Loss: 1}, nil)
	h := p.a.(*Impaired)
	if got := p.run(t, 100, 100*time.Millisecond); len(got) != 0 {
		t.Fatalf("%d packets passed a loss of 100%%", len(got))
	}
	h.SetConfig(ImpairConfig{})
	if h.Config().Enabled() {
		t.Errorf("Config() = %v after SetConfig(off)", h.Config())
	}
	p.sentAt = nil
	got := p.run(t, 100, 300*time.Millisecond)
	if len(got) != 100 || inversions(got) != 0 {
		t.Errorf("after the impairment stopped: %d packets, %d inversions; want 100 in order", len(got), inversions(got))
	}
}

func TestImpairSetConfigReleasesHeld(t *testing.T) {
	p := newPipe(t, nil, &ImpairConfig{Reorder: 1})
	h := p.b.(*Impaired)
	h.mu.Lock()
	h.hold = time.Hour // only the release can let the packet through
	h.mu.Unlock()
	if err := p.a.WriteTo([]byte("x"), p.b.LocalAddr()); err != nil {
		t.Fatal(err)
	}
	waitFor(t, time.Second, func() bool { return h.ImpairStats().In.Reordered == 1 })
	h.SetConfig(ImpairConfig{})
	recv(t, p.b) // fails after 5 s
}

func TestImpairClosePending(t *testing.T) {
	n := NewMemNetwork()
	inner := listenMem(t, n)
	peer := listenMem(t, n)
	h := Impair(inner, ImpairConfig{Delay: time.Hour})
	for range 10 {
		if err := h.WriteTo([]byte("x"), peer.LocalAddr()); err != nil {
			t.Fatal(err)
		}
		if err := peer.WriteTo([]byte("y"), h.LocalAddr()); err != nil {
			t.Fatal(err)
		}
	}
	waitFor(t, time.Second, func() bool { return h.ImpairStats().In.Delayed == 10 })
	done := make(chan struct{})
	go func() { h.Close(); close(done) }()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("Close blocked with packets in flight")
	}
	if _, ok := <-h.Packets(); ok {
		t.Error("a delayed packet was delivered after Close")
	}
	if err := inner.WriteTo([]byte("x"), peer.LocalAddr()); err == nil {
		t.Error("inner transport still open after Close")
	}
	if len(peer.Packets()) != 0 {
		t.Error("a delayed packet was sent after Close")
	}
	h.SetConfig(ImpairConfig{Reorder: 0}) // harmless after Close
}

func TestImpairConfig(t *testing.T) {
	ms := time.Millisecond
	tests := []struct {
		c       ImpairConfig
		enabled bool
		s       string
	}{
		{ImpairConfig{}, false, ""},
		{ImpairConfig{Seed: 9}, false, ""},
		{ImpairConfig{Loss: 0.2}, true, "loss 20%"},
		{ImpairConfig{Loss: 0.07}, true, "loss 7%"},
		{ImpairConfig{Loss: 0.125, Dup: 0.001}, true, "loss 12.5% dup 0.1%"},
		{ImpairConfig{Delay: 300 * ms}, true, "delay 300ms"},
		{ImpairConfig{Jitter: 50 * ms}, true, "delay 0s±50ms"},
		{ImpairConfig{Delay: 1500 * ms, Jitter: 50 * ms, Reorder: 0.05}, true, "delay 1.5s±50ms reorder 5%"},
		{ImpairConfig{Loss: 3, Dup: -1, Delay: -ms, Reorder: math.NaN()}, true, "loss 100%"},
		{ImpairConfig{Loss: -0.5, Jitter: -ms}, false, ""},
	}
	for _, tt := range tests {
		if got := tt.c.Enabled(); got != tt.enabled {
			t.Errorf("%+v.Enabled() = %v, want %v", tt.c, got, tt.enabled)
		}
		if got := tt.c.String(); got != tt.s {
			t.Errorf("%+v.String() = %q, want %q", tt.c, got, tt.s)
		}
	}
}
