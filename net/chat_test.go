package net

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"lanarena/game"
	"lanarena/net/wire"
)

// TestChatExactlyOnceInOrderUnderLoss: under 30% loss with duplication and
// reordering, every chat line reaches every peer exactly once, in the order
// its sender sent it.
func TestChatExactlyOnceInOrderUnderLoss(t *testing.T) {
	for seed := range uint64(4) {
		t.Run(fmt.Sprintf("seed=%d", seed), func(t *testing.T) {
			n := newSimNet(t, seed+10, 3, false)
			for range 30 {
				n.advance(false)
			}
			n.loss, n.dup, n.maxDelay = 0.3, 0.1, 5
			sent := map[string][]string{}
			for i := range 40 {
				for _, l := range n.cores {
					if (i+int(l.p.id))%3 == 0 {
						text := fmt.Sprintf("%s says %d", l.p.cfg.Name, i)
						l.say(text, n.now)
						sent[l.p.cfg.Name] = append(sent[l.p.cfg.Name], text)
					}
				}
				n.advance(false)
			}
			for range 15 * 20 { // 20 s of retransmissions, still lossy
				n.advance(false)
			}
			for _, recv := range n.cores {
				got := map[string][]string{}
				for _, line := range recv.chatLines {
					got[string(line.From)] = append(got[string(line.From)], string(line.Text))
				}
				for from, want := range sent {
					if from == recv.p.cfg.Name {
						continue
					}
					if !slices.Equal(got[from], want) {
						t.Errorf("%s got from %s:\n%q\nwant:\n%q", recv.p.cfg.Name, from, got[from], want)
					}
				}
			}
		})
	}
}

// TestChatIsCleanedAndLimited: control characters and escape sequences
// that a peer sends never reach the chat log, and a line is cut at the
// limit: the receiver cleans what arrives, whatever the sender did.
func TestChatIsCleanedAndLimited(t *testing.T) {
	n := newSimNet(t, 1, 2, false)
	for range 30 {
		n.advance(false)
	}
	a, b := n.cores[0], n.cores[1]
	cp := &a.members[b.p.id].chat // a sends the raw line, as a hostile peer would
	cp.lastSeq++
	a.send(b.p.Addr(), &wire.Chat{Seq: cp.lastSeq, Text: "hi \x1b]0;pwned\x07\x1b[31mred\x1b[0m\r\n" + strings.Repeat("x", 600)})
	n.advance(false)
	if len(b.chatLines) == 0 {
		t.Fatal("no chat line arrived")
	}
	line := b.chatLines[len(b.chatLines)-1]
	text := string(line.Text)
	if strings.ContainsAny(text, "\x1b\x07\r\n") {
		t.Errorf("chat line keeps control characters: %q", line.Text)
	}
	if !strings.HasPrefix(text, "hi red ") {
		t.Errorf("chat line %q, want it to start %q", line.Text, "hi red ")
	}
	if r := len([]rune(text)); r > game.MaxChatRunes {
		t.Errorf("chat line of %d runes, limit %d", r, game.MaxChatRunes)
	}
}

// TestHelloNameIsCleaned: a name with escape sequences that a peer
// announces is cleaned where it arrives: the member, its cycle and the
// event log show the clean name.
func TestHelloNameIsCleaned(t *testing.T) {
	n := newSimNet(t, 2, 2, false)
	for range 30 {
		n.advance(false)
	}
	a, b := n.cores[0], n.cores[1]
	h := a.hello(0)
	h.Name = "\x1b]0;pwned\x07\x1b[2Jmallory\u202e"
	a.send(b.p.Addr(), h)
	n.deliver()
	m := b.members[a.p.id]
	if m == nil || m.name != "mallory" || m.display != "mallory" {
		t.Fatalf("member %+v, want the name %q", m, "mallory")
	}
	a.broadcast() // a state: b's replica takes the name shown
	n.deliver()
	if c := b.st.Cycle(a.p.id); c == nil || c.Name != "mallory" {
		t.Errorf("cycle %+v, want the name %q", c, "mallory")
	}
	for _, l := range b.logLines {
		if strings.ContainsAny(string(l.Text), "\x1b\x07\u202e") {
			t.Errorf("log line %q keeps control characters", l.Text)
		}
	}
}
