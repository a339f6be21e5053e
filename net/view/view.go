// Package view holds the read-only pictures that the peer layer hands to
// screens: a Snapshot of the game as one peer knows it, and the rooms seen
// on the LAN. It depends only on game (and wire for Mode), so a screen can render a peer's view
// without importing the network stack. Every text in them is game.Text:
// cleaned where it came in, printed as it is.
package view

import (
	"net/netip"
	"time"

	"lanarena/game"
)

// Snapshot is an immutable picture of what one peer knows right now. The
// peer loop publishes a fresh one at most once per frame; receivers may keep
// it, and must not modify it.
type Snapshot struct {
	Arena *game.Arena   // read-only; shares trails with the peer's replica
	Self  game.PlayerID // this peer's cycle; 0 when spectating
	Room  game.Text
	Mode  Mode
	Addr  netip.AddrPort
	Peers []PeerStats // sorted by name, then id
	Log   []LogLine   // recent joins, leaves, kills; oldest first
	Chat  []ChatLine  // recent chat; oldest first
	Drops []DropCount // packets dropped, by reason, sorted by reason

	Impairment string        // "" when off, else a short description such as "loss 20% delay 300ms"
	Locked     bool          // the room has a secret
	Waiting    time.Duration // server mode: how long the pending request has waited (0: none)
	Host       game.Text     // server mode: the host's name ("" when this peer hosts or in p2p)
	Notice     game.Text     // a line the player must see (host lost, incompatible peers…)
	Match      Match         // first-to-N matches; the zero value is drop-in play
	Wire       *WireLog      // recent packets, while a wire view asked for them (Peer.WireLog); nil otherwise
	// Predictions: in a peer-to-peer room, each live remote cycle that is
	// riding, drawn where it is now (sorted by id). Nil in server mode,
	// where the waiting must stay visible.
	Predictions []Prediction
}

// Match is a first-to-N match as this peer knows it. The zero value is
// drop-in play without matches.
type Match struct {
	FirstTo int           // kills that win a match; 0: drop-in play, no matches
	Number  int           // matches started in this room, from 1
	Winner  game.PlayerID // while the result is shown: who won; 0 while playing
	Final   []Standing    // while the result is shown: the final table, best first
	NextIn  time.Duration // while the result is shown: until the next match starts
	Last    game.PlayerID // the winner of the match before this one, 0 if none
}

// Standing is one row of a match's final table.
type Standing struct {
	ID            game.PlayerID
	Name          game.Text
	Color         int
	Bot           bool
	Kills, Deaths int
}

// PeerStats is what this peer knows of one other peer.
type PeerStats struct {
	ID        game.PlayerID
	Name      game.Text // told apart when names clash
	Addr      netip.AddrPort
	Bot       bool
	Spectator bool
	Lagging   bool // nothing heard for about 3 s
	Suspect   bool // keeps sending packets that are dropped

	RTT, Jitter time.Duration
	Loss        float64       // fraction of its packets that never arrived, 0..1
	Age         time.Duration // since its last packet
	LastSeen    time.Time

	PacketsInPerSec, PacketsOutPerSec float64
	BytesInPerSec, BytesOutPerSec     float64
	BytesIn, BytesOut                 uint64          // totals, UDP/IP headers not included
	RTTHistory                        []time.Duration // recent RTT samples, oldest first

	// Correction is how far, in cells (the larger of the x and y gaps),
	// the drawn head of its cycle jumped when its latest state arrived:
	// the prediction's error, 0 when the prediction was right.
	// CorrectionMax is the largest over the last few seconds.
	Correction, CorrectionMax int
}

// LogLine is one entry of the on-screen event log.
type LogLine struct {
	At   time.Time
	Text game.Text
}

// ChatLine is one chat message.
type ChatLine struct {
	At   time.Time
	From game.Text
	Text game.Text
}

// DropCount counts packets dropped for one reason.
type DropCount struct {
	Reason string
	Count  uint64
}

// RoomInfo describes a room seen on the LAN, for the lobby.
type RoomInfo struct {
	Name       game.Text
	Players    int         // with a cycle, bots included; spectators apart
	Spectators int         // watching without a cycle
	Names      []game.Text // the players' names, sorted
	Watchers   []game.Text // the spectators' names, sorted
	Mode       Mode
	Params     game.Params
	Host       game.Text // server mode: the host's name
	Locked     bool      // needs a secret
	Compatible bool
	Reason     game.Text // why it is incompatible, with the flag that fixes it ("arena 80x40 at 15/s; yours 56x40 at 15/s (--width 80)")
}

// Prediction is where a remote cycle of a peer-to-peer room is drawn now:
// its last heard state advanced straight by the ticks its owner has run
// since (estimated on the room clock). The cells from Heard to Head run
// straight in the cycle's direction; they are drawn, never collided with.
type Prediction struct {
	ID    game.PlayerID
	Heard game.Point // the head of the last state heard: the ghost
	Head  game.Point // where the cycle is drawn now
	Ahead int        // ticks predicted beyond the last heard state (0: Head == Heard)
}

// DrawnHead is the cell the screen draws as cycle id's head: its predicted
// head when predict is on and the cycle has a prediction, else the head of
// its last heard state. ok is false when the cycle is unknown or not on
// the board (dead). Screens and the bench harness both use it, so the view
// error the harness reports is the one a player sees.
func (s *Snapshot) DrawnHead(id game.PlayerID, predict bool) (head game.Point, ok bool) {
	if s.Arena == nil {
		return game.Point{}, false
	}
	c := s.Arena.Cycle(id)
	if c == nil || !c.Alive {
		return game.Point{}, false
	}
	if predict {
		if p, found := s.Prediction(id); found {
			return p.Head, true
		}
	}
	return c.Head, true
}

// Prediction returns the prediction of cycle id, if it has one.
func (s *Snapshot) Prediction(id game.PlayerID) (Prediction, bool) {
	for _, p := range s.Predictions {
		if p.ID == id {
			return p, true
		}
	}
	return Prediction{}, false
}
