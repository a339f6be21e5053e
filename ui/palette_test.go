package ui

import (
	"fmt"
	"image/color"
	"math"
	"strings"
	"testing"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/ansi"

	"lanarena/game"
)

// lab is a colour in CIE L*a*b* (D65).
type lab [3]float64

func linear(c uint32) float64 {
	v := float64(c>>8) / 255
	if v <= 0.04045 {
		return v / 12.92
	}
	return math.Pow((v+0.055)/1.055, 2.4)
}

func labOfLinear(r, g, b float64) lab {
	x := (0.4124*r + 0.3576*g + 0.1805*b) / 0.95047
	y := 0.2126*r + 0.7152*g + 0.0722*b
	z := (0.0193*r + 0.1192*g + 0.9505*b) / 1.08883
	f := func(t float64) float64 {
		if t > 216.0/24389 {
			return math.Cbrt(t)
		}
		return (24389.0/27*t + 16) / 116
	}
	return lab{116*f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))}
}

func labOf(c color.Color) lab {
	r, g, b, _ := c.RGBA()
	return labOfLinear(linear(r), linear(g), linear(b))
}

// deuteranope is c as seen with deuteranopia: the Machado, Oliveira and
// Fernandes (2009) matrix at full severity, on linear RGB.
func deuteranope(c color.Color) lab {
	r, g, b, _ := c.RGBA()
	lr, lg, lb := linear(r), linear(g), linear(b)
	clamp := func(v float64) float64 { return max(0, min(1, v)) }
	return labOfLinear(
		clamp(0.367322*lr+0.860646*lg-0.227968*lb),
		clamp(0.280085*lr+0.672501*lg+0.047413*lb),
		clamp(-0.011820*lr+0.042940*lg+0.968881*lb))
}

// deltaE is the CIE76 colour difference.
func deltaE(a, b lab) float64 {
	return math.Sqrt((a[0]-b[0])*(a[0]-b[0]) + (a[1]-b[1])*(a[1]-b[1]) + (a[2]-b[2])*(a[2]-b[2]))
}

// in256 is a palette slot as a 256-colour terminal shows it.
func in256(i int) color.Color {
	return ansi.IndexedColor(ansi.Convert256(lipgloss.Color(palette[i].trail)))
}

// minDistance is the least ΔE between any two of the first n colours,
// each seen through see.
func minDistance(n int, colour func(int) color.Color, see func(color.Color) lab) (float64, string) {
	least, pair := math.Inf(1), ""
	for i := range n {
		for j := i + 1; j < n; j++ {
			if d := deltaE(see(colour(i)), see(colour(j))); d < least {
				least, pair = d, fmt.Sprintf("%d and %d", i, j)
			}
		}
	}
	return least, pair
}

func TestPaletteIsDistinct(t *testing.T) {
	tests := []struct {
		name string
		see  func(color.Color) lab
		n    int
		want float64
	}{
		{"first four", labOf, 4, 45},
		{"first eight", labOf, 8, 30},
		{"all twelve", labOf, game.Colors, 20},
		// Red-green colour blindness: about 1 man in 16.
		{"first four, deuteranopia", deuteranope, 4, 40},
		{"first eight, deuteranopia", deuteranope, 8, 20},
	}
	for _, tt := range tests {
		got, pair := minDistance(tt.n, in256, tt.see)
		t.Logf("%s in 256 colours: least ΔE %.1f (%s)", tt.name, got, pair)
		if got < tt.want {
			t.Errorf("%s: colours %s are %.1f apart (CIE76), want ≥ %.0f", tt.name, pair, got, tt.want)
		}
	}
}

func TestPaletteIsExactIn256Colours(t *testing.T) {
	// Cube colours: a 24-bit terminal and a 256-colour one show the same.
	for i, c := range palette {
		if got := ansi.Convert256(lipgloss.Color(c.trail)); labOf(ansi.IndexedColor(got)) != labOf(lipgloss.Color(c.trail)) {
			t.Errorf("slot %d %s is not a colour of the 256-colour cube (nearest %d)", i, c.trail, got)
		}
	}
}

