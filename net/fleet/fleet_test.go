package fleet

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"net/netip"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"lanarena/game"
	gamenet "lanarena/net"
	"lanarena/net/transport"
)

// fakes records what a fleet starts and closes, in order.
type fakes struct {
	mu       sync.Mutex
	started  []string
	closed   []string
	fail     map[int]error // the nth start (1-based) fails with this error
	attempts int
	gate     chan struct{} // when set, each start waits for it
	entered  chan struct{} // when set, told each time a start begins
}

type fakeBot struct {
	name string
	f    *fakes
}

func (b fakeBot) Close() error {
	b.f.mu.Lock()
	defer b.f.mu.Unlock()
	b.f.closed = append(b.f.closed, b.name)
	return nil
}

func (f *fakes) start(name string) (io.Closer, error) {
	if f.entered != nil {
		f.entered <- struct{}{}
	}
	if f.gate != nil {
		<-f.gate
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.attempts++
	if err, ok := f.fail[f.attempts]; ok {
		return nil, err
	}
	f.started = append(f.started, name)
	return fakeBot{name, f}, nil
}

func (f *fakes) record() (started, closed []string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.started), slices.Clone(f.closed)
}

func newFake(t *testing.T, f *fakes, logs io.Writer) *Fleet {
	t.Helper()
	if logs == nil {
		logs = io.Discard
	}
	fl := newFleet(fakeBot{"own", f}.Close, f.start, log.New(logs, "", 0))
	t.Cleanup(fl.Close)
	return fl
}

func TestAddNamesBotsInTurnUpToTheRoomLimit(t *testing.T) {
	f := &fakes{}
	fl := newFake(t, f, nil)
	if err := fl.Add(MaxBots + 5); err != nil {
		t.Fatal(err)
	}
	started, _ := f.record()
	if len(started) != MaxBots || MaxBots != game.MaxPlayers-1 {
		t.Fatalf("started %d bots, want %d: the room holds %d players with the fleet's own", len(started), MaxBots, game.MaxPlayers)
	}
	for i, name := range started {
		if want := botNames[i%len(botNames)]; name != want {
			t.Errorf("bot %d: got name %q, want %q", i, name, want)
		}
	}
}

func TestRequestRemoveClosesTheNewestBot(t *testing.T) {
	f := &fakes{}
	fl := newFake(t, f, nil)
	if err := fl.Add(3); err != nil {
		t.Fatal(err)
	}
	fl.RequestRemove()
	fl.do(0) // the routine has answered every earlier request
	if _, closed := f.record(); !slices.Equal(closed, []string{"Sark"}) {
		t.Fatalf("closed %v, want the newest bot [Sark]", closed)
	}
	for range 5 { // more removals than bots: the extra ones do nothing
		fl.RequestRemove()
	}
	fl.do(0)
	if _, closed := f.record(); !slices.Equal(closed, []string{"Sark", "Quorra", "Rinzler"}) {
		t.Fatalf("closed %v, want every bot, newest first", closed)
	}
	// Names go on in turn: a new bot is not mistaken for one that left.
	fl.RequestAdd()
	fl.do(0)
	if started, _ := f.record(); started[len(started)-1] != "Clu" {
		t.Errorf("started %v, want the fourth name (Clu) last", started)
	}
}

func TestAddStopsAtTheFirstBotThatFails(t *testing.T) {
	f := &fakes{fail: map[int]error{2: errors.New("port in use")}}
	var logs bytes.Buffer
	fl := newFake(t, f, &logs)
	err := fl.Add(3)
	if err == nil || !strings.Contains(err.Error(), "port in use") {
		t.Fatalf("got %v, want the second bot's error", err)
	}
	if started, _ := f.record(); !slices.Equal(started, []string{"Rinzler"}) {
		t.Errorf("started %v, want only the first bot", started)
	}
	if !strings.Contains(logs.String(), "bot: port in use") {
		t.Errorf("logged %q, want the error", logs.String())
	}
	// The name of the bot that failed is taken by the next one.
	if err := fl.Add(1); err != nil {
		t.Fatal(err)
	}
	if started, _ := f.record(); !slices.Equal(started, []string{"Rinzler", "Quorra"}) {
		t.Errorf("started %v, want Quorra after Rinzler", started)
	}
}

