package ui

import (
	"image/color"
	"strings"
	"unicode"
	"unicode/utf8"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/ansi"

	"lanarena/game"
)

// A paint is what one arena cell shows: empty, a colour slot's trail, head
// or fading trail, your own head, or a wall.
type paint = uint8

const (
	paintEmpty   paint = 0
	paintOwnHead paint = 1 + 3*game.Colors
	paintWall    paint = paintOwnHead + 1
	numPaints          = int(paintWall) + 1
)

func trailPaint(color int) paint { return paint(1 + 3*colorIndex(color)) }
func headPaint(color int) paint  { return trailPaint(color) + 1 }
func fadedPaint(color int) paint { return trailPaint(color) + 2 }

// rank orders paints when one character must show one of two cells.
func rank(p paint) int {
	switch {
	case p == paintEmpty:
		return 0
	case p == paintOwnHead:
		return 4
	case p >= paintWall:
		return 0
	}
	switch (p - 1) % 3 {
	case 1:
		return 3 // a head
	case 2:
		return 1 // fading
	}
	return 2 // a living trail
}

// The characters of a half-block board.
const (
	upperHalf = "▀"
	lowerHalf = "▄"
	fullBlock = "█"
	sgrReset  = "\x1b[0m"
)

// escapes holds the SGR sequence for every (foreground, background) pair of
// paints in one colour profile, built once: rendering a row only copies
// them.
type escapes struct {
	pair   [numPaints * numPaints]string
	fgOnly [numPaints]string // when the background stays
	bgOnly [numPaints]string // when the foreground stays
}

func newEscapes(p colorprofile.Profile) *escapes {
	var fg, bg [numPaints]ansi.Style
	fg[0] = ansi.Style{}.DefaultForegroundColor()
	bg[0] = ansi.Style{}.DefaultBackgroundColor()
	for i := 1; i < numPaints; i++ {
		c := paintColor(p, paint(i))
		fg[i], bg[i] = ansi.Style{}.ForegroundColor(c), ansi.Style{}.BackgroundColor(c)
	}
	e := &escapes{}
	for i := range numPaints {
		e.fgOnly[i] = fg[i].String()
		e.bgOnly[i] = bg[i].String()
	}
	for f := range numPaints {
		for b := range numPaints {
			e.pair[f*numPaints+b] = append(fg[f][:len(fg[f]):len(fg[f])], bg[b]...).String()
		}
	}
	return e
}

func (e *escapes) get(fg, bg paint) string { return e.pair[int(fg)*numPaints+int(bg)] }

// change is the shortest escape from colours (fg, bg) to (f, g).
func (e *escapes) change(fg, bg, f, g paint) string {
	switch {
	case g == bg:
		return e.fgOnly[f]
	case f == fg:
		return e.bgOnly[g]
	}
	return e.get(f, g)
}

// paintColor is the terminal colour of a paint in profile p: the explicit
// 16-colour set on ANSI terminals, else the palette's hue reduced to p.
func paintColor(p colorprofile.Profile, pt paint) color.Color {
	if p == colorprofile.ANSI {
		return ansi.BasicColor(paintANSI(pt))
	}
	hex := "#ffffff" // your own head
	switch {
	case pt == paintWall:
		hex = colorWall.hex
	case pt != paintOwnHead:
		slot := palette[(pt-1)/3]
		switch (pt - 1) % 3 {
		case 1:
			hex = headHex(slot.trail)
		case 2:
			hex = fadedHex(slot.trail)
		default:
			hex = slot.trail
		}
	}
	return p.Convert(lipgloss.Color(hex))
}

// paintANSI is the colour of a paint among the 16 of an ANSI terminal.
func paintANSI(pt paint) uint8 {
	switch {
	case pt == paintWall:
		return 8
	case pt == paintOwnHead:
		return 15
	}
	switch (pt - 1) % 3 {
	case 1:
		return 15
	case 2:
		return 8
	}
	return uint8(palette[(pt-1)/3].ansi)
}

// board is the arena as terminal rows. update fills a reused cell buffer
// from a snapshot and renders every row once; rows then serve every View
// until the next snapshot. Rows that did not change come out as identical
// strings, so the terminal renderer's line diffing skips them.
//
// A board is not safe for concurrent use; the model that owns it uses it
// from the program's goroutine only.
type board struct {
	glyphs bool     // colourless: glyphs instead of half blocks
	esc    *escapes // nil when glyphs

	w, h  int          // arena cells
	cells []paint      // row-major, w*h
	heads map[int]rune // glyphs: the letter of the head on a cell
	rows  []string     // rendered lines, walls included
	buf   []byte
}

func newBoard(p colorprofile.Profile) *board {
	b := &board{glyphs: p <= colorprofile.ASCII, heads: map[int]rune{}}
	if !b.glyphs {
		b.esc = newEscapes(p)
	}
	return b
}

// width and height of the rendered board, walls included.
func (b *board) width() int  { return b.w + 2 }
func (b *board) height() int { return (b.h+1)/2 + 2 }

// update fills the board from s, with self's head marked as yours, and
// renders its rows.
func (b *board) update(s *game.Arena, self game.PlayerID) {
	if s == nil {
		return
	}
	b.fill(s, self)
	b.render()
}

