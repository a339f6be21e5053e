package wire

import (
	"net/netip"

	"lanarena/game"
)

// Limits on variable-length fields. Append and Decode both enforce them;
// with them, every message fits in a sealed packet.
const (
	MaxNameBytes  = 64  // Hello.Name, CycleState.Name
	MaxRoomBytes  = 64  // Hello.Room
	MaxPeers      = 16  // Hello.Peers
	MaxLedger     = 32  // Hello.Ledger
	MaxStateVerts = 8   // State.Verts
	MaxChatBytes  = 640 // Chat.Text
	// MaxTrailVerts is the most vertices one Trail carries: as many as fit
	// in a sealed packet.
	MaxTrailVerts = (MaxPacket - HeaderLen - TagLen - MaxExtBytes - trailFixed) / 2
	// MaxCycleTrailVerts is the most vertices one CycleTrail carries: as
	// many as fit in a sealed packet.
	MaxCycleTrailVerts = (MaxPacket - HeaderLen - TagLen - MaxExtBytes - cycleTrailFixed) / 2
	// MaxExtBytes is the room every message leaves for its extension area
	// (see ext.go): the largest message, its tag and this many bytes of
	// extensions always fit in MaxPacket.
	MaxExtBytes = 32
)

// Hello flags.
const (
	HelloReply     uint8 = 1 << 0 // please answer with your own Hello
	HelloBot       uint8 = 1 << 1 // the sender's cycle is driven by the AI
	HelloSpectator uint8 = 1 << 2 // the sender watches and has no cycle
	HelloHost      uint8 = 1 << 3 // the sender hosts a server-mode room

	knownHelloFlags = HelloReply | HelloBot | HelloSpectator | HelloHost
)

// Hello introduces a peer, its room and what it knows. Peers send it on
// discovery, as a heartbeat, and in answer to HelloReply.
type Hello struct {
	Flags uint8 // HelloReply | HelloBot | HelloSpectator | HelloHost
	Mode  Mode  // ModeP2P or ModeServer
	Color uint8 // palette index; the caller checks it against game.Colors
	// Params are the room's rules: Width, Height, TickRate and FirstTo
	// (0: drop-in play without matches).
	Params game.Params
	Name   string // raw bytes, at most MaxNameBytes; clean before display
	Room   string // raw bytes, at most MaxRoomBytes
	// Match is the sender's match: its epoch and, once decided, its
	// winner (see State).
	Match  uint16
	Winner game.PlayerID
	Peers  []PeerAddr
	Ledger []game.Tally // the sender's deaths by killer
}

// PeerAddr is a peer the sender knows, gossiped in Hello.
type PeerAddr struct {
	ID   game.PlayerID // never 0
	Addr netip.AddrPort
}

// State is the owner's announcement of its cycle, sent on change (see
// stream.go; every tick in an earlier revision). Verts
// are the last len(Verts) vertices of a trail polyline of VertTotal
// vertices: indices VertTotal-len(Verts) .. VertTotal-1.
type State struct {
	Tick        uint32
	Life        uint16
	Alive       bool
	Dir         game.Dir
	Head        game.Point
	DeadTicks   uint8
	Ready       uint8 // ticks left of the life's ready phase: waiting at Head, heading Dir
	Killer      game.PlayerID
	KillerCount uint16 // how often Killer has got this cycle, all lives
	Kills       uint16
	Deaths      uint16
	Streak      uint16
	Best        uint16
	// Match is the match epoch the cycle's ledger, kills and deaths belong
	// to (0 in a room without matches). Winner is the winner of that
	// match as the owner knows it, 0 while it is being played.
	Match     uint16
	Winner    game.PlayerID
	VertTotal uint16
	Verts     []game.Point
	// Stream is the send-on-change stream's part of a State message
	// (extensions ExtAck, ExtTime, ExtEcho). The State inside a MoveAck or
	// CycleState carries none: leave it zero there.
	Stream Stream
}

// Leave says the sender is leaving the room for good.
type Leave struct{}

// Ping asks for a Pong with the same number.
type Ping struct{ Nonce uint64 }

// Pong answers a Ping.
type Pong struct{ Echo uint64 }

// TrailReq asks the owner of a cycle for the vertices From.. of life Life.
type TrailReq struct {
	Life uint16
	From uint16
}

// Trail carries vertices From .. From+len(Verts)-1 of the trail of life
// Life, which has Total vertices.
type Trail struct {
	Life  uint16
	From  uint16
	Total uint16
	Verts []game.Point // at most MaxTrailVerts
}

// Chat is one chat line. Seq numbers the sender's lines to this receiver,
// from 1; it is not the header's Seq.
type Chat struct {
	Seq  uint32
	Text string // raw bytes, at most MaxChatBytes; clean before display
}

// ChatAck says that every chat line numbered up to UpTo arrived.
type ChatAck struct{ UpTo uint32 }

// MoveReq asks the host of a server-mode room to move the sender's cycle
// one step, turning to Dir first if Turn is set.
type MoveReq struct {
	Req  uint32
	Dir  game.Dir
	Turn bool
}

// MoveAck is the host's answer to MoveReq Req: the client's cycle after
// the move, as of host tick Tick.
type MoveAck struct {
	Req   uint32
	Tick  uint32
	State State
}

// CycleState is a server-mode host's report of any cycle it hosts.
type CycleState struct {
	Owner game.PlayerID // never 0
	Name  string        // at most MaxNameBytes
	Color uint8
	State State
}

// CycleTrailReq asks the host of a server-mode room for the vertices
// From.. of life Life of the cycle of player Owner.
type CycleTrailReq struct {
	Owner game.PlayerID // never 0
	Life  uint16
	From  uint16
}

// CycleTrail is a server-mode host's Trail of the cycle of player Owner:
// vertices From .. From+len(Verts)-1 of the trail of life Life, which has
// Total vertices.
type CycleTrail struct {
	Owner game.PlayerID // never 0
	Life  uint16
	From  uint16
	Total uint16
	Verts []game.Point // at most MaxCycleTrailVerts
}

// Type implements Message.
func (*Hello) Type() Type { return TypeHello }

// Type implements Message.
func (*State) Type() Type { return TypeState }

// Type implements Message.
func (*Leave) Type() Type { return TypeLeave }

// Type implements Message.
func (*Ping) Type() Type { return TypePing }

// Type implements Message.
func (*Pong) Type() Type { return TypePong }

// Type implements Message.
func (*TrailReq) Type() Type { return TypeTrailReq }

// Type implements Message.
func (*Trail) Type() Type { return TypeTrail }

// Type implements Message.
func (*Chat) Type() Type { return TypeChat }

// Type implements Message.
func (*ChatAck) Type() Type { return TypeChatAck }

// Type implements Message.
func (*MoveReq) Type() Type { return TypeMoveReq }

// Type implements Message.
func (*MoveAck) Type() Type { return TypeMoveAck }

// Type implements Message.
func (*CycleState) Type() Type { return TypeCycleState }

// Type implements Message.
func (*CycleTrailReq) Type() Type { return TypeCycleTrailReq }

// Type implements Message.
func (*CycleTrail) Type() Type { return TypeCycleTrail }
