package main

import (
	"io"
	"log"
	"net/netip"
	"slices"
	"strconv"
	"testing"

	gamenet "lanarena/net"
	"lanarena/net/fleet"
)

// The flags reach the player's peer: each case names the flags and what
// they must change in the peer's configuration.
func TestFlagsConfigureTheOwnPeer(t *testing.T) {
	logger := log.New(io.Discard, "", 0)
	for _, tc := range []struct {
		args  []string
		check func(gamenet.NodeConfig) bool
	}{
		{nil, func(c gamenet.NodeConfig) bool {
			return c.Peer.Publish && !c.Peer.Bot && c.MDNS && c.Peer.Mode == gamenet.ModeP2P && c.Peer.Color == -1 && c.Port == 0
		}},
		{[]string{"--bot"}, func(c gamenet.NodeConfig) bool { return c.Peer.Bot && !c.Peer.Publish }},
		{[]string{"--spectate"}, func(c gamenet.NodeConfig) bool { return c.Peer.Spectator && c.Peer.Publish }},
		{[]string{"--no-mdns", "--join", "127.0.0.1:4000", "--port", "7777"}, func(c gamenet.NodeConfig) bool {
			return !c.MDNS && c.Port == 7777 && slices.Equal(c.Joins, []netip.AddrPort{netip.MustParseAddrPort("127.0.0.1:4000")})
		}},
		{[]string{"--mode", "server", "--host", "--secret", "s3", "--seed", "7", "--color", "4", "--name", "bob"}, func(c gamenet.NodeConfig) bool {
			p := c.Peer
			return p.Mode == gamenet.ModeServer && p.Host && p.Secret == "s3" && p.Seed == 7 && p.Color == 4 && p.Name == "bob"
		}},
		{[]string{"--width", "80", "--tick", "20", "--iface", "eth1"}, func(c gamenet.NodeConfig) bool {
			return c.Peer.Params.Width == 80 && c.Peer.Params.TickRate == 20 && c.Iface == "eth1"
		}},
		{[]string{"--loss", "20", "--delay", "150ms"}, func(c gamenet.NodeConfig) bool {
			return c.Impair.Loss == 0.2 && c.Impair.Delay.Milliseconds() == 150
		}},
	} {
		o, err := parseOptions(tc.args, io.Discard)
		if err != nil {
			t.Fatalf("%v: %v", tc.args, err)
		}
		c := o.nodeConfig("lab", logger)
		if c.Peer.Room != "lab" || c.Peer.Logger != logger || !tc.check(c) {
			t.Errorf("%v: got %+v", tc.args, c)
		}
	}
}

// --bots fills the room with the player, and no more: the limit is the
// fleet's, the same one the b key meets in the game.
func TestBotsFlagStopsAtTheFleetLimit(t *testing.T) {
	for _, tc := range []struct {
		bots int
		ok   bool
	}{{0, true}, {fleet.MaxBots, true}, {fleet.MaxBots + 1, false}, {-1, false}} {
		_, err := parseOptions([]string{"--bots", strconv.Itoa(tc.bots)}, io.Discard)
		if (err == nil) != tc.ok {
			t.Errorf("--bots %d: got error %v, want ok=%v", tc.bots, err, tc.ok)
		}
	}
}
