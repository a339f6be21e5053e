package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"lanarena/game"
)

// runSweep runs each N of --peers in turn, fresh peers each time, and
// stops early when a run shows the limit has been reached.
func runSweep(ctx context.Context, o *options, stdout, stderr io.Writer) error {
	var results []runResult
	for i, n := range o.peers {
		cfg := runConfig{
			Peers:       n,
			Duration:    o.duration,
			MeetTimeout: o.meetTimeout,
			Impair:      o.impair,
			Seed:        o.seed,
			Overfill:    o.overfill,
		}
		fmt.Fprintf(stderr, "lanarena-bench: %d peers%s: meeting, then measuring for %s…\n", n, spectatorNote(cfg), o.duration)
		res, err := measure(ctx, cfg)
		switch {
		case errors.Is(err, errNotMet):
			res.Stop = fmt.Sprintf("the %d peers did not all meet within %s", n, o.meetTimeout)
		case err != nil:
			return fmt.Errorf("%d peers: %w", n, err)
		case res.LatencyP99 > float64(latencyLimit(o).Microseconds())/1000:
			res.Stop = fmt.Sprintf("latency p99 %.1f ms > %s", res.LatencyP99, latencyLimit(o))
		}
		if res.Stop != "" && i < len(o.peers)-1 {
			res.Stop += fmt.Sprintf(": larger N (%v) not run", o.peers[i+1:])
		}
		results = append(results, res)
		if o.json {
			if err := json.NewEncoder(stdout).Encode(res); err != nil {
				return err
			}
		}
		if res.Stop != "" {
			break
		}
	}
	if !o.json {
		printSweep(stdout, results, o)
	}
	if len(results) > 0 && !results[0].Met {
		return fmt.Errorf("even %d peers did not meet", results[0].Peers)
	}
	return nil
}

// latencyLimit is --max-p99 plus what the impairment adds on purpose: its
// delay and jitter on both peers of a pair, and the reorder hold.
func latencyLimit(o *options) time.Duration {
	d := o.maxP99 + 2*(o.impair.Delay+o.impair.Jitter)
	if o.impair.Reorder > 0 {
		d += 2 * reorderHold
	}
	return d
}

// reorderHold is how long transport.Impaired holds a packet back for
// reordering, at most.
const reorderHold = 200 * time.Millisecond

// tickPeriod is the game's tick.
var tickPeriod = time.Second / time.Duration(game.DefaultParams().TickRate)

func spectatorNote(cfg runConfig) string {
	if cfg.Overfill || cfg.Peers <= game.MaxPlayers {
		return ""
	}
	return fmt.Sprintf(" (%d players + %d spectators: a room holds %d players)", game.MaxPlayers, cfg.Peers-game.MaxPlayers, game.MaxPlayers)
}

