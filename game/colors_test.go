package game

import (
	"slices"
	"testing"
)

func TestAssignColors(t *testing.T) {
	tests := []struct {
		name  string
		wants []int
		want  []int
	}{
		{"no preferences: first free in order", []int{-1, -1, -1, -1}, []int{0, 1, 2, 3}},
		{"a preference is kept", []int{-1, 5, -1}, []int{0, 5, 1}},
		{"a clash: the lower id keeps it", []int{3, 3}, []int{3, 0}},
		{"preferences before the rest", []int{-1, 0}, []int{1, 0}},
		{"out of range is none", []int{12, -7}, []int{0, 1}},
	}
	for _, tt := range tests {
		if got := AssignColors(tt.wants); !slices.Equal(got, tt.want) {
			t.Errorf("%s: AssignColors(%v) = %v, want %v", tt.name, tt.wants, got, tt.want)
		}
	}
	many := make([]int, Colors+3)
	for i := range many {
		many[i] = -1
	}
	got := AssignColors(many)
	seen := map[int]bool{}
	for _, c := range got[:Colors] {
		if seen[c] {
			t.Errorf("color %d shared while one is free: %v", c, got)
		}
		seen[c] = true
	}
}
