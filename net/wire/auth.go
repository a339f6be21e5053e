package wire

import (
	"crypto/hmac"
	"crypto/sha256"
	"fmt"
)

// keyContext is what Key authenticates, so that one secret yields a
// different key in every room and every protocol version.
const keyContext = "lanarena v1 room "

// Key derives the authentication key of a private room from its name and
// secret: HMAC-SHA256 with the secret as key over "lanarena v1 room "
// followed by the room name.
//
// The key authenticates packets; it does not hide them. A weak secret can
// be guessed offline by anyone who captures a sealed packet.
func Key(room, secret string) [32]byte {
	h := hmac.New(sha256.New, []byte(secret))
	h.Write([]byte(keyContext))
	h.Write([]byte(room))
	var k [32]byte
	h.Sum(k[:0])
	return k
}

// Seal authenticates packet b, as made by Append, with key: it sets
// FlagAuth in b's header, in place, and appends the first TagLen bytes of
// HMAC-SHA256(key, b with the flag set). Like append, it may reuse b's
// storage. It fails, leaving b unchanged, with ErrShort or ErrMagic if b is
// no packet, ErrField if b is sealed already, and ErrTooBig if the tag
// would take b over MaxPacket.
func Seal(b []byte, key *[32]byte) ([]byte, error) {
	switch {
	case len(b) < HeaderLen:
		return b, ErrShort
	case b[0] != magic0 || b[1] != magic1:
		return b, ErrMagic
	case b[offFlags]&FlagAuth != 0:
		return b, fmt.Errorf("%w: packet already sealed", ErrField)
	case len(b)+TagLen > MaxPacket:
		return b, fmt.Errorf("%w: %d bytes with the tag", ErrTooBig, len(b)+TagLen)
	}
	b[offFlags] |= FlagAuth
	tag := mac(key, b)
	return append(b, tag[:TagLen]...), nil
}

// Open verifies the tag of a sealed packet b with key, in constant time.
// On success it returns b unchanged: FlagAuth set and the tag in place,
// which is what Decode expects. It returns ErrAuth if b has no FlagAuth or
// the tag does not match, and ErrShort, ErrMagic or ErrTooBig if b is no
// packet at all.
func Open(b []byte, key *[32]byte) ([]byte, error) {
	switch {
	case len(b) < HeaderLen:
		return nil, ErrShort
	case b[0] != magic0 || b[1] != magic1:
		return nil, ErrMagic
	case len(b) > MaxPacket:
		return nil, ErrTooBig
	case b[offFlags]&FlagAuth == 0:
		return nil, ErrAuth
	case len(b) < HeaderLen+TagLen:
		return nil, ErrShort
	}
	n := len(b) - TagLen
	want := mac(key, b[:n])
	if !hmac.Equal(want[:TagLen], b[n:]) {
		return nil, ErrAuth
	}
	return b, nil
}

// mac returns HMAC-SHA256(key, msg), for msg of at most MaxPacket bytes.
// It is crypto/hmac written out over sha256.Sum256 so that sealing and
// opening allocate nothing; the tests check it against crypto/hmac.
func mac(key *[32]byte, msg []byte) [sha256.Size]byte {
	const (
		blockSize = sha256.BlockSize
		ipad      = 0x36
		opad      = 0x5c
	)
	var in [blockSize + MaxPacket]byte
	var out [blockSize + sha256.Size]byte
	for i := range blockSize {
		var k byte
		if i < len(key) {
			k = key[i]
		}
		in[i] = k ^ ipad
		out[i] = k ^ opad
	}
	n := copy(in[blockSize:], msg)
	inner := sha256.Sum256(in[:blockSize+n])
	copy(out[blockSize:], inner[:])
	return sha256.Sum256(out[:])
}
