package stats

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log"
	"math/rand/v2"
	"net/netip"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"lanarena/game"
	gamenet "lanarena/net"
	"lanarena/net/view"
)

// snapshot is a peer "alice" (id 7) in room lab, with one other player
// (bob, a bot) whose peer it sees, and two drop reasons.
func snapshot(t *testing.T) view.Snapshot {
	t.Helper()
	arena := game.New(game.DefaultParams())
	rng := rand.New(rand.NewPCG(1, 2))
	if _, err := arena.Join(7, "alice", 5, false, rng); err != nil {
		t.Fatal(err)
	}
	if _, err := arena.Join(9, "bob", 2, true, rng); err != nil {
		t.Fatal(err)
	}
	return view.Snapshot{
		Arena: arena.View(),
		Self:  7,
		Room:  "lab",
		Mode:  gamenet.ModeP2P,
		Match: view.Match{FirstTo: 5, Number: 2, Last: 7},
		Addr:  netip.MustParseAddrPort("10.0.0.5:47001"),
		Peers: []view.PeerStats{{
			ID: 9, Name: "bob", Addr: netip.MustParseAddrPort("10.0.0.7:37617"), Bot: true, Lagging: true,
			RTT: 1234 * time.Microsecond, Jitter: 110 * time.Microsecond, Loss: 0.25,
			Age: 66 * time.Millisecond, LastSeen: time.UnixMilli(1764107166846),
			BytesIn: 5918, BytesOut: 5355,
			PacketsInPerSec: 17, PacketsOutPerSec: 18, BytesInPerSec: 830, BytesOutPerSec: 810,
		}},
		Drops: []view.DropCount{{Reason: "rate-limit", Count: 120}, {Reason: "stale", Count: 3}},
	}
}

func TestNewLineDescribesTheSnapshot(t *testing.T) {
	s := snapshot(t)
	now := time.UnixMilli(1764107166912)
	l := NewLine(s, "flag-name", now)

	if l.T != 1764107166912 || l.Room != "lab" || l.Mode != "p2p" || l.Tick != s.Arena.Tick {
		t.Errorf("header: got t=%d room=%q mode=%q tick=%d", l.T, l.Room, l.Mode, l.Tick)
	}
	if want := (Self{ID: 7, Name: "alice", Addr: "10.0.0.5:47001"}); l.Self != want {
		t.Errorf("self: got %+v, want %+v (the cycle's name wins over the flag's)", l.Self, want)
	}
	alice := s.Arena.Cycle(7)
	wantAlice := Player{ID: 7, Name: "alice", Color: 5, Alive: true, X: alice.Head.X, Y: alice.Head.Y,
		Dir: alice.Dir.String(), Trail: alice.TrailLen(), Life: alice.Life, Ready: true} // a new life waits
	if got, ok := l.Player("alice"); !ok || got != wantAlice {
		t.Errorf("player alice: got %+v %v, want %+v", got, ok, wantAlice)
	}
	if got, ok := l.Player("bob"); !ok || !got.Bot || got.Color != 2 {
		t.Errorf("player bob: got %+v %v, want a bot of colour 2", got, ok)
	}
	wantBob := Peer{ID: 9, Name: "bob", Addr: "10.0.0.7:37617", Bot: true, Lagging: true,
		RTTms: 1.234, JitterMs: 0.11, Loss: 0.25, AgeMs: 66, LastSeenMs: 1764107166846,
		BytesIn: 5918, BytesOut: 5355, PktsInPS: 17, PktsOutPS: 18, BytesInPS: 830, BytesOutPS: 810}
	if got, ok := l.Peer("bob"); !ok || got != wantBob {
		t.Errorf("peer bob:\n got %+v\nwant %+v", got, wantBob)
	}
	if want := (Match{FirstTo: 5, Number: 2, Last: 7}); l.Match == nil || *l.Match != want {
		t.Errorf("match: got %+v, want %+v", l.Match, want)
	}
	if want := map[string]uint64{"rate-limit": 120, "stale": 3}; !mapsEqual(l.Drops, want) {
		t.Errorf("drops: got %v, want %v", l.Drops, want)
	}
}

