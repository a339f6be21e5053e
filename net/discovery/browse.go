package discovery

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log"
	"math/rand/v2"
	"net"
	"net/netip"
	"slices"
	"strings"
	"sync/atomic"
	"time"

	"github.com/miekg/dns"
	"golang.org/x/net/ipv4"
)

// BrowseConfig configures Browse.
type BrowseConfig struct {
	Logger *log.Logger // query errors; nil discards them
	// Interval between queries, ±25% jitter: about a second while looking
	// for peers, more once playing (see Browser.SetInterval). Default 1s,
	// at least 100ms.
	Interval time.Duration
	// Timeout is how long each query listens for answers; Browse returns
	// at most this long after its context is done. Default 250ms.
	Timeout time.Duration
	// Interfaces to query on; none: every interface of Interfaces(""),
	// listed again at each query (so a network that comes up later is
	// used).
	Interfaces []net.Interface
}

const (
	defaultInterval = time.Second
	minInterval     = 100 * time.Millisecond
	defaultTimeout  = 250 * time.Millisecond
	// quickQueries follow the first one back to back, so that peers
	// started in the same instant (whose first queries went out before the
	// others answered) still meet within about half a second.
	quickQueries = 2
	maxPacket    = 9000 // RFC 6762 §17
)

var mdnsGroup = &net.UDPAddr{IP: net.IPv4(224, 0, 0, 251), Port: 5353}

// Browser queries repeatedly for instances of Service. Run it once at a
// time; SetInterval and Stats may be called from anywhere.
type Browser struct {
	cfg      BrowseConfig
	interval atomic.Int64
	changed  chan struct{}
	stats    struct{ packets, badPackets, badRecords atomic.Uint64 }
}

// BrowseStats counts what a Browser heard and what it dropped.
type BrowseStats struct {
	Packets    uint64 // responses read
	BadPackets uint64 // not a response, or cut short
	BadRecords uint64 // records skipped, the rest of their packet kept
}

// NewBrowser returns a Browser; Run starts it.
func NewBrowser(cfg BrowseConfig) *Browser {
	cfg.Logger = discard(cfg.Logger)
	if cfg.Timeout <= 0 {
		cfg.Timeout = defaultTimeout
	}
	b := &Browser{cfg: cfg, changed: make(chan struct{}, 1)}
	b.SetInterval(cfg.Interval)
	return b
}

// Stats returns the counts so far.
func (b *Browser) Stats() BrowseStats {
	return BrowseStats{b.stats.packets.Load(), b.stats.badPackets.Load(), b.stats.badRecords.Load()}
}

// SetInterval changes the time between queries (0: the default), from the
// current wait on. It is safe to call from any goroutine, during Run.
func (b *Browser) SetInterval(d time.Duration) {
	if d <= 0 {
		d = defaultInterval
	}
	b.interval.Store(int64(max(d, minInterval)))
	select {
	case b.changed <- struct{}{}:
	default:
	}
}

// Browse runs a Browser with cfg until ctx is done.
func Browse(ctx context.Context, cfg BrowseConfig, found func(Entry)) {
	NewBrowser(cfg).Run(ctx, found)
}

// Run queries at once, then every interval (±25%), until ctx is done, and
// returns at most the query Timeout later, leaving no goroutine behind.
//
// found is called for each valid instance of Service in each query's
// answers: an instance still there is found again every query, and this
// peer finds its own instance too (filter by ID). found is called from
// Run's goroutine, never after Run returns. It must return quickly (a
// non-blocking send to the caller's loop, say): while it runs, answers
// wait in the socket's buffer.
//
// Each query opens its socket in the network namespace of the thread
// that called Run, so Run must stay on a namespace's thread when tests
// run it in one (net/netns Host.Run).
func (b *Browser) Run(ctx context.Context, found func(Entry)) {
	timer := time.NewTimer(0)
	defer timer.Stop()
	var lastErr string
	for n := 0; ; n++ {
		start := time.Now()
		err := b.query(ctx, found)
		if msg := fmt.Sprint(err); err != nil && msg != lastErr {
			b.cfg.Logger.Printf("discovery: query: %v", err)
			lastErr = msg
		} else if err == nil {
			lastErr = ""
		}
		if n < quickQueries {
			if ctx.Err() != nil {
				return
			}
			continue
		}
		for wait := true; wait; {
			timer.Reset(jitter(time.Duration(b.interval.Load())) - time.Since(start))
			select {
			case <-ctx.Done():
				return
			case <-b.changed:
				// Draw again with the new interval.
			case <-timer.C:
				wait = false
			}
		}
	}
}

