package session

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"reflect"
	"slices"
	"sync"
	"testing"
	"time"

	"lanarena/game"
	gamenet "lanarena/net"
	"lanarena/net/fleet"
)

var (
	flagRules = game.Params{Width: 56, Height: 40, TickRate: 15}
	roomRules = game.Params{Width: 80, Height: 40, TickRate: 20}
)

func config(strict bool) Config {
	return Config{
		Node: gamenet.NodeConfig{Peer: gamenet.Config{
			Name: "alice", Color: -1, Params: flagRules, Mode: gamenet.ModeP2P, Secret: "flag-secret",
			Logger: log.New(io.Discard, "", 0), Publish: true,
		}},
		Strict: strict,
	}
}

func TestWithDefault(t *testing.T) {
	cfg := gamenet.RoomsConfig{Params: flagRules, Mode: gamenet.ModeServer}
	def := gamenet.RoomInfo{Name: DefaultRoom, Mode: gamenet.ModeServer, Params: flagRules, Compatible: true}
	busy := gamenet.RoomInfo{Name: "lanparty", Players: 3}
	played := gamenet.RoomInfo{Name: DefaultRoom, Players: 2, Mode: gamenet.ModeP2P}
	for _, tc := range []struct {
		name  string
		rooms []gamenet.RoomInfo
		want  []gamenet.RoomInfo
	}{
		{"alone on the LAN: the default room, with this player's rules", nil, []gamenet.RoomInfo{def}},
		{"others play elsewhere: the default room comes last", []gamenet.RoomInfo{busy}, []gamenet.RoomInfo{busy, def}},
		{"others play in the default room: shown as seen", []gamenet.RoomInfo{busy, played}, []gamenet.RoomInfo{busy, played}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := withDefault(slices.Clone(tc.rooms), cfg)
			if !slices.EqualFunc(got, tc.want, func(a, b gamenet.RoomInfo) bool { return reflect.DeepEqual(a, b) }) {
				t.Errorf("got %+v, want %+v", got, tc.want)
			}
		})
	}
}

// Joining a room the lobby saw: which rules the player's peer gets.
func TestJoinTakesTheRulesOfTheRoomUnlessTheFlagsGaveThem(t *testing.T) {
	server := gamenet.RoomInfo{Name: "lanparty", Params: roomRules, Mode: gamenet.ModeServer}
	noMode := gamenet.RoomInfo{Name: "lanparty", Params: roomRules}
	invalid := gamenet.RoomInfo{Name: "lanparty", Params: game.Params{Width: 1, Height: 1, TickRate: 15}, Mode: gamenet.ModeServer}
	for _, tc := range []struct {
		name   string
		seen   []gamenet.RoomInfo
		strict bool
		want   gamenet.Config // Params and Mode
	}{
		{"room seen: its rules and mode", []gamenet.RoomInfo{server}, false, gamenet.Config{Params: roomRules, Mode: gamenet.ModeServer}},
		{"room seen without a mode: its rules, the flags' mode", []gamenet.RoomInfo{noMode}, false, gamenet.Config{Params: roomRules, Mode: gamenet.ModeP2P}},
		{"rules given on the command line win", []gamenet.RoomInfo{server}, true, gamenet.Config{Params: flagRules, Mode: gamenet.ModeP2P}},
		{"a room's invalid rules are not taken", []gamenet.RoomInfo{invalid}, false, gamenet.Config{Params: flagRules, Mode: gamenet.ModeP2P}},
		{"room not seen: the flags' rules", []gamenet.RoomInfo{{Name: "other", Params: roomRules}}, false, gamenet.Config{Params: flagRules, Mode: gamenet.ModeP2P}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := New(context.Background(), config(tc.strict))
			s.rooms.set(tc.seen)
			got := recordStarts(s)
			s.Join("lanparty", "")
			if len(*got) != 1 {
				t.Fatalf("started %d peers, want 1", len(*got))
			}
			p := (*got)[0].Peer
			if p.Room != "lanparty" || p.Params != tc.want.Params || p.Mode != tc.want.Mode {
				t.Errorf("got room %q rules %+v mode %v, want lanparty %+v %v", p.Room, p.Params, p.Mode, tc.want.Params, tc.want.Mode)
			}
		})
	}
}

var errRecorded = errors.New("recorded, not started")

// recordStarts makes s record the peers it would start, and start none.
func recordStarts(s *Session) *[]gamenet.NodeConfig {
	var got []gamenet.NodeConfig
	s.startFleet = func(_ context.Context, cfg gamenet.NodeConfig) (*fleet.Fleet, error) {
		got = append(got, cfg)
		return nil, errRecorded
	}
	return &got
}

