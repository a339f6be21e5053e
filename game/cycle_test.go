package game

import (
	"errors"
	"slices"
	"testing"
)

func TestTrailCells(t *testing.T) {
	tests := []struct {
		name  string
		verts []Point
		head  Point
		want  []Point
	}{
		{"faded", nil, Point{3, 3}, nil},
		{"spawn cell", []Point{{3, 3}}, Point{3, 3}, []Point{{3, 3}}},
		{"straight right", []Point{{3, 3}}, Point{6, 3}, []Point{{3, 3}, {4, 3}, {5, 3}, {6, 3}}},
		{"straight up", []Point{{3, 3}}, Point{3, 1}, []Point{{3, 3}, {3, 2}, {3, 1}}},
		{"one turn", []Point{{3, 3}, {5, 3}}, Point{5, 5}, []Point{{3, 3}, {4, 3}, {5, 3}, {5, 4}, {5, 5}}},
		{"crashed after turning", []Point{{3, 3}, {4, 3}}, Point{4, 3}, []Point{{3, 3}, {4, 3}}},
		{"spiral", []Point{{5, 5}, {6, 5}, {6, 6}, {4, 6}, {4, 4}}, Point{7, 4}, []Point{
			{5, 5}, {6, 5}, {6, 6}, {5, 6}, {4, 6}, {4, 5}, {4, 4}, {5, 4}, {6, 4}, {7, 4},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := &Cycle{Verts: tt.verts, Head: tt.head}
			if got := cells(c); !slices.Equal(got, tt.want) {
				t.Errorf("Cells = %v, want %v", got, tt.want)
			}
			if got := c.TrailLen(); got != len(tt.want) {
				t.Errorf("TrailLen() = %d, want %d", got, len(tt.want))
			}
			for i := 1; i < len(tt.want); i++ {
				if dist(tt.want[i-1], tt.want[i]) != 1 {
					t.Fatalf("bad test: %v and %v not adjacent", tt.want[i-1], tt.want[i])
				}
			}
		})
	}
}

func TestCellsStopsEarly(t *testing.T) {
	c := &Cycle{Verts: []Point{{0, 0}, {5, 0}}, Head: Point{5, 5}}
	n := 0
	c.Cells(func(Point) bool { n++; return n < 3 })
	if n != 3 {
		t.Errorf("Cells called f %d times after it returned false on the 3rd, want 3", n)
	}
	// A diagonal segment (an unvalidated trail) must not loop forever.
	c = &Cycle{Verts: []Point{{0, 0}, {2, 1}}, Head: Point{2, 3}}
	if got, want := cells(c), []Point{{0, 0}}; !slices.Equal(got, want) {
		t.Errorf("Cells of diagonal trail = %v, want %v", got, want)
	}
}

func TestValidateTrail(t *testing.T) {
	p := testParams // 20×20
	zigzag := []Point{{0, 0}}
	for i := range 30 { // 30 rows of 20 cells > 400 cells
		x := 19
		if i%2 == 1 {
			x = 0
		}
		zigzag = append(zigzag, Point{x, 0})
	}
	many := make([]Point, p.Width*p.Height+1)
	tests := []struct {
		name  string
		verts []Point
		head  Point
		dir   Dir
		want  error
	}{
		{"spawn cell", []Point{{5, 5}}, Point{5, 5}, Up, nil},
		{"faded", nil, Point{5, 5}, Left, nil},
		{"two turns", []Point{{1, 1}, {10, 1}, {10, 8}}, Point{3, 8}, Left, nil},
		{"corner to corner", []Point{{0, 0}, {19, 0}}, Point{19, 19}, Down, nil},
		{"bad dir", []Point{{5, 5}}, Point{5, 5}, Dir(4), ErrBadDir},
		{"diagonal segment", []Point{{1, 1}, {3, 3}}, Point{3, 5}, Down, ErrTrailNotContiguous},
		{"diagonal to head", []Point{{1, 1}}, Point{2, 2}, Down, ErrTrailNotContiguous},
		{"vertex left of arena", []Point{{-1, 1}}, Point{3, 1}, Right, ErrTrailOffArena},
		{"vertex below arena", []Point{{1, 1}, {1, 20}}, Point{3, 20}, Right, ErrTrailOffArena},
		{"head off arena", []Point{{1, 1}}, Point{20, 1}, Right, ErrTrailOffArena},
		{"faded head off arena", nil, Point{0, -1}, Up, ErrTrailOffArena},
		{"too many cells", zigzag, Point{0, 0}, Left, ErrTrailTooLong},
		{"too many vertices", many, Point{0, 0}, Left, ErrTrailTooLong},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := p.ValidateTrail(tt.verts, tt.head, tt.dir); !errors.Is(got, tt.want) {
				t.Errorf("ValidateTrail = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestCycleCloneSharesNothing(t *testing.T) {
	c := &Cycle{
		ID: 1, Name: "a", Alive: true, Head: Point{5, 3},
		Verts:    []Point{{1, 1}, {5, 1}},
		KilledBy: []Tally{{Killer: 2, Count: 1}},
		queue:    []Dir{Up},
		credited: map[PlayerID]uint16{2: 1},
	}
	d := c.Clone()
	if d.queue != nil || d.credited != nil {
		t.Errorf("Clone kept owner-only fields: queue %v, credited %v", d.queue, d.credited)
	}
	d.Verts[0].X = 9
	d.Verts = append(d.Verts, Point{7, 7})
	d.KilledBy[0].Count = 5
	d.Head.X = 0
	if got, want := c.Verts, []Point{{1, 1}, {5, 1}}; !slices.Equal(got, want) {
		t.Errorf("original Verts = %v after changing the clone's, want %v", got, want)
	}
	if got := c.KilledBy[0].Count; got != 1 {
		t.Errorf("original KilledBy count = %d after changing the clone's, want 1", got)
	}
	if c.Head.X != 5 {
		t.Errorf("original Head.X = %d, want 5", c.Head.X)
	}
}

func TestKilledByLedger(t *testing.T) {
	c := &Cycle{ID: 1}
	for _, k := range []PlayerID{5, 3, 5, 9, 3, 5} {
		c.addKilledBy(k)
	}
	want := []Tally{{3, 2}, {5, 3}, {9, 1}}
	if !slices.Equal(c.KilledBy, want) {
		t.Errorf("KilledBy = %v, want %v", c.KilledBy, want)
	}
	for _, tt := range []struct {
		k    PlayerID
		want uint16
	}{{3, 2}, {5, 3}, {9, 1}, {4, 0}, {0, 0}} {
		if got := c.KilledByCount(tt.k); got != tt.want {
			t.Errorf("KilledByCount(%d) = %d, want %d", tt.k, got, tt.want)
		}
	}
}
