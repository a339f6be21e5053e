package ui

import (
	"net/netip"
	"slices"
	"time"

	"lanarena/game"
	"lanarena/net/view"
)

// parts keeps the pieces of the arena frame that change far less often
// than the board — the panel, the top wall, the status bar, the help line —
// as last drawn, each with what it showed. Drawing them (measuring styled
// text, padding it) costs more than comparing what they show, and a frame
// is drawn every tick.
//
// A parts is shared by the copies of the model it belongs to; like the
// board it is used from the program's goroutine only.
type parts struct {
	top    memo[topKey, string]
	status memo[statusKey, string]
	bottom memo[bottomKey, string]
	panel  memo[panelKey, []string]
}

// memo is a value drawn for a key, redrawn when the key changes.
type memo[K interface{ same(K) bool }, V any] struct {
	key K
	val V
	ok  bool
}

// get is the value for k, drawn anew unless the last one was for k.
func (c *memo[K, V]) get(k K, draw func() V) V {
	if !c.ok || !c.key.same(k) {
		c.key, c.val, c.ok = k, draw(), true
	}
	return c.val
}

// topKey is what the top wall shows.
type topKey struct {
	room   game.Text // the snapshot's, else the one asked for
	locked bool
	addr   netip.AddrPort
	width  int
}

func (k topKey) same(o topKey) bool { return k == o }

func (m arenaModel) topKey(w int) topKey {
	room := m.snap.Room
	if room == "" {
		room = game.Text(m.room)
	}
	return topKey{room, m.snap.Locked, m.snap.Addr, w}
}

// statusKey is what the status bar shows.
type statusKey struct {
	spectating   bool
	ready        int // seconds
	firstTo      int
	winner       game.PlayerID
	impairment   string
	mode         view.Mode
	host         game.Text
	waiting      time.Duration
	predict      string
	peers, width int
}

func (k statusKey) same(o statusKey) bool { return k == o }

func (m arenaModel) statusKey(w int) statusKey {
	s := m.snap
	return statusKey{m.spectating(), m.readySecs(), s.Match.FirstTo, s.Match.Winner,
		s.Impairment, s.Mode, s.Host, s.Waiting, m.predictNote(), len(s.Peers), w}
}

// bottomKey is what the line under the status bar shows (while no chat
// line is typed).
type bottomKey struct {
	notice  game.Text
	confirm bool
	help    string
	width   int
}

func (k bottomKey) same(o bottomKey) bool { return k == o }

// panelKey is what the panel shows.
type panelKey struct {
	d    panelData
	w, h int
}

func (k panelKey) same(o panelKey) bool {
	return k.w == o.w && k.h == o.h && slices.Equal(k.d.scores, o.d.scores) &&
		slices.Equal(k.d.log, o.d.log) && slices.Equal(k.d.chat, o.d.chat)
}
