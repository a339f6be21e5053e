package main

import (
	"context"
	"errors"
	"fmt"
	"log"
	"log/slog"
	"net"
	"sync"
	"sync/atomic"

	charmlog "charm.land/log/v2"
	"charm.land/ssh"
	"charm.land/wish/v2"
	gossh "golang.org/x/crypto/ssh"

	gamenet "lanarena/net"
	"lanarena/net/fleet"
)

// gateway serves the game over SSH (--ssh): every session is a player of
// its own, a full peer of the room this process plays in, with its own
// socket and loop like a bot beside the player (net/fleet), but steered
// from the session's keys and drawn on the client's terminal. It never
// offers a shell, a command, forwarding or a subsystem.
type gateway struct {
	srv    *ssh.Server
	ln     net.Listener
	share  string // the command others type to join: "ssh -p 2222 HOST"
	slots  slots
	opts   *options
	logger *log.Logger
	ctx    context.Context // bounds every session's peer

	own atomic.Pointer[gamenet.Node] // the room's local peer, once joined

	mu      sync.Mutex // guards closed and the Add of sessions
	closed  bool
	serving sync.WaitGroup // Serve and every session handler
	once    sync.Once
}

// listenSSH opens the gateway on --ssh's address. Sessions are turned
// away until play names the room. ctx bounds the sessions' peers; Close
// ends them earlier.
func listenSSH(ctx context.Context, o *options, logger *log.Logger) (*gateway, error) {
	quietSSHLogs(logger)
	host, _, err := splitSSHAddr(o.sshAddr)
	if err != nil {
		return nil, fmt.Errorf("--ssh: %w", err)
	}
	keyPath, err := hostKeyPath()
	if err != nil {
		return nil, err
	}
	g := &gateway{slots: newSlots(o.sshMax), opts: o, logger: logger, ctx: ctx}
	srv, err := wish.NewServer(g.serverOptions(keyPath)...)
	if err != nil {
		return nil, fmt.Errorf("ssh server: %w", err)
	}
	ln, err := net.Listen("tcp", o.sshAddr)
	if err != nil {
		return nil, fmt.Errorf("--ssh: %w", err)
	}
	g.srv, g.ln = srv, ln
	g.share = shareCommand(host, ln.Addr().(*net.TCPAddr).Port, o.iface)
	logger.Printf("ssh: serving on %s (host key %s); others join with: %s", ln.Addr(), keyPath, g.share)
	g.serving.Add(1)
	go func() {
		defer g.serving.Done()
		if err := srv.Serve(ln); err != nil && err != ssh.ErrServerClosed {
			logger.Printf("ssh: %v", err)
		}
	}()
	return g, nil
}

// serverOptions: the host key kept under the user's config directory, a
// connection idle for --ssh-idle closed (a backstop: the session's own
// idle rule counts keys), the room's secret as the password, and only
// "shell" sessions: no command, no subsystem (sftp). Forwarding needs
// handlers the server does not have, so it is refused too.
func (g *gateway) serverOptions(keyPath string) []ssh.Option {
	return []ssh.Option{
		wish.WithHostKeyPath(keyPath),
		wish.WithIdleTimeout(g.opts.sshIdle),
		wish.WithPasswordAuth(func(_ ssh.Context, pass string) bool { return secretMatches(g.roomSecret(), pass) }),
		wish.WithKeyboardInteractiveAuth(func(_ ssh.Context, ask gossh.KeyboardInteractiveChallenge) bool {
			answers, err := ask("", "This room is private.", []string{"Room secret: "}, []bool{false})
			return err == nil && len(answers) == 1 && secretMatches(g.roomSecret(), answers[0])
		}),
		func(s *ssh.Server) error {
			s.Handler = g.handle
			s.SessionRequestCallback = func(_ ssh.Session, kind string) bool { return kind == "shell" }
			s.ServerConfigCallback = func(ssh.Context) *gossh.ServerConfig {
				return &gossh.ServerConfig{NoClientAuth: true, NoClientAuthCallback: g.open}
			}
			return nil
		},
	}
}

// open lets a client in without a password while the room has no
// secret.
func (g *gateway) open(gossh.ConnMetadata) (*gossh.Permissions, error) {
	if g.roomSecret() != "" {
		return nil, errors.New("the room is private")
	}
	return &gossh.Permissions{}, nil
}

// roomSecret is the secret of the room SSH players join: the room's own
// once joined (the lobby may have asked for it), --secret before.
func (g *gateway) roomSecret() string {
	if own := g.own.Load(); own != nil {
		return own.Peer.Config().Secret
	}
	return g.opts.secret
}

// quietSSHLogs sends what the SSH libraries log (log/slog's default, the
// standard logger through it, and charm's log) to the --log file: the
// terminal belongs to the TUI.
func quietSSHLogs(logger *log.Logger) {
	slog.SetDefault(slog.New(slog.NewTextHandler(logger.Writer(), nil)))
	charmlog.SetOutput(logger.Writer())
}

// play lets sessions in, into the room of own, the process's own peer.
func (g *gateway) play(own *gamenet.Node) { g.own.Store(own) }

// follow passes on each node that started delivers (one per room the
// player joins: L goes back to the lobby and on to another room), after
// letting new sessions into its room: it sits between a session's
// Started and the pump. Sessions already playing stay in the room they
// joined. It ends with the gateway.
func (g *gateway) follow(started <-chan *gamenet.Node) <-chan *gamenet.Node {
	out := make(chan *gamenet.Node, 1)
	go func() {
		for {
			select {
			case n := <-started:
				g.play(n)
				select {
				case out <- n:
				case <-g.ctx.Done():
					return
				}
			case <-g.ctx.Done():
				return
			}
		}
	}()
	return out
}

// enter counts a session in, unless the gateway is closing.
func (g *gateway) enter() bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.closed {
		return false
	}
	g.serving.Add(1)
	return true
}

// nodeConfig is the peer of an SSH player called name, beside own; its
// snapshots are published for the session's screen.
func (g *gateway) nodeConfig(own *gamenet.Node, name string) gamenet.NodeConfig {
	c := fleet.Beside(own.Peer.Config(), own.Addr().Port(), name, !g.opts.noMDNS, g.opts.iface)
	c.Peer.Publish = true
	return c
}

// Close stops taking connections, disconnects every session and waits
// until each has left the room. Idempotent.
func (g *gateway) Close() {
	g.once.Do(func() {
		g.mu.Lock()
		g.closed = true
		g.mu.Unlock()
		g.srv.Close()
		g.serving.Wait()
	})
}
