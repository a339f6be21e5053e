package main

import (
	"crypto/subtle"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/charmbracelet/colorprofile"

	"lanarena/game"
	"lanarena/net/discovery"
)

// SSH gateway limits: the defaults of --ssh-max and --ssh-idle.
const (
	defaultSSHMax  = 16
	defaultSSHIdle = 10 * time.Minute
	// maxSSHMax leaves the room a seat for the gateway's own player.
	maxSSHMax = game.MaxPlayers - 1
)

// guestName is an SSH player's name when the user name has nothing
// printable in it.
const guestName = "guest"

// checkSSH validates the --ssh flags.
func (o *options) checkSSH() error {
	if o.sshAddr == "" {
		return nil
	}
	if _, _, err := splitSSHAddr(o.sshAddr); err != nil {
		return fmt.Errorf("--ssh %q: %w", o.sshAddr, err)
	}
	if o.sshMax < 1 || o.sshMax > maxSSHMax {
		return fmt.Errorf("--ssh-max %d: want 1..%d", o.sshMax, maxSSHMax)
	}
	if o.sshIdle <= 0 {
		return fmt.Errorf("--ssh-idle %v: want a positive duration", o.sshIdle)
	}
	return nil
}

// splitSSHAddr splits --ssh's [HOST]:PORT.
func splitSSHAddr(addr string) (host string, port int, err error) {
	host, p, err := net.SplitHostPort(addr)
	if err != nil {
		return "", 0, errors.New("want [HOST]:PORT, e.g. :2222")
	}
	port, err = strconv.Atoi(p)
	if err != nil || port < 0 || port > 65535 {
		return "", 0, fmt.Errorf("port %q out of range", p)
	}
	return host, port, nil
}

// hostKeyPath is where the gateway keeps its host key: generated once, so
// that returning players' ssh clients recognise the host.
func hostKeyPath() (string, error) {
	dir, err := os.UserConfigDir()
	if err != nil {
		return "", fmt.Errorf("ssh host key: %w", err)
	}
	dir = filepath.Join(dir, "lanarena")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", fmt.Errorf("ssh host key: %w", err)
	}
	return filepath.Join(dir, "ssh_host_ed25519_key"), nil
}

// shareCommand is the command others type to join: the gateway's port on
// the address the game advertises on the LAN (the first address of a
// discovery interface), or on the host --ssh names.
func shareCommand(listenHost string, port int, iface string) string {
	host := listenHost
	if a, err := netip.ParseAddr(listenHost); listenHost == "" || (err == nil && a.IsUnspecified()) {
		host = "127.0.0.1"
		if ifaces, err := discovery.Interfaces(iface); err == nil {
			if ips := discovery.IPs(ifaces); len(ips) > 0 {
				host = ips[0].String()
			}
		}
	}
	if strings.Contains(host, ":") {
		host = "[" + host + "]"
	}
	if port == 22 {
		return "ssh " + host
	}
	return fmt.Sprintf("ssh -p %d %s", port, host)
}

// sessionName is the player name of an SSH user: cleaned like any name
// from the network, and never empty.
func sessionName(user string) string {
	if n := game.CleanName(user); n != "" {
		return string(n)
	}
	return guestName
}

// secretMatches compares an SSH password with the room's secret in
// constant time.
func secretMatches(secret, given string) bool {
	return subtle.ConstantTimeCompare([]byte(secret), []byte(given)) == 1
}

// sessionProfile is the colour profile of an SSH client's terminal, from
// the TERM of its pty request and the environment it sent, capped as the
// local terminal's is (ui.DetectProfile). noColor reports NO_COLOR.
func sessionProfile(term string, environ []string) (p colorprofile.Profile, noColor bool) {
	env := append([]string{"TERM=" + term}, environ...)
	for _, kv := range environ {
		if v, ok := strings.CutPrefix(kv, "NO_COLOR="); ok && v != "" {
			noColor = true
		}
	}
	return min(colorprofile.Env(env), colorprofile.ANSI256), noColor
}

// slots caps the SSH sessions playing at once. The zero value is not
// usable; slots are safe for concurrent use.
type slots chan struct{}

func newSlots(n int) slots { return make(slots, n) }

// take claims a slot without waiting; false means all are taken.
func (s slots) take() bool {
	select {
	case s <- struct{}{}:
		return true
	default:
		return false
	}
}

// release frees a slot that take claimed.
func (s slots) release() { <-s }
