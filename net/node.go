package net

import (
	"context"
	"fmt"
	"io"
	"log"
	stdnet "net"
	"net/netip"
	"sync"
	"time"

	"lanarena/game"
	"lanarena/net/discovery"
	"lanarena/net/transport"
	"lanarena/net/wire"
)

// NodeConfig wires a Peer to the real world: a UDP socket, optional
// impairment, mDNS advertising and browsing, and --join addresses.
type NodeConfig struct {
	Peer   Config
	Port   int              // UDP port; 0 picks a free one
	Joins  []netip.AddrPort // peers to say hello to at once
	MDNS   bool             // advertise and browse with mDNS
	Iface  string           // network interface for mDNS ("" for all)
	Impair transport.ImpairConfig
}

// mDNS browsing pace.
const (
	browseSlowAfter = 10 * time.Second
	browseSlowEvery = 3 * time.Second
)

// Node is a running peer with its socket and its discovery.
type Node struct {
	Peer *Peer

	udp       *transport.UDP
	tr        transport.Transport
	mu        sync.Mutex // guards adv, ann and role: the peer loop sets the role
	adv       *discovery.Advertiser
	ann       discovery.Announcement
	role      string
	idle      string // the role when not hosting: "spectator" or none (a player)
	slow      *time.Timer
	cancel    context.CancelFunc
	wg        sync.WaitGroup
	closeOnce sync.Once
}

// StartNode opens the socket, starts the peer loop and, with MDNS set,
// advertises this player and browses for the others of its room.
func StartNode(ctx context.Context, cfg NodeConfig) (*Node, error) {
	logger := cfg.Peer.Logger
	if logger == nil {
		logger = log.New(io.Discard, "", 0)
		cfg.Peer.Logger = logger
	}
	udp, err := transport.ListenUDP(netip.AddrPortFrom(netip.IPv4Unspecified(), uint16(cfg.Port)))
	if err != nil {
		return nil, fmt.Errorf("listen on UDP port %d: %w", cfg.Port, err)
	}
	var tr transport.Transport = udp
	if cfg.Impair.Enabled() {
		tr = transport.Impair(udp, cfg.Impair)
		cfg.Peer.Impairment = cfg.Impair.String()
	}
	ifaces := discoveryInterfaces(&cfg, logger)
	if !cfg.Peer.Addr.IsValid() {
		ip := netip.AddrFrom4([4]byte{127, 0, 0, 1})
		if ips := discovery.IPs(ifaces); len(ips) > 0 {
			ip = ips[0]
		}
		cfg.Peer.Addr = netip.AddrPortFrom(ip, udp.LocalAddr().Port())
	}
	n := &Node{udp: udp, tr: tr, idle: idleRole(cfg.Peer)}
	n.role = n.idle
	if cfg.MDNS && cfg.Peer.Mode == ModeServer {
		cfg.Peer.OnHost = n.hosting
	}
	p, err := New(cfg.Peer, tr)
	if err != nil {
		tr.Close()
		return nil, err
	}
	udp.LimitSources(transportLimit(p.cfg)) // a flood from one address stops at the reader
	udp.RequirePrefix(wire.Magic())         // and junk in the kernel, where it can
	ctx, cancel := context.WithCancel(ctx)
	n.Peer, n.cancel = p, cancel
	n.wg.Add(1)
	go func() {
		defer n.wg.Done()
		p.Run(ctx) // its error stays in p.Err
	}()
	for _, a := range cfg.Joins {
		p.Join(a)
	}
	if cfg.MDNS {
		if err := n.startMDNS(ctx, cfg, ifaces, logger); err != nil {
			n.Close()
			return nil, err
		}
	}
	return n, nil
}

// discoveryInterfaces returns the interfaces mDNS uses (none without
// MDNS). With none usable, the game plays without discovery: it turns
// MDNS off and says so in the log and in a standing notice.
func discoveryInterfaces(cfg *NodeConfig, logger *log.Logger) []stdnet.Interface {
	if !cfg.MDNS {
		return nil
	}
	ifaces, err := discovery.Interfaces(cfg.Iface)
	if err != nil {
		cfg.MDNS = false
		cfg.Peer.Notice = "no LAN discovery (no network): others join with --join HOST:PORT"
		logger.Printf("discovery off: %v; the game plays on, and others join with --join HOST:PORT", err)
	}
	return ifaces
}

