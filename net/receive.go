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
			l.setNotice("a peer at " + from.String() + " speaks another protocol version")
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
			l.setNotice("packets from " + from.String() + " fail authentication: wrong secret?")
			return
		}
	} else if hdr.Flags&wire.FlagAuth != 0 {
		l.drop("locked", from, false)
		l.setNotice("room " + l.p.cfg.Room + " is private: start with --secret to join it")
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
		l.handleHello(h, hello, from, now)
		if m := l.members[h.Sender]; m != nil && m.addr == from && m.lastHeard.IsZero() {
			m.heard(now, h.Seq, len(pkt.Data))
		}
		return
	}
	m := l.members[h.Sender]
	if m == nil {
		if _, ok := msg.(*wire.Leave); ok {
			return
		}
		l.drop("unknown-sender", from, false)
		l.addCandidate(from) // say hello: it will tell us who it is
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
	if err := plausible(l.p.cfg.Params, &m.replica, s); err != nil {
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
	if r.haveState && s.Life != r.state.Life {
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
func plausible(p game.Params, r *replica, s *wire.State) error {
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
		if ticks < 0 || dist > ticks {
			return errTeleport
		}
		if s.VertTotal < r.state.VertTotal {
			return errBadTrail
		}
	}
	return nil
}

// mergeVerts folds the recent vertices a state carries into what we know
// of the owner's trail. The owner only ever appends to a life's vertex list,
// so any overlap joins exactly; a gap keeps the newest part and leaves the
// older part to trail repair.
func (r *replica) mergeVerts(s *wire.State) {
	total, n := int(s.VertTotal), len(s.Verts)
	start := total - n
	switch {
	case total == 0:
		r.verts, r.base = nil, 0
	case len(r.verts) > 0 && r.base <= start && r.base+len(r.verts) >= start:
		r.verts = append(r.verts[:start-r.base], s.Verts...)
	default: // nothing known, a gap, or newer vertices than all we know
		r.verts, r.base = slices.Clone(s.Verts), start
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
		l.p.log.Printf("merge %s: %v", name, err)
		r.verts, r.base = nil, 0
		return
	}
	l.events(evs)
}

// repair asks the owner for the part of its trail this replica misses.
func (l *loop) repair(m *member, now time.Time) {
	if m.base == 0 || !m.haveState || now.Before(m.repairAt) {
		return
	}
	wait := max(2*m.rtt, 100*time.Millisecond)
	m.repairAt = now.Add(wait)
	from := max(0, m.base-maxTrailChunk)
	l.send(m.addr, &wire.TrailReq{Life: m.state.Life, From: uint16(from)})
}

func (l *loop) handleTrailReq(m *member, req *wire.TrailReq) {
	c := l.self()
	if c == nil || req.Life != c.Life {
		l.drop("stale", m.addr, false)
		return
	}
	total := len(c.Verts)
	from := min(int(req.From), total)
	to := min(total, from+maxTrailChunk)
	l.send(m.addr, &wire.Trail{Life: c.Life, From: uint16(from), Total: uint16(total), Verts: c.Verts[from:to]})
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
