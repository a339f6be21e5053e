package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/netip"
	"os"
	"os/user"
	"strings"
	"time"

	"lanarena/game"
	gamenet "lanarena/net"
	"lanarena/net/fleet"
	"lanarena/net/transport"
)

// options are the command line. Every flag has a long form (--name; Go's
// flag package takes one or two dashes) and is listed by --help.
type options struct {
	name      string
	color     int
	room      string
	bots      int
	bot       bool
	spectate  bool
	logFile   string
	statsFile string
	version   bool

	port   int
	joins  addrList
	noMDNS bool
	iface  string

	width, height, tickRate int
	firstTo                 int

	mode     gamenet.Mode
	modeName string // as given: --mode
	strict   bool   // room parameters or mode given on the command line
	host     bool
	secret   string

	impair transport.ImpairConfig
	loss   float64 // percent
	dup    float64
	reord  float64
	seed   uint64
}

type addrList []string

func (a *addrList) String() string { return strings.Join(*a, ",") }
func (a *addrList) Set(s string) error {
	if _, err := netip.ParseAddrPort(s); err == nil {
		*a = append(*a, s)
		return nil
	}
	// A host name: resolve it once, now.
	ua, err := net.ResolveUDPAddr("udp4", s)
	if err != nil {
		return fmt.Errorf("want HOST:PORT, got %q: %w", s, err)
	}
	*a = append(*a, ua.AddrPort().String())
	return nil
}

func defaultName() string {
	if u, err := user.Current(); err == nil && u.Username != "" {
		return u.Username
	}
	if n := os.Getenv("USER"); n != "" {
		return n
	}
	return "player"
}

func parseOptions(args []string, stderr io.Writer) (*options, error) {
	o := &options{}
	def := game.DefaultParams()
	fs := flag.NewFlagSet("lanarena", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&o.name, "name", defaultName(), "your name on the scoreboard")
	fs.IntVar(&o.color, "color", -1, "your colour, 0-11 (default: one is assigned)")
	fs.StringVar(&o.room, "room", "", "room to join; without it a lobby lists the rooms on the LAN")
	fs.IntVar(&o.bots, "bots", 0, "add `N` AI players (each a full peer of its own)")
	fs.BoolVar(&o.bot, "bot", false, "run one AI player headless (no TUI) until SIGINT/SIGTERM")
	fs.BoolVar(&o.spectate, "spectate", false, "join the room without a cycle (e.g. to project the game)")
	fs.StringVar(&o.logFile, "log", "", "write a debug log to `FILE` (nothing ever goes to the terminal)")
	fs.StringVar(&o.statsFile, "stats", "", "append one JSON object per second describing what this peer sees to `FILE`")
	fs.BoolVar(&o.version, "version", false, "print the version and exit")
	fs.IntVar(&o.port, "port", 0, "UDP `PORT` to listen on (default: any free port)")
	fs.Var(&o.joins, "join", "add a peer by `HOST:PORT` (repeatable; works with or without mDNS)")
	fs.BoolVar(&o.noMDNS, "no-mdns", false, "turn mDNS discovery and advertising off")
	fs.StringVar(&o.iface, "iface", "", "network interface for mDNS (default: all)")
	fs.IntVar(&o.width, "width", def.Width, "arena width in cells (room parameter)")
	fs.IntVar(&o.height, "height", def.Height, "arena height in cells (room parameter)")
	fs.IntVar(&o.tickRate, "tick", def.TickRate, "ticks per second (room parameter)")
	fs.IntVar(&o.firstTo, "first-to", 0, "play matches: the first to `N` kills wins, then scores reset (room parameter; 0: drop-in play)")
	fs.StringVar(&o.modeName, "mode", "p2p", "synchronisation model: p2p (asynchronous) or server (blocking client-server)")
	fs.BoolVar(&o.host, "host", false, "server mode: host the room")
	fs.StringVar(&o.secret, "secret", "", "private room: authenticate every packet with this `SECRET`")
	fs.Float64Var(&o.loss, "loss", 0, "simulated packet loss, `PCT` percent, in and out")
	fs.DurationVar(&o.impair.Delay, "delay", 0, "simulated one-way delay, in and out (e.g. 150ms)")
	fs.DurationVar(&o.impair.Jitter, "jitter", 0, "simulated delay jitter (e.g. 30ms)")
	fs.Float64Var(&o.dup, "dup", 0, "simulated duplication, `PCT` percent")
	fs.Float64Var(&o.reord, "reorder", 0, "simulated reordering, `PCT` percent")
	fs.Uint64Var(&o.seed, "seed", 0, "seed of the impairment and of spawns and bots (default: random)")
	fs.Usage = func() { usage(fs) }
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	fs.Visit(func(f *flag.Flag) {
		switch f.Name {
		case "width", "height", "tick", "mode", "first-to":
			o.strict = true
		}
	})
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("unexpected argument %q (flags start with --)", fs.Arg(0))
	}
	return o, o.check()
}

