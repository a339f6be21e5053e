package main

import (
	"os"
	"runtime"
)

// oneThread runs the process's Go code (a TUI's, or a headless --bot's) on
// one thread at a time, unless the GOMAXPROCS environment variable says
// otherwise.
//
// The process does little and in short bursts: 15 times a second the
// peer ticks, hands a snapshot to the pump goroutine, which hands it to
// bubbletea's event loop, and the renderer's ticker flushes the frame;
// packets arrive in between. With a second P idle, every one of those
// hand-offs wakes another thread to run the goroutine made ready (a futex
// wake, a spinning thread that finds nothing, a futex sleep), and those
// wake-ups cost more CPU than the work (see README, Performance, The
// terminal). With one P the goroutine made ready runs next on the same
// thread. The work of a frame is well under a millisecond, so nothing
// waits noticeably for the P. A process that hosts SSH players runs a
// renderer per player and keeps every core.
func oneThread() {
	if os.Getenv("GOMAXPROCS") == "" {
		runtime.GOMAXPROCS(1)
	}
}
