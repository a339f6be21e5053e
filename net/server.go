package net

import (
	"fmt"

	"golang.org/x/time/rate"
	"slices"
	"time"

	"lanarena/game"
	"lanarena/net/wire"
)

// Server mode: the course's blocking client-server model, in the same game.
//
// One peer hosts: it runs the authoritative simulation of every cycle. A
// client sends a move request and waits for the host's answer before it
// sends the next one; its cycle moves one cell per answer, so it moves at
// most at the lower of the tick rate and 1/RTT. The host reports every
// cycle to every client each tick. Clients never wait in their own loop:
// "waiting" is a state of the protocol, not a blocked goroutine, so the
// screen stays responsive and says how long the answer has taken.
const (
	electionDelay  = 1500 * time.Millisecond // time to find an existing host
	maxClientTurns = 3
	reportGone     = 3 * time.Second // a cycle the host stopped reporting
)

// serverModel is server mode: the host steps every cycle and reports
// them all; a client asks the host to move its cycle and waits for the
// answer. Which of the two this peer is follows the election.
type serverModel struct {
	l     *core
	host  game.PlayerID // current host; 0 while electing
	since time.Time     // since when no host is known

	// hosting
	clients map[game.PlayerID]*hostClient

	// client
	req         uint32       // number of the newest request
	cur         wire.MoveReq // the newest request, resent unchanged until answered
	outstanding bool
	firstSent   time.Time
	lastSent    time.Time
	queue       []game.Dir
	cycles      map[game.PlayerID]*hostedCycle // as the host reports them
	notes       game.Text
	notesAt     time.Time
}

type hostClient struct {
	lastReq  uint32
	lastAck  *wire.MoveAck
	pending  *wire.MoveReq
	movedAt  uint32 // host tick of the latest move
	hasMoved bool
}

// hostedCycle is a client's bookkeeping of one cycle its host reports;
// the cycle itself is in the game replica.
type hostedCycle struct {
	replica
	seen time.Time // when the host last reported it
}

// newServerModel makes the model and, for a peer that wants to host,
// takes over at once. It installs itself as l's model first: taking over
// sends hellos, which carry the model's flags.
func newServerModel(l *core, now time.Time) *serverModel {
	s := &serverModel{
		l:       l,
		since:   now,
		clients: map[game.PlayerID]*hostClient{},
		cycles:  map[game.PlayerID]*hostedCycle{},
	}
	l.model = s
	if l.p.cfg.Host && !l.p.cfg.Spectator {
		s.takeOver()
	}
	return s
}

func (s *serverModel) hosting() bool { return s.host == s.l.p.id }

func (s *serverModel) setNotice(text string) {
	s.notes, s.notesAt = game.Clean(text, maxNoticeRunes), s.l.now
	s.l.logf("%s", text)
}

// status says how long this client's request has waited, who hosts, and
// the latest notice of the election.
func (s *serverModel) status(now time.Time) (time.Duration, game.Text, game.Text) {
	waiting, host := s.waiting(now)
	return waiting, host, s.notice(now)
}

func (s *serverModel) helloFlags() uint8 {
	if s.hosting() {
		return wire.HelloHost
	}
	return 0
}

// rateLimit: a host reports every cycle every tick.
func (s *serverModel) rateLimit() rate.Limit { return hostReportRate(s.l.p.cfg.Params) }

func (s *serverModel) removed(game.PlayerID)        {}
func (s *serverModel) housekeep(*member, time.Time) {}

func (s *serverModel) notice(now time.Time) game.Text {
	if s.notes != "" && now.Sub(s.notesAt) < 8*time.Second {
		return s.notes
	}
	if s.host == 0 {
		return "looking for a host…"
	}
	return ""
}

func (s *serverModel) waiting(now time.Time) (time.Duration, game.Text) {
	if s.hosting() {
		return 0, ""
	}
	var name game.Text
	if m := s.l.members[s.host]; m != nil {
		name = m.display
	}
	if !s.outstanding {
		return 0, name
	}
	return now.Sub(s.firstSent), name
}

