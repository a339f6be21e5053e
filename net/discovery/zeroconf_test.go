package discovery

// Interoperability with an independent DNS-SD implementation,
// python-zeroconf (Debian's python3-zeroconf, which .ci/run installs), in
// both directions, inside network namespaces (net/netns).

import (
	"bufio"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"lanarena/net/netns"
)

const zeroconfPeer = "testdata/zeroconf_peer.py"

// zeroconfPython returns a python3 that can import zeroconf; without one
// the test skips, or fails under CI=true.
func zeroconfPython(t *testing.T) string {
	t.Helper()
	for _, py := range []string{"/usr/bin/python3", "python3"} {
		path, err := exec.LookPath(py)
		if err == nil && exec.Command(path, "-c", "import zeroconf").Run() == nil {
			return path
		}
	}
	if os.Getenv("CI") == "true" {
		t.Fatal("python3-zeroconf is not installed (.ci/run installs it)")
	}
	t.Skip("python3-zeroconf is not installed")
	return ""
}

// zeroconfSeen is one instance as python-zeroconf resolved it.
type zeroconfSeen struct {
	Instance  string
	Port      int
	Addresses []string
	TXT       map[string]string
}

// TestZeroconfSeesOurInstances: instances advertised by this package are
// resolved by python-zeroconf on another host, names and TXT values the
// very UTF-8 we meant (a name in NFD arrives in NFC).
func TestZeroconfSeesOurInstances(t *testing.T) {
	py := zeroconfPython(t)
	lan := netns.New(t, 2)
	hosts := lan.Hosts()
	ours := []Announcement{
		{ID: 0xa1, Name: "zoé", Room: "café ★", Port: 7001},
		{ID: 0xa2, Name: `a\b "q"`, Room: "café ★", Port: 7002},
		{ID: 0xa3, Name: "中文 👍🏽", Room: "cafe\u0301 \u2605", Port: 7003},
	}
	hosts[0].Run(t, func() {
		for _, a := range ours {
			a.Version, a.Mode = 1, "p2p"
			ad, err := Advertise(a, logBuffer(t))
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { ad.Close() })
		}
	})
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	cmd := hosts[1].Command(ctx, py, zeroconfPeer, "browse", hosts[1].Addr.String(), "15")
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { cmd.Process.Kill(); cmd.Wait() }()
	seen := map[string]zeroconfSeen{}
	sc := bufio.NewScanner(out)
	for len(seen) < len(ours) && sc.Scan() {
		var s zeroconfSeen
		if err := json.Unmarshal(sc.Bytes(), &s); err != nil {
			t.Fatalf("zeroconf printed %q: %v", sc.Text(), err)
		}
		seen[s.TXT["id"]] = s
	}
	for _, a := range ours {
		s, ok := seen[formatID(a.ID)]
		if !ok {
			t.Errorf("python-zeroconf did not resolve %q (saw %d of %d)", a.Name, len(seen), len(ours))
			continue
		}
		if s.TXT["name"] != Canonical(a.Name) || s.TXT["room"] != "café ★" {
			t.Errorf("python-zeroconf read name %q room %q, want %q, %q", s.TXT["name"], s.TXT["room"], a.Name, "café ★")
		}
		if want := instanceName(a); s.Instance != want {
			t.Errorf("python-zeroconf read instance %q, want %q", s.Instance, want)
		}
		if s.Port != a.Port || !slices.Contains(s.Addresses, hosts[0].Addr.String()) {
			t.Errorf("python-zeroconf read port %d addresses %v, want %d at %v", s.Port, s.Addresses, a.Port, hosts[0].Addr)
		}
	}
}

// TestWeSeeZeroconfInstances: a python-zeroconf responder answers with its
// five instances in one response (with an NSEC record miekg/dns cannot
// read): one query of ours finds all five, names intact.
func TestWeSeeZeroconfInstances(t *testing.T) {
	py := zeroconfPython(t)
	lan := netns.New(t, 2)
	hosts := lan.Hosts()
	names := []string{"zoé", `a\b "q"`, "中文", "👨‍👩‍👧 family", "e"}
	type inst struct {
		Instance string   `json:"instance"`
		Port     int      `json:"port"`
		TXT      []string `json:"txt"`
	}
	var spec []inst
	for i, n := range names {
		spec = append(spec, inst{Instance: "zc " + n, Port: 7100 + i,
			TXT: []string{"v=1", "id=" + strconv.Itoa(i+1), "name=" + n, "room=café ★", "mode=p2p"}})
	}
	specPath := filepath.Join(t.TempDir(), "spec.json")
	b, _ := json.Marshal(spec)
	if err := os.WriteFile(specPath, b, 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := hosts[1].Command(context.Background(), py, zeroconfPeer, "respond", hosts[1].Addr.String(), specPath)
	cmd.Stderr = os.Stderr
	stdin, _ := cmd.StdinPipe()
	out, _ := cmd.StdoutPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { stdin.Close(); cmd.Process.Kill(); cmd.Wait() }()
	if line, err := bufio.NewReader(out).ReadString('\n'); strings.TrimSpace(line) != "ready" {
		t.Fatalf("zeroconf responder said %q, %v", line, err)
	}

	var got []Entry
	var stats BrowseStats
	hosts[0].Run(t, func() {
		b := NewBrowser(BrowseConfig{Timeout: 500 * time.Millisecond, Logger: logBuffer(t)})
		for range 10 { // the responder may still be probing its names
			got = got[:0]
			b.query(context.Background(), func(e Entry) { got = append(got, e) })
			if len(got) > 0 {
				break
			}
		}
		stats = b.Stats()
	})
	var gotNames []string
	for _, e := range got {
		gotNames = append(gotNames, e.Name)
		if e.Room != "café ★" || e.Addr.Addr() != hosts[1].Addr || !strings.HasPrefix(e.Instance, "zc ") {
			t.Errorf("found %+v", e)
		}
	}
	slices.Sort(gotNames)
	want := slices.Clone(names)
	slices.Sort(want)
	if !slices.Equal(gotNames, want) {
		t.Errorf("one query found %q, want all of %q", gotNames, want)
	}
	if stats.BadRecords == 0 {
		t.Logf("no bad record counted (python-zeroconf other than 0.47.3?): %+v", stats)
	}
}
