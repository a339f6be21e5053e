package main

import (
	"bufio"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"lanarena/net/netns"
)

// BenchmarkLANDiscovery measures discovery on a namespaced LAN with real
// mDNS: hosts-1 bots play; each iteration starts one more bot on the last
// host and times, from the log lines every process writes (microsecond
// timestamps, one clock), how long until the newcomer has met every other
// player and until every other player has met it.
//
//	go test -run '^$' -bench LANDiscovery -benchtime 5x ./cmd/lanarena
func BenchmarkLANDiscovery(b *testing.B) {
	for _, hosts := range []int{3, 8} {
		b.Run(fmt.Sprintf("hosts=%d", hosts), func(b *testing.B) {
			lan := netns.New(b, hosts)
			hs := lan.Hosts()
			var others []*proc
			for i := range hosts - 1 {
				others = append(others, startProcB(b, hs[i], fmt.Sprintf("old%d", i), "--bot", "--room", "disc"))
			}
			time.Sleep(3 * time.Second) // let them meet
			var seesAll, seenByAll []time.Duration
			for i := range b.N {
				name := fmt.Sprintf("new%d", i)
				p := startProcB(b, hs[hosts-1], name, "--bot", "--room", "disc")
				deadline := time.Now().Add(10 * time.Second)
				var a, c time.Duration
				for time.Now().Before(deadline) {
					start, ok := logTime(p.log, name+" joined room")
					if !ok {
						time.Sleep(50 * time.Millisecond)
						continue
					}
					var last, lastSeen time.Time
					all := true
					for _, o := range others {
						t1, ok1 := logTime(p.log, o.name+" joined")
						t2, ok2 := logTime(o.log, name+" joined")
						if !ok1 || !ok2 {
							all = false
							break
						}
						last = maxTime(last, t1)
						lastSeen = maxTime(lastSeen, t2)
					}
					if all {
						a, c = last.Sub(start), lastSeen.Sub(start)
						break
					}
					time.Sleep(50 * time.Millisecond)
				}
				if a == 0 && c == 0 {
					b.Fatalf("%s did not meet everybody within 10 s", name)
				}
				seesAll = append(seesAll, a)
				seenByAll = append(seenByAll, c)
				p.cmd.Process.Kill()
				<-p.done
				p.done <- nil
			}
			b.ReportMetric(ms(median(seesAll)), "ms-sees-all-p50")
			b.ReportMetric(ms(slices.Max(seesAll)), "ms-sees-all-max")
			b.ReportMetric(ms(median(seenByAll)), "ms-seen-by-all-p50")
			b.ReportMetric(ms(slices.Max(seenByAll)), "ms-seen-by-all-max")
		})
	}
}

func median(d []time.Duration) time.Duration {
	s := slices.Clone(d)
	slices.Sort(s)
	return s[len(s)/2]
}

func maxTime(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}

// logTime finds the first log line containing text and returns its time.
func logTime(path, text string) (time.Time, bool) {
	f, err := os.Open(path)
	if err != nil {
		return time.Time{}, false
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if !strings.Contains(line, text) || len(line) < 26 {
			continue
		}
		t, err := time.ParseInLocation("2006/01/02 15:04:05.000000", line[:26], time.Local)
		if err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

// ms is d in milliseconds, to the microsecond.
func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
