package ui

import (
	"fmt"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/exp/golden"

	"lanarena/game"
	"lanarena/net/view"
)

type fakeDemo struct {
	calls []string
	delay time.Duration
	loss  float64
}

func (f *fakeDemo) Turn(d game.Dir) { f.calls = append(f.calls, "turn "+d.String()) }
func (f *fakeDemo) SwitchMode()     { f.calls = append(f.calls, "mode") }
func (f *fakeDemo) WireLog(on bool) { f.calls = append(f.calls, fmt.Sprintf("wire %v", on)) }
func (f *fakeDemo) SetLink(d time.Duration, l float64) {
	f.delay, f.loss = d, l
	f.calls = append(f.calls, "link")
}

func demoAt(t *testing.T, ctrl DemoController, w, h int, msg DemoMsg) *Demo {
	t.Helper()
	d := NewDemo(DemoConfig{Controller: ctrl, Profile: colorprofile.ASCII})
	d.Update(tea.WindowSizeMsg{Width: w, Height: h})
	d.Update(msg)
	return d
}

// demoMsg is the demo room seen by player 1 and by the far peer, 2, whose
// picture lags: it lacks the last ticks of everyone's trail.
func demoMsg(t *testing.T, mode view.Mode) DemoMsg {
	you := testSnapshot(t, game.DefaultParams(), 4, 60)
	far := testSnapshot(t, game.DefaultParams(), 4, 54)
	far.Self = 2
	far.Peers = []view.PeerStats{{ID: 1, Name: "alice", RTT: 402 * time.Millisecond, Loss: 0.21, Age: 130 * time.Millisecond}}
	you.Mode, far.Mode = mode, mode
	return DemoMsg{You: you, Far: far, Delay: 200 * time.Millisecond, Loss: 0.2, Mode: mode}
}

func TestGoldenDemo(t *testing.T) {
	for _, tt := range []struct {
		name string
		w, h int
		mode view.Mode
	}{
		{"demo_p2p_160x50", 160, 50, view.ModeP2P},
		{"demo_server_160x50", 160, 50, view.ModeServer},
		{"demo_80x24", 80, 24, view.ModeP2P},
	} {
		t.Run(tt.name, func(t *testing.T) {
			v := demoAt(t, &fakeDemo{}, tt.w, tt.h, demoMsg(t, tt.mode)).View().Content
			checkFits(t, v, tt.w, tt.h)
			golden.RequireEqual(t, []byte(v))
		})
	}
}

// Both arenas are drawn, each from its own snapshot; the caption and the
// figures follow the link and the model; at 80×24 the screen says what it
// needs.
func TestDemoScreen(t *testing.T) {
	msg := demoMsg(t, view.ModeP2P)
	v := demoAt(t, &fakeDemo{}, 160, 50, msg).View().Content
	for _, want := range []string{"your arena", "the room as the far peer sees it", "far peer: 200 ms, 20 % loss, p2p: your cycle still turns on the next tick",
		"far → you: rtt 402ms loss 21% age 130ms"} {
		if !strings.Contains(v, want) {
			t.Errorf("demo screen lacks %q", want)
		}
	}
	if strings.Count(v, "┌") != 2 {
		t.Errorf("%d arenas drawn, want 2", strings.Count(v, "┌"))
	}
	if strings.Count(v, "@") != 2 { // each side marks its own head
		t.Errorf("%d own heads, want one per arena", strings.Count(v, "@"))
	}
	msg.Mode, msg.You.Waiting = view.ModeServer, 380*time.Millisecond
	if v := demoAt(t, &fakeDemo{}, 160, 50, msg).View().Content; !strings.Contains(v, "server: your cycle moves once per answer") || !strings.Contains(v, "waiting 380ms") {
		t.Error("server-mode caption missing")
	}
	if v := demoAt(t, &fakeDemo{}, 80, 24, msg).View().Content; !strings.Contains(v, "enlarge the terminal to at least 119×27") {
		t.Errorf("80×24 does not say what it needs:\n%s", v)
	}
}

// The link keys step the far link from what is shown; 0 heals; m
// switches the model; arrows steer.
func TestDemoKeys(t *testing.T) {
	f := &fakeDemo{}
	d := demoAt(t, f, 160, 50, demoMsg(t, view.ModeP2P))
	press := func(k string) {
		t.Helper()
		d.Update(keyMsg(k))
	}
	press("+")
	if f.delay != 250*time.Millisecond || f.loss != 0.2 {
		t.Errorf("after +: %v %v", f.delay, f.loss)
	}
	press(">")
	if f.delay != 250*time.Millisecond || f.loss != 0.25 {
		t.Errorf("after >: %v %v", f.delay, f.loss)
	}
	if v := d.View().Content; !strings.Contains(v, "far peer: 250 ms, 25 % loss") {
		t.Error("the caption does not follow the link")
	}
	press("-")
	press("<")
	press("<")
	if f.delay != 200*time.Millisecond || f.loss != 0.15 {
		t.Errorf("after - < <: %v %v", f.delay, f.loss)
	}
	press("0")
	if f.delay != 0 || f.loss != 0 {
		t.Errorf("after 0: %v %v", f.delay, f.loss)
	}
	press("m")
	press("left")
	if got := strings.Join(f.calls, ","); got != "link,link,link,link,link,link,mode,turn left" {
		t.Errorf("calls %s", got)
	}
	d.msg.You.Wire = p2pWireLog()
	press("W")
	if v := d.View().Content; !strings.Contains(v, "your packets") || !strings.Contains(v, "◀hello⊘spoo") || strings.Contains(v, "the room as the far peer sees it") {
		t.Errorf("W does not put your wire view in place of the far arena:\n%s", v)
	}
	press("W")
	if got := strings.Join(f.calls[len(f.calls)-2:], ","); got != "wire true,wire false" {
		t.Errorf("W calls %s", got)
	}
	if _, cmd := d.Update(keyMsg("q")); !isQuit(cmd) {
		t.Error("q does not quit")
	}
}
