package net

import (
	"fmt"
	"net/netip"
	"slices"
	"time"

	"lanarena/game"
	"lanarena/net/throttle"
	"lanarena/net/wire"
)

// member is what the loop knows of one other peer of the room.
type member struct {
	id        game.PlayerID
	addr      netip.AddrPort
	name      game.Text // as announced
	display   game.Text // told apart from other players of the same name
	wantColor int       // preferred color, as announced
	color     int       // color shown, after clashes are resolved
	bot       bool
	spectator bool
	host      bool
	played    bool // has sent game state: counts toward a full room

	joined    time.Time
	lastHello time.Time
	lastPing  time.Time
	lagging   bool
	replay    wire.Replay
	txSeq     uint32 // sequence of the newest packet sent to it

	// chat, see chat.go
	chat chatPeer
	// the send-on-change stream, see stream.go
	stream stream

	// network figures
	netStats
}

// hello is this peer's hello message.
func (l *core) hello(flags uint8) *wire.Hello {
	cfg := l.p.cfg
	h := &wire.Hello{
		Flags:  flags,
		Color:  uint8(l.preferredColor()),
		Params: cfg.Params,
		Name:   cfg.Name,
		Room:   cfg.Room,
		Match:  l.st.Match,
		Winner: l.st.Winner,
	}
	if cfg.Bot {
		h.Flags |= wire.HelloBot
	}
	if cfg.Spectator {
		h.Flags |= wire.HelloSpectator
	}
	h.Mode = cfg.Mode
	h.Flags |= l.model.helloFlags()
	for id, m := range l.members {
		if len(h.Peers) >= wire.MaxPeers {
			break
		}
		h.Peers = append(h.Peers, wire.PeerAddr{ID: id, Addr: m.addr})
	}
	if c := l.self(); c != nil {
		h.Ledger = c.KilledBy
		if len(h.Ledger) > 32 {
			h.Ledger = h.Ledger[len(h.Ledger)-32:]
		}
	}
	return h
}

// handleHello takes a Hello: a newcomer joins, a member's name, color
// and hosting are brought up to date, the peers it knows become
// candidates, and its ledger goes to the model.
func (l *core) handleHello(h wire.Header, hello *wire.Hello, from netip.AddrPort, size int, now time.Time) {
	if _, ok := l.compatible(hello, from); !ok {
		return
	}
	m := l.members[h.Sender]
	switch {
	case m != nil && m.addr != from:
		l.drop(DropSpoofed, from)
		return
	case m == nil:
		if m = l.join(h, hello, from, size, now); m == nil {
			return
		}
	default:
		l.update(m, hello, from)
	}
	l.gossip(hello.Peers, from, now)
	l.st.HearMatch(hello.Match, hello.Winner)
	if hello.Match == l.st.Match {
		l.model.heardHello(m, hello.Ledger)
	}
	l.model.membersChanged()
}

// compatible drops a Hello of another room, other rules or another
// mode, and says which.
func (l *core) compatible(hello *wire.Hello, from netip.AddrPort) (wire.RefusalReason, bool) {
	if hello.Room != l.p.cfg.Room {
		l.drop(DropWrongRoom, from)
		return wire.RefuseOtherRoom, false
	}
	if hello.Params != l.p.cfg.Params || hello.Mode != l.p.cfg.Mode {
		l.drop(DropIncompatible, from)
		// No address: the notice fits an 80-column status line, the flag
		// that fixes it included.
		l.setNotice(from, "incompatible", fmt.Sprintf("%s is incompatible: %s", game.CleanText(hello.Name, game.MaxNameRunes),
			Mismatch(hello.Params, hello.Mode, l.p.cfg.Params, l.p.cfg.Mode)))
		return wire.RefuseIncompatible, false
	}
	return 0, true
}

// join makes a member of a newcomer, unless the room is full; a new id at
// a member's address is that peer restarted, and replaces it.
func (l *core) join(h wire.Header, hello *wire.Hello, from netip.AddrPort, size int, now time.Time) *member {
	old, restarted := l.byAddr[from]
	if why, ok := l.roomFor(hello.Flags&wire.HelloSpectator != 0, from); !restarted && !ok {
		l.drop(DropRoomFull, from)
		if why == 0 { // busy, not full: it asks again
			return nil
		}
		l.refused[from] = now.Add(l.p.cfg.TimeoutAfter)
		l.setNotice(from, "room-full", fmt.Sprintf("room full (%d players): %s cannot join", game.MaxPlayers, game.CleanText(hello.Name, game.MaxNameRunes)))
		if l.mayReply(l.source(from, now), now) {
			l.refuse(from, why)
		}
		return nil
	}
	quiet := false // a new id a packet from one address: log the first few
	if restarted { // no ghost
		ok, more := l.allowLine(from.Addr(), "restarted")
		if quiet = !ok; ok {
			l.logf("%s restarted%s", l.members[old].display, throttle.More(more))
		}
		l.removeMember(old)
	}
	// Its own run of numbers starts above every number it has seen.
	m := &member{id: h.Sender, addr: from, joined: now, lastHello: now, txSeq: l.seq}
	if l.p.key != nil {
		m.replay.Accept(h.Seq)
	}
	m.heard(now, h.Seq, size)
	l.members[h.Sender] = m
	l.byAddr[from] = h.Sender
	if c := l.candidates[from]; c != nil && c.permanent {
		l.joined[from] = true
	}
	delete(l.candidates, from)
	m.name = game.CleanName(hello.Name)
	if m.name == "" {
		m.name = "player"
	}
	m.wantColor = wantedColor(hello.Color)
	m.bot = hello.Flags&wire.HelloBot != 0
	m.spectator = hello.Flags&wire.HelloSpectator != 0
	m.host = hello.Flags&wire.HelloHost != 0
	l.assignColors()
	kind := ""
	if m.spectator {
		kind = " (spectating)"
	}
	if !quiet {
		l.logf("%s joined%s", m.display, kind)
	}
	l.send(from, l.hello(0))
	return m
}

