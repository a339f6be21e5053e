package ui

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"

	"lanarena/game"
)

// playerColor is one colour slot of the palette, with its fallback on
// 16-colour terminals. The head and faded variants derive from trail.
type playerColor struct {
	trail string // #rrggbb
	ansi  int    // 0..15
}

// palette holds the game.Colors player colours: bright hues about 30°
// apart, readable on a dark background, ordered so that the first few
// players get the most distinct ones.
var palette = [game.Colors]playerColor{
	{"#ff5050", 9},  // red
	{"#4f9dff", 12}, // blue
	{"#ffe04a", 11}, // yellow
	{"#45d65a", 10}, // green
	{"#e255e8", 13}, // magenta
	{"#ff9a2e", 3},  // orange
	{"#35dfe8", 14}, // cyan
	{"#9d7bff", 5},  // violet
	{"#b8f04a", 2},  // lime
	{"#ff7fb0", 1},  // pink
	{"#1fb39a", 6},  // teal
	{"#d2a679", 7},  // tan
}

// trailGlyphs tell players apart without colour, one per palette slot.
var trailGlyphs = [game.Colors]rune{'#', '*', '+', '%', '=', '~', '$', '&', ':', 'o', '^', 'x'}

// Glyphs of the colourless board.
const (
	glyphOwnHead = '@'
	glyphFaded   = '.'
)

// Chrome colours, with explicit fallbacks for each profile.
var (
	colorWall   = lipgloss.CompleteColor{TrueColor: "#6c6c6c", ANSI256: "242", ANSI: "8"}
	colorDim    = lipgloss.CompleteColor{TrueColor: "#8a8a8a", ANSI256: "245", ANSI: "8"}
	colorText   = lipgloss.CompleteColor{TrueColor: "#d0d0d0", ANSI256: "252", ANSI: "7"}
	colorBright = lipgloss.CompleteColor{TrueColor: "#ffffff", ANSI256: "231", ANSI: "15"}
	colorAccent = lipgloss.CompleteColor{TrueColor: "#35dfe8", ANSI256: "80", ANSI: "14"}
	colorWarn   = lipgloss.CompleteColor{TrueColor: "#ffd75f", ANSI256: "221", ANSI: "11"}
	colorError  = lipgloss.CompleteColor{TrueColor: "#ff5f5f", ANSI256: "203", ANSI: "9"}
	colorBar    = lipgloss.CompleteColor{TrueColor: "#262626", ANSI256: "235", ANSI: "0"}
	colorAlert  = lipgloss.CompleteColor{TrueColor: "#d70000", ANSI256: "160", ANSI: "1"}
)

// colorIndex maps a colour from a stranger onto the palette.
func colorIndex(c int) int {
	c %= game.Colors
	if c < 0 {
		c += game.Colors
	}
	return c
}

// headHex is the trail colour mixed towards white: a living head.
func headHex(trail string) string { return mixHex(trail, 0xff, 0.55) }

// fadedHex is the trail colour mixed towards black: a crashed cycle's
// fading trail.
func fadedHex(trail string) string { return mixHex(trail, 0x00, 0.6) }

func mixHex(hex string, to uint8, f float64) string {
	v, err := strconv.ParseUint(hex[1:], 16, 32)
	if err != nil {
		return hex
	}
	mix := func(c uint64) uint8 { return uint8(float64(c) + (float64(to)-float64(c))*f + 0.5) }
	return fmt.Sprintf("#%02x%02x%02x", mix(v>>16&0xff), mix(v>>8&0xff), mix(v&0xff))
}

// ink is a simple lipgloss style (colours and bold, one line of text)
// reduced to the escapes around its text: rendering is then a string
// concatenation, cheap enough for the panels that change every tick.
type ink struct{ open, close string }

func inkOf(s lipgloss.Style) ink {
	open, close, _ := strings.Cut(s.Render("X"), "X")
	return ink{open, close}
}

// Render styles one line of text.
func (k ink) Render(text string) string {
	if k.open == "" {
		return text
	}
	return k.open + text + k.close
}

