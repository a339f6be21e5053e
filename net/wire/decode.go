package wire

import (
	"net/netip"

	"lanarena/game"
)

// reader consumes fields from b. Every read checks the bytes left first;
// the first error sticks, and reads after it return zeros.
type reader struct {
	b   []byte
	err error
}

func (r *reader) fail(err error) {
	if r.err == nil {
		r.err = err
	}
}

// need reports whether n more bytes are there, failing r with ErrShort if
// not. It lets a count be checked against the packet before anything is
// allocated for it.
func (r *reader) need(n int) bool {
	if r.err != nil {
		return false
	}
	if n > len(r.b) {
		r.fail(ErrShort)
		return false
	}
	return true
}

// take returns the next n bytes, or nil after an error.
func (r *reader) take(n int) []byte {
	if !r.need(n) {
		return nil
	}
	p := r.b[:n:n]
	r.b = r.b[n:]
	return p
}

func (r *reader) u8() uint8 {
	if p := r.take(1); p != nil {
		return p[0]
	}
	return 0
}

func (r *reader) u16() uint16 {
	if p := r.take(2); p != nil {
		return le.Uint16(p)
	}
	return 0
}

func (r *reader) u32() uint32 {
	if p := r.take(4); p != nil {
		return le.Uint32(p)
	}
	return 0
}

func (r *reader) u64() uint64 {
	if p := r.take(8); p != nil {
		return le.Uint64(p)
	}
	return 0
}

func (r *reader) point() game.Point {
	x := r.u8()
	y := r.u8()
	return game.Point{X: int(x), Y: int(y)}
}

func (r *reader) bool() bool {
	switch r.u8() {
	case 0:
		return false
	case 1:
		return true
	}
	r.fail(ErrField)
	return false
}

// str8 reads a string with a one-byte length of at most limit.
func (r *reader) str8(limit int) string {
	n := int(r.u8())
	if n > limit {
		r.fail(ErrField)
		return ""
	}
	return string(r.take(n))
}

// id reads a player id, which must not be 0.
func (r *reader) id() game.PlayerID {
	v := game.PlayerID(r.u32())
	if v == 0 {
		r.fail(ErrField)
	}
	return v
}

func (r *reader) dir() game.Dir {
	d := game.Dir(r.u8())
	if !d.Valid() {
		r.fail(ErrField)
	}
	return d
}

// Messages that embed a State are allocated with room for its vertices,
// so that decoding them costs one allocation.
type (
	stateBox struct {
		m     State
		verts [MaxStateVerts]game.Point
	}
	moveAckBox struct {
		m     MoveAck
		verts [MaxStateVerts]game.Point
	}
	cycleStateBox struct {
		m     CycleState
		verts [MaxStateVerts]game.Point
	}
)

// decodeBody parses the body of a message of type t.
func decodeBody(t Type, body []byte) (Message, error) {
	r := reader{b: body}
	var m Message
	switch t {
	case TypeHello:
		m = r.hello()
	case TypeState:
		box := new(stateBox)
		r.state(&box.m, &box.verts)
		m = &box.m
	case TypeLeave:
		m = &Leave{}
	case TypePing:
		m = &Ping{Nonce: r.u64()}
	case TypePong:
		m = &Pong{Echo: r.u64()}
	case TypeTrailReq:
		life := r.u16()
		m = &TrailReq{Life: life, From: r.u16()}
	case TypeTrail:
		m = r.trail()
	case TypeChat:
		m = r.chat()
	case TypeChatAck:
		m = &ChatAck{UpTo: r.u32()}
	case TypeMoveReq:
		req := r.u32()
		dir := r.dir()
		m = &MoveReq{Req: req, Dir: dir, Turn: r.bool()}
	case TypeMoveAck:
		box := new(moveAckBox)
		box.m.Req = r.u32()
		box.m.Tick = r.u32()
		r.state(&box.m.State, &box.verts)
		m = &box.m
	case TypeCycleState:
		box := new(cycleStateBox)
		box.m.Owner = r.id()
		box.m.Name = r.str8(MaxNameBytes)
		box.m.Color = r.u8()
		r.state(&box.m.State, &box.verts)
		m = &box.m
	case TypeCycleTrailReq:
		owner := r.id()
		life := r.u16()
		m = &CycleTrailReq{Owner: owner, Life: life, From: r.u16()}
	case TypeCycleTrail:
		m = r.cycleTrail()
	case TypeChallenge:
		c := &Challenge{}
		copy(c.Cookie[:], r.take(CookieLen))
		m = c
	case TypeHelloProof:
		p := &HelloProof{}
		copy(p.Cookie[:], r.take(CookieLen))
		r.helloInto(&p.Hello)
		m = p
	case TypeRefusal:
		m = r.refusal()
	case TypeKeepAlive:
		m = &KeepAlive{}
	default:
		return nil, ErrType
	}
	if r.err != nil {
		return nil, r.err
	}
	if err := readExt(m, r.b); err != nil {
		return nil, err
	}
	return m, nil
}

// Sizes of repeated entries, to check a count against the bytes left
// before allocating anything for it.
const (
	peerMinLen = 4 + 1 + 4 + 2 // id, family, IPv4 address, port
	tallyLen   = 4 + 2
	pointLen   = 2
	trailFixed = 2 + 2 + 2 + 2 // life, from, total, count

	cycleTrailFixed = 4 + trailFixed // owner, then as Trail
)

