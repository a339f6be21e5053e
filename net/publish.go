package net

import (
	"cmp"
	"slices"
	"time"

	"lanarena/game"
	"lanarena/net/view"
)

// snapshot builds an immutable picture of what this loop knows now.
func (l *core) snapshot(now time.Time) Snapshot {
	l.now = now
	s := Snapshot{
		Arena:      l.st.View(),
		Room:       game.Text(l.p.cfg.Room), // New checked that it is clean
		Mode:       l.p.cfg.Mode,
		Addr:       l.p.Addr(),
		Log:        slices.Clone(l.logLines),
		Chat:       slices.Clone(l.chatLines),
		Impairment: l.p.cfg.Impairment,
		Locked:     l.p.key != nil,
		Notice:     l.notice,
		Match:      l.match(),
		Wire:       l.wireSnapshot(),
	}
	if s.Notice == "" {
		s.Notice = l.p.cfg.Notice
	}
	if !l.p.cfg.Spectator {
		s.Self = l.p.id
	}
	var notice game.Text
	s.Waiting, s.Host, notice = l.model.status(now)
	if notice != "" {
		s.Notice = notice
	}
	for _, m := range l.members {
		s.Peers = append(s.Peers, PeerStats{
			ID:               m.id,
			Name:             m.display,
			Addr:             m.addr,
			Bot:              m.bot,
			Spectator:        m.spectator,
			Lagging:          m.lagging,
			Suspect:          l.suspect(m),
			RTT:              m.rtt,
			Jitter:           m.jitter,
			Loss:             m.loss,
			Age:              now.Sub(m.lastHeard),
			LastSeen:         m.lastHeard,
			PacketsInPerSec:  m.ppsIn,
			PacketsOutPerSec: m.ppsOut,
			BytesInPerSec:    m.bpsIn,
			BytesOutPerSec:   m.bpsOut,
			BytesIn:          m.bytesIn,
			BytesOut:         m.bytesOut,
			RTTHistory:       slices.Clone(m.rttHist),
		})
	}
	slices.SortFunc(s.Peers, func(a, b PeerStats) int {
		return cmp.Or(cmp.Compare(a.Name, b.Name), cmp.Compare(a.ID, b.ID))
	})
	l.predictions(&s, now)
	for r, n := range l.drops {
		s.Drops = append(s.Drops, DropCount{Reason: string(r), Count: n})
	}
	if d, ok := l.sourceLimitDrops(); ok {
		s.Drops = append(s.Drops, d)
	}
	slices.SortFunc(s.Drops, func(a, b DropCount) int { return cmp.Compare(a.Reason, b.Reason) })
	return s
}

func (l *core) suspect(m *member) bool {
	s := l.sources[m.addr]
	return s != nil && s.bad >= suspectAfter
}

// match is the first-to-N match as this replica knows it (the zero value
// in drop-in play).
func (l *core) match() view.Match {
	p := l.st.Params
	if p.FirstTo == 0 {
		return view.Match{}
	}
	m := view.Match{FirstTo: p.FirstTo, Number: int(l.st.Match), Winner: l.st.Winner, Last: l.st.LastWinner}
	over, left := l.st.MatchOver()
	if !over {
		return m
	}
	m.NextIn = time.Duration(left) * time.Second / time.Duration(p.TickRate)
	for _, f := range l.st.Final {
		row := view.Standing{ID: f.ID, Kills: f.Kills, Deaths: f.Deaths, Name: l.name(f.ID)}
		if c := l.st.Cycle(f.ID); c != nil {
			row.Name, row.Color, row.Bot = c.Name, c.Color, c.Bot
		}
		m.Final = append(m.Final, row)
	}
	return m
}
