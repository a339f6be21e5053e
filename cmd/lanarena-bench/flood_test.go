package main

import (
	"os"
	"path/filepath"
	"testing"
	"time"
)

// TestFloodStatsReading: the flood bench's tick rate and legitimate view
// come from --stats lines written since the window started.
func TestFloodStatsReading(t *testing.T) {
	start := time.UnixMilli(1_000_000)
	lines := `{"t": 990000, "tick": 1, "peers": [{"name": "victim", "loss": 1, "rtt_ms": 100}]}
{"t": 1000000, "tick": 100, "peers": [{"name": "victim", "loss": 0, "rtt_ms": 1}]}
{"t": 1001000, "tick": 115, "peers": [{"name": "victim", "loss": 0.5, "rtt_ms": 3}, {"name": "other", "rtt_ms": 50}]}
not json
{"t": 1002000, "tick": 130, "peers": [{"name": "victim", "loss": 0.1, "rtt_ms": 2}]}
`
	path := filepath.Join(t.TempDir(), "s.jsonl")
	if err := os.WriteFile(path, []byte(lines), 0o644); err != nil {
		t.Fatal(err)
	}
	if got := tickRate(path, start); got != 15 {
		t.Errorf("tickRate = %v, want 15 (30 ticks in 2 s, the line before the window ignored)", got)
	}
	loss, rtt := legitView(path, "victim", start)
	if want := 0.6 / 3; loss < want-1e-9 || loss > want+1e-9 || rtt != 2 {
		t.Errorf("legitView = %v, %v; want %v and a median of 2", loss, rtt, want)
	}
	if loss, rtt := legitView(path, "nobody", start); loss != 1 || rtt != -1 {
		t.Errorf("legitView of a peer never seen = %v, %v; want 1, -1", loss, rtt)
	}
}
