package net

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"net/netip"
	"time"

	"golang.org/x/time/rate"

	"lanarena/game"
	"lanarena/net/wire"
)

// Admission of strangers (PROTOCOL.md 4.13 and 7.1). An address that is
// no member's must first prove it receives what is sent to it: its Hello
// gets a Challenge whose cookie it echoes in a HelloProof. The cookie is
// a MAC over the address under a secret that rotates every cookieWindow,
// so a challenge keeps no state; spoofed sources never see theirs. Until
// an address is proven it gets the challenge or a refusal saying why not,
// at most one reply per source per replyEvery and replyRate in all.
const (
	cookieWindow = 30 * time.Second // a cookie is good for 30–60 s
	replyEvery   = time.Second      // one reply per unproven source
	replyRate    = 256              // replies a second to all unproven sources
	proofEvery   = 100 * time.Millisecond
	// maxSpectators is the room's cap of spectators, apart from players.
	maxSpectators = 16
	// maxPendingPerHost is how many members from one IP address may wait
	// to play (proven, no game state yet): what a script that answers
	// challenges but never plays can hold.
	maxPendingPerHost = 8
)

// cookieJar makes and checks return-routability cookies. The zero value
// is not usable; see newCookieJar.
type cookieJar struct {
	window int64 // the current window's number
	cur    [32]byte
	prev   [32]byte // the window before's secret
}

func newCookieJar(now time.Time) *cookieJar {
	j := &cookieJar{window: now.UnixNano() / int64(cookieWindow)}
	rand.Read(j.cur[:])
	rand.Read(j.prev[:])
	return j
}

// rotate moves to now's window: the secret of the window before is kept,
// any older one is forgotten.
func (j *cookieJar) rotate(now time.Time) {
	w := now.UnixNano() / int64(cookieWindow)
	switch {
	case w == j.window:
		return
	case w == j.window+1:
		j.prev = j.cur
	default:
		rand.Read(j.prev[:])
	}
	rand.Read(j.cur[:])
	j.window = w
}

func cookieFor(secret *[32]byte, window int64, a netip.AddrPort) (c [wire.CookieLen]byte) {
	var msg [8 + 16 + 2]byte
	binary.LittleEndian.PutUint64(msg[:], uint64(window))
	ip := a.Addr().Unmap().As16()
	copy(msg[8:], ip[:])
	binary.LittleEndian.PutUint16(msg[24:], a.Port())
	h := hmac.New(sha256.New, secret[:])
	h.Write(msg[:])
	var sum [sha256.Size]byte
	copy(c[:], h.Sum(sum[:0]))
	return c
}

// make is the cookie of address a now.
func (j *cookieJar) make(a netip.AddrPort, now time.Time) [wire.CookieLen]byte {
	j.rotate(now)
	return cookieFor(&j.cur, j.window, a)
}

// check reports whether c is a's cookie of this window or the one before.
func (j *cookieJar) check(a netip.AddrPort, c [wire.CookieLen]byte, now time.Time) bool {
	j.rotate(now)
	cur, prev := cookieFor(&j.cur, j.window, a), cookieFor(&j.prev, j.window-1, a)
	return hmac.Equal(c[:], cur[:]) || hmac.Equal(c[:], prev[:])
}

func newReplyLimiter() *rate.Limiter { return rate.NewLimiter(replyRate, replyRate/4) }

// mayReply spends src's reply budget: one reply per replyEvery per
// source, replyRate in all. It is checked before a stranger's packet is
// decoded, so that a flood past it costs a header peek.
func (l *core) mayReply(src *source, now time.Time) bool {
	if !src.replied.IsZero() && now.Sub(src.replied) < replyEvery {
		return false
	}
	if !l.replies.AllowN(now, 1) {
		return false
	}
	src.replied = now
	return true
}

// strangerGate is the admit gate's check of a packet from an address
// that is no member's, made on the header alone: it reports whether the
// packet may be read further. A stranger may send only a Hello (within
// its reply budget), a HelloProof (with a good cookie), or a Challenge or
// Refusal (when this peer greets it).
func (l *core) strangerGate(from netip.AddrPort, hdr wire.Header, b []byte, src *source, now time.Time) bool {
	switch hdr.Type {
	case wire.TypeHello:
		if !l.mayReply(src, now) {
			l.drop(DropUnproven, from)
			return false
		}
		return true
	case wire.TypeHelloProof:
		cookie, _ := wire.PeekCookie(b)
		if !src.proofAt.IsZero() && now.Sub(src.proofAt) < proofEvery {
			l.drop(DropUnproven, from)
			return false
		}
		src.proofAt = now
		if !l.cookies.check(from, cookie, now) {
			l.drop(DropBadCookie, from)
			return false
		}
		return true
	case wire.TypeChallenge, wire.TypeRefusal:
		if l.candidates[from] == nil {
			l.drop(DropUnsolicited, from)
			return false
		}
		return hdr.Type == wire.TypeChallenge || l.mayReply(src, now)
	case wire.TypeLeave: // from a stranger, no news
		return false
	}
	if l.members[hdr.Sender] != nil {
		l.drop(DropSpoofed, from)
		return false
	}
	l.drop(DropUnknownSender, from)
	l.addCandidate(from, false, now)
	return false
}

