// Package net is lanarena's peer-to-peer layer: the UDP transport, mDNS
// discovery, membership and the replication loop that owns a game replica.
// It knows nothing about screens: what it shows the world is a Snapshot.
package net

import "lanarena/net/view"

// The pictures the peer layer publishes live in package view, so that
// screens depend on them without importing the network stack.
type (
	Snapshot  = view.Snapshot
	PeerStats = view.PeerStats
	LogLine   = view.LogLine
	ChatLine  = view.ChatLine
	DropCount = view.DropCount
	RoomInfo  = view.RoomInfo
)
