package ui

import (
	"fmt"
	"image/color"
	"strconv"
	"strings"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/ansi"

	"lanarena/game"
)

// playerColor is one colour slot of the palette, with its fallback on
// 16-colour terminals. The head and faded variants derive from trail.
type playerColor struct {
	trail string // #rrggbb, a colour of xterm's 256-colour cube
	ansi  int    // 0..15: the separate set for 16-colour terminals
}

// palette holds the game.Colors player colours in the order players take
// them (index = join-order preference). They were picked from xterm's
// colour cube, bright enough on a dark background, by farthest-point
// search on CIE76 ΔE, both as seen and as seen under deuteranopia
// (Machado 2009): the first four are ≥ 45 apart, the first eight ≥ 30
// (TestPaletteIsDistinct computes it). Being cube colours, they are exact
// in 256 colours and in 24-bit alike.
//
// The 16-colour set is separate: the six bright hues first, each far from
// the others in every terminal theme, then their dark twins. White (15)
// is kept for your own head, grey (8) for walls and fading trails.
var palette = [game.Colors]playerColor{
	{"#ff5f5f", 9},  // 203 red
	{"#ff00ff", 12}, // 201 magenta; 16 colours: blue
	{"#ffd700", 11}, // 220 yellow
	{"#00ffd7", 14}, // 50 aquamarine; cyan
	{"#d75faf", 13}, // 169 orchid; magenta
	{"#5fff5f", 10}, // 83 green
	{"#5fd7ff", 6},  // 81 sky; dark cyan
	{"#ff5f00", 3},  // 202 orange; dark yellow
	{"#5faf87", 2},  // 72 sea green; dark green
	{"#0087ff", 4},  // 33 blue; dark blue
	{"#d7d787", 5},  // 186 khaki; dark magenta
	{"#00d787", 1},  // 42 jade; dark red
}

// trailGlyphs tell players apart without colour, one per palette slot.
var trailGlyphs = [game.Colors]rune{'#', '*', '+', '%', '=', '~', '$', '&', ':', 'o', '^', 'x'}

// Glyphs of the colourless board.
const (
	glyphOwnHead = '@'
	glyphFaded   = '.'
	glyphGhost   = '°' // a ghost whose letter has no lower case
)

// chrome is a colour of the chrome, with explicit fallbacks for each
// profile.
type chrome struct{ hex, ansi256, ansi string }

// Chrome colours.
var (
	colorWall   = chrome{"#6c6c6c", "242", "8"}
	colorDim    = chrome{"#8a8a8a", "245", "8"}
	colorText   = chrome{"#d0d0d0", "252", "7"}
	colorBright = chrome{"#ffffff", "231", "15"}
	colorAccent = chrome{"#35dfe8", "80", "14"}
	colorWarn   = chrome{"#ffd75f", "221", "11"}
	colorError  = chrome{"#ff5f5f", "203", "9"}
	colorBar    = chrome{"#262626", "235", "0"}
	colorAlert  = chrome{"#d70000", "160", "1"}
)

// colorIndex maps a colour from a stranger onto the palette.
func colorIndex(c int) int {
	c %= game.Colors
	if c < 0 {
		c += game.Colors
	}
	return c
}

// headHex is the trail colour mixed a little towards white: a living
// head, brighter than its trail yet still its colour, so that no other
// head can be taken for your own (white, and blinking).
func headHex(trail string) string { return mixHex(trail, 0xff, 0.3) }

// fadedHex is the trail colour mixed towards black: a crashed cycle's
// fading trail.
func fadedHex(trail string) string { return mixHex(trail, 0x00, 0.6) }

// ghostHex is the trail colour half way to black: a remote cycle's last
// heard head, dim against its trail and its predicted head.
func ghostHex(trail string) string { return mixHex(trail, 0x00, 0.5) }

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

// styles are the chrome's styles for one colour profile (detected by the
// cmd, fixed in tests). The colours themselves are the package-level values
// above. lipgloss v2 has no global renderer: the profile is chosen here,
// and the program's renderer encodes the colours for the terminal.
type styles struct {
	profile colorprofile.Profile
	glyphs  bool // no colour: players are told apart by glyphs

	title, dim, bold, text, accent, warn, err ink
	wall, heading, selected, greyed           ink
	bar, barDim, barAlert, barWarn, barAccent ink
	lag, suspect                              ink
	self                                      ink // your scoreboard row
	swatch                                    [game.Colors]ink

	// Full lipgloss styles, for boxes and for the bubbles.
	box, deathBox lipgloss.Style
	input         textinput.Styles
	spinner       lipgloss.Style
	help          help.Styles
}

