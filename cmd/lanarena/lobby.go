package main

import (
	"context"

	tea "charm.land/bubbletea/v2"

	gamenet "lanarena/net"
	"lanarena/net/discovery"
	"lanarena/net/session"
	"lanarena/ui"
)

// lobby feeds the lobby screen with the rooms on the LAN while it shows
// (the policy is session.Lobby's): until a room is joined, and again each
// time the player leaves one, until ctx is done. With playing set, a room
// is already joined: it waits for the player to leave it first. It is the
// only goroutine that sends rooms to the program.
func lobby(ctx context.Context, prog *tea.Program, s *session.Session, playing bool) {
	for {
		if playing {
			select {
			case <-s.Left():
			case <-ctx.Done():
				return
			}
		}
		s.Lobby(ctx, func(rooms []gamenet.RoomInfo, searching bool) {
			prog.Send(ui.RoomsMsg{Rooms: rooms, Searching: searching, Offline: offline(searching)})
		})
		playing = true
	}
}

// offline says why the lobby cannot look for rooms now: no network
// interface mDNS can use (discovery looks again at every query).
func offline(searching bool) string {
	if _, err := discovery.Interfaces(""); searching && err != nil {
		return "no network: LAN discovery is off (n creates a room; --join HOST:PORT joins one)"
	}
	return ""
}
