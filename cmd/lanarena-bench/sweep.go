package main

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"math/rand/v2"
	"net/netip"
	"os"
	"runtime"
	"runtime/debug"
	"slices"
	"sync"
	"time"

	"lanarena/game"
	gamenet "lanarena/net"
	"lanarena/net/transport"
)

// udpIPv4Header is what each datagram costs on the wire beyond its
// payload: a 20-byte IPv4 header and an 8-byte UDP header.
const udpIPv4Header = 28

// runConfig is one run of N peers.
type runConfig struct {
	Peers       int
	Duration    time.Duration
	MeetTimeout time.Duration
	Impair      transport.ImpairConfig
	Seed        uint64 // spawns and bots; 0: random
	// Overfill makes every peer a player even past game.MaxPlayers; by
	// default the peers past it join as spectators.
	Overfill bool
}

// runResult is what one run measured. The JSON names are the harness's
// output format (one object per N with --json).
type runResult struct {
	Peers      int     `json:"peers"`
	Players    int     `json:"players"`
	Spectators int     `json:"spectators"`
	Impairment string  `json:"impairment,omitempty"`
	Met        bool    `json:"met"`
	MetInS     float64 `json:"met_in_s"`
	DurationS  float64 `json:"duration_s"`

	LatencyP50 float64 `json:"latency_p50_ms"`
	LatencyP95 float64 `json:"latency_p95_ms"`
	LatencyP99 float64 `json:"latency_p99_ms"`
	LatencyMax float64 `json:"latency_max_ms"`
	LatencyN   uint64  `json:"latency_samples"`
	// Latency runs from the owner's step (its Stepped call) to the apply
	// on the receiver. Before the step comes the timer's lateness: from
	// the tick's scheduled time to the step. FromTick* include it.
	FromTickP50 float64 `json:"from_tick_p50_ms"`
	FromTickP99 float64 `json:"from_tick_p99_ms"`
	// The latency split: the tick's lateness, the step to the receiver's
	// socket (broadcast, kernel, reader goroutine, impairment), the socket
	// to the apply (receiver's loop queue, decode, merge).
	StepP99  float64 `json:"step_p99_ms"`
	WireP99  float64 `json:"wire_p99_ms"`
	QueueP99 float64 `json:"queue_p99_ms"`

	BytesPerPeer   float64 `json:"bytes_per_peer_per_s"`
	PacketsPerPeer float64 `json:"packets_per_peer_per_s"`
	BytesPerPair   float64 `json:"bytes_per_pair_per_s"`
	PacketsPerPair float64 `json:"packets_per_pair_per_s"`
	BytesPairMax   float64 `json:"bytes_per_pair_max_per_s"`
	// Pairs from a spectator carry no state: pings, pongs and hellos.
	BytesSpectatorPair float64 `json:"bytes_per_spectator_pair_per_s,omitempty"`
	PayloadPerPair     float64 `json:"payload_bytes_per_pair_per_s"`
	PairsMeasured      int     `json:"pairs"`

	DivergentFraction float64 `json:"divergent_tick_fraction"`
	DivergentMax      int     `json:"divergent_max_cells"`
	Matched           uint64  `json:"matched_ticks"`
	Unmatched         uint64  `json:"unmatched_ticks"`

	// States of owners' ticks a receiver never applied (lost or stale),
	// as a fraction of the owner ticks it should have, and the longest run.
	StateLoss   float64   `json:"state_loss_fraction"`
	MaxLossRun  int       `json:"max_lost_in_a_row"`
	LagMean     float64   `json:"view_lag_mean_cells"`
	LagMax      int       `json:"view_lag_max_cells"`
	LagOver1    float64   `json:"view_lag_over_1_fraction"`
	LagSamples  uint64    `json:"view_lag_samples"`
	LagCells    []float64 `json:"view_lag_distribution"` // fraction at 0,1,..,6, ≥7 cells
	TrailChecks int       `json:"trail_checks"`
	TrailBad    int       `json:"trail_mismatches"`

	// CPU of the peers (process CPU less the sampler's thread), % of one
	// core; the sampler's own CPU is HarnessCPU.
	CPUPerPeer  float64 `json:"cpu_pct_per_peer"`
	CPUTotal    float64 `json:"cpu_pct_total"`
	HarnessCPU  float64 `json:"harness_cpu_pct"`
	RSSPerPeer  float64 `json:"rss_mb"` // peak RSS / N
	RSSTotal    float64 `json:"rss_total_mb"`
	RSSBaseline float64 `json:"rss_baseline_mb"` // before the peers started
	Goroutines  int     `json:"goroutines"`
	// The machine, for judging the figures: CPU used by every other
	// process during the window (% of one core), and the lateness of a
	// bare 15/s ticker in this process (timer resolution and stalls).
	OtherCPU  float64 `json:"other_cpu_pct"`
	CanaryP99 float64 `json:"canary_late_p99_ms"`
	CanaryMax float64 `json:"canary_late_max_ms"`

	Drops map[string]uint64 `json:"drops,omitempty"`
	Note  string            `json:"note,omitempty"`
	Stop  string            `json:"stop,omitempty"` // why the sweep stops after this N
}

