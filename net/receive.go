package net

import (
	"errors"
	"net/netip"
	"slices"
	"time"

	"lanarena/game"
	"lanarena/net/transport"
	"lanarena/net/wire"
)

// receive takes one datagram from the network. Every byte is untrusted:
// each check that fails drops the packet and counts the reason.
func (l *loop) receive(pkt transport.Packet) {
	now := pkt.At
	if now.IsZero() {
		now = time.Now()
	}
	from := netip.AddrPortFrom(pkt.From.Addr().Unmap(), pkt.From.Port())
	src := l.source(from, now)
	if !src.lim.AllowN(now, 1) {
		l.drop("rate-limit", from, false)
		return
	}
	b := pkt.Data
	if len(b) > wire.MaxPacket {
		l.drop(wire.Reason(wire.ErrTooBig), from, true)
		return
	}
	hdr, err := wire.PeekHeader(b)
	if err != nil {
		if errors.Is(err, wire.ErrVersion) {
			l.setNotice(from, "version", "a peer at "+from.String()+" speaks another protocol version")
			l.drop(wire.Reason(err), from, false)
			return
		}
		l.drop(wire.Reason(err), from, true)
		return
	}
	if hdr.Room != l.p.room {
		l.drop("wrong-room", from, false)
		return
	}
	if l.p.key != nil {
		if hdr.Flags&wire.FlagAuth == 0 {
			l.drop("unauthenticated", from, true)
			return
		}
		if b, err = wire.Open(b, l.p.key); err != nil {
			l.drop(wire.Reason(err), from, true)
			l.setNotice(from, "auth", "packets from "+from.String()+" fail authentication: wrong secret?")
			return
		}
	} else if hdr.Flags&wire.FlagAuth != 0 {
		l.drop("locked", from, false)
		l.setNotice(from, "locked", "room "+l.p.cfg.Room+" is private: start with --secret to join it")
		return
	}
	h, msg, err := wire.Decode(b)
	if err != nil {
		l.drop(wire.Reason(err), from, true)
		return
	}
	if h.Sender == l.p.id {
		l.drop("own-id", from, false)
		return
	}
	if hello, ok := msg.(*wire.Hello); ok {
		if m := l.members[h.Sender]; m != nil && m.addr == from {
			if !l.fresh(m, h) {
				return
			}
			m.heard(now, h.Seq, len(pkt.Data))
		}
		l.handleHello(h, hello, from, len(pkt.Data), now) // a new member counts its first hello itself
		return
	}
	m := l.members[h.Sender]
	if m == nil {
		if _, ok := msg.(*wire.Leave); ok {
			return
		}
		l.drop("unknown-sender", from, false)
		l.addCandidate(from, false, now) // say hello: it will tell us who it is
		return
	}
	if m.addr != from {
		l.drop("spoofed", from, true)
		return
	}
	if !l.fresh(m, h) {
		return
	}
	m.heard(now, h.Seq, len(pkt.Data))
	if l.server != nil {
		switch msg.(type) {
		case *wire.State, *wire.TrailReq, *wire.Trail:
			l.drop("wrong-mode", from, false) // in server mode only the host reports cycles
			return
		}
	}
	switch msg := msg.(type) {
	case *wire.State:
		l.handleState(m, h, msg, now)
	case *wire.Leave:
		l.logf("%s left", m.display)
		l.removeMember(m.id)
	case *wire.Ping:
		l.send(m.addr, &wire.Pong{Echo: msg.Nonce})
	case *wire.Pong:
		sent := time.Duration(msg.Echo)
		if rtt := now.Sub(l.p.start) - sent; rtt >= 0 && rtt < time.Minute {
			m.sampleRTT(rtt)
		}
	case *wire.TrailReq:
		l.handleTrailReq(m, msg)
	case *wire.Trail:
		l.handleTrail(m, msg)
	case *wire.Chat:
		l.handleChat(m, msg, now)
	case *wire.ChatAck:
		l.handleChatAck(m, msg)
	case *wire.MoveReq, *wire.MoveAck, *wire.CycleState, *wire.CycleTrailReq, *wire.CycleTrail:
		if l.server == nil {
			l.drop("wrong-mode", from, false)
			return
		}
		l.server.receive(m, h, msg, now)
	}
}

