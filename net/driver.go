package net

import (
	"context"
	"errors"
	"time"
)

// drive is the peer loop: the thin goroutine around the core that reads
// the real clock, turns channels into events and tickers into ticks. It
// returns when ctx is done, Stop is called or the transport closes.
func (p *Peer) drive(ctx context.Context, l *core) error {
	// A timer rather than a ticker: each tick is scheduled from the one
	// before, moved to line up with the room clock (clock.go).
	period := time.Second / time.Duration(p.cfg.Params.TickRate)
	due := time.Now().Add(period)
	tick := time.NewTimer(period)
	defer tick.Stop()
	house := time.NewTicker(housekeepEvery)
	defer house.Stop()
	packets := p.tr.Packets()
	for {
		select {
		case <-ctx.Done():
			l.leave(time.Now())
			return nil
		case <-p.stop:
			l.leave(time.Now())
			return nil
		case pkt, ok := <-packets:
			if !ok {
				return errors.New("transport closed")
			}
			now := pkt.At // when the transport read it, if it says
			if now.IsZero() {
				now = time.Now()
			}
			l.handle(pkt, now)
		case d := <-p.turns:
			l.handle(turnEvent(d), time.Now())
		case text := <-p.says:
			l.handle(sayEvent(text), time.Now())
		case c := <-p.candidates:
			l.handle(c, time.Now())
		case reply := <-p.snapReq:
			reply <- l.snapshot(time.Now())
		case now := <-tick.C:
			l.tick(now)
			due = nextTick(due, now, period, l.tickShift(now))
			tick.Reset(time.Until(due))
		case now := <-house.C:
			l.housekeep(now)
		}
	}
}
