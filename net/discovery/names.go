package discovery

import (
	"strings"

	"golang.org/x/text/unicode/norm"
)

// Canonical is the form in which names are advertised, compared and
// hashed: Unicode NFC, so that "é" typed as one code point and as "e" plus
// a combining accent are the same room.
func Canonical(s string) string { return norm.NFC.String(s) }

// SameName reports whether two room or player names are the same once
// canonical.
func SameName(a, b string) bool { return a == b || Canonical(a) == Canonical(b) }

// escapeTXT escapes a TXT string for miekg/dns, which packs TXT strings
// from their presentation form: a backslash starts an escape there.
func escapeTXT(s string) string { return strings.ReplaceAll(s, `\`, `\\`) }

// unescape undoes the presentation-format escaping miekg/dns applies to
// TXT strings and domain labels when it unpacks them: \DDD (a decimal
// byte) and \X (X itself). Bytes outside printable ASCII and the
// characters '"' and '\' come escaped (a name "café" arrives as
// `caf\195\169`). A lone trailing backslash is kept.
func unescape(s string) string {
	i := strings.IndexByte(s, '\\')
	if i < 0 {
		return s
	}
	b := make([]byte, 0, len(s))
	b = append(b, s[:i]...)
	for ; i < len(s); i++ {
		c := s[i]
		if c != '\\' || i+1 == len(s) {
			b = append(b, c)
			continue
		}
		if d, ok := ddd(s[i+1:]); ok {
			b = append(b, d)
			i += 3
			continue
		}
		b = append(b, s[i+1])
		i++
	}
	return string(b)
}

// ddd reads three decimal digits making a byte at the start of s.
func ddd(s string) (byte, bool) {
	if len(s) < 3 {
		return 0, false
	}
	n := 0
	for _, c := range []byte(s[:3]) {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	if n > 255 {
		return 0, false
	}
	return byte(n), true
}
