package ui

import (
	"strings"

	"github.com/charmbracelet/x/ansi"
)

// screenText is s made to take the same number of columns whichever way
// the renderer counts them. bubbletea counts by wcwidth, and by grapheme
// clusters once the terminal says it supports them (mode 2027): the two
// agree on every character but the joined kinds (emoji sequences with
// zero-width joiners, variation selectors, skin tones, flags). Those are
// taken apart, so that the panel's columns stay in place on every
// terminal: "👨‍👩‍👧" shows as three faces, "❤️" as "❤".
func screenText(s string) string {
	if widthsAgree(s) {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == 0x200D, r >= 0xFE00 && r <= 0xFE0F, r >= 0x1F3FB && r <= 0x1F3FF:
			continue // joiner, variation selector, skin tone
		case !widthsAgree(string(r)):
			b.WriteByte('?')
			continue
		}
		b.WriteRune(r)
	}
	out := b.String()
	if widthsAgree(out) {
		return out
	}
	// Pairs that join again (regional indicators make flags): keep
	// only what cannot.
	b.Reset()
	for _, r := range out {
		if r >= 0x1F1E6 && r <= 0x1F1FF {
			r = '?'
		}
		b.WriteRune(r)
	}
	return b.String()
}

// widthsAgree reports whether both of the renderer's ways of counting
// give s the same width.
func widthsAgree(s string) bool {
	return ansi.WcWidth.StringWidth(s) == ansi.GraphemeWidth.StringWidth(s)
}
