package game

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Name, room and chat limits, in runes. Each is the one definition of its
// limit: flags, screens and the peer layer all use these.
const (
	MaxNameRunes = 16
	MaxRoomRunes = 24
	MaxChatRunes = 160
)

// Text is text that is safe to put on a terminal: it went through
// CleanText (Clean, CleanName) where it entered, from the network, a
// flag or a key. Screens print it as it is, without cleaning it again.
// Converting a string to Text by hand claims that it is clean: only do it
// for text made of clean Text and this program's own words.
type Text string

// Clean is CleanText as a Text.
func Clean(s string, maxRunes int) Text { return Text(CleanText(s, maxRunes)) }

// CleanName is a player's name from a stranger, cleaned and bounded.
func CleanName(s string) Text { return Clean(s, MaxNameRunes) }

// CleanText makes text from a stranger safe to put on a terminal: it drops
// escape sequences (7-bit ESC forms and their C1 twins such as U+009B CSI),
// control characters (C0, C1, DEL), bidirectional and other format
// characters, unprintable runes and invalid UTF-8; it folds runs of white
// space into one space, trims both ends, and keeps at most maxRunes runes.
// CleanText(CleanText(s, n), n) == CleanText(s, n).
func CleanText(s string, maxRunes int) string {
	var b strings.Builder
	n := 0
	space := false
	for i := 0; i < len(s) && n < maxRunes; {
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		switch {
		case r == utf8.RuneError && size <= 1:
			continue
		case r == 0x1b:
			i = skipEscape(s, i)
			continue
		case r == 0x9b: // CSI
			i = skipControlSequence(s, i)
			continue
		case r == 0x90 || r == 0x98 || r == 0x9d || r == 0x9e || r == 0x9f: // DCS SOS OSC PM APC
			i = skipControlString(s, i)
			continue
		case unicode.IsSpace(r):
			space = n > 0
			continue
		case unicode.IsControl(r), unicode.Is(unicode.Cf, r), !unicode.IsPrint(r):
			continue
		}
		if space {
			if n+1 >= maxRunes {
				break // no room for the space and a rune after it
			}
			b.WriteByte(' ')
			n++
			space = false
		}
		b.WriteRune(r)
		n++
	}
	return b.String()
}

// skipEscape returns the index just past the escape sequence whose ESC was
// just before i: CSI (ESC [ ...), a control string (ESC ] or ESC P, X, ^, _
// ... up to its terminator), an nF escape (ESC, intermediates 0x20-0x2F,
// final), or a two-byte escape.
func skipEscape(s string, i int) int {
	if i >= len(s) {
		return i
	}
	switch c := s[i]; {
	case c == '[':
		return skipControlSequence(s, i+1)
	case c == ']' || c == 'P' || c == '_' || c == '^' || c == 'X':
		return skipControlString(s, i+1)
	case c >= 0x20 && c <= 0x2f:
		for i++; i < len(s) && s[i] >= 0x20 && s[i] <= 0x2f; i++ {
		}
		if i < len(s) && s[i] >= 0x30 && s[i] <= 0x7e {
			i++
		}
		return i
	case c < 0x20 || c >= 0x7f:
		return i // not an escape: let the loop judge that byte
	}
	return i + 1
}

// skipControlSequence returns the index just past the parameters,
// intermediates and final byte of a CSI sequence starting at i. A byte that
// cannot be part of one ends it unconsumed.
func skipControlSequence(s string, i int) int {
	for ; i < len(s); i++ {
		switch c := s[i]; {
		case c >= 0x40 && c <= 0x7e:
			return i + 1
		case c < 0x20 || c > 0x7e:
			return i
		}
	}
	return i
}

// skipControlString returns the index just past the terminator (BEL, ESC \
// or ST U+009C) of a control string starting at i, or len(s) when it has
// none.
func skipControlString(s string, i int) int {
	for ; i < len(s); i++ {
		switch {
		case s[i] == 0x07:
			return i + 1
		case s[i] == 0x1b && i+1 < len(s) && s[i+1] == '\\':
			return i + 2
		case strings.HasPrefix(s[i:], "\u009c"):
			return i + len("\u009c")
		}
	}
	return i
}
