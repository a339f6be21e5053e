package transport

import (
	"fmt"
	"net/netip"
)

// Message is one datagram of a batch: Data for To.
type Message struct {
	Data []byte
	To   netip.AddrPort
}

// Batcher is implemented by a transport that can send many datagrams for
// less than a system call each. The peer's loop uses it for what it sends
// every tick to every member; with a transport that is no Batcher it
// calls WriteTo once a message.
//
// A wrapper that embeds a Batcher and overrides WriteTo must override
// WriteBatch too, or batches bypass its WriteTo.
type Batcher interface {
	// WriteBatch sends each message as WriteTo would, with the same
	// promises: it never blocks for long, is safe for concurrent use and
	// keeps neither msgs nor their Data. A message that cannot be sent
	// does not stop the others: WriteBatch returns nil when all were sent
	// (to an address where nobody listens counts as sent), else a
	// *BatchError saying which were not.
	WriteBatch(msgs []Message) error
}

// BatchError says which messages of a batch were not sent, and why. The
// others were sent.
type BatchError struct {
	Errs []error // Errs[i] is why msgs[i] was not sent; nil if it was
}

func (e *BatchError) Error() string {
	var first error
	n := 0
	for _, err := range e.Errs {
		if err != nil {
			if first == nil {
				first = err
			}
			n++
		}
	}
	return fmt.Sprintf("%d of %d messages not sent: %v", n, len(e.Errs), first)
}

// Unwrap returns the errors of the messages not sent.
func (e *BatchError) Unwrap() []error {
	var errs []error
	for _, err := range e.Errs {
		if err != nil {
			errs = append(errs, err)
		}
	}
	return errs
}

// batchFailures collects the errors of a batch of n messages; its zero
// value is a batch that has failed nowhere, and costs nothing until then.
type batchFailures struct {
	errs []error
}

func (f *batchFailures) add(n, i int, err error) {
	if f.errs == nil {
		f.errs = make([]error, n)
	}
	f.errs[i] = err
}

// err is nil when every message was sent, else a *BatchError.
func (f *batchFailures) err() error {
	if f.errs == nil {
		return nil
	}
	return &BatchError{Errs: f.errs}
}

// writeEach is WriteBatch for a transport with nothing better to offer
// than WriteTo.
func writeEach(t Transport, msgs []Message) error {
	var failed batchFailures
	for i, m := range msgs {
		if err := t.WriteTo(m.Data, m.To); err != nil {
			failed.add(len(msgs), i, err)
		}
	}
	return failed.err()
}
