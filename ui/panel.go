package ui

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/charmbracelet/x/ansi"

	"lanarena/game"
	"lanarena/net/view"
)

// How much of the log and chat a snapshot keeps for the panel.
const (
	keepLog       = 32
	keepChat      = 32
	minLogRows    = 2
	scoreFixedCol = 13 // swatch, mark and the K, D, S(B) columns
)

// scoreRow is one line of the scoreboard.
type scoreRow struct {
	id                                 game.PlayerID
	name                               string // cleaned
	color                              int
	self, bot, lagging, suspect, alive bool
	kills, deaths, streak, best        uint16
}

type chatRow struct{ from, text string }

// panelData is what the panel shows of a snapshot, cleaned and sorted once
// per snapshot rather than on every View.
type panelData struct {
	scores []scoreRow
	log    []string
	chat   []chatRow
}

func newPanelData(s view.Snapshot) panelData {
	var d panelData
	flags := make(map[game.PlayerID]view.PeerStats, len(s.Peers))
	for _, p := range s.Peers {
		flags[p.ID] = p
	}
	if s.Arena != nil {
		s.Arena.Cycles(func(c *game.Cycle) {
			p := flags[c.ID]
			d.scores = append(d.scores, scoreRow{
				id:      c.ID,
				name:    string(c.Name),
				color:   colorIndex(c.Color),
				self:    c.ID == s.Self && s.Self != 0,
				bot:     c.Bot || p.Bot,
				lagging: p.Lagging,
				suspect: p.Suspect,
				alive:   c.Alive,
				kills:   c.Kills, deaths: c.Deaths, streak: c.Streak, best: c.Best,
			})
		})
	}
	slices.SortFunc(d.scores, func(a, b scoreRow) int {
		return cmp.Or(
			cmp.Compare(b.kills, a.kills),
			cmp.Compare(a.deaths, b.deaths),
			strings.Compare(a.name, b.name),
			cmp.Compare(a.id, b.id))
	})
	for _, l := range s.Log[max(0, len(s.Log)-keepLog):] {
		d.log = append(d.log, string(l.Text))
	}
	for _, c := range s.Chat[max(0, len(s.Chat)-keepChat):] {
		d.chat = append(d.chat, chatRow{
			from: string(c.From),
			text: string(c.Text),
		})
	}
	return d
}

// panelLines renders the panel beside the board: the scoreboard, then the
// event log and the chat in what room is left. Every line is w columns;
// there are h of them.
func (m arenaModel) panelLines(w, h int) []string {
	st, d := m.st, m.panel
	lines := make([]string, 0, h)
	add := func(s string) { lines = append(lines, fit(s, w)) }

	nameW := max(4, min(game.MaxNameRunes, w-scoreFixedCol))
	add(st.heading.Render(fit("  player", nameW+2) + "  K  D S(B)"))
	room := h - len(lines) - 2 - minLogRows // a blank line, the log heading, its lines
	shown := d.scores
	more := 0
	if len(shown) > room {
		shown, more = shown[:max(0, room-1)], len(shown)-max(0, room-1)
	}
	for _, r := range shown {
		add(m.scoreLine(r, nameW))
	}
	if more > 0 {
		add(st.dim.Render(fmt.Sprintf("  +%d more", more)))
	}
	if len(d.scores) == 0 {
		add(st.dim.Render("  nobody yet"))
	}
	add("")

	rest := h - len(lines)
	chat := m.chatLines(w)
	logRows, chatRows := rest-1, 0
	if len(chat) > 0 && rest >= 2+minLogRows+1 {
		logRows = max(minLogRows, min(len(d.log), (rest-2)/2))
		chatRows = min(len(chat), rest-2-logRows)
		logRows = rest - 2 - chatRows
	}
	add(st.heading.Render(rule("log", w)))
	logs := d.log[max(0, len(d.log)-logRows):]
	for _, l := range logs {
		add(st.text.Render(l))
	}
	if chatRows > 0 {
		for range logRows - len(logs) {
			add("")
		}
		add(st.heading.Render(rule("chat", w)))
		for _, l := range chat[len(chat)-chatRows:] {
			add(l)
		}
	}
	for len(lines) < h {
		add("")
	}
	return lines[:h]
}

// scoreLine is one player: colour swatch, mark, name, kills, deaths and
// streak (best).
func (m arenaModel) scoreLine(r scoreRow, nameW int) string {
	st := m.st
	mark := " "
	switch {
	case r.self:
		mark = st.accent.Render("▸")
	case r.suspect:
		mark = st.suspect.Render("!")
	case r.lagging:
		mark = st.lag.Render("~")
	case r.bot:
		mark = st.dim.Render("b")
	}
	name := fit(r.name, nameW)
	switch {
	case r.self:
		name = st.selected.Render(name)
	case !r.alive:
		name = st.dim.Render(name)
	default:
		name = st.text.Render(name)
	}
	nums := fmt.Sprintf("%3d%3d%5s", r.kills, r.deaths, fmt.Sprintf("%d(%d)", r.streak, r.best))
	return st.swatchOf(r.color) + mark + name + st.text.Render(nums)
}

// chatLines is the chat wrapped to w columns, oldest first. The plain
// text is wrapped before it is styled, so that every line carries its own
// colour.
func (m arenaModel) chatLines(w int) []string {
	var out []string
	for _, c := range m.panel.chat {
		from := c.from
		if from == "" {
			from = "?"
		}
		from += ":"
		for i, l := range strings.Split(ansi.Wrap(from+" "+c.text, w, ""), "\n") {
			if i == 0 && strings.HasPrefix(l, from) {
				out = append(out, m.st.accent.Render(from)+m.st.text.Render(l[len(from):]))
				continue
			}
			out = append(out, m.st.text.Render(l))
		}
	}
	return out
}

// rule is a heading across the panel: "── log ─────".
func rule(title string, w int) string {
	return "── " + title + " " + strings.Repeat("─", max(0, w-4-ansi.StringWidth(title)))
}
