package ui

import (
	"fmt"
	"strings"
	"time"

	"github.com/charmbracelet/x/ansi"

	"lanarena/game"
	"lanarena/net/view"
)

// wireDiagram is the wire view laid out on a grid of rows (newest at the
// bottom) and lanes (this peer's first).
type wireDiagram struct {
	lanes  []view.PeerStats // the peers given a lane
	rows   int
	period time.Duration
	cells  [][]wireCell // [row][lane]
	wait   [][]bool     // [row][lane, 0 for this peer]: a client waits for an answer
	a      view.WireAnalysis
}

// render draws the wire view in exactly width×height, or nil when it
// does not fit.
func (w wireView) render(st *styles, snap view.Snapshot, width, height int) []string {
	if width < wireBesideWidth || height < wireChrome+wireMinRows {
		return nil
	}
	log, peers := snap.Wire, snap.Peers
	if w.frozen {
		log, peers = w.log, w.peers
	}
	d := w.layout(log, peers, (width-wireTimeCol-1)/(wireMinSeg+1), height-wireChrome)
	lines := []string{w.title(st, d), st.dim.Render("✗ lost  ↺ reordered  = duplicate  ~ late (>1 tick, by RTT/2)  ⊘ dropped  ┃ waiting")}
	segW := wireMinSeg
	if len(d.lanes) > 0 {
		segW = (width - wireTimeCol - 1) / len(d.lanes)
		segW = max(wireMinSeg, segW-1)
	}
	lines = append(lines, d.header(segW))
	if log == nil || len(log.Events) == 0 || len(d.lanes) == 0 {
		for range d.rows {
			lines = append(lines, "")
		}
		lines[3+d.rows/2] = st.dim.Render(strings.Repeat(" ", wireTimeCol) + "recording: packets appear here")
	} else {
		for r := range d.rows {
			lines = append(lines, d.row(st, r, segW))
		}
	}
	lines = append(lines, st.dim.Render("W close · space freeze · ↑↓ scroll when frozen · f state packets · o other peers"))
	for i := range lines {
		lines[i] = fit(lines[i], width)
	}
	return lines
}

func (w wireView) title(st *styles, d wireDiagram) string {
	mode := "live"
	if w.frozen {
		mode = "FROZEN"
		if w.back > 0 {
			mode += fmt.Sprintf(" −%d rows", w.back)
		}
	}
	state := ""
	if w.hideState {
		state = " · state hidden"
	}
	return st.title.Render("wire view") + st.dim.Render(fmt.Sprintf(" %s · row = 1 tick (%s)%s · lost %d reord %d dup %d late %d drop %d",
		mode, fmtDur(d.period), state, d.a.Lost, d.a.Reordered, d.a.Dup, d.a.Late, d.a.Dropped))
}

// layout groups the analysed log into rows and lanes: nLanes peers from
// w.first on, the newest row at the bottom, w.back rows scrolled back.
func (w wireView) layout(log *view.WireLog, peers []view.PeerStats, nLanes, rows int) wireDiagram {
	d := wireDiagram{rows: rows, period: time.Second / 15}
	others := make([]view.PeerStats, 0, len(peers))
	for _, p := range peers {
		if log == nil || p.ID != log.Self {
			others = append(others, p)
		}
	}
	for i := range min(max(nLanes, 1), len(others)) {
		d.lanes = append(d.lanes, others[(w.first+i)%len(others)])
	}
	if log == nil || len(log.Events) == 0 {
		return d
	}
	if log.Period > 0 {
		d.period = log.Period
	}
	rtt := map[game.PlayerID]time.Duration{}
	for _, p := range peers {
		rtt[p.ID] = p.RTT
	}
	d.a = view.AnalyzeWire(log, func(id game.PlayerID) time.Duration { return rtt[id] })
	d.cells, d.wait = make([][]wireCell, rows), make([][]bool, rows)
	for r := range rows {
		d.cells[r], d.wait[r] = make([]wireCell, len(d.lanes)), make([]bool, len(d.lanes)+1)
	}
	now := log.Events[len(log.Events)-1].At
	// To the nearest tick: this peer's own packets go out just after its
	// tick, so a row holds a tick's sends and what came in around them.
	rowOf := func(t time.Time) int { return rows - 1 - int((now.Sub(t)+d.period/2)/d.period) + w.back }
	for _, e := range d.a.Events {
		lane, r := d.lane(e.Peer), rowOf(e.At)
		if lane < 0 || r < 0 || r >= rows || w.hideState && (e.Type.String() == "state" || e.Type.String() == "cycle-state") && e.Marks == 0 {
			continue
		}
		d.cells[r][lane].add(e)
	}
	for _, p := range d.a.Pairs {
		req := d.a.Events[p.Req]
		lane := 0 // this peer is the client: it waits
		if req.Dir == view.WireIn {
			lane = d.lane(req.Peer) + 1
		}
		if lane < 0 || lane == 0 && d.lane(req.Peer) < 0 {
			continue
		}
		for r := max(rowOf(req.At), 0); r <= min(rowOf(d.a.Events[p.Ans].At), rows-1); r++ {
			d.wait[r][lane] = true
		}
	}
	return d
}

