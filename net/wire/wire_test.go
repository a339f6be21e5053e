package wire

import (
	"bytes"
	"errors"
	"fmt"
	"hash/fnv"
	"net/netip"
	"reflect"
	"strings"
	"testing"

	"lanarena/game"
)

func TestRoundTrip(t *testing.T) {
	for _, s := range samples() {
		t.Run(s.name, func(t *testing.T) {
			b, err := Append(nil, s.h, s.m)
			if err != nil {
				t.Fatalf("Append: %v", err)
			}
			if len(b) > MaxPacket-TagLen {
				t.Errorf("packet of %d bytes leaves no room for a tag", len(b))
			}
			h, m, err := Decode(b)
			if err != nil {
				t.Fatalf("Decode: %v", err)
			}
			want := s.h
			want.Version, want.Type = Version, s.m.Type()
			if h != want {
				t.Errorf("header = %+v, want %+v", h, want)
			}
			if !reflect.DeepEqual(m, s.m) {
				t.Errorf("message = %#v, want %#v", m, s.m)
			}
			if again := mustAppend(sample{h: h, m: m}); !bytes.Equal(again, b) {
				t.Errorf("re-encoding differs:\n got %x\nwant %x", again, b)
			}
		})
	}
}

// TestVectors pins the examples of PROTOCOL.md.
func TestVectors(t *testing.T) {
	b := mustAppend(sample{h: testHeader, m: typicalState()})
	// The example of PROTOCOL.md.
	const want = "4c41020200" + "04030201" + "07000000" + "10806056" +
		"39300000" + "0300" + "07" + "0c16" + "00" + "00" + "09000000" + "0200" +
		"0400" + "0300" + "0100" + "0300" + "0b00" + "04" +
		"1e05" + "1e0c" + "110c" + "1116" +
		"01" + "02" + "0200"
	if got := hexString(b); got != want {
		t.Errorf("state packet:\n got %s\nwant %s", got, want)
	}
	if len(b) != 57 {
		t.Errorf("state with 4 verts is %d bytes, want 57", len(b))
	}

	// The private-room example of PROTOCOL.md.
	key := Key("lan", "hunter2")
	if got, want := hexString(key[:]), "ecd826061f481c659ab7b6f017c8df41d5d3220516bf5f7efc25ecee25724208"; got != want {
		t.Errorf("Key(lan, hunter2) = %s, want %s", got, want)
	}
	sealed, err := Seal(b, &key)
	if err != nil {
		t.Fatal(err)
	}
	wantSealed := want[:8] + "01" + want[10:] + "4e1acdc09102c5294a804c2667fb53ba"
	if got := hexString(sealed); got != wantSealed {
		t.Errorf("sealed state packet:\n got %s\nwant %s", got, wantSealed)
	}
}

// TestHelloVector pins the Hello example of PROTOCOL.md 10.4.
func TestHelloVector(t *testing.T) {
	b := mustAppend(sample{h: testHeader, m: &Hello{
		Flags: HelloReply, Mode: ModeP2P, Color: 255,
		Params: game.Params{Width: 56, Height: 40, TickRate: 15, FirstTo: 5},
		Name:   "ada", Room: "lan", Match: 1,
		Peers:  []PeerAddr{{ID: 0x0a0b0c0d, Addr: netip.MustParseAddrPort("10.0.0.7:37617")}},
		Ledger: []game.Tally{{Killer: 9, Count: 2}},
	}})
	const want = "4c41020100" + "04030201" + "07000000" + "10806056" +
		"01" + "00" + "ff" + "38" + "28" + "0f" + "05" + "03616461" + "036c616e" + "0100" + "00000000" +
		"01" + "0d0c0b0a" + "04" + "0a000007" + "f192" +
		"01" + "09000000" + "0200"
	if got := hexString(b); got != want {
		t.Errorf("hello packet:\n got %s\nwant %s", got, want)
	}
	if len(b) != 57 {
		t.Errorf("hello is %d bytes, want 57", len(b))
	}
}

func hexString(b []byte) string {
	const digits = "0123456789abcdef"
	var s strings.Builder
	for _, c := range b {
		s.WriteByte(digits[c>>4])
		s.WriteByte(digits[c&15])
	}
	return s.String()
}

