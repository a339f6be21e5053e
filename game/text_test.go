package game

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestCleanText(t *testing.T) {
	tests := []struct {
		name string
		in   string
		max  int
		want string
	}{
		{"plain", "alice", 16, "alice"},
		{"unicode kept", "Zoë 日本 ✓", 16, "Zoë 日本 ✓"},
		{"SGR color", "\x1b[31mred\x1b[0m", 16, "red"},
		{"CSI with params", "a\x1b[38;2;1;2;3mb\x1b[2Jc", 16, "abc"},
		{"cursor movement", "a\x1b[10;20Hb", 16, "ab"},
		{"OSC title with BEL", "\x1b]0;title\x07name", 16, "name"},
		{"OSC hyperlink with ST", "\x1b]8;;http://x\x1b\\link\x1b]8;;\x1b\\", 16, "link"},
		{"DCS", "a\x1bPq#0;2;0;0;0\x1b\\b", 16, "ab"},
		{"unterminated OSC eats the rest", "ok\x1b]0;title", 16, "ok"},
		{"unterminated CSI", "ok\x1b[31", 16, "ok"},
		{"two-byte escape", "a\x1bcb", 16, "ab"},
		{"charset escape", "a\x1b(Bb", 16, "ab"},
		{"lone ESC at end", "ab\x1b", 16, "ab"},
		{"C1 CSI", "a\u009b31mb", 16, "ab"},
		{"C1 OSC with ST", "a\u009d0;t\u009cb", 16, "ab"},
		{"C1 controls", "a\u0085b\u0090x\u009cc\u0080\u009f", 16, "a bc"},
		{"raw 8-bit CSI byte", "a\x9b31mb", 16, "a31mb"},
		{"C0 controls", "a\x00b\x07c\x08d\x7f", 16, "abcd"},
		{"bidi override", "abc\u202edef\u202c", 16, "abcdef"},
		{"bidi isolates", "\u2067abc\u2069", 16, "abc"},
		{"zero width", "a\u200bb\u200dc\ufeff", 16, "abc"},
		{"tabs and newlines fold", "a\tb\n\nc\r\nd", 16, "a b c d"},
		{"spaces fold and trim", "   a    b   ", 16, "a b"},
		{"invalid UTF-8", "a\xffb\xc3(c", 16, "ab(c"},
		{"private use", "a\ue000b", 16, "ab"},
		{"limit in runes", "ééééééééé", 4, "éééé"},
		{"limit counts kept runes only", "\x1b[31mabcdef", 3, "abc"},
		{"no trailing space at the limit", "abc def", 4, "abc"},
		{"space fits before the limit", "ab cd", 4, "ab c"},
		{"zero limit", "abc", 0, ""},
		{"empty", "", 16, ""},
		{"only controls", "\x1b[2J\x00\t", 16, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := CleanText(tt.in, tt.max)
			if got != tt.want {
				t.Errorf("CleanText(%q, %d) = %q, want %q", tt.in, tt.max, got, tt.want)
			}
			if again := CleanText(got, tt.max); again != got {
				t.Errorf("CleanText not idempotent: %q, then %q", got, again)
			}
			if n := utf8.RuneCountInString(got); n > tt.max {
				t.Errorf("CleanText kept %d runes, limit %d", n, tt.max)
			}
			if strings.ContainsAny(got, "\x1b\x07\t\n\r\u009b\u202e") {
				t.Errorf("CleanText(%q) = %q still holds a control", tt.in, got)
			}
		})
	}
}