// IP address families of PeerAddr.
const (
	familyIPv4 = 4
	familyIPv6 = 6
)

func (r *reader) hello() *Hello {
	m := &Hello{}
	r.helloInto(m)
	return m
}

func (r *reader) helloInto(m *Hello) {
	m.Flags = r.u8()
	if m.Flags&^knownHelloFlags != 0 {
		r.fail(ErrField)
	}
	m.Mode = Mode(r.u8())
	if !m.Mode.Valid() {
		r.fail(ErrField)
	}
	m.Color = r.u8()
	m.Params.Width = int(r.u8())
	m.Params.Height = int(r.u8())
	m.Params.TickRate = int(r.u8())
	m.Params.FirstTo = int(r.u8())
	m.Name = r.str8(MaxNameBytes)
	m.Room = r.str8(MaxRoomBytes)
	m.Match = r.u16()
	m.Winner = game.PlayerID(r.u32())

	if n := int(r.u8()); n > MaxPeers {
		r.fail(ErrField)
	} else if n > 0 && r.need(n*peerMinLen) {
		m.Peers = make([]PeerAddr, n)
		for i := range m.Peers {
			m.Peers[i] = r.peer()
		}
	}
	if n := int(r.u8()); n > MaxLedger {
		r.fail(ErrField)
	} else if n > 0 && r.need(n*tallyLen) {
		m.Ledger = make([]game.Tally, n)
		for i := range m.Ledger {
			m.Ledger[i] = game.Tally{Killer: game.PlayerID(r.u32()), Count: r.u16()}
		}
	}
}

func (r *reader) peer() PeerAddr {
	id := r.id()
	var a netip.Addr
	switch r.u8() {
	case familyIPv4:
		if p := r.take(4); p != nil {
			a = netip.AddrFrom4([4]byte(p))
		}
	case familyIPv6:
		if p := r.take(16); p != nil {
			a = netip.AddrFrom16([16]byte(p))
		}
	default:
		r.fail(ErrField)
	}
	return PeerAddr{ID: id, Addr: netip.AddrPortFrom(a, r.u16())}
}

func (r *reader) state(s *State, spare *[MaxStateVerts]game.Point) {
	s.Tick = r.u32()
	s.Life = r.u16()
	bits := r.u8()
	if bits&^0b111 != 0 {
		r.fail(ErrField)
	}
	s.Alive = bits&1 != 0
	s.Dir = game.Dir(bits>>1) & 3
	s.Head = r.point()
	s.DeadTicks = r.u8()
	s.Ready = r.u8()
	s.Killer = game.PlayerID(r.u32())
	s.KillerCount = r.u16()
	s.Kills = r.u16()
	s.Deaths = r.u16()
	s.Streak = r.u16()
	s.Best = r.u16()
	s.VertTotal = r.u16()
	n := int(r.u8())
	if n > MaxStateVerts || n > int(s.VertTotal) {
		r.fail(ErrField)
		return
	}
	if n > 0 && r.need(n*pointLen) {
		s.Verts = spare[:n:n]
		for i := range s.Verts {
			s.Verts[i] = r.point()
		}
	}
}

func (r *reader) trail() *Trail {
	m := &Trail{}
	m.Life = r.u16()
	m.From = r.u16()
	m.Total = r.u16()
	m.Verts = r.trailVerts(m.From, m.Total, MaxTrailVerts)
	return m
}

func (r *reader) cycleTrail() *CycleTrail {
	m := &CycleTrail{}
	m.Owner = r.id()
	m.Life = r.u16()
	m.From = r.u16()
	m.Total = r.u16()
	m.Verts = r.trailVerts(m.From, m.Total, MaxCycleTrailVerts)
	return m
}

// trailVerts reads the vertex count and vertices of a trail whose from and
// total are read: at most limit vertices, and from+n ≤ total.
func (r *reader) trailVerts(from, total uint16, limit int) []game.Point {
	n := int(r.u16())
	switch {
	case r.err != nil:
	case n > limit, int(from)+n > int(total):
		r.fail(ErrField)
	case n > 0 && r.need(n*pointLen):
		verts := make([]game.Point, n)
		for i := range verts {
			verts[i] = r.point()
		}
		return verts
	}
	return nil
}

func (r *reader) chat() *Chat {
	m := &Chat{Seq: r.u32()}
	n := int(r.u16())
	if n > MaxChatBytes {
		r.fail(ErrField)
		return m
	}
	m.Text = string(r.take(n))
	return m
}

func (r *reader) refusal() *Refusal {
	m := &Refusal{}
	m.Reason = RefusalReason(r.u8())
	if m.Reason == 0 {
		r.fail(ErrField)
	}
	m.Mode = Mode(r.u8())
	if !m.Mode.Valid() {
		r.fail(ErrField)
	}
	m.Params.Width = int(r.u8())
	m.Params.Height = int(r.u8())
	m.Params.TickRate = int(r.u8())
	m.Params.FirstTo = int(r.u8())
	m.Players = r.u8()
	m.Name = r.str8(MaxNameBytes)
	m.Room = r.str8(MaxRoomBytes)
	return m
}
