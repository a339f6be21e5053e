package net

import (
	"net/netip"
	"testing"
	"time"

	"lanarena/game"
	"lanarena/net/transport"
	"lanarena/net/wire"
)

// TestOneMachineTwoAddresses: a peer on this machine (a bot of the same
// process, say) is heard over loopback first and then at this machine's
// LAN address, at the same port: one socket, so one member, and its
// packets are not spoofed. The same id from another machine still is.
func TestOneMachineTwoAddresses(t *testing.T) {
	lan := netip.AddrFrom4([4]byte{10, 0, 0, 5})
	mk := func(id game.PlayerID, name string, port uint16) *core {
		p, err := New(Config{Name: name, Color: -1, Room: "r", Params: game.DefaultParams(), ID: id,
			Addr: netip.AddrPortFrom(lan, port)}, benchDiscard{addr: netip.AddrPortFrom(netip.IPv4Unspecified(), port)})
		if err != nil {
			t.Fatal(err)
		}
		l, err := newCore(p, time.Now())
		if err != nil {
			t.Fatal(err)
		}
		return l
	}
	player, bot := mk(1, "player", 7000), mk(2, "bot", 7001)
	now := time.Now()
	seq := uint32(0)
	from := func(src netip.Addr, msg wire.Message) {
		t.Helper()
		seq++
		b, err := wire.Append(nil, wire.Header{Sender: bot.p.id, Seq: seq, Room: bot.p.room}, msg)
		if err != nil {
			t.Fatal(err)
		}
		now = now.Add(10 * time.Millisecond)
		player.handle(transport.Packet{Data: b, From: netip.AddrPortFrom(src, 7001), At: now}, now)
	}
	lo := netip.AddrPortFrom(loopback4, 7001)
	from(loopback4, &wire.HelloProof{Cookie: player.cookies.make(lo, now), Hello: *bot.hello(wire.HelloReply)}) // the handshake's last step
	if m := player.members[2]; m == nil {
		t.Fatalf("the bot's hello over loopback made no member")
	}
	from(lan, bot.hello(wire.HelloReply))
	from(lan, &wire.Ping{Nonce: 1})
	if n := player.drops[DropSpoofed]; n != 0 {
		t.Errorf("%d packets of the bot's from this machine's LAN address dropped as spoofed, want 0", n)
	}
	if got := len(player.members); got != 1 {
		t.Errorf("%d members, want the bot once", got)
	}
	from(netip.AddrFrom4([4]byte{10, 0, 0, 9}), &wire.Ping{Nonce: 2})
	if n := player.drops[DropSpoofed]; n != 1 {
		t.Errorf("the bot's id from another machine: %d spoofed drops, want 1", n)
	}
	player.addCandidate(netip.AddrPortFrom(lan, 7001), true, now)
	if _, ok := player.candidates[netip.AddrPortFrom(lan, 7001)]; ok {
		t.Errorf("the bot's LAN address became a candidate although the bot is a member")
	}
}
