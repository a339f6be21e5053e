package wire

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

var updateCorpus = flag.Bool("update-corpus", false, "rewrite the seed corpus under testdata/fuzz")

// FuzzDecode feeds Decode any bytes: it must not panic, and whatever it
// accepts must be canonical: encoding the result again gives the same
// bytes (without the tag of a sealed packet).
func FuzzDecode(f *testing.F) {
	for _, s := range samples() {
		f.Add(mustAppend(s))
	}
	f.Add(withExt(mustAppend(sample{h: testHeader, m: typicalState()})))
	f.Add(withExt(mustAppend(sample{h: testHeader, m: streamState()})))
	f.Add([]byte{})
	f.Add([]byte("LA"))
	f.Add(make([]byte, MaxPacket+1))
	f.Fuzz(func(t *testing.T, b []byte) {
		h, m, err := Decode(b)
		ph, perr := PeekHeader(b)
		if perr != nil && (err != perr || h != ph) {
			t.Fatalf("Decode = %+v, %v but PeekHeader = %+v, %v", h, err, ph, perr)
		}
		if err != nil {
			if m != nil {
				t.Fatalf("Decode returned %#v with error %v", m, err)
			}
			if Reason(err) == "other" {
				t.Fatalf("Decode returned an unnamed error: %v", err)
			}
			return
		}
		if m.Type() != h.Type {
			t.Fatalf("header type %v, message type %v", h.Type, m.Type())
		}
		want := b
		if h.Flags&FlagAuth != 0 {
			want = bytes.Clone(b[:len(b)-TagLen])
			want[offFlags] &^= FlagAuth
			h.Flags &^= FlagAuth
		}
		again, err := Append(nil, h, m)
		if err != nil {
			t.Fatalf("Append of decoded %#v: %v", m, err)
		}
		// Canonical up to the extensions of unknown kinds, which are
		// skipped, not kept: the body comes out as it went in.
		if len(again) > len(want) || !bytes.Equal(again[:bodyEnd(again)], want[:bodyEnd(again)]) {
			t.Fatalf("not canonical:\n  in %x\n out %x", want, again)
		}
		h2, m2, err := Decode(again)
		if err != nil || h2 != h || !reflect.DeepEqual(m2, m) {
			t.Fatalf("second decode = %+v %#v %v; want %+v %#v", h2, m2, err, h, m)
		}
	})
}

// FuzzOpen feeds Open any bytes and secret: it must not panic, must accept
// only what crypto/hmac would, and must accept everything Seal makes.
func FuzzOpen(f *testing.F) {
	for _, s := range samples() {
		key := Key("fuzz", "hunter2")
		sealed, err := Seal(mustAppend(s), &key)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(sealed, "hunter2")
		f.Add(mustAppend(s), "")
	}
	f.Fuzz(func(t *testing.T, b []byte, secret string) {
		key := Key("fuzz", secret)
		out, err := Open(b, &key)
		if err == nil {
			n := len(b) - TagLen
			h := hmac.New(sha256.New, key[:])
			h.Write(b[:n])
			if !hmac.Equal(h.Sum(nil)[:TagLen], b[n:]) {
				t.Fatalf("Open accepted a bad tag: %x", b)
			}
			if !bytes.Equal(out, b) {
				t.Fatalf("Open changed the packet")
			}
			Decode(out)
		} else if Reason(err) == "other" {
			t.Fatalf("Open returned an unnamed error: %v", err)
		}
		sealed, err := Seal(bytes.Clone(b), &key)
		if err != nil {
			return
		}
		if len(sealed) > MaxPacket {
			t.Fatalf("Seal made %d bytes", len(sealed))
		}
		if _, err := Open(sealed, &key); err != nil {
			t.Fatalf("Open of a sealed packet: %v", err)
		}
		other := Key("fuzz", secret+"!")
		if _, err := Open(sealed, &other); err != ErrAuth {
			t.Fatalf("Open with another key: %v, want %v", err, ErrAuth)
		}
	})
}

// TestFuzzCorpus keeps the committed seed corpus in step with the codec:
// one file per sample, named seed-*. Run with -update-corpus to rewrite it.
func TestFuzzCorpus(t *testing.T) {
	key := Key("fuzz", "hunter2")
	files := map[string]string{}
	for _, s := range samples() {
		b := mustAppend(s)
		files[filepath.Join("FuzzDecode", "seed-"+s.name)] = corpusFile(b)
		sealed, err := Seal(bytes.Clone(b), &key)
		if err != nil {
			t.Fatal(err)
		}
		files[filepath.Join("FuzzDecode", "seed-"+s.name+"-sealed")] = corpusFile(sealed)
		files[filepath.Join("FuzzOpen", "seed-"+s.name)] = corpusFile(sealed, "hunter2")
	}
	ext := withExt(mustAppend(sample{h: testHeader, m: typicalState()}))
	files[filepath.Join("FuzzDecode", "seed-state-ext")] = corpusFile(ext)
	for name, want := range files {
		path := filepath.Join("testdata", "fuzz", name)
		if *updateCorpus {
			if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(path, []byte(want), 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		got, err := os.ReadFile(path)
		if err != nil {
			t.Errorf("%v (run go test -run TestFuzzCorpus -update-corpus)", err)
			continue
		}
		if string(got) != want {
			t.Errorf("%s is stale (run go test -run TestFuzzCorpus -update-corpus)", path)
		}
	}
}

// corpusFile formats fuzz arguments as a "go test fuzz v1" file.
func corpusFile(args ...any) string {
	s := "go test fuzz v1\n"
	for _, a := range args {
		switch a := a.(type) {
		case []byte:
			s += fmt.Sprintf("[]byte(%q)\n", a)
		case string:
			s += fmt.Sprintf("string(%q)\n", a)
		}
	}
	return s
}

// withExt is packet b followed by an extension of an unknown kind, which
// a receiver skips.
func withExt(b []byte) []byte { return append(b, 0x09, 3, 'e', 'x', 't') }

// bodyEnd is where the fixed body of an encoded packet (without tag)
// ends: before the known extensions that Append writes last (ExtMatch,
// ExtWinner, then the stream's), when the message carries them.
func bodyEnd(b []byte) int {
	n := len(b)
	_, m, err := Decode(b)
	if err != nil {
		return n
	}
	if st := streamOf(m); st != nil {
		if st.Ack != 0 {
			n -= extHeaderLen + extAckLen
		}
		if st.Probe {
			n -= extHeaderLen + extTimeLen
		}
		if st.Echoed {
			n -= extHeaderLen + extEchoLen
		}
	}
	s := stateOf(m)
	if s == nil {
		return n
	}
	if s.Winner != 0 {
		n -= extHeaderLen + extWinnerLen
	}
	if s.Match != 0 {
		n -= extHeaderLen + extMatchLen
	}
	return n
}
