package wire

import "fmt"

// Mode is the synchronisation model of a room, carried in Hello.Mode. It
// is the one name of a mode everywhere: flags, mDNS records, snapshots.
type Mode uint8

// Room modes. The numbers are the protocol.
const (
	ModeP2P    Mode = 0 // every peer owns its cycle
	ModeServer Mode = 1 // the host owns every cycle; clients ask it to move
)

var modeNames = [...]string{ModeP2P: "p2p", ModeServer: "server"}

// Valid reports whether m is a mode this version knows.
func (m Mode) Valid() bool { return int(m) < len(modeNames) }

// String is the mode's name in flags and mDNS records: "p2p" or "server".
func (m Mode) String() string {
	if m.Valid() {
		return modeNames[m]
	}
	return fmt.Sprintf("mode(%d)", uint8(m))
}

// ParseMode reads a mode's name; "" is the default, ModeP2P.
func ParseMode(s string) (Mode, error) {
	if s == "" {
		return ModeP2P, nil
	}
	for m, name := range modeNames {
		if s == name {
			return Mode(m), nil
		}
	}
	return 0, fmt.Errorf("unknown mode %q (want p2p or server)", s)
}

// MarshalText writes the mode's name (JSON, flags).
func (m Mode) MarshalText() ([]byte, error) {
	if !m.Valid() {
		return nil, fmt.Errorf("unknown mode %d", uint8(m))
	}
	return []byte(m.String()), nil
}

// UnmarshalText reads a mode's name.
func (m *Mode) UnmarshalText(b []byte) error {
	v, err := ParseMode(string(b))
	if err != nil {
		return err
	}
	*m = v
	return nil
}