// elect picks the host: the lowest id that announces hosting; when none
// does for a while, the lowest id of the players present (the peer that
// computes itself takes over; every peer computes the same).
func (s *serverModel) elect(now time.Time) {
	l := s.l
	var announced game.PlayerID
	for id, m := range l.members {
		if m.host && !m.lagging && (announced == 0 || id < announced) {
			announced = id
		}
	}
	if s.hosting() {
		if announced != 0 && announced < l.p.id {
			s.setNotice(fmt.Sprintf("%s hosts too: handing over", l.members[announced].display))
			s.stepDown(announced, now)
		}
		return
	}
	if s.host != 0 {
		m := l.members[s.host]
		switch {
		case m == nil:
			s.setNotice("the host left: choosing a new host")
			s.lost(now)
		case m.lagging:
			s.setNotice(fmt.Sprintf("host %s stopped answering: choosing a new host", m.display))
			s.lost(now)
		case !m.host && now.Sub(m.joined) > 2*heartbeatEvry:
			s.lost(now)
		}
	}
	if announced != 0 {
		if s.host != announced {
			s.setHost(announced)
			l.logf("%s hosts the room", l.members[announced].display)
		}
		return
	}
	if s.host != 0 || now.Sub(s.since) < electionDelay {
		return
	}
	best := game.PlayerID(0)
	if !l.p.cfg.Spectator {
		best = l.p.id
	}
	for id, m := range l.members {
		if !m.spectator && !m.lagging && (best == 0 || id < best) {
			best = id
		}
	}
	if best == l.p.id {
		s.takeOver()
	}
}

// lost gives up on the host: a silent one is dropped (and told so, should
// it come back), and the election starts at once among who is left.
func (s *serverModel) lost(now time.Time) {
	if m := s.l.members[s.host]; m != nil && m.lagging {
		s.l.dropMember(m, now)
	}
	s.setHost(0)
	s.since = now.Add(-electionDelay)
}

// setHost follows a new host. Its reports are numbered by its own run of
// sequence numbers, so what the old host's numbers said is forgotten (the
// replicas and their ledgers stay).
func (s *serverModel) setHost(id game.PlayerID) {
	s.host = id
	s.outstanding = false
	for _, hcy := range s.cycles {
		hcy.stateSeq = 0
		hcy.haveState = false
	}
}

// takeOver makes this peer the host: every cycle it knows becomes its own
// to simulate, and every player without a cycle gets one.
func (s *serverModel) takeOver() {
	l := s.l
	s.setHost(l.p.id)
	for _, id := range l.st.IDs() {
		if id != l.p.id && l.members[id] == nil {
			l.st.Remove(id)
			continue
		}
		l.st.SetLocal(id, true)
	}
	if !l.p.cfg.Spectator && l.st.Cycle(l.p.id) == nil {
		if _, err := l.st.Join(l.p.id, l.p.name, 0, l.p.cfg.Bot, l.rng); err != nil {
			l.p.log.Printf("host: %v", err)
		}
	}
	s.joinClients()
	l.assignColors()
	l.logf("%s hosts the room", l.p.cfg.Name)
	if l.p.cfg.OnHost != nil {
		l.p.cfg.OnHost(true)
	}
	for _, m := range l.members {
		l.send(m.addr, l.hello(0))
	}
}

func (s *serverModel) stepDown(to game.PlayerID, now time.Time) {
	l := s.l
	for _, id := range l.st.IDs() {
		l.st.SetLocal(id, false)
	}
	clear(s.clients)
	s.setHost(to)
	s.since = now
	if l.p.cfg.OnHost != nil {
		l.p.cfg.OnHost(false)
	}
	for _, m := range l.members {
		l.send(m.addr, l.hello(0))
	}
}

