package wire

import "lanarena/game"

// The extension area (net/PROTOCOL.md 3.3): after the fixed body of every
// message, up to the tag, come zero or more extensions, each a kind byte,
// a length byte and that many bytes of data. Later revisions of version 2
// add kinds instead of bumping the version: a receiver skips a kind it
// does not know by its length, unless the kind is critical (bit 7 set),
// which says the message means something else without it, and the packet
// is dropped (ErrField).
//
// Version 2 defines two kinds, ExtMatch and ExtWinner, on the messages
// that carry a State: the match fields, which only rooms of matches need,
// so that the hot message of drop-in play stays small.

// ExtCritical marks an extension kind a receiver must understand.
const ExtCritical uint8 = 1 << 7

// Extension kinds. The numbers are the protocol: append only.
const (
	// ExtMatch carries State.Match (u16) on a State, MoveAck or
	// CycleState; absent, it is 0 (drop-in play).
	ExtMatch uint8 = 1
	// ExtWinner carries State.Winner (u32) on the same messages, only
	// while a match's result shows; absent, it is 0.
	ExtWinner uint8 = 2

	extMatchLen  = 2
	extWinnerLen = 4
)

// extHeaderLen is the kind and length bytes before an extension's data.
const extHeaderLen = 2

// ext writes the extensions of m, in kind order: ExtMatch when its State
// has a match, ExtWinner when it names a winner.
func (w *writer) ext(m Message) {
	defer w.streamExt(m)
	s := stateOf(m)
	if s == nil {
		return
	}
	if s.Match != 0 {
		w.u8(ExtMatch)
		w.u8(extMatchLen)
		w.u16(s.Match)
	}
	if s.Winner != 0 {
		w.u8(ExtWinner)
		w.u8(extWinnerLen)
		w.u32(uint32(s.Winner))
	}
}

// stateOf is the State a message carries, or nil.
func stateOf(m Message) *State {
	switch m := m.(type) {
	case *State:
		return m
	case *MoveAck:
		return &m.State
	case *CycleState:
		return &m.State
	}
	return nil
}

// readExt checks the extension area b of message m and takes in the
// kinds it knows: a whole number of well-formed extensions (ErrTrailing
// otherwise: bytes after the body that are not extensions), at most
// MaxExtBytes, no critical kind (ErrField), and a known kind at most once,
// with its length, where it applies (ErrField).
func readExt(m Message, b []byte) error {
	if len(b) > MaxExtBytes {
		return ErrTrailing
	}
	var seen [maxExtKind + 1]bool
	for len(b) > 0 {
		if len(b) < extHeaderLen || len(b) < extHeaderLen+int(b[1]) {
			return ErrTrailing
		}
		kind, data := b[0], b[extHeaderLen:extHeaderLen+int(b[1])]
		b = b[extHeaderLen+len(data):]
		s := stateOf(m)
		switch {
		case kind&ExtCritical != 0:
			return ErrField
		case kind > maxExtKind || kind == 0:
			continue // a later revision's: skipped
		case seen[kind]:
			return ErrField
		case kind >= ExtAck:
			if !readStreamExt(m, kind, data) {
				return ErrField
			}
		case s == nil:
			return ErrField
		case kind == ExtMatch && len(data) == extMatchLen:
			s.Match = le.Uint16(data)
		case kind == ExtWinner && len(data) == extWinnerLen:
			s.Winner = game.PlayerID(le.Uint32(data))
		default:
			return ErrField
		}
		seen[kind] = true
	}
	return nil
}

// helloNameAt is where the name of a Hello starts in its body, by
// protocol version: version 1 has six fixed bytes before it, version 2
// seven (FirstTo joined the rules).
var helloNameAt = map[uint8]int{1: 6, 2: 7}

// ForeignName reads the sender's name from a Hello of another protocol
// version whose layout this package knows (1 and 2), so that the player
// can be told who runs another lanarena. The name is raw bytes: clean it
// before display. ok is false for anything else.
func ForeignName(b []byte) (name string, ok bool) {
	h, err := PeekHeader(b)
	if err != nil && err != ErrVersion || h.Type != TypeHello {
		return "", false
	}
	at, known := helloNameAt[h.Version]
	if !known || len(b) < HeaderLen+at+1 {
		return "", false
	}
	r := reader{b: b[HeaderLen+at:]}
	name = r.str8(MaxNameBytes)
	return name, r.err == nil
}
