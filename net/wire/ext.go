package wire

// The extension area (net/PROTOCOL.md 3.3): after the fixed body of every
// message, up to the tag, come zero or more extensions, each a kind byte,
// a length byte and that many bytes of data. Later revisions of version 2
// add kinds instead of bumping the version: a receiver skips a kind it
// does not know by its length, unless the kind is critical (bit 7 set),
// which says the message means something else without it, and the packet
// is dropped (ErrField).
//
// Version 2 defines no kind yet; this reference implementation sends
// none, and checks and skips what it gets.

// ExtCritical marks an extension kind a receiver must understand.
const ExtCritical uint8 = 1 << 7

// extHeaderLen is the kind and length bytes before an extension's data.
const extHeaderLen = 2

// skipExt checks the extension area b: a whole number of well-formed
// extensions (ErrTrailing otherwise: bytes after the body that are not
// extensions), none of them critical (ErrField), at most MaxExtBytes.
func skipExt(b []byte) error {
	if len(b) > MaxExtBytes {
		return ErrTrailing
	}
	for len(b) > 0 {
		if len(b) < extHeaderLen || len(b) < extHeaderLen+int(b[1]) {
			return ErrTrailing
		}
		if b[0]&ExtCritical != 0 {
			return ErrField
		}
		b = b[extHeaderLen+int(b[1]):]
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
