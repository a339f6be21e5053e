package ui

import (
	"cmp"
	"image/color"
	"strings"
	"unicode"
	"unicode/utf8"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/ansi"

	"lanarena/game"
	"lanarena/net/view"
)

// A paint is what one arena cell shows: empty, a colour slot's trail,
// head, fading trail or ghost, your own head, a wall, or the ink of
// letters drawn on a coloured cell.
type paint = uint8

// paintKinds is how many paints each colour slot has: trail, head,
// fading trail, ghost.
const paintKinds = 4

const (
	paintEmpty   paint = 0
	paintOwnHead paint = 1 + paintKinds*game.Colors
	paintWall    paint = paintOwnHead + 1
	paintInk     paint = paintWall + 1
	numPaints          = int(paintInk) + 1
)

// The kinds of a slot's paints, in order.
const (
	kindTrail = iota
	kindHead
	kindFaded
	kindGhost
)

func trailPaint(color int) paint { return paint(1 + paintKinds*colorIndex(color)) }
func headPaint(color int) paint  { return trailPaint(color) + kindHead }
func fadedPaint(color int) paint { return trailPaint(color) + kindFaded }

// ghostPaint is where a remote cycle was last heard of while its
// predicted head is drawn further on: its colour, dimmed.
func ghostPaint(color int) paint { return trailPaint(color) + kindGhost }

// slotted reports whether p belongs to a colour slot.
func slotted(p paint) bool { return p != paintEmpty && p < paintOwnHead }

// slotOf is the palette slot of a slotted paint, kindOf its kind.
func slotOf(p paint) int { return int(p-1) / paintKinds }
func kindOf(p paint) int { return int(p-1) % paintKinds }

// isHead reports whether p is a head other than your own.
func isHead(p paint) bool { return slotted(p) && kindOf(p) == kindHead }

// isFaded reports whether p is a crashed cycle's fading trail: drawn, but
// no longer an obstacle.
func isFaded(p paint) bool { return slotted(p) && kindOf(p) == kindFaded }

// isGhost reports whether p is a remote cycle's last heard head, drawn
// behind its predicted one.
func isGhost(p paint) bool { return slotted(p) && kindOf(p) == kindGhost }

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
	// Your own head blinks: the terminal does it, at no cost in frames or
	// bytes, and it catches the eye in every profile and on any
	// background. Every other paint resets the blink, so that a short
	// change of colour after the head cannot leave it on.
	fg[paintOwnHead] = fg[paintOwnHead].Blink(true)
	for i := range numPaints {
		if paint(i) != paintOwnHead {
			fg[i] = fg[i].NoBlink()
		}
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
	if p == colorprofile.ANSI || pt == paintInk {
		// Ink is the terminal's black in every profile: letters on
		// colour need no exact black, and "30" is the shortest escape.
		return ansi.BasicColor(paintANSI(pt))
	}
	hex := "#ffffff" // your own head
	switch {
	case pt == paintInk:
		hex = "#000000"
	case pt == paintWall:
		hex = colorWall.hex
	case pt != paintOwnHead:
		slot := palette[slotOf(pt)]
		switch kindOf(pt) {
		case kindHead:
			hex = headHex(slot.trail)
		case kindFaded:
			hex = fadedHex(slot.trail)
		case kindGhost:
			hex = ghostHex(slot.trail)
		default:
			hex = slot.trail
		}
	}
	return p.Convert(lipgloss.Color(hex))
}

// paintANSI is the colour of a paint among the 16 of an ANSI terminal.
func paintANSI(pt paint) uint8 {
	switch {
	case pt == paintInk:
		return 0
	case pt == paintWall:
		return 8
	case pt == paintOwnHead:
		return 15
	}
	if isFaded(pt) || isGhost(pt) {
		// Sixteen colours have no dim twin of each hue: grey is the
		// dim one, on a ghost as on a fading trail.
		return 8
	}
	// A head is its trail's colour: sixteen colours leave no brighter
	// twin that is not another player's.
	return uint8(palette[slotOf(pt)].ansi)
}

