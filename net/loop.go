package net

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/netip"
	"slices"
	"time"

	"golang.org/x/time/rate"

	"lanarena/game"
	"lanarena/net/throttle"
	"lanarena/net/transport"
	"lanarena/net/wire"
)

// Limits of what the loop remembers.
const (
	maxLogLines    = 50
	maxChatLines   = 50
	stateVerts     = 4   // recent turn points carried by every state packet
	maxTrailChunk  = 500 // vertices per trail repair packet
	repairEvery    = 200 * time.Millisecond
	suspectAfter   = 20  // bad packets in a window mark a source
	perAddrRate    = 150 // packets/s a single source may send
	perAddrBurst   = 100
	maxSources     = 4096
	housekeepEvery = 250 * time.Millisecond
)

// loop is the state owned by Peer.Run's goroutine. Nothing else touches it.
type loop struct {
	p   *Peer
	st  *game.State
	rng *rand.Rand
	seq uint32
	buf []byte

	members    map[game.PlayerID]*member
	byAddr     map[netip.AddrPort]game.PlayerID
	candidates map[netip.AddrPort]*candidate
	sources    map[netip.AddrPort]*source   // rate limits and junk counts per address
	overflow   *source                      // shared by addresses past maxSources
	refused    map[netip.AddrPort]time.Time // not to be greeted again until then
	joined     map[netip.AddrPort]bool      // addresses given with --join
	drops      map[string]uint64
	logLines   []LogLine
	chatLines  []ChatLine
	notice     string
	noticeAt   time.Time
	notices    *throttle.Throttle // log lines caused by packets (notice.go)
	lastRates  time.Time
	server     *serverState // server mode only
	scratch    []game.Point // trail checked before a state is applied
	out        outBatch     // packets of one broadcast or report
	selfName   string       // this player's name and colour as shown
	selfLook   int
}

type candidate struct {
	tries     int
	next      time.Time
	permanent bool // given with --join: never given up, only slowed down
}

type source struct {
	lim      *rate.Limiter
	bad      int
	badSince time.Time
	seen     time.Time
	warned   bool
}

func newLoop(p *Peer) *loop {
	return &loop{
		p:          p,
		st:         game.New(p.cfg.Params),
		rng:        rand.New(rand.NewPCG(p.cfg.Seed, uint64(p.id))),
		buf:        make([]byte, 0, wire.MaxPacket),
		members:    map[game.PlayerID]*member{},
		byAddr:     map[netip.AddrPort]game.PlayerID{},
		candidates: map[netip.AddrPort]*candidate{},
		sources:    map[netip.AddrPort]*source{},
		refused:    map[netip.AddrPort]time.Time{},
		joined:     map[netip.AddrPort]bool{},
		drops:      map[string]uint64{},
		notices:    newNoticeThrottle(),
	}
}

func (l *loop) run(ctx context.Context) error {
	cfg := l.p.cfg
	if !cfg.Spectator && cfg.Mode != ModeServer {
		if _, err := l.st.Join(l.p.id, cfg.Name, max(cfg.Color, 0), cfg.Bot, l.rng); err != nil {
			return err
		}
	}
	l.assignLooks()
	if cfg.Mode == ModeServer {
		l.server = newServerState(l, time.Now())
	}
	tick := time.NewTicker(time.Second / time.Duration(cfg.Params.TickRate))
	defer tick.Stop()
	house := time.NewTicker(housekeepEvery)
	defer house.Stop()
	packets := l.p.tr.Packets()
	l.lastRates = time.Now()
	l.logf("%s joined room %q at %s", cfg.Name, cfg.Room, l.p.Addr())
	for {
		select {
		case <-ctx.Done():
			l.leave()
			return nil
		case <-l.p.stop:
			l.leave()
			return nil
		case pkt, ok := <-packets:
			if !ok {
				return errors.New("transport closed")
			}
			l.receive(pkt)
		case d := <-l.p.turns:
			l.turn(d)
		case text := <-l.p.says:
			l.say(text, time.Now())
		case c := <-l.p.candidates:
			if c.id == 0 || l.members[c.id] == nil { // a member found again elsewhere is no news
				l.addCandidate(c.addr, c.permanent, time.Now())
			}
		case reply := <-l.p.snapReq:
			reply <- l.snapshot()
		case now := <-tick.C:
			l.tick(now)
		case now := <-house.C:
			l.housekeep(now)
		}
	}
}

func (l *loop) self() *game.Cycle { return l.st.Cycle(l.p.id) }

