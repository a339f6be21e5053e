package main

import (
	"bytes"
	"errors"
	"flag"
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
		{args: []string{"--loss", "101"}, wantErr: "percentages"},
		{args: []string{"--join", "nowhere"}, wantErr: "HOST:PORT"},
		{args: []string{"--width", "5"}, wantErr: "room parameters"},
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
