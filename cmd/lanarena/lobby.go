package main

import (
	"context"
	"sync"

	tea "charm.land/bubbletea/v2"

	gamenet "lanarena/net"
	"lanarena/ui"
)

// roomBook keeps the rooms the lobby last saw, so that joining one adopts
// its parameters and mode. Written by the lobby goroutine, read by the UI's.
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
		if r.Name == name {
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
		if r.Name == defaultRoom {
			return rooms
		}
	}
	def := gamenet.RoomInfo{Name: defaultRoom, Mode: cfg.Mode, Params: cfg.Params, Compatible: true}
	return append(rooms, def)
}

// lobby feeds the lobby screen with the rooms on the LAN until a room is
// joined or ctx is done. With mdns off it offers the default room only.
func lobby(ctx context.Context, prog *tea.Program, cfg gamenet.RoomsConfig, mdns bool, joined <-chan struct{}, book *roomBook) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	go func() {
		select {
		case <-joined:
			cancel()
		case <-ctx.Done():
		}
	}()
	rooms := withDefault(nil, cfg)
	book.set(rooms)
	prog.Send(ui.RoomsMsg{Rooms: rooms, Searching: mdns})
	if !mdns {
		return
	}
	gamenet.BrowseRooms(ctx, cfg, func(rooms []gamenet.RoomInfo) {
		rooms = withDefault(rooms, cfg)
		book.set(rooms)
		select {
		case <-ctx.Done():
		default:
			prog.Send(ui.RoomsMsg{Rooms: rooms, Searching: true})
		}
	})
}