func TestAppendKeepsPrefix(t *testing.T) {
	buf := []byte("prefix")
	b, err := Append(buf, testHeader, &Ping{Nonce: 1})
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(b, []byte("prefix")) {
		t.Fatalf("prefix lost: %q", b)
	}
	if _, _, err := Decode(b[len("prefix"):]); err != nil {
		t.Fatalf("Decode: %v", err)
	}
	b, err = Append(buf, testHeader, &State{Dir: 9})
	if err == nil || len(b) != len(buf) {
		t.Fatalf("Append of a bad message = %q, %v; want the prefix back and an error", b, err)
	}
}

func TestAppendRejects(t *testing.T) {
	long := func(n int) string { return strings.Repeat("x", n) }
	tests := []struct {
		name string
		h    Header
		m    Message
		want error
	}{
		{"sender 0", Header{}, &Leave{}, ErrField},
		{"flags", Header{Sender: 1, Flags: FlagAuth}, &Leave{}, ErrField},
		{"nil message", testHeader, nil, ErrType},
		{"nil state", testHeader, (*State)(nil), ErrType},
		{"nil hello", testHeader, (*Hello)(nil), ErrType},
		{"nil ping", testHeader, (*Ping)(nil), ErrType},
		{"foreign message", testHeader, foreign{}, ErrType},
		{"head x -1", testHeader, &State{Head: game.Point{X: -1}}, ErrField},
		{"head y 256", testHeader, &State{Head: game.Point{Y: 256}}, ErrField},
		{"vertex 256", testHeader, &State{VertTotal: 1, Verts: []game.Point{{X: 256}}}, ErrField},
		{"state dir", testHeader, &State{Dir: 4}, ErrField},
		{"state verts", testHeader, &State{VertTotal: 100, Verts: make([]game.Point, MaxStateVerts+1)}, ErrField},
		{"state verts > total", testHeader, &State{VertTotal: 1, Verts: make([]game.Point, 2)}, ErrField},
		{"hello flags", testHeader, &Hello{Flags: 16}, ErrField},
		{"hello mode", testHeader, &Hello{Mode: 2}, ErrField},
		{"hello width", testHeader, &Hello{Params: game.Params{Width: 256}}, ErrField},
		{"hello tick rate", testHeader, &Hello{Params: game.Params{TickRate: -1}}, ErrField},
		{"hello name", testHeader, &Hello{Name: long(MaxNameBytes + 1)}, ErrField},
		{"hello room", testHeader, &Hello{Room: long(MaxRoomBytes + 1)}, ErrField},
		{"hello peers", testHeader, &Hello{Peers: make([]PeerAddr, MaxPeers+1)}, ErrField},
		{"hello peer id", testHeader, &Hello{Peers: []PeerAddr{{Addr: netip.MustParseAddrPort("1.2.3.4:5")}}}, ErrField},
		{"hello peer addr", testHeader, &Hello{Peers: []PeerAddr{{ID: 1}}}, ErrField},
		{"hello ledger", testHeader, &Hello{Ledger: make([]game.Tally, MaxLedger+1)}, ErrField},
		{"trail verts", testHeader, &Trail{Total: ^uint16(0), Verts: make([]game.Point, MaxTrailVerts+1)}, ErrField},
		{"trail beyond total", testHeader, &Trail{From: 2, Total: 3, Verts: make([]game.Point, 2)}, ErrField},
		{"trail vertex", testHeader, &Trail{Total: 1, Verts: []game.Point{{X: 300}}}, ErrField},
		{"chat", testHeader, &Chat{Text: long(MaxChatBytes + 1)}, ErrField},
		{"move dir", testHeader, &MoveReq{Dir: 4}, ErrField},
		{"move ack state", testHeader, &MoveAck{State: State{Dir: 7}}, ErrField},
		{"cycle owner", testHeader, &CycleState{}, ErrField},
		{"cycle name", testHeader, &CycleState{Owner: 1, Name: long(MaxNameBytes + 1)}, ErrField},
		{"nil cycle trail", testHeader, (*CycleTrail)(nil), ErrType},
		{"cycle trail req owner", testHeader, &CycleTrailReq{Life: 1}, ErrField},
		{"cycle trail owner", testHeader, &CycleTrail{Total: 1, Verts: make([]game.Point, 1)}, ErrField},
		{"cycle trail verts", testHeader, &CycleTrail{Owner: 1, Total: ^uint16(0), Verts: make([]game.Point, MaxCycleTrailVerts+1)}, ErrField},
		{"cycle trail beyond total", testHeader, &CycleTrail{Owner: 1, From: 2, Total: 3, Verts: make([]game.Point, 2)}, ErrField},
		{"cycle trail vertex", testHeader, &CycleTrail{Owner: 1, Total: 1, Verts: []game.Point{{Y: -1}}}, ErrField},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			buf := make([]byte, 3, 64)
			b, err := Append(buf, tt.h, tt.m)
			if !errors.Is(err, tt.want) {
				t.Errorf("Append error = %v, want %v", err, tt.want)
			}
			if len(b) != len(buf) {
				t.Errorf("Append returned %d bytes on error, want %d", len(b), len(buf))
			}
		})
	}
}

