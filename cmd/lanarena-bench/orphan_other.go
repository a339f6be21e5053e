//go:build !linux

package main

import "os/exec"

// dieWithParent does nothing here: the deferred stops must do.
func dieWithParent(*exec.Cmd) {}
