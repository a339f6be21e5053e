package main

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"
)

// TestMeasureTwoPeers keeps the harness honest: two real peers over
// loopback for about two seconds must meet and give sane figures.
func TestMeasureTwoPeers(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	r, err := measure(ctx, runConfig{Peers: 2, Duration: 2 * time.Second, MeetTimeout: 10 * time.Second})
	if err != nil {
		t.Fatalf("measure: %v (%+v)", err, r)
	}
	t.Logf("%+v", r)
	if !r.Met {
		t.Fatal("the two peers did not meet")
	}
	if r.LatencyN == 0 {
		t.Fatal("no latency sample")
	}
	// Sending on change, each peer applies at least the other's
	// keepalives, about 4 states/s, and a bot's turns besides.
	if least := uint64(2 * 4 * 2 / 2); r.LatencyN < least {
		t.Errorf("%d latency samples in %.1f s, want at least %d", r.LatencyN, r.DurationS, least)
	}
	if r.LatencyP50 <= 0 || r.LatencyP50 >= 50 {
		t.Errorf("latency p50 %.3f ms, want in (0, 50)", r.LatencyP50)
	}
	if r.LatencyP99 < r.LatencyP50 {
		t.Errorf("latency p99 %.3f ms < p50 %.3f ms", r.LatencyP99, r.LatencyP50)
	}
	if r.BytesPerPair <= 0 || r.PacketsPerPair <= 0 {
		t.Errorf("traffic per pair %.0f B/s, %.1f packets/s, want > 0", r.BytesPerPair, r.PacketsPerPair)
	}
	// A state packet is some 50 bytes of payload + 28 of headers, sent
	// on change: at least the 4 keepalives a second, at most one a tick.
	if r.BytesPerPair < 4*(28+30) || r.BytesPerPair > 15*(28+100) {
		t.Errorf("%.0f B/s per pair: not a few states a second", r.BytesPerPair)
	}
	if r.DivergentFraction < 0 || r.DivergentFraction > 1 {
		t.Errorf("divergent fraction %v, want in [0, 1]", r.DivergentFraction)
	}
	if r.LagSamples == 0 || r.LagMean < 0 {
		t.Errorf("view lag: %d samples, mean %v", r.LagSamples, r.LagMean)
	}
	if r.CPUPerPeer <= 0 || r.RSSTotal <= 0 {
		t.Errorf("CPU %.2f%% per peer, RSS %.1f MB: want > 0", r.CPUPerPeer, r.RSSTotal)
	}
}

func TestHist(t *testing.T) {
	var h hist
	for i := 1; i <= 1000; i++ {
		h.add(time.Duration(i) * time.Millisecond)
	}
	for _, tc := range []struct{ q, want float64 }{{.5, 500}, {.95, 950}, {.99, 990}, {1, 1000}} {
		if got := h.quantile(tc.q); got < tc.want*0.98 || got > tc.want*1.02 {
			t.Errorf("quantile(%v) = %.1f ms, want %.0f ± 2%%", tc.q, got, tc.want)
		}
	}
	for i := range histBuckets - 1 {
		if histLow(i+1) <= histLow(i) || histIndex(histLow(i)) != i {
			t.Fatalf("bucket %d: low %d, next low %d, index of low %d", i, histLow(i), histLow(i+1), histIndex(histLow(i)))
		}
	}
}

// TestRunJSON runs the command as CI does, briefly, and checks the JSON
// carries the documented fields.
func TestRunJSON(t *testing.T) {
	if testing.Short() {
		t.Skip("runs peers for two seconds")
	}
	var out, errb bytes.Buffer
	if err := run([]string{"--peers", "2", "--duration", "1s", "--json"}, &out, &errb); err != nil {
		t.Fatalf("run: %v\n%s", err, errb.String())
	}
	var m map[string]any
	if err := json.Unmarshal(out.Bytes(), &m); err != nil {
		t.Fatalf("output %q: %v", out.String(), err)
	}
	for _, k := range []string{"peers", "latency_p50_ms", "latency_p95_ms", "latency_p99_ms", "bytes_per_pair_per_s",
		"packets_per_peer_per_s", "divergent_tick_fraction", "cpu_pct_per_peer", "rss_mb"} {
		if _, ok := m[k]; !ok {
			t.Errorf("JSON lacks %q: %s", k, strings.TrimSpace(out.String()))
		}
	}
}
