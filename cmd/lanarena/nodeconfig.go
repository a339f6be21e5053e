package main

import (
	"log"

	gamenet "lanarena/net"
)

// nodeConfig is this process's own peer as the flags describe it: the
// player's, or with --bot a headless AI, which publishes no snapshots
// since no screen reads them, unless --trace wants them.
func (o *options) nodeConfig(room string, logger *log.Logger) gamenet.NodeConfig {
	cfg := gamenet.NodeConfig{
		Peer: gamenet.Config{
			Name:      o.name,
			Color:     o.color,
			Room:      room,
			Params:    o.params(),
			Mode:      o.mode,
			Host:      o.host,
			Bot:       o.bot,
			Spectator: o.spectate,
			Secret:    o.secret,
			Seed:      o.seed,
			Logger:    logger,
			Publish:   !o.bot || o.tracer != nil,
		},
		Port:   o.port,
		Joins:  o.joinAddrs(),
		MDNS:   !o.noMDNS,
		Iface:  o.iface,
		Impair: o.impair,
	}
	if o.tracer != nil {
		cfg.Peer.Probe = o.tracer
	}
	return cfg
}
