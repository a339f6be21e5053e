package main

import (
	"context"
	"io"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestProcsImpairArgs(t *testing.T) {
	c := procCase{Delay: 100 * time.Millisecond, Loss: 0.05}
	got := c.impairArgs()
	// Each process impairs both ways: half the delay, and a loss whose
	// two passes leave 95 %.
	if len(got) != 4 || got[0] != "--delay" || got[1] != "50ms" || got[2] != "--loss" || got[3] != "2.532" {
		t.Errorf("%q", got)
	}
	if a := (procCase{}).impairArgs(); len(a) != 0 {
		t.Errorf("clean: %q", a)
	}
}

func TestParseSuites(t *testing.T) {
	if s, err := parseSuites("view,cpu"); err != nil || len(s) != 2 {
		t.Errorf("%v %v", s, err)
	}
	if _, err := parseSuites("view,nope"); err == nil {
		t.Error("nope: no error")
	}
}

// TestProcsEndToEnd runs three real lanarena processes on loopback (mDNS
// off, --join 127.0.0.1) for a few seconds and checks that the report's
// figures are sane. Loose bounds: the machine may be busy.
func TestProcsEndToEnd(t *testing.T) {
	if testing.Short() {
		t.Skip("builds lanarena and runs 3 processes for about 10 s: skipped in -short")
	}
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("no go command to build lanarena with")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	t.Cleanup(cancel)
	dir := t.TempDir()
	bin, err := lanarenaBinary(ctx, "", dir, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	// runProcCase stops every process it started before it returns,
	// whatever fails.
	res, err := runProcCase(ctx, procRun{bin: bin, dir: filepath.Join(dir, "run"),
		c: procCase{Name: "e2e", Procs: 3, Trace: true, CPU: true}, window: 4 * time.Second,
		meet: 20 * time.Second, seed: 7, stderr: io.Discard})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%+v", res)
	// 3 processes × 2 others × 15 ticks/s × 4 s, less ready phases and deaths.
	if res.ViewOff.N < 30 || res.ViewOn.N != res.ViewOff.N {
		t.Errorf("view error samples: off %d, on %d", res.ViewOff.N, res.ViewOn.N)
	}
	if res.ViewOff.P50 < 0 || res.ViewOff.P50 > 2 {
		t.Errorf("view error p50 %d cells on a clean loopback", res.ViewOff.P50)
	}
	if res.RepN < 30 || res.RepP50 <= 0 || res.RepP50 > 100 {
		t.Errorf("replication latency: %d samples, p50 %v ms", res.RepN, res.RepP50)
	}
	if res.PairPkts < 1 || res.PairPkts > 60 || res.PairBytes < 28*res.PairPkts || res.PairBytes > 5000 {
		t.Errorf("per pair: %v packets/s, %v B/s", res.PairPkts, res.PairBytes)
	}
	if res.LANPkts < 6*res.PairPkts*0.9 || res.LANPkts > 6*res.PairPkts*1.1 {
		t.Errorf("LAN %v packets/s, want 6 pairs × %v", res.LANPkts, res.PairPkts)
	}
	if res.TurnsPerSec <= 0.3 {
		t.Errorf("bots turn %v times a second: straight runners?", res.TurnsPerSec)
	}
	if len(res.CPU) != 3 {
		t.Fatalf("CPU of %d processes, want 3", len(res.CPU))
	}
	for i, c := range res.CPU {
		if c <= 0 || c > 100 {
			t.Errorf("process %d: %v %% CPU", i, c)
		}
	}
}

func TestProfileSummary(t *testing.T) {
	report := `# Samples: 239
    41.84%     0.42%  [k] __schedule
    37.66%     0.00%  [.] runtime.schedule
    24.69%     0.00%  [.] lanarena/net.(*Peer).drive
    14.23%     0.00%  [.] lanarena/net.(*core).tick
`
	got := profileSummary(report)
	for _, want := range []string{"24.69%  the peer loop", "37.66%  Go scheduler", "0%  garbage collection"} {
		if !strings.Contains(got, want) {
			t.Errorf("no %q in\n%s", want, got)
		}
	}
}
