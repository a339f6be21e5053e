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
	keepLog    = 32
	keepChat   = 32
	minLogRows = 2
)

// scoreRow is one line of the scoreboard.
type scoreRow struct {
	id                                 game.PlayerID
	name                               string // cleaned
	color                              int
	self, bot, lagging, suspect, alive bool
	kills, deaths, streak, best        uint16
	letter                             rune // its head's letter, shown for a shared colour
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
				name:    screenText(string(c.Name)),
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
		d.log = append(d.log, screenText(string(l.Text)))
	}
	for _, c := range s.Chat[max(0, len(s.Chat)-keepChat):] {
		d.chat = append(d.chat, chatRow{
			from: screenText(string(c.From)),
			text: screenText(string(c.Text)),
		})
	}
	return d
}

// Columns of the scoreboard. Narrow (80 columns): K D S under one-letter
// headings, explained in the help; wide: the headings say it in words.
const (
	scoreNarrowNums = "%3d%3d%3d"
	scoreWideNums   = "%6d%7d%13s"
	scoreFlagW      = 2  // a space and the bot, lag or suspect mark
	minNameW        = 10 // columns a name gets at 80 columns at least
)

// scoreLayout is how wide the scoreboard's name column is and whether the
// numbers are spelled out.
func scoreLayout(w int) (nameW int, wide bool) {
	if nw := w - 1 - scoreFlagW - 26; nw >= game.MaxNameRunes {
		return game.MaxNameRunes, true
	}
	return max(4, min(game.MaxNameRunes, w-1-scoreFlagW-9)), false
}

// panelLines renders the panel beside the board: the scoreboard, then the
// event log and the chat in what room is left. Every line is w columns;
// there are h of them.
func (m arenaModel) panelLines(w, h int) []string {
	st, d := m.st, m.panel
	lines := make([]string, 0, h)
	add := func(s string) { lines = append(lines, fit(s, w)) }

	nameW, wide := scoreLayout(w)
	head := "  K  D  S"
	if wide {
		head = " kills deaths streak(best)"
	}
	add(st.heading.Render(" " + fit("player", nameW) + " b" + head))
	room := h - len(lines) - 2 - minLogRows // a blank line, the log heading, its lines
	shown := d.scores
	more := 0
	if len(shown) > room {
		shown, more = shown[:max(0, room-1)], len(shown)-max(0, room-1)
	}
	for _, r := range shown {
		add(m.scoreLine(r, nameW, wide))
	}
	if more > 0 {
		add(st.dim.Render(fmt.Sprintf("  +%d more", more)))
	}
	if len(d.scores) == 0 {
		add(st.dim.Render("  nobody yet"))
	}
	add("")
	m.logAndChat(w, h-len(lines), add)
	for len(lines) < h {
		add("")
	}
	return lines[:h]
}

// logAndChat adds the log (and the chat, if any) in rest lines of width w.
// Log lines wrap rather than lose their end.
func (m arenaModel) logAndChat(w, rest int, add func(string)) {
	st, d := m.st, m.panel
	chat := m.chatLines(w)
	var logLines []string
	for _, l := range d.log {
		logLines = append(logLines, strings.Split(ansi.Wrap(l, w, ""), "\n")...)
	}
	logRows, chatRows := rest-1, 0
	if len(chat) > 0 && rest >= 2+minLogRows+1 {
		logRows = max(minLogRows, min(len(logLines), (rest-2)/2))
		chatRows = min(len(chat), rest-2-logRows)
		logRows = rest - 2 - chatRows
	}
	add(st.heading.Render(rule("log", w)))
	logs := logLines[max(0, len(logLines)-max(0, logRows)):]
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
}

// scoreLine is one player: colour swatch, name, a mark (bot, lagging,
// suspect; @ for you), kills, deaths and streak (best). Your own row is in
// reverse video, in every profile.
func (m arenaModel) scoreLine(r scoreRow, nameW int, wide bool) string {
	st := m.st
	mark := " "
	switch {
	case r.suspect:
		mark = "!"
	case r.lagging:
		mark = "~"
	case r.bot:
		mark = "b"
	case r.self:
		mark = string(glyphOwnHead)
	}
	nums := fmt.Sprintf(scoreNarrowNums, r.kills, r.deaths, r.streak)
	if wide {
		nums = fmt.Sprintf(scoreWideNums, r.kills, r.deaths, fmt.Sprintf("%d(%d)", r.streak, r.best))
	}
	row := fit(r.name, nameW) + " " + mark + nums
	switch {
	case r.self:
		row = st.self.Render(row)
	case !r.alive:
		row = st.dim.Render(row)
	default:
		row = st.text.Render(row)
	}
	return st.swatchOf(r.color, r.letter) + row
}

// withLetters is d with every row's head letter for the colours that
// more than one player has, as the board drew them.
func (d panelData) withLetters(b *board) panelData {
	for i, r := range d.scores {
		if b.shared[r.color] {
			d.scores[i].letter = b.letters[r.id]
		}
	}
	return d
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
