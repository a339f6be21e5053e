package net

import (
	"fmt"
	"testing"
	"time"

	"lanarena/game"
)

// benchBusyCore is a peer's core whose arena holds its own cycle and
// players-1 remote cycles with trails of cells cells each: a replica of a
// busy room.
func benchBusyCore(b *testing.B, players, cells int) *core {
	b.Helper()
	l := benchLoop(b, 1, benchDiscard{})
	params := l.p.cfg.Params
	for i := 1; i < players; i++ {
		verts, head, dir := benchSerpentine(params, cells)
		c := &game.Cycle{ID: game.PlayerID(100 + i), Name: game.Text(fmt.Sprintf("r%d", i)), Color: i % game.Colors,
			Alive: true, Life: 1, Dir: dir, Head: head, Verts: verts}
		if _, err := l.st.Merge(c); err != nil {
			b.Fatal(err)
		}
	}
	return l
}

// BenchmarkSnapshot measures the picture a UI gets every tick.
func BenchmarkSnapshot(b *testing.B) {
	for _, players := range []int{2, 8} {
		b.Run(fmt.Sprintf("players=%d", players), func(b *testing.B) {
			l := benchBusyCore(b, players, 400)
			now := time.Now()
			b.ReportAllocs()
			for b.Loop() {
				_ = l.snapshot(now)
			}
		})
	}
}

// BenchmarkTickPublish measures one tick of a peer with a screen: its
// own step and the snapshot published for the UI (no members to send to).
func BenchmarkTickPublish(b *testing.B) {
	for _, players := range []int{2, 8} {
		b.Run(fmt.Sprintf("players=%d", players), func(b *testing.B) {
			l := benchBusyCore(b, players, 400)
			l.p.cfg.Publish = true
			now := time.Now()
			b.ReportAllocs()
			for b.Loop() {
				now = now.Add(time.Second / 15)
				l.tick(now)
				<-l.p.snaps
			}
		})
	}
}
