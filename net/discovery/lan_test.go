package discovery

// Tests with real mDNS. They run only inside network namespaces that the
// test makes (net/netns): mDNS must never reach a real interface.
//
// Two patterns, both for reuse by end-to-end tests:
//
//   - Re-exec: the test binary runs itself inside a host's namespace with
//     `ip netns exec` (netns.Host.Command) and an environment variable
//     that TestMain checks; the child advertises, browses and reports on
//     stdout, one JSON object a line. The whole child process is in the
//     namespace, like the real binary in an end-to-end test.
//   - In-process: netns.Host.Run runs a function on a thread switched into
//     the namespace. hashicorp/mdns opens its sockets synchronously (in
//     NewServer and at the start of each query), so an Advertise made in
//     fn keeps answering after fn returns, and a Browse run in fn until
//     its context ends queries from the namespace.

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log"
	"net"
	"net/netip"
	"os"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hashicorp/mdns"
	"github.com/miekg/dns"

	"lanarena/net/netns"
)

const helperEnv = "LANARENA_DISCOVERY_HELPER"

func TestMain(m *testing.M) {
	if spec := os.Getenv(helperEnv); spec != "" {
		os.Exit(helperMain(spec))
	}
	os.Exit(m.Run())
}

// helperSpec tells a child process what to do.
type helperSpec struct {
	NS           string // the namespace it must be in
	ID           uint32
	Name, Room   string
	Port         int
	BrowseAtOnce bool // else wait for "browse" on stdin
}

// event is a line of a child's stdout.
type event struct {
	Ev       string // "ready", "browsing" or "found"
	ID       uint32
	Addr     netip.AddrPort
	Elapsed  time.Duration // since the child's Browse started
	Instance string
	Name     string
	Room     string
}

// helperMain is the child: advertise, browse, report each peer the first
// time it is found, until stdin closes.
func helperMain(specJSON string) int {
	var s helperSpec
	if err := json.Unmarshal([]byte(specJSON), &s); err != nil {
		fmt.Fprintln(os.Stderr, "helper:", err)
		return 2
	}
	// The safety catch: never run mDNS outside the test's namespace.
	if err := netns.Verify(s.NS); err != nil {
		fmt.Fprintln(os.Stderr, "helper: refusing to run mDNS:", err)
		return 3
	}
	logger := log.New(os.Stderr, fmt.Sprintf("%08x ", s.ID), log.Lmicroseconds)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute) // never outlive the test by much
	defer cancel()

	var mu sync.Mutex
	enc := json.NewEncoder(os.Stdout)
	emit := func(e event) {
		mu.Lock()
		defer mu.Unlock()
		enc.Encode(e)
	}

	ad, err := Advertise(Announcement{ID: s.ID, Name: s.Name, Room: s.Room, Mode: "p2p", Role: "player", Version: 1, Port: s.Port}, logger)
	if err != nil {
		logger.Print(err)
		return 1
	}
	defer ad.Close()

	browse := make(chan struct{})
	go func() {
		defer cancel() // stdin closed: the test is over
		sc := bufio.NewScanner(os.Stdin)
		for sc.Scan() {
			if sc.Text() == "browse" {
				close(browse)
			}
		}
	}()
	emit(event{Ev: "ready", ID: s.ID})
	if !s.BrowseAtOnce {
		select {
		case <-browse:
		case <-ctx.Done():
			return 0
		}
	}
	start := time.Now()
	emit(event{Ev: "browsing", ID: s.ID})
	seen := make(map[uint32]bool) // found is never called concurrently
	Browse(ctx, BrowseConfig{Logger: logger}, func(e Entry) {
		if e.ID == s.ID || seen[e.ID] {
			return
		}
		seen[e.ID] = true
		emit(event{Ev: "found", ID: e.ID, Addr: e.Addr, Elapsed: time.Since(start), Instance: e.Instance, Name: e.Name, Room: e.Room})
	})
	return 0
}

