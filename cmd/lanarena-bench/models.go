package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/netip"
	"os"
	"text/tabwriter"
	"time"

	"lanarena/game"
	gamenet "lanarena/net"
	"lanarena/net/transport"
)

// modelConfig is one cell of the --models table: a synchronisation model
// and the one-way delay applied (in and out) on the player's peer.
type modelConfig struct {
	Mode    gamenet.Mode
	Delay   time.Duration
	Presses int
	Seed    uint64
}

// modelResult is what a player feels in one model at one delay.
type modelResult struct {
	Model   string  `json:"model"`
	DelayMs float64 `json:"delay_ms"` // one way, applied in and out on the player's peer
	// Input to screen: from Peer.Turn to the first published snapshot in
	// which the player's own cycle heads the new way.
	InputP50 float64 `json:"input_to_screen_p50_ms"`
	InputP95 float64 `json:"input_to_screen_p95_ms"`
	InputMax float64 `json:"input_to_screen_max_ms"`
	Presses  int     `json:"presses"`
	Lost     int     `json:"presses_lost"` // died or timed out before the turn showed
	// How fast the player's own cycle moves on its own screen.
	CellsPerSec float64 `json:"cells_per_s"`
	AliveS      float64 `json:"alive_s"`
	RTTms       float64 `json:"rtt_ms"` // as the player's peer measured it
}

func runModels(ctx context.Context, o *options, stdout, stderr io.Writer) error {
	modes := []gamenet.Mode{gamenet.ModeP2P, gamenet.ModeServer}
	switch o.mode {
	case "p2p":
		modes = modes[:1]
	case "server":
		modes = modes[1:]
	}
	var results []modelResult
	for _, mode := range modes {
		for _, d := range o.delays {
			fmt.Fprintf(stderr, "lanarena-bench: model %s, one-way delay %s: %d presses…\n", mode, d, o.presses)
			r, err := measureModel(ctx, modelConfig{Mode: mode, Delay: d, Presses: o.presses, Seed: o.seed})
			if err != nil {
				return fmt.Errorf("model %s, delay %s: %w", mode, d, err)
			}
			results = append(results, r)
			if o.json {
				if err := json.NewEncoder(stdout).Encode(r); err != nil {
					return err
				}
			}
		}
	}
	if !o.json {
		printModels(stdout, results)
	}
	return nil
}

func printModels(w io.Writer, rs []modelResult) {
	fmt.Fprintln(w, "two peers on 127.0.0.1: the player's (turns pressed by the harness) and a bot's; the delay is applied on the player's peer, in and out")
	fmt.Fprintln(w, "input→screen: Peer.Turn → first published snapshot showing the own cycle on the new heading")
	fmt.Fprintln(w)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "model\tdelay\tinput→screen p50 ms\tp95\tmax\tcells/s\tpresses\tlost\tRTT ms\t")
	for _, r := range rs {
		fmt.Fprintf(tw, "%s\t%.0f ms\t%.1f\t%.1f\t%.1f\t%.1f\t%d\t%d\t%.1f\t\n",
			r.Model, r.DelayMs, r.InputP50, r.InputP95, r.InputMax, r.CellsPerSec, r.Presses, r.Lost, r.RTTms)
	}
	tw.Flush()
}

// measureModel starts the bot's peer (in server mode, the host) and then
// the player's, joined to it, and presses turns.
func measureModel(ctx context.Context, cfg modelConfig) (modelResult, error) {
	res := modelResult{Model: cfg.Mode.String(), DelayMs: float64(cfg.Delay.Microseconds()) / 1000}
	room := fmt.Sprintf("models-%d-%d", os.Getpid(), rand.Uint32())
	seed := func(i uint64) uint64 {
		if cfg.Seed == 0 {
			return 0
		}
		return cfg.Seed*10 + i
	}
	bot, err := gamenet.StartNode(ctx, gamenet.NodeConfig{
		Peer: gamenet.Config{Name: "bot", Color: -1, Room: room, Params: game.DefaultParams(),
			Mode: cfg.Mode, Host: cfg.Mode == gamenet.ModeServer, Bot: true, Seed: seed(1)},
	})
	if err != nil {
		return res, err
	}
	defer bot.Close()
	player, err := gamenet.StartNode(ctx, gamenet.NodeConfig{
		Peer: gamenet.Config{Name: "player", Color: -1, Room: room, Params: game.DefaultParams(),
			Mode: cfg.Mode, Publish: true, Seed: seed(2)},
		Joins:  []netip.AddrPort{netip.AddrPortFrom(netip.AddrFrom4([4]byte{127, 0, 0, 1}), bot.Addr().Port())},
		Impair: transport.ImpairConfig{Delay: cfg.Delay, Seed: seed(3)},
	})
	if err != nil {
		return res, err
	}
	defer player.Close()

	p := &presser{peer: player.Peer, want: cfg.Presses, rng: rand.New(rand.NewPCG(seed(4), 5))}
	// Bounded: every press waits at most pressTimeout, dead time included.
	limit := 20*time.Second + time.Duration(cfg.Presses)*(pressTimeout+time.Second)
	ctx, cancel := context.WithTimeout(ctx, limit)
	defer cancel()
	if err := p.run(ctx); err != nil {
		return res, err
	}
	var lat hist
	for _, d := range p.samples {
		lat.add(d)
	}
	res.InputP50, res.InputP95, res.InputMax = lat.quantile(.50), lat.quantile(.95), lat.maxMs()
	res.Presses, res.Lost = len(p.samples), p.lost
	if p.alive > 0 {
		res.CellsPerSec = float64(p.cells) / p.alive.Seconds()
	}
	res.AliveS = p.alive.Seconds()
	if s, err := snapshot(ctx, player); err == nil {
		for _, ps := range s.Peers {
			res.RTTms = float64(ps.RTT.Microseconds()) / 1000
		}
	}
	return res, nil
}