// rateEvery is how often the harness reads the packet rates.
const rateEvery = 3 * time.Second

// warmUp separates meeting from measuring.
const warmUp = 1500 * time.Millisecond

// errNotMet says the peers of a run did not all meet in time.
var errNotMet = errors.New("peers did not all meet")

// measure starts cfg.Peers peers over real UDP on 127.0.0.1, waits until
// everyone knows everyone, measures for cfg.Duration and closes them all.
// It returns errNotMet (with the partial result) when they do not meet.
func measure(ctx context.Context, cfg runConfig) (runResult, error) {
	n := cfg.Peers
	players := n
	if !cfg.Overfill {
		players = min(n, game.MaxPlayers)
	}
	res := runResult{Peers: n, Players: players, Spectators: n - players, Impairment: cfg.Impair.String()}
	if n < 2 {
		return res, fmt.Errorf("need at least 2 peers, got %d", n)
	}
	runtime.GC()
	debug.FreeOSMemory()
	resetPeakRSS()
	baseRSS, _, _ := memStatus(0)
	res.RSSBaseline = float64(baseRSS) / mb

	pr := newProbe(n)
	nodes, err := startPeers(ctx, cfg, players, pr)
	defer closeAll(nodes)
	if err != nil {
		return res, err
	}
	if err := meet(ctx, &res, nodes, players, cfg.MeetTimeout); err != nil {
		return res, err
	}
	w, err := recordWindow(ctx, &res, nodes, pr, players, cfg.Duration)
	if err != nil {
		return res, err
	}

	// Close before reading the shards: the loops write them until then.
	closeAll(nodes)
	nodes = nil

	w.fillUsage(&res, n)
	fillProbe(&res, pr)
	fillLag(&res, &w.lag)
	traffic(&res, w.before, w.after, w.pps, w.bytesTo.Sub(w.bytesFrom), players)
	return res, nil
}

// meet waits for the peers to meet, then for the join to settle. It
// returns errNotMet when they do not meet within timeout.
func meet(ctx context.Context, res *runResult, nodes []*gamenet.Node, players int, timeout time.Duration) error {
	start := time.Now()
	met, err := waitMet(ctx, nodes, players, timeout)
	res.MetInS = time.Since(start).Seconds()
	if err != nil {
		return err
	}
	if !met {
		res.Note = fmt.Sprintf("not everyone met within %s", timeout)
		return errNotMet
	}
	res.Met = true
	// Warm up: the join's bursts pass, and the loops' 1 s rate windows
	// cover only steady traffic before the first sample.
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-time.After(warmUp):
	}
	return nil
}

// window holds the raw readings of a measurement window until the peers
// are closed: only then can the probe's shards be read, and the figures
// derived from these readings go into runResult with them.
type window struct {
	before, after      []peerTraffic
	bytesFrom, bytesTo time.Time
	pps                map[pairKey]float64
	harness            time.Duration
	cpu0, cpu1         time.Duration
	sys0, sys1         time.Duration
	t0, t1             time.Time
	hwm                uint64
	lag                lagStats
}

// recordWindow runs the measurement window on peers that have met: probe
// on, counters and CPU read at both ends. The figures that need the peers
// still running go straight into res.
func recordWindow(ctx context.Context, res *runResult, nodes []*gamenet.Node, pr *probe, players int, d time.Duration) (*window, error) {
	w := &window{}
	var err error
	w.before, w.bytesFrom, err = trafficAll(ctx, nodes)
	if err != nil {
		return nil, err
	}
	can := startCanary(game.DefaultParams().TickRate)
	w.cpu0, w.sys0, w.t0 = cpuTime(), systemBusy(), time.Now()
	pr.recording.Store(true)
	w.pps, w.harness, err = sampleWindow(ctx, nodes, pr, &w.lag, players, d)
	pr.recording.Store(false)
	w.cpu1, w.sys1, w.t1 = cpuTime(), systemBusy(), time.Now()
	late := can.halt()
	if err != nil {
		return nil, err
	}
	res.CanaryP99, res.CanaryMax = late.quantile(.99), late.maxMs()
	w.after, w.bytesTo, err = trafficAll(ctx, nodes)
	if err != nil {
		return nil, err
	}
	_, w.hwm, _ = memStatus(0)
	res.Goroutines = runtime.NumGoroutine()
	res.TrailChecks, res.TrailBad = checkTrails(ctx, nodes)
	res.Drops = sumDrops(w.after)
	return w, nil
}

