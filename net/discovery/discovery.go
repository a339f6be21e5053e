// Package discovery finds lanarena peers on the LAN with mDNS/DNS-SD
// (hashicorp/mdns): each peer advertises a service instance of Service
// whose TXT record is its Announcement, and browses for the others.
//
// What hashicorp/mdns v1.0.7 does, and what this package does about it:
//
//   - Its server only answers queries: it never announces itself and says
//     no goodbye. So Browse queries at once and then again and again
//     (about every second while looking), and leaving the game is a UDP
//     message of the game, not a discovery matter.
//   - It logs to the standard logger (stderr) unless given a Logger, which
//     would corrupt a TUI: this package always gives it one (io.Discard
//     when the caller has none).
//   - Its client drops entries it cannot deliver at once: Browse gives it
//     a buffered channel and drains it concurrently.
//   - Its client returns every complete instance it hears of, whatever the
//     service: Browse keeps only instances of Service whose TXT record
//     ParseTXT accepts.
//   - It resolves the host name to fill in addresses when given none, and
//     several instances on one machine share the OS host name: Advertise
//     passes explicit IPs and a host name unique to the instance.
//   - Its sockets are opened synchronously, in NewServer and at the start
//     of each query, in the network namespace of the calling thread; its
//     goroutines only read them. (Tests rely on this: see net/netns.)
//   - It multicasts on the interface the kernel routes 224.0.0.251 to
//     (the default route), unless given an interface: BrowseConfig has
//     one for machines with several.
//   - Its server shuts down without waiting for its two reader goroutines;
//     they exit as soon as their sockets are closed.
package discovery

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"math/rand/v2"
	"net"
	"net/netip"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/hashicorp/mdns"
	"github.com/miekg/dns"
)

// Service is lanarena's DNS-SD service type.
const Service = "_lanarena._udp"

const domain = "local."

// serviceSuffix ends the name of each instance of Service.
const serviceSuffix = "." + Service + "." + domain

func discard(l *log.Logger) *log.Logger {
	if l == nil {
		return log.New(io.Discard, "", 0)
	}
	return l
}

// quiet drops the message hashicorp/mdns logs at every query when IPv6 is
// disabled (as Browse does by default): once a second in the log is noise.
func quiet(l *log.Logger) *log.Logger {
	return log.New(writerFunc(func(p []byte) (int, error) {
		if !bytes.Contains(p, []byte("Failed to listen to both unicast and multicast on IPv6")) {
			l.Print(string(p))
		}
		return len(p), nil
	}), "", 0)
}

type writerFunc func([]byte) (int, error)

func (f writerFunc) Write(p []byte) (int, error) { return f(p) }

// Advertiser answers mDNS queries for one instance of Service.
type Advertiser struct {
	zone      zone
	server    *mdns.Server
	closeOnce sync.Once
}

// zone serves the current record; Update swaps it without touching the
// sockets.
type zone struct {
	svc atomic.Pointer[mdns.MDNSService]
}

func (z *zone) Records(q dns.Question) []dns.RR { return z.svc.Load().Records(q) }

// Advertise starts answering queries for a, with its IPs (LocalIPs if it
// has none) and its Port. The instance name is the player's name and id
// ("alice-1a2b3c4d"), so every player has its own; the host name is
// "<id>.lanarena.local.", so that several instances on one machine do not
// share addresses. logger receives the mDNS library's messages; nil
// discards them.
//
// Its sockets are opened before it returns, in the calling thread's
// network namespace.
func Advertise(a Announcement, logger *log.Logger) (*Advertiser, error) {
	svc, err := service(a)
	if err != nil {
		return nil, err
	}
	ad := &Advertiser{}
	ad.zone.svc.Store(svc)
	ad.server, err = mdns.NewServer(&mdns.Config{Zone: &ad.zone, Logger: discard(logger)})
	if err != nil {
		return nil, fmt.Errorf("advertising on mDNS: %w", err)
	}
	return ad, nil
}

// Update replaces the advertised record. Queries answered from now on
// carry the new one; the sockets stay as they are (so it may be called
// from any goroutine or thread).
func (ad *Advertiser) Update(a Announcement) error {
	svc, err := service(a)
	if err != nil {
		return err
	}
	ad.zone.svc.Store(svc)
	return nil
}

// Close stops answering. Nothing tells the other peers: their game
// notices, or hears a leave message. It is idempotent.
func (ad *Advertiser) Close() error {
	ad.closeOnce.Do(func() { ad.server.Shutdown() })
	return nil
}

