package game

// AssignColors gives each player, listed in increasing id order with its
// preferred palette index (-1 for none), a color, the same on every
// replica that knows the same players. Preferences are served first, in
// id order: a player keeps its preference when no lower id has taken it
// (so two players who join at the same instant with one preference settle
// it by id: the lower keeps it). Then every player without its color
// takes the first free index, in index order (the palette's preference
// order). Two players share a color only when all Colors are taken.
func AssignColors(wants []int) []int {
	out := make([]int, len(wants))
	var taken [Colors]bool
	for i, w := range wants {
		out[i] = -1
		if w >= 0 && w < Colors && !taken[w] {
			out[i], taken[w] = w, true
		}
	}
	next := 0
	for i := range out {
		if out[i] >= 0 {
			continue
		}
		for next < Colors && taken[next] {
			next++
		}
		if next == Colors {
			// Every color is taken: share, from the preference or by id.
			out[i] = max(wants[i], 0) % Colors
			continue
		}
		out[i], taken[next] = next, true
	}
	return out
}
