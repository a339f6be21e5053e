// Package game holds the rules of the light-cycle arena: cycles, trails,
// turns, crashes, respawns, scores and the AI policy.
//
// It performs no I/O, reads no clock and uses no global randomness: time
// arrives as ticks and randomness as a *rand.Rand that the caller seeds, so
// every function here is deterministic given its inputs.
package game

import "fmt"

// PlayerID names a player for the whole life of a process. Zero means "no
// player" (an empty cell, a death without a killer).
type PlayerID uint32

// Dir is a heading on the grid. The values are part of the wire protocol.
type Dir uint8

// The four headings. Screen coordinates: Up decreases Y.
const (
	Up Dir = iota
	Right
	Down
	Left
)

// Opposite returns the heading 180° from d.
func (d Dir) Opposite() Dir { return (d + 2) % 4 }

// Valid reports whether d is one of the four headings.
func (d Dir) Valid() bool { return d <= Left }

// Delta returns the one-cell step of d.
func (d Dir) Delta() (dx, dy int) {
	switch d {
	case Up:
		return 0, -1
	case Right:
		return 1, 0
	case Down:
		return 0, 1
	default:
		return -1, 0
	}
}

func (d Dir) String() string {
	switch d {
	case Up:
		return "up"
	case Right:
		return "right"
	case Down:
		return "down"
	case Left:
		return "left"
	}
	return fmt.Sprintf("dir(%d)", uint8(d))
}

// Point is a cell of the arena; (0,0) is the top-left playable cell.
type Point struct{ X, Y int }

// Add returns the cell one step from p in direction d.
func (p Point) Add(d Dir) Point {
	dx, dy := d.Delta()
	return Point{p.X + dx, p.Y + dy}
}

// Params are the rules of a room. Every peer of a room must agree on them.
type Params struct {
	Width, Height int // playable cells inside the walls
	TickRate      int // ticks per second
	// FirstTo makes the room play matches: the first player to FirstTo
	// kills wins, then scores reset. 0 is drop-in play without matches.
	FirstTo int
}

// DefaultParams fit an 80×24 terminal (half-block cells: Width columns,
// Height/2 rows) beside a scoreboard, at a rate that feels smooth.
func DefaultParams() Params { return Params{Width: 56, Height: 40, TickRate: 15} }

// Limits on room parameters; they bound memory and keep coordinates in a byte.
const (
	MinSize     = 16
	MaxSize     = 250
	MinTickRate = 1
	MaxTickRate = 60
	MaxFirstTo  = 99
)

// Validate reports whether p describes a playable room.
func (p Params) Validate() error {
	if p.Width < MinSize || p.Width > MaxSize || p.Height < MinSize || p.Height > MaxSize {
		return fmt.Errorf("arena %dx%d outside %d..%d", p.Width, p.Height, MinSize, MaxSize)
	}
	if p.TickRate < MinTickRate || p.TickRate > MaxTickRate {
		return fmt.Errorf("tick rate %d outside %d..%d", p.TickRate, MinTickRate, MaxTickRate)
	}
	if p.FirstTo < 0 || p.FirstTo > MaxFirstTo {
		return fmt.Errorf("first-to %d outside 0..%d", p.FirstTo, MaxFirstTo)
	}
	return nil
}

// In reports whether c is a playable cell.
func (p Params) In(c Point) bool { return c.X >= 0 && c.Y >= 0 && c.X < p.Width && c.Y < p.Height }

// RespawnTicks is how long a crashed cycle waits: about two seconds.
func (p Params) RespawnTicks() int { return 2 * p.TickRate }

// ReadyTicks is how long a new life waits at its spawn cell before it
// rides: two seconds (the owner's first turn starts it early). It fits the
// byte the protocol carries it in.
func (p Params) ReadyTicks() int { return min(2*p.TickRate, 255) }

// SpawnRunway is how many free cells a spawn spot wants straight ahead:
// at least one second of travel once the ready phase ends.
func (p Params) SpawnRunway() int { return max(spawnRunway, p.TickRate+1) }

// FadeTicks is how long a crashed cycle's trail stays on screen (it no longer
// blocks anybody): about half a second.
func (p Params) FadeTicks() int { return (p.TickRate + 1) / 2 }

// MaxPlayers is how many players a room holds; each gets its own color.
const MaxPlayers = 32

// Colors is the number of distinct player colors.
const Colors = 12