const pressTimeout = 3 * time.Second

// presser plays the player's seat: it reads every published snapshot and
// presses a turn whenever the last one has shown, at a random moment, to
// the perpendicular with the longer free run.
type presser struct {
	peer *gamenet.Peer
	want int
	rng  *rand.Rand

	samples []time.Duration
	lost    int

	// the pending press
	pending bool
	dir     game.Dir
	life    uint16
	at      time.Time
	next    time.Time

	// movement, between consecutive snapshots of one living life
	prev   *game.Cycle
	prevAt time.Time
	cells  int
	alive  time.Duration
	ready  bool // the player's cycle has been seen
}

func (p *presser) run(ctx context.Context) error {
	start := time.Now()
	timer := time.NewTimer(time.Hour)
	defer timer.Stop()
	var st *game.Arena // the latest snapshot's arena
	var self game.PlayerID
	for len(p.samples) < p.want {
		select {
		case <-ctx.Done():
			return fmt.Errorf("%d of %d presses measured: %w", len(p.samples), p.want, ctx.Err())
		case <-p.peer.Done():
			return fmt.Errorf("player's peer stopped")
		case s := <-p.peer.Snapshots():
			now := time.Now()
			st, self = s.Arena, s.Self
			c := st.Cycle(self)
			if c == nil && !p.ready && now.Sub(start) > 15*time.Second {
				return fmt.Errorf("the player's cycle never appeared (server mode: no host?)")
			}
			p.observe(c, now)
			if c == nil {
				continue
			}
			p.ready = true
			// A wall or a trail close ahead: turn now.
			if !p.pending && c.Alive && freeRun(st, c.Head, c.Dir, 8) <= 3 {
				p.press(st, c)
			}
		case <-timer.C:
		}
		// Otherwise press at a random moment between ticks, so that the
		// wait for the next tick is part of what is measured.
		if c := cycleOf(st, self); c != nil && !p.pending && c.Alive && !time.Now().Before(p.next) {
			p.press(st, c)
		}
		timer.Reset(max(time.Until(p.next), time.Millisecond))
	}
	return nil
}

func cycleOf(st *game.Arena, id game.PlayerID) *game.Cycle {
	if st == nil {
		return nil
	}
	return st.Cycle(id)
}

// observe settles a pending press and counts movement.
func (p *presser) observe(c *game.Cycle, now time.Time) {
	if p.pending {
		switch {
		case c == nil || !c.Alive || c.Life != p.life:
			p.pending, p.lost = false, p.lost+1
		case c.Dir == p.dir:
			p.samples = append(p.samples, now.Sub(p.at))
			p.pending = false
			p.next = now.Add(100*time.Millisecond + time.Duration(p.rng.Int64N(int64(300*time.Millisecond))))
		case now.Sub(p.at) > pressTimeout:
			p.pending, p.lost = false, p.lost+1
		}
	}
	if c != nil && c.Alive && p.prev != nil && p.prev.Alive && p.prev.Life == c.Life {
		p.cells += manhattan(p.prev.Head, c.Head)
		p.alive += now.Sub(p.prevAt)
	}
	if c != nil {
		p.prev, p.prevAt = c, now
	} else {
		p.prev = nil
	}
}

// press turns c to the perpendicular with the longer free run.
func (p *presser) press(st *game.Arena, c *game.Cycle) {
	a, b := (c.Dir+1)%4, (c.Dir+3)%4
	ra, rb := freeRun(st, c.Head, a, 64), freeRun(st, c.Head, b, 64)
	d := a
	if rb > ra || (rb == ra && p.rng.IntN(2) == 0) {
		d = b
	}
	p.pending, p.dir, p.life, p.at = true, d, c.Life, time.Now()
	p.peer.Turn(d)
}

// freeRun counts the free cells straight ahead of p in direction d, up to
// limit: cells on the arena that no living trail covers.
func freeRun(a *game.Arena, p game.Point, d game.Dir, limit int) int {
	taken := map[game.Point]bool{}
	a.Cycles(func(c *game.Cycle) {
		if c.Alive {
			c.Cells(func(q game.Point) bool { taken[q] = true; return true })
		}
	})
	n := 0
	for n < limit {
		p = p.Add(d)
		if !a.Params.In(p) || taken[p] {
			break
		}
		n++
	}
	return n
}