// fresh applies the replay window of a private room: a replayed packet
// is dropped. Open rooms rely on per-message sequence checks instead.
func (l *loop) fresh(m *member, h wire.Header) bool {
	if l.p.key == nil {
		return true
	}
	if !m.replay.Accept(h.Seq) {
		l.drop("replay", m.addr, true)
		return false
	}
	return true
}

// handleState applies a remote owner's state if it is newer than what we
// have, after checking that it is possible.
func (l *loop) handleState(m *member, h wire.Header, s *wire.State, now time.Time) {
	if m.spectator {
		l.drop("spectator-state", m.addr, true)
		return
	}
	if m.haveState && h.Seq <= m.stateSeq {
		l.drop("stale", m.addr, false)
		return
	}
	if err := l.validate(&m.replica, s, 0); err != nil {
		l.drop(err.Error(), m.addr, true)
		return
	}
	crashed := m.crashes(s)
	m.take(h.Seq, s)
	m.lastState = now
	l.applyReplica(m.id, m.display, m.look, m.bot, &m.replica, m.addr)
	if crashed {
		l.events([]game.Event{{Kind: game.EventCrash, Player: m.id, Other: s.Killer}})
	}
	if l.p.cfg.Probe != nil {
		l.p.cfg.Probe.Applied(l.p.id, m.id, s.Tick, s.Head, s.Alive, now)
	}
	l.repair(m, now)
}

// crashes reports whether s announces the crash of the life we saw alive.
func (r *replica) crashes(s *wire.State) bool {
	return r.haveState && r.state.Alive && !s.Alive && r.state.Life == s.Life
}

// take folds a newer state into the replica.
func (r *replica) take(seq uint32, s *wire.State) {
	if s.Life != r.state.Life { // (r.state outlives haveState: see setHost)
		r.verts, r.base = nil, 0
	}
	r.mergeVerts(s)
	r.stateSeq, r.haveState = seq, true
	r.state = *s
	r.state.Verts = nil
	if s.Killer != 0 {
		mergeLedger(&r.ledger, []game.Tally{{Killer: s.Killer, Count: s.KillerCount}})
	}
}

var (
	errTeleport = errors.New("teleport")
	errOffArena = errors.New("off-arena")
	errBadTrail = errors.New("bad-trail")
)

// plausible rejects states no honest owner sends: a head off the arena, a
// cycle that moved farther than one cell per tick of its owner's clock, or
// fewer vertices than before in the same life.
//
// slack is the extra cells allowed: in server mode a client's cycle moves
// when its request arrives, which can be once before and once after the
// host's tick.
func plausible(p game.Params, r *replica, s *wire.State, slack int64) error {
	if !p.In(s.Head) {
		return errOffArena
	}
	for _, v := range s.Verts {
		if !p.In(v) {
			return errOffArena
		}
	}
	if s.Alive && s.VertTotal == 0 {
		return errBadTrail
	}
	if r.haveState && s.Life == r.state.Life && s.Alive && r.state.Alive {
		ticks := int64(s.Tick) - int64(r.state.Tick)
		dist := int64(abs(s.Head.X-r.state.Head.X) + abs(s.Head.Y-r.state.Head.Y))
		if ticks < 0 || dist > ticks+slack {
			return errTeleport
		}
		if s.VertTotal < r.state.VertTotal {
			return errBadTrail
		}
	}
	return nil
}

// validate checks a state before any of it is applied: plausible, and the
// trail it would make is a valid one. A dropped packet changes nothing.
func (l *loop) validate(r *replica, s *wire.State, slack int64) error {
	p := l.p.cfg.Params
	if err := plausible(p, r, s, slack); err != nil {
		return err
	}
	verts := r.verts
	if s.Life != r.state.Life {
		verts = nil
	}
	l.scratch = append(l.scratch[:0], verts...)
	l.scratch = joinVerts(l.scratch, r.base, s)
	if p.ValidateTrail(l.scratch, s.Head, s.Dir) != nil {
		return errBadTrail
	}
	return nil
}

// joinVerts is mergeVerts on a copy: verts (starting at index base of the
// owner's list) with the state's recent vertices folded in.
func joinVerts(verts []game.Point, base int, s *wire.State) []game.Point {
	total, n := int(s.VertTotal), len(s.Verts)
	start := total - n
	switch {
	case total == 0:
		return verts[:0]
	case len(verts) > 0 && base <= start && base+len(verts) >= start:
		return append(verts[:start-base], s.Verts...)
	default:
		return append(verts[:0], s.Verts...)
	}
}