func (l *loop) turn(d game.Dir) {
	if l.server != nil && !l.server.hosting() {
		l.server.turn(d)
		return
	}
	l.st.Turn(l.p.id, d)
}

// tick advances this peer's own cycle and sends its state to every member,
// without waiting for anybody.
func (l *loop) tick(now time.Time) {
	if l.server != nil {
		l.server.tick(now)
	} else {
		l.steerBot()
		l.events(l.st.StepOwn(l.p.id, l.rng))
		if c := l.self(); c != nil && l.p.cfg.Probe != nil {
			l.p.cfg.Probe.Stepped(c.ID, l.st.Tick, c.Head, c.Alive, now)
		}
		l.broadcast()
	}
	if l.p.cfg.Publish {
		select {
		case <-l.p.snaps:
		default:
		}
		l.p.snaps <- l.snapshot()
	}
}

// steerBot lets the AI pick this peer's turn, when it is a bot's.
func (l *loop) steerBot() {
	if c := l.self(); c != nil && l.p.cfg.Bot && c.Alive {
		if d := game.BotDir(l.st, l.p.id, l.rng); d != c.Dir {
			l.st.Turn(l.p.id, d)
		}
	}
}

// broadcast sends this peer's own cycle to every member.
func (l *loop) broadcast() {
	c := l.self()
	if c == nil {
		return
	}
	msg := &l.out.state
	setOwnState(msg, l.st, c)
	for _, m := range l.members {
		l.queue(m.addr, msg)
	}
	l.flush()
}

// ownState is the state message of a cycle this replica owns.
func ownState(st *game.State, c *game.Cycle) *wire.State {
	s := new(wire.State)
	setOwnState(s, st, c)
	return s
}

// setOwnState makes s the state message of a cycle this replica owns.
func setOwnState(s *wire.State, st *game.State, c *game.Cycle) {
	n := min(len(c.Verts), stateVerts)
	*s = wire.State{
		Tick:        st.Tick,
		Life:        c.Life,
		Alive:       c.Alive,
		Dir:         c.Dir,
		Head:        c.Head,
		DeadTicks:   uint8(min(c.DeadTicks, 255)),
		Killer:      c.Killer,
		KillerCount: c.KilledByCount(c.Killer),
		Kills:       c.Kills,
		Deaths:      c.Deaths,
		Streak:      c.Streak,
		Best:        c.Best,
		VertTotal:   uint16(len(c.Verts)),
		Verts:       c.Verts[len(c.Verts)-n:],
	}
}

func (l *loop) events(evs []game.Event) {
	for _, e := range evs {
		switch e.Kind {
		case game.EventCrash:
			if e.Other != 0 {
				l.logf("%s crashed into %s", l.name(e.Player), l.name(e.Other))
			} else {
				l.logf("%s crashed", l.name(e.Player))
			}
		case game.EventKill:
			l.logf("%s got %s", l.name(e.Player), l.name(e.Other))
		}
	}
}

func (l *loop) name(id game.PlayerID) string {
	if c := l.st.Cycle(id); c != nil {
		return c.Name
	}
	if m := l.members[id]; m != nil {
		return m.display
	}
	// Its hello has not come yet: a bare id would read as a name.
	return "an unknown player"
}

// send encodes msg and writes it to addr. Errors are logged, never fatal:
// UDP is best effort.
func (l *loop) send(to netip.AddrPort, msg wire.Message) {
	b, m, err := l.encode(l.buf[:0], to, msg)
	if err != nil {
		l.p.log.Print(err)
		return
	}
	l.buf = b
	if err := l.p.tr.WriteTo(b, to); err != nil {
		l.logLimited(to.Addr(), "send-error", "send to %s: %v", to, err)
		return
	}
	if m != nil {
		m.sent(len(b))
	}
}

// encode appends the packet of msg for to to buf, sealed when the room
// has a key. Each member gets its own run of sequence numbers, so that it
// can count the packets it lost; other addresses share one run. It
// returns the member at to, nil if none, whose accounting is the
// caller's once the packet is sent.
func (l *loop) encode(buf []byte, to netip.AddrPort, msg wire.Message) ([]byte, *member, error) {
	var m *member
	if id, ok := l.byAddr[to]; ok {
		m = l.members[id]
	}
	l.seq++
	seq := l.seq
	if m != nil {
		m.txSeq++
		seq = m.txSeq
	}
	h := wire.Header{Sender: l.p.id, Seq: seq, Room: l.p.room}
	b, err := wire.Append(buf, h, msg)
	if err == nil && l.p.key != nil {
		b, err = wire.Seal(b, l.p.key)
	}
	if err != nil {
		return buf, m, fmt.Errorf("encode %T: %w", msg, err)
	}
	return b, m, nil
}

