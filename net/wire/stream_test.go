package wire

import (
	"bytes"
	"errors"
	"reflect"
	"testing"
)

// TestStreamVectors pins the examples of PROTOCOL.md 10.6 and 10.7.
func TestStreamVectors(t *testing.T) {
	b := mustAppend(sample{h: testHeader, m: streamState()})
	const want = "4c41020200" + "04030201" + "07000000" + "10806056" +
		"39300000" + "0300" + "07" + "0c16" + "00" + "00" + "09000000" + "0200" +
		"0400" + "0300" + "0100" + "0300" + "0b00" + "02" +
		"110c" + "1116" +
		"03" + "04" + "34120000" +
		"04" + "04" + "404b4c00" +
		"05" + "08" + "30244c00" + "dc050000"
	if got := hexString(b); got != want {
		t.Errorf("stream state packet:\n got %s\nwant %s", got, want)
	}
	if len(b) != 71 {
		t.Errorf("stream state is %d bytes, want 71", len(b))
	}
	ka := mustAppend(sample{h: testHeader, m: &KeepAlive{Stream: Stream{Ack: 41, Probe: true, Time: 1_000_000}}})
	const wantKA = "4c41021200" + "04030201" + "07000000" + "10806056" +
		"03" + "04" + "29000000" +
		"04" + "04" + "40420f00"
	if got := hexString(ka); got != wantKA {
		t.Errorf("keepalive packet:\n got %s\nwant %s", got, wantKA)
	}
}

// TestStreamExtensions checks where the stream's extensions may come and
// how they are checked: on a State or KeepAlive only, once each, with
// their lengths, never an ack of 0.
func TestStreamExtensions(t *testing.T) {
	plain := func() *State { s := typicalState(); s.Match = 0; return s }
	base := mustAppend(sample{h: testHeader, m: plain()})
	ka := mustAppend(sample{h: testHeader, m: &KeepAlive{}})
	tests := []struct {
		name string
		pkt  []byte
		ext  []byte
		want error
		m    Message
	}{
		{"ack", base, []byte{ExtAck, 4, 1, 0, 0, 0}, nil, func() Message { s := plain(); s.Stream.Ack = 1; return s }()},
		{"ack 0", base, []byte{ExtAck, 4, 0, 0, 0, 0}, ErrField, nil},
		{"ack short", base, []byte{ExtAck, 2, 1, 0}, ErrField, nil},
		{"ack twice", base, []byte{ExtAck, 4, 1, 0, 0, 0, ExtAck, 4, 1, 0, 0, 0}, ErrField, nil},
		{"time", ka, []byte{ExtTime, 4, 0, 0, 0, 0}, nil, &KeepAlive{Stream: Stream{Probe: true}}},
		{"time long", ka, []byte{ExtTime, 5, 0, 0, 0, 0, 0}, ErrField, nil},
		{"echo", ka, []byte{ExtEcho, 8, 1, 0, 0, 0, 2, 0, 0, 0}, nil, &KeepAlive{Stream: Stream{Echoed: true, Echo: 1, Hold: 2}}},
		{"echo short", ka, []byte{ExtEcho, 4, 1, 0, 0, 0}, ErrField, nil},
		{"echo before time", ka, []byte{ExtEcho, 8, 1, 0, 0, 0, 2, 0, 0, 0, ExtTime, 4, 3, 0, 0, 0},
			nil, &KeepAlive{Stream: Stream{Probe: true, Time: 3, Echoed: true, Echo: 1, Hold: 2}}},
		{"keepalive body", ka, []byte{0}, ErrTrailing, nil},
		{"match on a keepalive", ka, []byte{ExtMatch, 2, 1, 0}, ErrField, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, m, err := Decode(append(bytes.Clone(tt.pkt), tt.ext...))
			if !errors.Is(err, tt.want) || (err == nil) != (m != nil) {
				t.Fatalf("Decode = %v, %v; want %v", m, err, tt.want)
			}
			if err == nil && !reflect.DeepEqual(m, tt.m) {
				t.Errorf("message = %+v, want %+v", m, tt.m)
			}
		})
	}
	// Not on the State of a server-mode message, nor on a Ping.
	for _, s := range []sample{
		{"move-ack", testHeader, &MoveAck{Req: 5, Tick: 6, State: *plain()}},
		{"cycle-state", testHeader, &CycleState{Owner: 77, Name: "b", State: *plain()}},
		{"ping", testHeader, &Ping{Nonce: 1}},
	} {
		for _, ext := range [][]byte{{ExtAck, 4, 1, 0, 0, 0}, {ExtTime, 4, 1, 0, 0, 0}, {ExtEcho, 8, 1, 0, 0, 0, 0, 0, 0, 0}} {
			if _, _, err := Decode(append(mustAppend(s), ext...)); !errors.Is(err, ErrField) {
				t.Errorf("%s with extension %d: %v, want %v", s.name, ext[0], err, ErrField)
			}
		}
	}
	// The State inside a MoveAck never writes a stream.
	withStream := plain()
	withStream.Stream = maxStream()
	if a, b := mustAppend(sample{h: testHeader, m: &MoveAck{State: *withStream}}), mustAppend(sample{h: testHeader, m: &MoveAck{State: *plain()}}); !bytes.Equal(a, b) {
		t.Errorf("a MoveAck wrote its State's stream")
	}
}
