package main

import (
	"context"
	"fmt"
	"log"
	"net/netip"
	"sync"

	gamenet "lanarena/net"
)

// botNames are the names the in-process bots take, in turn.
var botNames = []string{"Rinzler", "Quorra", "Sark", "Clu", "Yori", "Ram", "Gem", "Zuse", "Castor", "Dumont", "Tesler", "Crom"}

// fleet is every peer this process runs: the player's (or the --bot's)
// node and any number of bot nodes, each a full peer with its own socket
// and mDNS registration. One goroutine, routine, owns the list of bots.
type fleet struct {
	ctx    context.Context
	o      *options
	logger *log.Logger
	room   string

	main    *gamenet.Node
	reqs    chan botReq
	quit    chan struct{}
	exited  chan struct{}
	once    sync.Once
	started bool
}

type botReq struct {
	delta int
	done  chan error // nil: nobody waits
}

func newFleet(ctx context.Context, o *options, logger *log.Logger, room string) *fleet {
	f := &fleet{
		ctx:    ctx,
		o:      o,
		logger: logger,
		room:   room,
		reqs:   make(chan botReq, 16),
		quit:   make(chan struct{}),
		exited: make(chan struct{}),
	}
	go f.routine()
	return f
}

func (f *fleet) nodeConfig(name string, color int, bot, spectate bool) gamenet.NodeConfig {
	o := f.o
	return gamenet.NodeConfig{
		Peer: gamenet.Config{
			Name:      name,
			Color:     color,
			Room:      f.room,
			Params:    o.params(),
			Mode:      o.mode,
			Host:      o.host,
			Bot:       bot,
			Spectator: spectate,
			Secret:    o.secret,
			Seed:      o.seed,
			Logger:    f.logger,
		},
		MDNS:  !o.noMDNS,
		Iface: o.iface,
	}
}

// start runs this process's own peer: the player's, or the headless bot's.
func (f *fleet) start(name string, color int, bot, spectate bool) (*gamenet.Node, error) {
	cfg := f.nodeConfig(name, color, bot, spectate)
	cfg.Port = f.o.port
	cfg.Joins = f.o.joinAddrs()
	cfg.Impair = f.o.impair
	cfg.Peer.Publish = !bot
	n, err := gamenet.StartNode(f.ctx, cfg)
	if err != nil {
		return nil, err
	}
	f.main = n
	return n, nil
}

// addBots starts n bots and waits until they run.
func (f *fleet) addBots(n int) error {
	for range n {
		done := make(chan error, 1)
		f.reqs <- botReq{delta: +1, done: done}
		if err := <-done; err != nil {
			return err
		}
	}
	return nil
}

// requestBot asks for one bot more (+1) or less (-1) without waiting: the
// UI calls it from its event loop.
func (f *fleet) requestBot(delta int) {
	select {
	case f.reqs <- botReq{delta: delta}:
	default:
	}
}

// routine owns the bots. It exits when close is called, after closing
// every bot (each sends its leave).
func (f *fleet) routine() {
	defer close(f.exited)
	var bots []*gamenet.Node
	next := 0
	for {
		select {
		case <-f.quit:
			for _, b := range bots {
				b.Close()
			}
			return
		case r := <-f.reqs:
			var err error
			switch {
			case r.delta > 0 && len(bots) < 31:
				var b *gamenet.Node
				b, err = f.startBot(botNames[next%len(botNames)])
				if err == nil {
					bots = append(bots, b)
					next++
				}
			case r.delta < 0 && len(bots) > 0:
				bots[len(bots)-1].Close()
				bots = bots[:len(bots)-1]
			}
			if err != nil {
				f.logger.Printf("bot: %v", err)
			}
			if r.done != nil {
				r.done <- err
			}
		}
	}
}

func (f *fleet) startBot(name string) (*gamenet.Node, error) {
	cfg := f.nodeConfig(name, -1, true, false)
	cfg.Peer.Seed = 0     // each bot its own randomness
	cfg.Peer.Host = false // --host is the player's wish, not its bots'
	if f.main != nil {
		a := f.main.Addr()
		cfg.Joins = []netip.AddrPort{netip.AddrPortFrom(netip.AddrFrom4([4]byte{127, 0, 0, 1}), a.Port())}
	}
	n, err := gamenet.StartNode(f.ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("start bot %s: %w", name, err)
	}
	return n, nil
}

// close stops the bots, then this process's own peer. Idempotent.
func (f *fleet) close() {
	f.once.Do(func() {
		close(f.quit)
		<-f.exited
		if f.main != nil {
			f.main.Close()
		}
	})
}