func TestCloseStopsTheBotsBeforeTheOwnPeer(t *testing.T) {
	f := &fakes{}
	fl := newFake(t, f, nil)
	if err := fl.Add(2); err != nil {
		t.Fatal(err)
	}
	fl.Close()
	fl.Close()
	if _, closed := f.record(); !slices.Equal(closed, []string{"Rinzler", "Quorra", "own"}) {
		t.Errorf("closed %v, want the bots, then the own peer, once each", closed)
	}
	if err := fl.Add(1); !errors.Is(err, errClosed) {
		t.Errorf("Add after Close: got %v, want %v", err, errClosed)
	}
	fl.RequestAdd() // must not block or panic
}

// The UI asks for bots from its event loop: a request never waits, even
// while the routine is busy starting a bot; past a full queue, requests
// are dropped.
func TestRequestAddNeverWaits(t *testing.T) {
	f := &fakes{gate: make(chan struct{}), entered: make(chan struct{}, 64)}
	fl := newFake(t, f, nil)
	fl.RequestAdd()
	<-f.entered // the routine is starting the first bot and waits at the gate
	sent := make(chan struct{})
	go func() {
		defer close(sent)
		for range maxPending + 4 {
			fl.RequestAdd()
		}
	}()
	select {
	case <-sent:
	case <-time.After(10 * time.Second):
		close(f.gate)
		t.Fatal("RequestAdd waited for the busy routine")
	}
	close(f.gate)
	fl.do(0)
	if started, _ := f.record(); len(started) != 1+maxPending {
		t.Errorf("started %d bots, want %d: the one in progress and a full queue", len(started), 1+maxPending)
	}
}

func TestBotConfig(t *testing.T) {
	logger := log.New(io.Discard, "", 0)
	own := gamenet.NodeConfig{
		Peer: gamenet.Config{
			Name: "alice", Color: 3, Room: "lab", Params: game.Params{Width: 80, Height: 40, TickRate: 20},
			Mode: gamenet.ModeServer, Host: true, Spectator: true, Secret: "s3", Seed: 42, Logger: logger, Publish: true,
		},
		Port:   7777,
		Joins:  []netip.AddrPort{netip.MustParseAddrPort("10.0.0.9:4000")},
		MDNS:   true,
		Iface:  "eth1",
		Impair: transport.ImpairConfig{Loss: 0.2},
	}
	got := botConfig(own, 7777, "Quorra")
	want := gamenet.NodeConfig{
		Peer: gamenet.Config{
			Name: "Quorra", Color: -1, Room: "lab", Params: own.Peer.Params, Mode: gamenet.ModeServer,
			Bot: true, Secret: "s3", Logger: logger,
		},
		Joins: []netip.AddrPort{netip.MustParseAddrPort("127.0.0.1:7777")},
		MDNS:  true,
		Iface: "eth1",
	}
	if fmt.Sprintf("%+v", got) != fmt.Sprintf("%+v", want) {
		t.Errorf("bot config:\n got %+v\nwant %+v", got, want)
	}
}

// Real peers on loopback, mDNS off: bots find the fleet's own peer by the
// loopback join alone, and one removed leaves the room at once.
func TestBotsJoinTheOwnPeerOverLoopback(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	own := gamenet.NodeConfig{Peer: gamenet.Config{
		Name: "alice", Color: -1, Room: "fleet-test", Params: game.DefaultParams(), Mode: gamenet.ModeP2P, Publish: true,
	}}
	fl, err := Start(ctx, own)
	if err != nil {
		t.Fatal(err)
	}
	defer fl.Close()
	if err := fl.Add(2); err != nil {
		t.Fatal(err)
	}
	p := fl.Own().Peer
	awaitPeers(ctx, t, p, "both bots seen as bots", func(peers map[string]bool) bool {
		return len(peers) == 2 && peers["Rinzler"] && peers["Quorra"]
	})
	fl.RequestRemove()
	awaitPeers(ctx, t, p, "Quorra gone, Rinzler still there", func(peers map[string]bool) bool {
		_, quorra := peers["Quorra"]
		return !quorra && peers["Rinzler"]
	})
	fl.Close()
	select {
	case <-p.Done():
	case <-ctx.Done():
		t.Fatal("own peer still running after Close")
	}
}

// awaitPeers reads p's published snapshots until cond holds for its peers
// (name -> is a bot) or ctx ends.
func awaitPeers(ctx context.Context, t *testing.T, p *gamenet.Peer, what string, cond func(map[string]bool) bool) {
	t.Helper()
	var last map[string]bool
	for {
		select {
		case <-ctx.Done():
			t.Fatalf("waiting for %s: last saw %v", what, last)
		case s := <-p.Snapshots():
			last = map[string]bool{}
			for _, ps := range s.Peers {
				last[string(ps.Name)] = ps.Bot
			}
			if cond(last) {
				return
			}
		}
	}
}
