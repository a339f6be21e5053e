package net

import (
	"golang.org/x/time/rate"

	"lanarena/game"
	"lanarena/net/transport"
)

// sourceRate is how many packets a second one address may send to a peer
// of cfg: a server-mode host reports every cycle every tick. The loop
// enforces it (rate-limit drops); the UDP transport enforces a multiple
// of it before anything is copied (transportLimit).
func sourceRate(cfg Config) rate.Limit {
	if cfg.Mode == ModeServer {
		return rate.Limit(max(perAddrRate, cfg.Params.TickRate*(game.MaxPlayers+4)))
	}
	return rate.Limit(max(perAddrRate, cfg.Params.TickRate*4))
}

// transportLimit is the transport's coarse gate for a peer of cfg: four
// times sourceRate, so the loop still sees a flood (and counts and reports
// it) but no more than that of it; the rest costs the reader goroutine a
// map lookup each.
func transportLimit(cfg Config) transport.SourceLimit {
	r := 4 * float64(sourceRate(cfg))
	return transport.SourceLimit{Rate: r, Burst: r}
}

// sourceLimitDrops is the count of packets the transport dropped by its
// SourceLimit before the loop saw them, as a drop reason of its own.
func (l *loop) sourceLimitDrops() (DropCount, bool) {
	st, ok := l.p.tr.(interface{ Stats() transport.Stats })
	if !ok {
		return DropCount{}, false
	}
	n := st.Stats().Limited
	return DropCount{Reason: "source-limit", Count: n}, n > 0
}
