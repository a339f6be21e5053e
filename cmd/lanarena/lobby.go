package main

import (
	"context"

	tea "github.com/charmbracelet/bubbletea"

	gamenet "lanarena/net"
	"lanarena/net/session"
	"lanarena/ui"
)

// lobby feeds the lobby screen with the rooms on the LAN until a room is
// joined or ctx is done (the policy is session.Lobby's). It is the only
// goroutine that sends rooms to the program.
func lobby(ctx context.Context, prog *tea.Program, s *session.Session) {
	s.Lobby(ctx, func(rooms []gamenet.RoomInfo, searching bool) {
		prog.Send(ui.RoomsMsg{Rooms: rooms, Searching: searching})
	})
}
