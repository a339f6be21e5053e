package ui

import (
	"fmt"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"

	"lanarena/game"
	"lanarena/net/view"
)

// The demo screen (lanarena demo): two arenas side by side, the room as
// this player's peer knows it and as the far peer knows it, a caption
// that says what the far link does to each model, the figures of that
// link, and keys that bend it live.

// DemoController is what the demo screen drives. Every method returns at
// once.
type DemoController interface {
	Turn(d game.Dir)
	// SetLink sets the far peer's link: one-way delay and loss each way.
	SetLink(delay time.Duration, loss float64)
	SwitchMode() // restart the room in the other model
}

// DemoMsg brings the latest pictures of the demo room: send it with
// tea.Program.Send from a pump goroutine, at most once per frame.
type DemoMsg struct {
	You, Far view.Snapshot
	Delay    time.Duration // the far link as set now
	Loss     float64
	Mode     view.Mode
}

// DemoConfig says how the demo screen starts.
type DemoConfig struct {
	Controller DemoController
	NoColor    bool
	Profile    colorprofile.Profile // zero: 256 colours
}

// Steps of the link keys.
const (
	demoDelayStep = 50 * time.Millisecond
	demoLossStep  = 0.05
	demoChrome    = 5 // titles, caption, figures, keys, a gap
)

type demoKeyMap struct {
	DelayUp, DelayDown, LossUp, LossDown, Heal, Mode, Predict, Quit key.Binding
}

var demoKeys = demoKeyMap{
	DelayUp:   key.NewBinding(key.WithKeys("+", "="), key.WithHelp("+/-", "delay")),
	DelayDown: key.NewBinding(key.WithKeys("-", "_"), key.WithHelp("-", "delay down")),
	LossUp:    key.NewBinding(key.WithKeys(">", "."), key.WithHelp(">/<", "loss")),
	LossDown:  key.NewBinding(key.WithKeys("<", ","), key.WithHelp("<", "loss down")),
	Heal:      key.NewBinding(key.WithKeys("0"), key.WithHelp("0", "heal")),
	Mode:      key.NewBinding(key.WithKeys("m"), key.WithHelp("m", "p2p/server")),
	Predict:   key.NewBinding(key.WithKeys("p"), key.WithHelp("p", "prediction")),
	Quit:      key.NewBinding(key.WithKeys("q", "ctrl+c"), key.WithHelp("q", "quit")),
}

// Demo is the demo screen; *Demo implements tea.Model.
type Demo struct {
	st            *styles
	ctrl          DemoController
	steer         arenaKeyMap
	you, far      *board
	msg           DemoMsg
	has           bool
	width, height int
	screen        string
	wire          wireView // W: your wire view in place of the far arena
	predict       bool     // both arenas draw predicted cycles and ghosts (p; on by default)
}

// NewDemo returns the demo screen for cfg.
func NewDemo(cfg DemoConfig) *Demo {
	p := cfg.Profile
	switch {
	case cfg.NoColor:
		p = colorprofile.ASCII
	case p == colorprofile.Unknown:
		p = colorprofile.ANSI256
	}
	return &Demo{st: newStyles(p), ctrl: cfg.Controller, steer: newArenaKeyMap(), you: newBoard(p), far: newBoard(p), predict: true}
}

// Init does nothing: the pump brings the pictures.
func (d *Demo) Init() tea.Cmd { return nil }

// Update plays a message: pictures and sizes redraw, keys steer or bend
// the link.
func (d *Demo) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		d.width, d.height = msg.Width, msg.Height
	case DemoMsg:
		d.msg, d.has = msg, true
		d.updateBoards()
	case tea.KeyPressMsg:
		if key.Matches(msg, demoKeys.Quit) {
			return d, tea.Quit
		}
		if w, ok := d.wire.key(msg, d.ctrl, d.msg.You); ok {
			d.wire = w
		} else {
			d.key(msg)
		}
	default:
		return d, nil
	}
	d.screen = d.draw()
	return d, nil
}

// updateBoards fills both arenas from the latest pictures.
func (d *Demo) updateBoards() {
	d.you.update(&d.msg.You, d.predict)
	d.far.update(&d.msg.Far, d.predict)
}

// key steers, bends the far link from the last setting shown, or turns
// prediction on or off.
func (d *Demo) key(msg tea.KeyPressMsg) {
	if key.Matches(msg, demoKeys.Predict) {
		d.predict = !d.predict
		if d.has {
			d.updateBoards()
		}
		return
	}
	if d.ctrl == nil {
		return
	}
	delay, loss := d.msg.Delay, d.msg.Loss
	k := d.steer
	switch {
	case key.Matches(msg, k.Up):
		d.ctrl.Turn(game.Up)
	case key.Matches(msg, k.Down):
		d.ctrl.Turn(game.Down)
	case key.Matches(msg, k.Left):
		d.ctrl.Turn(game.Left)
	case key.Matches(msg, k.Right):
		d.ctrl.Turn(game.Right)
	case key.Matches(msg, demoKeys.DelayUp):
		d.setLink(delay+demoDelayStep, loss)
	case key.Matches(msg, demoKeys.DelayDown):
		d.setLink(max(0, delay-demoDelayStep), loss)
	case key.Matches(msg, demoKeys.LossUp):
		d.setLink(delay, min(0.9, loss+demoLossStep))
	case key.Matches(msg, demoKeys.LossDown):
		d.setLink(delay, max(0, loss-demoLossStep))
	case key.Matches(msg, demoKeys.Heal):
		d.setLink(0, 0)
	case key.Matches(msg, demoKeys.Mode):
		d.ctrl.SwitchMode()
	}
}

