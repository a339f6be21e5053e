package ui

import (
	"slices"
	"strings"

	"github.com/charmbracelet/x/ansi"
)

// fit pads or truncates s, which may hold escapes, to exactly w columns.
func fit(s string, w int) string {
	if w <= 0 {
		return ""
	}
	sw := ansi.StringWidth(s)
	if sw > w {
		s = ansi.Truncate(s, w, "…")
		sw = ansi.StringWidth(s)
	}
	if sw < w {
		s += strings.Repeat(" ", w-sw)
	}
	return s
}

// overlay returns a copy of base with box drawn over it, centred. The box's
// lines must be of equal width; base's lines at least as wide as the box
// reaches. colour says whether base holds colour escapes, which must then
// be reset before the box so that they do not bleed into it.
func overlay(base []string, box string, baseWidth int, colour bool) []string {
	lines := strings.Split(box, "\n")
	bw := 0
	for _, l := range lines {
		bw = max(bw, ansi.StringWidth(l))
	}
	x := max(0, (baseWidth-bw)/2)
	y := max(0, (len(base)-len(lines))/2)
	out := slices.Clone(base)
	for i, l := range lines {
		row := y + i
		if row >= len(out) {
			break
		}
		left := ansi.Truncate(out[row], x, "")
		right := ansi.TruncateLeft(out[row], x+bw, "")
		if colour {
			left += sgrReset
		}
		out[row] = left + fit(l, bw) + right
	}
	return out
}

// centre places the lines of a block of width w in the middle of a
// width×height screen, or at its top-left corner when it does not fit.
func centre(lines []string, w, width, height int) string {
	left, top := corner(w, len(lines), width, height)
	pad := strings.Repeat(" ", left)
	size := top
	for _, l := range lines {
		size += len(pad) + len(l) + 1
	}
	var b strings.Builder
	b.Grow(size)
	for range top {
		b.WriteByte('\n')
	}
	for i, l := range lines {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(pad)
		b.WriteString(l)
	}
	return b.String()
}

// corner is where centre puts the top-left corner of a w×h block.
func corner(w, h, width, height int) (left, top int) {
	return max(0, (width-w)/2), max(0, (height-h)/2)
}

// message is a short text in the middle of the screen.
func message(text string, width, height int) string {
	lines := strings.Split(text, "\n")
	w := 0
	for _, l := range lines {
		w = max(w, ansi.StringWidth(l))
	}
	for i, l := range lines {
		lines[i] = strings.Repeat(" ", (w-ansi.StringWidth(l))/2) + l
	}
	return centre(lines, w, width, height)
}
