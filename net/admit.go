package net

import (
	"errors"
	"fmt"
	"net/netip"
	"time"

	"golang.org/x/time/rate"

	"lanarena/game"
	"lanarena/net/throttle"
	"lanarena/net/wire"
)

// admit is the gate every datagram passes first, in the order of
// PROTOCOL.md 5.2: the source's rate limit, the size, the header, a
// stranger's admission (strangerGate, on the header alone) and the room
// tag (before a byte more is read), authentication in a private room,
// the body, and the sender not being this peer. Every early drop
// lives here: past it, nothing is done for junk. It returns the decoded
// packet.
func (l *core) admit(from netip.AddrPort, b []byte, now time.Time) (wire.Header, wire.Message, bool) {
	src := l.source(from, now)
	if !src.lim.AllowN(now, 1) {
		l.drop(DropRateLimit, from)
		return wire.Header{}, nil, false
	}
	if len(b) > wire.MaxPacket {
		l.drop(DropTooBig, from)
		return wire.Header{}, nil, false
	}
	hdr, err := wire.PeekHeader(b)
	if err != nil {
		if errors.Is(err, wire.ErrVersion) {
			l.otherVersion(from, hdr, b)
		}
		l.drop(codecDrop(err), from)
		return wire.Header{}, nil, false
	}
	_, member := l.byAddr[from]
	if !member && !l.strangerGate(from, hdr, b, src, now) {
		return wire.Header{}, nil, false
	}
	if hdr.Type == wire.TypeRefusal { // about another room, never sealed
		return l.decode(from, b)
	}
	if hdr.Room != l.p.room {
		l.otherRoom(from, hdr, b, member)
		return wire.Header{}, nil, false
	}
	body, ok := l.authenticate(from, hdr, b, !member)
	if !ok {
		return wire.Header{}, nil, false
	}
	return l.decode(from, body)
}

// decode is the admit gate's last step: the body, and the sender not
// being this peer.
func (l *core) decode(from netip.AddrPort, b []byte) (wire.Header, wire.Message, bool) {
	h, msg, err := wire.Decode(b)
	if err != nil {
		l.drop(codecDrop(err), from)
		return wire.Header{}, nil, false
	}
	if h.Sender == l.p.id {
		l.drop(DropOwnID, from)
		return wire.Header{}, nil, false
	}
	return h, msg, true
}

// otherVersion tells the player that a peer runs another lanarena: by
// its name when its Hello can be read that far, else by its address. A
// source is told about at most once every versionNoticeEvery, and once
// more when its name becomes known, so that a peer sending every tick
// does not flood the log.
func (l *core) otherVersion(from netip.AddrPort, hdr wire.Header, b []byte) {
	s := l.source(from, l.now)
	name, named := wire.ForeignName(b)
	who := game.CleanText(name, game.MaxNameRunes)
	named = named && who != ""
	recent := !s.versionAt.IsZero() && l.now.Sub(s.versionAt) < versionNoticeEvery
	if recent && (s.versionNamed || !named) {
		return
	}
	if !named {
		who = from.String()
	}
	s.versionAt, s.versionNamed = l.now, named
	reason := "version" // the log's throttle keeps a line by name apart from one by address
	if named {
		reason = "version-name"
	}
	l.setNotice(from, reason, fmt.Sprintf("%s runs another lanarena (protocol %d): update", who, hdr.Version))
}

// authenticate opens a sealed packet in a private room; an open room
// drops sealed packets (they belong to a private room of the same name).
// A stranger's Hello that fails is told why (strangerGate spent its reply
// budget).
func (l *core) authenticate(from netip.AddrPort, hdr wire.Header, b []byte, stranger bool) ([]byte, bool) {
	sealed := hdr.Flags&wire.FlagAuth != 0
	tell := func(why wire.RefusalReason) {
		if stranger && hdr.Type == wire.TypeHello {
			l.refuse(from, why)
		}
	}
	switch {
	case l.p.key == nil && sealed:
		l.drop(DropLocked, from)
		l.setNotice(from, "locked", "room "+l.p.cfg.Room+" is private: start with --secret to join it")
		tell(wire.RefuseOpen)
		return nil, false
	case l.p.key == nil:
		return b, true
	case !sealed:
		l.drop(DropUnauthenticated, from)
		tell(wire.RefuseLocked)
		return nil, false
	}
	b, err := wire.Open(b, l.p.key)
	if err != nil {
		l.drop(codecDrop(err), from)
		l.setNotice(from, "auth", "packets from "+from.String()+" fail authentication: wrong secret?")
		tell(wire.RefuseAuth)
		return nil, false
	}
	return b, true
}

// drop counts a dropped packet under its reason; a bad one counts
// against its source, which is reported once past suspectAfter.
func (l *core) drop(reason DropReason, from netip.AddrPort) {
	l.drops[reason]++
	l.recordDrop(reason, from)
	if !reason.Bad() {
		return
	}
	s := l.source(from, l.now)
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
func (l *core) source(addr netip.AddrPort, now time.Time) *source {
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

func (l *core) rateLimit() rate.Limit { return l.model.rateLimit() }

func (l *core) rateBurst() int { return max(perAddrBurst, int(l.rateLimit())) }
