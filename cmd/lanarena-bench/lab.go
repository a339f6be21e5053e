package main

import (
	"context"
	"fmt"
	"io"
	"time"

	"lanarena/net/demo"
)

// runLab measures the figures of the lab in README.md ("For teachers")
// that are not the --models table: chat through a lossy link, and what
// the wire view marks of a peer's packets behind a link.
func runLab(ctx context.Context, o *options, stdout, stderr io.Writer) error {
	fmt.Fprintln(stdout, "chat: 20 lines from a clean peer to one whose link loses PCT of its packets each way")
	fmt.Fprintf(stdout, "%8s %8s %8s %8s %10s\n", "loss", "p50 ms", "mean ms", "max ms", "first try")
	for _, loss := range demo.LabLosses {
		fmt.Fprintf(stderr, "lanarena-bench: chat at %.0f%% loss…\n", loss*100)
		f, err := demo.LabChat(ctx, loss, 20, o.seed+11)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "%7.0f%% %8d %8d %8d %9.0f%%\n", loss*100, f.P50.Milliseconds(), f.Mean.Milliseconds(), f.Max.Milliseconds(), f.FirstTryPercent)
	}
	fmt.Fprintln(stdout, "\nwire view: 10 s of one peer's packets behind a link (then 1 s clean), as the other peer's wire view marks them")
	fmt.Fprintf(stdout, "%-14s %8s %12s %10s %15s %13s %12s\n", "link", "packets", "marked lost", "link lost", "marked reorder", "link reorder", "marked late")
	for _, link := range demo.LabLinks {
		name := link.String()
		if name == "" {
			name = "clean"
		}
		fmt.Fprintf(stderr, "lanarena-bench: wire view, %s…\n", name)
		f, err := demo.LabWire(ctx, link, 10*time.Second)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "%-14s %8d %12d %10d %15d %13d %12d\n", name, f.Packets, f.MarkedLost, f.LinkLost, f.MarkedReordered, f.LinkReordered, f.Late)
	}
	return nil
}