type foreign struct{}

func (foreign) Type() Type { return TypeLeave }

func TestPeerAddresses(t *testing.T) {
	tests := []struct{ in, want string }{
		{"10.1.2.3:9", "10.1.2.3:9"},
		{"[fe80::1%eth0]:9", "[fe80::1]:9"}, // the zone stays home
		{"[::ffff:10.1.2.3]:9", "[::ffff:10.1.2.3]:9"},
		{"[::]:0", "[::]:0"},
	}
	for _, tt := range tests {
		h := &Hello{Peers: []PeerAddr{{ID: 1, Addr: netip.MustParseAddrPort(tt.in)}}}
		_, m, err := Decode(mustAppend(sample{h: testHeader, m: h}))
		if err != nil {
			t.Fatalf("%s: %v", tt.in, err)
		}
		if got := m.(*Hello).Peers[0].Addr.String(); got != tt.want {
			t.Errorf("%s decoded as %s, want %s", tt.in, got, tt.want)
		}
	}
}

// TestTruncated cuts every sample at every length: each must fail as
// truncated, without a panic; a cut inside the extension area leaves
// bytes that are no extension (trailing), and a cut just before it a
// packet without the extension.
func TestTruncated(t *testing.T) {
	for _, s := range samples() {
		b := mustAppend(s)
		end := bodyEnd(b)
		whole := map[int]bool{end: true} // cuts between extensions
		for i := end; i < len(b); i += extHeaderLen + int(b[i+1]) {
			whole[i] = true
		}
		for n := range len(b) {
			want := ErrShort
			switch {
			case whole[n]:
				want = nil
			case n > end:
				want = ErrTrailing
			}
			if _, m, err := Decode(b[:n]); !errors.Is(err, want) || (err == nil) != (m != nil) {
				t.Errorf("%s cut to %d of %d bytes: %v, %v; want %v", s.name, n, len(b), m, err, want)
			}
		}
	}
}

func TestTrailing(t *testing.T) {
	for _, s := range samples() {
		b := append(mustAppend(s), 0)
		h, _, err := Decode(b)
		if !errors.Is(err, ErrTrailing) {
			t.Errorf("%s with a byte more: %v, want %v", s.name, err, ErrTrailing)
		}
		if h.Sender != s.h.Sender {
			t.Errorf("%s: header not returned with the error: %+v", s.name, h)
		}
	}
}

func TestTooBig(t *testing.T) {
	b := mustAppend(sample{h: testHeader, m: &Leave{}})
	b = append(b, make([]byte, MaxPacket+1-len(b))...)
	if _, _, err := Decode(b); !errors.Is(err, ErrTooBig) {
		t.Errorf("Decode of %d bytes: %v, want %v", len(b), err, ErrTooBig)
	}
}

