package view

import (
	"time"

	"lanarena/game"
	"lanarena/net/wire"
)

// WireDir says which way a recorded packet went.
type WireDir uint8

// Directions of a wire event.
const (
	WireOut WireDir = iota + 1 // this peer sent it
	WireIn                     // this peer received it (and may have dropped it: Reason)
)

// WireEvent is one packet this peer sent or received, as this peer saw
// it: nothing here comes from an impairment layer, so the wire view works
// the same on a real bad network.
type WireEvent struct {
	At   time.Time
	Dir  WireDir
	Peer game.PlayerID // the other end: the member sent to, or the sender the header claims; 0 when unknown
	Type wire.Type     // 0 when the packet was dropped before its header was read
	Seq  uint32        // the header's sequence number (per receiver for members)
	// Ref pairs a request with its answer: the chat line number (Chat,
	// ChatAck's UpTo), the move request number (MoveReq, MoveAck), the
	// ping nonce's low bits (Ping, Pong); 0 for none.
	Ref    uint32
	Tick   uint32 // the sender's tick, for State, MoveAck and CycleState
	Reason string // why this peer dropped it; "" when kept
}

// WireLog is the recent traffic of one peer, oldest first: a copy of the
// core's fixed ring, published in a Snapshot only while a wire view asked
// for it (Peer.WireLog).
type WireLog struct {
	Self   game.PlayerID
	Period time.Duration // one tick
	Events []WireEvent
}

// WireRef is the Ref of msg (see WireEvent.Ref) and the sender's tick it
// carries, if any.
func WireRef(msg wire.Message) (ref, tick uint32) {
	switch m := msg.(type) {
	case *wire.State:
		return 0, m.Tick
	case *wire.CycleState:
		return 0, m.State.Tick
	case *wire.Chat:
		return m.Seq, 0
	case *wire.ChatAck:
		return m.UpTo, 0
	case *wire.MoveReq:
		return m.Req, 0
	case *wire.MoveAck:
		return m.Req, m.Tick
	case *wire.Ping:
		return uint32(m.Nonce), 0
	case *wire.Pong:
		return uint32(m.Echo), 0
	}
	return 0, 0
}
