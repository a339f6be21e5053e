package ui

import (
	"strings"
	"testing"

	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/ansi"

	"lanarena/game"
	"lanarena/net/view"
)

func TestScreenTextWidthIsTheSameEitherWay(t *testing.T) {
	tests := []struct{ in, want string }{
		{"alice", "alice"},
		{"中文名字", "中文名字"},
		{"café ★", "café ★"},
		{"cafe\u0301", "cafe\u0301"},
		{"❤️ love", "❤ love"},
		{"👨‍👩‍👧 family", "👨👩👧 family"},
		{"👍🏽 ok", "👍 ok"},
		{"🇫🇷 paris", ""}, // a flag: whatever it becomes, its width agrees
	}
	for _, tt := range tests {
		got := screenText(tt.in)
		if tt.want != "" && got != tt.want {
			t.Errorf("screenText(%q) = %q, want %q", tt.in, got, tt.want)
		}
		if wc, gr := ansi.WcWidth.StringWidth(got), ansi.GraphemeWidth.StringWidth(got); wc != gr {
			t.Errorf("screenText(%q) = %q: %d columns by wcwidth, %d by graphemes", tt.in, got, wc, gr)
		}
	}
}

func TestScoreboardColumnsHoldEitherWidthMethod(t *testing.T) {
	// Every scoreboard line is as wide by wcwidth as by graphemes, so the
	// renderer puts the scores in the same column whichever it uses.
	snap := testSnapshot(t, game.DefaultParams(), 4, 10)
	snap.Arena.Cycle(2).Name = "👨‍👩‍👧 family"
	snap.Arena.Cycle(3).Name = "❤️ love"
	snap.Arena.Cycle(4).Name = "👍🏽 🇫🇷"
	snap.Log = append(snap.Log, view.LogLine{Text: "👨‍👩‍👧 family joined"})
	m := arenaAt(t, &fakeController{}, colorprofile.ANSI256, 80, 24, snap)
	for i, l := range strings.Split(m.View().Content, "\n") {
		if wc, gr := ansi.WcWidth.StringWidth(l), ansi.GraphemeWidth.StringWidth(l); wc != gr || gr != 80 {
			t.Errorf("line %d: %d columns by wcwidth, %d by graphemes, want 80: %q", i, wc, gr, ansi.Strip(l))
		}
	}
}