func TestPaletteSixteenColours(t *testing.T) {
	seen := map[int]int{}
	for i, c := range palette {
		switch c.ansi {
		case 0, 7, 8, 15:
			t.Errorf("slot %d uses ANSI colour %d, kept for black, text, walls or your head", i, c.ansi)
		}
		if j, ok := seen[c.ansi]; ok {
			t.Errorf("slots %d and %d share ANSI colour %d", j, i, c.ansi)
		}
		seen[c.ansi] = i
	}
	// The first six are the bright hues: the most distinct on any theme.
	for i := range 6 {
		if palette[i].ansi < 9 {
			t.Errorf("slot %d is ANSI %d, want one of the bright hues 9..14", i, palette[i].ansi)
		}
	}
}

func TestOwnHeadStandsOut(t *testing.T) {
	// In every colour profile your head differs from every other paint,
	// blinks, and sits on black: seen on dark and light backgrounds.
	for _, p := range []colorprofile.Profile{colorprofile.TrueColor, colorprofile.ANSI256, colorprofile.ANSI} {
		own := paintColor(p, paintOwnHead)
		for pt := paint(1); pt < paintOwnHead; pt++ {
			if sameColor(paintColor(p, pt), own) {
				t.Errorf("%v: paint %d has your head's colour", p, pt)
			}
		}
		e := newEscapes(p)
		if got := e.fgOnly[paintOwnHead]; !containsAttr(got, "5") {
			t.Errorf("%v: your head does not blink: %q", p, got)
		}
		for pt := paint(0); pt < paint(numPaints); pt++ {
			if pt != paintOwnHead && containsAttr(e.fgOnly[pt], "5") {
				t.Errorf("%v: paint %d blinks", p, pt)
			}
		}
	}
}

func sameColor(a, b color.Color) bool {
	ar, ag, ab, _ := a.RGBA()
	br, bg, bb, _ := b.RGBA()
	return ar == br && ag == bg && ab == bb
}

// containsAttr reports whether the SGR sequences in seq set attribute a,
// skipping the arguments of extended colours (38;5;n and 38;2;r;g;b).
func containsAttr(seq, a string) bool {
	for _, part := range strings.Split(seq, "\x1b[")[1:] {
		params := strings.Split(strings.TrimSuffix(part, "m"), ";")
		for i := 0; i < len(params); i++ {
			switch params[i] {
			case "38", "48", "58":
				if i+1 < len(params) && params[i+1] == "5" {
					i += 2
				} else {
					i += 4
				}
				continue
			}
			if params[i] == a {
				return true
			}
		}
	}
	return false
}

func TestOwnHeadBlinksBesideItsTrail(t *testing.T) {
	// Your head in either half of a character, the other half your
	// trail: the head is the foreground (the part that blinks), drawn in
	// the head's half block.
	p := game.Params{Width: 16, Height: 16, TickRate: 15}
	for _, tt := range []struct {
		name string
		head game.Point
		dir  game.Dir
		want string
	}{
		{"head below its trail", game.Point{X: 4, Y: 5}, game.Down, lowerHalf},
		{"head above its trail", game.Point{X: 4, Y: 4}, game.Up, upperHalf},
	} {
		start := game.Point{X: 4, Y: 1}
		if tt.dir == game.Up {
			start = game.Point{X: 4, Y: 9}
		}
		snap := arenaWith(t, p, 1, &game.Cycle{ID: 1, Name: "me", Color: 0, Alive: true, Dir: tt.dir,
			Head: tt.head, Verts: []game.Point{start}})
		b := newBoard(colorprofile.ANSI256)
		b.update(&snap, true)
		ch, f, g := b.halfBlock(4, 2)
		if ch != tt.want || f != paintOwnHead || g != trailPaint(0) {
			t.Errorf("%s: drawn %q fg %d bg %d, want %q fg %d (your head) bg %d (your trail)",
				tt.name, ch, f, g, tt.want, paintOwnHead, trailPaint(0))
		}
	}
}

func TestHeadsAreNotAnotherPlayersColour(t *testing.T) {
	// A head is its trail's colour, brighter: never another player's
	// trail colour, in any profile.
	for _, p := range []colorprofile.Profile{colorprofile.TrueColor, colorprofile.ANSI256, colorprofile.ANSI} {
		for i := range game.Colors {
			head := paintColor(p, headPaint(i))
			for j := range game.Colors {
				if j != i && sameColor(head, paintColor(p, trailPaint(j))) {
					t.Errorf("%v: slot %d's head has slot %d's trail colour", p, i, j)
				}
			}
		}
	}
}
