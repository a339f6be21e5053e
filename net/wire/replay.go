package wire

// ReplayWindow is how far behind the newest sequence number a packet may
// be and still be accepted once.
const ReplayWindow = 2048

const (
	replayBlockBits = 64 // bits per ring word
	// replayBlocks is a power of two with (replayBlocks-1)*replayBlockBits
	// >= ReplayWindow: the word holding the newest sequence number may be
	// partly filled, and a whole window must still fit behind it.
	replayBlocks = 64
)

// Replay is a sliding-window filter of sequence numbers, as in WireGuard:
// it accepts each number once, provided it is no more than ReplayWindow-1
// behind the newest number accepted so far.
//
// The zero value for Replay is an empty filter ready to use. Replay is
// unsafe for concurrent use. Sequence numbers do not wrap: once the newest
// number is near 2³², smaller numbers count as old.
type Replay struct {
	last uint32               // newest sequence number accepted
	ring [replayBlocks]uint64 // bit s%64 of word (s/64)%replayBlocks: s was seen
}

// Accept reports whether seq is new, and records it. It returns false for
// a number already accepted and for one ReplayWindow or more behind the
// newest.
func (r *Replay) Accept(seq uint32) bool {
	block := seq / replayBlockBits
	if seq > r.last {
		// Slide forward, clearing the words between the old newest and
		// the new one (all of them after a jump of a whole ring).
		cur := r.last / replayBlockBits
		diff := min(block-cur, replayBlocks)
		for i := cur + 1; i <= cur+diff; i++ {
			r.ring[i%replayBlocks] = 0
		}
		r.last = seq
	} else if r.last-seq >= ReplayWindow {
		return false
	}
	word := &r.ring[block%replayBlocks]
	bit := uint64(1) << (seq % replayBlockBits)
	if *word&bit != 0 {
		return false
	}
	*word |= bit
	return true
}
