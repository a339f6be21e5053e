package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"lanarena/net/netns"
)

// needSSH skips a test without the OpenSSH client, except in CI, which
// must have it (.ci/run installs it).
func needSSH(t *testing.T) {
	if _, err := exec.LookPath("ssh"); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("the OpenSSH client is not installed (CI must install it: .ci/run does)")
		}
		t.Skip("the OpenSSH client is not installed")
	}
}

// askpass writes a program that answers ssh's password prompt with
// secret: with SSH_ASKPASS_REQUIRE=force, the real client logs in with a
// password without a person at the keyboard.
func askpass(t *testing.T, secret string) []string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "askpass")
	if err := os.WriteFile(path, []byte("#!/bin/sh\nprintf '%s\\n' "+shellQuote(secret)+"\n"), 0o700); err != nil {
		t.Fatal(err)
	}
	return []string{"SSH_ASKPASS=" + path, "SSH_ASKPASS_REQUIRE=force"}
}

// sshArgs is the real OpenSSH client logging into the gateway at host
// as user, asking for a terminal, trusting the new host key.
func sshArgs(user string, host netns.Host, port int) []string {
	return []string{"ssh", "-tt", "-p", strconv.Itoa(port),
		"-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null",
		"-o", "NumberOfPasswordPrompts=1", "-o", "LogLevel=ERROR",
		user + "@" + host.Addr.String()}
}

// startTmux runs cmd with env in a tmux session of its own, inside host
// h's namespace, on a width×height terminal.
func startTmux(t *testing.T, h netns.Host, env []string, width, height int, cmd []string) *tmuxSession {
	t.Helper()
	if _, err := exec.LookPath("tmux"); err != nil {
		t.Skip("tmux is not installed")
	}
	b := make([]byte, 4)
	rand.Read(b)
	s := &tmuxSession{t: t, socket: "lanarena-e2e-" + hex.EncodeToString(b)}
	full := append(append([]string{"ip", "netns", "exec", h.Name, "env"}, env...), cmd...)
	for i, a := range full {
		full[i] = shellQuote(a)
	}
	out, err := exec.Command("tmux", "-L", s.socket, "new-session", "-d", "-s", "game",
		"-x", strconv.Itoa(width), "-y", strconv.Itoa(height), strings.Join(full, " ")).CombinedOutput()
	if err != nil {
		t.Fatalf("tmux: %v\n%s", err, out)
	}
	exec.Command("tmux", "-L", s.socket, "set-option", "-t", "game", "remain-on-exit", "on").Run()
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("%s's screen at the end:\n%s", cmd[0], s.screen())
		}
		s.kill()
	})
	return s
}

// kill ends the tmux server and with it the program: for ssh, the
// connection drops as when a laptop's lid closes.
func (s *tmuxSession) kill() { exec.Command("tmux", "-L", s.socket, "kill-server").Run() }

