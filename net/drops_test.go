package net

import (
	"errors"
	"testing"

	"lanarena/net/wire"
)

// TestCodecDropsAreListed: every reason the decoder can give is one of
// the listed drop reasons, and the decoder's rejections count as bad,
// but for another version and a type this version does not know (a later
// revision of version 2 adds types, PROTOCOL.md 4).
func TestCodecDropsAreListed(t *testing.T) {
	for _, err := range []error{wire.ErrShort, wire.ErrTooBig, wire.ErrMagic,
		wire.ErrTrailing, wire.ErrField, wire.ErrAuth, errors.New("other")} {
		r := codecDrop(err)
		if !r.Bad() {
			t.Errorf("codecDrop(%v) = %q, which is not a bad drop", err, r)
		}
	}
	if r := codecDrop(wire.ErrVersion); r != DropVersion || r.Bad() {
		t.Errorf("codecDrop(ErrVersion) = %q (bad %v), want %q, not bad", r, r.Bad(), DropVersion)
	}
	if r := codecDrop(wire.ErrType); r != DropUnknownType || r.Bad() {
		t.Errorf("codecDrop(ErrType) = %q (bad %v), want %q, not bad", r, r.Bad(), DropUnknownType)
	}
}