// peer is a child process on a host.
type peer struct {
	spec   helperSpec
	host   netns.Host
	stdin  io.WriteCloser
	events chan event // closed when the child's stdout closes
	stderr syncBuffer
	stop   func() // closes stdin and waits for the child to exit
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func startPeer(t testing.TB, h netns.Host, s helperSpec) *peer {
	t.Helper()
	s.NS = h.Name
	spec, _ := json.Marshal(s)
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cmd := h.Command(ctx, self)
	cmd.Env = append(os.Environ(), helperEnv+"="+string(spec))
	p := &peer{spec: s, host: h, events: make(chan event, 64)}
	cmd.Stderr = &p.stderr
	p.stdin, err = cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		cancel()
		t.Fatal(err)
	}
	read := make(chan struct{})
	go func() {
		defer close(read)
		defer close(p.events)
		dec := json.NewDecoder(stdout)
		for {
			var e event
			if err := dec.Decode(&e); err != nil {
				return
			}
			p.events <- e
		}
	}()
	p.stop = sync.OnceFunc(func() {
		p.stdin.Close() // the child stops browsing and exits
		go func() {
			for range p.events { // drain, so the reader is never stuck
			}
		}()
		select {
		case <-read:
		case <-time.After(5 * time.Second):
			t.Errorf("peer %08x still running 5s after its stdin closed: killing it", s.ID)
			cancel()
		}
		if err := cmd.Wait(); err != nil && !t.Failed() {
			t.Errorf("peer %08x: %v\n%s", s.ID, err, p.stderr.String())
		}
		cancel()
		if t.Failed() {
			t.Logf("peer %08x in %s, stderr:\n%s", s.ID, h.Name, p.stderr.String())
		}
	})
	t.Cleanup(p.stop)
	return p
}

// await returns the next event of the given kind.
func (p *peer) await(t testing.TB, ev string, limit time.Duration) event {
	t.Helper()
	timeout := time.After(limit)
	for {
		select {
		case e, ok := <-p.events:
			if !ok {
				t.Fatalf("peer %08x exited waiting for %q:\n%s", p.spec.ID, ev, p.stderr.String())
			}
			if e.Ev == ev {
				return e
			}
		case <-timeout:
			t.Fatalf("peer %08x: no %q within %v", p.spec.ID, ev, limit)
		}
	}
}

// findAll waits until p has found every one of others, and returns what it
// found, by id.
func (p *peer) findAll(t testing.TB, others []*peer, limit time.Duration) map[uint32]event {
	t.Helper()
	found := make(map[uint32]event)
	want := make(map[uint32]bool)
	for _, o := range others {
		if o != p {
			want[o.spec.ID] = true
		}
	}
	timeout := time.After(limit)
	for len(found) < len(want) {
		select {
		case e, ok := <-p.events:
			if !ok {
				t.Fatalf("peer %08x exited:\n%s", p.spec.ID, p.stderr.String())
			}
			if e.Ev != "found" {
				continue
			}
			if !want[e.ID] {
				t.Errorf("peer %08x found a stranger: %+v", p.spec.ID, e)
				continue
			}
			found[e.ID] = e
		case <-timeout:
			t.Fatalf("peer %08x found %d of %d peers within %v: %v", p.spec.ID, len(found), len(want), limit, found)
		}
	}
	return found
}

func (p *peer) browse(t testing.TB) {
	t.Helper()
	if _, err := io.WriteString(p.stdin, "browse\n"); err != nil {
		t.Fatal(err)
	}
}

// checkFound checks what p found of each other peer: its address and
// announcement.
func checkFound(t testing.TB, p *peer, found map[uint32]event, all []*peer) {
	t.Helper()
	for _, o := range all {
		if o == p {
			continue
		}
		e := found[o.spec.ID]
		if want := netip.AddrPortFrom(o.host.Addr, uint16(o.spec.Port)); e.Addr != want {
			t.Errorf("%08x sees %08x at %v, want %v", p.spec.ID, o.spec.ID, e.Addr, want)
		}
		if e.Name != o.spec.Name || e.Room != o.spec.Room || e.Instance != instanceName(Announcement{ID: o.spec.ID, Name: o.spec.Name}) {
			t.Errorf("%08x sees %08x as %+v, want name %q room %q", p.spec.ID, o.spec.ID, e, o.spec.Name, o.spec.Room)
		}
	}
}

func spec(i int) helperSpec {
	return helperSpec{ID: 0xa0000001 + uint32(i), Name: fmt.Sprintf("Player %d", i), Room: "arena", Port: 7000 + i}
}

// TestDiscoveryLAN: three hosts. The first browses alone for a while; the
// other two join later. As the server never announces itself, the first
// finds the others only by asking again.
func TestDiscoveryLAN(t *testing.T) {
	lan := netns.New(t, 3)
	hosts := lan.Hosts()
	s0 := spec(0)
	s0.BrowseAtOnce = true
	p0 := startPeer(t, hosts[0], s0)
	p0.await(t, "browsing", 10*time.Second)
	time.Sleep(1500 * time.Millisecond) // a query or two find nobody
	peers := []*peer{p0}
	for i := 1; i < 3; i++ {
		s := spec(i)
		s.BrowseAtOnce = true
		peers = append(peers, startPeer(t, hosts[i], s))
	}
	for _, p := range peers {
		found := p.findAll(t, peers, 10*time.Second)
		checkFound(t, p, found, peers)
		for id, e := range found {
			t.Logf("%08x found %08x after %v", p.spec.ID, id, e.Elapsed.Round(time.Millisecond))
		}
	}
}

