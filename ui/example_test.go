package ui_test

import (
	"log"
	"os"

	tea "charm.land/bubbletea/v2"

	"lanarena/net/view"
	"lanarena/ui"
)

// The cmd runs the UI in a program on the alternate screen and sends it
// the latest snapshot from a pump goroutine, at most once per frame; the
// peer loop itself never calls Send.
func Example() {
	var join ui.Joiner // starts the peer for a room, returns its Controller
	snapshots := make(chan view.Snapshot, 1)

	p := tea.NewProgram(ui.New(ui.Config{Join: join, Version: "v0.1.0", Profile: ui.DetectProfile(os.Stdout, os.Environ())}))
	go func() {
		for s := range snapshots {
			p.Send(ui.SnapshotMsg{Snapshot: s})
		}
	}()
	if _, err := p.Run(); err != nil {
		log.Fatal(err)
	}
	// Send the leave here, once the program has ended.
}
