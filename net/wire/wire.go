// Package wire is lanarena's binary packet codec: a fixed header, one
// message per packet, an optional authentication trailer for private rooms
// and a sliding-window replay filter. net/PROTOCOL.md is the specification;
// this package is its reference implementation.
//
// Everything here is a pure function of its arguments: no goroutines, no
// clocks, no I/O. Decode treats its input as hostile: it checks bounds
// before every read, checks every length against both its limit and the
// bytes that remain, never panics, and reports each rejection with one of a
// few named errors (see Reason) so that callers can count drops by cause.
package wire

import (
	"encoding/binary"
	"errors"
	"fmt"

	"lanarena/game"
)

// Version is the protocol version this package speaks.
const Version = 2

// Sizes, in bytes.
const (
	MaxPacket = 1200 // largest packet, header and tag included
	HeaderLen = 17   // fixed header
	TagLen    = 16   // authentication trailer, present when FlagAuth is set
)

// Header flags.
const (
	// FlagAuth marks a packet whose last TagLen bytes are an authentication
	// tag (see Seal). Append never sets it; Seal does.
	FlagAuth uint8 = 1 << 0

	knownFlags = FlagAuth
)

// Offsets of header fields, for the few functions that touch raw bytes.
const (
	offVersion = 2
	offType    = 3
	offFlags   = 4
	offSender  = 5
	offSeq     = 9
	offRoom    = 13
)

// magic opens every packet: "LA".
const magic0, magic1 = 'L', 'A'

// Header is the fixed part of every packet.
type Header struct {
	// Version is the sender's protocol version. Decode and PeekHeader fill
	// it in; Append always writes the package's Version.
	Version uint8
	// Type is the message type. Append takes it from the message.
	Type Type
	// Flags holds FlagAuth or nothing.
	Flags uint8
	// Sender is the sending player; never 0.
	Sender game.PlayerID
	// Seq counts the sender's packets, of every type: +1 per packet.
	Seq uint32
	// Room is RoomTag of the sender's room name.
	Room uint32
}

// Type is a message type.
type Type uint8

// Message types.
//
// The numbers are the protocol: append only, never renumber or reuse.
const (
	TypeHello         Type = 1
	TypeState         Type = 2
	TypeLeave         Type = 3
	TypePing          Type = 4
	TypePong          Type = 5
	TypeTrailReq      Type = 6
	TypeTrail         Type = 7
	TypeChat          Type = 8
	TypeChatAck       Type = 9
	TypeMoveReq       Type = 10
	TypeMoveAck       Type = 11
	TypeCycleState    Type = 12
	TypeCycleTrailReq Type = 13
	TypeCycleTrail    Type = 14
	TypeChallenge     Type = 15
	TypeHelloProof    Type = 16
	TypeRefusal       Type = 17
	TypeKeepAlive     Type = 18

	maxType = TypeKeepAlive
)

var typeNames = [...]string{
	TypeHello:         "hello",
	TypeState:         "state",
	TypeLeave:         "leave",
	TypePing:          "ping",
	TypePong:          "pong",
	TypeTrailReq:      "trail-req",
	TypeTrail:         "trail",
	TypeChat:          "chat",
	TypeChatAck:       "chat-ack",
	TypeMoveReq:       "move-req",
	TypeMoveAck:       "move-ack",
	TypeCycleState:    "cycle-state",
	TypeCycleTrailReq: "cycle-trail-req",
	TypeCycleTrail:    "cycle-trail",
	TypeChallenge:     "challenge",
	TypeHelloProof:    "hello-proof",
	TypeRefusal:       "refusal",
	TypeKeepAlive:     "keepalive",
}

// Valid reports whether t is a type this version knows.
func (t Type) Valid() bool { return t >= TypeHello && t <= maxType }

func (t Type) String() string {
	if t.Valid() {
		return typeNames[t]
	}
	return fmt.Sprintf("type(%d)", uint8(t))
}

// Message is the body of a packet: one of *Hello, *State, *Leave, *Ping,
// *Pong, *TrailReq, *Trail, *Chat, *ChatAck, *MoveReq, *MoveAck,
// *CycleState, *CycleTrailReq, *CycleTrail, *Challenge, *HelloProof,
// *Refusal and *KeepAlive.
type Message interface {
	Type() Type
}

// Reasons for rejecting a packet. Decode, PeekHeader and Open return these
// unwrapped; Append and Seal may wrap them with details.
var (
	ErrShort    = errors.New("wire: truncated packet")
	ErrTooBig   = errors.New("wire: packet too big")
	ErrMagic    = errors.New("wire: bad magic")
	ErrVersion  = errors.New("wire: unsupported version")
	ErrType     = errors.New("wire: unknown message type")
	ErrTrailing = errors.New("wire: trailing bytes")
	ErrField    = errors.New("wire: invalid field")
	ErrAuth     = errors.New("wire: authentication failed")
)

