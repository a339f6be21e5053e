package net

import (
	"strings"
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

// TestColorsSettleAtLoss: five players meet at the same instant at 20 %
// loss, two of them wanting colour 3. Every screen converges on the same
// colours, all distinct: the lower id keeps 3, the others take the
// first free ones in index order, and the one refused is told.
func TestColorsSettleAtLoss(t *testing.T) {
	n := newSimNetWith(t, 8, 5, func(i int, c *Config) {
		if i == 1 || i == 3 {
			c.Color = 3
		}
	})
	n.loss = 0.2
	for _, l := range n.cores {
		for _, o := range n.cores {
			if o != l {
				l.addCandidate(o.p.Addr(), false, n.now)
			}
		}
	}
	for range 150 {
		n.advance(false)
	}
	want := map[game.PlayerID]int{1000: 0, 1001: 3, 1002: 1, 1003: 2, 1004: 4}
	for _, l := range n.cores {
		if l.st.Len() != 5 {
			t.Fatalf("%s knows %d cycles, want 5", l.p.cfg.Name, l.st.Len())
		}
		l.st.Cycles(func(c *game.Cycle) {
			if c.Color != want[c.ID] {
				t.Errorf("%s's screen: player %d has colour %d, want %d", l.p.cfg.Name, c.ID, c.Color, want[c.ID])
			}
		})
	}
	told := false
	for _, line := range n.cores[3].logLines {
		told = told || line.Text == "colour 3 is taken: you are colour 2"
	}
	if !told {
		t.Errorf("p3 was not told its colour was taken: log %v", n.cores[3].logLines)
	}
	for _, line := range n.cores[1].logLines {
		if strings.Contains(string(line.Text), "is taken") {
			t.Errorf("p1, who kept its colour, was told %q", line.Text)
		}
	}
}
