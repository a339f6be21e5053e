package net

import (
	"fmt"
	"net/netip"

	"lanarena/game"
	"lanarena/net/wire"
)

// handleRefusal tells the player why a peer it greets did not admit it.
// The strangerGate let it through: it comes from a candidate, within the
// source's reply budget. A Refusal is not authenticated (the refuser may
// not share our secret): it only ever becomes a notice.
func (l *core) handleRefusal(from netip.AddrPort, r *wire.Refusal) {
	l.setNotice(from, "refused-"+r.Reason.String(), l.refusalText(from, r))
}

// refusalText says, for the player, why r's sender did not admit it and
// what to change.
func (l *core) refusalText(from netip.AddrPort, r *wire.Refusal) string {
	cfg := l.p.cfg
	name := game.CleanText(r.Name, game.MaxNameRunes)
	room := game.CleanText(r.Room, game.MaxNameRunes)
	switch r.Reason {
	case wire.RefuseOtherRoom:
		return fmt.Sprintf("%s at %s is in room %q, not %q", name, from, room, cfg.Room)
	case wire.RefuseIncompatible:
		return fmt.Sprintf("room %q is incompatible: %s", room, Mismatch(r.Params, r.Mode, cfg.Params, cfg.Mode))
	case wire.RefuseLocked:
		return fmt.Sprintf("room %q at %s is private: start with --secret to join it", room, from)
	case wire.RefuseAuth:
		return fmt.Sprintf("%s at %s refused your secret for room %q: wrong secret?", name, from, room)
	case wire.RefuseOpen:
		return fmt.Sprintf("room %q at %s is open: start without --secret to join it", room, from)
	case wire.RefuseFull:
		return fmt.Sprintf("room %q at %s is full (%d players)", room, from, r.Players)
	}
	return fmt.Sprintf("%s at %s refused to admit you (%s)", name, from, r.Reason)
}
