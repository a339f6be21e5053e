package net

import (
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
	maxLogRunes    = 120 // one line of the event log
	maxNoticeRunes = 200
	stateVerts     = 4   // recent turn points carried by every state packet
	maxTrailChunk  = 500 // vertices per trail repair packet
	repairEvery    = 200 * time.Millisecond
	suspectAfter   = 20  // bad packets in a window mark a source
	perAddrRate    = 150 // packets/s a single source may send
	perAddrBurst   = 100
	maxSources     = 4096
	housekeepEvery = 250 * time.Millisecond
)

// core is the peer's state machine: the game replica, the membership
// table, chat and the network figures. It takes events and time as input
// (handle, tick, housekeep) and never reads a clock: Peer.Run's driver
// feeds it real time, the simulation fake time. One goroutine owns it.
type core struct {
	p     *Peer
	now   time.Time // of the event being handled
	start time.Time // when the core was made: ping nonces count from it
	st    *game.State
	rng   *rand.Rand
	seq   uint32
	buf   []byte

	members    map[game.PlayerID]*member
	byAddr     map[netip.AddrPort]game.PlayerID
	candidates map[netip.AddrPort]*candidate
	sources    map[netip.AddrPort]*source   // rate limits and junk counts per address
	overflow   *source                      // shared by addresses past maxSources
	refused    map[netip.AddrPort]time.Time // not to be greeted again until then
	joined     map[netip.AddrPort]bool      // addresses given with --join
	drops      map[DropReason]uint64
	logLines   []LogLine
	chatLines  []ChatLine
	notice     game.Text
	noticeAt   time.Time
	lastRates  time.Time
	model      model     // p2p or server mode
	out        outBatch  // packets of one broadcast or report
	selfName   game.Text // this player's name and color as shown
	selfColor  int
	// colorTold is the colour (+1) the player was told it got instead of
	// its preference; 0 while it has its preference.
	colorTold int
	notices   *throttle.Throttle // log lines caused by packets (notice.go)
	wire      *wireRing          // the wire log; nil unless a wire view wants it
	cookies   *cookieJar         // return-routability challenges (admission.go)
	replies   *rate.Limiter      // replies to unproven sources, all of them
}

type candidate struct {
	tries     int
	next      time.Time
	permanent bool // given with --join: never given up, only slowed down
	cookie    [wire.CookieLen]byte
	cookieAt  time.Time // when it challenged us (zero: never): greet it with a HelloProof while the cookie is good
}

type source struct {
	lim      *rate.Limiter
	bad      int
	badSince time.Time
	seen     time.Time
	warned   bool
	replied  time.Time // last reply while unproven (mayReply)
	proofAt  time.Time // last HelloProof checked
	// versionAt is when the player was last told that this source runs
	// another protocol version; versionNamed, whether by name.
	versionAt    time.Time
	versionNamed bool
}

// versionNoticeEvery is how often one source of another protocol version
// is told about.
const versionNoticeEvery = 10 * time.Second

// newCore makes the core of p as of now: its own cycle joined (in a
// peer-to-peer room), its mode's state made. The driver and the simulation
// both start here.
func newCore(p *Peer, now time.Time) (*core, error) {
	l := &core{
		p:          p,
		now:        now,
		start:      now,
		lastRates:  now,
		st:         game.New(p.cfg.Params),
		rng:        rand.New(rand.NewPCG(p.cfg.Seed, uint64(p.id))),
		buf:        make([]byte, 0, wire.MaxPacket),
		members:    map[game.PlayerID]*member{},
		byAddr:     map[netip.AddrPort]game.PlayerID{},
		candidates: map[netip.AddrPort]*candidate{},
		sources:    map[netip.AddrPort]*source{},
		refused:    map[netip.AddrPort]time.Time{},
		joined:     map[netip.AddrPort]bool{},
		drops:      map[DropReason]uint64{},
		notices:    newNoticeThrottle(),
		cookies:    newCookieJar(now),
		replies:    newReplyLimiter(),
	}
	cfg := p.cfg
	var err error
	if l.model, err = newModel(l, now); err != nil {
		return nil, err
	}
	l.logf("%s joined room %q at %s", cfg.Name, cfg.Room, p.Addr())
	return l, nil
}

// Events the driver hands to the core, besides ticks.
type (
	sayEvent  string   // the player's chat line
	turnEvent game.Dir // the player's key
)

// handle takes one event at time now: a packet, a key, a chat line or an
// address where a peer may be.
func (l *core) handle(ev any, now time.Time) {
	l.now = now
	switch ev := ev.(type) {
	case transport.Packet:
		l.receive(ev, now)
	case turnEvent:
		l.turn(game.Dir(ev))
	case sayEvent:
		l.say(string(ev), now)
	case candidateMsg:
		if ev.id == 0 || l.members[ev.id] == nil { // a member found again elsewhere is no news
			l.addCandidate(ev.addr, ev.permanent, now)
		}
	}
}

func (l *core) self() *game.Cycle { return l.st.Cycle(l.p.id) }

func (l *core) turn(d game.Dir) {
	l.model.turn(d)
}

// tick advances this peer's own cycle and sends its state to every member,
// without waiting for anybody.
func (l *core) tick(now time.Time) {
	l.now = now
	l.syncWireLog()
	l.model.tick(now)
	if l.p.cfg.Publish {
		select {
		case <-l.p.snaps:
		default:
		}
		l.p.snaps <- l.snapshot(now)
	}
}

