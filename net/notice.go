package net

import (
	"net/netip"
	"time"

	"lanarena/net/throttle"
)

// Lines of the log caused by packets (notices, refusals, send and merge
// errors) pass a throttle: a flood repeats them per packet, and the log
// must not fill a disk. At most one line per source address and reason per
// noticeEvery, then a count of the rest; past noticeSources addresses,
// the others share one line per reason.
const (
	noticeEvery   = 10 * time.Second
	noticeSources = 64
)

func newNoticeThrottle() *throttle.Throttle { return throttle.New(noticeEvery, noticeSources) }

// logLimited logs a line caused by a packet from (or to) addr, unless a
// line of this reason about addr was logged less than noticeEvery ago.
// reason is one of the code's constants, never text from the network.
func (l *core) logLimited(addr netip.Addr, reason, format string, args ...any) {
	if ok, more := l.allowLine(addr, reason); ok {
		l.p.log.Printf(format+"%s", append(args, throttle.More(more))...)
	}
}

// allowLine reports whether a line of reason about addr may be logged now,
// and how many were held back since the last one.
func (l *core) allowLine(addr netip.Addr, reason string) (ok bool, more uint64) {
	ok, more, _ = l.notices.Allow(l.now, throttle.Key{Source: addr.Unmap(), Reason: reason})
	return ok, more
}

// flushNotices logs how many lines were held back for each source and
// reason that has gone quiet, so the size of a flood that stopped is
// still known.
func (l *core) flushNotices(now time.Time) {
	l.notices.Flush(now, func(k throttle.Key, n uint64) {
		l.p.log.Printf("… and %d more %s lines about %s", n, k.Reason, k)
	})
}
