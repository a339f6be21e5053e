package wire

import "testing"

func TestReplay(t *testing.T) {
	type step struct {
		seq  uint32
		want bool
	}
	tests := []struct {
		name  string
		steps []step
	}{
		{"zero once", []step{{0, true}, {0, false}}},
		{"in order", []step{{1, true}, {2, true}, {3, true}, {3, false}, {2, false}}},
		{"reordered", []step{{5, true}, {3, true}, {4, true}, {1, true}, {4, false}, {6, true}}},
		{"window edge", []step{
			{5000, true},
			{5000 - ReplayWindow + 1, true},
			{5000 - ReplayWindow + 1, false},
			{5000 - ReplayWindow, false},
			{0, false},
		}},
		{"slide", []step{
			{1, true}, {100, true},
			{100 + ReplayWindow - 1, true},
			{100, false}, // still inside: a duplicate
			{99, false},  // slid out
			{101, true},  // inside, never seen
		}},
		{"big jump clears the ring", []step{
			{10, true}, {11, true},
			{10 + 64*replayBlocks, true},
			{10 + 64*replayBlocks - 1, true},
			{11, false}, // far behind now
			{10 + 64*replayBlocks - ReplayWindow + 1, true},
		}},
		{"jump of exactly one ring", []step{
			{64, true},
			{64 + 64*replayBlocks, true},
			{64 + 64*replayBlocks + 1, true},
			{64 + 64*replayBlocks - 1, true},
		}},
		{"top of the range", []step{
			{^uint32(0) - 1, true}, {^uint32(0), true}, {^uint32(0), false},
			{^uint32(0) - 2, true}, {0, false}, {1, false},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var r Replay
			for i, s := range tt.steps {
				if got := r.Accept(s.seq); got != s.want {
					t.Errorf("step %d: Accept(%d) = %v, want %v", i, s.seq, got, s.want)
				}
			}
		})
	}
}

// TestReplayModel checks the filter against a map on a long reordered,
// duplicated stream.
func TestReplayModel(t *testing.T) {
	var r Replay
	seen := map[uint32]bool{}
	var newest uint32
	x := uint32(1)
	for i := range uint32(200000) {
		x = x*1664525 + 1013904223
		// Mostly forward, sometimes back up to a little over the window,
		// sometimes a repeat, now and then a jump.
		seq := i + x%64
		switch {
		case x>>28 == 0:
			seq -= min(seq, x>>16%(ReplayWindow+200))
		case x>>28 == 1:
			seq += 10000
		}
		want := !seen[seq] && (seq > newest || newest-seq < ReplayWindow)
		if got := r.Accept(seq); got != want {
			t.Fatalf("packet %d: Accept(%d) = %v, want %v (newest %d)", i, seq, got, want, newest)
		}
		if want {
			seen[seq] = true
			newest = max(newest, seq)
		}
	}
}