// lane is the lane of peer id, -1 when it has none.
func (d wireDiagram) lane(id game.PlayerID) int {
	for i, p := range d.lanes {
		if p.ID == id {
			return i
		}
	}
	return -1
}

// header names the lanes: "you" and the peers, each over its lane.
func (d wireDiagram) header(segW int) string {
	var b strings.Builder
	b.WriteString(strings.Repeat(" ", wireTimeCol-2) + "you")
	for _, p := range d.lanes {
		name := ansi.Truncate(string(p.Name), segW, "…")
		b.WriteString(strings.Repeat(" ", segW+1-ansi.StringWidth(name)) + name)
	}
	return b.String()
}

// row draws row r: the time, this peer's lane, and for each peer the
// arrow between this peer and it, labelled next to its lane.
func (d wireDiagram) row(st *styles, r, segW int) string {
	var b strings.Builder
	tl := ""
	if back := d.rows - 1 - r; back%5 == 0 {
		tl = fmt.Sprintf("-%.1fs", (time.Duration(back) * d.period).Seconds())
	}
	b.WriteString(fmt.Sprintf("%*s ", wireTimeCol-1, tl))
	b.WriteString(laneGlyph(st, d.wait[r][0], false))
	farthest := -1
	for i := range d.lanes {
		if !d.cells[r][i].empty() {
			farthest = i
		}
	}
	for i := range d.lanes {
		c := &d.cells[r][i]
		b.WriteString(segment(st, c, segW, i < farthest))
		b.WriteString(laneGlyph(st, d.wait[r][i+1], i < farthest))
	}
	return b.String()
}

// segment is the arrow of one cell: "◀in labels──out labels▶", or a bare
// shaft when a farther arrow crosses it, or blank.
func segment(st *styles, c *wireCell, w int, crossed bool) string {
	if c.empty() {
		if crossed {
			return strings.Repeat("─", w)
		}
		return strings.Repeat(" ", w)
	}
	left, right := "", ""
	if len(c.in) > 0 {
		left = "◀" + groupsText(c.in)
	}
	if len(c.out) > 0 {
		right = groupsText(c.out) + "▶"
	}
	if ansi.StringWidth(left)+ansi.StringWidth(right) > w {
		// Too long for the segment: each side keeps its share, the
		// arrowheads stay.
		lw := w
		if left != "" && right != "" {
			lw = w / 2
		}
		left = ansi.Truncate(left, lw, "…")
		if right != "" {
			right = ansi.Truncate(strings.TrimSuffix(right, "▶"), w-ansi.StringWidth(left)-1, "…") + "▶"
		}
	}
	fill := max(0, w-ansi.StringWidth(left)-ansi.StringWidth(right))
	return markStyle(st, left) + strings.Repeat("─", fill) + markStyle(st, right)
}

// markStyle draws a label with marks in the warning ink.
func markStyle(st *styles, s string) string {
	if strings.ContainsAny(s, "✗↺=~⊘") {
		return st.warn.Render(s)
	}
	return s
}

func laneGlyph(st *styles, waiting, crossed bool) string {
	switch {
	case waiting:
		return st.warn.Render("┃")
	case crossed:
		return "┼"
	}
	return "│"
}