// TestSSHPlayerOnLAN: a player with nothing but OpenSSH, on another
// machine, joins a private room that a TUI serves with --ssh, using the
// room's secret as password; a native peer on a third machine sees the
// SSH player by name, moving and turning as its keys say; when the
// connection drops, the native peer drops it. A wrong secret is refused.
func TestSSHPlayerOnLAN(t *testing.T) {
	needSSH(t)
	lan := netns.New(t, 3)
	hosts := lan.Hosts()
	const port = 2222
	dir := t.TempDir()
	room, secret := "ssh lab", "s3cret"
	gw := startTmux(t, hosts[0], []string{"XDG_CONFIG_HOME=" + dir}, 100, 30, []string{binary(t),
		"--name", "hoster", "--room", room, "--secret", secret, "--ssh", fmt.Sprintf(":%d", port), "--log", dir + "/gw.log"})
	native := startProc(t, hosts[2], "native", "--bot", "--room", room, "--secret", secret)
	share := fmt.Sprintf("ssh -p %d %s", port, hosts[0].Addr)
	gw.waitScreen(15*time.Second, share) // the status bar says how to join

	player := startTmux(t, hosts[1], askpass(t, secret), 80, 24, sshArgs("carol", hosts[0], port))
	player.waitScreen(15*time.Second, room, "carol", "hoster", share)
	moving(t, native, "carol")
	for _, k := range []struct{ key, dir string }{{"a", "left"}, {"w", "up"}, {"d", "right"}, {"s", "down"}} {
		waitFor(t, 20*time.Second, "carol turning "+k.dir+" in the native peer's stats", func() bool {
			l, _ := native.last(t)
			if c, ok := l.player("carol"); ok && c.Alive && c.Dir == k.dir {
				return true
			}
			player.keys(k.key)
			return false
		})
	}
	player.resize(120, 40)
	resizedScreen(t, player)

	wrong := exec.Command("ip", append([]string{"netns", "exec", hosts[1].Name}, sshArgs("dave", hosts[0], port)...)...)
	wrong.Env = append(os.Environ(), askpass(t, "guess")...)
	out, err := wrong.CombinedOutput()
	if err == nil || !strings.Contains(string(out), "Permission denied") {
		t.Errorf("a wrong secret: %v, %q; want the login refused", err, out)
	}

	player.kill()
	waitFor(t, 10*time.Second, "the native peer dropping carol after the connection dropped", func() bool {
		l, _ := native.last(t)
		_, seen := l.player("carol")
		_, hoster := l.player("hoster")
		return !seen && hoster
	})
	if l, _ := native.last(t); func() bool { _, ok := l.player("dave"); return ok }() {
		t.Error("the refused ssh user plays")
	}
}

// resizedScreen waits until the game is drawn for the client's new
// 120×40 terminal: the status bar, under the arena, moves below row 24.
func resizedScreen(t *testing.T, s *tmuxSession) {
	t.Helper()
	waitFor(t, 10*time.Second, "the game redrawn for 120×40", func() bool {
		for i, line := range strings.Split(s.screen(), "\n") {
			if strings.Contains(line, "p2p ·") {
				return i > 24
			}
		}
		return false
	})
}

// TestSSHFromTheLobby: started with --ssh and no room, the lobby says how
// to join; once the player enters a room from the lobby, an SSH player
// lands in that room.
func TestSSHFromTheLobby(t *testing.T) {
	needSSH(t)
	lan := netns.New(t, 2)
	hosts := lan.Hosts()
	dir := t.TempDir()
	gw := startTmux(t, hosts[0], []string{"XDG_CONFIG_HOME=" + dir}, 100, 30, []string{binary(t),
		"--name", "hoster", "--ssh", ":2222", "--log", dir + "/gw.log"})
	gw.waitScreen(15*time.Second, "others join with: ssh -p 2222 "+hosts[0].Addr.String())
	gw.keys("Enter") // the default room
	gw.waitScreen(15*time.Second, "hoster", "ssh -p 2222 "+hosts[0].Addr.String())
	player := startTmux(t, hosts[1], nil, 80, 24, sshArgs("dora", hosts[0], 2222))
	player.waitScreen(15*time.Second, "arena", "dora", "hoster")
	gw.waitScreen(15*time.Second, "dora")

	// The real client gets no command, no forwarding, no SFTP.
	base := sshArgs("eve", hosts[0], 2222)[2:] // without -tt
	for _, tc := range []struct {
		what string
		args []string
		want string
	}{
		{"a command", append(base, "id"), "exec request failed"},
		{"sftp", append([]string{"-s"}, append(base, "sftp")...), "subsystem request failed"},
		{"-R forwarding", append([]string{"-N", "-o", "ExitOnForwardFailure=yes", "-R", "0:127.0.0.1:9"}, base...), "forwarding failed"},
		{"-L forwarding", append([]string{"-W", "127.0.0.1:9"}, base...), "forwarding failed"}, // a direct-tcpip channel, as -L opens
	} {
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		cmd := hosts[1].Command(ctx, "ssh", tc.args...)
		cmd.Stdin = nil
		out, err := cmd.CombinedOutput()
		timedOut := ctx.Err() != nil
		cancel()
		if err == nil || timedOut || !strings.Contains(string(out), tc.want) {
			t.Errorf("%s: %v, %q; want it refused (%q)", tc.what, err, out, tc.want)
		}
	}
}
