package wire

import (
	"fmt"

	"lanarena/game"
)

// writer appends fields to b; the first error sticks and later writes
// still happen but no longer matter.
type writer struct {
	b   []byte
	err error
}

func (w *writer) fail(err error) {
	if w.err == nil {
		w.err = err
	}
}

func (w *writer) u8(v uint8)   { w.b = append(w.b, v) }
func (w *writer) u16(v uint16) { w.b = le.AppendUint16(w.b, v) }
func (w *writer) u32(v uint32) { w.b = le.AppendUint32(w.b, v) }
func (w *writer) u64(v uint64) { w.b = le.AppendUint64(w.b, v) }

// byteInt writes v, which must fit in a byte.
func (w *writer) byteInt(v int, what string) {
	if v < 0 || v > 0xff {
		w.fail(fmt.Errorf("%w: %s %d outside 0..255", ErrField, what, v))
	}
	w.u8(uint8(v))
}

func (w *writer) point(p game.Point, what string) {
	w.byteInt(p.X, what)
	w.byteInt(p.Y, what)
}

func (w *writer) bool(v bool) {
	if v {
		w.u8(1)
	} else {
		w.u8(0)
	}
}

// str8 writes s with a one-byte length, at most limit bytes.
func (w *writer) str8(s string, limit int, what string) {
	if len(s) > limit {
		w.fail(fmt.Errorf("%w: %s of %d bytes, max %d", ErrField, what, len(s), limit))
		return
	}
	w.u8(uint8(len(s)))
	w.b = append(w.b, s...)
}

func (w *writer) id(v game.PlayerID, what string) {
	if v == 0 {
		w.fail(fmt.Errorf("%w: %s 0", ErrField, what))
	}
	w.u32(uint32(v))
}

func (w *writer) dir(d game.Dir, what string) {
	if !d.Valid() {
		w.fail(fmt.Errorf("%w: %s %d", ErrField, what, d))
	}
	w.u8(uint8(d))
}

var errNilMessage = fmt.Errorf("%w: nil message", ErrType)

// ok reports whether m is a real message, failing w if it is a nil pointer.
func ok[T any](w *writer, m *T) bool {
	if m == nil {
		w.fail(errNilMessage)
		return false
	}
	return true
}

// appendBody appends the body of m to b.
func appendBody(b []byte, m Message) ([]byte, error) {
	w := writer{b: b}
	switch m := m.(type) {
	case *Hello:
		if ok(&w, m) {
			w.hello(m)
		}
	case *State:
		if ok(&w, m) {
			w.state(m)
		}
	case *Leave:
		// Empty body, so even a nil *Leave will do.
	case *Ping:
		if ok(&w, m) {
			w.u64(m.Nonce)
		}
	case *Pong:
		if ok(&w, m) {
			w.u64(m.Echo)
		}
	case *TrailReq:
		if ok(&w, m) {
			w.u16(m.Life)
			w.u16(m.From)
		}
	case *Trail:
		if ok(&w, m) {
			w.trail(m.Life, m.From, m.Total, m.Verts, MaxTrailVerts)
		}
	case *Chat:
		if ok(&w, m) {
			w.chat(m)
		}
	case *ChatAck:
		if ok(&w, m) {
			w.u32(m.UpTo)
		}
	case *MoveReq:
		if ok(&w, m) {
			w.u32(m.Req)
			w.dir(m.Dir, "move dir")
			w.bool(m.Turn)
		}
	case *MoveAck:
		if ok(&w, m) {
			w.u32(m.Req)
			w.u32(m.Tick)
			w.state(&m.State)
		}
	case *CycleState:
		if ok(&w, m) {
			w.id(m.Owner, "cycle owner")
			w.str8(m.Name, MaxNameBytes, "cycle name")
			w.u8(m.Color)
			w.state(&m.State)
		}
	case *CycleTrailReq:
		if ok(&w, m) {
			w.id(m.Owner, "cycle owner")
			w.u16(m.Life)
			w.u16(m.From)
		}
	case *CycleTrail:
		if ok(&w, m) {
			w.id(m.Owner, "cycle owner")
			w.trail(m.Life, m.From, m.Total, m.Verts, MaxCycleTrailVerts)
		}
	case *Challenge:
		if ok(&w, m) {
			w.b = append(w.b, m.Cookie[:]...)
		}
	case *HelloProof:
		if ok(&w, m) {
			w.b = append(w.b, m.Cookie[:]...)
			w.hello(&m.Hello)
		}
	case *Refusal:
		if ok(&w, m) {
			w.refusal(m)
		}
	case *KeepAlive:
		ok(&w, m) // empty body: the stream rides in extensions
	default:
		return b, fmt.Errorf("%w: %T", ErrType, m)
	}
	if w.err == nil {
		w.ext(m)
	}
	return w.b, w.err
}