// TestCorrupt changes chosen bytes of valid packets and checks the error
// and that the header comes back when it parsed.
func TestCorrupt(t *testing.T) {
	packet := map[string][]byte{}
	for _, s := range samples() {
		packet[s.name] = mustAppend(s)
	}
	state, hello := packet["state"], packet["hello"]
	plain := typicalState()
	plain.Match = 0 // no extension after the vertices
	plainState := mustAppend(sample{h: testHeader, m: plain})
	const (
		stateBits  = HeaderLen + 6
		stateCount = HeaderLen + 27
		stateTotal = HeaderLen + 25
	)
	helloPeers := HeaderLen + 7 + 1 + len("ada") + 1 + len("lan") + 2 + 4
	helloLedger := helloPeers + 1 + (4 + 1 + 4 + 2) + 2*(4+1+16+2)
	tests := []struct {
		name   string
		b      []byte
		at     int
		val    byte
		want   error
		header bool // the header is returned with the error
	}{
		{"magic 0", state, 0, 'l', ErrMagic, false},
		{"magic 1", state, 1, 'B', ErrMagic, false},
		{"version 0", state, 2, 0, ErrVersion, true},
		{"version 1", state, 2, 1, ErrVersion, true},
		{"version 3", state, 2, 3, ErrVersion, true},
		{"type 0", state, 3, 0, ErrType, true},
		{"type 19 (past the last)", state, 3, 19, ErrType, true},
		{"type 255", state, 3, 255, ErrType, true},
		{"flags", state, 4, 2, ErrField, true},
		// A ChatAck reads the tick; the life (3, 0) then reads as an empty
		// ExtAck, which a ChatAck cannot carry.
		{"type changes length", plainState, 3, byte(TypeChatAck), ErrField, true},
		{"state bits", state, stateBits, 1 << 3, ErrField, true},
		{"state verts > max", state, stateCount, MaxStateVerts + 1, ErrField, true},
		{"state verts > total", state, stateTotal, 3, ErrField, true},
		{"state verts short", plainState, stateCount, 5, ErrShort, true},
		{"hello flags", hello, HeaderLen, 0x10, ErrField, true},
		{"hello mode", hello, HeaderLen + 1, 2, ErrField, true},
		{"hello name len", hello, HeaderLen + 7, MaxNameBytes + 1, ErrField, true},
		{"hello name short", packet["hello-min"], HeaderLen + 7, MaxNameBytes, ErrShort, true},
		{"hello peer count", hello, helloPeers, MaxPeers + 1, ErrField, true},
		{"hello peer count short", hello, helloPeers, MaxPeers, ErrShort, true},
		{"hello peer id", hello, helloPeers + 1, 0, ErrField, true},
		{"hello family", hello, helloPeers + 5, 5, ErrField, true},
		{"hello ledger count", hello, helloLedger, MaxLedger + 1, ErrField, true},
		{"hello ledger short", hello, helloLedger, 3, ErrShort, true},
		{"sender 0", packet["hello-min"], 5, 0, ErrField, true},
		{"trail beyond total", packet["trail"], HeaderLen + 4, 6, ErrField, true},
		{"trail count > max", packet["trail"], HeaderLen + 7, 3, ErrField, true},
		{"trail count short", packet["trail"], HeaderLen + 6, 8, ErrShort, true},
		{"chat len > max", packet["chat"], HeaderLen + 5, 3, ErrField, true},
		{"chat len short", packet["chat"], HeaderLen + 4, 200, ErrShort, true},
		{"move dir", packet["move-req"], HeaderLen + 4, 4, ErrField, true},
		{"move turn", packet["move-req"], HeaderLen + 5, 2, ErrField, true},
		{"cycle owner", packet["cycle-state"], HeaderLen, 0, ErrField, true},
		{"cycle name short", packet["cycle-state"], HeaderLen + 4, 60, ErrShort, true},
		{"cycle trail req owner", packet["cycle-trail-req"], HeaderLen, 0, ErrField, true},
		{"cycle trail owner", packet["cycle-trail"], HeaderLen, 0, ErrField, true},
		{"cycle trail beyond total", packet["cycle-trail"], HeaderLen + 8, 6, ErrField, true},
		{"cycle trail count > max", packet["cycle-trail"], HeaderLen + 11, 3, ErrField, true},
		{"cycle trail count short", packet["cycle-trail"], HeaderLen + 10, 8, ErrShort, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := bytes.Clone(tt.b)
			b[tt.at] = tt.val
			h, m, err := Decode(b)
			if !errors.Is(err, tt.want) || m != nil {
				t.Fatalf("Decode = %v, %v; want %v", m, err, tt.want)
			}
			if tt.header && h == (Header{}) {
				t.Errorf("header not returned: %+v", h)
			}
		})
	}
}

