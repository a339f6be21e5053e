package main

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	gossh "golang.org/x/crypto/ssh"

	"lanarena/game"
	gamenet "lanarena/net"
)

func keyPress(r rune) tea.KeyPressMsg { return tea.KeyPressMsg{Code: r, Text: string(r)} }

// testGateway is a gateway on loopback in front of its own peer, in a
// room of its own, without mDNS.
type testGateway struct {
	gw   *gateway
	own  *gamenet.Node
	addr string
}

// isolateConfig keeps the host keys a test makes out of the user's
// config directory.
func isolateConfig(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("XDG_CONFIG_HOME", dir) // Unix
	t.Setenv("HOME", dir)            // macOS: under HOME/Library
	t.Setenv("AppData", dir)         // Windows
}

func startGateway(t *testing.T, change func(*options), secret string) testGateway {
	t.Helper()
	o, err := parseOptions([]string{"--no-mdns", "--ssh", "127.0.0.1:0", "--name", "native"}, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	o.secret = secret
	if change != nil {
		change(o)
	}
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	logger := log.New(io.Discard, "", 0)
	own, err := gamenet.StartNode(ctx, o.nodeConfig("sshtest", logger))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { own.Close() })
	gw, err := listenSSH(ctx, o, logger)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(gw.Close) // before own's Close: cleanups run last first
	gw.play(own)
	return testGateway{gw: gw, own: own, addr: gw.ln.Addr().String()}
}

func dial(addr, user string, auth ...gossh.AuthMethod) (*gossh.Client, error) {
	return gossh.Dial("tcp", addr, &gossh.ClientConfig{
		User:            user,
		Auth:            auth,
		HostKeyCallback: gossh.InsecureIgnoreHostKey(),
		Timeout:         10 * time.Second,
	})
}

