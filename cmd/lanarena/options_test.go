package main

import (
	"bytes"
	"errors"
	"flag"
	"io"
	"runtime"
	"runtime/debug"
	"strings"
	"testing"
	"time"

	gamenet "lanarena/net"
)

func TestParseOptions(t *testing.T) {
	for _, tc := range []struct {
		args    []string
		wantErr string
		check   func(*options) string
	}{
		{args: nil, check: func(o *options) string {
			if o.room != "" || o.mode != gamenet.ModeP2P || o.color != -1 || o.tickRate != 15 || o.noMDNS {
				return "defaults wrong"
			}
			return ""
		}},
		{args: []string{"--room", "lab", "--bots", "3", "--join", "127.0.0.1:4000", "--join", "127.0.0.1:4001", "--no-mdns"}, check: func(o *options) string {
			if o.room != "lab" || o.bots != 3 || len(o.joinAddrs()) != 2 || !o.noMDNS {
				return "values not taken"
			}
			return ""
		}},
		{args: []string{"--loss", "20", "--delay", "300ms", "--dup", "1", "--reorder", "5", "--seed", "7"}, check: func(o *options) string {
			if o.impair.Loss != 0.2 || o.impair.Delay != 300*time.Millisecond || o.impair.Dup != 0.01 || o.impair.Reorder != 0.05 || o.impair.Seed != 7 {
				return "impairment not taken"
			}
			return ""
		}},
		{args: []string{"--width", "80"}, check: func(o *options) string {
			if !o.strict {
				return "explicit room parameters not marked strict"
			}
			return ""
		}},
		{args: []string{"--color", "12"}, wantErr: "--color"},
		{args: []string{"--mode", "mesh"}, wantErr: "--mode"},
		{args: []string{"--host"}, wantErr: "--host"},
		{args: []string{"--loss", "101"}, wantErr: "--loss 101: want a percentage"},
		{args: []string{"--join", "nowhere"}, wantErr: "HOST:PORT"},
		{args: []string{"--width", "5"}, wantErr: "--width 5: want 16..250"},
		{args: []string{"--room", "a\x1b[31mb"}, wantErr: "--room"},
		{args: []string{"--bot", "--spectate"}, wantErr: "exclude"},
		{args: []string{"stray"}, wantErr: "unexpected argument"},
	} {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			var stderr bytes.Buffer
			o, err := parseOptions(tc.args, &stderr)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("error %v, want one mentioning %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if msg := tc.check(o); msg != "" {
				t.Error(msg)
			}
		})
	}
}

// Every mistake on the command line is one line that names the flag in
// its long form and points to --help; run's caller exits with status 2.
func TestFlagErrorsAreOneLine(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--loss", "150"}, "--loss 150: want a percentage, 0..100"},
		{[]string{"--dup", "-1"}, "--dup -1: want a percentage"},
		{[]string{"--width", "1000"}, "--width 1000: want 16..250"},
		{[]string{"--tick", "0"}, "--tick 0: want 1..60"},
		{[]string{"--delay", "11s"}, "--delay 11s: want 0..10s"},
		{[]string{"--join", "nonsense"}, `--join nonsense: want HOST:PORT`},
		{[]string{"--tick", "abc"}, `--tick abc: want a number`},
		{[]string{"-tick", "abc"}, `--tick abc: want a number`},
		{[]string{"--delay", "soon"}, `--delay soon: want a duration such as 150ms`},
		{[]string{"--spectate=maybe"}, `--spectate maybe: want true or false`},
		{[]string{"--nosuch"}, "unknown flag --nosuch"},
		{[]string{"--room"}, "--room needs a value"},
		{[]string{"--room", "--no-mdns"}, "--room --no-mdns: a value, not a flag, is missing after --room"},
		{[]string{"--name", "-bots"}, "--name -bots: a value, not a flag"},
		{[]string{"--secret", "--x"}, "--secret --x: a value"},
	} {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			var stderr bytes.Buffer
			_, err := parseOptions(tc.args, &stderr)
			if err == nil {
				t.Fatal("accepted")
			}
			msg := err.Error()
			if !strings.Contains(msg, tc.want) || !strings.HasSuffix(msg, "(see --help)") || strings.Contains(msg, "\n") {
				t.Errorf("error %q, want one line with %q ending in (see --help)", msg, tc.want)
			}
			if !errors.As(err, new(usageError)) {
				t.Errorf("error %T is not a usageError: the exit status would not be 2", err)
			}
			if stderr.Len() != 0 {
				t.Errorf("printed %q besides the error, want nothing (no usage)", stderr.String())
			}
		})
	}
	// A negative number and a value that merely contains dashes are values.
	for _, args := range [][]string{{"--color", "-1"}, {"--room", "a-b"}, {"--name", "-x-"}} {
		if _, err := parseOptions(args, io.Discard); err != nil {
			t.Errorf("%v: %v", args, err)
		}
	}
}

func TestHelpListsLongFlags(t *testing.T) {
	var stderr bytes.Buffer
	_, err := parseOptions([]string{"--help"}, &stderr)
	if !errors.Is(err, flag.ErrHelp) {
		t.Fatalf("err %v, want flag.ErrHelp", err)
	}
	for _, f := range []string{"--name", "--color", "--room", "--bots", "--log", "--version", "--stats", "--port", "--join", "--no-mdns", "--bot", "--spectate", "--loss", "--delay", "--jitter", "--dup", "--reorder", "--seed", "--secret", "--mode", "--host"} {
		if !strings.Contains(stderr.String(), f+" ") {
			t.Errorf("--help does not list %s", f)
		}
	}
}

func TestVersion(t *testing.T) {
	var out, errOut bytes.Buffer
	if err := run([]string{"--version"}, &out, &errOut); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(out.String(), "lanarena ") {
		t.Errorf("--version printed %q", out.String())
	}
}

func TestDescribeBuild(t *testing.T) {
	info := &debug.BuildInfo{Main: debug.Module{Version: "v1.2.3"}, Settings: []debug.BuildSetting{
		{Key: "vcs.revision", Value: "0123456789abcdef"}, {Key: "vcs.time", Value: "2026-12-03T08:00:00Z"}, {Key: "vcs.modified", Value: "true"},
	}}
	got := describeBuild("0.1.0", info)
	for _, want := range []string{"lanarena 0.1.0", "module v1.2.3", "revision 0123456789abcdef (2026-12-03T08:00:00Z) modified", runtime.GOOS + "/" + runtime.GOARCH} {
		if !strings.Contains(got, want) {
			t.Errorf("describeBuild = %q, want it to contain %q", got, want)
		}
	}
	if got := describeBuild("0.1.0", &debug.BuildInfo{Main: debug.Module{Version: "(devel)"}}); strings.Contains(got, "module") || strings.Contains(got, "revision") {
		t.Errorf("without VCS information: %q", got)
	}
}
