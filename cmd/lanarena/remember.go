package main

import (
	"log"
	"os"
	"os/user"

	"lanarena/cmd/internal/prefs"
)

// choose settles the player's name and colour: --name and --color, else
// those remembered from the last run, else the OS user's name. Given on
// the command line, they are remembered. askName says the UI must ask for
// a name (a first run as root); setName remembers the one given.
func (o *options) choose(logger *log.Logger) (askName bool, setName func(string)) {
	dir, err := prefs.Dir()
	if err != nil {
		logger.Printf("preferences: %v", err)
	}
	c := prefs.Choose(prefs.Load(dir), o.name, o.nameSet, o.color, o.colorSet, osUser())
	o.name, o.color = c.Name, c.Color
	save := func(p prefs.Prefs) {
		if dir == "" {
			return
		}
		if err := prefs.Save(dir, p); err != nil {
			logger.Printf("preferences: %v", err)
		}
	}
	if o.nameSet || o.colorSet {
		p := c.Prefs
		if c.AskName {
			p.Name = "" // "player" is no name: the next run asks again
		}
		save(p)
	}
	return c.AskName, func(name string) { save(prefs.Prefs{Name: name, Color: c.Color}) }
}

// osUser is the name of the account running the game, "" if unknown.
func osUser() string {
	if u, err := user.Current(); err == nil && u.Username != "" {
		return u.Username
	}
	return os.Getenv("USER")
}
