package wire

import (
	"net/netip"
	"strings"

	"lanarena/game"
)

// sample is a valid message with a header, for round trips, fuzz seeds and
// benchmarks.
type sample struct {
	name string
	h    Header
	m    Message
}

var testHeader = Header{Sender: 0x01020304, Seq: 7, Room: RoomTag("lan")}

func maxHeader() Header {
	return Header{Sender: ^game.PlayerID(0), Seq: ^uint32(0), Room: ^uint32(0)}
}

func points(n int, f func(i int) game.Point) []game.Point {
	ps := make([]game.Point, n)
	for i := range ps {
		ps[i] = f(i)
	}
	return ps
}

// typicalState is a live cycle with a few turns: the packet every peer
// sends every tick.
func typicalState() *State {
	return &State{
		Tick: 12345, Life: 3, Alive: true, Dir: game.Left,
		Head: game.Point{X: 12, Y: 22}, Killer: 9, KillerCount: 2,
		Kills: 4, Deaths: 3, Streak: 1, Best: 3, Match: 2, VertTotal: 11,
		Verts: []game.Point{{X: 30, Y: 5}, {X: 30, Y: 12}, {X: 17, Y: 12}, {X: 17, Y: 22}},
	}
}

func maxState() State {
	return State{
		Tick: ^uint32(0), Life: ^uint16(0), Alive: true, Dir: game.Left,
		Head: game.Point{X: 255, Y: 255}, DeadTicks: 255, Ready: 255, Killer: ^game.PlayerID(0),
		KillerCount: ^uint16(0), Kills: ^uint16(0), Deaths: ^uint16(0),
		Streak: ^uint16(0), Best: ^uint16(0), Match: ^uint16(0), Winner: ^game.PlayerID(0), VertTotal: ^uint16(0),
		Verts: points(MaxStateVerts, func(i int) game.Point { return game.Point{X: 255 - i, Y: i * 30} }),
	}
}

// maxStream has every stream extension, at its largest values.
func maxStream() Stream {
	return Stream{Ack: ^uint32(0), Probe: true, Time: ^uint32(0), Echoed: true, Echo: ^uint32(0), Hold: ^uint32(0)}
}

// streamState is PROTOCOL.md 10.6's State: the cycle of 10.1 in drop-in
// play, with the two vertices its receiver has not acknowledged, an
// acknowledgement, a probe and an echo.
func streamState() *State {
	s := typicalState()
	s.Match = 0
	s.Verts = s.Verts[2:]
	s.Stream = Stream{Ack: 0x1234, Probe: true, Time: 5_000_000, Echoed: true, Echo: 4_990_000, Hold: 1500}
	return s
}

func fullHello() *Hello {
	h := &Hello{
		Flags: knownHelloFlags, Mode: ModeServer, Color: 255,
		Params: game.Params{Width: 255, Height: 255, TickRate: 255, FirstTo: 255},
		Match:  ^uint16(0), Winner: ^game.PlayerID(0),
		Name: strings.Repeat("n", MaxNameBytes),
		Room: strings.Repeat("\xff", MaxRoomBytes),
	}
	for i := range MaxPeers {
		a := netip.AddrFrom16([16]byte{0: 0xfe, 1: 0x80, 15: byte(i)}) // IPv6: the longest
		h.Peers = append(h.Peers, PeerAddr{ID: game.PlayerID(i + 1), Addr: netip.AddrPortFrom(a, uint16(40000+i))})
	}
	for i := range MaxLedger {
		h.Ledger = append(h.Ledger, game.Tally{Killer: game.PlayerID(i + 1), Count: uint16(i * 1000)})
	}
	return h
}