func TestAFailedJoinChangesNothing(t *testing.T) {
	s := New(context.Background(), config(false))
	s.rooms.set([]gamenet.RoomInfo{{Name: "locked", Params: roomRules, Mode: gamenet.ModeServer}})
	got := recordStarts(s)
	if _, err := s.Join("locked", "typed-secret"); !errors.Is(err, errRecorded) {
		t.Fatalf("got %v, want the start's error", err)
	}
	if _, err := s.Join("other", ""); !errors.Is(err, errRecorded) {
		t.Fatalf("second join: got %v, want another attempt", err)
	}
	second := (*got)[1].Peer
	if second.Secret != "flag-secret" || second.Params != flagRules || second.Mode != gamenet.ModeP2P {
		t.Errorf("second join: got secret %q rules %+v mode %v, want the flags' (flag-secret %+v p2p)",
			second.Secret, second.Params, second.Mode, flagRules)
	}
	if first := (*got)[0].Peer; first.Secret != "typed-secret" {
		t.Errorf("first join: got secret %q, want the one typed", first.Secret)
	}
	select {
	case <-s.Started():
		t.Error("a failed join handed a peer to the pump")
	default:
	}
}

func TestNoJoinAfterClose(t *testing.T) {
	s := New(context.Background(), config(false))
	got := recordStarts(s)
	s.Close()
	s.Close()
	if _, err := s.Join("lab", ""); !errors.Is(err, ErrAlreadyPlaying) {
		t.Errorf("got %v, want %v", err, ErrAlreadyPlaying)
	}
	if len(*got) != 0 {
		t.Errorf("started %d peers after Close, want none", len(*got))
	}
}

// shown records what the lobby shows.
type shown struct {
	mu    sync.Mutex
	lists [][]gamenet.RoomInfo
	flags []bool
	ch    chan []gamenet.RoomInfo
}

func (s *shown) show(rooms []gamenet.RoomInfo, searching bool) {
	s.mu.Lock()
	s.lists = append(s.lists, rooms)
	s.flags = append(s.flags, searching)
	s.mu.Unlock()
	if s.ch != nil {
		s.ch <- rooms
	}
}

func TestLobbyWithoutMDNSOffersTheDefaultRoomOnly(t *testing.T) {
	s := New(context.Background(), config(false)) // config has MDNS off
	s.browse = func(context.Context, gamenet.RoomsConfig, func([]gamenet.RoomInfo)) {
		t.Error("browsed with mDNS off")
	}
	var sh shown
	s.Lobby(context.Background(), sh.show) // returns at once
	if len(sh.lists) != 1 || len(sh.lists[0]) != 1 || sh.lists[0][0].Name != DefaultRoom || sh.flags[0] {
		t.Errorf("showed %+v (searching %v), want the default room once, not searching", sh.lists, sh.flags)
	}
}

func TestLobbyShowsNothingOnceItsContextIsDone(t *testing.T) {
	cfg := config(false)
	cfg.Node.MDNS = true
	s := New(context.Background(), cfg)
	ctx, cancel := context.WithCancel(context.Background())
	s.browse = func(ctx context.Context, _ gamenet.RoomsConfig, report func([]gamenet.RoomInfo)) {
		cancel()
		<-ctx.Done()
		report([]gamenet.RoomInfo{{Name: "late"}}) // a report racing the end
	}
	var sh shown
	s.Lobby(ctx, sh.show)
	if len(sh.lists) != 1 || !sh.flags[0] {
		t.Errorf("showed %d lists (searching %v), want only the first, searching", len(sh.lists), sh.flags)
	}
	if _, ok := s.rooms.find("late"); !ok {
		t.Error("the late report is not in the book: joining it would not adopt its rules")
	}
}

// The whole path from the lobby to a running peer, on loopback: the
// lobby shows a room found by browsing, joining it adopts its rules,
// starts the player's peer with a bot beside it, hands the peer to the
// pump, and stops the lobby.
func TestJoinFromTheLobby(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	cfg := config(false)
	cfg.Node.MDNS = true // the lobby browses; the peers below do not
	cfg.Bots = 1
	s := New(ctx, cfg)
	defer s.Close()
	s.startFleet = func(ctx context.Context, c gamenet.NodeConfig) (*fleet.Fleet, error) {
		c.MDNS = false // never multicast outside a namespace
		return fleet.Start(ctx, c)
	}
	lanparty := gamenet.RoomInfo{Name: "lanparty", Players: 2, Params: roomRules, Mode: gamenet.ModeServer, Compatible: true}
	s.browse = func(ctx context.Context, _ gamenet.RoomsConfig, report func([]gamenet.RoomInfo)) {
		report([]gamenet.RoomInfo{lanparty})
		<-ctx.Done()
	}
	sh := shown{ch: make(chan []gamenet.RoomInfo, 4)}
	lobbyDone := make(chan struct{})
	go func() { defer close(lobbyDone); s.Lobby(ctx, sh.show) }()
	first, second := <-sh.ch, <-sh.ch
	if len(first) != 1 || first[0].Name != DefaultRoom {
		t.Fatalf("first list %+v, want the default room alone", first)
	}
	if len(second) != 2 || !reflect.DeepEqual(second[0], lanparty) || second[1].Name != DefaultRoom {
		t.Fatalf("second list %+v, want lanparty, then the default room", second)
	}

	f, err := s.Join("lanparty", "")
	if err != nil {
		t.Fatal(err)
	}
	p := f.Own().Peer
	if c := p.Config(); c.Room != "lanparty" || c.Params != roomRules || c.Mode != gamenet.ModeServer {
		t.Errorf("peer plays room %q rules %+v mode %v, want lanparty's", c.Room, c.Params, c.Mode)
	}
	select {
	case n := <-s.Started():
		if n != f.Own() {
			t.Error("the pump got another peer than the player's")
		}
	default:
		t.Error("the joined peer was not handed to the pump")
	}
	select {
	case <-lobbyDone:
	case <-ctx.Done():
		t.Fatal("the lobby still runs after the join")
	}
	if _, err := s.Join("lanparty", ""); !errors.Is(err, ErrAlreadyPlaying) {
		t.Errorf("second join: got %v, want %v", err, ErrAlreadyPlaying)
	}
	awaitBot(ctx, t, p, "Rinzler")
	s.Close()
	select {
	case <-p.Done():
	case <-ctx.Done():
		t.Fatal("the player's peer runs on after Close")
	}
}

