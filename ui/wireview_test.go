package ui

import (
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/exp/golden"

	"lanarena/game"
	"lanarena/net/view"
	"lanarena/net/wire"
)

var wireT0 = time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)

const wirePeriod = time.Second / 15

func wireAt(tick int, extra time.Duration) time.Time {
	return wireT0.Add(time.Duration(tick)*wirePeriod + extra)
}

// p2pWireLog is three seconds of a peer-to-peer room seen by player 1:
// states both ways with bob (2) and carol (3), states out to dave (4);
// bob's seq 10 lost, 15 overtaken by 16, 20 twice, one stale; carol's
// ticks 20..22 three ticks late (two of them overtaken); a chat line to carol sent twice before
// her ack; a ping to bob never answered; a spoofed hello claiming bob;
// a junk packet from a stranger.
func p2pWireLog() *view.WireLog {
	var ev []view.WireEvent
	add := func(e view.WireEvent) { ev = append(ev, e) }
	for tick := range 45 {
		for _, id := range []game.PlayerID{2, 3, 4} {
			add(view.WireEvent{At: wireAt(tick, 0), Dir: view.WireOut, Peer: id, Type: wire.TypeState, Seq: uint32(tick + 1), Tick: uint32(tick + 100)})
		}
		bobSeq := uint32(tick + 1)
		switch tick {
		case 9: // seq 10 lost
		case 14: // seq 15 comes after 16
		case 15:
			add(view.WireEvent{At: wireAt(tick, 5*time.Millisecond), Dir: view.WireIn, Peer: 2, Type: wire.TypeState, Seq: 16, Tick: 515})
			add(view.WireEvent{At: wireAt(tick, 9*time.Millisecond), Dir: view.WireIn, Peer: 2, Type: wire.TypeState, Seq: 15, Tick: 514})
		case 19:
			add(view.WireEvent{At: wireAt(tick, 5*time.Millisecond), Dir: view.WireIn, Peer: 2, Type: wire.TypeState, Seq: 20, Tick: 519})
			add(view.WireEvent{At: wireAt(tick, 7*time.Millisecond), Dir: view.WireIn, Peer: 2, Type: wire.TypeState, Seq: 20, Tick: 519, Reason: "stale"})
		default:
			add(view.WireEvent{At: wireAt(tick, 5*time.Millisecond), Dir: view.WireIn, Peer: 2, Type: wire.TypeState, Seq: bobSeq, Tick: uint32(tick + 500)})
		}
		late := time.Duration(0)
		if tick >= 20 && tick <= 22 {
			late = 3 * wirePeriod
		}
		add(view.WireEvent{At: wireAt(tick, 6*time.Millisecond+late), Dir: view.WireIn, Peer: 3, Type: wire.TypeState, Seq: carolSeq(tick), Tick: uint32(tick + 900)})
	}
	add(view.WireEvent{At: wireAt(2, time.Millisecond), Dir: view.WireOut, Peer: 2, Type: wire.TypePing, Seq: 1000, Ref: 77})
	add(view.WireEvent{At: wireAt(30, 2*time.Millisecond), Dir: view.WireOut, Peer: 3, Type: wire.TypeChat, Seq: 1001, Ref: 1})
	add(view.WireEvent{At: wireAt(35, 2*time.Millisecond), Dir: view.WireOut, Peer: 3, Type: wire.TypeChat, Seq: 1002, Ref: 1})
	add(view.WireEvent{At: wireAt(37, 8*time.Millisecond), Dir: view.WireIn, Peer: 3, Type: wire.TypeChatAck, Seq: carolSeq(37) + 1, Ref: 1})
	add(view.WireEvent{At: wireAt(40, 2*time.Millisecond), Dir: view.WireIn, Peer: 2, Type: wire.TypeHello, Seq: 9999, Reason: "spoofed"})
	add(view.WireEvent{At: wireAt(41, 2*time.Millisecond), Dir: view.WireIn, Reason: "bad-magic"})
	sortEvents(ev)
	return &view.WireLog{Self: 1, Period: wirePeriod, Events: ev}
}