// board is the arena as terminal rows. update fills a reused cell buffer
// from a snapshot and renders every row once; rows then serve every View
// until the next snapshot. Rows that did not change come out as identical
// strings, so the renderer's cell diff finds nothing to send for them.
//
// The scale is chosen by the screen: 0 draws two cells per character with
// half blocks (80×24), s ≥ 1 draws each cell 2s columns by s rows, so
// cells look square at every scale. Without colour the half-block board
// still uses half blocks for what is there, so that no row of the arena
// hides another; identity shows at the heads (letters) and in the
// scoreboard, and at scale ≥ 1 the trails carry their glyph.
//
// A board is not safe for concurrent use; the model that owns it uses it
// from the program's goroutine only.
type board struct {
	glyphs bool     // colourless: glyphs instead of colours
	esc    *escapes // nil when glyphs
	scale  int      // 0: half blocks; s ≥ 1: 2s columns by s rows a cell

	w, h    int          // arena cells
	cells   []paint      // row-major, w*h
	heads   map[int]rune // the letter on a head's cell, yours included
	letters map[game.PlayerID]rune
	shared  [game.Colors]bool // colours that more than one player has
	arrow   arrowMark         // your heading while you wait to start
	rows    []string          // rendered lines, walls included
	buf     []byte
}

// arrowMark is the arrow drawn ahead of your cycle in its ready phase.
type arrowMark struct {
	on  bool
	at  game.Point // the cell it is drawn on
	dir game.Dir
}

func newBoard(p colorprofile.Profile) *board {
	b := &board{glyphs: p <= colorprofile.ASCII, heads: map[int]rune{}, letters: map[game.PlayerID]rune{}}
	if !b.glyphs {
		b.esc = newEscapes(p)
	}
	return b
}

// width and height of the rendered board, walls included.
func (b *board) width() int { return boardWidth(b.w, b.scale) }
func (b *board) height() int {
	return boardHeight(b.h, b.scale)
}

func boardWidth(w, scale int) int {
	if scale == 0 {
		return w + 2
	}
	return 2*scale*w + 2
}

func boardHeight(h, scale int) int {
	if scale == 0 {
		return (h+1)/2 + 2
	}
	return scale*h + 2
}

// fitScale is the largest scale at which a w×h arena and extra columns
// and rows beside it fit a width×height screen: 0 (half blocks) when no
// larger one does.
func fitScale(w, h, extraW, extraH, width, height int) int {
	s := 0
	for boardWidth(w, s+1)+extraW <= width && boardHeight(h, s+1)+extraH <= height {
		s++
	}
	return s
}

// setScale renders the rows anew at scale s, if that changes them.
func (b *board) setScale(s int) {
	if s != b.scale {
		b.scale = s
		if len(b.cells) > 0 {
			b.render()
		}
	}
}

// update fills the board from snapshot s, with its own head marked as
// yours, and renders its rows. With predict, each remote cycle that has a
// prediction is drawn where it is now (s.DrawnHead) and its last heard
// head as a ghost; without, every head is drawn where it was last heard.
func (b *board) update(s *view.Snapshot, predict bool) {
	if s == nil || s.Arena == nil {
		return
	}
	b.fill(s, predict)
	b.render()
}

func (b *board) fill(snap *view.Snapshot, predict bool) {
	s, self := snap.Arena, snap.Self
	w, h := s.Params.Width, s.Params.Height
	if w != b.w || h != b.h || len(b.cells) != w*h {
		b.w, b.h = w, h
		b.cells = make([]paint, w*h)
	} else {
		clear(b.cells)
	}
	clear(b.heads)
	b.arrow = arrowMark{}
	b.assignLetters(s, self)
	b.findShared(s)
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
	if predict {
		b.paintPredicted(snap)
	}
	s.Cycles(func(c *game.Cycle) {
		head, ok := snap.DrawnHead(c.ID, predict)
		if !ok || len(c.Verts) == 0 || !s.Params.In(head) {
			return
		}
		i := head.Y*w + head.X
		b.heads[i] = b.letters[c.ID]
		if c.ID != self {
			b.cells[i] = headPaint(c.Color)
			return
		}
		b.cells[i] = paintOwnHead
		if c.Ready > 0 {
			b.markArrow(s, c)
		}
	})
}

