//go:build race

package game

// raceEnabled shortens the long replays under the race detector, which
// slows this single-goroutine package tenfold and finds nothing in it.
const raceEnabled = true