// outBatch holds the packets queued for one flush: one per member (and
// per cycle, in a server's report). They lie back to back in arena, which
// the next batch reuses, so that a tick allocates nothing once the arena
// has grown to a tick's worth.
type outBatch struct {
	arena   []byte
	msgs    []transport.Message
	members []*member // members[i] is the member msgs[i] goes to, nil for none

	// The messages of broadcast and report, reused from tick to tick
	// too: a message is encoded when queued, so it can change then.
	state wire.State
	cycle wire.CycleState
}

// room is the free end of the arena, with room for the largest packet.
func (o *outBatch) room() []byte {
	if cap(o.arena)-len(o.arena) < wire.MaxPacket {
		// The packets queued so far keep the old array.
		o.arena = make([]byte, 0, 2*cap(o.arena)+wire.MaxPacket)
	}
	n := len(o.arena)
	return o.arena[n : n : n+wire.MaxPacket]
}

// queue encodes msg for to, as send would, and keeps the packet for flush.
func (l *loop) queue(to netip.AddrPort, msg wire.Message) {
	o := &l.out
	b, m, err := l.encode(o.room(), to, msg)
	if err != nil {
		l.p.log.Print(err)
		return
	}
	o.arena = o.arena[:len(o.arena)+len(b)] // b was written in place: it fits room
	o.msgs = append(o.msgs, transport.Message{Data: b, To: to})
	o.members = append(o.members, m)
}

// flush sends the queued packets, in one batch when the transport is a
// Batcher (one sendmmsg for a UDP socket) or one WriteTo each, and
// accounts each packet sent as send does.
func (l *loop) flush() {
	o := &l.out
	bt, batched := l.p.tr.(transport.Batcher)
	var failed []error
	if batched {
		failed = batchFailures(bt.WriteBatch(o.msgs), len(o.msgs))
	}
	for i, msg := range o.msgs {
		var err error
		switch {
		case !batched:
			err = l.p.tr.WriteTo(msg.Data, msg.To)
		case failed != nil:
			err = failed[i]
		}
		if err != nil {
			l.logLimited(msg.To.Addr(), "send-error", "send to %s: %v", msg.To, err)
		} else if m := o.members[i]; m != nil {
			m.sent(len(msg.Data))
		}
	}
	clear(o.members) // a member dropped later is not kept alive here
	o.arena, o.msgs, o.members = o.arena[:0], o.msgs[:0], o.members[:0]
}

// batchFailures is, for each of n messages, why WriteBatch did not send
// it (nil if it did).
func batchFailures(err error, n int) []error {
	if err == nil {
		return nil
	}
	if be, ok := errors.AsType[*transport.BatchError](err); ok && len(be.Errs) == n {
		return be.Errs
	}
	all := make([]error, n)
	for i := range all {
		all[i] = err
	}
	return all
}

func (l *loop) leave() {
	for range 2 {
		for _, m := range l.members {
			l.send(m.addr, &wire.Leave{})
		}
	}
	l.logf("%s left", l.p.cfg.Name)
}

func (l *loop) logf(format string, args ...any) {
	text := fmt.Sprintf(format, args...)
	l.p.log.Print(text)
	l.logLines = append(l.logLines, LogLine{At: time.Now(), Text: game.CleanText(text, 120)})
	if len(l.logLines) > maxLogLines {
		l.logLines = slices.Delete(l.logLines, 0, len(l.logLines)-maxLogLines)
	}
}

func (l *loop) drop(reason string, from netip.AddrPort, bad bool) {
	l.drops[reason]++
	if !bad {
		return
	}
	s := l.source(from, time.Now())
	s.bad++
	if s.bad >= suspectAfter && !s.warned {
		s.warned = true
		if ok, more := l.allowLine(from.Addr(), "junk"); ok {
			l.logf("junk from %s (%s)%s", from, reason, throttle.More(more))
		}
	}
}

