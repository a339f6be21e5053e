package net

import (
	"slices"
	"time"

	"lanarena/game"
	"lanarena/net/wire"
)

// Reliable chat over UDP: each sender numbers its messages to each member
// from 1; the receiver delivers them in order, exactly once, and acks the
// highest in-order number; the sender retransmits with backoff until acked.
const (
	chatRTOMin     = 200 * time.Millisecond
	chatRTOMax     = 2 * time.Second
	chatWindow     = 64  // out-of-order messages a receiver buffers
	chatMaxUnacked = 256 // messages a sender keeps for one member
)

type chatPeer struct {
	// sending to this member
	lastSeq uint32
	unacked []outChat
	// receiving from this member
	expect  uint32 // next in-order number; 0 means 1
	pending map[uint32]game.Text
}

type outChat struct {
	seq  uint32
	text game.Text
	due  time.Time
	rto  time.Duration
}

func (l *core) say(line string, now time.Time) {
	text := game.Clean(line, game.MaxChatRunes)
	if text == "" {
		return
	}
	l.addChat(l.p.name, text, now)
	for _, m := range l.members {
		cp := &m.chat
		if len(cp.unacked) >= chatMaxUnacked {
			continue
		}
		cp.lastSeq++
		rto := max(chatRTOMin, 2*m.rtt)
		cp.unacked = append(cp.unacked, outChat{seq: cp.lastSeq, text: text, due: now.Add(rto), rto: rto})
		l.send(m.addr, &wire.Chat{Seq: cp.lastSeq, Text: string(text)})
	}
}

func (l *core) resendChat(m *member, now time.Time) {
	for i := range m.chat.unacked {
		o := &m.chat.unacked[i]
		if now.Before(o.due) {
			continue
		}
		o.rto = min(2*o.rto, chatRTOMax)
		o.due = now.Add(o.rto)
		l.send(m.addr, &wire.Chat{Seq: o.seq, Text: string(o.text)})
	}
}

func (l *core) handleChat(m *member, c *wire.Chat, now time.Time) {
	cp := &m.chat
	text := game.Clean(c.Text, game.MaxChatRunes) // the one cleaning of a chat line
	if cp.expect == 0 {
		cp.expect = 1
	}
	switch {
	case c.Seq < cp.expect:
		l.drops[DropChatDuplicate]++
	case c.Seq == cp.expect:
		l.addChat(m.display, text, now)
		cp.expect++
		for {
			text, ok := cp.pending[cp.expect]
			if !ok {
				break
			}
			delete(cp.pending, cp.expect)
			l.addChat(m.display, text, now)
			cp.expect++
		}
	case c.Seq-cp.expect < chatWindow:
		if cp.pending == nil {
			cp.pending = map[uint32]game.Text{}
		}
		if _, dup := cp.pending[c.Seq]; dup {
			l.drops[DropChatDuplicate]++
		}
		cp.pending[c.Seq] = text
	default:
		l.drops[DropChatWindow]++
	}
	l.send(m.addr, &wire.ChatAck{UpTo: cp.expect - 1})
}

func (l *core) handleChatAck(m *member, a *wire.ChatAck) {
	cp := &m.chat
	if a.UpTo > cp.lastSeq {
		l.drop(DropBadAck, m.addr) // an ack of an older session of ours
		return
	}
	cp.unacked = slices.DeleteFunc(cp.unacked, func(o outChat) bool { return o.seq <= a.UpTo })
}

func (l *core) addChat(from, text game.Text, now time.Time) {
	l.chatLines = append(l.chatLines, ChatLine{At: now, From: from, Text: text})
	if len(l.chatLines) > maxChatLines {
		l.chatLines = slices.Delete(l.chatLines, 0, len(l.chatLines)-maxChatLines)
	}
	l.p.log.Printf("chat %s: %s", from, text)
}