func TestRoomTag(t *testing.T) {
	tests := []struct {
		room string
		want uint32
	}{
		{"", 0x811c9dc5},
		{"a", 0xe40c292c},
		{"lan", 0x56608010},
		{"lanarena", 0xcd528f8f},
	}
	for _, tt := range tests {
		if got := RoomTag(tt.room); got != tt.want {
			t.Errorf("RoomTag(%q) = %#x, want %#x", tt.room, got, tt.want)
		}
		h := fnv.New32a()
		h.Write([]byte(tt.room))
		if got, want := RoomTag(tt.room), h.Sum32(); got != want {
			t.Errorf("RoomTag(%q) = %#x, hash/fnv says %#x", tt.room, got, want)
		}
	}
}

func TestReason(t *testing.T) {
	tests := []struct {
		err  error
		want string
	}{
		{nil, ""},
		{ErrShort, "truncated"},
		{ErrTooBig, "too-big"},
		{ErrMagic, "bad-magic"},
		{ErrVersion, "version"},
		{ErrType, "unknown-type"},
		{ErrTrailing, "trailing-bytes"},
		{ErrField, "bad-field"},
		{ErrAuth, "auth"},
		{fmt.Errorf("%w: detail", ErrField), "bad-field"},
		{errors.New("boom"), "other"},
	}
	for _, tt := range tests {
		if got := Reason(tt.err); got != tt.want {
			t.Errorf("Reason(%v) = %q, want %q", tt.err, got, tt.want)
		}
	}
}

func TestTypeString(t *testing.T) {
	for ty := range Type(255) {
		name := ty.String()
		if ty.Valid() == strings.HasPrefix(name, "type(") || name == "" {
			t.Errorf("Type(%d).String() = %q, Valid = %v", ty, name, ty.Valid())
		}
	}
	if got := TypeCycleState.String(); got != "cycle-state" {
		t.Errorf("TypeCycleState.String() = %q", got)
	}
	if got := TypeCycleTrail.String(); got != "cycle-trail" {
		t.Errorf("TypeCycleTrail.String() = %q", got)
	}
}

func TestPeekHeader(t *testing.T) {
	b := mustAppend(sample{h: testHeader, m: typicalState()})
	h, err := PeekHeader(b[:HeaderLen])
	want := testHeader
	want.Version, want.Type = Version, TypeState
	if err != nil || h != want {
		t.Errorf("PeekHeader = %+v, %v; want %+v", h, err, want)
	}
	if _, err := PeekHeader(b[:HeaderLen-1]); !errors.Is(err, ErrShort) {
		t.Errorf("PeekHeader of a short header: %v, want %v", err, ErrShort)
	}
}

// TestSizes pins the packet sizes that PROTOCOL.md lists.
func TestSizes(t *testing.T) {
	want := map[string]int{
		"hello-min": 34, "hello-max": 722,
		"state-min": 45, "state": 57, "state-max": 93, "state-stream": 71,
		"keepalive": 17, "keepalive-stream": 29, "keepalive-max": 39,
		"leave": 17, "ping": 25, "pong": 25, "trail-req": 21,
		"trail-empty": 25, "trail-max": 1151,
		"chat-empty": 23, "chat-max": 663, "chat-ack": 21,
		"move-req": 23, "move-ack": 65, "move-ack-max": 79,
		"cycle-state-max": 141,
		"cycle-trail-req": 25, "cycle-trail-req-max": 25,
		"cycle-trail-empty": 29, "cycle-trail-max": 1151,
		"challenge": 33, "hello-proof": 56, "hello-proof-max": 738, "refusal": 32, "refusal-max": 154,
	}
	for _, s := range samples() {
		if n, ok := want[s.name]; ok {
			if got := len(mustAppend(s)); got != n {
				t.Errorf("%s: %d bytes, want %d", s.name, got, n)
			}
		}
	}
}