func (w *writer) hello(m *Hello) {
	if m.Flags&^knownHelloFlags != 0 {
		w.fail(fmt.Errorf("%w: hello flags %#x", ErrField, m.Flags))
	}
	if !m.Mode.Valid() {
		w.fail(fmt.Errorf("%w: hello mode %d", ErrField, m.Mode))
	}
	if len(m.Peers) > MaxPeers {
		w.fail(fmt.Errorf("%w: %d peers, max %d", ErrField, len(m.Peers), MaxPeers))
		return
	}
	if len(m.Ledger) > MaxLedger {
		w.fail(fmt.Errorf("%w: %d ledger entries, max %d", ErrField, len(m.Ledger), MaxLedger))
		return
	}
	w.u8(m.Flags)
	w.u8(uint8(m.Mode))
	w.u8(m.Color)
	w.byteInt(m.Params.Width, "width")
	w.byteInt(m.Params.Height, "height")
	w.byteInt(m.Params.TickRate, "tick rate")
	w.byteInt(m.Params.FirstTo, "first-to")
	w.str8(m.Name, MaxNameBytes, "name")
	w.str8(m.Room, MaxRoomBytes, "room")
	w.u16(m.Match)
	w.u32(uint32(m.Winner))
	w.u8(uint8(len(m.Peers)))
	for _, p := range m.Peers {
		w.peer(p)
	}
	w.u8(uint8(len(m.Ledger)))
	for _, t := range m.Ledger {
		w.u32(uint32(t.Killer))
		w.u16(t.Count)
	}
}

// peer writes one gossiped address. Zones are local to a host and are not
// sent.
func (w *writer) peer(p PeerAddr) {
	w.id(p.ID, "peer id")
	a := p.Addr.Addr().WithZone("")
	switch {
	case a.Is4():
		w.u8(familyIPv4)
		ip := a.As4()
		w.b = append(w.b, ip[:]...)
	case a.Is6():
		w.u8(familyIPv6)
		ip := a.As16()
		w.b = append(w.b, ip[:]...)
	default:
		w.fail(fmt.Errorf("%w: peer %d has no address", ErrField, p.ID))
		return
	}
	w.u16(p.Addr.Port())
}

func (w *writer) state(s *State) {
	n := len(s.Verts)
	if n > MaxStateVerts || n > int(s.VertTotal) {
		w.fail(fmt.Errorf("%w: state with %d of %d verts, max %d", ErrField, n, s.VertTotal, MaxStateVerts))
		return
	}
	if !s.Dir.Valid() {
		w.fail(fmt.Errorf("%w: state dir %d", ErrField, s.Dir))
		return
	}
	bits := uint8(s.Dir) << 1
	if s.Alive {
		bits |= 1
	}
	w.u32(s.Tick)
	w.u16(s.Life)
	w.u8(bits)
	w.point(s.Head, "head")
	w.u8(s.DeadTicks)
	w.u8(s.Ready)
	w.u32(uint32(s.Killer))
	w.u16(s.KillerCount)
	w.u16(s.Kills)
	w.u16(s.Deaths)
	w.u16(s.Streak)
	w.u16(s.Best)
	w.u16(s.VertTotal)
	w.u8(uint8(n))
	for _, v := range s.Verts {
		w.point(v, "vertex")
	}
}

// trail writes the body of a Trail, which CycleTrail shares after its
// owner: at most limit vertices, and from+n ≤ total.
func (w *writer) trail(life, from, total uint16, verts []game.Point, limit int) {
	n := len(verts)
	if n > limit {
		w.fail(fmt.Errorf("%w: trail of %d verts, max %d", ErrField, n, limit))
		return
	}
	if int(from)+n > int(total) {
		w.fail(fmt.Errorf("%w: trail verts %d+%d beyond total %d", ErrField, from, n, total))
		return
	}
	w.u16(life)
	w.u16(from)
	w.u16(total)
	w.u16(uint16(n))
	for _, v := range verts {
		w.point(v, "vertex")
	}
}

func (w *writer) chat(m *Chat) {
	if len(m.Text) > MaxChatBytes {
		w.fail(fmt.Errorf("%w: chat of %d bytes, max %d", ErrField, len(m.Text), MaxChatBytes))
		return
	}
	w.u32(m.Seq)
	w.u16(uint16(len(m.Text)))
	w.b = append(w.b, m.Text...)
}

func (w *writer) refusal(m *Refusal) {
	if m.Reason == 0 {
		w.fail(fmt.Errorf("%w: refusal reason 0", ErrField))
	}
	if !m.Mode.Valid() {
		w.fail(fmt.Errorf("%w: refusal mode %d", ErrField, m.Mode))
	}
	w.u8(uint8(m.Reason))
	w.u8(uint8(m.Mode))
	w.byteInt(m.Params.Width, "width")
	w.byteInt(m.Params.Height, "height")
	w.byteInt(m.Params.TickRate, "tick rate")
	w.byteInt(m.Params.FirstTo, "first-to")
	w.u8(m.Players)
	w.str8(m.Name, MaxNameBytes, "name")
	w.str8(m.Room, MaxRoomBytes, "room")
}
