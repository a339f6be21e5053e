package net

import (
	"fmt"
	"net/netip"
	"testing"
	"time"

	"lanarena/game"
	"lanarena/net/transport"
	"lanarena/net/wire"
)

// benchDiscard loses every packet: a loop driven by hand needs
// somewhere to send its hellos and trail requests.
type benchDiscard struct{ addr netip.AddrPort }

func (t benchDiscard) WriteTo([]byte, netip.AddrPort) error { return nil }
func (t benchDiscard) Packets() <-chan transport.Packet     { return nil }
func (t benchDiscard) LocalAddr() netip.AddrPort            { return t.addr }
func (t benchDiscard) Close() error                         { return nil }

const benchRoom = "bench"

// benchLoop makes a peer's core, with its own cycle in the arena, over
// tr; no goroutine drives it.
func benchLoop(b *testing.B, id game.PlayerID, tr transport.Transport) *core {
	b.Helper()
	p, err := New(Config{Name: fmt.Sprintf("p%d", id), Color: -1, Room: benchRoom, Params: game.DefaultParams(), ID: id, Seed: uint64(id)}, tr)
	if err != nil {
		b.Fatal(err)
	}
	l, err := newCore(p, time.Now())
	if err != nil {
		b.Fatal(err)
	}
	return l
}

// benchPacket encodes msg from sender as a received datagram.
func benchPacket(b *testing.B, sender game.PlayerID, seq uint32, from netip.AddrPort, at time.Time, msg wire.Message) transport.Packet {
	b.Helper()
	data, err := wire.Append(nil, wire.Header{Sender: sender, Seq: seq, Room: wire.RoomTag(benchRoom)}, msg)
	if err != nil {
		b.Fatal(err)
	}
	return transport.Packet{Data: data, From: from, At: at}
}

// benchSquareWave is a trail of about n vertices on p's arena: a square wave
// of the given amplitude, band under band, turning every few cells. It
// returns the vertices, the head and the heading.
func benchSquareWave(p game.Params, n, amp int) ([]game.Point, game.Point, game.Dir) {
	pos := game.Point{}
	verts := []game.Point{pos}
	dx, top := 1, 0
	for len(verts) < n+1 {
		if pos.X+dx < 0 || pos.X+dx >= p.Width {
			if pos.Y == top { // finish the wave before leaving the band
				pos.Y = top + amp
				verts = append(verts, pos)
			}
			top += amp + 2
			if top+amp >= p.Height {
				break
			}
			pos.Y = top
			verts = append(verts, pos)
			dx = -dx
			continue
		}
		pos.X += dx
		verts = append(verts, pos)
		if pos.Y == top {
			pos.Y = top + amp
		} else {
			pos.Y = top
		}
		verts = append(verts, pos)
	}
	head := verts[len(verts)-1]
	verts = verts[:len(verts)-1]
	last := verts[len(verts)-1]
	dir := game.Right
	switch {
	case head.X < last.X:
		dir = game.Left
	case head.Y > last.Y:
		dir = game.Down
	case head.Y < last.Y:
		dir = game.Up
	}
	return verts, head, dir
}