func service(a Announcement) (*mdns.MDNSService, error) {
	txt, err := a.TXT()
	if err != nil {
		return nil, err
	}
	if a.Port < 1 || a.Port > 65535 {
		return nil, fmt.Errorf("advertising port %d", a.Port)
	}
	addrs := a.IPs
	if len(addrs) == 0 {
		addrs = LocalIPs()
	}
	var ips []net.IP
	for _, ip := range addrs {
		if usable(ip) {
			ips = append(ips, ip.Unmap().AsSlice())
		}
	}
	if len(ips) == 0 {
		return nil, errors.New("advertising: no address to advertise")
	}
	host := formatID(a.ID) + ".lanarena." + domain
	return mdns.NewMDNSService(instanceName(a), Service, domain, host, a.Port, ips, txt)
}

// instanceName is a DNS-safe form of the player's name, then the id.
func instanceName(a Announcement) string {
	var b strings.Builder
	for _, r := range strings.ToLower(a.Name) {
		if b.Len() >= 24 {
			break
		}
		switch {
		case 'a' <= r && r <= 'z', '0' <= r && r <= '9':
			b.WriteRune(r)
		case b.Len() > 0 && !strings.HasSuffix(b.String(), "-"):
			b.WriteByte('-')
		}
	}
	name := strings.TrimSuffix(b.String(), "-")
	if name == "" {
		name = "player"
	}
	return name + "-" + formatID(a.ID)
}

// Entry is a peer found by Browse.
type Entry struct {
	Announcement                // its IPs are the addresses seen in the answer
	Addr         netip.AddrPort // where to send: the first usable IPv4, else IPv6, and Port
	Instance     string         // DNS-SD instance name, such as "alice-1a2b3c4d"
}

// BrowseConfig configures Browse.
type BrowseConfig struct {
	Logger *log.Logger // the mDNS library's messages and query errors; nil discards them
	// Interval between queries, ±25% jitter: about a second while looking
	// for peers, more once playing (see Browser.SetInterval). Default 1s,
	// at least 100ms.
	Interval time.Duration
	// Timeout is how long each query listens for answers; Browse returns
	// at most this long after its context is done. Default 500ms.
	Timeout time.Duration
	// Interface to multicast on; nil lets the kernel choose by route.
	Interface *net.Interface
	// IPv6 also queries over IPv6 (ff02::fb). Off by default: with
	// hashicorp/mdns a failed IPv6 send fails the whole query.
	IPv6 bool
}

const (
	defaultInterval = time.Second
	minInterval     = 100 * time.Millisecond
	defaultTimeout  = 250 * time.Millisecond
	// quickQueries follow the first one back to back, so that peers
	// started in the same instant (whose first queries went out before the
	// others answered) still meet within about half a second.
	quickQueries = 2
	entryBuffer  = 64
)

// Browser queries repeatedly for instances of Service. Run it once at a
// time; SetInterval may be called from anywhere.
type Browser struct {
	cfg      BrowseConfig
	interval atomic.Int64
	changed  chan struct{}
}

