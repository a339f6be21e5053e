package main

import (
	"context"
	"log"

	"lanarena/cmd/internal/rotate"
	gamenet "lanarena/net"
	"lanarena/net/stats"
)

// startStats appends a line describing p to the file at path about once
// a second (the schema is net/stats', documented in the README) until ctx
// is done or the returned stop is called; stop waits for the writer and
// closes the file.
func startStats(ctx context.Context, path string, p *gamenet.Peer, logger *log.Logger) (stop func()) {
	if path == "" {
		return func() {}
	}
	f, err := rotate.Open(path, rotate.DefaultMax) // bounded, like --log
	if err != nil {
		logger.Printf("stats: %v", err)
		return func() {}
	}
	stopWriter := stats.Start(ctx, f, p, p.Config().Name, logger)
	return func() { stopWriter(); f.Close() }
}
