package session

import (
	"context"
	"sync"
	"time"

	gamenet "lanarena/net"
)

// roomBook keeps the rooms the lobby last saw, so that joining one adopts
// its rules. Written by the lobby's goroutine, read by the joiner's.
type roomBook struct {
	mu    sync.Mutex
	rooms []gamenet.RoomInfo
}

func (b *roomBook) set(r []gamenet.RoomInfo) {
	b.mu.Lock()
	b.rooms = r
	b.mu.Unlock()
}

func (b *roomBook) find(name string) (gamenet.RoomInfo, bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, r := range b.rooms {
		if string(r.Name) == name {
			return r, true
		}
	}
	return gamenet.RoomInfo{}, false
}

// withDefault lists the default room, after the rooms where people play,
// when nobody plays in it yet: a player alone on the LAN presses Enter and
// plays; with others around, Enter joins the busiest room.
func withDefault(rooms []gamenet.RoomInfo, cfg gamenet.RoomsConfig) []gamenet.RoomInfo {
	for _, r := range rooms {
		if r.Name == DefaultRoom {
			return rooms
		}
	}
	def := gamenet.RoomInfo{Name: DefaultRoom, Mode: cfg.Mode, Params: cfg.Params, Compatible: true}
	return append(rooms, def)
}

// roomsConfig is what the lobby looks for: rooms this player can join.
func (s *Session) roomsConfig() gamenet.RoomsConfig {
	p := s.cfg.Node.Peer
	return gamenet.RoomsConfig{Logger: p.Logger, Params: p.Params, Mode: p.Mode, Strict: s.cfg.Strict}
}

// Lobby shows the rooms on the LAN until a room is joined or ctx is done:
// at once the default room, then, with mDNS on, what browsing finds about
// once a second (searching is true while it looks). show is called on
// Lobby's goroutine, and not once ctx is done or a room is joined, except
// for the first list. Joining a room adopts the rules shown for it.
func (s *Session) Lobby(ctx context.Context, show func(rooms []gamenet.RoomInfo, searching bool)) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	joined := s.joinedChan()
	go func() {
		select {
		case <-joined:
			cancel()
		case <-ctx.Done():
		}
	}()
	cfg := s.roomsConfig()
	mdns := s.cfg.Node.MDNS
	rooms := withDefault(nil, cfg)
	s.rooms.set(rooms)
	show(rooms, mdns)
	if !mdns {
		return
	}
	s.browse(ctx, cfg, func(rooms []gamenet.RoomInfo) {
		rooms = withDefault(rooms, cfg)
		s.rooms.set(rooms)
		select {
		case <-ctx.Done():
		default:
			show(rooms, true)
		}
	})
}

// lookEvery is how often Look asks the LAN: a few times within its wait.
const lookEvery = 250 * time.Millisecond

// Look browses the LAN for room for at most wait, so that joining it with
// Join adopts the rules of the players already there (--room NAME without
// rules on the command line). It returns whether the room was seen; with
// mDNS off or strict rules, it returns false at once.
func (s *Session) Look(ctx context.Context, room string, wait time.Duration) bool {
	if !s.cfg.Node.MDNS || s.cfg.Strict {
		return false
	}
	ctx, cancel := context.WithTimeout(ctx, wait)
	defer cancel()
	cfg := s.roomsConfig()
	cfg.Interval = lookEvery
	found := false
	s.browse(ctx, cfg, func(rooms []gamenet.RoomInfo) {
		for _, r := range rooms {
			if string(r.Name) == room && r.Compatible {
				s.rooms.set(rooms)
				found = true
				cancel()
			}
		}
	})
	return found
}
