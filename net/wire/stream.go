package wire

// The send-on-change stream (net/PROTOCOL.md 3.3, 4.18, 7.5): an owner
// sends its State only when something changed, as a repeat or as a
// keepalive, and what used to travel beside the States in Pings and
// Pongs rides on them as extensions: the acknowledgement of the
// receiver's own State, and an RTT probe (a timestamp and the echo of the
// receiver's). A spectator, which owns no State, sends KeepAlives that
// carry the same extensions.

// Extension kinds of the stream, on State (not on the State inside a
// MoveAck or CycleState) and KeepAlive only.
const (
	// ExtAck carries Stream.Ack (u32).
	ExtAck uint8 = 3
	// ExtTime carries Stream.Time (u32).
	ExtTime uint8 = 4
	// ExtEcho carries Stream.Echo then Stream.Hold (u32 each).
	ExtEcho uint8 = 5

	extAckLen  = 4
	extTimeLen = 4
	extEchoLen = 8

	maxExtKind = ExtEcho
)

// Stream is what the send-on-change stream carries beside a State or in a
// KeepAlive, each part optional.
type Stream struct {
	// Ack is the header seq of the newest State the sender has applied
	// from the receiver (0: none yet; seqs start at 1, so 0 is never an
	// acknowledgement and is not sent).
	Ack uint32
	// Time is the sender's clock in microseconds (mod 2³²), sent when
	// Probe is set: the receiver echoes it.
	Probe bool
	Time  uint32
	// Echo is the latest Time heard from the receiver and Hold the
	// microseconds between hearing it and sending this packet, sent when
	// Echoed is set: the receiver's round trip is its clock now − Echo −
	// Hold.
	Echoed bool
	Echo   uint32
	Hold   uint32
}

// KeepAlive (type 18) has an empty body: it says the sender is there and
// carries the stream's extensions. A peer that owns no State (a
// spectator) sends it.
type KeepAlive struct{ Stream Stream }

// Type implements Message.
func (*KeepAlive) Type() Type { return TypeKeepAlive }

// streamOf is the Stream a message carries, or nil for a message that
// carries none (MoveAck and CycleState embed a State but not its stream).
func streamOf(m Message) *Stream {
	switch m := m.(type) {
	case *State:
		return &m.Stream
	case *KeepAlive:
		return &m.Stream
	}
	return nil
}

// streamExt writes the stream extensions of m, in kind order.
func (w *writer) streamExt(m Message) {
	s := streamOf(m)
	if s == nil {
		return
	}
	if s.Ack != 0 {
		w.u8(ExtAck)
		w.u8(extAckLen)
		w.u32(s.Ack)
	}
	if s.Probe {
		w.u8(ExtTime)
		w.u8(extTimeLen)
		w.u32(s.Time)
	}
	if s.Echoed {
		w.u8(ExtEcho)
		w.u8(extEchoLen)
		w.u32(s.Echo)
		w.u32(s.Hold)
	}
}

// readStreamExt takes in one stream extension of kind ExtAck, ExtTime or
// ExtEcho; false when m carries no stream, or the length or value is
// wrong.
func readStreamExt(m Message, kind uint8, data []byte) bool {
	s := streamOf(m)
	if s == nil {
		return false
	}
	switch {
	case kind == ExtAck && len(data) == extAckLen:
		s.Ack = le.Uint32(data)
		return s.Ack != 0 // 0 is not sent
	case kind == ExtTime && len(data) == extTimeLen:
		s.Probe, s.Time = true, le.Uint32(data)
	case kind == ExtEcho && len(data) == extEchoLen:
		s.Echoed, s.Echo, s.Hold = true, le.Uint32(data), le.Uint32(data[4:])
	default:
		return false
	}
	return true
}
