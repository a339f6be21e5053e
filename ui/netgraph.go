package ui

import (
	"fmt"
	"strings"
	"time"

	"github.com/charmbracelet/x/ansi"

	"lanarena/game"
	"lanarena/net/view"
)

// Widths of the netgraph's columns.
const (
	netNameW  = 11
	netSparkW = 12
)

// Widths of the netgraph's layouts: one line a peer needs fullNetW
// columns; from twoLineNetW a peer's traffic goes on a second line.
const (
	fullNetW    = 92
	twoLineNetW = 40
)

// netFixedW is the width of a peer's first line after its name: rtt,
// loss, correction, age, jitter.
const netFixedW = 7 + 6 + 6 + 7 + 7

// netgraph shows the network as this peer sees it, in the side panel's
// w×h: a row per peer, then the packets dropped by reason. Its columns go
// from the most telling (rtt, loss, the prediction's correction) to the
// least, so that a narrow panel loses only the last ones; a panel of
// middle width puts each peer's traffic on a line of its own instead,
// and a narrow one its correction, where every peer still fits.
func (m arenaModel) netgraph(w, h int) string {
	st, s := m.st, m.snap
	var lines []string
	add := func(l string) { lines = append(lines, l) }
	nameW := max(6, min(netNameW, w-13))
	twoLines := w >= twoLineNetW && w < fullNetW
	if w >= twoLineNetW {
		nameW = max(6, min(netNameW, w-netFixedW))
	}
	header := fmt.Sprintf("%-*s %6s %5s %5s %6s %6s", nameW, "peer", "rtt", "loss", "corr", "age", "jitter")

	add(st.title.Render("netgraph") + st.dim.Render("  n to close"))
	add(st.heading.Render(header + m.netTraffic(twoLines, "pkt/s i/o", "B/s in/out", "rtt history")))
	perPeer := 1
	if twoLines {
		lines[1] = st.heading.Render(header)
		add(st.heading.Render(m.netTraffic(true, "pkt/s i/o", "B/s in/out", "rtt history")))
		perPeer = 2
	}

	drops := m.dropLines(w)
	room := (h - len(lines) - 2 - len(drops)) / perPeer // a blank and the drops heading
	// A narrow panel has no column for the correction: it gets a line of
	// its own under each peer, if every peer still fits.
	corrLine := w < twoLineNetW && s.Mode != view.ModeServer && 2*len(s.Peers) <= room
	peers := s.Peers
	more := 0
	if len(peers) > room {
		peers, more = peers[:max(0, room-1)], len(peers)-max(0, room-1)
	}
	for _, p := range peers {
		m.netPeer(p, nameW, twoLines, add)
		if corrLine {
			add(st.dim.Render("  correction " + m.fmtCorrection(p, " max ")))
		}
	}
	if more > 0 {
		add(st.dim.Render(fmt.Sprintf("+%d more", more)))
	}
	if len(s.Peers) == 0 {
		add(st.dim.Render("no peers yet"))
	}
	add("")
	add(st.heading.Render("dropped, by reason"))
	lines = append(lines, drops...)
	if len(lines) > h {
		lines = lines[:h]
	}
	for i, l := range lines {
		lines[i] = ansi.Truncate(l, w, "") // whole columns, no ellipsis
	}
	return strings.Join(lines, "\n")
}

// netTraffic is the traffic columns: on the peer's own line, or indented
// on a second one.
func (m arenaModel) netTraffic(second bool, pkts, bytes, hist string) string {
	if second {
		return fmt.Sprintf("  %9s %11s  %s", pkts, bytes, hist)
	}
	return fmt.Sprintf(" %9s %11s  %s", pkts, bytes, hist)
}

// netPeer adds a peer's line (or two) to the netgraph.
func (m arenaModel) netPeer(p view.PeerStats, nameW int, twoLines bool, add func(string)) {
	st := m.st
	mark, style := " ", st.text
	switch {
	case p.Suspect:
		mark, style = "!", st.suspect
	case p.Lagging:
		mark, style = "~", st.lag
	case p.Bot:
		mark = "b"
	}
	head := fmt.Sprintf("%s %6s %5s %5s %6s %6s", fit(screenText(string(p.Name)), nameW-1)+mark,
		fmtDur(p.RTT), fmtLoss(p.Loss), m.fmtCorrection(p, "/"), fmtDur(p.Age), fmtDur(p.Jitter))
	pkts := fmtRate(p.PacketsInPerSec) + "/" + fmtRate(p.PacketsOutPerSec)
	bytes := fmtRate(p.BytesInPerSec) + "/" + fmtRate(p.BytesOutPerSec)
	spark := sparkline(p.RTTHistory, netSparkW)
	if twoLines {
		add(style.Render(head))
		tr := m.netTraffic(true, pkts, bytes, "")
		add(style.Render(tr) + st.accent.Render(spark))
		return
	}
	tr := m.netTraffic(false, pkts, bytes, "")
	add(style.Render(head+tr) + st.accent.Render(spark))
}

