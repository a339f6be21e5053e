package game

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Name and chat limits, in runes.
const (
	MaxNameRunes = 16
	MaxChatRunes = 160
)

// CleanText makes text from a stranger safe to put on a terminal: it drops
// escape sequences, control characters (C0, C1, DEL), bidirectional and
// other format characters and invalid UTF-8, folds runs of spaces, and keeps
// at most maxRunes runes.
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
		case r == '\t' || r == '\n' || r == '\r' || unicode.IsSpace(r):
			space = n > 0
			continue
		case unicode.IsControl(r), unicode.Is(unicode.Cf, r), !unicode.IsPrint(r):
			continue
		}
		if space {
			b.WriteByte(' ')
			n++
			space = false
			if n >= maxRunes {
				break
			}
		}
		b.WriteRune(r)
		n++
	}
	return b.String()
}

// skipEscape returns the index just past the escape sequence whose ESC was
// just before i: CSI (ESC [ ... final), OSC/DCS/APC/PM/SOS (up to BEL or
// ESC \), or a two-byte escape.
func skipEscape(s string, i int) int {
	if i >= len(s) {
		return i
	}
	switch s[i] {
	case '[':
		for i++; i < len(s); i++ {
			if s[i] >= 0x40 && s[i] <= 0x7e {
				return i + 1
			}
		}
		return i
	case ']', 'P', '_', '^', 'X':
		for i++; i < len(s); i++ {
			if s[i] == 0x07 {
				return i + 1
			}
			if s[i] == 0x1b && i+1 < len(s) && s[i+1] == '\\' {
				return i + 2
			}
		}
		return i
	}
	return i + 1
}
