package demo

import (
	"context"
	"fmt"
	"net/netip"
	"sync"

	gamenet "lanarena/net"
	"lanarena/net/transport"
)

// set is the room's peers in one model: each runs its loop on a
// goroutine of its own over a loopback UDP socket.
type set struct {
	you, far *gamenet.Peer
	link     *transport.Impaired // the far peer's transport
	cancel   context.CancelFunc
	wg       sync.WaitGroup
	closers  []transport.Transport
}

// start runs the room's peers in mode: the player's first, then the far
// peer behind its link (the host in server mode: the far end is where
// the authority is) and the bots, all told the player's address.
func (r *Room) start(mode gamenet.Mode) (*set, error) {
	ctx, cancel := context.WithCancel(context.Background())
	s := &set{cancel: cancel}
	base := gamenet.Config{Room: "demo", Params: r.cfg.Params, Mode: mode, Color: -1, Logger: r.logger}
	you := base
	you.Name, you.Seed, you.Publish = r.cfg.Name, r.cfg.Seed+1, true
	var err error
	if s.you, _, err = s.run(ctx, you, nil); err != nil {
		s.close()
		return nil, err
	}
	join := s.you.Addr()
	far := base
	far.Name, far.Seed, far.Publish, far.Host = "far", r.cfg.Seed+2, true, true
	r.mu.Lock()
	link := r.link
	r.mu.Unlock()
	if s.far, s.link, err = s.run(ctx, far, &link, join); err != nil {
		s.close()
		return nil, err
	}
	s.link.SetConfig(link.impair(r.cfg.Seed))
	for i := range r.cfg.Bots {
		bot := base
		bot.Name, bot.Seed, bot.Bot = fmt.Sprintf("bot%d", i+1), r.cfg.Seed+3+uint64(i), true
		if _, _, err := s.run(ctx, bot, nil, join); err != nil {
			s.close()
			return nil, err
		}
	}
	return s, nil
}

// run starts one peer on a fresh loopback socket, behind an impairing
// link when link is set, told of the addresses in joins.
func (s *set) run(ctx context.Context, cfg gamenet.Config, link *Link, joins ...netip.AddrPort) (*gamenet.Peer, *transport.Impaired, error) {
	udp, err := transport.ListenUDP(netip.AddrPortFrom(loopback, 0))
	if err != nil {
		return nil, nil, fmt.Errorf("demo: %w", err)
	}
	var tr transport.Transport = udp
	var imp *transport.Impaired
	if link != nil {
		imp = transport.Impair(udp, transport.ImpairConfig{})
		tr = imp
	}
	s.closers = append(s.closers, tr)
	p, err := gamenet.New(cfg, tr)
	if err != nil {
		return nil, nil, err
	}
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		p.Run(ctx) // its error stays in p.Err
	}()
	for _, a := range joins {
		p.Join(a)
	}
	return p, imp, nil
}

// close stops every peer (each sends its leave) and closes the sockets.
func (s *set) close() {
	s.cancel()
	s.wg.Wait()
	for _, tr := range s.closers {
		tr.Close()
	}
}
