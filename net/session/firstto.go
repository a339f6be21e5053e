package session

import gamenet "lanarena/net"

// setFirstTo gives a room created in the lobby its first-to-N rule.
//
// Merge point: the rule is game.Params.FirstTo, added with matches on
// another branch. Once both are merged, this is
//
//	cfg.Peer.Params.FirstTo = firstTo
//
// and until then a created room plays drop-in, whatever the form said.
func setFirstTo(cfg *gamenet.NodeConfig, firstTo int) {
	_, _ = cfg, firstTo
}
