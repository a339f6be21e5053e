//go:build !linux

package main

import "time"

// threadCPU is 0: per-thread CPU time is read on Linux only.
func threadCPU() time.Duration { return 0 }
