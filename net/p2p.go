package net

import (
	"time"

	"golang.org/x/time/rate"

	"lanarena/game"
	"lanarena/net/wire"
)

// p2p is the peer-to-peer model, asynchronous: every peer steps its own
// cycle on its own clock and sends its state to every member each tick,
// never waiting for an answer; it keeps a replica of each member's cycle.
type p2p struct {
	l        *core
	pred     *predictor // remote cycles drawn where they are now (predict.go)
	replicas map[game.PlayerID]*replica
	own      owned // send on change, see stream.go
}

func newP2P(l *core) *p2p {
	return &p2p{l: l, replicas: map[game.PlayerID]*replica{}, pred: newPredictor(l.p.cfg.Params)}
}

// tick advances this peer's own cycle and sends its state to the members
// that need it (stream.go): every State leaves at a tick, right after the
// step, so that a receiver can tell the owner's tick phase from arrivals.
func (p *p2p) tick(now time.Time) {
	l := p.l
	l.steerBot()
	l.events(l.st.StepOwn(l.p.id, l.rng))
	if c := l.self(); c != nil && l.p.cfg.Probe != nil {
		l.p.cfg.Probe.Stepped(c.ID, l.st.Tick, c.Head, c.Alive, now)
	}
	p.send(now, false)
}

// send sends the own cycle's State to each member due one (every member
// when all), or a KeepAlive when this peer has no cycle.
func (p *p2p) send(now time.Time, all bool) {
	l := p.l
	c := l.self()
	msg := &l.out.state
	if c != nil {
		setOwnState(msg, l.st, c)
		p.own.note(msg)
	}
	period := time.Second / time.Duration(l.p.cfg.Params.TickRate)
	for _, m := range l.members {
		switch {
		case c == nil:
			if all || m.stream.ackDue(now) || now.Sub(m.stream.lastOut) >= spectatorKeepalive {
				l.queue(m.addr, &wire.KeepAlive{Stream: l.outStream(m, now)})
			}
		case all || p.own.stateDue(m, now, period, near(c, l.st.Cycle(m.id))):
			msg.Verts = c.Verts[len(c.Verts)-m.stream.vertsFor(c):]
			msg.Stream = l.outStream(m, now)
			l.queue(m.addr, msg)
			m.stream.record(m.txSeq, p.own.ver, msg)
		}
	}
	l.flush()
}

func (p *p2p) turn(d game.Dir) { p.l.st.Turn(p.l.p.id, d) }

func (p *p2p) handle(m *member, h wire.Header, msg wire.Message, now time.Time) bool {
	switch msg := msg.(type) {
	case *wire.State:
		if l := p.l; l.takeStream(m, &msg.Stream, now) {
			p.handleState(m, h, msg, now)
		}
	case *wire.KeepAlive:
		p.l.takeStream(m, &msg.Stream, now)
	case *wire.TrailReq:
		p.handleTrailReq(m, msg)
	case *wire.Trail:
		p.handleTrail(m, msg)
	default:
		return false
	}
	return true
}

func (p *p2p) helloFlags() uint8 { return 0 }

// heardHello folds the member's ledger into its replica: a death's entry
// can come in a hello before the state that counts it.
func (p *p2p) heardHello(m *member, ledger []game.Tally) {
	p.l.heardLedger(m.id, p.replica(m.id), ledger, m.addr)
}

func (p *p2p) membersChanged() {}
func (p *p2p) removed(id game.PlayerID) {
	delete(p.replicas, id)
	delete(p.pred.owners, id)
}

// housekeep asks for the part of a member's trail still missing.
func (p *p2p) housekeep(m *member, now time.Time) {
	if r := p.replicas[m.id]; r != nil {
		p.repair(m, r, now)
	}
}

func (p *p2p) status(time.Time) (time.Duration, game.Text, game.Text) { return 0, "", "" }

func (p *p2p) rateLimit() rate.Limit {
	return rate.Limit(max(perAddrRate, p.l.p.cfg.Params.TickRate*4))
}

// replica is the replica of member id's cycle, made on first use.
func (p *p2p) replica(id game.PlayerID) *replica {
	r := p.replicas[id]
	if r == nil {
		r = &replica{}
		p.replicas[id] = r
	}
	return r
}

// handleState applies a member's state if it is newer than what we have,
// after checking that it is possible.
func (p *p2p) handleState(m *member, h wire.Header, s *wire.State, now time.Time) {
	l := p.l
	if m.spectator {
		l.drop(DropSpectatorState, m.addr)
		return
	}
	r := p.replica(m.id)
	if r.haveState && h.Seq <= r.stateSeq {
		l.drop(DropStale, m.addr)
		return
	}
	drawn := p.pred.drawn(l, m.id, now) // before the state, for its correction
	if reason := l.apply(m.id, shown{m.display, m.color, m.bot}, r, h.Seq, s, 0); reason != "" {
		l.drop(reason, m.addr)
		return
	}
	m.stream.applied(h.Seq, s, now)
	if l.p.cfg.Probe != nil {
		l.p.cfg.Probe.Applied(l.p.id, m.id, s.Tick, s.Head, s.Alive, now)
	}
	p.pred.heard(l, m, s.Tick, drawn, now)
	p.repair(m, r, now)
}

// repair asks the owner for the part of its trail this replica misses.
func (p *p2p) repair(m *member, r *replica, now time.Time) {
	if life, from, due := p.l.repairDue(m.id, r, now); due {
		p.l.send(m.addr, &wire.TrailReq{Life: life, From: from})
	}
}

// handleTrailReq answers a member that misses part of this peer's trail.
func (p *p2p) handleTrailReq(m *member, req *wire.TrailReq) {
	c := p.l.self()
	if c == nil || req.Life != c.Life {
		p.l.drop(DropStaleTrailReq, m.addr)
		return
	}
	p.l.send(m.addr, trailChunk(c, req.From))
}

// handleTrail folds in the older part of a member's trail.
func (p *p2p) handleTrail(m *member, t *wire.Trail) {
	p.l.addTrail(m.id, t.Life, int(t.From), t.Verts, m.addr)
}