// fmtCorrection is how far, in cells, p's cycle jumped when its latest
// state corrected the prediction, and the most over the last seconds,
// joined by sep ("0/2"); "-" where nothing is predicted (server mode, a
// spectator).
func (m arenaModel) fmtCorrection(p view.PeerStats, sep string) string {
	if m.snap.Mode == view.ModeServer || p.Spectator {
		return "-"
	}
	return fmt.Sprintf("%d%s%d", p.Correction, sep, p.CorrectionMax)
}

// maxDropLines bounds the drop counters' share of the netgraph.
const maxDropLines = 3

// dropLines packs the drop counters into as few lines of width w as they
// need, at most maxDropLines.
func (m arenaModel) dropLines(w int) []string {
	st := m.st
	if len(m.snap.Drops) == 0 {
		return []string{st.dim.Render("none")}
	}
	var lines []string
	line := ""
	for _, d := range m.snap.Drops {
		item := fmt.Sprintf("%s %d", game.CleanText(d.Reason, 40), d.Count)
		switch {
		case line == "":
			line = item
		case ansi.StringWidth(line)+3+ansi.StringWidth(item) <= w:
			line += " · " + item
		default:
			lines = append(lines, line)
			line = item
		}
	}
	lines = append(lines, line)
	if len(lines) > maxDropLines {
		lines = lines[:maxDropLines]
		lines[maxDropLines-1] = ansi.Truncate(lines[maxDropLines-1]+" · …", w, "…")
	}
	for i, l := range lines {
		lines[i] = st.text.Render(fit(l, w))
	}
	return lines
}

// sparkBars are the eight levels of a sparkline.
var sparkBars = []rune("▁▂▃▄▅▆▇█")

// sparkFloor is the least full scale of a sparkline, so that a few
// milliseconds of jitter on a quiet LAN do not fill it.
const sparkFloor = 20 * time.Millisecond

// sparkline draws the latest n samples, scaled to the largest of them.
func sparkline(samples []time.Duration, n int) string {
	samples = samples[max(0, len(samples)-n):]
	top := sparkFloor
	for _, s := range samples {
		top = max(top, s)
	}
	out := make([]rune, 0, n)
	for _, s := range samples {
		lvl := 0
		if top > 0 && s > 0 {
			lvl = min(len(sparkBars)-1, int(int64(s)*int64(len(sparkBars))/int64(top+1)))
		}
		out = append(out, sparkBars[lvl])
	}
	return string(out)
}

// fmtDur is a duration in at most six columns: "230ms", "1.3s", "42s".
func fmtDur(d time.Duration) string {
	switch {
	case d <= 0:
		return "-"
	case d < time.Millisecond:
		return "<1ms"
	case d < time.Second:
		return fmt.Sprintf("%dms", d.Milliseconds())
	case d < 10*time.Second:
		return fmt.Sprintf("%.1fs", d.Seconds())
	case d < 100*time.Minute:
		return fmt.Sprintf("%.0fs", d.Seconds())
	}
	return ">99m"
}

// fmtLoss is a fraction as a percentage.
func fmtLoss(f float64) string {
	switch {
	case f <= 0:
		return "0%"
	case f < 0.01:
		return "<1%"
	}
	return fmt.Sprintf("%.0f%%", min(f, 1)*100)
}

// fmtRate is a count per second in at most four columns: "15", "1.2k".
func fmtRate(r float64) string {
	switch {
	case r < 0:
		return "0"
	case r < 1000:
		return fmt.Sprintf("%.0f", r)
	case r < 10_000:
		return fmt.Sprintf("%.1fk", r/1000)
	case r < 1_000_000:
		return fmt.Sprintf("%.0fk", r/1000)
	}
	return fmt.Sprintf("%.1fM", r/1_000_000)
}
