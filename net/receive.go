package net

import (
	"net/netip"
	"time"

	"lanarena/net/transport"
	"lanarena/net/wire"
)

// receive takes one datagram from the network. Every byte is untrusted:
// the admit gate drops junk; then the sender must be who it says, and the
// message goes to its handler.
func (l *core) receive(pkt transport.Packet, now time.Time) {
	from := netip.AddrPortFrom(pkt.From.Addr().Unmap(), pkt.From.Port())
	l.receiving()
	defer l.receiving()
	h, msg, ok := l.admit(from, pkt.Data, now)
	if !ok {
		return
	}
	l.recordIn(h, msg)
	size := len(pkt.Data)
	if hello, ok := msg.(*wire.Hello); ok {
		if m := l.members[h.Sender]; m != nil && m.addr == from {
			if !l.fresh(m, h) {
				return
			}
			m.heard(now, h.Seq, size)
		}
		l.handleHello(h, hello, from, size, now) // a new member counts its first hello itself
		return
	}
	m := l.sender(h, msg, from, now)
	if m == nil {
		return
	}
	m.heard(now, h.Seq, size)
	l.dispatch(m, h, msg, now)
}

// sender is the member that sent a message other than Hello, or nil when
// the packet is dropped: an unknown sender (greeted: it will say who it
// is), a member's id from another address, a replay.
func (l *core) sender(h wire.Header, msg wire.Message, from netip.AddrPort, now time.Time) *member {
	m := l.members[h.Sender]
	if m == nil {
		if _, ok := msg.(*wire.Leave); !ok { // a Leave from a stranger is no news
			l.drop(DropUnknownSender, from)
			l.addCandidate(from, false, now)
		}
		return nil
	}
	if m.addr != from {
		l.drop(DropSpoofed, from)
		return nil
	}
	if !l.fresh(m, h) {
		return nil
	}
	return m
}

// dispatch hands a member's message to its handler: the core's own, or
// the model's.
func (l *core) dispatch(m *member, h wire.Header, msg wire.Message, now time.Time) {
	switch msg := msg.(type) {
	case *wire.Leave:
		l.logf("%s left", m.display)
		l.removeMember(m.id)
	case *wire.Ping:
		l.send(m.addr, &wire.Pong{Echo: msg.Nonce})
	case *wire.Pong:
		l.handlePong(m, msg, now)
	case *wire.Chat:
		l.handleChat(m, msg, now)
	case *wire.ChatAck:
		l.handleChatAck(m, msg)
	default:
		if !l.model.handle(m, h, msg, now) {
			l.drop(DropWrongMode, m.addr)
		}
	}
}

// handlePong samples the round trip of one of our pings.
func (l *core) handlePong(m *member, p *wire.Pong, now time.Time) {
	sent := time.Duration(p.Echo)
	if rtt := now.Sub(l.start) - sent; rtt >= 0 && rtt < time.Minute {
		m.sampleRTT(rtt)
	}
}

// fresh applies the replay window of a private room: a replayed packet
// is dropped. Open rooms rely on per-message sequence checks instead.
func (l *core) fresh(m *member, h wire.Header) bool {
	if l.p.key == nil {
		return true
	}
	if !m.replay.Accept(h.Seq) {
		l.drop(DropReplay, m.addr)
		return false
	}
	return true
}
