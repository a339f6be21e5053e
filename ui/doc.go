// Package ui is lanarena's terminal interface: bubbletea models for the
// lobby (rooms found on the LAN) and the arena (the board, the scoreboard,
// the event log, chat, and the netgraph overlay).
//
// It renders plain data — [lanarena/net.Snapshot] and [lanarena/net.RoomInfo] — and
// asks the game for things through a [Controller]. It owns no sockets and
// no goroutines; the program that runs it sends snapshots in with
// tea.Program.Send.
//
// # Drawing the arena
//
// Arena cells are drawn with half blocks, two cells per character ('▀'
// with the upper cell as foreground and the lower one as background), so
// that a W×H arena takes W columns and ⌈H/2⌉ rows and its cells look
// square. The board is filled from a snapshot once, each row rendered to
// one string with an escape only where the colour changes, from escape
// strings computed once per colour profile; View only joins cached rows.
// bubbletea v2's renderer parses each new frame into cells and writes the
// cells that changed, so the frame is drawn once per snapshot, View
// returns the same string until then, and nothing on screen changes every
// frame for its own sake (the tick on the wall moves once a second).
//
// # Without colour
//
// With NO_COLOR, or on a terminal without colour (the Ascii profile), the
// output holds no escape sequence at all and players are told apart by
// glyphs instead: each colour slot has its own trail glyph (# * + % = ~ $ &
// : o ^ x), a living head shows the first letter of its player's name in
// upper case, your own head is '@', and a crashed cycle's fading trail is
// '.'. One character still stands for two cells stacked; where the two
// differ, the more telling one wins (your head, a head, a living trail, a
// fading trail), the upper one on a tie. The scoreboard shows each player's
// glyph as their swatch.
package ui