// colorOf is c in profile p, nil when p has no colours.
func colorOf(p colorprofile.Profile, c chrome) color.Color {
	switch {
	case p <= colorprofile.ASCII:
		return nil
	case p == colorprofile.ANSI:
		return lipgloss.Color(c.ansi)
	case p == colorprofile.ANSI256:
		return lipgloss.Color(c.ansi256)
	}
	return lipgloss.Color(c.hex)
}

func newStyles(p colorprofile.Profile) *styles {
	s := &styles{profile: p, glyphs: p <= colorprofile.ASCII}
	plain := lipgloss.NewStyle()
	// Without colour the screen is plain text: no bold either, as the
	// goldens show.
	bold := func(st lipgloss.Style) lipgloss.Style { return st.Bold(!s.glyphs) }
	fg := func(c chrome) lipgloss.Style {
		if cc := colorOf(p, c); cc != nil {
			return plain.Foreground(cc)
		}
		return plain
	}
	bar := func(c chrome) lipgloss.Style {
		if cc := colorOf(p, colorBar); cc != nil {
			return fg(c).Background(cc)
		}
		return fg(c)
	}

	s.title = inkOf(bold(fg(colorAccent)))
	s.dim = inkOf(fg(colorDim))
	s.bold = inkOf(bold(plain))
	s.text = inkOf(fg(colorText))
	s.accent = inkOf(fg(colorAccent))
	s.warn = inkOf(fg(colorWarn))
	s.err = inkOf(bold(fg(colorError)))
	s.wall = inkOf(fg(colorWall))
	s.heading = inkOf(fg(colorDim))
	s.selected = inkOf(bold(fg(colorBright)))
	s.greyed = inkOf(fg(colorWall))
	// Your scoreboard row in reverse video; without colour, plain text
	// (NO_COLOR asks for no escapes): the @ mark in it says it.
	s.self = inkOf(bold(plain.Reverse(!s.glyphs)))
	s.lag = inkOf(fg(colorWarn))
	s.suspect = inkOf(fg(colorError))

	s.bar = inkOf(bar(colorText))
	s.barDim = inkOf(bar(colorDim))
	s.barAccent = inkOf(bold(bar(colorAccent)))
	s.barWarn = inkOf(bar(colorWarn))
	alert := fg(colorBright)
	if cc := colorOf(p, colorAlert); cc != nil {
		alert = alert.Background(cc)
	}
	s.barAlert = inkOf(bold(alert))

	for i, c := range palette {
		s.swatch[i] = inkOf(fg(chrome{c.trail, ansi256Of(c.trail), strconv.Itoa(c.ansi)}))
	}
	s.bubbles(fg)
	return s
}

// bubbles sets the full lipgloss styles: the boxes and the bubbles'.
func (s *styles) bubbles(fg func(chrome) lipgloss.Style) {
	p, plain := s.profile, lipgloss.NewStyle()
	box := plain.Border(lipgloss.RoundedBorder()).Padding(0, 1)
	if cc := colorOf(p, colorAccent); cc != nil {
		s.box = box.BorderForeground(cc)
	} else {
		s.box = box
	}
	s.deathBox = box.Padding(0, 2)
	if cc := colorOf(p, colorError); cc != nil {
		s.deathBox = s.deathBox.BorderForeground(cc)
	}
	s.spinner = fg(colorAccent)
	s.input = textinput.Styles{
		Focused: textinput.StyleState{Text: fg(colorText), Placeholder: fg(colorDim), Suggestion: fg(colorDim), Prompt: fg(colorAccent)},
		Blurred: textinput.StyleState{Text: fg(colorText), Placeholder: fg(colorDim), Suggestion: fg(colorDim), Prompt: fg(colorAccent)},
		// The terminal's own cursor: it blinks without a frame per blink.
		Cursor: textinput.CursorStyle{Shape: tea.CursorBar, Blink: true},
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
}

// swatchOf is the mark that shows a player's colour in panels: a block
// of it (its glyph without colour), or letter, the player's head letter,
// when another player has the same colour.
func (s *styles) swatchOf(color int, letter rune) string {
	color = colorIndex(color)
	switch {
	case letter != 0 && s.glyphs:
		return string(letter)
	case letter != 0:
		return s.swatch[color].Render(string(letter))
	case s.glyphs:
		return string(trailGlyphs[color])
	}
	return s.swatch[color].Render("█")
}

// ansi256Of is the nearest colour of the 256-colour palette to hex.
func ansi256Of(hex string) string {
	return strconv.Itoa(int(ansi.Convert256(lipgloss.Color(hex))))
}
