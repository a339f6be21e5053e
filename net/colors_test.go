package net

import (
	"testing"

	"lanarena/game"
)

// TestColorsAndNamesAgreeAndDiffer: twelve players who all want color 0 and the
// name "bob" get twelve colors and twelve names, the same on every screen.
func TestColorsAndNamesAgreeAndDiffer(t *testing.T) {
	n := newSimNetWith(t, 2, 12, func(i int, c *Config) {
		c.Color, c.Name = 0, "bob"
	})
	for _, l := range n.cores[1:] {
		for _, o := range n.cores {
			if o != l {
				l.addCandidate(o.p.Addr(), false, n.now)
			}
		}
	}
	for range 60 {
		n.advance(false)
	}
	ref := n.cores[0]
	if ref.st.Len() != 12 {
		t.Fatalf("%d cycles, want 12", ref.st.Len())
	}
	for _, l := range n.cores {
		colors := map[int]game.PlayerID{}
		names := map[game.Text]game.PlayerID{}
		l.st.Cycles(func(c *game.Cycle) {
			if other, dup := colors[c.Color]; dup {
				t.Errorf("%s's screen: %d and %d share color %d", l.p.cfg.Name, other, c.ID, c.Color)
			}
			colors[c.Color] = c.ID
			if other, dup := names[c.Name]; dup {
				t.Errorf("%s's screen: %d and %d share the name %q", l.p.cfg.Name, other, c.ID, c.Name)
			}
			names[c.Name] = c.ID
			rc := ref.st.Cycle(c.ID)
			if rc == nil || rc.Color != c.Color || rc.Name != c.Name {
				t.Errorf("player %d looks different on two screens: %+v vs %+v", c.ID, c.Name, rc)
			}
		})
	}
}