// TestDiscoverySharedHost: two instances on one host and one on another
// all find each other, with distinct ids and instance names.
func TestDiscoverySharedHost(t *testing.T) {
	lan := netns.New(t, 2)
	hosts := lan.Hosts()
	var peers []*peer
	for i, h := range []netns.Host{hosts[0], hosts[0], hosts[1]} {
		s := spec(i)
		s.Name = "Twin" // same name: the id tells them apart
		s.BrowseAtOnce = true
		peers = append(peers, startPeer(t, h, s))
	}
	for _, p := range peers {
		found := p.findAll(t, peers, 10*time.Second)
		checkFound(t, p, found, peers)
		instances := make(map[string]bool)
		for _, e := range found {
			instances[e.Instance] = true
		}
		if len(instances) != len(found) {
			t.Errorf("%08x sees instances %v: not distinct", p.spec.ID, instances)
		}
	}
}

// logBuffer is a logger whose output is shown only if the test fails (a
// test's own t.Log must not be called once it has ended, and the mDNS
// library's goroutines may still be stopping).
func logBuffer(t *testing.T) *log.Logger {
	var buf syncBuffer
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("mDNS log:\n%s", buf.String())
		}
	})
	return log.New(&buf, "", log.Lmicroseconds)
}

// foreignZone answers a query for our service with an instance that
// Browse must ignore.
type foreignZone struct {
	instance, host string
	ip             net.IP
	txt            []string
}

// foreignZones are served by separate servers: hashicorp/mdns's client
// completes only the last instance named in each response.
var foreignZones = []foreignZone{
	{instance: "foreign._other._udp.local.", txt: []string{"v=1", "id=0badf00d", "name=foreign"}}, // our TXT, another service
	{instance: "garbled-1._lanarena._udp.local.", txt: []string{"v=1", "id=0"}},
	{instance: "garbled-2._lanarena._udp.local.", txt: []string{"v=one", "id=0badf00e"}},
	{instance: "stranger._lanarena._udp.local.", txt: []string{"txtvers=1", "path=/"}},
}

func (z foreignZone) Records(q dns.Question) []dns.RR {
	if !strings.EqualFold(q.Name, Service+".local.") {
		return nil
	}
	hdr := func(name string, t uint16) dns.RR_Header {
		return dns.RR_Header{Name: name, Rrtype: t, Class: dns.ClassINET, Ttl: 120}
	}
	return []dns.RR{
		&dns.PTR{Hdr: hdr(q.Name, dns.TypePTR), Ptr: z.instance},
		&dns.SRV{Hdr: hdr(z.instance, dns.TypeSRV), Port: 9999, Target: z.host},
		&dns.A{Hdr: hdr(z.host, dns.TypeA), A: z.ip},
		&dns.TXT{Hdr: hdr(z.instance, dns.TypeTXT), Txt: z.txt},
	}
}

// TestBrowseIgnoresForeign runs in-process (Host.Run): a responder on one
// host answers with foreign and garbled instances, a real peer advertises
// on another, and the browser on the third sees only the real one.
func TestBrowseIgnoresForeign(t *testing.T) {
	lan := netns.New(t, 3)
	hosts := lan.Hosts()
	logger := logBuffer(t)

	hosts[1].Run(t, func() {
		for i, z := range foreignZones {
			z.host, z.ip = fmt.Sprintf("f%d.local.", i), hosts[1].Addr.AsSlice()
			srv, err := mdns.NewServer(&mdns.Config{Zone: z, Logger: logger})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { srv.Shutdown() })
		}
	})
	good := Announcement{ID: 0x600d, Name: "good", Room: "arena", Version: 1, Port: 7000}
	hosts[2].Run(t, func() {
		ad, err := Advertise(good, logger)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { ad.Close() })
	})

	// The library itself hands the foreign instances over.
	var raw []string
	hosts[0].Run(t, func() {
		entries := make(chan *mdns.ServiceEntry, 64)
		err := mdns.Query(&mdns.QueryParam{Service: Service, Domain: "local", Timeout: 500 * time.Millisecond,
			Entries: entries, DisableIPv6: true, Logger: logger})
		if err != nil {
			t.Fatal(err)
		}
		close(entries)
		for se := range entries {
			raw = append(raw, se.Name)
		}
	})
	slices.Sort(raw)
	t.Logf("the library returned %q", raw)
	for _, z := range foreignZones {
		if !slices.Contains(raw, z.instance) {
			t.Errorf("the foreign responder of %s was not heard", z.instance)
		}
	}

	var got []Entry
	baseline := runtime.NumGoroutine()
	var late time.Duration
	hosts[0].Run(t, func() {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		Browse(ctx, BrowseConfig{Logger: logger, Interval: 300 * time.Millisecond, Timeout: 200 * time.Millisecond},
			func(e Entry) { got = append(got, e) })
		late = time.Since(deadline(ctx))
	})
	if len(got) < 2 {
		t.Errorf("found %d entries in 2s of queries every 300ms, want several", len(got))
	}
	for _, e := range got {
		if e.ID != good.ID || e.Addr != netip.AddrPortFrom(hosts[2].Addr, 7000) {
			t.Errorf("found %+v, want only %08x at %v:7000", e, good.ID, hosts[2].Addr)
		}
	}
	if late > time.Second {
		t.Errorf("Browse returned %v after its context ended, want within its 200ms timeout", late)
	}
	// Nothing left behind: the library's goroutines exit once their
	// sockets are closed.
	deadline := time.Now().Add(3 * time.Second)
	for runtime.NumGoroutine() > baseline && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if n := runtime.NumGoroutine(); n > baseline {
		buf := make([]byte, 1<<16)
		t.Errorf("%d goroutines after Browse, %d before:\n%s", n, baseline, buf[:runtime.Stack(buf, true)])
	}
}

