package main

import (
	"context"
	"log"
	"sync"

	tea "github.com/charmbracelet/bubbletea"

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

// withDefault lists the default room first when nobody plays in it yet, so
// that a player alone on the LAN presses Enter and plays.
func withDefault(rooms []gamenet.RoomInfo, o *options) []gamenet.RoomInfo {
	for _, r := range rooms {
		if r.Name == defaultRoom {
			return rooms
		}
	}
	def := gamenet.RoomInfo{Name: defaultRoom, Mode: o.mode, Params: o.params(), Compatible: true}
	return append([]gamenet.RoomInfo{def}, rooms...)
}

// lobby feeds the lobby screen with the rooms on the LAN until a room is
// joined or ctx is done.
func lobby(ctx context.Context, prog *tea.Program, o *options, logger *log.Logger, joined <-chan struct{}, book *roomBook) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	go func() {
		select {
		case <-joined:
			cancel()
		case <-ctx.Done():
		}
	}()
	if o.noMDNS {
		rooms := withDefault(nil, o)
		book.set(rooms)
		prog.Send(ui.RoomsMsg{Rooms: rooms})
		return
	}
	prog.Send(ui.RoomsMsg{Rooms: withDefault(nil, o), Searching: true})
	gamenet.BrowseRooms(ctx, gamenet.RoomsConfig{
		Logger: logger,
		Params: o.params(),
		Mode:   o.mode,
		Strict: o.strict,
	}, func(rooms []gamenet.RoomInfo) {
		rooms = withDefault(rooms, o)
		book.set(rooms)
		select {
		case <-ctx.Done():
		default:
			prog.Send(ui.RoomsMsg{Rooms: rooms, Searching: true})
		}
	})
}