// challenge answers a Hello from an unproven address: a refusal if it
// cannot join, else a Challenge. The caller spent the reply budget.
func (l *core) challenge(from netip.AddrPort, hello *wire.Hello) {
	if why, ok := l.compatible(hello, from); !ok {
		l.refuse(from, why)
		return
	}
	if why, ok := l.roomFor(hello.Flags&wire.HelloSpectator != 0, from); !ok {
		l.drop(DropRoomFull, from)
		if why != 0 {
			l.refuse(from, why)
		}
		return
	}
	l.send(from, &wire.Challenge{Cookie: l.cookies.make(from, l.now)})
}

// roomFor reports whether a newcomer from from, a spectator or not, has
// a place: players that play, spectators and members waiting to play
// from one host each have their cap. The last is no refusal (reason 0):
// peers started together on one host wait a tick or two for each other
// to play, and ask again.
func (l *core) roomFor(spectator bool, from netip.AddrPort) (wire.RefusalReason, bool) {
	players, spectators, pending := l.headcount(from.Addr())
	switch {
	case spectator && spectators >= maxSpectators:
		return wire.RefuseFull, false
	case !spectator && players >= game.MaxPlayers:
		return wire.RefuseFull, false
	case !spectator && pending >= maxPendingPerHost:
		return 0, false
	}
	return 0, true
}

// headcount counts the players that play (this one included unless it
// spectates), the spectators, and the members from host that have not
// played yet.
func (l *core) headcount(host netip.Addr) (players, spectators, pending int) {
	if !l.p.cfg.Spectator {
		players++
	}
	for _, m := range l.members {
		switch {
		case m.spectator:
			spectators++
		case m.played:
			players++
		case m.addr.Addr() == host:
			pending++
		}
	}
	return players, spectators, pending
}

// refuse tells an unproven address why it is not admitted, in an
// unsealed Refusal (it may not share our secret). The caller spent the
// reply budget.
func (l *core) refuse(to netip.AddrPort, why wire.RefusalReason) {
	cfg := l.p.cfg
	players, _, _ := l.headcount(netip.Addr{})
	r := &wire.Refusal{Reason: why, Mode: cfg.Mode, Params: cfg.Params,
		Players: uint8(min(players, 255)), Name: cfg.Name, Room: cfg.Room}
	h := wire.Header{Sender: l.p.id, Seq: l.seq + 1, Room: l.p.room}
	b, err := wire.Append(l.buf[:0], h, r)
	if err != nil {
		l.p.log.Print(err)
		return
	}
	l.seq++
	l.buf = b
	if err := l.p.tr.WriteTo(b, to); err != nil {
		l.logLimited(to.Addr(), "send-error", "send to %s: %v", to, err)
	}
}

// otherRoom tells both sides of a stranger's Hello from another room
// each other's room name (strangerGate spent the source's reply budget);
// anything else of another room is dropped unread.
func (l *core) otherRoom(from netip.AddrPort, hdr wire.Header, b []byte, member bool) {
	l.drop(DropWrongRoom, from)
	if member || hdr.Type != wire.TypeHello {
		return
	}
	_, msg, err := wire.Decode(b)
	if err != nil {
		return
	}
	hello, ok := msg.(*wire.Hello)
	if !ok {
		return
	}
	l.setNotice(from, "other-room", fmt.Sprintf("%s at %s is in room %q, not %q",
		game.CleanText(hello.Name, game.MaxNameRunes), from, game.CleanText(hello.Room, game.MaxNameRunes), l.p.cfg.Room))
	l.refuse(from, wire.RefuseOtherRoom)
}

// handleChallenge answers a Challenge from a peer this one greets or
// knows with a HelloProof echoing its cookie, now and in the greetings
// that follow.
func (l *core) handleChallenge(from netip.AddrPort, c *wire.Challenge) {
	if cand := l.candidates[from]; cand != nil {
		cand.cookie, cand.cookieAt = c.Cookie, l.now
	} else if _, ok := l.byAddr[from]; !ok {
		l.drop(DropUnsolicited, from)
		return
	}
	l.send(from, l.proof(c.Cookie, wire.HelloReply))
}

// proof is this peer's Hello, echoing cookie.
func (l *core) proof(cookie [wire.CookieLen]byte, flags uint8) *wire.HelloProof {
	return &wire.HelloProof{Cookie: cookie, Hello: *l.hello(flags)}
}
