package game

// The digest hashes 64-bit words FNV-style, each step a bijection (xor,
// multiply by an odd prime, xor-shift), so that a single changed word
// always changes the result. It is the same on every platform and in
// every process, so replicas on different peers can compare digests.
const (
	hashOffset = 14695981039346656037
	hashPrime  = 1099511628211
)

type hasher uint64

func (h *hasher) u64(v uint64) {
	x := (uint64(*h) ^ v) * hashPrime
	*h = hasher(x ^ x>>32)
}

func (h *hasher) int(v int) { h.u64(uint64(int64(v))) }

func (h *hasher) point(p Point) { h.u64(uint64(uint32(p.X))<<32 | uint64(uint32(p.Y))) }

func (h *hasher) string(s string) {
	h.int(len(s))
	for ; len(s) >= 8; s = s[8:] {
		h.u64(uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24 |
			uint64(s[4])<<32 | uint64(s[5])<<40 | uint64(s[6])<<48 | uint64(s[7])<<56)
	}
	var tail uint64
	for i := range len(s) {
		tail |= uint64(s[i]) << (8 * i)
	}
	h.u64(tail)
}

// Digest summarises every replicated field of every cycle (see
// CycleDigest), in id order. Two replicas that agree on all cycles have
// equal digests whatever their Tick; the network layer compares them to
// check convergence.
func (s *State) Digest() uint64 {
	h := hasher(hashOffset)
	h.int(len(s.order))
	for _, id := range s.order {
		h.u64(uint64(id))
		h.u64(s.cycles[id].digest())
	}
	return uint64(h)
}

// CycleDigest summarises the replicated fields of cycle id: ID, Name,
// Color, Alive, Life, Dir, Head, Verts, Kills, Deaths, Streak, Best and
// KilledBy. Left out are what each replica counts for itself (DeadTicks),
// what only the owner keeps (the input queue, its kill credits) and the
// presentation fields Bot and Killer. It returns 0 when there is no such
// cycle.
func (s *State) CycleDigest(id PlayerID) uint64 {
	c := s.cycles[id]
	if c == nil {
		return 0
	}
	return c.digest()
}

func (c *Cycle) digest() uint64 {
	h := hasher(hashOffset)
	h.u64(uint64(c.ID))
	h.string(string(c.Name))
	h.int(c.Color)
	alive := uint64(0)
	if c.Alive {
		alive = 1
	}
	h.u64(alive<<32 | uint64(c.Life)<<8 | uint64(c.Dir))
	h.point(c.Head)
	h.int(len(c.Verts))
	for _, v := range c.Verts {
		h.point(v)
	}
	h.u64(uint64(c.Kills)<<48 | uint64(c.Deaths)<<32 | uint64(c.Streak)<<16 | uint64(c.Best))
	h.int(len(c.KilledBy))
	for _, t := range c.KilledBy {
		h.u64(uint64(t.Killer)<<16 | uint64(t.Count))
	}
	if h == 0 {
		h = 1 // 0 means "no such cycle"
	}
	return uint64(h)
}