// joinClients gives every player of the room a cycle on the host.
func (s *serverModel) joinClients() {
	l := s.l
	for id, m := range l.members {
		if m.spectator || l.st.Cycle(id) != nil {
			continue
		}
		if _, err := l.st.Join(id, m.name, 0, m.bot, l.rng); err != nil {
			l.p.log.Printf("host: join %s: %v", m.display, err)
		}
	}
	l.assignColors()
}

func (s *serverModel) membersChanged() {
	if s.hosting() {
		s.joinClients()
		for id := range s.clients {
			if s.l.members[id] == nil {
				delete(s.clients, id)
			}
		}
	}
}

// turn queues a turn of this client's cycle for its next requests, with
// the same rule as the game: no repeats, no reversal.
func (s *serverModel) turn(d game.Dir) {
	if s.hosting() {
		s.l.st.Turn(s.l.p.id, d)
		return
	}
	if !d.Valid() || len(s.queue) >= maxClientTurns {
		return
	}
	last := game.Dir(255)
	if c := s.l.self(); c != nil && c.Alive && c.Ready == 0 {
		last = c.Dir // a waiting cycle sets off whichever way it is sent
	}
	if n := len(s.queue); n > 0 {
		last = s.queue[n-1]
	}
	if last.Valid() && (d == last || d == last.Opposite()) {
		return
	}
	s.queue = append(s.queue, d)
}

func (s *serverModel) tick(now time.Time) {
	s.elect(now)
	if s.hosting() {
		s.hostTick(now)
		return
	}
	s.clientTick(now)
}

func (s *serverModel) hostTick(now time.Time) {
	l := s.l
	l.steerBot()
	if l.st.IsLocal(l.p.id) {
		l.events(l.st.StepOwn(l.p.id, l.rng))
	} else {
		l.st.StepOwn(l.p.id, l.rng) // a spectating host: the clock (and the matches) still run
	}
	for _, id := range l.st.IDs() {
		c := l.st.Cycle(id)
		if id == l.p.id || !l.st.IsLocal(id) {
			continue
		}
		hc := s.clients[id]
		if !c.Alive || c.Ready > 0 && (hc == nil || hc.pending == nil) {
			// Respawns and the ready phase run on the host's clock, one
			// step a tick: a request during the phase is answered on the
			// next tick (its turn sets the cycle off).
			l.events(l.st.Move(id, l.rng))
			if hc != nil {
				hc.movedAt, hc.hasMoved = l.st.Tick, true
			}
			continue
		}
		if hc != nil && hc.pending != nil {
			s.move(id, hc)
		}
	}
	s.report()
}

// report sends every cycle to every member.
func (s *serverModel) report() {
	l := s.l
	l.st.Cycles(func(c *game.Cycle) {
		// The announced name, not the one shown here (which may carry a
		// "#1a2b" suffix past the wire's limit): clients tell names apart
		// themselves.
		name := l.p.name
		if m := l.members[c.ID]; m != nil {
			name = m.name
		}
		msg := &l.out.cycle
		*msg = wire.CycleState{Owner: c.ID, Name: string(name), Color: uint8(c.Color)}
		setOwnState(&msg.State, l.st, c)
		for _, m := range l.members {
			l.queue(m.addr, msg)
		}
	})
	l.flush()
}

// move carries out a client's pending request: one cell, at most one per
// host tick, then the answer.
func (s *serverModel) move(id game.PlayerID, hc *hostClient) {
	l := s.l
	if hc.hasMoved && hc.movedAt == l.st.Tick {
		return // already moved this tick: the request waits for the next
	}
	req := hc.pending
	hc.pending = nil
	if req.Turn {
		l.st.Turn(id, req.Dir)
	}
	l.events(l.st.Move(id, l.rng))
	hc.movedAt, hc.hasMoved = l.st.Tick, true
	c := l.st.Cycle(id)
	ack := &wire.MoveAck{Req: req.Req, Tick: l.st.Tick, State: *ownState(l.st, c)}
	ack.State.Verts = slices.Clone(ack.State.Verts)
	hc.lastReq, hc.lastAck = req.Req, ack
	if m := l.members[id]; m != nil {
		l.send(m.addr, ack)
	}
}

