package rotate

import (
	"bytes"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

func size(t *testing.T, path string) int64 {
	t.Helper()
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return st.Size()
}

// TestBounded: a logger writing far more than the limit leaves at most
// the limit in each of the two files, every line whole, the newest last.
func TestBounded(t *testing.T) {
	path := filepath.Join(t.TempDir(), "x.log")
	const limit = 4096
	f, err := Open(path, limit)
	if err != nil {
		t.Fatal(err)
	}
	lg := log.New(f, "", 0)
	const lines = 5000
	for i := range lines {
		lg.Printf("line %05d of a flood", i)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{path, path + ".1"} {
		if s := size(t, p); s > limit || s == 0 {
			t.Errorf("%s: %d bytes, want 1..%d", filepath.Base(p), s, limit)
		}
	}
	old, _ := os.ReadFile(path + ".1")
	cur, _ := os.ReadFile(path)
	all := strings.Split(strings.TrimSuffix(string(old)+string(cur), "\n"), "\n")
	for i, l := range all {
		if want := fmt.Sprintf("line %05d of a flood", lines-len(all)+i); l != want {
			t.Fatalf("line %d of the two files: %q, want %q (lines whole, in order, newest kept)", i, l, want)
		}
	}
	entries, _ := os.ReadDir(filepath.Dir(path))
	if len(entries) != 2 {
		t.Errorf("%d files, want 2", len(entries))
	}
}

func TestAppendsAndCountsExisting(t *testing.T) {
	path := filepath.Join(t.TempDir(), "x.log")
	if err := os.WriteFile(path, bytes.Repeat([]byte("a"), 90), 0o644); err != nil {
		t.Fatal(err)
	}
	f, err := Open(path, 100)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.Write([]byte("bbbbb")); err != nil {
		t.Fatal(err)
	}
	if s := size(t, path); s != 95 {
		t.Errorf("after appending 5 to 90: %d bytes, want 95", s)
	}
	if _, err := f.Write([]byte("cccccccccc")); err != nil {
		t.Fatal(err)
	}
	if s, s1 := size(t, path), size(t, path+".1"); s != 10 || s1 != 95 {
		t.Errorf("after passing the limit: %d and %d bytes, want 10 and 95", s, s1)
	}
	// A write larger than the limit goes whole into a file of its own.
	big := bytes.Repeat([]byte("d"), 250)
	if n, err := f.Write(big); n != len(big) || err != nil {
		t.Fatalf("big write: %d, %v", n, err)
	}
	if s, s1 := size(t, path), size(t, path+".1"); s != 250 || s1 != 10 {
		t.Errorf("after a big write: %d and %d bytes, want 250 and 10", s, s1)
	}
}

func TestConcurrentAndClose(t *testing.T) {
	path := filepath.Join(t.TempDir(), "x.log")
	f, err := Open(path, 1000)
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			for range 500 {
				if _, err := f.Write([]byte("0123456789\n")); err != nil {
					t.Error(err)
					return
				}
			}
		})
	}
	wg.Wait()
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
	if _, err := f.Write([]byte("x")); err == nil {
		t.Error("Write after Close succeeded")
	}
	for _, p := range []string{path, path + ".1"} {
		b, _ := os.ReadFile(p)
		if len(b) > 1000 || len(b)%11 != 0 || strings.Count(string(b), "0123456789\n") != len(b)/11 {
			t.Errorf("%s: %d bytes, not whole lines within 1000", filepath.Base(p), len(b))
		}
	}
}