func printSweep(w io.Writer, rs []runResult, o *options) {
	if imp := o.impair.String(); imp != "" {
		fmt.Fprintf(w, "impairment on every peer: %s\n", imp)
	}
	fmt.Fprintf(w, "replication over real UDP on 127.0.0.1, %s window per N; latency = owner's step → remote's apply;\nbytes include %d B of IPv4+UDP header per packet; pair = one direction A→B; lag in cells at random instants\n\n", o.duration, udpIPv4Header)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "peers\tplayers\tmet s\tlat p50 ms\tp95\tp99\tmax\tB/s/peer\tpkt/s/peer\tB/s/pair\tpkt/s/pair\tdiv frac\tlag mean\tlag max\tlag>1\ttrails ok\tCPU%/peer\tRSS MB/peer\tRSS MB\t")
	for _, r := range rs {
		if !r.Met {
			fmt.Fprintf(tw, "%d\t%d\t>%.0f\t—\t—\t—\t—\t—\t—\t—\t—\t—\t—\t—\t—\t—\t—\t—\t—\t\n", r.Peers, r.Players, r.MetInS)
			continue
		}
		fmt.Fprintf(tw, "%d\t%d\t%.1f\t%.3f\t%.3f\t%.3f\t%.2f\t%.0f\t%.0f\t%.0f\t%.1f\t%.4f\t%.3f\t%d\t%.4f\t%d/%d\t%.2f\t%.2f\t%.1f\t\n",
			r.Peers, r.Players, r.MetInS, r.LatencyP50, r.LatencyP95, r.LatencyP99, r.LatencyMax,
			r.BytesPerPeer, r.PacketsPerPeer, r.BytesPerPair, r.PacketsPerPair,
			r.DivergentFraction, r.LagMean, r.LagMax, r.LagOver1,
			r.TrailChecks-r.TrailBad, r.TrailChecks,
			r.CPUPerPeer, r.RSSPerPeer, r.RSSTotal)
	}
	tw.Flush()

	fmt.Fprintln(w, "\nlatency from the owner's scheduled tick (timer lateness included), and the split, p99 ms: tick→step | step→receiver socket | socket→applied")
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "peers\ttick→applied p50\tp99\ttick→step\tstep→socket\tsocket→applied\tsamples\tunmatched\tlag samples\tgoroutines\tstate loss\tlost in a row\tcanary late p99/max ms\tother CPU %\tdrops\t")
	for _, r := range rs {
		if !r.Met {
			continue
		}
		fmt.Fprintf(tw, "%d\t%.3f\t%.3f\t%.3f\t%.3f\t%.3f\t%d\t%d\t%d\t%d\t%.4f\t%d\t%.2f/%.1f\t%.0f\t%s\t\n", r.Peers, r.FromTickP50, r.FromTickP99, r.StepP99, r.WireP99, r.QueueP99,
			r.LatencyN, r.Unmatched, r.LagSamples, r.Goroutines, r.StateLoss, r.MaxLossRun, r.CanaryP99, r.CanaryMax, r.OtherCPU, dropsString(r.Drops))
	}
	tw.Flush()

	printGrowth(w, rs)
	printSweepTargets(w, rs, o)
	for _, r := range rs {
		if r.Stop != "" {
			fmt.Fprintf(w, "\nstopped at %d peers: %s\n", r.Peers, r.Stop)
		}
	}
	for _, r := range rs {
		if r.Spectators > 0 {
			fmt.Fprintf(w, "\nat %d peers: a room holds at most %d players (game.MaxPlayers), so %d peers joined as spectators (they receive every state and send none)\n",
				r.Peers, game.MaxPlayers, r.Spectators)
		}
	}
}

func dropsString(d map[string]uint64) string {
	if len(d) == 0 {
		return "-"
	}
	var parts []string
	for k, v := range d {
		parts = append(parts, fmt.Sprintf("%s:%d", k, v))
	}
	slices.Sort(parts)
	return strings.Join(parts, ",")
}

// printGrowth shows how each figure grows with N: the exponent k of
// figure ∝ N^k between consecutive runs (0: flat, 1: linear).
func printGrowth(w io.Writer, rs []runResult) {
	var met []runResult
	for _, r := range rs {
		if r.Met {
			met = append(met, r)
		}
	}
	if len(met) < 2 {
		return
	}
	fmt.Fprintln(w, "\ngrowth: exponent k of figure ∝ N^k between consecutive N (0 flat, 1 linear, 2 quadratic)")
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "N→N'\tlat p50\tlat p99\tB/s/peer\tB/s/pair\tCPU/peer\tCPU total\tRSS/peer\t")
	for i := 1; i < len(met); i++ {
		a, b := met[i-1], met[i]
		x := math.Log(float64(b.Peers) / float64(a.Peers))
		k := func(fa, fb float64) string {
			if fa <= 0 || fb <= 0 || x == 0 {
				return "—"
			}
			return fmt.Sprintf("%+.2f", math.Log(fb/fa)/x)
		}
		fmt.Fprintf(tw, "%d→%d\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t\n", a.Peers, b.Peers,
			k(a.LatencyP50, b.LatencyP50), k(a.LatencyP99, b.LatencyP99),
			k(a.BytesPerPeer, b.BytesPerPeer), k(a.BytesPerPair, b.BytesPerPair),
			k(a.CPUPerPeer, b.CPUPerPeer), k(a.CPUTotal, b.CPUTotal), k(a.RSSPerPeer, b.RSSPerPeer))
	}
	tw.Flush()
}

