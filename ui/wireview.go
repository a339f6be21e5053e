package ui

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"lanarena/net/view"
)

// The wire view: a live sequence diagram of the packets this peer sent
// and received, one lane for this peer and one per peer shown, time
// flowing down, a row per tick. Everything in it is inferred from this
// peer's own wire log (view.AnalyzeWire), never from an impairment layer.

// Layout of the wire view.
const (
	wireTimeCol = 6  // "-1.2s"
	wireMinSeg  = 22 // the narrowest segment between two lanes
	wireChrome  = 4  // title, legend, lane names, keys
	wireMinRows = 6
	// wireBesideWidth is the least width the wire view takes beside the
	// arena; with less, it takes the arena's place while open.
	wireBesideWidth = wireTimeCol + 1 + 2*(wireMinSeg+1)
	// wireMaxWidth is the most the view takes beside the arena, so that a
	// very wide screen still gives the board a larger scale.
	wireMaxWidth = 100
)

// WireLogger is a Controller whose peer can record its traffic for the
// wire view (net.Peer.WireLog): the view turns it on while open.
type WireLogger interface{ WireLog(on bool) }

type wireKeyMap struct {
	Toggle, Freeze, Filter, Peers, Older, Newer key.Binding
}

var wireKeys = wireKeyMap{
	Toggle: key.NewBinding(key.WithKeys("W"), key.WithHelp("W", "wire view")),
	Freeze: key.NewBinding(key.WithKeys("space"), key.WithHelp("space", "freeze")),
	Filter: key.NewBinding(key.WithKeys("f"), key.WithHelp("f", "hide state")),
	Peers:  key.NewBinding(key.WithKeys("o"), key.WithHelp("o", "other peers")),
	Older:  key.NewBinding(key.WithKeys("up", "pgup"), key.WithHelp("↑", "older")),
	Newer:  key.NewBinding(key.WithKeys("down", "pgdown"), key.WithHelp("↓", "newer")),
}

// wireView is the state of the wire view; its zero value is closed.
type wireView struct {
	open, frozen, hideState bool
	back                    int // rows scrolled back, while frozen
	first                   int // the first peer given a lane
	// While frozen: what was shown when frozen.
	log   *view.WireLog
	peers []view.PeerStats
}

// key plays msg if it is a key of the wire view (W opens it; the others
// work while it is open; ↑ and ↓ scroll only while frozen, else they
// steer) and reports whether it was.
func (w wireView) key(msg tea.KeyPressMsg, ctrl any, snap view.Snapshot) (wireView, bool) {
	switch {
	case key.Matches(msg, wireKeys.Toggle):
		w = wireView{open: !w.open}
		if wl, ok := ctrl.(WireLogger); ok {
			wl.WireLog(w.open)
		}
	case !w.open:
		return w, false
	case key.Matches(msg, wireKeys.Freeze):
		w.frozen, w.back = !w.frozen, 0
		w.log, w.peers = snap.Wire, snap.Peers
	case key.Matches(msg, wireKeys.Filter):
		w.hideState = !w.hideState
	case key.Matches(msg, wireKeys.Peers):
		w.first++
	case w.frozen && key.Matches(msg, wireKeys.Older):
		w.back++
	case w.frozen && key.Matches(msg, wireKeys.Newer):
		w.back = max(0, w.back-1)
	default:
		return w, false
	}
	return w, true
}

// wireCell is what one row shows between this peer and one peer: the
// packets each way, grouped by label.
type wireCell struct{ out, in []wireGroup }

type wireGroup struct {
	label  string
	n      int
	marks  view.WireMark
	reason string
}

func (c *wireCell) empty() bool { return len(c.out) == 0 && len(c.in) == 0 }

func (c *wireCell) add(e view.MarkedEvent) {
	g := &c.in
	if e.Dir == view.WireOut {
		g = &c.out
	}
	label := wireLabel(e)
	for i := range *g {
		if x := &(*g)[i]; x.label == label && x.reason == e.Reason {
			x.n++
			x.marks |= e.Marks
			return
		}
	}
	*g = append(*g, wireGroup{label: label, n: 1, marks: e.Marks, reason: e.Reason})
}

// wireLabel names a packet's message type for the diagram.
func wireLabel(e view.MarkedEvent) string {
	if e.Type == 0 {
		if e.Marks&view.MarkLost != 0 {
			return "lost"
		}
		return "junk"
	}
	switch s := e.Type.String(); s {
	case "chat-ack":
		return "ack"
	case "trail-req", "cycle-trail-req":
		return "trail?"
	case "cycle-trail":
		return "trail"
	case "cycle-state":
		return "report"
	case "ping", "pong":
		return s + "(rtt)"
	default:
		return s
	}
}

// text is the group as written on an arrow: "state×3↺~", "hello⊘spoofed".
func (g wireGroup) text() string {
	var b strings.Builder
	if g.marks&view.MarkLost != 0 {
		b.WriteString("✗")
	}
	b.WriteString(g.label)
	if g.n > 1 {
		fmt.Fprintf(&b, "×%d", g.n)
	}
	for _, m := range []struct {
		mark  view.WireMark
		glyph string
	}{{view.MarkReordered, "↺"}, {view.MarkDup, "="}, {view.MarkLate, "~"}} {
		if g.marks&m.mark != 0 {
			b.WriteString(m.glyph)
		}
	}
	if g.reason != "" {
		b.WriteString("⊘" + g.reason)
	}
	return b.String()
}

func groupsText(gs []wireGroup) string {
	parts := make([]string, len(gs))
	for i, g := range gs {
		parts[i] = g.text()
	}
	return strings.Join(parts, " ")
}

// withWire puts the open wire view beside the arena's lines when the
// terminal has room for it, else in their place. It returns the lines
// and their width.
func (m arenaModel) withWire(lines []string, mw, bh int) ([]string, int) {
	if !m.wire.open {
		return lines, mw
	}
	if room := m.width - mw - 1; room >= wireBesideWidth {
		rows := max(bh, m.height-chromeRows) // the view is worth every row the screen has
		if wl := m.wire.render(m.st, m.snap, room, rows); wl != nil {
			for len(lines) < rows {
				lines = append(lines, strings.Repeat(" ", mw))
			}
			reset := sgrReset // the arena's colour must not bleed into the view
			if m.st.glyphs {
				reset = ""
			}
			for i := range lines {
				lines[i] += reset + " " + wl[i]
			}
			return lines, mw + 1 + room
		}
	}
	if wl := m.wire.render(m.st, m.snap, mw, bh); wl != nil {
		return wl, mw
	}
	return lines, mw
}