func (s *serverModel) clientTick(now time.Time) {
	l := s.l
	m := l.members[s.host]
	if m == nil {
		return
	}
	if !l.p.cfg.Spectator {
		if s.outstanding {
			rto := max(3*m.rtt, 300*time.Millisecond)
			if now.Sub(s.lastSent) >= rto {
				s.resend(m, now) // the same request again: it or its answer was lost
			}
		} else {
			s.ask(m, now)
		}
	}
	// A cycle the host stopped reporting, while the host still talks, is
	// gone (the host dropped that player).
	if now.Sub(m.lastHeard) < reportGone {
		for id, hcy := range s.cycles {
			if id != l.p.id && now.Sub(hcy.seen) > reportGone {
				delete(s.cycles, id)
				l.st.Remove(id)
			}
		}
	}
}

// ask sends a new move request, carrying the next queued turn, and waits
// for its answer: the blocking model.
func (s *serverModel) ask(host *member, now time.Time) {
	l := s.l
	s.req++
	s.cur = wire.MoveReq{Req: s.req}
	if c := l.self(); c != nil && c.Alive {
		if l.p.cfg.Bot {
			s.queue = s.queue[:0]
			if d := game.BotDir(l.st, l.p.id, l.rng); d != c.Dir && c.Ready == 0 { // bots wait out the ready phase
				s.queue = append(s.queue, d)
			}
		}
		// A waiting cycle sets off whichever way it is sent.
		for len(s.queue) > 0 && c.Ready == 0 && (s.queue[0] == c.Dir || s.queue[0] == c.Dir.Opposite()) {
			s.queue = s.queue[1:]
		}
		if len(s.queue) > 0 {
			s.cur.Dir, s.cur.Turn = s.queue[0], true
			s.queue = s.queue[1:]
		}
	}
	s.outstanding = true
	s.firstSent = now
	s.resend(host, now)
}

// resend sends the outstanding request, unchanged.
func (s *serverModel) resend(host *member, now time.Time) {
	s.lastSent = now
	req := s.cur
	s.l.send(host.addr, &req)
}

// handle takes a server-mode message; the peer-to-peer ones are not
// its (in server mode only the host reports cycles).
func (s *serverModel) handle(m *member, h wire.Header, msg wire.Message, now time.Time) bool {
	switch msg := msg.(type) {
	case *wire.MoveReq:
		s.handleMoveReq(m, msg)
	case *wire.MoveAck:
		s.handleMoveAck(m, h, msg, now)
	case *wire.CycleState:
		s.handleCycleState(m, h, msg, now)
	case *wire.CycleTrailReq:
		s.handleCycleTrailReq(m, msg)
	case *wire.CycleTrail:
		s.handleCycleTrail(m, msg)
	default:
		return false
	}
	return true
}

// handleMoveReq: a client asks the host to move its cycle.
func (s *serverModel) handleMoveReq(m *member, req *wire.MoveReq) {
	l := s.l
	if !s.hosting() || m.spectator {
		l.drop(DropNotHost, m.addr)
		return
	}
	hc := s.clients[m.id]
	if hc == nil {
		hc = &hostClient{}
		s.clients[m.id] = hc
		s.joinClients()
	}
	switch {
	case req.Req == hc.lastReq && hc.lastAck != nil:
		l.send(m.addr, hc.lastAck) // our answer was lost: same answer, no second move
	case req.Req < hc.lastReq:
		l.drop(DropStaleMoveReq, m.addr)
	default:
		hc.pending = req
		if c := l.st.Cycle(m.id); c != nil && c.Alive {
			s.move(m.id, hc)
		}
	}
}