// query asks once on every interface, then reads answers for the
// Timeout or until ctx is done, calling found once per instance.
func (b *Browser) query(ctx context.Context, found func(Entry)) error {
	if ctx.Err() != nil {
		return nil
	}
	ifaces := b.cfg.Interfaces
	if len(ifaces) == 0 {
		var err error
		if ifaces, err = Interfaces(""); err != nil {
			return err
		}
	}
	c, err := net.ListenUDP("udp4", &net.UDPAddr{IP: net.IPv4zero})
	if err != nil {
		return fmt.Errorf("query socket: %w", err)
	}
	defer c.Close()
	if err := c.SetReadDeadline(time.Now().Add(b.cfg.Timeout)); err != nil {
		return err
	}
	stop := context.AfterFunc(ctx, func() { c.SetReadDeadline(time.Now()) })
	defer stop()
	if err := send(c, ifaces); err != nil {
		return err
	}
	return b.listen(c, found)
}

// send multicasts the query out of each interface, and succeeds if it
// left by at least one.
func send(c *net.UDPConn, ifaces []net.Interface) error {
	q := new(dns.Msg)
	q.SetQuestion(serviceName, dns.TypePTR)
	q.RecursionDesired = false
	pkt, err := q.Pack()
	if err != nil {
		return err
	}
	p := ipv4.NewPacketConn(c)
	_ = p.SetMulticastTTL(255)       // RFC 6762 §11
	_ = p.SetMulticastLoopback(true) // instances on this machine answer too
	var errs []error
	sent := 0
	for i := range ifaces {
		if err := p.SetMulticastInterface(&ifaces[i]); err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", ifaces[i].Name, err))
			continue
		}
		if _, err := c.WriteTo(pkt, mdnsGroup); err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", ifaces[i].Name, err))
			continue
		}
		sent++
	}
	if sent == 0 {
		return fmt.Errorf("sending query: %w", errors.Join(errs...))
	}
	return nil
}

// listen reads answers until the socket's deadline. The records of all
// the answers to one query are pooled (up to maxRecords), since a
// responder may spread an instance over several packets.
func (b *Browser) listen(c *net.UDPConn, found func(Entry)) error {
	buf := make([]byte, maxPacket)
	var rrs []dns.RR
	done := map[string]bool{}
	for {
		n, from, err := c.ReadFromUDPAddrPort(buf)
		if err != nil {
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() {
				return nil
			}
			return err
		}
		b.stats.packets.Add(1)
		got, bad, err := readResponse(bytes.Clone(buf[:n]))
		b.stats.badRecords.Add(uint64(bad))
		if err != nil {
			b.stats.badPackets.Add(1)
		}
		got = got[:min(len(got), maxRecords-len(rrs))]
		if len(got) == 0 {
			continue
		}
		rrs = append(rrs, got...)
		for _, e := range entries(rrs) {
			if k := strings.ToLower(e.Instance); !done[k] {
				done[k] = true
				found(preferSource(e, from.Addr().Unmap()))
			}
		}
	}
}

// preferSource sends to the address the answer came from when the
// instance advertises it: a machine on several networks advertises the
// addresses of all, and the one it answered from is on ours.
func preferSource(e Entry, from netip.Addr) Entry {
	if from != e.Addr.Addr() && slices.Contains(e.IPs, from) {
		e.Addr = netip.AddrPortFrom(from, e.Addr.Port())
	}
	return e
}

// jitter returns d ±25%, uniformly.
func jitter(d time.Duration) time.Duration {
	return time.Duration(float64(d) * (0.75 + 0.5*rand.Float64()))
}
