package net

import (
	"cmp"
	"context"
	"fmt"
	"log"
	"slices"
	"strings"
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
		if e.Role == "spectator" {
			r.Spectators++
			r.Watchers = append(r.Watchers, game.CleanName(e.Name))
		} else {
			r.Players++
			r.Names = append(r.Names, game.CleanName(e.Name))
		}
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
		case cfg.Strict && (params != cfg.Params || mode != cfg.Mode):
			r.Compatible, r.Reason = false, game.Text(Mismatch(params, mode, cfg.Params, cfg.Mode))
		}
	}
	out := make([]RoomInfo, 0, len(byRoom))
	for _, r := range byRoom {
		slices.Sort(r.Names)
		slices.Sort(r.Watchers)
		out = append(out, *r)
	}
	slices.SortFunc(out, func(a, b RoomInfo) int {
		return cmp.Or(-cmp.Compare(a.Players, b.Players), -cmp.Compare(a.Spectators, b.Spectators), cmp.Compare(a.Name, b.Name))
	})
	return out
}

// Mismatch says how a room's rules (theirs) differ from this player's
// (yours), and which flags would make them the same: "arena 56x40 at
// 30/s; yours 56x40 at 15/s (--tick 30)".
func Mismatch(theirs game.Params, theirMode Mode, yours game.Params, yourMode Mode) string {
	var fix []string
	for _, f := range []struct {
		flag    string
		t, y    int
		differs bool
	}{
		{"width", theirs.Width, yours.Width, theirs.Width != yours.Width},
		{"height", theirs.Height, yours.Height, theirs.Height != yours.Height},
		{"tick", theirs.TickRate, yours.TickRate, theirs.TickRate != yours.TickRate},
		{"first-to", theirs.FirstTo, yours.FirstTo, theirs.FirstTo != yours.FirstTo},
	} {
		if f.differs {
			fix = append(fix, fmt.Sprintf("--%s %d", f.flag, f.t))
		}
	}
	if theirMode != yourMode {
		fix = append(fix, "--mode "+theirMode.String())
	}
	rules := func(p game.Params, m Mode) string {
		s := fmt.Sprintf("%dx%d at %d/s", p.Width, p.Height, p.TickRate)
		if theirs.FirstTo != yours.FirstTo {
			s += firstToText(p.FirstTo)
			if p.FirstTo == 0 {
				s += ", no matches"
			}
		}
		if theirMode != yourMode {
			s += ", mode " + m.String()
		}
		return s
	}
	return fmt.Sprintf("arena %s; yours %s (%s)", rules(theirs, theirMode), rules(yours, yourMode), strings.Join(fix, " "))
}
