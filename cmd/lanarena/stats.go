package main

import (
	"context"
	"encoding/json"
	"log"
	"time"

	"lanarena/cmd/internal/rotate"
	"lanarena/game"
	gamenet "lanarena/net"
)

// statsLine is one line of --stats: what this peer sees, once a second.
// The schema is documented in the README.
type statsLine struct {
	T       int64             `json:"t"` // unix ms
	Self    statsSelf         `json:"self"`
	Room    string            `json:"room"`
	Mode    string            `json:"mode"`
	Tick    uint32            `json:"tick"`
	Players []statsPlayer     `json:"players"`
	Peers   []statsPeer       `json:"peers"`
	Drops   map[string]uint64 `json:"drops"`
}

type statsSelf struct {
	ID   uint32 `json:"id"`
	Name string `json:"name"`
	Addr string `json:"addr"`
}

type statsPlayer struct {
	ID     uint32 `json:"id"`
	Name   string `json:"name"`
	Color  int    `json:"color"`
	Bot    bool   `json:"bot"`
	Alive  bool   `json:"alive"`
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

type statsPeer struct {
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

func newStatsLine(s gamenet.Snapshot, selfName string, now time.Time) statsLine {
	line := statsLine{
		T:     now.UnixMilli(),
		Self:  statsSelf{ID: uint32(s.Self), Name: selfName, Addr: s.Addr.String()},
		Room:  s.Room,
		Mode:  s.Mode,
		Tick:  s.Arena.Tick,
		Drops: map[string]uint64{},
	}
	if c := s.Arena.Cycle(s.Self); c != nil {
		line.Self.Name = c.Name
	}
	line.Players = []statsPlayer{}
	s.Arena.Cycles(func(c *game.Cycle) {
		line.Players = append(line.Players, statsPlayer{
			ID: uint32(c.ID), Name: c.Name, Color: c.Color, Bot: c.Bot, Alive: c.Alive,
			X: c.Head.X, Y: c.Head.Y, Dir: c.Dir.String(), Trail: c.TrailLen(), Life: c.Life,
			Kills: c.Kills, Deaths: c.Deaths, Streak: c.Streak, Best: c.Best,
		})
	})
	line.Peers = []statsPeer{}
	for _, p := range s.Peers {
		line.Peers = append(line.Peers, statsPeer{
			ID: uint32(p.ID), Name: p.Name, Addr: p.Addr.String(), Bot: p.Bot, Spectator: p.Spectator,
			Lagging: p.Lagging, Suspect: p.Suspect,
			RTTms: ms(p.RTT), JitterMs: ms(p.Jitter), Loss: p.Loss,
			AgeMs: p.Age.Milliseconds(), LastSeenMs: p.LastSeen.UnixMilli(),
			BytesIn: p.BytesIn, BytesOut: p.BytesOut,
			PktsInPS: p.PacketsInPerSec, PktsOutPS: p.PacketsOutPerSec,
			BytesInPS: p.BytesInPerSec, BytesOutPS: p.BytesOutPerSec,
		})
	}
	for _, d := range s.Drops {
		line.Drops[d.Reason] = d.Count
	}
	return line
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// startStats appends a stats line to path about once a second until ctx
// is done or the returned stop is called; stop waits for the writer.
func startStats(ctx context.Context, path string, p *gamenet.Peer, logger *log.Logger) (stop func()) {
	if path == "" {
		return func() {}
	}
	f, err := rotate.Open(path, rotate.DefaultMax) // bounded, like --log
	if err != nil {
		logger.Printf("stats: %v", err)
		return func() {}
	}
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		defer f.Close()
		enc := json.NewEncoder(f)
		t := time.NewTicker(time.Second)
		defer t.Stop()
		for {
			s, err := p.Snapshot(ctx)
			if err != nil {
				return
			}
			if err := enc.Encode(newStatsLine(s, p.Config().Name, time.Now())); err != nil {
				logger.Printf("stats: %v", err)
				return
			}
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			}
		}
	}()
	return func() { cancel(); <-done }
}