// TestExtensions checks the extension area of version 2: extensions of
// unknown kinds are skipped by their length, a critical one drops the
// packet, and bytes that are not whole extensions are trailing bytes.
func TestExtensions(t *testing.T) {
	for _, s := range samples() {
		b := mustAppend(s)
		if len(b)+MaxExtBytes > MaxPacket-TagLen {
			t.Errorf("%s: %d bytes leave no room for %d bytes of extensions and a tag", s.name, len(b), MaxExtBytes)
		}
	}
	plain := func() *State { s := typicalState(); s.Match = 0; return s }
	matched := func(m uint16, w game.PlayerID) *State { s := plain(); s.Match, s.Winner = m, w; return s }
	base := mustAppend(sample{h: testHeader, m: plain()})
	tests := []struct {
		name string
		ext  []byte
		want error
		m    *State
	}{
		{"none", nil, nil, plain()},
		{"empty extension", []byte{0x09, 0}, nil, plain()},
		{"PROTOCOL.md 10.5", []byte{0x09, 3, 'e', 'x', 't'}, nil, plain()},
		{"two unknown", []byte{0x09, 2, 0xaa, 0xbb, 0x7f, 1, 0xcc}, nil, plain()},
		{"full area", append([]byte{0x09, MaxExtBytes - 2}, make([]byte, MaxExtBytes-2)...), nil, plain()},
		{"over the area", append([]byte{0x03, MaxExtBytes - 1}, make([]byte, MaxExtBytes-1)...), ErrTrailing, nil},
		{"critical", []byte{0x81, 0}, ErrField, nil},
		{"lone kind", []byte{0x03}, ErrTrailing, nil},
		{"length past the end", []byte{0x03, 3, 0}, ErrTrailing, nil},
		{"match and winner", []byte{ExtMatch, 2, 3, 0, ExtWinner, 4, 9, 0, 0, 0}, nil, matched(3, 9)},
		{"winner first", []byte{ExtWinner, 4, 9, 0, 0, 0, ExtMatch, 2, 3, 0}, nil, matched(3, 9)},
		{"match after an unknown one", []byte{0x7f, 0, ExtMatch, 2, 1, 1}, nil, matched(257, 0)},
		{"match twice", []byte{ExtMatch, 2, 3, 0, ExtMatch, 2, 3, 0}, ErrField, nil},
		{"match of another length", []byte{ExtMatch, 6, 3, 0, 9, 0, 0, 0}, ErrField, nil},
		{"winner of another length", []byte{ExtWinner, 2, 9, 0}, ErrField, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, m, err := Decode(append(bytes.Clone(base), tt.ext...))
			if !errors.Is(err, tt.want) || (err == nil) != (m != nil) {
				t.Fatalf("Decode = %v, %v; want %v", m, err, tt.want)
			}
			if err == nil && !reflect.DeepEqual(m, tt.m) {
				t.Errorf("message = %+v, want %+v", m, tt.m)
			}
		})
	}
	ping := mustAppend(sample{h: testHeader, m: &Ping{Nonce: 1}})
	if _, _, err := Decode(append(ping, ExtMatch, 2, 1, 0)); !errors.Is(err, ErrField) {
		t.Errorf("a match extension on a ping: %v, want %v", err, ErrField)
	}
	if b := mustAppend(sample{h: testHeader, m: plain()}); !bytes.Equal(b, base) || bodyEnd(b) != len(b) || len(b) != 53 {
		t.Errorf("a state of no match: %x (%d bytes), want 53 bytes, no extension (PROTOCOL.md 10.1)", b, len(b))
	}
}

// TestForeignName reads the name of a version-1 Hello (the layout of
// version 1, PROTOCOL.md 3.1) and refuses what is not a Hello.
func TestForeignName(t *testing.T) {
	v1 := []byte{'L', 'A', 1, byte(TypeHello), 0, 4, 3, 2, 1, 7, 0, 0, 0, 0x10, 0x80, 0x60, 0x56,
		0, 0, 3, 56, 40, 15, 3, 'b', 'o', 'b', 0, 0, 0}
	if name, ok := ForeignName(v1); !ok || name != "bob" {
		t.Errorf("ForeignName(v1 hello) = %q, %v; want bob", name, ok)
	}
	if _, ok := ForeignName(v1[:HeaderLen+8]); ok {
		t.Error("ForeignName of a cut name succeeded")
	}
	v2 := mustAppend(sample{h: testHeader, m: &Hello{Name: "zoé", Room: "lan"}})
	if name, ok := ForeignName(v2); !ok || name != "zoé" {
		t.Errorf("ForeignName(v2 hello) = %q, %v; want zoé", name, ok)
	}
	v3 := bytes.Clone(v2)
	v3[2] = 3
	if _, ok := ForeignName(v3); ok {
		t.Error("ForeignName read a version-3 hello, whose layout it cannot know")
	}
	if _, ok := ForeignName(mustAppend(sample{h: testHeader, m: &Ping{}})); ok {
		t.Error("ForeignName read a ping")
	}
}
