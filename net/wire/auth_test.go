package wire

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"errors"
	"math/rand/v2"
	"reflect"
	"testing"
)

func TestKey(t *testing.T) {
	h := hmac.New(sha256.New, []byte("hunter2"))
	h.Write([]byte("lanarena v1 room lan"))
	var want [32]byte
	copy(want[:], h.Sum(nil))
	if got := Key("lan", "hunter2"); got != want {
		t.Errorf("Key = %x, want %x", got, want)
	}
	if Key("lan", "hunter2") == Key("lan2", "hunter2") {
		t.Error("two rooms share a key")
	}
	if Key("lan", "hunter2") == Key("lan", "hunter3") {
		t.Error("two secrets share a key")
	}
}

func TestMACMatchesCryptoHMAC(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for range 200 {
		var key [32]byte
		for i := range key {
			key[i] = byte(rng.Uint32())
		}
		msg := make([]byte, rng.IntN(MaxPacket+1))
		for i := range msg {
			msg[i] = byte(rng.Uint32())
		}
		h := hmac.New(sha256.New, key[:])
		h.Write(msg)
		if got, want := mac(&key, msg), h.Sum(nil); !bytes.Equal(got[:], want) {
			t.Fatalf("mac of %d bytes = %x, want %x", len(msg), got, want)
		}
	}
}

func TestSealOpen(t *testing.T) {
	key := Key("lan", "hunter2")
	for _, s := range samples() {
		b := mustAppend(s)
		plain := bytes.Clone(b)
		sealed, err := Seal(b, &key)
		if err != nil {
			t.Fatalf("%s: Seal: %v", s.name, err)
		}
		if len(sealed) != len(plain)+TagLen || sealed[offFlags] != FlagAuth {
			t.Fatalf("%s: sealed packet %x", s.name, sealed)
		}
		opened, err := Open(sealed, &key)
		if err != nil {
			t.Fatalf("%s: Open: %v", s.name, err)
		}
		if !bytes.Equal(opened, sealed) {
			t.Errorf("%s: Open changed the packet", s.name)
		}
		h, m, err := Decode(opened)
		if err != nil {
			t.Fatalf("%s: Decode: %v", s.name, err)
		}
		if h.Flags != FlagAuth || !reflect.DeepEqual(m, s.m) {
			t.Errorf("%s: decoded %+v %#v", s.name, h, m)
		}
		// A sealed packet cut short is a forgery, or too short for a tag.
		for n := HeaderLen; n < len(sealed); n++ {
			if _, err := Open(sealed[:n], &key); !errors.Is(err, ErrAuth) && !errors.Is(err, ErrShort) {
				t.Fatalf("%s: Open of %d of %d bytes: %v", s.name, n, len(sealed), err)
			}
		}
	}
}

func TestOpenRejectsTampering(t *testing.T) {
	key := Key("lan", "hunter2")
	sealed, err := Seal(mustAppend(sample{h: testHeader, m: typicalState()}), &key)
	if err != nil {
		t.Fatal(err)
	}
	for i := range sealed {
		for _, flip := range []byte{0x01, 0x80, 0xff} {
			b := bytes.Clone(sealed)
			b[i] ^= flip
			want := ErrAuth
			if i < 2 {
				want = ErrMagic
			}
			if _, err := Open(b, &key); !errors.Is(err, want) {
				t.Errorf("byte %d ^ %#x: Open error %v, want %v", i, flip, err, want)
			}
		}
	}
	other := Key("lan", "hunter3")
	if _, err := Open(sealed, &other); !errors.Is(err, ErrAuth) {
		t.Errorf("Open with the wrong key: %v, want %v", err, ErrAuth)
	}
	plain := mustAppend(sample{h: testHeader, m: typicalState()})
	if _, err := Open(plain, &key); !errors.Is(err, ErrAuth) {
		t.Errorf("Open of an unsealed packet: %v, want %v", err, ErrAuth)
	}
	// Moving the flag onto an unsealed packet does not make it sealed.
	plain[offFlags] |= FlagAuth
	if _, err := Open(plain, &key); !errors.Is(err, ErrAuth) {
		t.Errorf("Open with a flag but a forged tag: %v, want %v", err, ErrAuth)
	}
}

func TestSealRejects(t *testing.T) {
	key := Key("lan", "")
	b := mustAppend(sample{h: testHeader, m: &Leave{}})
	sealed, err := Seal(bytes.Clone(b), &key)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Seal(sealed, &key); !errors.Is(err, ErrField) {
		t.Errorf("Seal twice: %v, want %v", err, ErrField)
	}
	if _, err := Seal(b[:HeaderLen-1], &key); !errors.Is(err, ErrShort) {
		t.Errorf("Seal of a short packet: %v, want %v", err, ErrShort)
	}
	if _, err := Seal([]byte("not a lanarena packet"), &key); !errors.Is(err, ErrMagic) {
		t.Errorf("Seal of a foreign packet: %v, want %v", err, ErrMagic)
	}
	big := append(bytes.Clone(b), make([]byte, MaxPacket-TagLen+1-len(b))...)
	got, err := Seal(big, &key)
	if !errors.Is(err, ErrTooBig) || got[offFlags] != 0 {
		t.Errorf("Seal of %d bytes: flags %#x, %v; want %v and no flag", len(big), got[offFlags], err, ErrTooBig)
	}
	if _, err := Seal(big[:MaxPacket-TagLen], &key); err != nil {
		t.Errorf("Seal of %d bytes: %v", MaxPacket-TagLen, err)
	}
}

func TestSealOpenAllocs(t *testing.T) {
	key := Key("lan", "hunter2")
	buf := make([]byte, 0, MaxPacket)
	allocs := testing.AllocsPerRun(100, func() {
		b, _ := Append(buf[:0], testHeader, typicalStateValue)
		b, _ = Seal(b, &key)
		if _, err := Open(b, &key); err != nil {
			t.Fatal(err)
		}
	})
	if allocs != 0 {
		t.Errorf("Append+Seal+Open: %v allocations, want 0", allocs)
	}
}

var typicalStateValue = typicalState()