// update follows a member's name, color and hosting, and answers a
// Hello that asks for one.
func (l *core) update(m *member, hello *wire.Hello, from netip.AddrPort) {
	name := game.CleanName(hello.Name)
	if name != "" && (name != m.name || wantedColor(hello.Color) != m.wantColor) {
		m.name, m.wantColor = name, wantedColor(hello.Color)
		l.assignColors()
	}
	m.host = hello.Flags&wire.HelloHost != 0
	if hello.Flags&wire.HelloReply != 0 {
		l.send(from, l.hello(0))
	}
}

// gossip makes candidates of the peers a Hello names that we do not know.
func (l *core) gossip(peers []wire.PeerAddr, from netip.AddrPort, now time.Time) {
	for _, pa := range peers {
		// A loopback address is only good from the same machine.
		if pa.ID != l.p.id && l.members[pa.ID] == nil && (!pa.Addr.Addr().IsLoopback() || from.Addr().IsLoopback()) {
			l.addCandidate(pa.Addr, false, now)
		}
	}
}

// noColor is the Hello color of a player without a preference.
const noColor = 0xff

// preferredColor is the color this player asks for in its Hellos: --color,
// or noColor.
func (l *core) preferredColor() int {
	if c := l.p.cfg.Color; c >= 0 {
		return c % game.Colors
	}
	return noColor
}

// wantedColor is the preference a Hello's color byte says: a palette index,
// or -1 for none.
func wantedColor(c uint8) int {
	if c == noColor {
		return -1
	}
	return int(c) % game.Colors
}

// dropMember gives up on a member that went silent: it is told so,
// should it still listen, so that both sides start afresh (chat numbering
// included) when they meet again, and its address becomes a candidate.
func (l *core) dropMember(m *member, now time.Time) {
	l.send(m.addr, &wire.Leave{})
	l.removeMember(m.id)
	if len(l.candidates) < maxCandidates {
		l.candidates[m.addr] = &candidate{next: now.Add(helloEvery), permanent: l.joined[m.addr]}
	}
}

func (l *core) removeMember(id game.PlayerID) {
	m := l.members[id]
	if m == nil {
		return
	}
	delete(l.members, id)
	if l.byAddr[m.addr] == id {
		delete(l.byAddr, m.addr)
	}
	l.st.Remove(id)
	l.model.removed(id)
	l.assignColors()
	l.model.membersChanged()
}

// assignColors gives every player a color and a display name, the same on
// every replica that knows the same players: players are taken in id order,
// each gets its preferred color unless an earlier one has it, then the
// next free one; a name shared by several players gets a short id suffix.
func (l *core) assignColors() {
	type player struct {
		id        game.PlayerID
		name      game.Text
		wantColor int
	}
	var ps []player
	if !l.p.cfg.Spectator {
		ps = append(ps, player{l.p.id, l.p.name, wantedColor(uint8(l.preferredColor()))})
	}
	for id, m := range l.members {
		if !m.spectator {
			ps = append(ps, player{id, m.name, m.wantColor})
		}
	}
	slices.SortFunc(ps, func(a, b player) int {
		switch {
		case a.id < b.id:
			return -1
		case a.id > b.id:
			return 1
		}
		return 0
	})
	names := map[game.Text]int{}
	wants := make([]int, len(ps))
	for i, p := range ps {
		names[p.name]++
		wants[i] = p.wantColor
	}
	colors := game.AssignColors(wants)
	for i, p := range ps {
		c := colors[i]
		if p.id == l.p.id {
			l.tellColor(p.wantColor, c)
		}
		display := p.name
		if names[p.name] > 1 {
			display = game.Text(fmt.Sprintf("%s#%04x", p.name, uint32(p.id)&0xffff)) // clean, and hex
		}
		if p.id == l.p.id {
			l.selfName, l.selfColor = display, c
			if cyc := l.self(); cyc != nil {
				cyc.Name, cyc.Color = display, c
			}
			continue
		}
		m := l.members[p.id]
		m.display = display
		m.color = c
		if cyc := l.st.Cycle(p.id); cyc != nil {
			cyc.Name, cyc.Color = display, c
		}
	}
	for _, m := range l.members {
		if m.spectator {
			m.display = m.name
		}
	}
}

// tellColor tells the player, once per change, that its preferred colour
// want is taken and it plays as got instead.
func (l *core) tellColor(want, got int) {
	if want < 0 || want == got {
		l.colorTold = 0
		return
	}
	if l.colorTold != got+1 {
		l.colorTold = got + 1
		text := fmt.Sprintf("colour %d is taken: you are colour %d", want, got)
		l.logf("%s", text) // not caused by one packet: logged as it is, once per change
		l.notice, l.noticeAt = game.Clean(text, maxNoticeRunes), l.now
	}
}

// firstToText names a room's matches in a notice ("" for drop-in play).
func firstToText(n int) string {
	if n == 0 {
		return ""
	}
	return fmt.Sprintf(", first to %d", n)
}
