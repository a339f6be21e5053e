package game

import "testing"

func TestDirHelpers(t *testing.T) {
	tests := []struct {
		d        Dir
		opposite Dir
		dx, dy   int
		name     string
	}{
		{Up, Down, 0, -1, "up"},
		{Right, Left, 1, 0, "right"},
		{Down, Up, 0, 1, "down"},
		{Left, Right, -1, 0, "left"},
	}
	for _, tt := range tests {
		if got := tt.d.Opposite(); got != tt.opposite {
			t.Errorf("%v.Opposite() = %v, want %v", tt.d, got, tt.opposite)
		}
		if got := tt.d.Opposite().Opposite(); got != tt.d {
			t.Errorf("%v.Opposite().Opposite() = %v, want %v", tt.d, got, tt.d)
		}
		if dx, dy := tt.d.Delta(); dx != tt.dx || dy != tt.dy {
			t.Errorf("%v.Delta() = %d,%d, want %d,%d", tt.d, dx, dy, tt.dx, tt.dy)
		}
		if got, want := (Point{5, 5}).Add(tt.d), (Point{5 + tt.dx, 5 + tt.dy}); got != want {
			t.Errorf("Point{5,5}.Add(%v) = %v, want %v", tt.d, got, want)
		}
		if got := tt.d.String(); got != tt.name {
			t.Errorf("Dir(%d).String() = %q, want %q", uint8(tt.d), got, tt.name)
		}
		if !tt.d.Valid() {
			t.Errorf("%v.Valid() = false, want true", tt.d)
		}
	}
	for _, d := range []Dir{4, 7, 255} {
		if d.Valid() {
			t.Errorf("Dir(%d).Valid() = true, want false", uint8(d))
		}
		if got, want := d.String(), "dir("; len(got) < len(want) || got[:len(want)] != want {
			t.Errorf("Dir(%d).String() = %q, want prefix %q", uint8(d), got, want)
		}
	}
}

func TestParams(t *testing.T) {
	tests := []struct {
		p     Params
		valid bool
	}{
		{DefaultParams(), true},
		{Params{MinSize, MinSize, MinTickRate, 0}, true},
		{Params{MaxSize, MaxSize, MaxTickRate, MaxFirstTo}, true},
		{Params{MinSize - 1, 20, 15, 0}, false},
		{Params{20, MaxSize + 1, 15, 0}, false},
		{Params{20, 20, 0, 0}, false},
		{Params{20, 20, 15, -1}, false},
		{Params{20, 20, 15, MaxFirstTo + 1}, false},
		{Params{20, 20, MaxTickRate + 1, 0}, false},
	}
	for _, tt := range tests {
		if err := tt.p.Validate(); (err == nil) != tt.valid {
			t.Errorf("%+v.Validate() = %v, want valid %v", tt.p, err, tt.valid)
		}
	}
	p := Params{Width: 20, Height: 10, TickRate: 15}
	for _, tt := range []struct {
		c  Point
		in bool
	}{
		{Point{0, 0}, true}, {Point{19, 9}, true}, {Point{-1, 0}, false},
		{Point{0, -1}, false}, {Point{20, 0}, false}, {Point{0, 10}, false},
	} {
		if got := p.In(tt.c); got != tt.in {
			t.Errorf("In(%v) = %v, want %v", tt.c, got, tt.in)
		}
	}
	for _, rate := range []int{1, 2, 15, 60} {
		p := Params{Width: 20, Height: 20, TickRate: rate}
		if got := p.FadeTicks(); got < 1 || got >= p.RespawnTicks() {
			t.Errorf("tick rate %d: FadeTicks() = %d, want 1..RespawnTicks()-1 (%d)", rate, got, p.RespawnTicks()-1)
		}
	}
}
