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
	"regexp"
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
	nameSet   bool // --name given: it wins over the remembered one, and is remembered
	colorSet  bool // --color given
	room      string
	bots      int
	bot       bool
	spectate  bool
	logFile   string
	statsFile string
	traceFile string
	tracer    *tracer // open while the process runs with --trace
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

	sshAddr string        // --ssh: serve the game over SSH on this address
	sshMax  int           // sessions at once
	sshIdle time.Duration // a session with no key for this long leaves

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
		return errors.New("want HOST:PORT")
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
	// The flag package's own messages name flags with one dash and follow
	// them with the whole usage: errors are written by run, in one line.
	fs.SetOutput(io.Discard)
	fs.StringVar(&o.name, "name", "", "your name on the scoreboard, remembered (default: the last one, else your user name)")
	fs.IntVar(&o.color, "color", -1, "your colour, 0-11, remembered (default: the last one, else one is assigned)")
	fs.StringVar(&o.room, "room", "", "room to join; without it a lobby lists the rooms on the LAN")
	fs.IntVar(&o.bots, "bots", 0, "add `N` AI players (each a full peer of its own)")
	fs.BoolVar(&o.bot, "bot", false, "run one AI player headless (no TUI) until SIGINT/SIGTERM")
	fs.BoolVar(&o.spectate, "spectate", false, "join the room without a cycle (e.g. to project the game)")
	fs.StringVar(&o.logFile, "log", "", "write a debug log to `FILE` (nothing ever goes to the terminal)")
	fs.StringVar(&o.statsFile, "stats", "", "append one JSON object per second describing what this peer sees to `FILE`")
	fs.StringVar(&o.traceFile, "trace", "", "for the bench harness (lanarena-bench --procs): write every tick's own head and drawn remote heads to `FILE`")
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
	fs.StringVar(&o.sshAddr, "ssh", "", "serve the game over SSH on `[HOST]:PORT` (e.g. :2222): each session plays as a player of its own")
	fs.IntVar(&o.sshMax, "ssh-max", defaultSSHMax, "SSH sessions at once, at most `N`")
	fs.DurationVar(&o.sshIdle, "ssh-idle", defaultSSHIdle, "an SSH player with no key for this long leaves the room")
	fs.Usage = func() {}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fs.SetOutput(stderr)
			usage(fs)
			return nil, err
		}
		return nil, usageError{longFlags(err.Error())}
	}
	if err := o.visit(fs); err != nil {
		return nil, usageError{err.Error()}
	}
	if fs.NArg() > 0 {
		return nil, usageError{fmt.Sprintf("unexpected argument %q (flags start with --)", fs.Arg(0))}
	}
	if err := o.check(); err != nil {
		return nil, usageError{err.Error()}
	}
	return o, nil
}

// visit looks at the flags given: which were set explicitly, and whether a
// value is in fact the next flag (--room --no-mdns: a room name forgotten).
func (o *options) visit(fs *flag.FlagSet) error {
	var err error
	fs.Visit(func(f *flag.Flag) {
		switch f.Name {
		case "width", "height", "tick", "mode", "first-to":
			o.strict = true
		case "name":
			o.nameSet = true
		case "color":
			o.colorSet = true
		}
		v := f.Value.String()
		if _, isBool := f.Value.(interface{ IsBoolFlag() bool }); !isBool && err == nil && looksLikeFlag(fs, v) {
			err = fmt.Errorf("--%s %s: a value, not a flag, is missing after --%s", f.Name, v, f.Name)
		}
	})
	return err
}

// looksLikeFlag says whether a flag's value v is another flag: it starts
// with "--", or with "-" and names a flag.
func looksLikeFlag(fs *flag.FlagSet, v string) bool {
	if strings.HasPrefix(v, "--") {
		return true
	}
	name, _, _ := strings.Cut(strings.TrimPrefix(v, "-"), "=")
	return strings.HasPrefix(v, "-") && fs.Lookup(name) != nil
}