// mergeVerts folds the recent vertices a state carries into what we know
// of the owner's trail. The owner only ever appends to a life's vertex list,
// so any overlap joins exactly; a gap keeps the newest part and leaves the
// older part to trail repair.
func (r *replica) mergeVerts(s *wire.State) {
	total, n := int(s.VertTotal), len(s.Verts)
	start := total - n
	joins := len(r.verts) > 0 && r.base <= start && r.base+len(r.verts) >= start
	r.verts = joinVerts(r.verts, r.base, s)
	switch {
	case total == 0:
		r.base = 0
	case !joins: // nothing known, a gap, or newer vertices than all we know
		r.base = start
	}
}

// addTrail prepends the older vertices from..from+len(verts) of the
// current life. It reports whether they joined what we have.
func (r *replica) addTrail(life uint16, from int, verts []game.Point) bool {
	if !r.haveState || life != r.state.Life || r.base == 0 || from > r.base || from+len(verts) < r.base {
		return false
	}
	r.verts = append(slices.Clone(verts[:r.base-from]), r.verts...)
	r.base = from
	return true
}

// applyReplica rebuilds a remote cycle from what we know and merges it
// into the game replica.
func (l *loop) applyReplica(id game.PlayerID, name string, look int, bot bool, r *replica, from netip.AddrPort) {
	s := &r.state
	c := &game.Cycle{
		ID:        id,
		Name:      name,
		Color:     look,
		Bot:       bot,
		Alive:     s.Alive,
		Life:      s.Life,
		Dir:       s.Dir,
		Head:      s.Head,
		Verts:     r.verts,
		DeadTicks: int(s.DeadTicks),
		Killer:    s.Killer,
		Kills:     s.Kills,
		Deaths:    s.Deaths,
		Streak:    s.Streak,
		Best:      s.Best,
		KilledBy:  r.ledger,
	}
	// A hello can bring a death's ledger entry before the state that
	// counts the death: count it now rather than refuse the ledger.
	var ledgered uint16
	for _, t := range r.ledger {
		ledgered += t.Count
	}
	c.Deaths = max(c.Deaths, ledgered)
	evs, err := l.st.Merge(c)
	if errors.Is(err, game.ErrArenaFull) {
		l.drop("room-full", from, false)
		return
	}
	if err != nil {
		l.drop(errBadTrail.Error(), from, true)
		l.logLimited(from.Addr(), "merge-error", "merge %s: %v", name, err)
		r.verts, r.base = nil, 0
		return
	}
	l.events(evs)
}

// repair asks the owner for the part of its trail this replica misses.
func (l *loop) repair(m *member, now time.Time) {
	if m.needsRepair(now) {
		l.send(m.addr, &wire.TrailReq{Life: m.state.Life, From: m.repairFrom()})
	}
}

// needsRepair reports whether the replica misses the start of the trail
// and it is time to ask (again) for it.
func (r *replica) needsRepair(now time.Time) bool {
	if r.base == 0 || !r.haveState || now.Before(r.repairAt) {
		return false
	}
	r.repairAt = now.Add(repairEvery)
	return true
}

// repairFrom is the first vertex to ask for: the chunk just before what
// we know, so that each answer joins.
func (r *replica) repairFrom() uint16 { return uint16(max(0, r.base-maxTrailChunk)) }

func (l *loop) handleTrailReq(m *member, req *wire.TrailReq) {
	c := l.self()
	if c == nil || req.Life != c.Life {
		l.drop("stale", m.addr, false)
		return
	}
	l.send(m.addr, trailChunk(c, req.From))
}

// trailChunk is the part of c's trail from vertex from that fits a packet.
func trailChunk(c *game.Cycle, from uint16) *wire.Trail {
	total := len(c.Verts)
	start := min(int(from), total)
	end := min(total, start+maxTrailChunk)
	return &wire.Trail{Life: c.Life, From: uint16(start), Total: uint16(total), Verts: c.Verts[start:end]}
}

func (l *loop) handleTrail(m *member, t *wire.Trail) {
	if !m.addTrail(t.Life, int(t.From), t.Verts) {
		l.drop("stale", m.addr, false)
		return
	}
	l.applyReplica(m.id, m.display, m.look, m.bot, &m.replica, m.addr)
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}
