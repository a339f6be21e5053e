package net

import (
	"time"

	"golang.org/x/time/rate"

	"lanarena/game"
	"lanarena/net/wire"
)

// model is a room's synchronisation model: how cycles move and how their
// states reach the other peers. Peer-to-peer (p2p) and server mode
// (serverModel) implement it; the core owns what both share (membership,
// sockets, chat, the game replica) and calls the model where they differ.
// Neither model touches the other's state.
type model interface {
	// tick advances what this peer steps and sends it.
	tick(now time.Time)
	// turn is the player's key.
	turn(d game.Dir)
	// handle takes a message of this model from member m; it reports
	// false for a message of the other model (dropped as wrong-mode).
	handle(m *member, h wire.Header, msg wire.Message, now time.Time) bool
	// helloFlags are the model's flags in this peer's Hello.
	helloFlags() uint8
	// heardHello takes the ledger a member's Hello carries.
	heardHello(m *member, ledger []game.Tally)
	// membersChanged follows a member joining or leaving.
	membersChanged()
	// removed forgets what the model keeps of player id.
	removed(id game.PlayerID)
	// housekeep runs a few times a second for each member.
	housekeep(m *member, now time.Time)
	// status is what the screen says of the model: how long a request
	// has waited, the host's name, a notice ("" when none).
	status(now time.Time) (waiting time.Duration, host, notice game.Text)
	// rateLimit is how many packets a second one address may send.
	rateLimit() rate.Limit
}

// newModel makes the model of the core's room: in a peer-to-peer room,
// this player's cycle joins at once; in server mode, the host gives it one.
func newModel(l *core, now time.Time) (model, error) {
	cfg := l.p.cfg
	if cfg.Mode == ModeServer {
		l.assignColors()
		return newServerModel(l, now), nil
	}
	l.model = newP2P(l)
	if !cfg.Spectator {
		if _, err := l.st.Join(l.p.id, l.p.name, max(cfg.Color, 0), cfg.Bot, l.rng); err != nil {
			return nil, err
		}
	}
	l.assignColors()
	return l.model, nil
}