func mapsEqual(a, b map[string]uint64) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if w, ok := b[k]; !ok || w != v {
			return false
		}
	}
	return true
}

// A spectator has no cycle: the line names it by the name it was given,
// and empty lists are written as [] and {}, never null, so readers can
// iterate without a check.
func TestNewLineOfASpectatorWithNobodyAround(t *testing.T) {
	s := view.Snapshot{Arena: game.New(game.DefaultParams()).View(), Room: "lab", Mode: gamenet.ModeServer}
	b, err := json.Marshal(NewLine(s, "projector", time.UnixMilli(1)))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"name":"projector"`, `"id":0`, `"players":[]`, `"peers":[]`, `"drops":{}`} {
		if !bytes.Contains(b, []byte(want)) {
			t.Errorf("got %s, want it to contain %s", b, want)
		}
	}
}

// The README documents the schema with an example line. This test reads
// that example and requires the same fields, with the same JSON kinds, as
// a line this package writes: renaming a field on one side only fails.
func TestLineMatchesTheREADMESchema(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile("(?s)## `--stats` schema.*?```jsonc\n(.*?)```").FindSubmatch(readme)
	if m == nil {
		t.Fatal("README has no jsonc example under \"## `--stats` schema\"")
	}
	var documented any
	if err := json.Unmarshal(stripComments(m[1]), &documented); err != nil {
		t.Fatalf("README example is not JSON once comments are stripped: %v", err)
	}
	b, err := json.Marshal(NewLine(snapshot(t), "alice", time.Now()))
	if err != nil {
		t.Fatal(err)
	}
	var written any
	if err := json.Unmarshal(b, &written); err != nil {
		t.Fatal(err)
	}
	if diff := shapeDiff("", documented, written); diff != "" {
		t.Errorf("README schema and written line differ:\n%s", diff)
	}
}

// stripComments drops // comments; the example has no "//" inside strings.
func stripComments(b []byte) []byte {
	var out bytes.Buffer
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		line, _, _ := strings.Cut(sc.Text(), "//")
		out.WriteString(line + "\n")
	}
	return out.Bytes()
}

// shapeDiff lists where a and b differ in field names or JSON kinds.
// Maps named "drops" are free-form (reasons are keys), so only their
// values' kinds are compared. Lists compare their first elements.
func shapeDiff(path string, a, b any) string {
	if fmt.Sprintf("%T", a) != fmt.Sprintf("%T", b) {
		return fmt.Sprintf("%s: documented %T, written %T\n", path, a, b)
	}
	switch a := a.(type) {
	case map[string]any:
		b := b.(map[string]any)
		if path == ".drops" {
			return ""
		}
		var diff strings.Builder
		keys := mapsKeys(a, b)
		for _, k := range keys {
			av, aok := a[k]
			bv, bok := b[k]
			switch {
			case !aok:
				fmt.Fprintf(&diff, "%s.%s: written, not documented\n", path, k)
			case !bok:
				fmt.Fprintf(&diff, "%s.%s: documented, not written\n", path, k)
			default:
				diff.WriteString(shapeDiff(path+"."+k, av, bv))
			}
		}
		return diff.String()
	case []any:
		b := b.([]any)
		if len(a) == 0 || len(b) == 0 {
			return fmt.Sprintf("%s: an empty list proves nothing (documented %d, written %d)\n", path, len(a), len(b))
		}
		return shapeDiff(path+"[0]", a[0], b[0])
	}
	return ""
}

func mapsKeys(a, b map[string]any) []string {
	var keys []string
	for k := range a {
		keys = append(keys, k)
	}
	for k := range b {
		if _, ok := a[k]; !ok {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	return keys
}

// fakePeer hands out the same snapshot n times, then fails as a stopped
// peer does and closes drained. Like a real peer it fails once ctx is done.
type fakePeer struct {
	s       view.Snapshot
	n       int
	calls   int
	after   func(calls int) // called after each snapshot handed out
	drained chan struct{}
}

func (p *fakePeer) Snapshot(ctx context.Context) (view.Snapshot, error) {
	if err := ctx.Err(); err != nil {
		return view.Snapshot{}, err
	}
	if p.calls >= p.n {
		if p.drained != nil {
			close(p.drained)
			p.drained = nil
		}
		return view.Snapshot{}, errors.New("peer stopped")
	}
	p.calls++
	if p.after != nil {
		p.after(p.calls)
	}
	return p.s, nil
}

func decodeLines(t *testing.T, b []byte) []Line {
	t.Helper()
	var lines []Line
	dec := json.NewDecoder(bytes.NewReader(b))
	for {
		var l Line
		if err := dec.Decode(&l); err == io.EOF {
			return lines
		} else if err != nil {
			t.Fatalf("line %d: %v", len(lines)+1, err)
		}
		lines = append(lines, l)
	}
}

func TestWriteEndsWhenThePeerStops(t *testing.T) {
	var buf bytes.Buffer
	src := &fakePeer{s: snapshot(t), n: 3}
	if err := Write(context.Background(), &buf, src, "alice", time.Microsecond); err != nil {
		t.Fatalf("a stopped peer ends the file normally, got %v", err)
	}
	lines := decodeLines(t, buf.Bytes())
	if len(lines) != 3 {
		t.Fatalf("got %d lines, want one per snapshot (3)", len(lines))
	}
	if bytes.Count(buf.Bytes(), []byte("\n")) != 3 {
		t.Errorf("want one JSON object per line, got:\n%s", buf.Bytes())
	}
	for i, l := range lines {
		if l.Self.Name != "alice" || len(l.Players) != 2 {
			t.Errorf("line %d: got %+v", i+1, l)
		}
	}
}

func TestWriteEndsWhenContextIsDone(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var buf bytes.Buffer
	src := &fakePeer{s: snapshot(t), n: 100, after: func(calls int) {
		if calls == 2 {
			cancel()
		}
	}}
	if err := Write(ctx, &buf, src, "alice", time.Microsecond); err != nil {
		t.Fatal(err)
	}
	if got := len(decodeLines(t, buf.Bytes())); got != 2 {
		t.Errorf("got %d lines, want 2: the line in hand is written, then Write stops", got)
	}
}

type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

func TestWriteReportsWriteErrors(t *testing.T) {
	src := &fakePeer{s: snapshot(t), n: 100}
	err := Write(context.Background(), failingWriter{}, src, "alice", time.Microsecond)
	if err == nil || !strings.Contains(err.Error(), "disk full") {
		t.Fatalf("got %v, want the writer's error", err)
	}
	if src.calls != 1 {
		t.Errorf("got %d snapshots taken, want 1: Write stops at the first error", src.calls)
	}
}

func TestStartWritesUntilStopped(t *testing.T) {
	var buf, logs bytes.Buffer
	drained := make(chan struct{})
	src := &fakePeer{s: snapshot(t), n: 1, drained: drained}
	stop := Start(context.Background(), &buf, src, "alice", log.New(&logs, "", 0))
	<-drained // the line is written and the peer has stopped
	stop()    // waits for the writer
	lines := decodeLines(t, buf.Bytes())
	if len(lines) != 1 || lines[0].Self.Name != "alice" {
		t.Errorf("got %+v, want one line", lines)
	}
	if logs.Len() != 0 {
		t.Errorf("logged %q, want nothing", logs.String())
	}
}

func TestStartLogsAWriteErrorAndStops(t *testing.T) {
	var logs bytes.Buffer
	took := make(chan struct{}, 1)
	src := &fakePeer{s: snapshot(t), n: 100, after: func(int) { took <- struct{}{} }}
	stop := Start(context.Background(), failingWriter{}, src, "alice", log.New(&logs, "", 0))
	<-took
	stop() // waits: the write has failed and been logged by now
	if src.calls != 1 {
		t.Errorf("took %d snapshots, want 1: a write error ends the writing", src.calls)
	}
	if !strings.Contains(logs.String(), "stats: disk full") {
		t.Errorf("logged %q, want the write error", logs.String())
	}
}