// awaitBot reads p's snapshots until a bot named name is among its peers.
func awaitBot(ctx context.Context, t *testing.T, p *gamenet.Peer, name string) {
	t.Helper()
	var last []string
	for {
		select {
		case <-ctx.Done():
			t.Fatalf("no bot %s among the peers; last saw %v", name, last)
		case s := <-p.Snapshots():
			last = last[:0]
			for _, ps := range s.Peers {
				if string(ps.Name) == name && ps.Bot {
					return
				}
				last = append(last, fmt.Sprintf("%s(bot %v)", ps.Name, ps.Bot))
			}
		}
	}
}

// Leaving a room stops the player's peer, which tells the room, and lets
// the lobby run and the session join again.
func TestLeaveThenJoinAgain(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	s := New(ctx, config(false))
	defer s.Close()
	s.Leave() // nothing joined: nothing happens
	select {
	case <-s.Left():
		t.Fatal("a Leave without a room signalled the lobby")
	default:
	}
	first, err := s.Join("lab", "")
	if err != nil {
		t.Fatal(err)
	}
	if n := <-s.Started(); n != first.Own() {
		t.Fatal("the pump got another peer")
	}
	s.Leave()
	select {
	case <-first.Own().Peer.Done():
	case <-ctx.Done():
		t.Fatal("the first peer runs on after Leave")
	}
	select {
	case <-s.Left():
	default:
		t.Fatal("Leave did not signal the lobby")
	}
	// The lobby runs again and stops at the next join.
	sh := shown{ch: make(chan []gamenet.RoomInfo, 4)}
	lobbyDone := make(chan struct{})
	go func() { defer close(lobbyDone); s.Lobby(ctx, sh.show) }()
	<-sh.ch
	s.SetName("bob")
	second, err := s.Join("den", "")
	if err != nil {
		t.Fatalf("join after leave: %v", err)
	}
	if c := second.Own().Peer.Config(); c.Room != "den" || c.Name != "bob" {
		t.Errorf("second peer in room %q as %q, want den as bob", c.Room, c.Name)
	}
	if n := <-s.Started(); n != second.Own() {
		t.Error("the pump did not get the second peer")
	}
	select {
	case <-lobbyDone:
	case <-ctx.Done():
		t.Fatal("the lobby still runs after the second join")
	}
}

// --room NAME without rules on the command line: a short look at the LAN
// finds the room, and joining it adopts its rules.
func TestLookAdoptsTheRulesOfARoomOnTheLAN(t *testing.T) {
	fast := gamenet.RoomInfo{Name: "fast", Players: 1, Params: roomRules, Mode: gamenet.ModeP2P, Compatible: true}
	for _, tc := range []struct {
		name   string
		mdns   bool
		strict bool
		want   game.Params
	}{
		{"found: its rules", true, false, roomRules},
		{"rules given on the command line: no look", true, true, flagRules},
		{"mDNS off: no look", false, false, flagRules},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := config(tc.strict)
			cfg.Node.MDNS = tc.mdns
			s := New(context.Background(), cfg)
			s.browse = func(ctx context.Context, _ gamenet.RoomsConfig, report func([]gamenet.RoomInfo)) {
				report([]gamenet.RoomInfo{{Name: "other", Params: flagRules, Compatible: true}})
				report([]gamenet.RoomInfo{fast})
				<-ctx.Done()
			}
			found := s.Look(context.Background(), "fast", 5*time.Second) // returns once found
			got := recordStarts(s)
			s.Join("fast", "")
			if found != (tc.want == roomRules) || len(*got) != 1 || (*got)[0].Peer.Params != tc.want {
				t.Errorf("found %v, peer rules %+v, want %+v", found, (*got)[0].Peer.Params, tc.want)
			}
		})
	}
}

func TestLookGivesUpInTime(t *testing.T) {
	cfg := config(false)
	cfg.Node.MDNS = true
	s := New(context.Background(), cfg)
	s.browse = func(ctx context.Context, _ gamenet.RoomsConfig, report func([]gamenet.RoomInfo)) {
		<-ctx.Done()
	}
	if s.Look(context.Background(), "fast", 50*time.Millisecond) {
		t.Error("found a room nobody reported")
	}
}