// sumDrops adds up the peers' drop counts by reason; nil when there are
// none, so that the JSON leaves the field out.
func sumDrops(peers []peerTraffic) map[string]uint64 {
	drops := map[string]uint64{}
	for _, snap := range peers {
		for _, d := range snap.drops {
			drops[d.Reason] += d.Count
		}
	}
	if len(drops) == 0 {
		return nil
	}
	return drops
}

// fillUsage sets the window's length and the CPU and memory figures of n
// peers.
func (w *window) fillUsage(res *runResult, n int) {
	span := w.t1.Sub(w.t0)
	res.DurationS = span.Seconds()
	res.HarnessCPU = 100 * w.harness.Seconds() / span.Seconds()
	res.CPUTotal = 100*(w.cpu1-w.cpu0).Seconds()/span.Seconds() - res.HarnessCPU
	res.CPUPerPeer = res.CPUTotal / float64(n)
	res.OtherCPU = max(0, 100*((w.sys1-w.sys0)-(w.cpu1-w.cpu0)).Seconds()/span.Seconds())
	res.RSSTotal = float64(w.hwm) / mb
	res.RSSPerPeer = res.RSSTotal / float64(n)
}

// fillProbe merges the probe's shards into the latency, divergence and
// state-loss figures. The peers must be closed.
func fillProbe(res *runResult, pr *probe) {
	var total, fromTick, step, wire, queue hist
	var divergent, applied, lost uint64
	for i := range pr.shards {
		sh := &pr.shards[i]
		total.merge(&sh.total)
		fromTick.merge(&sh.fromTick)
		step.merge(&sh.step)
		wire.merge(&sh.wire)
		queue.merge(&sh.queue)
		res.Matched += sh.matched
		res.Unmatched += sh.unmatched
		res.DivergentMax = max(res.DivergentMax, sh.divMax)
		divergent += sh.divergent
		applied += sh.applied
		lost += sh.lost
		res.MaxLossRun = max(res.MaxLossRun, sh.maxRun)
	}
	if applied+lost > 0 {
		res.StateLoss = float64(lost) / float64(applied+lost)
	}
	if res.Matched > 0 {
		res.DivergentFraction = float64(divergent) / float64(res.Matched)
	}
	res.LatencyP50, res.LatencyP95, res.LatencyP99 = total.quantile(.50), total.quantile(.95), total.quantile(.99)
	res.LatencyMax, res.LatencyN = total.maxMs(), total.n
	res.FromTickP50, res.FromTickP99 = fromTick.quantile(.50), fromTick.quantile(.99)
	res.StepP99, res.WireP99, res.QueueP99 = step.quantile(.99), wire.quantile(.99), queue.quantile(.99)
}

// fillLag sets the view-lag figures from the window's samples.
func fillLag(res *runResult, lag *lagStats) {
	res.LagSamples = lag.samples
	if lag.samples > 0 {
		res.LagMean = float64(lag.sum) / float64(lag.samples)
		res.LagMax = lag.max
		res.LagOver1 = float64(lag.over1) / float64(lag.samples)
		for _, c := range lag.histCells {
			res.LagCells = append(res.LagCells, float64(c)/float64(lag.samples))
		}
	}
}

