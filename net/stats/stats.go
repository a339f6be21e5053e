// Package stats writes the --stats file: one JSON object per line, about
// once a second, describing what one peer sees. End-to-end tests and
// people read it, so the schema is a contract documented in the README's
// "--stats schema": a field changes there first.
package stats

import (
	"context"
	"encoding/json"
	"io"
	"log"
	"time"

	"lanarena/game"
	"lanarena/net/view"
)

// Line is one line of the file: what the peer sees at time T.
type Line struct {
	T       int64             `json:"t"` // unix ms
	Self    Self              `json:"self"`
	Room    string            `json:"room"`
	Mode    string            `json:"mode"`
	Tick    uint32            `json:"tick"`
	Players []Player          `json:"players"`         // never null: every cycle the peer knows, its own included
	Peers   []Peer            `json:"peers"`           // never null: every other peer of the room
	Drops   map[string]uint64 `json:"drops"`           // never null: packets dropped, by reason
	Match   *Match            `json:"match,omitempty"` // only in a room of first-to-N matches
}

// Match is the room's current match.
type Match struct {
	FirstTo int    `json:"first_to"`
	Number  int    `json:"number"`
	Winner  uint32 `json:"winner"`      // while the result shows, else 0
	Last    uint32 `json:"last_winner"` // the winner of the match before, 0 if none
}

// Self is the peer that writes the line.
type Self struct {
	ID   uint32 `json:"id"`
	Name string `json:"name"`
	Addr string `json:"addr"`
}

// Player is one cycle as the peer knows it.
type Player struct {
	ID     uint32 `json:"id"`
	Name   string `json:"name"`
	Color  int    `json:"color"`
	Bot    bool   `json:"bot"`
	Alive  bool   `json:"alive"`
	Ready  bool   `json:"ready"` // waiting at its spawn cell, in the life's ready phase
	X      int    `json:"x"`
	Y      int    `json:"y"`
	Dir    string `json:"dir"`
	Trail  int    `json:"trail"`
	Life   uint16 `json:"life"`
	Kills  uint16 `json:"kills"`
	Deaths uint16 `json:"deaths"`
	Streak uint16 `json:"streak"`
	Best   uint16 `json:"best"`
}

// Peer is another peer of the room and the link to it.
type Peer struct {
	ID         uint32  `json:"id"`
	Name       string  `json:"name"`
	Addr       string  `json:"addr"`
	Bot        bool    `json:"bot"`
	Spectator  bool    `json:"spectator"`
	Lagging    bool    `json:"lagging"`
	Suspect    bool    `json:"suspect"`
	RTTms      float64 `json:"rtt_ms"`
	JitterMs   float64 `json:"jitter_ms"`
	Loss       float64 `json:"loss"`
	AgeMs      int64   `json:"age_ms"`
	LastSeenMs int64   `json:"last_seen_ms"`
	BytesIn    uint64  `json:"bytes_in"`
	BytesOut   uint64  `json:"bytes_out"`
	PktsInPS   float64 `json:"pkts_in_per_s"`
	PktsOutPS  float64 `json:"pkts_out_per_s"`
	BytesInPS  float64 `json:"bytes_in_per_s"`
	BytesOutPS float64 `json:"bytes_out_per_s"`
}

// NewLine describes snapshot s at now. selfName names the writer when it
// has no cycle in s (a spectator); its cycle's name wins otherwise.
func NewLine(s view.Snapshot, selfName string, now time.Time) Line {
	line := Line{
		T:       now.UnixMilli(),
		Self:    Self{ID: uint32(s.Self), Name: selfName, Addr: s.Addr.String()},
		Room:    string(s.Room),
		Mode:    s.Mode.String(),
		Players: []Player{},
		Peers:   []Peer{},
		Drops:   map[string]uint64{},
	}
	if s.Arena != nil {
		line.Tick = s.Arena.Tick
		if c := s.Arena.Cycle(s.Self); c != nil {
			line.Self.Name = string(c.Name)
		}
		s.Arena.Cycles(func(c *game.Cycle) { line.Players = append(line.Players, newPlayer(c)) })
	}
	if m := s.Match; m.FirstTo > 0 {
		line.Match = &Match{FirstTo: m.FirstTo, Number: m.Number, Winner: uint32(m.Winner), Last: uint32(m.Last)}
	}
	for _, p := range s.Peers {
		line.Peers = append(line.Peers, newPeer(p))
	}
	for _, d := range s.Drops {
		line.Drops[d.Reason] = d.Count
	}
	return line
}

func newPlayer(c *game.Cycle) Player {
	return Player{
		ID: uint32(c.ID), Name: string(c.Name), Color: c.Color, Bot: c.Bot, Alive: c.Alive,
		X: c.Head.X, Y: c.Head.Y, Dir: c.Dir.String(), Trail: c.TrailLen(), Life: c.Life,
		Kills: c.Kills, Deaths: c.Deaths, Streak: c.Streak, Best: c.Best, Ready: c.Ready > 0,
	}
}

func newPeer(p view.PeerStats) Peer {
	return Peer{
		ID: uint32(p.ID), Name: string(p.Name), Addr: p.Addr.String(), Bot: p.Bot, Spectator: p.Spectator,
		Lagging: p.Lagging, Suspect: p.Suspect,
		RTTms: ms(p.RTT), JitterMs: ms(p.Jitter), Loss: p.Loss,
		AgeMs: p.Age.Milliseconds(), LastSeenMs: p.LastSeen.UnixMilli(),
		BytesIn: p.BytesIn, BytesOut: p.BytesOut,
		PktsInPS: p.PacketsInPerSec, PktsOutPS: p.PacketsOutPerSec,
		BytesInPS: p.BytesInPerSec, BytesOutPS: p.BytesOutPerSec,
	}
}

// ms keeps microsecond precision: loopback round trips are well under 1 ms.
func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// Player finds the cycle named name.
func (l Line) Player(name string) (Player, bool) {
	for _, p := range l.Players {
		if p.Name == name {
			return p, true
		}
	}
	return Player{}, false
}

// Peer finds the peer named name.
func (l Line) Peer(name string) (Peer, bool) {
	for _, p := range l.Peers {
		if p.Name == name {
			return p, true
		}
	}
	return Peer{}, false
}

// Source is what the lines describe: a running peer (*net.Peer).
type Source interface {
	// Snapshot returns the peer's picture now; it fails once the peer
	// has stopped or ctx is done.
	Snapshot(ctx context.Context) (view.Snapshot, error)
}

// Write appends a line describing src to w at once and then every
// interval, until ctx is done or src stops, which end the file normally
// (nil). It returns the first write error.
func Write(ctx context.Context, w io.Writer, src Source, selfName string, every time.Duration) error {
	enc := json.NewEncoder(w)
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		s, err := src.Snapshot(ctx)
		if err != nil {
			return nil
		}
		if err := enc.Encode(NewLine(s, selfName, time.Now())); err != nil {
			return err
		}
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		}
	}
}

// Start writes a line describing src to w at once and then once a
// second, on a goroutine of its own, until ctx is done or stop is called;
// stop waits for that goroutine and leaves w open. A write error ends the
// writing and goes to logger: the TUI owns the terminal, and stats never
// stop the game.
func Start(ctx context.Context, w io.Writer, src Source, selfName string, logger *log.Logger) (stop func()) {
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		if err := Write(ctx, w, src, selfName, time.Second); err != nil {
			logger.Printf("stats: %v", err)
		}
	}()
	return func() { cancel(); <-done }
}