// usageError is a mistake on the command line: run prints it in one line
// followed by "see --help", and the process exits with status 2.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg + " (see --help)" }

// The flag package's errors, reworded with the flag in its long form:
// "invalid value "abc" for flag -tick: parse error" becomes
// "--tick abc: want a number".
var (
	invalidValue = regexp.MustCompile(`^invalid (boolean )?value "(.*)" for (?:flag )?-{1,2}([A-Za-z0-9-]+): (.*)$`)
	otherFlagErr = regexp.MustCompile(`^(flag provided but not defined|flag needs an argument): -{1,2}(.*)$`)
)

// longFlags rewrites an error of the flag package in one line that
// names the flag as --help lists it.
func longFlags(msg string) string {
	if m := invalidValue.FindStringSubmatch(msg); m != nil {
		boolean, value, name, why := m[1] != "", m[2], m[3], m[4]
		if strings.HasSuffix(why, "parse error") || strings.HasSuffix(why, "invalid syntax") || strings.HasSuffix(why, "value out of range") {
			why = "want a number"
			switch {
			case boolean:
				why = "want true or false"
			case name == "delay" || name == "jitter":
				why = "want a duration such as 150ms"
			}
		}
		return fmt.Sprintf("--%s %s: %s", name, value, why)
	}
	if m := otherFlagErr.FindStringSubmatch(msg); m != nil {
		if strings.HasPrefix(m[1], "flag provided") {
			return "unknown flag --" + m[2]
		}
		return "--" + m[2] + " needs a value"
	}
	return msg
}

func (o *options) check() error {
	if o.color < -1 || o.color >= game.Colors {
		return fmt.Errorf("--color %d: want 0..%d", o.color, game.Colors-1)
	}
	if o.bots < 0 || o.bots > fleet.MaxBots {
		return fmt.Errorf("--bots %d: want 0..%d", o.bots, fleet.MaxBots)
	}
	if o.port < 0 || o.port > 65535 {
		return fmt.Errorf("--port %d: want 0..65535", o.port)
	}
	if err := o.checkRanges(); err != nil {
		return err
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
	if o.bot && o.spectate {
		return errors.New("--bot and --spectate exclude each other")
	}
	if o.room != "" && game.CleanText(o.room, game.MaxRoomRunes) != o.room {
		return fmt.Errorf("--room %q: use at most %d printable characters", o.room, game.MaxRoomRunes)
	}
	if err := o.checkSSH(); err != nil {
		return err
	}
	o.impair.Loss = o.loss / 100
	o.impair.Dup = o.dup / 100
	o.impair.Reorder = o.reord / 100
	o.impair.Seed = o.seed
	return nil
}

// checkRanges checks the flags that take a number in a range, naming the
// flag and the range.
func (o *options) checkRanges() error {
	for _, f := range []struct {
		name     string
		v        int
		min, max int
	}{
		{"width", o.width, game.MinSize, game.MaxSize},
		{"height", o.height, game.MinSize, game.MaxSize},
		{"tick", o.tickRate, game.MinTickRate, game.MaxTickRate},
	} {
		if f.v < f.min || f.v > f.max {
			return fmt.Errorf("--%s %d: want %d..%d", f.name, f.v, f.min, f.max)
		}
	}
	for _, f := range []struct {
		name string
		pct  float64
	}{{"loss", o.loss}, {"dup", o.dup}, {"reorder", o.reord}} {
		if f.pct < 0 || f.pct > 100 {
			return fmt.Errorf("--%s %v: want a percentage, 0..100", f.name, f.pct)
		}
	}
	for _, f := range []struct {
		name string
		d    time.Duration
	}{{"delay", o.impair.Delay}, {"jitter", o.impair.Jitter}} {
		if f.d < 0 || f.d > 10*time.Second {
			return fmt.Errorf("--%s %v: want 0..10s", f.name, f.d)
		}
	}
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
	fmt.Fprintf(w, "\nKeys: arrows/WASD/hjkl steer, ? help, n netgraph, t chat, b/B add/remove a bot, L back to the lobby, q quit.\n")
}
