package net

import "lanarena/net/wire"

// DropReason names why a received packet was dropped. The list below is
// the only one: README.md's drop-reason list and PROTOCOL.md 5.2 describe
// these names, snapshots count drops under them, and tests refer to the
// constants, never to the strings.
type DropReason string

// Drop reasons. The decoder's reasons are wire.Reason's names.
const (
	// Before the admit gate: the UDP reader's per-source limit (a node's).
	DropSourceLimit DropReason = "source-limit"

	// The admit gate, in the order of its checks (PROTOCOL.md 5.2).
	DropRateLimit       DropReason = "rate-limit"
	DropTooBig          DropReason = "too-big"
	DropTruncated       DropReason = "truncated"
	DropBadMagic        DropReason = "bad-magic"
	DropVersion         DropReason = "version"
	DropUnknownType     DropReason = "unknown-type"
	DropBadField        DropReason = "bad-field"
	DropTrailingBytes   DropReason = "trailing-bytes"
	DropOther           DropReason = "other" // a decoder error of no known kind: never expected
	DropWrongRoom       DropReason = "wrong-room"
	DropAuth            DropReason = "auth"
	DropUnauthenticated DropReason = "unauthenticated"
	DropLocked          DropReason = "locked"
	DropUnproven        DropReason = "unproven"    // a stranger's Hello past its reply budget (PROTOCOL.md 4.13)
	DropBadCookie       DropReason = "bad-cookie"  // a HelloProof whose cookie is not ours or too old
	DropUnsolicited     DropReason = "unsolicited" // a Challenge or Refusal from an address not greeted

	// Membership.
	DropOwnID         DropReason = "own-id"
	DropIncompatible  DropReason = "incompatible"
	DropSpoofed       DropReason = "spoofed"
	DropRoomFull      DropReason = "room-full"
	DropUnknownSender DropReason = "unknown-sender"
	DropReplay        DropReason = "replay"
	DropWrongMode     DropReason = "wrong-mode"

	// Replication.
	DropSpectatorState DropReason = "spectator-state"
	DropStale          DropReason = "stale"           // a State or CycleState not newer than the last applied
	DropStaleTrailReq  DropReason = "stale-trail-req" // a TrailReq or CycleTrailReq for a cycle or life the owner does not have
	DropTrailGap       DropReason = "trail-gap"       // a Trail or CycleTrail that does not join the known trail
	DropOffArena       DropReason = "off-arena"
	DropTeleport       DropReason = "teleport"
	DropBadTrail       DropReason = "bad-trail"
	DropBadEcho        DropReason = "bad-echo" // an RTT echo of a time never sent (stream.go)

	// Server mode.
	DropNotHost      DropReason = "not-host"
	DropStaleMoveReq DropReason = "stale-move-req" // a MoveReq below the latest answered
	DropStaleMoveAck DropReason = "stale-move-ack" // a MoveAck not for the outstanding request

	// Chat, and the stream's acknowledgements (stream.go).
	DropBadAck        DropReason = "bad-ack"
	DropChatDuplicate DropReason = "chat-duplicate"
	DropChatWindow    DropReason = "chat-window"
)

// badDrops are the reasons no honest peer causes: each counts toward
// marking its source address suspect (PROTOCOL.md 5.3). The others are
// normal on a LAN: a neighbour room, a late packet, a peer that left, a
// message type from a later revision of the protocol.
var badDrops = map[DropReason]bool{
	DropTooBig: true, DropTruncated: true, DropBadMagic: true,
	DropBadField: true, DropTrailingBytes: true, DropOther: true, DropAuth: true,
	DropUnauthenticated: true, DropSpoofed: true, DropReplay: true, DropSpectatorState: true,
	DropOffArena: true, DropTeleport: true, DropBadTrail: true,
}

// Bad reports whether r counts against the source (see badDrops).
func (r DropReason) Bad() bool { return badDrops[r] }

// codecDrop is the reason for a codec error.
func codecDrop(err error) DropReason { return DropReason(wire.Reason(err)) }