// BenchmarkReceiveState measures one remote state taken end to end by the
// loop: rate limit, header checks, decode, staleness and plausibility,
// trail merge, game.State.Merge of the whole cycle, the probe's hook off.
// The receiver already holds the owner's whole trail (long or full of
// turns), as in play; the arena's grid is repainted later, once per tick,
// and is not part of this figure.
func BenchmarkReceiveState(b *testing.B) {
	params := game.DefaultParams()
	for _, tc := range []struct {
		name     string
		verts    int
		amp      int
		minCells int
	}{
		{"cells=300", 0, 0, 300},    // rows end to end: few turns
		{"verts=300", 300, 6, 1000}, // a turn every few cells
	} {
		b.Run(tc.name, func(b *testing.B) {
			var verts []game.Point
			var head game.Point
			var dir game.Dir
			if tc.amp == 0 {
				verts, head, dir = benchSerpentine(params, 300)
			} else {
				verts, head, dir = benchSquareWave(params, tc.verts, tc.amp)
			}
			const owner = game.PlayerID(2)
			from := netip.MustParseAddrPort("10.0.0.2:4000")
			l := benchLoop(b, 1, benchDiscard{netip.MustParseAddrPort("10.0.0.1:4000")})
			now := time.Now()
			seq := uint32(1)
			l.handle(benchPacket(b, owner, seq, from, now, &wire.HelloProof{Cookie: l.cookies.make(from, now),
				Hello: wire.Hello{Params: params, Name: "owner", Room: benchRoom}}), now)
			state := func(tick uint32) *wire.State {
				return &wire.State{Tick: tick, Life: 1, Alive: true, Dir: dir, Head: head,
					VertTotal: uint16(len(verts)), Verts: verts[len(verts)-stateVerts:]}
			}
			seq++
			l.handle(benchPacket(b, owner, seq, from, now, state(1)), now)
			seq++
			l.handle(benchPacket(b, owner, seq, from, now, &wire.Trail{Life: 1, From: 0, Total: uint16(len(verts)), Verts: verts}), now)
			c := l.st.Cycle(owner)
			if c == nil || len(c.Verts) != len(verts) || c.TrailLen() < tc.minCells {
				b.Fatalf("replica not built: %+v, drops %v", c, l.drops)
			}
			m := l.model.(*p2p).replicas[owner]

			// Packets numbered on, one tick apart on the receiver's clock
			// (its rate limit allows 150/s per source).
			const ring = 4096
			pkts := make([]transport.Packet, ring)
			for i := range pkts {
				pkts[i] = benchPacket(b, owner, seq+1+uint32(i), from, time.Time{}, state(2+uint32(i)))
			}
			at := now
			i := 0
			cells := c.TrailLen()
			b.ReportAllocs()
			for b.Loop() {
				if i == ring { // start the run of numbers again
					i = 0
					m.stateSeq, m.haveState = seq, false // and a new clock: the next state does not follow
				}
				at = at.Add(time.Second / 15)
				pkts[i].At = at
				l.handle(pkts[i], pkts[i].At)
				i++
			}
			if m.stateSeq <= seq {
				b.Fatalf("no state applied: drops %v", l.drops)
			}
			b.ReportMetric(float64(len(verts)), "verts")
			b.ReportMetric(float64(cells), "cells")
		})
	}
}

// benchSerpentine is a trail of n cells that runs along whole rows.
func benchSerpentine(p game.Params, n int) ([]game.Point, game.Point, game.Dir) {
	pos := game.Point{}
	verts := []game.Point{pos}
	dir := game.Right
	for left := n - 1; left > 0; left-- {
		if dir == game.Right && pos.X == p.Width-1 || dir == game.Left && pos.X == 0 {
			if verts[len(verts)-1] != pos {
				verts = append(verts, pos)
			}
			pos = pos.Add(game.Down)
			verts = append(verts, pos)
			dir = dir.Opposite()
			continue
		}
		pos = pos.Add(dir)
	}
	if verts[len(verts)-1] == pos {
		verts = verts[:len(verts)-1]
	}
	return verts, pos, dir
}

// BenchmarkAdmitStranger measures what the admit gate spends on a valid
// State of the room from an address that is no member's: a flood of them
// from many sources reaches the core. It is dropped after the header
// peek (unknown-sender), without decoding or allocating.
func BenchmarkAdmitStranger(b *testing.B) {
	l := benchLoop(b, 1, benchDiscard{netip.MustParseAddrPort("10.0.0.1:4000")})
	from := netip.MustParseAddrPort("10.0.0.2:4000")
	now := time.Now()
	state := &wire.State{Tick: 1, Life: 1, Alive: true, Head: game.Point{X: 3, Y: 3}, VertTotal: 1, Verts: []game.Point{{X: 3, Y: 3}}}
	pkt := benchPacket(b, 7, 1, from, now, state)
	l.handle(pkt, now) // the source is greeted once
	b.ReportAllocs()
	n := l.drops[DropUnknownSender]
	for b.Loop() {
		now = now.Add(10 * time.Millisecond) // within the source's rate
		l.handle(pkt, now)
	}
	if l.drops[DropUnknownSender] == n || len(l.members) != 0 {
		b.Fatalf("a stranger's States were not dropped: %v", l.drops)
	}
}

