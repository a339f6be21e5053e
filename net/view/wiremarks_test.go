package view

import (
	"testing"
	"time"

	"lanarena/game"
	"lanarena/net/wire"
)

var t0 = time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)

func in(ms int, seq uint32) WireEvent {
	return WireEvent{At: t0.Add(time.Duration(ms) * time.Millisecond), Dir: WireIn, Peer: 2, Type: wire.TypeState, Seq: seq}
}

func TestAnalyzeWireSequences(t *testing.T) {
	for _, tc := range []struct {
		name                 string
		ev                   []WireEvent
		lost, reordered, dup int
		lostSeqs             []uint32
	}{
		{"in order", []WireEvent{in(0, 1), in(10, 2), in(20, 3)}, 0, 0, 0, nil},
		{"a gap", []WireEvent{in(0, 1), in(10, 2), in(20, 5)}, 2, 0, 0, []uint32{3, 4}},
		{"a gap filled later is reordered, not lost", []WireEvent{in(0, 1), in(10, 3), in(20, 2)}, 0, 1, 0, nil},
		{"a duplicate", []WireEvent{in(0, 1), in(10, 2), in(20, 2)}, 0, 0, 1, nil},
		{"a new run is no gap", []WireEvent{in(0, 1), in(10, 2), in(20, 5000), in(30, 5001)}, 0, 0, 0, nil},
		{"a stranger's numbers are not sequenced", []WireEvent{in(0, 1), {At: t0, Dir: WireIn, Peer: 2, Type: wire.TypeState, Seq: 9, Reason: "spoofed"}, in(20, 2)}, 0, 0, 0, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a := AnalyzeWire(&WireLog{Self: 1, Period: time.Second / 15, Events: tc.ev}, nil)
			if a.Lost != tc.lost || a.Reordered != tc.reordered || a.Dup != tc.dup {
				t.Errorf("lost %d reordered %d dup %d, want %d %d %d", a.Lost, a.Reordered, a.Dup, tc.lost, tc.reordered, tc.dup)
			}
			var seqs []uint32
			for i, e := range a.Events {
				if e.Marks&MarkLost != 0 {
					seqs = append(seqs, e.Seq)
					if i > 0 && e.At.Before(a.Events[i-1].At) {
						t.Errorf("lost seq %d out of time order", e.Seq)
					}
				}
			}
			if len(seqs) != len(tc.lostSeqs) {
				t.Fatalf("lost seqs %v, want %v", seqs, tc.lostSeqs)
			}
			for i := range seqs {
				if seqs[i] != tc.lostSeqs[i] {
					t.Errorf("lost seqs %v, want %v", seqs, tc.lostSeqs)
				}
			}
		})
	}
}

// A ping is lost only when no pong came for pingAnswerWait.
func TestAnalyzeWirePings(t *testing.T) {
	ping := func(ms int, ref uint32) WireEvent {
		return WireEvent{At: t0.Add(time.Duration(ms) * time.Millisecond), Dir: WireOut, Peer: 2, Type: wire.TypePing, Ref: ref}
	}
	pong := WireEvent{At: t0.Add(50 * time.Millisecond), Dir: WireIn, Peer: 2, Type: wire.TypePong, Ref: 1, Seq: 1}
	a := AnalyzeWire(&WireLog{Period: time.Second / 15, Events: []WireEvent{ping(0, 1), pong, ping(10, 2), ping(2500, 3), in(3000, 2)}}, func(game.PlayerID) time.Duration { return 0 })
	for _, e := range a.Events {
		lost := e.Marks&MarkLost != 0
		if e.Type == wire.TypePing && lost != (e.Ref == 2) {
			t.Errorf("ping %d lost %v, want only ping 2 (unanswered for 3 s)", e.Ref, lost)
		}
	}
}

// A member that jumps its numbers on purpose cannot make one analysis add
// more than maxGapEvents lost events.
func TestAnalyzeWireBoundsGaps(t *testing.T) {
	var ev []WireEvent
	for i := range 1024 {
		ev = append(ev, in(i, uint32(i)*wireRunBreak))
	}
	a := AnalyzeWire(&WireLog{Period: time.Second / 15, Events: ev}, nil)
	if a.Lost > maxGapEvents || len(a.Events) > len(ev)+maxGapEvents {
		t.Errorf("%d lost events for %d packets, bound %d", a.Lost, len(ev), maxGapEvents)
	}
	if a.Lost == 0 {
		t.Error("no gap marked at all")
	}
}
