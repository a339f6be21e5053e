package net

import (
	"cmp"
	"context"
	"fmt"
	"log"
	"slices"
	"sync"
	"time"

	"lanarena/game"
	"lanarena/net/discovery"
	"lanarena/net/wire"
)

// RoomsConfig says what the lobby looks for and what this player can join.
type RoomsConfig struct {
	Logger   *log.Logger
	Params   game.Params // what this player would play with
	Mode     Mode        // what this player would play in
	Strict   bool        // the player chose Params or Mode on the command line: other rooms are incompatible
	Interval time.Duration
}

// BrowseRooms looks for lanarena rooms on the LAN with mDNS until ctx is
// done, calling report about once a second with every room seen in the
// last few seconds. report must return quickly.
func BrowseRooms(ctx context.Context, cfg RoomsConfig, report func([]RoomInfo)) {
	if cfg.Interval <= 0 {
		cfg.Interval = time.Second
	}
	var (
		mu   sync.Mutex // guards seen: written by Browse's callback, read by the ticker below
		seen = map[string]seenEntry{}
	)
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		discovery.Browse(ctx, discovery.BrowseConfig{Logger: cfg.Logger, Interval: cfg.Interval}, func(e discovery.Entry) {
			mu.Lock()
			seen[e.Instance] = seenEntry{e, time.Now()}
			mu.Unlock()
		})
	}()
	defer wg.Wait()
	t := time.NewTicker(cfg.Interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case now := <-t.C:
			mu.Lock()
			for k, s := range seen {
				if now.Sub(s.at) > 5*cfg.Interval {
					delete(seen, k)
				}
			}
			entries := make([]discovery.Entry, 0, len(seen))
			for _, s := range seen {
				entries = append(entries, s.Entry)
			}
			mu.Unlock()
			report(Rooms(entries, cfg))
		}
	}
}

type seenEntry struct {
	discovery.Entry
	at time.Time
}

// Rooms groups the players found on the LAN into rooms and says which
// this player can join and why not.
func Rooms(entries []discovery.Entry, cfg RoomsConfig) []RoomInfo {
	byRoom := map[game.Text]*RoomInfo{}
	for _, e := range entries {
		name := game.Clean(e.Room, game.MaxRoomRunes)
		mode, modeErr := wire.ParseMode(e.Mode)
		r := byRoom[name]
		if r == nil {
			r = &RoomInfo{Name: name, Mode: mode, Compatible: true,
				Params: game.Params{Width: e.Width, Height: e.Height, TickRate: e.TickRate, FirstTo: e.FirstTo}}
			byRoom[name] = r
		}
		r.Players++
		if e.Locked {
			r.Locked = true
		}
		if e.Role == "host" {
			r.Host = game.CleanName(e.Name)
		}
		params := game.Params{Width: e.Width, Height: e.Height, TickRate: e.TickRate, FirstTo: e.FirstTo}
		switch {
		case e.Version != wire.Version:
			r.Compatible, r.Reason = false, game.Text(fmt.Sprintf("protocol v%d", e.Version))
		case modeErr != nil:
			r.Compatible, r.Reason = false, "unknown mode"
		case params.Validate() != nil:
			r.Compatible, r.Reason = false, "bad parameters"
		case cfg.Strict && params != cfg.Params:
			r.Compatible, r.Reason = false, game.Text(fmt.Sprintf("arena %dx%d at %d/s%s", e.Width, e.Height, e.TickRate, firstToText(e.FirstTo)))
		case cfg.Strict && mode != cfg.Mode:
			r.Compatible, r.Reason = false, game.Text("mode "+mode.String())
		}
	}
	out := make([]RoomInfo, 0, len(byRoom))
	for _, r := range byRoom {
		out = append(out, *r)
	}
	slices.SortFunc(out, func(a, b RoomInfo) int {
		return cmp.Or(-cmp.Compare(a.Players, b.Players), cmp.Compare(a.Name, b.Name))
	})
	return out
}