// BenchmarkStateRoundTripUDP measures a state packet there and back over
// real UDP on loopback: encode, send, the other side's reader goroutine,
// decode, encode its own state, send back, receive, decode. One op is one
// round trip.
func BenchmarkStateRoundTripUDP(b *testing.B) {
	lo := netip.AddrPortFrom(netip.AddrFrom4([4]byte{127, 0, 0, 1}), 0)
	x, err := transport.ListenUDP(lo)
	if err != nil {
		b.Fatal(err)
	}
	defer x.Close()
	y, err := transport.ListenUDP(lo)
	if err != nil {
		b.Fatal(err)
	}
	defer y.Close()
	verts, head, dir := benchSerpentine(game.DefaultParams(), 300)
	st := &wire.State{Tick: 1, Life: 1, Alive: true, Dir: dir, Head: head, VertTotal: uint16(len(verts)), Verts: verts[len(verts)-stateVerts:]}
	room := wire.RoomTag(benchRoom)

	echoed := make(chan struct{})
	go func() { // y's peer: answer every state with its own
		defer close(echoed)
		buf := make([]byte, 0, wire.MaxPacket)
		for p := range y.Packets() {
			h, msg, err := wire.Decode(p.Data)
			if err != nil {
				continue
			}
			s := *msg.(*wire.State)
			buf, _ = wire.Append(buf[:0], wire.Header{Sender: 2, Seq: h.Seq, Room: room}, &s)
			y.WriteTo(buf, p.From)
		}
	}()
	buf := make([]byte, 0, wire.MaxPacket)
	var seq uint32
	lost := 0
	size := 0
	b.ReportAllocs()
	for b.Loop() {
		seq++
		st.Tick = seq
		buf, err = wire.Append(buf[:0], wire.Header{Sender: 1, Seq: seq, Room: room}, st)
		if err != nil {
			b.Fatal(err)
		}
		size = len(buf)
		if err := x.WriteTo(buf, y.LocalAddr()); err != nil {
			b.Fatal(err)
		}
		select {
		case p := <-x.Packets():
			if _, _, err := wire.Decode(p.Data); err != nil {
				b.Fatal(err)
			}
		case <-time.After(time.Second): // lost on loopback: rare
			lost++
		}
	}
	y.Close()
	<-echoed
	b.ReportMetric(float64(size), "bytes/pkt")
	if lost > 0 {
		b.ReportMetric(float64(lost), "lost")
	}
}

// BenchmarkBroadcastUDP measures one tick's broadcast of the own state to
// every member over real UDP on loopback: an encode and a sendto per
// member. The members are bare sockets whose packets are drained.
func BenchmarkBroadcastUDP(b *testing.B) {
	lo := netip.AddrPortFrom(netip.AddrFrom4([4]byte{127, 0, 0, 1}), 0)
	for _, members := range []int{1, 7, 31} {
		b.Run(fmt.Sprintf("members=%d", members), func(b *testing.B) {
			tx, err := transport.ListenUDP(lo)
			if err != nil {
				b.Fatal(err)
			}
			defer tx.Close()
			l := benchLoop(b, 1, tx)
			done := make(chan struct{})
			var rxs []*transport.UDP
			for i := range members {
				rx, err := transport.ListenUDP(lo)
				if err != nil {
					b.Fatal(err)
				}
				rxs = append(rxs, rx)
				go func() {
					for range rx.Packets() {
					}
					done <- struct{}{}
				}()
				id := game.PlayerID(100 + i)
				l.handleHello(wire.Header{Sender: id, Room: l.p.room}, &wire.Hello{Params: l.p.cfg.Params, Name: "m", Room: benchRoom}, rx.LocalAddr(), 64, time.Now())
			}
			if len(l.members) != members {
				b.Fatalf("%d members, want %d", len(l.members), members)
			}
			b.ReportAllocs()
			for b.Loop() {
				l.broadcast()
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(members), "ns/member")
			for _, rx := range rxs {
				rx.Close()
				<-done
			}
		})
	}
}
