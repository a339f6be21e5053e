package demo

// The figures of the lab in README.md ("For teachers"):
//
//	go test -run '^$' -bench Lab -benchtime 1x ./net/demo
//	go run ./cmd/lanarena-bench --lab
//
// Each benchmark op is one seeded run in real time; the figures are its
// metrics.

import (
	"context"
	"fmt"
	"testing"
	"time"

	"lanarena/net/transport"
)

// BenchmarkLabChat: how long a chat line takes through a lossy link.
func BenchmarkLabChat(b *testing.B) {
	for _, loss := range LabLosses {
		b.Run(fmt.Sprintf("loss=%.0f%%", loss*100), func(b *testing.B) {
			for b.Loop() {
				f, err := LabChat(context.Background(), loss, 20, 11)
				if err != nil {
					b.Fatal(err)
				}
				b.ReportMetric(float64(f.P50.Milliseconds()), "p50-ms")
				b.ReportMetric(float64(f.Mean.Milliseconds()), "mean-ms")
				b.ReportMetric(float64(f.Max.Milliseconds()), "max-ms")
			}
		})
	}
}

// BenchmarkLabWire: what a wire view marks of three seconds of a peer's
// packets behind a link, beside what the link did.
func BenchmarkLabWire(b *testing.B) {
	for _, link := range LabLinks {
		b.Run(labName(link), func(b *testing.B) {
			for b.Loop() {
				f, err := LabWire(context.Background(), link, 3*time.Second)
				if err != nil {
					b.Fatal(err)
				}
				b.ReportMetric(float64(f.Packets), "packets")
				b.ReportMetric(float64(f.MarkedLost), "marked-lost")
				b.ReportMetric(float64(f.LinkLost), "link-lost")
				b.ReportMetric(float64(f.Late), "marked-late")
			}
		})
	}
}

func labName(c transport.ImpairConfig) string {
	if s := c.String(); s != "" {
		return s
	}
	return "clean"
}
