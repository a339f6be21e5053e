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
	name      string // cleaned, as announced
	display   string // told apart from other players of the same name
	color     int    // preferred colour, as announced
	look      int    // colour shown, after clashes are resolved
	bot       bool
	spectator bool
	host      bool

	joined    time.Time
	lastState time.Time
	lastHello time.Time
	lastPing  time.Time
	lagging   bool
	replay    wire.Replay
	txSeq     uint32 // sequence of the newest packet sent to it

	// what we know of its cycle
	replica

	// chat, see chat.go
	chat chatPeer

	// network figures
	netStats
}

// replica is what a replica knows of one remote cycle: the owner's newest
// state and as much of its trail as has arrived.
type replica struct {
	stateSeq  uint32 // sequence of the newest state applied
	haveState bool
	state     wire.State   // newest state applied (Verts not kept)
	verts     []game.Point // known trail vertices of the current life...
	base      int          // ...starting at this index of the owner's list
	ledger    []game.Tally // grow-only: max of every count announced
	repairAt  time.Time
}

// hello is this peer's hello message.
func (l *loop) hello(flags uint8) *wire.Hello {
	cfg := l.p.cfg
	h := &wire.Hello{
		Flags:  flags,
		Color:  uint8(l.preferredColor()),
		Params: cfg.Params,
		Name:   cfg.Name,
		Room:   cfg.Room,
	}
	if cfg.Bot {
		h.Flags |= wire.HelloBot
	}
	if cfg.Spectator {
		h.Flags |= wire.HelloSpectator
	}
	if cfg.Mode == ModeServer {
		h.Mode = wire.ModeServer
		if l.server != nil && l.server.hosting() {
			h.Flags |= wire.HelloHost
		}
	}
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

func (l *loop) handleHello(h wire.Header, hello *wire.Hello, from netip.AddrPort, size int, now time.Time) {
	if hello.Room != l.p.cfg.Room {
		l.drop("wrong-room", from, false)
		return
	}
	wantMode := uint8(wire.ModeP2P)
	if l.p.cfg.Mode == ModeServer {
		wantMode = wire.ModeServer
	}
	if hello.Params != l.p.cfg.Params || hello.Mode != wantMode {
		l.drop("incompatible", from, false)
		mode := ModeP2P
		if hello.Mode == wire.ModeServer {
			mode = ModeServer
		}
		l.setNotice(from, "incompatible", fmt.Sprintf("%s at %s is incompatible: arena %dx%d at %d/s, mode %s",
			game.CleanText(hello.Name, game.MaxNameRunes), from,
			hello.Params.Width, hello.Params.Height, hello.Params.TickRate, mode))
		return
	}
	m := l.members[h.Sender]
	if m != nil && m.addr != from {
		l.drop("spoofed", from, true)
		return
	}
	_, restarted := l.byAddr[from]
	if m == nil && !restarted && hello.Flags&wire.HelloSpectator == 0 && l.players() >= game.MaxPlayers {
		l.drop("room-full", from, false)
		l.refused[from] = now.Add(l.p.cfg.TimeoutAfter)
		l.setNotice(from, "room-full", fmt.Sprintf("room full (%d players): %s cannot join", game.MaxPlayers, game.CleanText(hello.Name, game.MaxNameRunes)))
		return
	}
	if m == nil {
		quiet := false // a new id a packet from one address: log the first few
		if old, ok := l.byAddr[from]; ok {
			// Same address, new id: that peer restarted. No ghost.
			ok, more := l.allowLine(from.Addr(), "restarted")
			if quiet = !ok; ok {
				l.logf("%s restarted%s", l.members[old].display, throttle.More(more))
			}
			l.removeMember(old)
		}
		// Its own run of numbers starts above every number it has seen.
		m = &member{id: h.Sender, addr: from, joined: now, lastHello: now, txSeq: l.seq}
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
		m.name = game.CleanText(hello.Name, game.MaxNameRunes)
		if m.name == "" {
			m.name = "player"
		}
		m.color = int(hello.Color)
		m.bot = hello.Flags&wire.HelloBot != 0
		m.spectator = hello.Flags&wire.HelloSpectator != 0
		m.host = hello.Flags&wire.HelloHost != 0
		l.assignLooks()
		kind := ""
		if m.spectator {
			kind = " (spectating)"
		}
		if !quiet {
			l.logf("%s joined%s", m.display, kind)
		}
		l.send(from, l.hello(0))
	} else {
		name := game.CleanText(hello.Name, game.MaxNameRunes)
		if name != "" && (name != m.name || int(hello.Color) != m.color) {
			m.name, m.color = name, int(hello.Color)
			l.assignLooks()
		}
		m.host = hello.Flags&wire.HelloHost != 0
		if hello.Flags&wire.HelloReply != 0 {
			l.send(from, l.hello(0))
		}
	}
	for _, pa := range hello.Peers {
		// A loopback address is only good from the same machine.
		if pa.ID != l.p.id && l.members[pa.ID] == nil && (!pa.Addr.Addr().IsLoopback() || from.Addr().IsLoopback()) {
			l.addCandidate(pa.Addr, false, now)
		}
	}
	if l.server != nil {
		l.server.hello(m, hello.Ledger)
	} else if mergeLedger(&m.ledger, hello.Ledger) && m.haveState {
		l.applyReplica(m.id, m.display, m.look, m.bot, &m.replica, m.addr)
	}
	if l.server != nil {
		l.server.memberChanged()
	}
}

// preferredColor is the colour this player asks for: --color, or one
// drawn from its id.
func (l *loop) preferredColor() int {
	if c := l.p.cfg.Color; c >= 0 {
		return c % game.Colors
	}
	return int(uint32(l.p.id) % game.Colors)
}

// players counts the players (not spectators) this peer knows, itself
// included.
func (l *loop) players() int {
	n := 0
	if !l.p.cfg.Spectator {
		n++
	}
	for _, m := range l.members {
		if !m.spectator {
			n++
		}
	}
	return n
}

// dropMember gives up on a member that went silent: it is told so,
// should it still listen, so that both sides start afresh (chat numbering
// included) when they meet again, and its address becomes a candidate.
func (l *loop) dropMember(m *member, now time.Time) {
	l.send(m.addr, &wire.Leave{})
	l.removeMember(m.id)
	if len(l.candidates) < maxCandidates {
		l.candidates[m.addr] = &candidate{next: now.Add(helloEvery), permanent: l.joined[m.addr]}
	}
}

func (l *loop) removeMember(id game.PlayerID) {
	m := l.members[id]
	if m == nil {
		return
	}
	delete(l.members, id)
	if l.byAddr[m.addr] == id {
		delete(l.byAddr, m.addr)
	}
	l.st.Remove(id)
	l.assignLooks()
	if l.server != nil {
		l.server.memberChanged()
	}
}

// mergeLedger folds counts into a grow-only ledger, keeping the maximum of
// each killer's count. It reports whether anything grew.
func mergeLedger(dst *[]game.Tally, src []game.Tally) bool {
	grew := false
	for _, t := range src {
		if t.Killer == 0 {
			continue
		}
		i, ok := slices.BinarySearchFunc(*dst, t.Killer, func(a game.Tally, id game.PlayerID) int {
			return int(int64(a.Killer) - int64(id))
		})
		switch {
		case !ok:
			if len(*dst) >= game.MaxPlayers*4 {
				continue
			}
			*dst = slices.Insert(*dst, i, t)
			grew = true
		case t.Count > (*dst)[i].Count:
			(*dst)[i].Count = t.Count
			grew = true
		}
	}
	return grew
}

// assignLooks gives every player a colour and a display name, the same on
// every replica that knows the same players: players are taken in id order,
// each gets its preferred colour unless an earlier one has it, then the
// next free one; a name shared by several players gets a short id suffix.
func (l *loop) assignLooks() {
	type player struct {
		id    game.PlayerID
		name  string
		color int
	}
	var ps []player
	if !l.p.cfg.Spectator {
		ps = append(ps, player{l.p.id, l.p.cfg.Name, l.preferredColor()})
	}
	for id, m := range l.members {
		if !m.spectator {
			ps = append(ps, player{id, m.name, m.color})
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
	taken := make([]bool, game.Colors)
	names := map[string]int{}
	for _, p := range ps {
		names[p.name]++
	}
	for _, p := range ps {
		c := ((p.color % game.Colors) + game.Colors) % game.Colors
		for i := 0; i < game.Colors && taken[c]; i++ {
			c = (c + 1) % game.Colors
		}
		taken[c] = true
		display := p.name
		if names[p.name] > 1 {
			display = fmt.Sprintf("%s#%04x", p.name, uint32(p.id)&0xffff)
		}
		if p.id == l.p.id {
			l.selfName, l.selfLook = display, c
			if cyc := l.self(); cyc != nil {
				cyc.Name, cyc.Color = display, c
			}
			continue
		}
		m := l.members[p.id]
		m.display = display
		m.look = c
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