func (n *Node) startMDNS(ctx context.Context, cfg NodeConfig, ifaces []stdnet.Interface, logger *log.Logger) error {
	p := n.Peer
	ips := discovery.IPs(ifaces)
	ann := discovery.Announcement{
		ID:       uint32(p.id),
		Name:     p.cfg.Name,
		Room:     p.cfg.Room,
		Mode:     p.cfg.Mode.String(),
		Version:  wire.Version,
		Port:     int(n.udp.LocalAddr().Port()),
		IPs:      ips,
		Locked:   p.cfg.Secret != "",
		Width:    p.cfg.Params.Width,
		Height:   p.cfg.Params.Height,
		TickRate: p.cfg.Params.TickRate,
		FirstTo:  p.cfg.Params.FirstTo,
	}
	// Advertise outside the lock (it opens sockets); the loop may change
	// the role meanwhile, so install the advertiser, then bring it up to
	// date.
	adv, err := discovery.AdvertiseOn(ann, ifaces, logger)
	if err != nil {
		return fmt.Errorf("mDNS advertise: %w", err)
	}
	n.mu.Lock()
	defer n.mu.Unlock()
	ann.Role = n.role
	n.ann, n.adv = ann, adv
	if err := adv.Update(ann); err != nil {
		logger.Printf("mDNS update: %v", err)
	}
	// Look about every second at first, then more slowly: once playing,
	// newcomers find us (they query at once) and gossip fills the gaps.
	var only []stdnet.Interface // --iface narrows; else every usable one, listed at each query
	if cfg.Iface != "" {
		only = ifaces
	}
	br := discovery.NewBrowser(discovery.BrowseConfig{Logger: logger, Interval: time.Second, Interfaces: only})
	n.slow = time.AfterFunc(browseSlowAfter, func() { br.SetInterval(browseSlowEvery) })
	n.wg.Add(1)
	go func() {
		defer n.wg.Done()
		br.Run(ctx, func(e discovery.Entry) {
			if !discovery.SameName(e.Room, p.cfg.Room) || game.PlayerID(e.ID) == p.id {
				return
			}
			p.AddCandidate(e.Addr, game.PlayerID(e.ID))
		})
	}()
	return nil
}

// hosting updates the mDNS record when this peer starts or stops hosting
// a server-mode room. The peer loop calls it; Update does not block.
func (n *Node) hosting(host bool) {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.role = n.idle
	if host {
		n.role = "host"
	}
	n.ann.Role = n.role
	if n.adv != nil {
		if err := n.adv.Update(n.ann); err != nil {
			n.Peer.log.Printf("mDNS update: %v", err)
		}
	}
}

// Addr is the address others reach the node at (its UDP port on the
// first address of a discovery interface, else on loopback).
func (n *Node) Addr() netip.AddrPort { return n.Peer.Addr() }

// Traffic counts every datagram this node's socket sent and received,
// whatever its kind (mDNS, on sockets of its own, is not included): the
// bench harness reads it through lanarena --trace.
func (n *Node) Traffic() transport.Stats { return n.udp.Stats() }

// Close tells the room this peer leaves, stops discovery and closes the
// socket, in that order. It is idempotent and waits for every goroutine.
func (n *Node) Close() error {
	n.closeOnce.Do(func() {
		n.Peer.Stop()   // the loop sends its leave while the socket is open
		<-n.Peer.Done() //
		n.cancel()      // then browsing stops
		if n.slow != nil {
			n.slow.Stop()
		}
		n.mu.Lock()
		if n.adv != nil {
			n.adv.Close()
		}
		n.mu.Unlock()
		n.tr.Close() // and the socket closes last
		n.wg.Wait()
	})
	return nil
}

// Err is what the peer loop returned, once it has.
func (n *Node) Err() error { return n.Peer.Err() }

// idleRole is what a peer announces itself as when it does not host: the
// lobby counts spectators apart from players.
func idleRole(cfg Config) string {
	if cfg.Spectator {
		return "spectator"
	}
	return ""
}
