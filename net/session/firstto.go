package session

import gamenet "lanarena/net"

// setFirstTo gives a room created in the lobby its first-to-N rule
// (game.Params.FirstTo; 0 is drop-in play).
func setFirstTo(cfg *gamenet.NodeConfig, firstTo int) {
	cfg.Peer.Params.FirstTo = firstTo
}
