package prefs

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestSaveThenLoad(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "lanarena") // Save creates it
	if got := Load(dir); got != (Prefs{Color: -1}) {
		t.Fatalf("no file: got %+v, want nothing remembered", got)
	}
	want := Prefs{Name: "Ada 李", Color: 7}
	if err := Save(dir, want); err != nil {
		t.Fatal(err)
	}
	if got := Load(dir); got != want {
		t.Errorf("got %+v, want %+v", got, want)
	}
	want.Name = "Bob"
	if err := Save(dir, want); err != nil {
		t.Fatal(err)
	}
	if got := Load(dir); got != want {
		t.Errorf("after a second save: got %+v, want %+v", got, want)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("dir holds %d files, want only the preferences (no temporary left)", len(entries))
	}
}

func TestLoadIsTolerant(t *testing.T) {
	for _, tc := range []struct {
		name, body string
		want       Prefs
	}{
		{"garbage", "\x00\x01 not a prefs file", Prefs{Color: -1}},
		{"colour out of range", "name=ann\ncolor=99\n", Prefs{Name: "ann", Color: -1}},
		{"colour not a number", "color=red\nname=ann", Prefs{Name: "ann", Color: -1}},
		{"escape codes in the name", "name=\x1b[31mann\ncolor=3", Prefs{Name: "ann", Color: 3}},
		{"blank name", "name=   \ncolor=2\n", Prefs{Color: 2}},
		{"unknown keys and spaces", "# hi\ntheme=dark\n name = ann \n", Prefs{Name: "ann", Color: -1}},
		{"a huge file", "name=ann\n" + strings.Repeat("x", 1<<20) + "\ncolor=4\n", Prefs{Name: "ann", Color: -1}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			if err := os.WriteFile(filepath.Join(dir, fileName), []byte(tc.body), 0o644); err != nil {
				t.Fatal(err)
			}
			if got := Load(dir); got != tc.want {
				t.Errorf("got %+v, want %+v", got, tc.want)
			}
		})
	}
}

func TestDirFollowsXDGConfigHome(t *testing.T) {
	base := t.TempDir()
	t.Setenv("XDG_CONFIG_HOME", base)
	t.Setenv("HOME", base)
	got, err := Dir()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(got, base) || filepath.Base(got) != "lanarena" {
		t.Errorf("Dir() = %q, want lanarena under %q", got, base)
	}
}

func TestChoose(t *testing.T) {
	mem := Prefs{Name: "ann", Color: 5}
	for _, tc := range []struct {
		name       string
		remembered Prefs
		flagName   string
		nameSet    bool
		flagColor  int
		colorSet   bool
		osUser     string
		want       Choice
	}{
		{"first run as a named user", Prefs{Color: -1}, "", false, -1, false, "bob", Choice{Prefs: Prefs{"bob", -1}}},
		{"first run as root: ask", Prefs{Color: -1}, "", false, -1, false, "root", Choice{Prefs{"player", -1}, true}},
		{"first run with no user: ask", Prefs{Color: -1}, "", false, -1, false, "", Choice{Prefs{"player", -1}, true}},
		{"remembered wins over the OS user", mem, "", false, -1, false, "root", Choice{Prefs: mem}},
		{"flags win over the remembered", mem, "cid", true, 2, true, "root", Choice{Prefs: Prefs{"cid", 2}}},
		{"--color alone keeps the remembered name", mem, "", false, 9, true, "bob", Choice{Prefs: Prefs{"ann", 9}}},
		{"a blank --name is no name", Prefs{Color: -1}, " ", true, -1, false, "root", Choice{Prefs{"player", -1}, true}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := Choose(tc.remembered, tc.flagName, tc.nameSet, tc.flagColor, tc.colorSet, tc.osUser)
			if got != tc.want {
				t.Errorf("got %+v, want %+v", got, tc.want)
			}
		})
	}
}
