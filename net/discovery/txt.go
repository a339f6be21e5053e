package discovery

import (
	"errors"
	"fmt"
	"net/netip"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Limits of the TXT values. They bound what a stranger can make us hold;
// the game applies its own, stricter rules to what it shows.
const (
	MaxNameBytes  = 64 // a name of 16 runes of up to 4 bytes
	MaxRoomBytes  = 64
	MaxTokenBytes = 16   // mode and role
	MaxSize       = 1000 // width and height
	MaxTickRate   = 1000
	MaxFirstTo    = 1000
)

// ErrBadTXT is wrapped by every error of ParseTXT and Announcement.TXT.
var ErrBadTXT = errors.New("not a valid lanarena TXT record")

// Announcement is what a peer tells the LAN about itself. It travels as
// the TXT record of the peer's service instance, as key=value strings:
//
//	v       protocol version, decimal, 1..65535 (required)
//	id      player id, 8 lowercase hex digits; 1..8 hex digits of either
//	        case are accepted; never zero (required)
//	name    player name, UTF-8 without control characters, ≤ 64 bytes,
//	        in Unicode NFC (a name in another form is read as its NFC form)
//	room    room name, same rules
//	mode    "p2p", "server", ...: lowercase letters, digits, '-', ≤ 16 bytes
//	role    "player", "host", "spectator", ...: same rules
//	locked  "1" when the room needs a secret (the secret itself never
//	        travels), else "0"; "true" and "false" are accepted
//	w, h    arena size in cells, decimal, 1..1000
//	tick    ticks per second, decimal, 1..1000
//	first   matches: kills that win one, decimal, 1..1000; absent for
//	        drop-in play (protocol 2)
//
// Keys are case-insensitive; as RFC 6763 says, only the first occurrence
// of a key counts. Unknown keys are ignored, so later versions may add
// some. Port and IPs travel in the SRV and A/AAAA records.
type Announcement struct {
	ID       uint32
	Name     string
	Room     string
	Mode     string
	Role     string
	Version  int
	Port     int          // UDP port of the game
	IPs      []netip.Addr // to advertise; empty: LocalIPs. In an Entry: those seen
	Locked   bool
	Width    int
	Height   int
	TickRate int
	FirstTo  int // 0: drop-in play, not written
}

// TXT encodes a as TXT strings, checking it against the rules ParseTXT
// applies, so that what one peer advertises the others accept.
func (a Announcement) TXT() ([]string, error) {
	if err := a.validate(); err != nil {
		return nil, err
	}
	txt := []string{
		"v=" + strconv.Itoa(a.Version),
		"id=" + formatID(a.ID),
		"name=" + Canonical(a.Name),
		"room=" + Canonical(a.Room),
	}
	if a.Mode != "" {
		txt = append(txt, "mode="+a.Mode)
	}
	if a.Role != "" {
		txt = append(txt, "role="+a.Role)
	}
	locked := "0"
	if a.Locked {
		locked = "1"
	}
	txt = append(txt, "locked="+locked)
	for _, kv := range []struct {
		k string
		v int
	}{{"w", a.Width}, {"h", a.Height}, {"tick", a.TickRate}, {"first", a.FirstTo}} {
		if kv.v != 0 {
			txt = append(txt, kv.k+"="+strconv.Itoa(kv.v))
		}
	}
	return txt, nil
}

func (a Announcement) validate() error {
	switch {
	case a.Version < 1 || a.Version > 65535:
		return fmt.Errorf("version %d outside 1..65535: %w", a.Version, ErrBadTXT)
	case a.ID == 0:
		return fmt.Errorf("id 0: %w", ErrBadTXT)
	}
	for _, f := range []struct {
		key, val string
		check    func(string, string) error
	}{
		{"name", Canonical(a.Name), text(MaxNameBytes)},
		{"room", Canonical(a.Room), text(MaxRoomBytes)},
		{"mode", a.Mode, token},
		{"role", a.Role, token},
	} {
		if err := f.check(f.key, f.val); err != nil {
			return err
		}
	}
	for _, f := range []struct {
		key      string
		val, max int
	}{{"w", a.Width, MaxSize}, {"h", a.Height, MaxSize}, {"tick", a.TickRate, MaxTickRate}, {"first", a.FirstTo, MaxFirstTo}} {
		if f.val != 0 && (f.val < 1 || f.val > f.max) {
			return fmt.Errorf("%s %d outside 1..%d: %w", f.key, f.val, f.max, ErrBadTXT)
		}
	}
	return nil
}

// ParseTXT decodes and validates the TXT strings of a lanarena instance.
// It returns an error wrapping ErrBadTXT for a record of another program
// (no v or id) or a garbled one. Port and IPs are left zero.
func ParseTXT(txt []string) (Announcement, error) {
	var a Announcement
	seen := make(map[string]bool)
	for _, s := range txt {
		if len(s) > 255 {
			return Announcement{}, fmt.Errorf("string of %d bytes: %w", len(s), ErrBadTXT)
		}
		k, v, hasValue := strings.Cut(s, "=")
		k = strings.ToLower(k)
		if k == "" || seen[k] {
			continue // RFC 6763 §6.4, §6.5: no key, or not the first
		}
		seen[k] = true
		parse, known := fields[k]
		if !known {
			continue
		}
		if !hasValue {
			return Announcement{}, fmt.Errorf("%s has no value: %w", k, ErrBadTXT)
		}
		if err := parse(&a, k, v); err != nil {
			return Announcement{}, err
		}
	}
	switch {
	case !seen["v"]:
		return Announcement{}, fmt.Errorf("no version: %w", ErrBadTXT)
	case !seen["id"]:
		return Announcement{}, fmt.Errorf("no id: %w", ErrBadTXT)
	}
	return a, nil
}

// fields parses each known key into an Announcement.
var fields = map[string]func(a *Announcement, k, v string) error{
	"v": func(a *Announcement, k, v string) error {
		n, err := number(k, v, 1, 65535)
		a.Version = n
		return err
	},
	"id": func(a *Announcement, k, v string) error {
		id, err := parseID(v)
		a.ID = id
		return err
	},
	"name": func(a *Announcement, k, v string) error {
		a.Name = Canonical(v)
		return text(MaxNameBytes)(k, a.Name)
	},
	"room": func(a *Announcement, k, v string) error {
		a.Room = Canonical(v)
		return text(MaxRoomBytes)(k, a.Room)
	},
	"mode": func(a *Announcement, k, v string) error {
		a.Mode = v
		return token(k, v)
	},
	"role": func(a *Announcement, k, v string) error {
		a.Role = v
		return token(k, v)
	},
	"locked": func(a *Announcement, k, v string) error {
		switch v {
		case "1", "true":
			a.Locked = true
		case "0", "false":
			a.Locked = false
		default:
			return fmt.Errorf("%s=%q: %w", k, v, ErrBadTXT)
		}
		return nil
	},
	"w": func(a *Announcement, k, v string) (err error) {
		a.Width, err = number(k, v, 1, MaxSize)
		return err
	},
	"h": func(a *Announcement, k, v string) (err error) {
		a.Height, err = number(k, v, 1, MaxSize)
		return err
	},
	"tick": func(a *Announcement, k, v string) (err error) {
		a.TickRate, err = number(k, v, 1, MaxTickRate)
		return err
	},
	"first": func(a *Announcement, k, v string) (err error) {
		a.FirstTo, err = number(k, v, 1, MaxFirstTo)
		return err
	},
}

func formatID(id uint32) string { return fmt.Sprintf("%08x", id) }

func parseID(s string) (uint32, error) {
	if len(s) < 1 || len(s) > 8 {
		return 0, fmt.Errorf("id %q: want 1..8 hex digits: %w", s, ErrBadTXT)
	}
	for _, c := range []byte(s) {
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
			return 0, fmt.Errorf("id %q: want hex digits: %w", s, ErrBadTXT)
		}
	}
	id, _ := strconv.ParseUint(s, 16, 32) // cannot fail: checked above
	if id == 0 {
		return 0, fmt.Errorf("id 0: %w", ErrBadTXT)
	}
	return uint32(id), nil
}