func (b *board) fill(s *game.Arena, self game.PlayerID) {
	w, h := s.Params.Width, s.Params.Height
	if w != b.w || h != b.h || len(b.cells) != w*h {
		b.w, b.h = w, h
		b.cells = make([]paint, w*h)
	} else {
		clear(b.cells)
	}
	clear(b.heads)
	// Fading trails first: living ones may already run over them.
	s.Cycles(func(c *game.Cycle) {
		if !c.Alive {
			b.paintTrail(c, fadedPaint(c.Color))
		}
	})
	s.Cycles(func(c *game.Cycle) {
		if c.Alive {
			b.paintTrail(c, trailPaint(c.Color))
		}
	})
	s.Cycles(func(c *game.Cycle) {
		if !c.Alive || len(c.Verts) == 0 || !s.Params.In(c.Head) {
			return
		}
		i := c.Head.Y*w + c.Head.X
		if c.ID == self {
			b.cells[i] = paintOwnHead
			return
		}
		b.cells[i] = headPaint(c.Color)
		if b.glyphs {
			b.heads[i] = initial(c.Name, c.Color)
		}
	})
}

func (b *board) paintTrail(c *game.Cycle, p paint) {
	c.Cells(func(pt game.Point) bool {
		if pt.X >= 0 && pt.Y >= 0 && pt.X < b.w && pt.Y < b.h {
			b.cells[pt.Y*b.w+pt.X] = p
		}
		return true
	})
}

// initial is the letter that marks a player's head without colour.
func initial(name game.Text, color int) rune {
	for _, r := range string(name) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			if u := unicode.ToUpper(r); u < 0x80 {
				return u
			}
			break
		}
	}
	return rune('A' + colorIndex(color))
}

func (b *board) render() {
	b.rows = b.rows[:0]
	b.rows = append(b.rows, b.edge("┌", "┐"))
	for r := 0; r < (b.h+1)/2; r++ {
		if b.glyphs {
			b.rows = append(b.rows, b.glyphRow(r))
		} else {
			b.rows = append(b.rows, b.colorRow(r))
		}
	}
	b.rows = append(b.rows, b.edge("└", "┘"))
}

func (b *board) edge(left, right string) string {
	line := left + strings.Repeat("─", b.w) + right
	if b.glyphs {
		return line
	}
	return b.esc.get(paintWall, paintEmpty) + line + sgrReset
}

// cellPair returns the upper and lower cell of character (x, r).
func (b *board) cellPair(x, r int) (paint, paint) {
	up := b.cells[2*r*b.w+x]
	if 2*r+1 >= b.h {
		return up, paintEmpty
	}
	return up, b.cells[(2*r+1)*b.w+x]
}

// colorRow renders character row r as half blocks, switching colour only
// where it changes.
func (b *board) colorRow(r int) string {
	buf := b.buf[:0]
	fg, bg := paintWall, paintEmpty
	buf = append(buf, b.esc.get(fg, bg)...)
	buf = append(buf, "│"...)
	for x := range b.w {
		up, lo := b.cellPair(x, r)
		var ch string
		var f, g paint
		switch {
		case up == paintEmpty && lo == paintEmpty:
			// An empty cell has no colour at all, not the foreground
			// left over from its neighbour: the terminal would not show
			// the difference, but the renderer compares and diffs every
			// cell of every frame, and unstyled blanks are its cheapest.
			ch, f, g = " ", paintEmpty, paintEmpty
		case lo == paintEmpty:
			ch, f, g = upperHalf, up, paintEmpty
		case up == paintEmpty:
			ch, f, g = lowerHalf, lo, paintEmpty
		case up == lo:
			ch, f, g = fullBlock, up, paintEmpty
		default:
			ch, f, g = upperHalf, up, lo
		}
		if f != fg || g != bg {
			buf = append(buf, b.esc.change(fg, bg, f, g)...)
			fg, bg = f, g
		}
		buf = append(buf, ch...)
	}
	if fg != paintWall || bg != paintEmpty {
		buf = append(buf, b.esc.change(fg, bg, paintWall, paintEmpty)...)
	}
	buf = append(buf, "│"+sgrReset...)
	b.buf = buf
	return string(buf)
}

// glyphRow renders character row r without colour: of the two cells, the
// one of higher rank shows.
func (b *board) glyphRow(r int) string {
	buf := append(b.buf[:0], "│"...)
	for x := range b.w {
		up, lo := b.cellPair(x, r)
		i := 2*r*b.w + x
		p := up
		if rank(lo) > rank(up) {
			p, i = lo, i+b.w
		}
		buf = utf8.AppendRune(buf, b.glyph(p, i))
	}
	buf = append(buf, "│"...)
	b.buf = buf
	return string(buf)
}

func (b *board) glyph(p paint, i int) rune {
	switch {
	case p == paintEmpty || p >= paintWall:
		return ' '
	case p == paintOwnHead:
		return glyphOwnHead
	}
	switch (p - 1) % 3 {
	case 1:
		if r, ok := b.heads[i]; ok {
			return r
		}
		return '?'
	case 2:
		return glyphFaded
	}
	return trailGlyphs[(p-1)/3]
}