// handleMoveAck: the host answers this client's outstanding request.
func (s *serverModel) handleMoveAck(m *member, h wire.Header, ack *wire.MoveAck, now time.Time) {
	l := s.l
	if m.id != s.host || !s.outstanding || ack.Req != s.req {
		l.drop(DropStaleMoveAck, m.addr)
		return
	}
	s.outstanding = false
	s.apply(l.p.id, h.Seq, &ack.State, now)
	if now.Sub(s.firstSent) >= time.Second/time.Duration(l.p.cfg.Params.TickRate) {
		s.ask(m, now) // the answer took longer than a tick: ask again at once
	}
}

// handleCycleState: the host reports one cycle.
func (s *serverModel) handleCycleState(m *member, h wire.Header, cs *wire.CycleState, now time.Time) {
	if m.id != s.host || s.hosting() {
		s.l.drop(DropNotHost, m.addr)
		return
	}
	s.apply(cs.Owner, h.Seq, &cs.State, now)
}

// handleCycleTrailReq: a client misses part of a cycle's trail.
func (s *serverModel) handleCycleTrailReq(m *member, req *wire.CycleTrailReq) {
	l := s.l
	if !s.hosting() {
		l.drop(DropNotHost, m.addr)
		return
	}
	c := l.st.Cycle(req.Owner)
	if c == nil || c.Life != req.Life {
		l.drop(DropStaleTrailReq, m.addr)
		return
	}
	t := trailChunk(c, req.From)
	l.send(m.addr, &wire.CycleTrail{Owner: c.ID, Life: t.Life, From: t.From, Total: t.Total, Verts: t.Verts})
}

// handleCycleTrail: the host sends the older part of a cycle's trail.
func (s *serverModel) handleCycleTrail(m *member, t *wire.CycleTrail) {
	if m.id != s.host || s.cycles[t.Owner] == nil {
		s.l.drop(DropTrailGap, m.addr)
		return
	}
	s.l.addTrail(t.Owner, t.Life, int(t.From), t.Verts, m.addr)
}

// apply folds the host's report of one cycle into this client's replica.
func (s *serverModel) apply(owner game.PlayerID, seq uint32, st *wire.State, now time.Time) {
	l := s.l
	host := l.members[s.host]
	if host == nil || owner != l.p.id && l.members[owner] == nil {
		return // a player we do not know (yet): its hello will come
	}
	hcy := s.hosted(owner)
	if hcy.haveState && seq <= hcy.stateSeq {
		return
	}
	l.st.Tick = max(l.st.Tick, st.Tick) // a client's clock is the host's
	if reason := l.apply(owner, s.shown(owner), &hcy.replica, seq, st, 1); reason != "" {
		l.drop(reason, host.addr)
		return
	}
	hcy.seen = now
	if life, from, due := l.repairDue(owner, &hcy.replica, now); due {
		l.send(host.addr, &wire.CycleTrailReq{Owner: owner, Life: life, From: from})
	}
	if l.p.cfg.Probe != nil {
		l.p.cfg.Probe.Applied(l.p.id, owner, st.Tick, st.Head, st.Alive, now)
	}
}

// hosted is this client's replica of a cycle the host reports.
func (s *serverModel) hosted(owner game.PlayerID) *hostedCycle {
	hcy := s.cycles[owner]
	if hcy == nil {
		hcy = &hostedCycle{}
		s.cycles[owner] = hcy
	}
	return hcy
}

// hello folds a member's ledger into the replica of its cycle: the host
// reports no ledgers, the players themselves do.
func (s *serverModel) heardHello(m *member, ledger []game.Tally) {
	if s.hosting() || m.spectator {
		return
	}
	s.l.heardLedger(m.id, &s.hosted(m.id).replica, ledger, m.addr)
}

// shown is how the cycle of owner is presented: this player's own, or a
// member's.
func (s *serverModel) shown(owner game.PlayerID) shown {
	l := s.l
	if m := l.members[owner]; m != nil {
		return shown{m.display, m.color, m.bot}
	}
	return shown{l.selfName, l.selfColor, l.p.cfg.Bot}
}
