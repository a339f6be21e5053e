package main

import (
	"io"
	"log"
	"testing"
)

// --name and --color are remembered; the next run without them plays
// under the remembered ones, and a later --name overrides only the name.
func TestNameAndColourAreRemembered(t *testing.T) {
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	t.Setenv("HOME", t.TempDir())
	quiet := log.New(io.Discard, "", 0)
	run := func(args ...string) *options {
		t.Helper()
		o, err := parseOptions(args, io.Discard)
		if err != nil {
			t.Fatal(err)
		}
		if ask, _ := o.choose(quiet); ask {
			t.Errorf("%v: asked for a name that is known", args)
		}
		return o
	}
	run("--name", "zoe", "--color", "3")
	if o := run(); o.name != "zoe" || o.color != 3 {
		t.Errorf("next run: %q colour %d, want zoe 3", o.name, o.color)
	}
	run("--name", "ann")
	if o := run(); o.name != "ann" || o.color != 3 {
		t.Errorf("after --name ann: %q colour %d, want ann 3", o.name, o.color)
	}
}

// A name typed at the first run's prompt is remembered.
func TestNameTypedIsRemembered(t *testing.T) {
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	t.Setenv("HOME", t.TempDir())
	quiet := log.New(io.Discard, "", 0)
	o, _ := parseOptions(nil, io.Discard)
	_, setName := o.choose(quiet)
	setName("ida")
	o, _ = parseOptions(nil, io.Discard)
	if ask, _ := o.choose(quiet); ask || o.name != "ida" {
		t.Errorf("next run: %q (ask %v), want ida", o.name, ask)
	}
}
