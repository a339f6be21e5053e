package wire

import (
	"fmt"

	"lanarena/game"
)

// CookieLen is the size of a return-routability cookie.
const CookieLen = 16

// Challenge answers a Hello from an address that has not proven it can
// receive: the sender must echo Cookie in a HelloProof to be admitted.
// The cookie is opaque to everyone but the peer that made it.
type Challenge struct {
	Cookie [CookieLen]byte
}

// HelloProof is a Hello that echoes the Cookie of a Challenge the
// receiver sent to this address. Its Hello is laid out as Hello's body.
type HelloProof struct {
	Cookie [CookieLen]byte
	Hello  Hello
}

// RefusalReason says why a Hello was not admitted.
type RefusalReason uint8

// Refusal reasons. The numbers are the protocol: append only.
const (
	RefuseOtherRoom    RefusalReason = 1 // the refuser plays in room Room
	RefuseIncompatible RefusalReason = 2 // the refuser's room has Params and Mode
	RefuseLocked       RefusalReason = 3 // the room is private and the Hello was not sealed
	RefuseAuth         RefusalReason = 4 // the Hello's tag did not verify: another secret
	RefuseOpen         RefusalReason = 5 // the Hello was sealed but the room is open
	RefuseFull         RefusalReason = 6 // Players players already play
)

var refusalNames = [...]string{
	RefuseOtherRoom:    "other-room",
	RefuseIncompatible: "incompatible",
	RefuseLocked:       "locked",
	RefuseAuth:         "auth",
	RefuseOpen:         "open",
	RefuseFull:         "full",
}

func (r RefusalReason) String() string {
	if r > 0 && int(r) < len(refusalNames) {
		return refusalNames[r]
	}
	return fmt.Sprintf("reason(%d)", uint8(r))
}

// Refusal tells the sender of a Hello why it was not admitted, with the
// refuser's own name, room, settings and player count, so that the
// newcomer can say what to change. It is never sealed, and passes the
// receiver's room check: it is about a room the receiver is not in.
type Refusal struct {
	Reason  RefusalReason // never 0; receivers show unknown reasons as such
	Mode    Mode
	Params  game.Params
	Players uint8
	Name    string // raw bytes, at most MaxNameBytes; clean before display
	Room    string // raw bytes, at most MaxRoomBytes; clean before display
}

// Type implements Message.
func (*Challenge) Type() Type { return TypeChallenge }

// Type implements Message.
func (*HelloProof) Type() Type { return TypeHelloProof }

// Type implements Message.
func (*Refusal) Type() Type { return TypeRefusal }

// PeekCookie returns the cookie a HelloProof packet b echoes, without
// decoding the rest, so that a receiver can check it before spending
// anything on the packet. ok is false when b is no HelloProof or is too
// short to hold a cookie.
func PeekCookie(b []byte) (cookie [CookieLen]byte, ok bool) {
	if len(b) < HeaderLen+CookieLen || Type(b[offType]) != TypeHelloProof {
		return cookie, false
	}
	copy(cookie[:], b[HeaderLen:])
	return cookie, true
}