// setLink asks for a new link and shows it at once (the next picture
// confirms it).
func (d *Demo) setLink(delay time.Duration, loss float64) {
	loss = float64(int(loss*100+0.5)) / 100 // steps of 5 % stay round
	d.ctrl.SetLink(delay, loss)
	d.msg.Delay, d.msg.Loss = delay, loss
}

// View is the screen drawn in Update.
func (d *Demo) View() tea.View {
	return tea.View{Content: d.screen, AltScreen: true}
}

// need is the size the demo screen needs.
func (d *Demo) need() (int, int) {
	return 2*d.you.width() + 3, d.you.height() + demoChrome
}

func (d *Demo) draw() string {
	if d.width <= 0 || d.height <= 0 {
		return ""
	}
	if !d.has || d.msg.You.Arena == nil {
		return message(d.st.dim.Render("starting the demo room…"), d.width, d.height)
	}
	w, h := d.need()
	if d.width < w || d.height < h {
		return message(fmt.Sprintf("the demo shows two arenas side by side\nenlarge the terminal to at least %d×%d\n(now %d×%d; 160×50 is plenty)",
			w, h, d.width, d.height), d.width, d.height)
	}
	bw := d.you.width()
	title, far := "the room as the far peer sees it", d.far.rows
	if d.msg.Far.Arena == nil {
		far = nil
	}
	if d.wire.open {
		title, far = "your packets (W closes)", d.wire.render(d.st, d.msg.You, bw, len(d.you.rows))
	}
	lines := []string{fit(d.st.title.Render("your arena"), bw) + "   " + fit(d.st.title.Render(title), bw)}
	for i, row := range d.you.rows {
		right := strings.Repeat(" ", bw)
		if i < len(far) {
			right = far[i]
		} else if i == len(d.you.rows)/2 {
			right = fit(d.st.dim.Render("  waiting for the far peer's picture…"), bw)
		}
		lines = append(lines, row+sgrResetIf(d.st)+"   "+right)
	}
	lines = append(lines, "", fit(d.st.accent.Render(demoCaption(d.msg, d.predict)), w), fit(d.figures(), w),
		fit(d.st.dim.Render("←↑↓→/wasd steer · +/- delay · >/< loss · 0 heal · m p2p/server · p prediction · W wire view · q quit"), w))
	return centre(lines, w, d.width, d.height)
}

// sgrResetIf is the reset a coloured board row needs before what follows.
func sgrResetIf(st *styles) string {
	if st.glyphs {
		return ""
	}
	return sgrReset
}

// demoCaption says what the far link does to the model in play, and
// what prediction (on or off) makes of it.
func demoCaption(m DemoMsg, predict bool) string {
	link := fmt.Sprintf("%d ms, %d %% loss", m.Delay.Milliseconds(), int(m.Loss*100+0.5))
	if m.Delay == 0 && m.Loss == 0 {
		link = "link healed"
	}
	if m.Mode == view.ModeServer {
		wait := ""
		if m.You.Waiting > 0 {
			wait = fmt.Sprintf(" (waiting %s now)", fmtDur(m.You.Waiting))
		}
		return fmt.Sprintf("far peer hosts: %s, server: your cycle moves once per answer, every round trip%s", link, wait)
	}
	if m.Delay == 0 && m.Loss == 0 {
		return "far peer: link healed, p2p: both arenas agree within a tick"
	}
	if predict {
		return fmt.Sprintf("far peer: %s, p2p: your cycle still turns on the next tick; the far peer predicts where it is", link)
	}
	return fmt.Sprintf("far peer: %s, p2p: your cycle still turns on the next tick; the far peer sees it late", link)
}

// figures is the netgraph of the far link: the far peer as this peer
// measures it, and this peer as the far peer measures it.
func (d *Demo) figures() string {
	var far, you *view.PeerStats
	for i, p := range d.msg.You.Peers {
		if p.ID == d.msg.Far.Self && p.ID != 0 {
			far = &d.msg.You.Peers[i]
		}
	}
	for i, p := range d.msg.Far.Peers {
		if p.ID == d.msg.You.Self && p.ID != 0 {
			you = &d.msg.Far.Peers[i]
		}
	}
	line := func(who string, p *view.PeerStats) string {
		if p == nil {
			return who + ": not heard yet"
		}
		return fmt.Sprintf("%s: rtt %s loss %s age %s", who, fmtDur(p.RTT), fmtLoss(p.Loss), fmtDur(p.Age))
	}
	return line("you → far", far) + "   ·   " + line("far → you", you)
}