func deadline(ctx context.Context) time.Time {
	d, _ := ctx.Deadline()
	return d
}

// TestAdvertiserUpdate: a browser sees the new record after Update, which
// is called from another thread (here from found, on a thread outside the
// namespace) since it opens no socket. The announcement names its address:
// without one, Update would look up the addresses of the namespace found
// runs in (the test's own, which may have only loopback).
func TestAdvertiserUpdate(t *testing.T) {
	lan := netns.New(t, 2)
	hosts := lan.Hosts()
	logger := logBuffer(t)
	a := Announcement{ID: 0xa1, Name: "host", Room: "before", Version: 1, Port: 7000, IPs: []netip.Addr{hosts[0].Addr}}
	var ad *Advertiser
	hosts[0].Run(t, func() {
		var err error
		if ad, err = Advertise(a, logger); err != nil {
			t.Fatal(err)
		}
	})
	defer ad.Close()

	var rooms []string
	hosts[1].Run(t, func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		Browse(ctx, BrowseConfig{Logger: logger, Interval: 200 * time.Millisecond, Timeout: 150 * time.Millisecond}, func(e Entry) {
			if len(rooms) == 0 || rooms[len(rooms)-1] != e.Room {
				rooms = append(rooms, e.Room)
			}
			switch e.Room {
			case "before":
				a.Room, a.Locked = "after", true
				if err := ad.Update(a); err != nil {
					t.Error(err)
					cancel()
				}
			case "after":
				if !e.Locked {
					t.Errorf("updated entry %+v not locked", e)
				}
				if want := netip.AddrPortFrom(hosts[0].Addr, 7000); e.Addr != want {
					t.Errorf("updated entry at %v, want %v", e.Addr, want)
				}
				cancel()
			}
		})
	})
	if !slices.Equal(rooms, []string{"before", "after"}) {
		t.Errorf("rooms seen: %q, want before then after", rooms)
	}
	if err := ad.Update(Announcement{Version: 1, Port: 1}); err == nil {
		t.Error("Update with id 0 succeeded")
	}
	ad.Close()
	ad.Close() // idempotent
}

// BenchmarkDiscovery measures, over three hosts, the time from Browse
// start to finding both other hosts:
//
//   - joining: the others already advertise (a newcomer joins a LAN);
//   - together: all three start at once, so the first query may come
//     before the others answer, and the next query (about 1s later) finds
//     them.
//
// It reports the median over all peers and runs, in ms. Run it with a few
// iterations, e.g. -benchtime=5x.
func BenchmarkDiscovery(b *testing.B) {
	lan := netns.New(b, 3)
	hosts := lan.Hosts()
	for _, mode := range []string{"joining", "together"} {
		b.Run(mode, func(b *testing.B) {
			var times []time.Duration
			run := 0
			for b.Loop() {
				run++
				var peers []*peer
				for i, h := range hosts {
					s := spec(i)
					s.ID += uint32(run) << 8
					s.BrowseAtOnce = mode == "together"
					peers = append(peers, startPeer(b, h, s))
				}
				if mode == "joining" {
					for _, p := range peers {
						p.await(b, "ready", 10*time.Second)
					}
					for _, p := range peers {
						p.browse(b)
					}
				}
				for _, p := range peers {
					var last time.Duration
					for _, e := range p.findAll(b, peers, 10*time.Second) {
						last = max(last, e.Elapsed)
					}
					times = append(times, last)
				}
				for _, p := range peers {
					p.stop()
				}
			}
			slices.Sort(times)
			med := times[len(times)/2]
			b.ReportMetric(float64(med.Microseconds())/1000, "ms-median")
			b.ReportMetric(float64(times[len(times)-1].Microseconds())/1000, "ms-max")
			b.Logf("%s: %d samples, median %v, all %v", mode, len(times), med, times)
		})
	}
}