// paintPredicted draws each prediction's cells, from the last heard head
// on, as its cycle's trail, and the last heard head as a ghost carrying
// the cycle's letter. The heads are drawn after, over them.
func (b *board) paintPredicted(snap *view.Snapshot) {
	for _, p := range snap.Predictions {
		c := snap.Arena.Cycle(p.ID)
		if c == nil || !c.Alive || p.ID == snap.Self || p.Head == p.Heard || !b.in(p.Heard) {
			continue
		}
		trail := trailPaint(c.Color)
		straightCells(p.Heard, p.Head, func(pt game.Point) {
			if b.in(pt) {
				b.cells[pt.Y*b.w+pt.X] = trail
			}
		})
		i := p.Heard.Y*b.w + p.Heard.X
		b.cells[i] = ghostPaint(c.Color)
		b.heads[i] = b.letters[c.ID]
	}
}

// straightCells calls f for every cell after from up to to, when the two
// lie on one row or column (a prediction runs straight); else for none.
func straightCells(from, to game.Point, f func(game.Point)) {
	if from.X != to.X && from.Y != to.Y {
		return
	}
	dx, dy := cmp.Compare(to.X, from.X), cmp.Compare(to.Y, from.Y)
	for pt := from; pt != to; {
		pt = game.Point{X: pt.X + dx, Y: pt.Y + dy}
		f(pt)
	}
}

// in reports whether pt is a cell of the board.
func (b *board) in(pt game.Point) bool { return pt.X >= 0 && pt.Y >= 0 && pt.X < b.w && pt.Y < b.h }

// markArrow puts the arrow on the first cell ahead of c that the board
// draws in another character than c's head, if it is free.
func (b *board) markArrow(s *game.Arena, c *game.Cycle) {
	at := c.Head.Add(c.Dir)
	if b.scale == 0 && at.X == c.Head.X && at.Y/2 == c.Head.Y/2 {
		at = at.Add(c.Dir)
	}
	if s.Params.In(at) && b.cells[at.Y*b.w+at.X] == paintEmpty {
		b.arrow = arrowMark{on: true, at: at, dir: c.Dir}
	}
}

// findShared marks the colours that two players have: past the palette's
// size (or while a clash lasts) their heads carry their letters in colour
// too, and their scoreboard swatches the letters.
func (b *board) findShared(s *game.Arena) {
	var n [game.Colors]int
	s.Cycles(func(c *game.Cycle) { n[colorIndex(c.Color)]++ })
	for i := range n {
		b.shared[i] = n[i] > 1
	}
}

// sharedHead is the letter to draw in character (x, r) of the colour
// board: a head of a shared colour in one of its two cells.
func (b *board) sharedHead(x, r int) (rune, paint, bool) {
	for _, i := range []int{2*r*b.w + x, (2*r+1)*b.w + x} {
		if i < len(b.cells) && isHead(b.cells[i]) && b.shared[slotOf(b.cells[i])] {
			return b.heads[i], b.cells[i], true
		}
	}
	return 0, 0, false
}

// assignLetters gives every cycle a letter for its head, different from
// every other's where the alphabet allows: the first letter of its name
// not yet taken, else a free one. Your own head is always @. Letters are
// kept across snapshots, so that a newcomer never relabels a head.
func (b *board) assignLetters(s *game.Arena, self game.PlayerID) {
	taken := map[rune]bool{}
	live := map[game.PlayerID]bool{}
	s.Cycles(func(c *game.Cycle) { live[c.ID] = true })
	for id, r := range b.letters {
		if !live[id] {
			delete(b.letters, id)
			continue
		}
		taken[r] = true
	}
	s.Cycles(func(c *game.Cycle) {
		if c.ID == self {
			b.letters[c.ID] = glyphOwnHead
			return
		}
		if _, ok := b.letters[c.ID]; ok {
			return
		}
		r := pickLetter(c.Name, taken)
		b.letters[c.ID] = r
		taken[r] = true
	})
}

// pickLetter is the first letter or digit of name, upper-cased, that is
// not taken, else the first free letter of the alphabet, else '?'.
func pickLetter(name game.Text, taken map[rune]bool) rune {
	for _, r := range string(name) {
		if u := unicode.ToUpper(r); u < 0x80 && (unicode.IsLetter(u) || unicode.IsDigit(u)) && !taken[u] {
			return u
		}
	}
	for r := 'A'; r <= 'Z'; r++ {
		if !taken[r] {
			return r
		}
	}
	return '?'
}