func mustDial(t *testing.T, addr, user string, auth ...gossh.AuthMethod) *gossh.Client {
	t.Helper()
	c, err := dial(addr, user, auth...)
	if err != nil {
		t.Fatalf("dial %s as %s: %v", addr, user, err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

func fingerprint(t *testing.T, addr string) string {
	t.Helper()
	var fp string
	c, err := gossh.Dial("tcp", addr, &gossh.ClientConfig{
		User: "probe",
		HostKeyCallback: func(_ string, _ net.Addr, key gossh.PublicKey) error {
			fp = gossh.FingerprintSHA256(key)
			return nil
		},
		Timeout: 10 * time.Second,
	})
	if err != nil {
		t.Fatal(err)
	}
	c.Close()
	return fp
}

// lockedBuffer collects a session's output while the test reads it.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// shell opens a terminal session on c and starts the game in it.
func shell(t *testing.T, c *gossh.Client) (*gossh.Session, io.Writer, *lockedBuffer) {
	t.Helper()
	s, err := c.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	if err := s.RequestPty("xterm-256color", 24, 80, gossh.TerminalModes{}); err != nil {
		t.Fatal(err)
	}
	in, err := s.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	out := &lockedBuffer{}
	s.Stdout, s.Stderr = out, out
	if err := s.Shell(); err != nil {
		t.Fatal(err)
	}
	return s, in, out
}

// awaitCycle waits until the own peer's arena shows a cycle that cond
// accepts (nil: none of that name, when gone is set).
func awaitCycle(t *testing.T, own *gamenet.Node, what string, cond func(c *game.Cycle, found bool) bool) {
	t.Helper()
	deadline := time.After(20 * time.Second)
	for {
		select {
		case s := <-own.Peer.Snapshots():
			var c *game.Cycle
			s.Arena.Cycles(func(x *game.Cycle) {
				if string(x.Name) == what {
					c = x
				}
			})
			if cond(c, c != nil) {
				return
			}
		case <-deadline:
			t.Fatalf("the native peer never saw %s as wanted", what)
		}
	}
}

func present(_ *game.Cycle, found bool) bool { return found }
func gone(_ *game.Cycle, found bool) bool    { return !found }

func TestSSHPlayerJoinsSteersAndLeaves(t *testing.T) {
	isolateConfig(t)
	g := startGateway(t, nil, "")
	c := mustDial(t, g.addr, "alice")
	_, in, out := shell(t, c)
	awaitCycle(t, g.own, "alice", present)
	// Steer: left then up, each seen by the native peer (a key that
	// would reverse the cycle is ignored, so go round through both).
	for _, k := range []struct {
		key string
		dir game.Dir
	}{{"a", game.Left}, {"w", game.Up}, {"d", game.Right}} {
		deadline := time.Now().Add(20 * time.Second)
		awaitCycle(t, g.own, "alice", func(cy *game.Cycle, found bool) bool {
			if time.Now().After(deadline) {
				t.Fatalf("alice never turned %v; screen:\n%s", k.dir, out.String())
			}
			if found && cy.Dir == k.dir {
				return true
			}
			in.Write([]byte(k.key))
			return false
		})
	}
	if !strings.Contains(out.String(), "sshtest") {
		t.Errorf("the session's screen never showed the room's name")
	}
	c.Close()
	awaitCycle(t, g.own, "alice", gone)
}

func TestSSHRefusesCommandsForwardingAndSubsystems(t *testing.T) {
	isolateConfig(t)
	g := startGateway(t, nil, "")
	c := mustDial(t, g.addr, "mallory")
	s, err := c.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	// Even with a terminal, a command is refused outright: the request
	// fails, no program runs to exit with a status.
	if err := s.RequestPty("xterm", 24, 80, gossh.TerminalModes{}); err != nil {
		t.Fatal(err)
	}
	var exit *gossh.ExitError
	timer := time.AfterFunc(10*time.Second, func() { s.Close() }) // were the game to run instead
	if out, err := s.CombinedOutput("id"); err == nil || errors.As(err, &exit) || !timer.Stop() {
		t.Errorf("exec of a command: %v, %q; want the request refused", err, tail(string(out), 200))
	}
	s, err = c.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	if err := s.RequestSubsystem("sftp"); err == nil {
		t.Error("the sftp subsystem was granted")
	}
	if conn, err := c.Dial("tcp", g.addr); err == nil {
		conn.Close()
		t.Error("local forwarding (direct-tcpip) was granted")
	}
	if ln, err := c.Listen("tcp", "127.0.0.1:0"); err == nil {
		ln.Close()
		t.Error("remote forwarding (tcpip-forward) was granted")
	}
	// A shell without a terminal is told why, and ends.
	s, err = c.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	out := &lockedBuffer{}
	s.Stdout, s.Stderr = out, out
	if err := s.Shell(); err != nil {
		t.Fatal(err)
	}
	err = s.Wait()
	if !errors.As(err, &exit) || exit.ExitStatus() != 1 || !strings.Contains(out.String(), "needs a terminal") {
		t.Errorf("shell without a pty: %v, %q; want exit 1 and a reason", err, out)
	}
}

func TestSSHSessionsAreCapped(t *testing.T) {
	isolateConfig(t)
	g := startGateway(t, func(o *options) { o.sshMax = 1 }, "")
	alice := mustDial(t, g.addr, "alice")
	shell(t, alice)
	awaitCycle(t, g.own, "alice", present)

	bob := mustDial(t, g.addr, "bob")
	s, _, out := shell(t, bob)
	err := s.Wait()
	var exit *gossh.ExitError
	if !errors.As(err, &exit) || exit.ExitStatus() != 1 || !strings.Contains(out.String(), "full") {
		t.Errorf("over the cap: %v, %q; want exit 1 and \"full\"", err, out.String())
	}
	alice.Close()
	awaitCycle(t, g.own, "alice", gone)
	carol := mustDial(t, g.addr, "carol")
	shell(t, carol)
	awaitCycle(t, g.own, "carol", present)
}

func TestSSHSecretIsThePassword(t *testing.T) {
	isolateConfig(t)
	g := startGateway(t, nil, "s3cret")
	answer := func(secret string) gossh.AuthMethod {
		return gossh.KeyboardInteractive(func(_, _ string, qs []string, _ []bool) ([]string, error) {
			return []string{secret}[:len(qs)], nil
		})
	}
	for _, tc := range []struct {
		what string
		auth []gossh.AuthMethod
		ok   bool
	}{
		{"no password", nil, false},
		{"wrong password", []gossh.AuthMethod{gossh.Password("s3cre")}, false},
		{"wrong answer", []gossh.AuthMethod{answer("guess")}, false},
		{"password", []gossh.AuthMethod{gossh.Password("s3cret")}, true},
		{"keyboard-interactive", []gossh.AuthMethod{answer("s3cret")}, true},
	} {
		c, err := dial(g.addr, "alice", tc.auth...)
		if (err == nil) != tc.ok {
			t.Errorf("%s: got error %v, want ok=%v", tc.what, err, tc.ok)
		}
		if c != nil {
			c.Close()
		}
	}
	c := mustDial(t, g.addr, "alice", gossh.Password("s3cret"))
	shell(t, c)
	awaitCycle(t, g.own, "alice", present) // in the private room: the secret is the room's
}

func TestSSHIdleSessionLeaves(t *testing.T) {
	isolateConfig(t)
	g := startGateway(t, func(o *options) { o.sshIdle = 2 * time.Second }, "")
	c := mustDial(t, g.addr, "sleepy")
	s, _, out := shell(t, c)
	awaitCycle(t, g.own, "sleepy", present)
	awaitCycle(t, g.own, "sleepy", gone)
	s.Wait()
	if !strings.Contains(out.String(), "no key for 2s") {
		t.Errorf("the idle session was not told why it ended: %q", tail(out.String(), 200))
	}
}

func TestSSHWaitsForTheRoom(t *testing.T) {
	isolateConfig(t)
	o, err := parseOptions([]string{"--no-mdns", "--ssh", "127.0.0.1:0"}, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	logger := log.New(io.Discard, "", 0)
	gw, err := listenSSH(ctx, o, logger)
	if err != nil {
		t.Fatal(err)
	}
	defer gw.Close()
	addr := gw.ln.Addr().String()
	// In the lobby, before a room is chosen, a session is told to come back.
	s, _, out := shell(t, mustDial(t, addr, "early"))
	var exit *gossh.ExitError
	if err := s.Wait(); !errors.As(err, &exit) || exit.ExitStatus() != 1 || !strings.Contains(out.String(), "not chosen a room") {
		t.Errorf("before the room: %v, %q; want exit 1 and a reason", err, out.String())
	}
	// The lobby joins a room: the session's Started passes through the
	// gateway, which lets players in from then on.
	started := make(chan *gamenet.Node, 1)
	own, err := gamenet.StartNode(ctx, o.nodeConfig("later", logger))
	if err != nil {
		t.Fatal(err)
	}
	defer own.Close()
	passed := gw.follow(started)
	started <- own
	if n := <-passed; n != own {
		t.Fatal("follow did not pass the node on")
	}
	shell(t, mustDial(t, addr, "alice"))
	awaitCycle(t, own, "alice", present)
}

// A secret typed in the lobby, not given with --secret, guards SSH too.
func TestSSHSecretOfARoomJoinedFromTheLobby(t *testing.T) {
	isolateConfig(t)
	g := startGateway(t, nil, "")
	private, err := gamenet.StartNode(context.Background(), gamenet.NodeConfig{
		Peer: gamenet.Config{Name: "native", Color: -1, Room: "vault", Params: game.DefaultParams(), Secret: "typed", Publish: true},
	})
	if err != nil {
		t.Fatal(err)
	}
	defer private.Close()
	g.gw.play(private)
	if c, err := dial(g.addr, "mallory"); err == nil {
		c.Close()
		t.Error("a client without the secret logged into a private room")
	}
	shell(t, mustDial(t, g.addr, "alice", gossh.Password("typed")))
	awaitCycle(t, private, "alice", present)
}