// startPeers starts the nodes: ids 1..n, the first players then the
// spectators, every one told the first one's address.
func startPeers(ctx context.Context, cfg runConfig, players int, pr *probe) ([]*gamenet.Node, error) {
	room := fmt.Sprintf("bench-%d-%d-%x", os.Getpid(), cfg.Peers, rand.Uint32()) // ≤ 24 characters
	var nodes []*gamenet.Node
	var first netip.AddrPort
	for i := range cfg.Peers {
		seed := uint64(0)
		if cfg.Seed != 0 {
			seed = cfg.Seed*1000 + uint64(i) + 1
		}
		imp := cfg.Impair
		imp.Seed = cfg.Impair.Seed*1000 + uint64(i)
		nc := gamenet.NodeConfig{
			Peer: gamenet.Config{
				Name:      fmt.Sprintf("b%02d", i+1),
				Color:     -1,
				Room:      room,
				Params:    game.DefaultParams(),
				Bot:       true,
				Spectator: i >= players,
				Seed:      seed,
				ID:        game.PlayerID(i + 1),
				Probe:     pr,
			},
			MDNS:   false,
			Impair: imp,
		}
		if i > 0 {
			nc.Joins = []netip.AddrPort{first}
		}
		node, err := gamenet.StartNode(ctx, nc)
		if err != nil {
			return nodes, fmt.Errorf("peer %d: %w", i+1, err)
		}
		nodes = append(nodes, node)
		if i == 0 {
			first = netip.AddrPortFrom(netip.AddrFrom4([4]byte{127, 0, 0, 1}), node.Addr().Port())
		}
	}
	return nodes, nil
}

// closeAll closes every node at once and waits. Node.Close is idempotent.
func closeAll(nodes []*gamenet.Node) {
	var wg sync.WaitGroup
	for _, n := range nodes {
		wg.Go(func() { n.Close() })
	}
	wg.Wait()
}

// waitMet polls every peer until each knows every other one and holds the
// cycles of all players (or the room's limit of them).
func waitMet(ctx context.Context, nodes []*gamenet.Node, players int, timeout time.Duration) (bool, error) {
	deadline := time.Now().Add(timeout)
	want := min(players, game.MaxPlayers)
	for {
		all := true
		for _, nd := range nodes {
			s, err := snapshot(ctx, nd)
			if err != nil {
				return false, err
			}
			if len(s.Peers) < len(nodes)-1 || s.Arena.Len() < want {
				all = false
				break
			}
		}
		if all {
			return true, nil
		}
		if time.Now().After(deadline) {
			return false, nil
		}
		select {
		case <-ctx.Done():
			return false, ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
	}
}

func snapshot(ctx context.Context, nd *gamenet.Node) (gamenet.Snapshot, error) {
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	s, err := nd.Peer.Snapshot(ctx)
	if err != nil {
		return s, fmt.Errorf("snapshot of %s: %w", nd.Peer.Config().Name, err)
	}
	return s, nil
}

// peerTraffic is what one peer says it sent to each member: total bytes
// (payload only) by receiver id.
type peerTraffic struct {
	bytesOut map[game.PlayerID]uint64
	drops    []gamenet.DropCount
}

// trafficAll reads every peer's byte counters, one after the other, and
// returns them with the middle of the time that took.
func trafficAll(ctx context.Context, nodes []*gamenet.Node) ([]peerTraffic, time.Time, error) {
	start := time.Now()
	out := make([]peerTraffic, len(nodes))
	for i, nd := range nodes {
		s, err := snapshot(ctx, nd)
		if err != nil {
			return nil, start, err
		}
		out[i] = peerTraffic{bytesOut: map[game.PlayerID]uint64{}, drops: s.Drops}
		for _, ps := range s.Peers {
			out[i].bytesOut[ps.ID] = ps.BytesOut
		}
	}
	return out, start.Add(time.Since(start) / 2), nil
}

// pairKey is a directed pair: packets from peer index from to peer id to.
type pairKey struct {
	from int
	to   game.PlayerID
}

// sampleWindow runs the measurement window: it samples the view lag about
// every 10 ms and, every rateEvery, every peer's packet rate per member
// (the loop reports packet rates over 1 s windows, not totals; they are
// steady, and each snapshot clones a whole arena, which would weigh on
// the figures if taken often). It
// returns the mean packet rate of each directed pair and the CPU time the
// sampling took (its goroutine is locked to a thread to measure it).
func sampleWindow(ctx context.Context, nodes []*gamenet.Node, pr *probe, lag *lagStats, players int, d time.Duration) (pps map[pairKey]float64, cpu time.Duration, err error) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	cpu0 := threadCPU()
	defer func() { cpu = threadCPU() - cpu0 }()
	end := time.Now().Add(d)
	nextRates := time.Now().Add(time.Second / 2)
	sum := map[pairKey]float64{}
	count := map[pairKey]int{}
	for time.Now().Before(end) {
		pr.sampleLag(lag, players)
		if time.Now().After(nextRates) {
			nextRates = nextRates.Add(rateEvery)
			for i, nd := range nodes {
				s, err := snapshot(ctx, nd)
				if err != nil {
					return nil, 0, err
				}
				for _, ps := range s.Peers {
					k := pairKey{i, ps.ID}
					sum[k] += ps.PacketsOutPerSec
					count[k]++
				}
			}
		}
		// A random pause, so that samples fall anywhere between ticks.
		select {
		case <-ctx.Done():
			return nil, 0, ctx.Err()
		case <-time.After(5*time.Millisecond + rand.N(10*time.Millisecond)):
		}
	}
	for k := range sum {
		sum[k] /= float64(count[k])
	}
	return sum, 0, nil
}