func (o *options) check() error {
	if o.color < -1 || o.color >= game.Colors {
		return fmt.Errorf("--color %d: want 0..%d", o.color, game.Colors-1)
	}
	if o.bots < 0 || o.bots > fleet.MaxBots {
		return fmt.Errorf("--bots %d: want 0..%d", o.bots, fleet.MaxBots)
	}
	if o.port < 0 || o.port > 65535 {
		return fmt.Errorf("--port %d out of range", o.port)
	}
	if err := o.params().Validate(); err != nil {
		return fmt.Errorf("room parameters: %w", err)
	}
	mode, err := gamenet.ParseMode(o.modeName)
	if err != nil || o.modeName == "" {
		return fmt.Errorf("--mode %q: want p2p or server", o.modeName)
	}
	o.mode = mode
	if o.host && o.mode != gamenet.ModeServer {
		return errors.New("--host only makes sense with --mode server")
	}
	for _, pct := range []float64{o.loss, o.dup, o.reord} {
		if pct < 0 || pct > 100 {
			return fmt.Errorf("percentages are 0..100, got %v", pct)
		}
	}
	if o.impair.Delay < 0 || o.impair.Jitter < 0 || o.impair.Delay > 10*time.Second || o.impair.Jitter > 10*time.Second {
		return errors.New("--delay and --jitter are 0..10s")
	}
	if o.bot && o.spectate {
		return errors.New("--bot and --spectate exclude each other")
	}
	if o.room != "" && game.CleanText(o.room, game.MaxRoomRunes) != o.room {
		return fmt.Errorf("--room %q: use at most %d printable characters", o.room, game.MaxRoomRunes)
	}
	o.impair.Loss = o.loss / 100
	o.impair.Dup = o.dup / 100
	o.impair.Reorder = o.reord / 100
	o.impair.Seed = o.seed
	return nil
}

func (o *options) params() game.Params {
	return game.Params{Width: o.width, Height: o.height, TickRate: o.tickRate, FirstTo: o.firstTo}
}

func (o *options) joinAddrs() []netip.AddrPort {
	var out []netip.AddrPort
	for _, s := range o.joins {
		if a, err := netip.ParseAddrPort(s); err == nil {
			out = append(out, a)
		}
	}
	return out
}

// usage lists every flag in its long form.
func usage(fs *flag.FlagSet) {
	w := fs.Output()
	fmt.Fprintf(w, "lanarena: a light-cycle arena for the terminal, peer-to-peer on your LAN.\n\n")
	fmt.Fprintf(w, "Usage: lanarena [flags]\n\nFlags:\n")
	fs.VisitAll(func(f *flag.Flag) {
		name, text := flag.UnquoteUsage(f)
		left := "  --" + f.Name
		if name != "" {
			left += " " + name
		}
		if f.DefValue != "" && f.DefValue != "0" && f.DefValue != "false" && f.DefValue != "-1" && f.DefValue != "0s" {
			text += fmt.Sprintf(" (default %s)", f.DefValue)
		}
		fmt.Fprintf(w, "%-22s %s\n", left, text)
	})
	fmt.Fprintf(w, "\nKeys: arrows/WASD/hjkl steer, ? help, n netgraph, t chat, b/B add/remove a bot, q quit.\n")
}