// styles are the chrome's styles, bound to one renderer so that the colour
// profile can be chosen (detected at run time, fixed in tests). The colours
// themselves are the package-level values above.
type styles struct {
	profile termenv.Profile
	glyphs  bool // no colour: players are told apart by glyphs

	title, dim, bold, text, accent, warn, err ink
	wall, heading, selected, greyed           ink
	bar, barDim, barAlert, barWarn, barAccent ink
	lag, suspect                              ink
	swatch                                    [game.Colors]ink

	// Full lipgloss styles, for boxes and for the bubbles.
	box, deathBox, netBox lipgloss.Style
	inputText, inputDim   lipgloss.Style
	inputPrompt           lipgloss.Style
	help                  help.Styles
	renderer              *lipgloss.Renderer
}

func newStyles(p termenv.Profile) *styles {
	r := lipgloss.NewRenderer(io.Discard)
	r.SetColorProfile(p)
	r.SetHasDarkBackground(true)
	s := &styles{profile: p, glyphs: p == termenv.Ascii, renderer: r}
	fg := func(c lipgloss.TerminalColor) lipgloss.Style { return r.NewStyle().Foreground(c) }
	bar := func(c lipgloss.TerminalColor) lipgloss.Style { return fg(c).Background(colorBar) }

	s.title = inkOf(fg(colorAccent).Bold(true))
	s.dim = inkOf(fg(colorDim))
	s.bold = inkOf(r.NewStyle().Bold(true))
	s.text = inkOf(fg(colorText))
	s.accent = inkOf(fg(colorAccent))
	s.warn = inkOf(fg(colorWarn))
	s.err = inkOf(fg(colorError).Bold(true))
	s.wall = inkOf(fg(colorWall))
	s.heading = inkOf(fg(colorDim))
	s.selected = inkOf(fg(colorBright).Bold(true))
	s.greyed = inkOf(fg(colorWall))
	s.lag = inkOf(fg(colorWarn))
	s.suspect = inkOf(fg(colorError))

	s.bar = inkOf(bar(colorText))
	s.barDim = inkOf(bar(colorDim))
	s.barAccent = inkOf(bar(colorAccent).Bold(true))
	s.barWarn = inkOf(bar(colorWarn))
	s.barAlert = inkOf(fg(colorBright).Background(colorAlert).Bold(true))

	box := r.NewStyle().Border(lipgloss.RoundedBorder()).Padding(0, 1)
	s.box = box.BorderForeground(colorAccent)
	s.deathBox = box.BorderForeground(colorError).Padding(0, 2)
	s.netBox = box.BorderForeground(colorAccent)
	s.inputText = fg(colorText)
	s.inputDim = fg(colorDim)
	s.inputPrompt = fg(colorAccent)

	for i, c := range palette {
		s.swatch[i] = inkOf(fg(lipgloss.CompleteColor{
			TrueColor: c.trail,
			ANSI256:   ansi256Of(c.trail),
			ANSI:      strconv.Itoa(c.ansi),
		}))
	}

	s.help = help.Styles{
		ShortKey:       fg(colorText),
		ShortDesc:      fg(colorDim),
		ShortSeparator: fg(colorWall),
		Ellipsis:       fg(colorWall),
		FullKey:        fg(colorText),
		FullDesc:       fg(colorDim),
		FullSeparator:  fg(colorWall),
	}
	return s
}

// swatchOf is the mark that shows a player's colour in panels.
func (s *styles) swatchOf(color int) string {
	color = colorIndex(color)
	if s.glyphs {
		return string(trailGlyphs[color])
	}
	return s.swatch[color].Render("█")
}

// ansi256Of is the nearest colour of the 256-colour palette to hex.
func ansi256Of(hex string) string {
	switch c := termenv.ANSI256.Color(hex).(type) {
	case termenv.ANSI256Color:
		return strconv.Itoa(int(c))
	case termenv.ANSIColor:
		return strconv.Itoa(int(c))
	}
	return "7"
}