func (b *board) paintTrail(c *game.Cycle, p paint) {
	c.Cells(func(pt game.Point) bool {
		if b.in(pt) {
			b.cells[pt.Y*b.w+pt.X] = p
		}
		return true
	})
}

func (b *board) render() {
	b.rows = b.rows[:0]
	b.rows = append(b.rows, b.edge("┌", "┐"))
	switch {
	case b.scale > 0:
		for y := range b.h {
			row := b.scaledRow(y)
			for range b.scale {
				b.rows = append(b.rows, row)
			}
		}
	case b.glyphs:
		for r := 0; r < (b.h+1)/2; r++ {
			b.rows = append(b.rows, b.glyphRow(r))
		}
	default:
		for r := 0; r < (b.h+1)/2; r++ {
			b.rows = append(b.rows, b.colorRow(r))
		}
	}
	b.rows = append(b.rows, b.edge("└", "┘"))
}

func (b *board) edge(left, right string) string {
	line := left + strings.Repeat("─", b.width()-2) + right
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

// arrowGlyphs point the way a waiting cycle will go, by game.Dir.
var (
	arrowGlyphs = map[game.Dir]string{game.Up: "▲", game.Down: "▼", game.Left: "◀", game.Right: "▶"}
	arrowRunes  = map[game.Dir]rune{game.Up: '▲', game.Down: '▼', game.Left: '◀', game.Right: '▶'}
)

// arrowAt reports whether the ready arrow is drawn in character (x, r) of
// the half-block board.
func (b *board) arrowAt(x, r int) bool {
	return b.arrow.on && b.arrow.at.X == x && b.arrow.at.Y/2 == r
}

// colorRow renders character row r as half blocks, switching colour only
// where it changes.
func (b *board) colorRow(r int) string {
	buf := b.buf[:0]
	fg, bg := paintWall, paintEmpty
	buf = append(buf, b.esc.get(fg, bg)...)
	buf = append(buf, "│"...)
	for x := range b.w {
		ch, f, g := b.halfBlock(x, r)
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

// halfBlock is what character (x, r) of the colour board shows: its
// character and colours.
func (b *board) halfBlock(x, r int) (string, paint, paint) {
	up, lo := b.cellPair(x, r)
	switch {
	case b.arrowAt(x, r):
		return arrowGlyphs[b.arrow.dir], paintOwnHead, paintEmpty
	}
	if l, p, ok := b.sharedHead(x, r); ok {
		return string(l), p, paintEmpty
	}
	switch {
	case up == paintEmpty && lo == paintEmpty:
		// An empty cell has no colour at all, not the foreground left
		// over from its neighbour: the terminal would not show the
		// difference, but the renderer compares and diffs every cell of
		// every frame, and unstyled blanks are its cheapest.
		return " ", paintEmpty, paintEmpty
	case up == paintOwnHead:
		// Your head is always the foreground, which alone can blink. Its
		// empty twin is black: on a dark background nothing shows, on a
		// light one the white head sits on a black mark.
		return upperHalf, up, cmp.Or(lo, paintInk)
	case lo == paintOwnHead:
		return lowerHalf, lo, cmp.Or(up, paintInk)
	case lo == paintEmpty:
		return upperHalf, up, paintEmpty
	case up == paintEmpty:
		return lowerHalf, lo, paintEmpty
	case up == lo:
		return fullBlock, up, paintEmpty
	}
	return upperHalf, up, lo
}

// ghostRune is the mark of a ghost without colour: its cycle's head
// letter in lower case (a digit or ? has none: a degree sign then).
func ghostRune(letter rune) rune {
	if l := unicode.ToLower(letter); l != letter {
		return l
	}
	return glyphGhost
}

// glyphRow renders character row r without colour, as half blocks for
// what is there, so that a one-cell gap between two rows shows; a head
// shows its letter (yours an @), a fading trail a dot.
func (b *board) glyphRow(r int) string {
	buf := append(b.buf[:0], "│"...)
	for x := range b.w {
		buf = append(buf, b.glyphHalf(x, r)...)
	}
	buf = append(buf, "│"...)
	b.buf = buf
	return string(buf)
}

func (b *board) glyphHalf(x, r int) string {
	if b.arrowAt(x, r) {
		return arrowGlyphs[b.arrow.dir]
	}
	up, lo := b.cellPair(x, r)
	for _, i := range []int{2*r*b.w + x, (2*r+1)*b.w + x} {
		if i < len(b.cells) && (b.cells[i] == paintOwnHead || isHead(b.cells[i])) {
			return string(b.heads[i])
		}
	}
	for _, i := range []int{2*r*b.w + x, (2*r+1)*b.w + x} {
		if i < len(b.cells) && isGhost(b.cells[i]) {
			return string(ghostRune(b.heads[i]))
		}
	}
	solidUp := up != paintEmpty && !isFaded(up)
	solidLo := lo != paintEmpty && !isFaded(lo)
	switch {
	case solidUp && solidLo:
		return fullBlock
	case solidUp:
		return upperHalf
	case solidLo:
		return lowerHalf
	case up != paintEmpty || lo != paintEmpty:
		return string(glyphFaded)
	}
	return " "
}

// scaledRow renders arena row y at scale ≥ 1: each cell 2·scale columns.
func (b *board) scaledRow(y int) string {
	buf := b.buf[:0]
	fg, bg := paintWall, paintEmpty
	if !b.glyphs {
		buf = append(buf, b.esc.get(fg, bg)...)
	}
	buf = append(buf, "│"...)
	cw := 2 * b.scale
	for x := range b.w {
		lead, fill, f, g := b.scaledCell(x, y)
		if !b.glyphs && (f != fg || g != bg) {
			buf = append(buf, b.esc.change(fg, bg, f, g)...)
			fg, bg = f, g
		}
		n := cw
		if lead != 0 {
			buf = utf8.AppendRune(buf, lead)
			n--
		}
		for range n {
			buf = utf8.AppendRune(buf, fill)
		}
	}
	if !b.glyphs && (fg != paintWall || bg != paintEmpty) {
		buf = append(buf, b.esc.change(fg, bg, paintWall, paintEmpty)...)
	}
	buf = append(buf, "│"...)
	if !b.glyphs {
		buf = append(buf, sgrReset...)
	}
	b.buf = buf
	return string(buf)
}

// scaledCell is what cell (x, y) shows at scale ≥ 1: a leading
// character (0 for none) and the one that fills the cell's other columns,
// and their colours. A head shows its letter, a trail its colour (its
// glyph without colour). Every character is one column wide, and nothing
// is allocated: a frame draws every cell.
func (b *board) scaledCell(x, y int) (lead, fill rune, f, g paint) {
	i := y*b.w + x
	p := b.cells[i]
	switch {
	case b.arrow.on && b.arrow.at == (game.Point{X: x, Y: y}):
		return arrowRunes[b.arrow.dir], ' ', paintOwnHead, paintEmpty
	case p == paintEmpty:
		return 0, ' ', paintEmpty, paintEmpty
	case p == paintOwnHead && b.glyphs:
		return 0, glyphOwnHead, paintEmpty, paintEmpty
	case p == paintOwnHead:
		// A block that blinks white and black: it shows on any background.
		return 0, '█', paintOwnHead, paintInk
	case isHead(p) && b.glyphs:
		return b.heads[i], ' ', paintEmpty, paintEmpty
	case isHead(p):
		return b.heads[i], ' ', paintInk, p
	case isGhost(p) && b.glyphs:
		return ghostRune(b.heads[i]), ' ', paintEmpty, paintEmpty
	case isGhost(p):
		return ghostRune(b.heads[i]), ' ', paintInk, p
	case b.glyphs && isFaded(p):
		return 0, glyphFaded, paintEmpty, paintEmpty
	case b.glyphs:
		return 0, trailGlyphs[slotOf(p)], paintEmpty, paintEmpty
	}
	// A trail is blocks of its colour, not blanks on it: the renderer
	// matches lines by their characters alone to find scrolls, and rows
	// of coloured blanks look alike to it.
	return 0, '█', p, paintEmpty
}