// serverWireLog is a server-mode client (1) of host bob (2): bob's
// reports of four cycles every tick, and move requests answered three
// ticks later; request 3 sent twice (the first was lost).
func serverWireLog() *view.WireLog {
	var ev []view.WireEvent
	sends := map[int]uint32{}   // tick: request sent
	answers := map[int]uint32{} // tick: request answered
	for req, tick := uint32(1), 2; tick < 42; req, tick = req+1, tick+5 {
		sends[tick], answers[tick+3] = req, req
		if req == 3 {
			sends[tick+2], answers[tick+3], answers[tick+4] = req, 0, req
		}
	}
	in, out := uint32(0), uint32(0)
	for tick := range 45 {
		for range 4 {
			in++
			ev = append(ev, view.WireEvent{At: wireAt(tick, 3*time.Millisecond), Dir: view.WireIn, Peer: 2, Type: wire.TypeCycleState, Seq: in, Tick: uint32(tick + 50)})
		}
		if req := sends[tick]; req != 0 {
			out++
			ev = append(ev, view.WireEvent{At: wireAt(tick, time.Millisecond), Dir: view.WireOut, Peer: 2, Type: wire.TypeMoveReq, Seq: out, Ref: req})
		}
		if req := answers[tick]; req != 0 {
			in++
			ev = append(ev, view.WireEvent{At: wireAt(tick, 4*time.Millisecond), Dir: view.WireIn, Peer: 2, Type: wire.TypeMoveAck, Seq: in, Ref: req, Tick: uint32(tick + 50)})
		}
	}
	sortEvents(ev)
	return &view.WireLog{Self: 1, Period: wirePeriod, Events: ev}
}

// carolSeq is the number of carol's state of a tick: her chat ack at
// tick 37 takes one too.
func carolSeq(tick int) uint32 {
	if tick > 37 {
		return uint32(tick + 2)
	}
	return uint32(tick + 1)
}

func sortEvents(ev []view.WireEvent) {
	for i := 1; i < len(ev); i++ {
		for j := i; j > 0 && ev[j].At.Before(ev[j-1].At); j-- {
			ev[j], ev[j-1] = ev[j-1], ev[j]
		}
	}
}

// The analysis of the fixed log finds each thing the log was made with.
func TestAnalyzeWireMarks(t *testing.T) {
	rtt := func(game.PlayerID) time.Duration { return 10 * time.Millisecond }
	a := view.AnalyzeWire(p2pWireLog(), rtt)
	find := func(what string, ok func(e view.MarkedEvent) bool) {
		t.Helper()
		for _, e := range a.Events {
			if ok(e) {
				return
			}
		}
		t.Errorf("no %s", what)
	}
	find("lost gap at bob's seq 10", func(e view.MarkedEvent) bool {
		return e.Peer == 2 && e.Seq == 10 && e.Type == 0 && e.Marks == view.MarkLost
	})
	find("reordered seq 15", func(e view.MarkedEvent) bool { return e.Peer == 2 && e.Seq == 15 && e.Marks&view.MarkReordered != 0 })
	find("duplicate seq 20", func(e view.MarkedEvent) bool {
		return e.Peer == 2 && e.Seq == 20 && e.Marks&view.MarkDup != 0 && e.Marks&view.MarkDropped != 0
	})
	find("first chat lost", func(e view.MarkedEvent) bool {
		return e.Type == wire.TypeChat && e.Seq == 1001 && e.Marks&view.MarkLost != 0
	})
	find("unanswered ping lost", func(e view.MarkedEvent) bool { return e.Type == wire.TypePing && e.Marks&view.MarkLost != 0 })
	find("spoofed hello dropped", func(e view.MarkedEvent) bool { return e.Reason == "spoofed" && e.Marks&view.MarkDropped != 0 })
	if a.Lost != 3 || a.Reordered != 3 || a.Dup != 1 || a.Late != 4 || a.Dropped != 3 {
		t.Errorf("lost %d reordered %d dup %d late %d dropped %d, want 3 3 1 4 3", a.Lost, a.Reordered, a.Dup, a.Late, a.Dropped)
	}
	for _, e := range a.Events {
		// Carol's three, and bob's seq 15, sent at tick 14 and held back
		// into tick 15.
		if e.Marks&view.MarkLate != 0 && (e.Peer != 3 || e.Tick < 920 || e.Tick > 922) && e.Tick != 514 {
			t.Errorf("%+v marked late", e)
		}
		if e.Marks&view.MarkLost != 0 && e.Type == wire.TypeChat && e.Seq == 1002 {
			t.Error("the chat line sent again and acknowledged is marked lost")
		}
	}
	s := view.AnalyzeWire(serverWireLog(), rtt)
	if len(s.Pairs) != 8 {
		t.Fatalf("%d pairs, want 8", len(s.Pairs))
	}
	for _, p := range s.Pairs {
		req, ans := s.Events[p.Req], s.Events[p.Ans]
		if req.Type != wire.TypeMoveReq || ans.Type != wire.TypeMoveAck || req.Ref != ans.Ref || !ans.At.After(req.At) {
			t.Errorf("pair %+v with %+v", req, ans)
		}
		if req.Ref == 3 && req.Seq != 3 {
			t.Errorf("request 3 paired from its resend (seq %d): the wait starts at the first", req.Seq)
		}
	}
}