// traffic fills the byte and packet rates of res: payload bytes from the
// loops' exact totals, plus udpIPv4Header per packet from the sampled
// packet rates. Per-pair figures are of the pairs whose sender is a player
// (a replication stream); per-peer figures count every peer.
func traffic(res *runResult, before, after []peerTraffic, pps map[pairKey]float64, window time.Duration, players int) {
	s := window.Seconds()
	var pairs, specPairs int
	var bytesSum, pktsSum, payloadSum, peerBytes, peerPkts, specBytes float64
	for i := range after {
		for _, to := range slices.Sorted(maps.Keys(after[i].bytesOut)) {
			b1 := after[i].bytesOut[to]
			b0, ok := before[i].bytesOut[to]
			if !ok {
				continue
			}
			payload := float64(b1-b0) / s
			p := pps[pairKey{i, to}]
			wire := payload + udpIPv4Header*p
			peerBytes += wire
			peerPkts += p
			if i >= players {
				specPairs++
				specBytes += wire
				continue
			}
			pairs++
			payloadSum += payload
			bytesSum += wire
			pktsSum += p
			res.BytesPairMax = max(res.BytesPairMax, wire)
		}
	}
	res.PairsMeasured = pairs
	n := float64(len(after))
	res.BytesPerPeer = peerBytes / n
	res.PacketsPerPeer = peerPkts / n
	if specPairs > 0 {
		res.BytesSpectatorPair = specBytes / float64(specPairs)
	}
	if pairs > 0 {
		res.BytesPerPair = bytesSum / float64(pairs)
		res.PacketsPerPair = pktsSum / float64(pairs)
		res.PayloadPerPair = payloadSum / float64(pairs)
	}
}

// checkTrails compares, for every peer and every remote cycle it holds,
// the remote's copy with the owner's own cycle read just after: in the
// same life, the copy must be an earlier state of the same trail (the
// owner only appends vertices), complete from the spawn cell. It counts
// checks and mismatches.
func checkTrails(ctx context.Context, nodes []*gamenet.Node) (checks, bad int) {
	views := make([]gamenet.Snapshot, len(nodes))
	for i, nd := range nodes {
		s, err := snapshot(ctx, nd)
		if err != nil {
			return 0, 0
		}
		views[i] = s
	}
	owners := map[game.PlayerID]*game.Cycle{}
	for _, nd := range nodes {
		s, err := snapshot(ctx, nd)
		if err != nil {
			return 0, 0
		}
		if c := s.Arena.Cycle(s.Self); s.Self != 0 && c != nil {
			owners[s.Self] = c
		}
	}
	for _, v := range views {
		v.Arena.Cycles(func(c *game.Cycle) {
			own := owners[c.ID]
			if c.ID == v.Self || own == nil || own.Life != c.Life || !c.Alive || !own.Alive {
				return
			}
			checks++
			if !trailPrefix(c, own) {
				bad++
			}
		})
	}
	return checks, bad
}

// trailPrefix reports whether the copy's trail is the owner's trail as it
// was some ticks ago: same vertices up to the copy's last, and the copy's
// head on the owner's polyline after that vertex.
func trailPrefix(cp, own *game.Cycle) bool {
	if len(cp.Verts) == 0 || len(cp.Verts) > len(own.Verts) {
		return false
	}
	if !slices.Equal(cp.Verts, own.Verts[:len(cp.Verts)]) {
		return false
	}
	// The copy's head lies on the segment from its last vertex to the
	// owner's next vertex (or head).
	a := cp.Verts[len(cp.Verts)-1]
	b := own.Head
	if len(own.Verts) > len(cp.Verts) {
		b = own.Verts[len(cp.Verts)]
	}
	h := cp.Head
	onX := a.X == b.X && h.X == a.X && between(h.Y, a.Y, b.Y)
	onY := a.Y == b.Y && h.Y == a.Y && between(h.X, a.X, b.X)
	return onX || onY
}

func between(v, a, b int) bool { return min(a, b) <= v && v <= max(a, b) }
