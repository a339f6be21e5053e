package net

import (
	"golang.org/x/time/rate"

	"lanarena/game"
	"lanarena/net/transport"
)

// hostReportRate is how many packets a second a server-mode host sends
// each client: every cycle every tick. No model lets one address send
// more: it is server mode's per-source limit, and the most of any model.
func hostReportRate(p game.Params) rate.Limit {
	return rate.Limit(max(perAddrRate, p.TickRate*(game.MaxPlayers+4)))
}

// transportLimit is the UDP transport's coarse per-source gate for a peer
// of cfg: twice the most any model lets one address send, so that the
// core still sees a flood (and counts and reports it) but no more than
// that of it; the rest costs the reader goroutine a map lookup each.
func transportLimit(cfg Config) transport.SourceLimit {
	r := 2 * float64(hostReportRate(cfg.Params))
	return transport.SourceLimit{Rate: r, Burst: r}
}

// sourceLimitDrops is the count of packets the transport dropped by its
// SourceLimit before the core saw them.
func (l *core) sourceLimitDrops() (DropCount, bool) {
	st, ok := l.p.tr.(interface{ Stats() transport.Stats })
	if !ok {
		return DropCount{}, false
	}
	n := st.Stats().Limited
	return DropCount{Reason: string(DropSourceLimit), Count: n}, n > 0
}
