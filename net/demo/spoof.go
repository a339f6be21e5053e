package demo

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/netip"
	"time"

	"lanarena/game"
	"lanarena/net/transport"
	"lanarena/net/wire"
)

// SpoofReport says what Spoof sent and which drop each packet should
// count at the target.
type SpoofReport struct {
	From     netip.AddrPort
	Stranger game.PlayerID // the id of the first packet, known to nobody
	Target   game.PlayerID // the peer at the address, from its answer
	Claimed  game.PlayerID // the id the second packet claims
	Steps    []string      // one line per packet, for the terminal
}

// Spoof shows a class what a forged packet does, with one peer at to in
// room: it sends a ping as a stranger (dropped as unknown-sender; the
// peer greets the stranger with a hello that lists its members), then
// one state that claims to come from a member, sent from this address
// (dropped as spoofed: a member's packets come from its own address). It
// waits up to ctx for the peer's hello. With no other member to
// impersonate, it claims the peer's own id (dropped as own-id).
func Spoof(ctx context.Context, to netip.AddrPort, room string) (SpoofReport, error) {
	tr, err := transport.ListenUDP(netip.AddrPortFrom(netip.IPv4Unspecified(), 0))
	if err != nil {
		return SpoofReport{}, err
	}
	defer tr.Close()
	r := SpoofReport{From: tr.LocalAddr(), Stranger: game.PlayerID(rand.Uint32() | 1)}
	tag := wire.RoomTag(room)
	send := func(id game.PlayerID, seq uint32, msg wire.Message) error {
		b, err := wire.Append(nil, wire.Header{Sender: id, Seq: seq, Room: tag}, msg)
		if err == nil {
			err = tr.WriteTo(b, to)
		}
		return err
	}
	if err := send(r.Stranger, 1, &wire.Ping{Nonce: 1}); err != nil {
		return r, err
	}
	r.Steps = append(r.Steps, fmt.Sprintf("sent a ping as stranger #%08x from UDP port %d: expect drop unknown-sender", uint32(r.Stranger), r.From.Port()))
	hello, err := awaitHello(ctx, tr, to, tag)
	if err != nil {
		return r, err
	}
	r.Target, r.Claimed = hello.sender, hello.sender
	what := "its own id: expect drop own-id"
	for _, p := range hello.msg.Peers {
		if p.ID != r.Stranger && p.ID != hello.sender {
			r.Claimed, what = p.ID, fmt.Sprintf("member #%08x of %s: expect drop spoofed", uint32(p.ID), p.Addr)
			break
		}
	}
	r.Steps = append(r.Steps, fmt.Sprintf("the peer at %s (#%08x) greeted the stranger and named its members", to, uint32(r.Target)))
	state := &wire.State{Tick: 1, Life: 1, Alive: true, Head: game.Point{X: 1, Y: 1}, VertTotal: 1, Verts: []game.Point{{X: 1, Y: 1}}}
	if err := send(r.Claimed, 1<<30, state); err != nil {
		return r, err
	}
	r.Steps = append(r.Steps, "sent a state claiming "+what)
	return r, nil
}

type heardHello struct {
	sender game.PlayerID
	msg    *wire.Hello
}

// awaitHello waits for a hello of room from the peer at addr.
func awaitHello(ctx context.Context, tr transport.Transport, addr netip.AddrPort, tag uint32) (heardHello, error) {
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	for {
		select {
		case <-ctx.Done():
			return heardHello{}, errors.New("spoof: no answer from " + addr.String() + " (is a peer of this room there?)")
		case pkt, ok := <-tr.Packets():
			if !ok {
				return heardHello{}, errors.New("spoof: socket closed")
			}
			h, msg, err := wire.Decode(pkt.Data)
			if hello, isHello := msg.(*wire.Hello); err == nil && isHello && h.Room == tag {
				return heardHello{sender: h.Sender, msg: hello}, nil
			}
		}
	}
}