// steerBot lets the AI pick this peer's turn, when it is a bot's.
func (l *core) steerBot() {
	if c := l.self(); c != nil && l.p.cfg.Bot && c.Alive && c.Ready == 0 { // bots wait out the ready phase
		if d := game.BotDir(l.st, l.p.id, l.rng); d != c.Dir {
			l.st.Turn(l.p.id, d)
		}
	}
}

func (l *core) events(evs []game.Event) {
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

func (l *core) name(id game.PlayerID) game.Text {
	if c := l.st.Cycle(id); c != nil {
		return c.Name
	}
	if m := l.members[id]; m != nil {
		return m.display
	}
	// Its hello has not come yet: a bare id would read as a name.
	return "an unknown player"
}

// leave tells every member this peer goes, twice (UDP may lose one).
func (l *core) leave(now time.Time) {
	l.now = now
	for range 2 {
		for _, m := range l.members {
			l.send(m.addr, &wire.Leave{})
		}
	}
	l.logf("%s left", l.p.cfg.Name)
}

func (l *core) logf(format string, args ...any) {
	text := fmt.Sprintf(format, args...)
	l.p.log.Print(text)
	l.logLines = append(l.logLines, LogLine{At: l.now, Text: game.Clean(text, maxLogRunes)})
	if len(l.logLines) > maxLogLines {
		l.logLines = slices.Delete(l.logLines, 0, len(l.logLines)-maxLogLines)
	}
}

// setNotice shows a line the player must see for a while, about a packet
// from from; the log gets it when it changes, at most once per source
// and reason (see logLimited).
func (l *core) setNotice(from netip.AddrPort, reason, text string) {
	t := game.Clean(text, maxNoticeRunes)
	if l.notice != t {
		l.logLimited(from.Addr(), reason, "notice: %s", t)
	}
	l.notice, l.noticeAt = t, l.now
}

// housekeep runs a few times a second: hellos to candidates, heartbeats and
// pings to members, timeouts, rates, chat retransmissions, trail repair.
func (l *core) housekeep(now time.Time) {
	l.now = now
	l.greetCandidates(now)
	for _, m := range l.members {
		l.keep(m, now)
	}
	if now.Sub(l.lastRates) >= time.Second {
		l.closeWindow(now)
	}
	if l.notice != "" && now.Sub(l.noticeAt) > 10*time.Second {
		l.notice = ""
	}
}

// greetCandidates says hello again to the candidates that have not
// answered, and gives up on those tried long enough (not --join ones).
func (l *core) greetCandidates(now time.Time) {
	for addr, c := range l.candidates {
		if known := l.canonical(addr); known != addr || l.byAddr[addr] != 0 {
			// A member already, maybe at another address of one machine:
			// a --join given for it is kept for when it is lost.
			if c.permanent {
				l.joined[known] = true
			}
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
		if !c.cookieAt.IsZero() && now.Sub(c.cookieAt) < cookieWindow { // else a Hello: a new challenge
			l.send(addr, l.proof(c.cookie, wire.HelloReply))
		} else {
			l.send(addr, l.hello(wire.HelloReply))
		}
		if _, heard := l.sources[addr]; c.permanent && c.tries >= silentAfterTries && !heard {
			// A --join address that never answers: say so, or the
			// player waits for a peer that is not there. One that
			// answers unreadably has a notice of its own (a secret).
			l.setNotice(addr, "silent", fmt.Sprintf("no answer from %s (%d tries)", addr, c.tries))
		}
	}
}

// silentAfterTries is how many hellos a --join address gets without an
// answer before the player is told.
const silentAfterTries = 3

// keep looks after one member: timeout, lagging, heartbeat, ping, the
// model's repairs, chat retransmissions.
func (l *core) keep(m *member, now time.Time) {
	silent := now.Sub(m.lastHeard)
	if silent > l.p.cfg.TimeoutAfter {
		l.logf("%s timed out", m.display)
		l.dropMember(m, now)
		return
	}
	if !m.lagging && silent > l.p.cfg.LagAfter {
		l.logf("%s is lagging", m.display)
	}
	m.lagging = silent > l.p.cfg.LagAfter
	if now.Sub(m.lastHello) >= heartbeatEvry {
		m.lastHello = now
		l.send(m.addr, l.heartbeat(m, now))
	}
	if now.Sub(m.lastPing) >= pingEvery && !m.stream.probes(now) { // else RTT rides on the stream
		m.lastPing = now
		l.send(m.addr, &wire.Ping{Nonce: uint64(now.Sub(l.start))})
	}
	l.model.housekeep(m, now)
	l.resendChat(m, now)
}

// closeWindow ends a rate window, about every second: members' rates,
// junk counts reset, quiet sources and expired refusals forgotten.
func (l *core) closeWindow(now time.Time) {
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

func jitter(rng *rand.Rand, d time.Duration) time.Duration {
	return d*3/4 + time.Duration(rng.Int64N(int64(d/2)+1))
}

// addCandidate says hello to an address where a peer may be, and keeps
// saying it (see housekeep) until it answers or a while has passed.
func (l *core) addCandidate(a netip.AddrPort, permanent bool, now time.Time) {
	a = l.canonical(netip.AddrPortFrom(a.Addr().Unmap(), a.Port()))
	if !a.IsValid() || a.Port() == 0 || a == l.p.Addr() {
		return
	}
	if _, ok := l.byAddr[a]; ok {
		if permanent {
			l.joined[a] = true // kept for when that member is lost
		}
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
