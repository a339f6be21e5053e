// Package discovery finds lanarena peers on the LAN with mDNS/DNS-SD:
// each peer advertises a service instance of Service whose TXT record is
// its Announcement, and browses for the others.
//
// Advertising uses hashicorp/mdns's server; browsing reads responses with
// miekg/dns directly (see response.go for why). What hashicorp/mdns v1.0.7
// does, and what this package does about it:
//
//   - Its server only answers queries: it never announces itself and says
//     no goodbye. So Browse queries at once and then again and again
//     (about every second while looking), and leaving the game is a UDP
//     message of the game, not a discovery matter.
//   - It logs to the standard logger (stderr) unless given a Logger, which
//     would corrupt a TUI: this package always gives it one (io.Discard
//     when the caller has none).
//   - It resolves the host name to fill in addresses when given none, and
//     several instances on one machine share the OS host name: Advertise
//     passes explicit IPs and a host name unique to the instance.
//   - Its server listens on one interface (the default route's unless
//     told): Advertise runs one server per usable interface.
//   - Its server answers every query by unicast to the querier, so
//     Browse's queries, sent from an ephemeral port on every interface,
//     hear the answers on that port (as a legacy unicast query, which
//     other responders such as python-zeroconf and Avahi answer the same
//     way).
//   - Its sockets are opened synchronously, in NewServer; its goroutines
//     only read them, and exit as soon as Shutdown closes them. Browse
//     opens its socket at each query. Both stay in the network namespace
//     of the calling thread. (Tests rely on this: see net/netns.)
//   - miekg/dns packs TXT strings from their presentation form and
//     unpacks them into it: Advertise escapes backslashes, Browse
//     unescapes \DDD and \X, so names are bytes, faithfully.
package discovery

import (
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/netip"
	"strings"
	"sync"
	"sync/atomic"
	"unicode"
	"unicode/utf8"

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

// Advertiser answers mDNS queries for one instance of Service.
type Advertiser struct {
	zone      zone
	servers   []*mdns.Server // one per interface
	ips       []netip.Addr   // advertised when an Update has none
	closeOnce sync.Once
}

// zone serves the current record; Update swaps it without touching the
// sockets.
type zone struct {
	svc atomic.Pointer[mdns.MDNSService]
}

func (z *zone) Records(q dns.Question) []dns.RR { return z.svc.Load().Records(q) }

// Advertise starts answering queries for a on every interface of
// Interfaces(""): see AdvertiseOn.
func Advertise(a Announcement, logger *log.Logger) (*Advertiser, error) {
	ifaces, err := Interfaces("")
	if err != nil {
		return nil, err
	}
	return AdvertiseOn(a, ifaces, logger)
}

// AdvertiseOn starts answering queries for a on each of ifaces, with its
// IPs (those of ifaces if it has none) and its Port. The instance name is
// the player's name and id ("alice-1a2b3c4d"), so every player has its
// own; the host name is "<id>.lanarena.local.", so that several instances
// on one machine do not share addresses. logger receives the mDNS
// library's messages; nil discards them. It fails only if no interface
// could listen.
//
// A server's socket may hear queries that came in by other interfaces
// (Linux delivers a group's packets to every socket bound to it), so a
// querier can get one answer per interface: Browse reports each instance
// once per query.
//
// Its sockets are opened before it returns, in the calling thread's
// network namespace.
func AdvertiseOn(a Announcement, ifaces []net.Interface, logger *log.Logger) (*Advertiser, error) {
	if len(ifaces) == 0 {
		return nil, ErrNoInterface
	}
	if len(a.IPs) == 0 {
		a.IPs = IPs(ifaces)
	}
	svc, err := service(a)
	if err != nil {
		return nil, err
	}
	ad := &Advertiser{ips: a.IPs}
	ad.zone.svc.Store(svc)
	logger = discard(logger)
	var errs []error
	for i := range ifaces {
		srv, err := mdns.NewServer(&mdns.Config{Zone: &ad.zone, Iface: &ifaces[i], Logger: logger})
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", ifaces[i].Name, err))
			continue
		}
		ad.servers = append(ad.servers, srv)
	}
	if len(ad.servers) == 0 {
		return nil, fmt.Errorf("advertising on mDNS: %w", errors.Join(errs...))
	}
	if len(errs) > 0 {
		logger.Printf("discovery: advertising on some interfaces only: %v", errors.Join(errs...))
	}
	return ad, nil
}

// Update replaces the advertised record. Queries answered from now on
// carry the new one; the sockets stay as they are (so it may be called
// from any goroutine or thread).
func (ad *Advertiser) Update(a Announcement) error {
	if len(a.IPs) == 0 {
		a.IPs = ad.ips
	}
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
	ad.closeOnce.Do(func() {
		for _, srv := range ad.servers {
			srv.Shutdown()
		}
	})
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
	var ips []net.IP
	for _, ip := range a.IPs {
		if usable(ip) {
			ips = append(ips, ip.Unmap().AsSlice())
		}
	}
	if len(ips) == 0 {
		return nil, errors.New("advertising: no address to advertise")
	}
	for i := range txt {
		txt[i] = escapeTXT(txt[i])
	}
	host := formatID(a.ID) + ".lanarena." + domain
	return mdns.NewMDNSService(escapeLabel(instanceName(a)), Service, domain, host, a.Port, ips, txt)
}

// maxInstanceName bounds the player's name in an instance name: a DNS
// label holds 63 bytes, and "-" and the id take 9.
const maxInstanceName = 63 - 9

// instanceName is the player's name as DNS-SD browsers show it (RFC 6763
// §4.1: any UTF-8), in NFC and cut at a character to fit a label, then
// "-" and the id: "zoé-0000002a". It is the label's bytes, unescaped.
func instanceName(a Announcement) string {
	name := strings.TrimSpace(strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return -1
		}
		return r
	}, Canonical(a.Name)))
	for len(name) > maxInstanceName {
		_, size := utf8.DecodeLastRuneInString(name)
		name = name[:len(name)-size]
	}
	if name = strings.TrimSpace(name); name == "" {
		name = "player"
	}
	return name + "-" + formatID(a.ID)
}

// escapeLabel writes a label in the presentation form miekg/dns unpacks
// names into (and hashicorp/mdns compares queries with): \X for the
// characters special in names, \DDD for bytes outside printable ASCII.
func escapeLabel(label string) string {
	var b strings.Builder
	for _, c := range []byte(label) {
		switch {
		case strings.IndexByte(`. '@;()"\`, c) >= 0:
			b.WriteByte('\\')
			b.WriteByte(c)
		case c < ' ' || c > '~':
			fmt.Fprintf(&b, "\\%03d", c)
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// Entry is a peer found by Browse.
type Entry struct {
	Announcement                // its IPs are the addresses seen in the answer
	Addr         netip.AddrPort // where to send: the first usable IPv4, else IPv6, and Port
	Instance     string         // DNS-SD instance name, such as "alice-1a2b3c4d"
}