// number parses a decimal in lo..hi, digits only (no sign, no spaces).
func number(k, v string, lo, hi int) (int, error) {
	if len(v) == 0 || len(v) > 6 || strings.TrimLeft(v, "0123456789") != "" {
		return 0, fmt.Errorf("%s=%q: want a decimal number: %w", k, v, ErrBadTXT)
	}
	n, _ := strconv.Atoi(v)
	if n < lo || n > hi {
		return 0, fmt.Errorf("%s=%d outside %d..%d: %w", k, n, lo, hi, ErrBadTXT)
	}
	return n, nil
}

// text accepts UTF-8 without control characters, up to max bytes.
func text(max int) func(k, v string) error {
	return func(k, v string) error {
		if len(v) > max {
			return fmt.Errorf("%s of %d bytes, more than %d: %w", k, len(v), max, ErrBadTXT)
		}
		if !utf8.ValidString(v) {
			return fmt.Errorf("%s is not UTF-8: %w", k, ErrBadTXT)
		}
		if strings.IndexFunc(v, unicode.IsControl) >= 0 {
			return fmt.Errorf("%s has control characters: %w", k, ErrBadTXT)
		}
		return nil
	}
}

// token accepts lowercase letters, digits and '-', up to MaxTokenBytes.
func token(k, v string) error {
	if len(v) > MaxTokenBytes {
		return fmt.Errorf("%s of %d bytes, more than %d: %w", k, len(v), MaxTokenBytes, ErrBadTXT)
	}
	for _, c := range []byte(v) {
		if !('a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-') {
			return fmt.Errorf("%s=%q: want lowercase letters, digits and '-': %w", k, v, ErrBadTXT)
		}
	}
	return nil
}
