package net

import (
	"net/netip"
	"time"

	"golang.org/x/time/rate"

	"lanarena/game"
)

func (l *core) drop(reason DropReason, from netip.AddrPort) {
	l.drops[reason]++
	if !reason.Bad() {
		return
	}
	s := l.source(from, l.now)
	s.bad++
	if s.bad >= suspectAfter && !s.warned {
		s.warned = true
		l.logf("junk from %s (%s)", from, reason)
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

// rateLimit is how many packets a second one address may send: a
// server-mode host reports every cycle every tick.
func (l *core) rateLimit() rate.Limit {
	if l.p.cfg.Mode == ModeServer {
		return rate.Limit(max(perAddrRate, l.p.cfg.Params.TickRate*(game.MaxPlayers+4)))
	}
	return rate.Limit(max(perAddrRate, l.p.cfg.Params.TickRate*4))
}

func (l *core) rateBurst() int { return max(perAddrBurst, int(l.rateLimit())) }
