// Package rotate is a file writer bounded in size: once the file would
// grow past its limit, it is renamed with the suffix ".1" (replacing the
// previous one) and a new file is started. A log or stats file so takes at
// most about twice its limit on disk, however long the program runs and
// whatever the network makes it write.
package rotate

import (
	"errors"
	"fmt"
	"os"
	"sync"
)

// DefaultMax is the size limit of --log and --stats: 10 MB each, plus as
// much again in the rotated file.
const DefaultMax = 10 << 20

// File appends to a file of at most Max bytes (see Write), keeping one
// rotated file. It is safe for concurrent use; each Write lands whole in
// one file, so a writer of whole lines (log.Logger, json.Encoder) never
// has a line split between the two.
type File struct {
	path string
	max  int64

	mu     sync.Mutex
	f      *os.File // nil once closed
	size   int64
	broken error // the rotation failed: further writes fail
}

// Open opens path for appending (creating it if needed), bounded to limit
// bytes (at least 1). An existing file keeps its content and counts
// toward the limit.
func Open(path string, limit int64) (*File, error) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return nil, err
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, err
	}
	return &File{path: path, max: max(limit, 1), f: f, size: st.Size()}, nil
}

// Write appends p. If the file holds something and p would take it past
// the limit, the file is first rotated. A single write larger than the
// limit is still written whole, into a file of its own.
func (r *File) Write(p []byte) (int, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.f == nil {
		return 0, os.ErrClosed
	}
	if r.broken != nil {
		return 0, r.broken
	}
	if r.size > 0 && r.size+int64(len(p)) > r.max {
		if err := r.rotate(); err != nil {
			r.broken = fmt.Errorf("rotating %s: %w", r.path, err)
			return 0, r.broken
		}
	}
	n, err := r.f.Write(p)
	r.size += int64(n)
	return n, err
}

// rotate renames the file to path.1 and opens a new, empty one.
func (r *File) rotate() error {
	if err := r.f.Close(); err != nil {
		return err
	}
	if err := os.Rename(r.path, r.path+".1"); err != nil {
		// Keep writing where we were rather than lose the log.
		f, oerr := os.OpenFile(r.path, os.O_WRONLY|os.O_APPEND, 0o644)
		if oerr == nil {
			r.f = f
		}
		return errors.Join(err, oerr)
	}
	f, err := os.OpenFile(r.path, os.O_CREATE|os.O_WRONLY|os.O_TRUNC|os.O_APPEND, 0o644)
	if err != nil {
		return err
	}
	r.f, r.size = f, 0
	return nil
}

// Close closes the file. It is idempotent.
func (r *File) Close() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.f == nil {
		return nil
	}
	err := r.f.Close()
	r.f = nil
	return err
}