// Reason returns a short, stable name for err, for drop counters: one of
// "truncated", "too-big", "bad-magic", "version", "unknown-type",
// "trailing-bytes", "bad-field", "auth", or "other" for an error that is
// none of this package's. It returns "" for nil.
func Reason(err error) string {
	switch {
	case err == nil:
		return ""
	case errors.Is(err, ErrShort):
		return "truncated"
	case errors.Is(err, ErrTooBig):
		return "too-big"
	case errors.Is(err, ErrMagic):
		return "bad-magic"
	case errors.Is(err, ErrVersion):
		return "version"
	case errors.Is(err, ErrType):
		return "unknown-type"
	case errors.Is(err, ErrTrailing):
		return "trailing-bytes"
	case errors.Is(err, ErrField):
		return "bad-field"
	case errors.Is(err, ErrAuth):
		return "auth"
	}
	return "other"
}

// RoomTag returns the 32-bit FNV-1a hash of the room name's bytes. Packets
// carry it so that rooms sharing a LAN ignore each other cheaply; it is a
// filter, not a secret.
func RoomTag(room string) uint32 {
	const offset32, prime32 = 2166136261, 16777619
	h := uint32(offset32)
	for i := 0; i < len(room); i++ {
		h ^= uint32(room[i])
		h *= prime32
	}
	return h
}

// Append appends the packet made of h and m to buf and returns the extended
// slice. It writes Version and m's type whatever h.Version and h.Type say.
// h.Sender must not be 0 and h.Flags must be 0: only Seal sets FlagAuth.
//
// Every field must fit its wire size and limit, or Append fails with
// ErrField; a packet over MaxPacket fails with ErrTooBig (no message within
// its limits is that big, so this does not happen in practice). On error,
// buf is returned with its original length.
func Append(buf []byte, h Header, m Message) ([]byte, error) {
	if m == nil {
		return buf, fmt.Errorf("%w: nil message", ErrType)
	}
	if h.Sender == 0 {
		return buf, fmt.Errorf("%w: sender 0", ErrField)
	}
	if h.Flags != 0 {
		return buf, fmt.Errorf("%w: header flags %#x (only Seal sets flags)", ErrField, h.Flags)
	}
	start := len(buf)
	b := append(buf, magic0, magic1, Version, uint8(m.Type()), h.Flags)
	b = le.AppendUint32(b, uint32(h.Sender))
	b = le.AppendUint32(b, h.Seq)
	b = le.AppendUint32(b, h.Room)
	b, err := appendBody(b, m)
	if err != nil {
		return buf[:start], err
	}
	if n := len(b) - start; n > MaxPacket {
		return buf[:start], fmt.Errorf("%w: %d bytes", ErrTooBig, n)
	}
	return b, nil
}

// PeekHeader parses and checks the header of packet b without looking at
// the body. Once the magic matched, it returns the header it read even
// with an error: ErrTooBig for more than MaxPacket bytes, ErrVersion for
// another version (the fields after the version byte are read in this
// version's layout, which later versions keep), ErrField for unknown flags
// or sender 0, ErrType for an unknown type.
func PeekHeader(b []byte) (Header, error) {
	if len(b) < HeaderLen {
		return Header{}, ErrShort
	}
	if b[0] != magic0 || b[1] != magic1 {
		return Header{}, ErrMagic
	}
	h := Header{
		Version: b[offVersion],
		Type:    Type(b[offType]),
		Flags:   b[offFlags],
		Sender:  game.PlayerID(le.Uint32(b[offSender:])),
		Seq:     le.Uint32(b[offSeq:]),
		Room:    le.Uint32(b[offRoom:]),
	}
	switch {
	case len(b) > MaxPacket:
		return h, ErrTooBig
	case h.Version != Version:
		return h, ErrVersion
	case h.Flags&^knownFlags != 0, h.Sender == 0:
		return h, ErrField
	case !h.Type.Valid():
		return h, ErrType
	}
	return h, nil
}

// Decode parses packet b. When FlagAuth is set, it ignores the last TagLen
// bytes without checking them: call Open first to verify them.
//
// Decode never panics. On error it returns one of the named errors, and
// also the header whenever PeekHeader could read one, so that the caller
// can count the drop against its sender. The message shares no memory with
// b.
func Decode(b []byte) (Header, Message, error) {
	h, err := PeekHeader(b)
	if err != nil {
		return h, nil, err
	}
	body := b[HeaderLen:]
	if h.Flags&FlagAuth != 0 {
		if len(body) < TagLen {
			return h, nil, ErrShort
		}
		body = body[:len(body)-TagLen]
	}
	m, err := decodeBody(h.Type, body)
	if err != nil {
		return h, nil, err
	}
	return h, m, nil
}

var le = binary.LittleEndian