// printSweepTargets compares the figures with the project's targets.
func printSweepTargets(w io.Writer, rs []runResult, o *options) {
	byN := map[int]runResult{}
	for _, r := range rs {
		if r.Met {
			byN[r.Peers] = r
		}
	}
	fmt.Fprintln(w, "\ntargets:")
	check := func(name string, ok bool, got string) {
		mark := "MISSED"
		if ok {
			mark = "met"
		}
		fmt.Fprintf(w, "  %-6s %-44s %s\n", mark, name, got)
	}
	impaired := o.impair.Enabled()
	if r, ok := byN[8]; ok && !impaired {
		check("latency p99 ≤ 2 ms at 8 peers", r.LatencyP99 <= 2, fmt.Sprintf("%.3f ms", r.LatencyP99))
	}
	if r, ok := byN[32]; ok {
		if !impaired {
			check("latency p99 ≤ 5 ms at 32 peers", r.LatencyP99 <= 5, fmt.Sprintf("%.3f ms", r.LatencyP99))
		}
		check("CPU per peer ≤ 3% of a core at 32 peers", r.CPUPerPeer <= 3, fmt.Sprintf("%.2f%%", r.CPUPerPeer))
	}
	if impaired {
		fmt.Fprintln(w, "  (latency targets are for an unimpaired network)")
	}
	if len(byN) > 0 {
		checkReplicaTargets(check, byN, o)
	}
}

// checkFunc prints one target's line: met or missed, and the figure.
type checkFunc func(name string, ok bool, got string)

// checkReplicaTargets checks the targets every size of run shares: the
// traffic of a pair and the replicas' agreement with their owners.
func checkReplicaTargets(check checkFunc, byN map[int]runResult, o *options) {
	worst := 0.0
	for _, r := range byN {
		worst = max(worst, r.BytesPerPair)
	}
	check("bytes per pair ≤ 1.5 KB/s incl. headers", worst <= 1500, fmt.Sprintf("worst mean %.0f B/s (one direction)", worst))
	divMax, frac := 0, 0.0
	for _, r := range byN {
		divMax, frac = max(divMax, r.DivergentMax), max(frac, r.DivergentFraction)
	}
	check("same-tick divergence 0 cells", divMax == 0, fmt.Sprintf("fraction %.4f, max %d cells", frac, divMax))
	if !o.impair.Enabled() {
		lagMax, over := 0, 0.0
		for _, r := range byN {
			lagMax, over = max(lagMax, r.LagMax), max(over, r.LagOver1)
		}
		// Send on change (PROTOCOL.md 7.5): between changes a replica is
		// up to a keepalive old; what a screen draws is predicted, and
		// --procs measures that.
		check("replica lag ≤ a keepalive + 1 cell on a healthy network", lagMax <= keepaliveCells+1, fmt.Sprintf("max %d cells, %.4f of samples > 1 (drawn heads: --procs)", lagMax, over))
	} else {
		checkImpairedLag(check, byN, o)
	}
	bad := 0
	for _, r := range byN {
		bad += r.TrailBad
	}
	check("every replica's trail is the owner's (end of run)", bad == 0, fmt.Sprintf("%d mismatches", bad))
}

// keepaliveCells is how far a straight-running cycle rides between two
// keepalives (250 ms, PROTOCOL.md 7.5), rounded up: how old a replica's
// head may be on a healthy network.
var keepaliveCells = int((250*time.Millisecond + tickPeriod - 1) / tickPeriod)

// checkImpairedLag checks the view lag against what the impairment
// explains: a run of k lost states leaves the view k cells behind, plus
// the cell in flight and the delay the impairment adds.
func checkImpairedLag(check checkFunc, byN map[int]runResult, o *options) {
	slack := 1 + keepaliveCells + int((2*(o.impair.Delay+o.impair.Jitter)+tickPeriod-1)/tickPeriod)
	if o.impair.Reorder > 0 {
		slack += int((2*reorderHold + tickPeriod - 1) / tickPeriod)
	}
	ok, got := true, ""
	for _, r := range byN {
		ok = ok && r.LagMax <= r.MaxLossRun+slack
		got += fmt.Sprintf("N=%d: lag max %d, lost in a row %d, slack %d; ", r.Peers, r.LagMax, r.MaxLossRun, slack)
	}
	check("replica lag ≤ lost states in a row + a keepalive + delay + 1", ok, strings.TrimSuffix(got, "; "))
}
