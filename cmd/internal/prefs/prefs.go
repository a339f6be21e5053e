// Package prefs remembers what a player chose between runs: their name
// and colour, in a small file under the user's configuration directory
// (os.UserConfigDir()/lanarena/prefs). The file is written atomically and
// read tolerantly: a missing, truncated or hand-edited file gives what it
// can and never stops the game.
package prefs

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"lanarena/game"
)

// fileName is the file in Dir.
const fileName = "prefs"

// maxFileBytes bounds what Load reads: the file holds two short lines.
const maxFileBytes = 4096

// Prefs is what is remembered. Color is -1 when none is.
type Prefs struct {
	Name  string
	Color int
}

// Dir is where the preferences live: os.UserConfigDir()/lanarena
// ($XDG_CONFIG_HOME/lanarena on Linux when set, else ~/.config/lanarena).
func Dir() (string, error) {
	base, err := os.UserConfigDir()
	if err != nil {
		return "", err
	}
	return filepath.Join(base, "lanarena"), nil
}

// Load reads the preferences in dir. Anything unreadable is left out:
// the zero Prefs (no name, Color -1) when there is no file.
func Load(dir string) Prefs {
	p := Prefs{Color: -1}
	if dir == "" {
		return p
	}
	f, err := os.Open(filepath.Join(dir, fileName))
	if err != nil {
		return p
	}
	defer f.Close()
	sc := bufio.NewScanner(&limited{f, maxFileBytes})
	for sc.Scan() {
		k, v, ok := strings.Cut(sc.Text(), "=")
		if !ok {
			continue
		}
		switch strings.TrimSpace(k) {
		case "name":
			if n := string(game.CleanName(strings.TrimSpace(v))); n != "" {
				p.Name = n
			}
		case "color":
			if c, err := strconv.Atoi(strings.TrimSpace(v)); err == nil && c >= 0 && c < game.Colors {
				p.Color = c
			}
		}
	}
	return p
}

// limited reads at most n bytes of r: a huge file is read no further.
type limited struct {
	f *os.File
	n int
}

func (l *limited) Read(b []byte) (int, error) {
	if l.n <= 0 {
		return 0, errors.New("preferences file too long")
	}
	b = b[:min(len(b), l.n)]
	n, err := l.f.Read(b)
	l.n -= n
	return n, err
}

// Save writes p in dir, creating dir if needed. The file is replaced at
// once (written beside it, then renamed): a crash leaves the old file or
// the new one, never half of one.
func Save(dir string, p Prefs) error {
	if dir == "" {
		return errors.New("no configuration directory")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(dir, fileName+".*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // after the rename, there is nothing to remove
	body := fmt.Sprintf("# lanarena remembers your name and colour here\nname=%s\ncolor=%d\n",
		game.CleanName(p.Name), p.Color)
	if _, err := tmp.WriteString(body); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), filepath.Join(dir, fileName))
}

// Choice is the name and colour a run plays with.
type Choice struct {
	Prefs
	// AskName: nobody gave a name and the user's account names nobody in
	// particular (root, or none): the UI asks for one before anything else.
	AskName bool
}

// Choose decides this run's name and colour: those given on the command
// line (set), else those remembered, else the OS user's name and no
// colour. osUser "root" or "" is no name: the UI must ask (AskName), with
// "player" meanwhile.
func Choose(remembered Prefs, name string, nameSet bool, color int, colorSet bool, osUser string) Choice {
	c := Choice{Prefs: Prefs{Name: name, Color: color}}
	if !nameSet || string(game.CleanName(name)) == "" {
		switch {
		case remembered.Name != "":
			c.Name = remembered.Name
		case osUser != "" && osUser != "root":
			c.Name = osUser
		default:
			c.Name, c.AskName = "player", true
		}
	}
	if !colorSet {
		c.Color = remembered.Color
	}
	return c
}
