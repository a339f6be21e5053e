package main

import (
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/charmbracelet/colorprofile"
)

func TestSSHFlags(t *testing.T) {
	for _, tc := range []struct {
		args    []string
		wantErr string
	}{
		{args: []string{"--ssh", ":2222"}},
		{args: []string{"--ssh", "127.0.0.1:0", "--ssh-max", "1", "--ssh-idle", "1s"}},
		{args: []string{"--ssh", "2222"}, wantErr: "--ssh"},
		{args: []string{"--ssh", ":99999"}, wantErr: "out of range"},
		{args: []string{"--ssh", ":2222", "--ssh-max", "0"}, wantErr: "--ssh-max"},
		{args: []string{"--ssh", ":2222", "--ssh-max", "32"}, wantErr: "--ssh-max"},
		{args: []string{"--ssh", ":2222", "--ssh-idle", "0s"}, wantErr: "--ssh-idle"},
	} {
		o, err := parseOptions(tc.args, io.Discard)
		switch {
		case tc.wantErr == "" && err != nil:
			t.Errorf("%v: %v", tc.args, err)
		case tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)):
			t.Errorf("%v: got error %v, want one about %q", tc.args, err, tc.wantErr)
		case err == nil && tc.args[1] == ":2222" && len(tc.args) == 2 && (o.sshMax != 16 || o.sshIdle != 10*time.Minute):
			t.Errorf("defaults: got %d sessions, idle %v; want 16 and 10m", o.sshMax, o.sshIdle)
		}
	}
}

func TestShareCommand(t *testing.T) {
	for _, tc := range []struct {
		host string
		port int
		want string
	}{
		{"10.1.2.3", 2222, "ssh -p 2222 10.1.2.3"},
		{"10.1.2.3", 22, "ssh 10.1.2.3"},
		{"fd00::1", 2222, "ssh -p 2222 [fd00::1]"},
	} {
		if got := shareCommand(tc.host, tc.port, ""); got != tc.want {
			t.Errorf("shareCommand(%q, %d) = %q, want %q", tc.host, tc.port, got, tc.want)
		}
	}
	// Listening on every address, the command names an address others
	// can reach, never 0.0.0.0.
	for _, host := range []string{"", "0.0.0.0"} {
		if got := shareCommand(host, 2222, ""); strings.Contains(got, "0.0.0.0") || !strings.HasPrefix(got, "ssh -p 2222 ") {
			t.Errorf("shareCommand(%q) = %q", host, got)
		}
	}
}

func TestSessionName(t *testing.T) {
	for user, want := range map[string]string{
		"alice":                  "alice",
		"café ★":                 "café ★",
		"\x1b[2Jmallory":         "mallory",
		"\x1b\x07":               guestName,
		"":                       guestName,
		strings.Repeat("x", 200): strings.Repeat("x", 16),
	} {
		got := sessionName(user)
		if strings.HasPrefix(want, "x") {
			if !strings.HasPrefix(got, "x") || len(got) > len(user) || len(got) >= 200 {
				t.Errorf("sessionName(long) = %q: want it cut", got)
			}
			continue
		}
		if got != want {
			t.Errorf("sessionName(%q) = %q, want %q", user, got, want)
		}
	}
}

func TestSecretMatches(t *testing.T) {
	if !secretMatches("s3cret", "s3cret") || secretMatches("s3cret", "s3cre") || secretMatches("s3cret", "") {
		t.Error("secretMatches accepts only the secret itself")
	}
}

func TestSessionProfile(t *testing.T) {
	for _, tc := range []struct {
		term    string
		env     []string
		want    colorprofile.Profile // 0: any
		noColor bool
	}{
		{"xterm-256color", nil, colorprofile.ANSI256, false},
		{"xterm-256color", []string{"COLORTERM=truecolor"}, colorprofile.ANSI256, false}, // capped
		{"xterm", nil, colorprofile.ANSI, false},
		{"dumb", nil, colorprofile.NoTTY, false},
		{"xterm-256color", []string{"NO_COLOR=1"}, 0, true},
	} {
		p, noColor := sessionProfile(tc.term, tc.env)
		if noColor != tc.noColor || (tc.want != 0 && p != tc.want) {
			t.Errorf("sessionProfile(%q, %q) = %v, %v; want %v, %v", tc.term, tc.env, p, noColor, tc.want, tc.noColor)
		}
	}
}

func TestSlotsCapSessions(t *testing.T) {
	s := newSlots(2)
	if !s.take() || !s.take() {
		t.Fatal("two slots: the first two takes succeed")
	}
	if s.take() {
		t.Fatal("a third take succeeded with two slots")
	}
	s.release()
	if !s.take() {
		t.Fatal("a released slot is not taken again")
	}
}

func TestIdleTimerFiresOnlyWithoutKeys(t *testing.T) {
	var fired atomic.Int32
	done := make(chan struct{})
	it := newIdleTimer(200*time.Millisecond, func() { fired.Add(1); close(done) })
	defer it.stop()
	// Keys every 20ms for about a second keep it from firing.
	for range 50 {
		it.filter(nil, keyPress('a'))
		time.Sleep(20 * time.Millisecond)
	}
	if fired.Load() != 0 || it.fired.Load() {
		t.Fatal("the idle timer fired while keys came")
	}
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("the idle timer never fired without keys")
	}
	if !it.fired.Load() {
		t.Error("fired is not set after the timer fired")
	}
}

func TestHostKeyIsKeptUnderTheConfigDir(t *testing.T) {
	isolateConfig(t)
	dir := os.Getenv("HOME")
	first := fingerprint(t, startGateway(t, nil, "").addr)
	path, err := hostKeyPath()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(path, dir) || filepath.Base(filepath.Dir(path)) != "lanarena" {
		t.Errorf("host key at %s, want it under %s/lanarena", path, dir)
	}
	if fi, err := os.Stat(path); err != nil || (runtime.GOOS != "windows" && fi.Mode().Perm()&0o077 != 0) {
		t.Errorf("host key %s: %v, mode %v; want it private", path, err, fi.Mode())
	}
	if second := fingerprint(t, startGateway(t, nil, "").addr); second != first {
		t.Errorf("a second gateway has host key %s, the first had %s: want the kept key", second, first)
	}
}
