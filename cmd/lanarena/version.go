package main

import (
	"runtime"
	"runtime/debug"
	"strings"
)

// versionLine describes this build in one line: the version, then what
// the build info knows (the main module's version, the VCS revision and
// time, whether the tree was modified) and the Go toolchain and target.
// `go build` in a git checkout records the revision; `go install
// lanarena/cmd/lanarena@vX` records the module version.
func versionLine() string {
	return describeBuild(version, readBuildInfo())
}

func readBuildInfo() *debug.BuildInfo {
	info, _ := debug.ReadBuildInfo()
	return info
}

func describeBuild(v string, info *debug.BuildInfo) string {
	var parts []string
	if info != nil {
		if mv := info.Main.Version; mv != "" && mv != "(devel)" {
			parts = append(parts, "module "+mv)
		}
		var rev, at, modified string
		for _, s := range info.Settings {
			switch s.Key {
			case "vcs.revision":
				rev = s.Value
			case "vcs.time":
				at = s.Value
			case "vcs.modified":
				modified = s.Value
			}
		}
		if rev != "" {
			r := "revision " + rev
			if at != "" {
				r += " (" + at + ")"
			}
			if modified == "true" {
				r += " modified"
			}
			parts = append(parts, r)
		}
	}
	parts = append(parts, runtime.Version()+" "+runtime.GOOS+"/"+runtime.GOARCH)
	return "lanarena " + v + ", " + strings.Join(parts, ", ")
}