func wireArena(t *testing.T, w, h int, log *view.WireLog, keys ...string) (*Model, string) {
	t.Helper()
	snap := testSnapshot(t, game.DefaultParams(), 4, 60)
	snap.Wire = log
	ctrl := &wireController{}
	m := arenaAt(t, ctrl, colorprofile.ASCII, w, h, snap)
	m, _ = send(t, m, keyMsg("W"))
	for _, k := range keys {
		m, _ = send(t, m, keyMsg(k))
	}
	if !ctrl.on {
		t.Error("opening the wire view did not ask the peer for its wire log")
	}
	v := m.View().Content
	checkFits(t, v, w, h)
	return m, v
}

type wireController struct {
	fakeController
	on bool
}

func (c *wireController) WireLog(on bool) { c.on = on }

func TestGoldenWireView(t *testing.T) {
	for _, tt := range []struct {
		name string
		w, h int
		log  *view.WireLog
		keys []string
	}{
		{"wire_p2p_80x24", 80, 24, p2pWireLog(), nil},
		{"wire_p2p_160x50", 160, 50, p2pWireLog(), nil},
		{"wire_server_80x24", 80, 24, serverWireLog(), nil},
		{"wire_server_160x50", 160, 50, serverWireLog(), nil},
		{"wire_nostate_160x50", 160, 50, p2pWireLog(), []string{"f"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, v := wireArena(t, tt.w, tt.h, tt.log, tt.keys...)
			golden.RequireEqual(t, []byte(v))
		})
	}
}

// At 80×24 the view takes the arena's place; at 160×50 it sits beside it.
// Its rows show the marks where the log put them.
func TestWireViewLayout(t *testing.T) {
	_, small := wireArena(t, 80, 24, p2pWireLog())
	if strings.Contains(small, "alice") && !strings.Contains(small, "wire view") {
		t.Fatal("no wire view at 80×24")
	}
	if strings.Contains(small, "╭") && strings.Count(small, "─") < 20 {
		t.Error("arena still drawn at 80×24")
	}
	_, big := wireArena(t, 160, 50, p2pWireLog())
	lines := strings.Split(big, "\n")
	var title, board bool
	for _, l := range lines {
		if i := strings.Index(l, "wire view"); i > 0 {
			title = true
			board = board || strings.TrimSpace(l[:i]) != ""
		}
	}
	if !title || !board {
		t.Errorf("at 160×50 the wire view is not beside the arena (title %v, arena left of it %v)", title, board)
	}
	for _, want := range []string{"✗lost", "↺", "=⊘stale", "~", "⊘spoofed", "✗ping(rtt)", "✗chat", "you", "bob", "carol"} {
		if !strings.Contains(big, want) {
			t.Errorf("160×50 wire view lacks %q", want)
		}
	}
	_, filtered := wireArena(t, 160, 50, p2pWireLog(), "f")
	if strings.Contains(filtered, "◀state─") || !strings.Contains(filtered, "✗lost") {
		t.Error("the filter hid marked packets or kept plain states")
	}
	_, srv := wireArena(t, 160, 50, serverWireLog())
	if !strings.Contains(srv, "┃") || !strings.Contains(srv, "move-req") || !strings.Contains(srv, "move-ack") || !strings.Contains(srv, "report×4") {
		t.Error("server mode: no wait bar, request, answer or grouped reports")
	}
}

// Space freezes the view: a new snapshot does not change it; ↑ scrolls
// it back, and steering keys steer again once it is live.
func TestWireViewFreezes(t *testing.T) {
	m, before := wireArena(t, 160, 50, p2pWireLog(), " ")
	later := testSnapshot(t, game.DefaultParams(), 4, 60)
	later.Wire = serverWireLog()
	m, _ = send(t, m, SnapshotMsg{later})
	after := m.View().Content
	if wireOnly(after) != wireOnly(before) {
		t.Error("a frozen wire view changed with a new snapshot")
	}
	m, _ = send(t, m, keyMsg("up"), keyMsg("up"))
	if scrolled := m.View().Content; wireOnly(scrolled) == wireOnly(after) || !strings.Contains(scrolled, "−2 rows") {
		t.Error("↑ did not scroll the frozen view back")
	}
	m, _ = send(t, m, keyMsg(" "))
	if live := m.View().Content; !strings.Contains(live, "report×4") {
		t.Error("unfreezing did not show the newest log")
	}
}

// wireOnly is the part of a screen right of the arena: the wire view.
func wireOnly(screen string) string {
	var b strings.Builder
	for _, l := range strings.Split(screen, "\n") {
		if r := []rune(l); len(r) > 100 {
			b.WriteString(string(r[100:]))
		}
		b.WriteByte('\n')
	}
	return b.String()
}
