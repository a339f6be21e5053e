package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/netip"
	"time"

	"lanarena/net/demo"
	"lanarena/net/session"
)

// runSpoof is `lanarena spoof --to HOST:PORT`: one forged packet for the
// drop-counter exercise (README, For teachers). It prints what it sent.
func runSpoof(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("lanarena spoof", flag.ContinueOnError)
	fs.SetOutput(stderr)
	to := fs.String("to", "", "the peer to send to, `HOST:PORT` (as for --join)")
	room := fs.String("room", session.DefaultRoom, "its room")
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "Usage: lanarena spoof --to HOST:PORT [--room NAME]\n\nSends a ping as a stranger, reads the peer's greeting, then one state that claims\nto come from one of its members: watch the peer's drop counters (n).\n\nFlags:\n")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	addr, err := netip.ParseAddrPort(*to)
	if err != nil || fs.NArg() > 0 {
		return errors.New("spoof: give the peer as --to HOST:PORT")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	r, err := demo.Spoof(ctx, addr, *room)
	for _, s := range r.Steps {
		fmt.Fprintln(stdout, s)
	}
	return err
}
