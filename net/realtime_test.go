package net

import (
	"os"
	"slices"
	"sync"
	"testing"
	"time"

	"lanarena/game"
	"lanarena/net/transport"
)

// headLog records, on the real clock, every own step of every peer (the
// owners' true heads) and, per viewer, each snapshot its loop published
// (what its screen shows until the next).
type headLog struct {
	mu    sync.Mutex
	steps map[game.PlayerID][]stepAt
}

type stepAt struct {
	at    time.Time
	head  game.Point
	alive bool
	life  uint16
}

func (h *headLog) Stepped(id game.PlayerID, _ uint32, head game.Point, alive bool, at time.Time) {
	h.mu.Lock()
	h.steps[id] = append(h.steps[id], stepAt{at: at, head: head, alive: alive})
	h.mu.Unlock()
}

func (h *headLog) Applied(game.PlayerID, game.PlayerID, uint32, game.Point, bool, time.Time) {}

// at is owner id's true head at instant t.
func (h *headLog) at(id game.PlayerID, t time.Time) (stepAt, bool) {
	s := h.steps[id]
	i, _ := slices.BinarySearchFunc(s, t, func(a stepAt, t time.Time) int { return a.at.Compare(t) })
	if i == 0 {
		return stepAt{}, false
	}
	return s[i-1], true
}

type shownAt struct {
	at   time.Time
	snap Snapshot
}

// TestRealtimeViewError measures view error with the real driver (its
// timer and the room clock) on in-memory sockets with a delay and loss:
// 4 bots, for each delay. A measurement to read, not a check: run it with
// LANARENA_REALTIME=1 go test -run RealtimeViewError -v ./net (about 4
// minutes; LANARENA_REALTIME=quick: 100 ms only).
func TestRealtimeViewError(t *testing.T) {
	if os.Getenv("LANARENA_REALTIME") == "" {
		t.Skip("a measurement on the real clock: set LANARENA_REALTIME=1")
	}
	for _, loss := range realtimeLosses() {
		for _, d := range realtimeDelays() {
			v, spread := realtimeRun(t, d, loss, 20*time.Second)
			t.Logf("one-way %v loss %.0f%%: %v; ticks within %v of the leader's", d, loss*100, v, spread)
		}
	}
}

func realtimeRun(t *testing.T, oneWay time.Duration, loss float64, dur time.Duration) (*viewErrors, time.Duration) {
	log := &headLog{steps: map[game.PlayerID][]stepAt{}}
	mem := memFactory()
	var peers []*testPeer
	shown := make([][]shownAt, 4)
	var wg sync.WaitGroup
	stop := make(chan struct{})
	for i := range 4 {
		// Each side delays by half: a packet is delayed when sent and
		// when received.
		tr := transport.Impair(mem(t), transport.ImpairConfig{Delay: oneWay / 2, Loss: loss / 2, Seed: uint64(i + 1)})
		p := startPeer(t, tr, Config{Name: string(rune('a' + i)), Bot: true, Publish: true, Probe: log, ID: game.PlayerID(100 + i)})
		peers = append(peers, p)
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-stop:
					return
				case s := <-p.Snapshots():
					shown[i] = append(shown[i], shownAt{at: time.Now(), snap: s})
				}
			}
		}()
	}
	for _, p := range peers[1:] {
		p.Join(peers[0].Addr())
	}
	time.Sleep(5 * time.Second) // meet, ping, line up
	start := time.Now()
	time.Sleep(dur)
	close(stop)
	wg.Wait()
	log.mu.Lock()
	defer log.mu.Unlock()
	v := &viewErrors{}
	spread := log.phaseSpread(peers[0].ID(), time.Second/15)
	for t0 := start; t0.Before(start.Add(dur)); t0 = t0.Add(7 * time.Millisecond) {
		for vi, viewer := range peers {
			j, _ := slices.BinarySearchFunc(shown[vi], t0, func(a shownAt, t time.Time) int { return a.at.Compare(t) })
			if j == 0 {
				continue
			}
			s := &shown[vi][j-1].snap
			for _, owner := range peers {
				if owner == viewer {
					continue
				}
				measureOne(v, s, owner.ID(), log, t0)
			}
		}
	}
	return v, spread
}

// phaseSpread is the 90th percentile, over the last 2 s of ticks, of how
// far each peer's tick ran from the leader's nearest tick.
func (h *headLog) phaseSpread(leader game.PlayerID, period time.Duration) time.Duration {
	lead := h.steps[leader]
	if len(lead) == 0 {
		return 0
	}
	var gaps []time.Duration
	for id, steps := range h.steps {
		if id == leader {
			continue
		}
		for _, s := range steps {
			if lead[len(lead)-1].at.Sub(s.at) > 2*time.Second {
				continue
			}
			d := s.at.Sub(lead[len(lead)-1].at) % period
			if d < 0 {
				d += period
			}
			gaps = append(gaps, min(d, period-d))
		}
	}
	if len(gaps) == 0 {
		return 0
	}
	slices.Sort(gaps)
	return gaps[len(gaps)*9/10]
}

// measureOne adds the view error of owner's cycle in snapshot s at t,
// when the owner rides and s knows the same head's life (by its trail).
func measureOne(v *viewErrors, s *Snapshot, id game.PlayerID, log *headLog, t time.Time) {
	st, ok := log.at(id, t)
	rc := s.Arena.Cycle(id)
	if !ok || !st.alive || rc == nil || !rc.Alive || rc.Ready > 0 {
		return
	}
	if h, ok := s.DrawnHead(id, false); ok {
		if chebyshev(h, st.head) > 20 {
			return // another life: a respawn far away
		}
		v.off = append(v.off, chebyshev(h, st.head))
	}
	if h, ok := s.DrawnHead(id, true); ok {
		v.on = append(v.on, chebyshev(h, st.head))
	}
}

// realtimeLosses and realtimeDelays are the runs of TestRealtimeViewError:
// LANARENA_REALTIME=quick runs one, at 100 ms one-way.
func realtimeLosses() []float64 {
	if os.Getenv("LANARENA_REALTIME") == "quick" {
		return []float64{0}
	}
	return []float64{0, 0.05}
}

func realtimeDelays() []time.Duration {
	if os.Getenv("LANARENA_REALTIME") == "quick" {
		return []time.Duration{100 * time.Millisecond}
	}
	return []time.Duration{0, 50 * time.Millisecond, 100 * time.Millisecond, 200 * time.Millisecond}
}