// NewBrowser returns a Browser; Run starts it.
func NewBrowser(cfg BrowseConfig) *Browser {
	cfg.Logger = quiet(discard(cfg.Logger))
	if cfg.Timeout <= 0 {
		cfg.Timeout = defaultTimeout
	}
	b := &Browser{cfg: cfg, changed: make(chan struct{}, 1)}
	b.SetInterval(cfg.Interval)
	return b
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
// found is called for each valid instance of Service in each answer: an
// instance still there is found again every query, and this peer finds its
// own instance too (filter by ID). found is called from one goroutine of
// Run, never concurrently with itself and never after Run returns. It must
// return quickly (a non-blocking send to the caller's loop, say): while it
// runs, further answers wait, and are lost if the buffer fills.
//
// Each query opens its sockets in the network namespace of the thread
// that called Run, so Run must stay on a namespace's thread when tests
// run it in one (net/netns Host.Run).
func (b *Browser) Run(ctx context.Context, found func(Entry)) {
	entries := make(chan *mdns.ServiceEntry, entryBuffer)
	delivered := make(chan struct{})
	go b.routineDeliver(entries, found, delivered)
	defer func() {
		// Queries have returned: nothing sends on entries any more.
		close(entries)
		<-delivered
	}()

	timer := time.NewTimer(0)
	defer timer.Stop()
	var lastErr string
	for n := 0; ; n++ {
		start := time.Now()
		if err := b.query(ctx, entries); err != nil && err.Error() != lastErr {
			lastErr = err.Error()
			b.cfg.Logger.Printf("discovery: query: %v", err)
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

// query asks once and passes the answers to entries. It blocks for the
// Timeout (hashicorp/mdns listens that long whatever the context says).
func (b *Browser) query(ctx context.Context, entries chan<- *mdns.ServiceEntry) error {
	if ctx.Err() != nil {
		return nil
	}
	return mdns.QueryContext(ctx, &mdns.QueryParam{
		Service:     Service,
		Domain:      domain,
		Timeout:     b.cfg.Timeout,
		Interface:   b.cfg.Interface,
		Entries:     entries,
		DisableIPv6: !b.cfg.IPv6,
		Logger:      b.cfg.Logger,
	})
}

// routineDeliver passes valid entries to found until entries is closed.
func (b *Browser) routineDeliver(entries <-chan *mdns.ServiceEntry, found func(Entry), done chan<- struct{}) {
	defer close(done)
	for se := range entries {
		if e, err := entryFrom(se); err == nil {
			found(e)
		}
	}
}

// jitter returns d ±25%, uniformly.
func jitter(d time.Duration) time.Duration {
	return time.Duration(float64(d) * (0.75 + 0.5*rand.Float64()))
}

// entryFrom checks one answer of the mDNS client: an instance of our
// service, with a valid TXT record, a port and a usable address.
func entryFrom(se *mdns.ServiceEntry) (Entry, error) {
	if len(se.Name) <= len(serviceSuffix) || !strings.EqualFold(se.Name[len(se.Name)-len(serviceSuffix):], serviceSuffix) {
		return Entry{}, fmt.Errorf("%q is not an instance of %s", se.Name, Service)
	}
	a, err := ParseTXT(se.InfoFields)
	if err != nil {
		return Entry{}, fmt.Errorf("%q: %w", se.Name, err)
	}
	if se.Port < 1 || se.Port > 65535 {
		return Entry{}, fmt.Errorf("%q: port %d", se.Name, se.Port)
	}
	a.Port = se.Port
	if ip, ok := netip.AddrFromSlice(se.AddrV4); ok && usable(ip.Unmap()) {
		a.IPs = append(a.IPs, ip.Unmap())
	}
	if se.AddrV6IPAddr != nil {
		if ip, ok := netip.AddrFromSlice(se.AddrV6IPAddr.IP); ok && usable(ip) {
			if ip.Is6() && !ip.Is4In6() {
				ip = ip.WithZone(se.AddrV6IPAddr.Zone)
			}
			a.IPs = append(a.IPs, ip.Unmap())
		}
	}
	if len(a.IPs) == 0 {
		return Entry{}, fmt.Errorf("%q: no usable address", se.Name)
	}
	return Entry{
		Announcement: a,
		Addr:         netip.AddrPortFrom(a.IPs[0], uint16(a.Port)),
		Instance:     se.Name[:len(se.Name)-len(serviceSuffix)],
	}, nil
}

// usable reports whether ip can be a peer's unicast address.
func usable(ip netip.Addr) bool {
	return ip.IsValid() && !ip.IsUnspecified() && !ip.IsMulticast() &&
		ip.Unmap() != netip.AddrFrom4([4]byte{255, 255, 255, 255})
}

// LocalIPs returns the addresses to advertise: those of the interfaces
// that are up, not loopback, and can multicast; IPv4 first.
func LocalIPs() []netip.Addr {
	ifs, err := net.Interfaces()
	if err != nil {
		return nil
	}
	var ips []netip.Addr
	for _, ifi := range ifs {
		if ifi.Flags&net.FlagUp == 0 || ifi.Flags&net.FlagLoopback != 0 || ifi.Flags&net.FlagMulticast == 0 {
			continue
		}
		addrs, err := ifi.Addrs()
		if err != nil {
			continue
		}
		for _, a := range addrs {
			n, ok := a.(*net.IPNet)
			if !ok {
				continue
			}
			ip, ok := netip.AddrFromSlice(n.IP)
			if ip = ip.Unmap(); ok && usable(ip) && !ip.IsLoopback() && !slices.Contains(ips, ip) {
				ips = append(ips, ip)
			}
		}
	}
	slices.SortStableFunc(ips, func(a, b netip.Addr) int {
		switch {
		case a.Is4() == b.Is4():
			return 0
		case a.Is4():
			return -1
		}
		return 1
	})
	return ips
}