// source is the rate limit and junk count of one address. Past
// maxSources addresses (a flood from many), the newcomers share one: the
// map never grows without bound and the hot path never scans it;
// housekeep forgets quiet addresses.
func (l *loop) source(addr netip.AddrPort, now time.Time) *source {
	s := l.sources[addr]
	if s == nil {
		if len(l.sources) >= maxSources {
			if l.overflow == nil {
				l.overflow = &source{lim: rate.NewLimiter(perAddrRate, perAddrBurst), badSince: now}
			}
			s = l.overflow
		} else {
			s = &source{lim: rate.NewLimiter(l.rateLimit(), l.rateBurst()), badSince: now}
			l.sources[addr] = s
		}
	}
	s.seen = now
	return s
}

// rateLimit is how many packets a second one address may send: a
// server-mode host reports every cycle every tick.
func (l *loop) rateLimit() rate.Limit { return sourceRate(l.p.cfg) }

func (l *loop) rateBurst() int { return max(perAddrBurst, int(l.rateLimit())) }

// setNotice shows text on the status line, and logs it when it changes,
// at most once per source and reason (see logLimited).
func (l *loop) setNotice(from netip.AddrPort, reason, text string) {
	if l.notice != text {
		l.logLimited(from.Addr(), reason, "notice: %s", text)
	}
	l.notice, l.noticeAt = text, time.Now()
}

// housekeep runs a few times a second: hellos to candidates, heartbeats and
// pings to members, timeouts, rates, chat retransmissions, trail repair.
func (l *loop) housekeep(now time.Time) {
	for addr, c := range l.candidates {
		if _, ok := l.byAddr[addr]; ok {
			delete(l.candidates, addr)
			continue
		}
		if now.Before(c.next) {
			continue
		}
		every := helloEvery
		if c.tries >= maxHelloTries {
			if !c.permanent {
				delete(l.candidates, addr)
				continue
			}
			every = 5 * helloEvery
		}
		c.tries++
		c.next = now.Add(jitter(l.rng, every))
		l.send(addr, l.hello(wire.HelloReply))
	}
	for _, m := range l.members {
		silent := now.Sub(m.lastHeard)
		if silent > l.p.cfg.TimeoutAfter {
			l.logf("%s timed out", m.display)
			l.dropMember(m, now)
			continue
		}
		if !m.lagging && silent > l.p.cfg.LagAfter {
			l.logf("%s is lagging", m.display)
		}
		m.lagging = silent > l.p.cfg.LagAfter
		if now.Sub(m.lastHello) >= heartbeatEvry {
			m.lastHello = now
			l.send(m.addr, l.hello(0))
		}
		if now.Sub(m.lastPing) >= pingEvery {
			m.lastPing = now
			l.send(m.addr, &wire.Ping{Nonce: uint64(now.Sub(l.p.start))})
		}
		l.repair(m, now)
		l.resendChat(m, now)
	}
	if now.Sub(l.lastRates) >= time.Second {
		dt := now.Sub(l.lastRates)
		l.lastRates = now
		for _, m := range l.members {
			m.rates(dt)
		}
		for a, s := range l.sources {
			if now.Sub(s.badSince) > 10*time.Second {
				s.bad, s.badSince, s.warned = 0, now, false
			}
			if now.Sub(s.seen) > 30*time.Second {
				delete(l.sources, a)
			}
		}
		l.flushNotices(now)
		for a, until := range l.refused {
			if now.After(until) {
				delete(l.refused, a)
			}
		}
	}
	if l.notice != "" && now.Sub(l.noticeAt) > 10*time.Second {
		l.notice = ""
	}
}

func jitter(rng *rand.Rand, d time.Duration) time.Duration {
	return d*3/4 + time.Duration(rng.Int64N(int64(d/2)+1))
}

// addCandidate says hello to an address where a peer may be, and keeps
// saying it (see housekeep) until it answers or a while has passed.
func (l *loop) addCandidate(a netip.AddrPort, permanent bool, now time.Time) {
	a = netip.AddrPortFrom(a.Addr().Unmap(), a.Port())
	if !a.IsValid() || a.Port() == 0 || a == l.p.Addr() {
		return
	}
	if _, ok := l.byAddr[a]; ok {
		return
	}
	if until, ok := l.refused[a]; ok && now.Before(until) {
		return
	}
	if c, ok := l.candidates[a]; ok {
		c.permanent = c.permanent || permanent
		return
	}
	if len(l.candidates) >= maxCandidates {
		return
	}
	l.candidates[a] = &candidate{tries: 1, next: now.Add(jitter(l.rng, helloEvery)), permanent: permanent}
	l.send(a, l.hello(wire.HelloReply))
}
