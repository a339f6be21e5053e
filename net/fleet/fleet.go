// Package fleet runs the peers of one process: its own (the player's, or
// the headless --bot's) and any number of bots beside it, each a full peer
// with its own socket and mDNS registration, as a bot on another machine
// would be.
package fleet

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"net/netip"
	"sync"

	"lanarena/game"
	gamenet "lanarena/net"
)

// MaxBots is how many bots a fleet runs at most: a room holds
// game.MaxPlayers players and the fleet's own peer takes one seat.
const MaxBots = game.MaxPlayers - 1

// botNames are the names the bots take, in turn.
var botNames = []string{"Rinzler", "Quorra", "Sark", "Clu", "Yori", "Ram", "Gem", "Zuse", "Castor", "Dumont", "Tesler", "Crom"}

// Fleet is this process's own peer and its bots. One goroutine, routine,
// owns the list of bots; every method may be called from any goroutine.
type Fleet struct {
	own      *gamenet.Node
	closeOwn func() error                         // own.Close; a fake in tests
	startBot func(name string) (io.Closer, error) // starts a bot beside own
	logger   *log.Logger

	reqs   chan request
	quit   chan struct{}
	exited chan struct{}
	once   sync.Once
}

// maxPending is how many bot requests wait for the routine; more are
// dropped (a key held down must not queue dozens of bots).
const maxPending = 16

type request struct {
	delta int        // +1 one bot more, -1 one less, 0 nothing (a barrier for tests)
	done  chan error // nil: nobody waits
}

// Start runs this process's own peer as own describes it, and a fleet
// ready to run bots beside it. ctx bounds the life of every peer; Close
// ends it earlier.
func Start(ctx context.Context, own gamenet.NodeConfig) (*Fleet, error) {
	n, err := gamenet.StartNode(ctx, own)
	if err != nil {
		return nil, err
	}
	port := n.Addr().Port()
	start := func(name string) (io.Closer, error) {
		b, err := gamenet.StartNode(ctx, botConfig(own, port, name))
		if err != nil {
			return nil, fmt.Errorf("start bot %s: %w", name, err)
		}
		return b, nil
	}
	f := newFleet(n.Close, start, own.Peer.Logger)
	f.own = n
	return f, nil
}

func newFleet(closeOwn func() error, startBot func(string) (io.Closer, error), logger *log.Logger) *Fleet {
	if logger == nil {
		logger = log.New(io.Discard, "", 0)
	}
	f := &Fleet{
		closeOwn: closeOwn,
		startBot: startBot,
		logger:   logger,
		reqs:     make(chan request, maxPending),
		quit:     make(chan struct{}),
		exited:   make(chan struct{}),
	}
	go f.routine()
	return f
}

// Beside is the configuration of another player of this process beside
// own (a bot, an SSH player): in own's room with its rules and secret,
// logging where own logs, announced by mDNS when mdns is set, and joined
// to own over loopback at ownPort so that it finds the room even without
// mDNS. It has its own randomness and never hosts: --host and --seed are
// the player's wishes.
func Beside(own gamenet.Config, ownPort uint16, name string, mdns bool, iface string) gamenet.NodeConfig {
	return gamenet.NodeConfig{
		Peer: gamenet.Config{
			Name:   name,
			Color:  -1,
			Room:   own.Room,
			Params: own.Params,
			Mode:   own.Mode,
			Secret: own.Secret,
			Logger: own.Logger,
		},
		Joins: []netip.AddrPort{netip.AddrPortFrom(netip.AddrFrom4([4]byte{127, 0, 0, 1}), ownPort)},
		MDNS:  mdns,
		Iface: iface,
	}
}

// botConfig is a bot beside own.
func botConfig(own gamenet.NodeConfig, ownPort uint16, name string) gamenet.NodeConfig {
	c := Beside(own.Peer, ownPort, name, own.MDNS, own.Iface)
	c.Peer.Bot = true
	return c
}

// Own is this process's own peer.
func (f *Fleet) Own() *gamenet.Node { return f.own }

// Add starts n bots, one after the other, and returns once they run or
// at the first that fails. Bots past MaxBots are not started.
func (f *Fleet) Add(n int) error {
	for range n {
		if err := f.do(+1); err != nil {
			return err
		}
	}
	return nil
}

// RequestAdd asks for one bot more and RequestRemove for one less (the
// newest), without waiting: the UI calls them from its event loop. A
// request is dropped when maxPending are already waiting.
func (f *Fleet) RequestAdd()    { f.request(request{delta: +1}) }
func (f *Fleet) RequestRemove() { f.request(request{delta: -1}) }

func (f *Fleet) request(r request) {
	select {
	case f.reqs <- r:
	default:
	}
}

// do asks the routine for delta and waits for its answer.
func (f *Fleet) do(delta int) error {
	done := make(chan error, 1)
	select {
	case f.reqs <- request{delta: delta, done: done}:
	case <-f.exited:
		return errClosed
	}
	select {
	case err := <-done:
		return err
	case <-f.exited:
		return errClosed
	}
}

var errClosed = errors.New("fleet closed")

// routine owns the bots. It exits when Close is called, after closing
// every bot (each sends its leave).
func (f *Fleet) routine() {
	defer close(f.exited)
	var bots []io.Closer
	next := 0 // index of the next bot's name
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
			case r.delta > 0 && len(bots) < MaxBots:
				var b io.Closer
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

// Close stops the bots, then this process's own peer, so that the room
// hears every bot leave before the peer that brought them. Idempotent.
func (f *Fleet) Close() {
	f.once.Do(func() {
		close(f.quit)
		<-f.exited
		f.closeOwn()
	})
}