func samples() []sample {
	return []sample{
		{"hello-min", Header{Sender: 1}, &Hello{}},
		{"hello", testHeader, &Hello{
			Flags: HelloReply, Color: 3, Params: game.DefaultParams(), Name: "ada", Room: "lan",
			Peers: []PeerAddr{
				{ID: 2, Addr: netip.MustParseAddrPort("192.168.1.20:7777")},
				{ID: 3, Addr: netip.MustParseAddrPort("[2001:db8::1]:7778")},
				{ID: 4, Addr: netip.MustParseAddrPort("[::ffff:10.0.0.1]:1")},
			},
			Ledger: []game.Tally{{Killer: 2, Count: 1}, {Killer: 3, Count: 4}},
		}},
		{"hello-max", maxHeader(), fullHello()},
		{"state-min", Header{Sender: 1}, &State{}},
		{"state", testHeader, typicalState()},
		{"state-dead", testHeader, &State{
			Tick: 99, Life: 1, Dir: game.Down, Head: game.Point{X: 0, Y: 39}, DeadTicks: 7,
			Killer: 0, Deaths: 1, VertTotal: 0,
		}},
		{"state-max", maxHeader(), func() *State { s := maxState(); s.Stream = maxStream(); return &s }()},
		{"state-stream", testHeader, streamState()},
		{"keepalive", testHeader, &KeepAlive{}},
		{"keepalive-stream", testHeader, &KeepAlive{Stream: Stream{Ack: 41, Probe: true, Time: 1_000_000}}},
		{"keepalive-max", maxHeader(), &KeepAlive{Stream: maxStream()}},
		{"leave", testHeader, &Leave{}},
		{"ping", testHeader, &Ping{Nonce: 0x0123456789abcdef}},
		{"ping-max", maxHeader(), &Ping{Nonce: ^uint64(0)}},
		{"pong", testHeader, &Pong{Echo: 42}},
		{"trail-req", testHeader, &TrailReq{Life: 3, From: 0}},
		{"trail-req-max", maxHeader(), &TrailReq{Life: ^uint16(0), From: ^uint16(0)}},
		{"trail-empty", testHeader, &Trail{Life: 1, From: 0, Total: 0}},
		{"trail", testHeader, &Trail{Life: 3, From: 0, Total: 11, Verts: points(7, func(i int) game.Point {
			return game.Point{X: 10 + i%2*5, Y: 3 * i}
		})}},
		{"trail-max", maxHeader(), &Trail{
			Life: ^uint16(0), From: ^uint16(0) - MaxTrailVerts, Total: ^uint16(0),
			Verts: points(MaxTrailVerts, func(i int) game.Point { return game.Point{X: i % 256, Y: 255 - i%256} }),
		}},
		{"chat-empty", testHeader, &Chat{Seq: 1}},
		{"chat", testHeader, &Chat{Seq: 2, Text: "gg \x1b[31mwp\x1b[0m ✓"}},
		{"chat-max", maxHeader(), &Chat{Seq: ^uint32(0), Text: strings.Repeat("é", MaxChatBytes/2)}},
		{"chat-ack", testHeader, &ChatAck{UpTo: 2}},
		{"move-req", testHeader, &MoveReq{Req: 5, Dir: game.Up}},
		{"move-req-turn", maxHeader(), &MoveReq{Req: ^uint32(0), Dir: game.Left, Turn: true}},
		{"move-ack", testHeader, &MoveAck{Req: 5, Tick: 6, State: *typicalState()}},
		{"move-ack-max", maxHeader(), &MoveAck{Req: ^uint32(0), Tick: ^uint32(0), State: maxState()}},
		{"cycle-state", testHeader, &CycleState{Owner: 77, Name: "bot-1", Color: 5, State: *typicalState()}},
		{"cycle-state-max", maxHeader(), &CycleState{
			Owner: ^game.PlayerID(0), Name: strings.Repeat("\x00", MaxNameBytes), Color: 255, State: maxState(),
		}},
		{"cycle-trail-req", testHeader, &CycleTrailReq{Owner: 77, Life: 3, From: 0}},
		{"cycle-trail-req-max", maxHeader(), &CycleTrailReq{Owner: ^game.PlayerID(0), Life: ^uint16(0), From: ^uint16(0)}},
		{"cycle-trail-empty", testHeader, &CycleTrail{Owner: 77, Life: 1, From: 0, Total: 0}},
		{"cycle-trail", testHeader, &CycleTrail{Owner: 77, Life: 3, From: 0, Total: 11, Verts: points(7, func(i int) game.Point {
			return game.Point{X: 10 + i%2*5, Y: 3 * i}
		})}},
		{"cycle-trail-max", maxHeader(), &CycleTrail{
			Owner: ^game.PlayerID(0), Life: ^uint16(0), From: ^uint16(0) - MaxCycleTrailVerts, Total: ^uint16(0),
			Verts: points(MaxCycleTrailVerts, func(i int) game.Point { return game.Point{X: 255 - i%256, Y: i % 256} }),
		}},
		{"challenge", testHeader, &Challenge{Cookie: testCookie}},
		{"hello-proof", testHeader, &HelloProof{Cookie: testCookie, Hello: Hello{
			Flags: HelloReply, Color: 3, Params: game.DefaultParams(), Name: "ada", Room: "lan",
		}}},
		{"hello-proof-max", maxHeader(), &HelloProof{Cookie: [CookieLen]byte{0: 0xff, 15: 0xff}, Hello: *fullHello()}},
		{"refusal", testHeader, testRefusal()},
		{"refusal-max", maxHeader(), &Refusal{
			Reason: 255, Mode: ModeServer, Params: game.Params{Width: 255, Height: 255, TickRate: 255}, Players: 255,
			Name: strings.Repeat("n", MaxNameBytes), Room: strings.Repeat("\xff", MaxRoomBytes),
		}},
	}
}

// testCookie is the cookie of PROTOCOL.md's challenge examples.
var testCookie = [CookieLen]byte{0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff}

// testRefusal is PROTOCOL.md's refusal example: bob is in room "den".
func testRefusal() *Refusal {
	return &Refusal{Reason: RefuseOtherRoom, Params: game.DefaultParams(), Players: 3, Name: "bob", Room: "den"}
}

// mustAppend encodes a sample or panics: samples are valid by design.
func mustAppend(s sample) []byte {
	b, err := Append(nil, s.h, s.m)
	if err != nil {
		panic(s.name + ": " + err.Error())
	}
	return b
}
