package main

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"
	"time"

	tea "charm.land/bubbletea/v2"
	"charm.land/ssh"
	"charm.land/wish/v2"
	bm "charm.land/wish/v2/bubbletea"

	"lanarena/game"
	gamenet "lanarena/net"
	"lanarena/ui"
)

// handle plays one SSH session: a peer of its own in the room, the UI on
// the client's terminal, until the player quits, the connection drops or
// no key comes for --ssh-idle. Then its peer leaves the room as a
// quitting player's does.
func (g *gateway) handle(sess ssh.Session) {
	if !g.enter() {
		return
	}
	defer g.serving.Done()
	user := sessionName(sess.User())
	if !g.slots.take() {
		g.logger.Printf("ssh: %s from %s turned away: %d sessions already", user, sess.RemoteAddr(), cap(g.slots))
		wish.Fatalln(sess, fmt.Sprintf("lanarena: the game is full (%d ssh players); try again later.", cap(g.slots)))
		return
	}
	defer g.slots.release()
	own := g.own.Load()
	if own == nil {
		wish.Fatalln(sess, "lanarena: the host has not chosen a room yet; try again in a moment.")
		return
	}
	pty, resizes, ok := sess.Pty()
	if !ok {
		wish.Fatalln(sess, "lanarena: the game needs a terminal: ssh -t")
		return
	}
	n, err := gamenet.StartNode(g.ctx, g.nodeConfig(own, user))
	if err != nil {
		g.logger.Printf("ssh: %s: %v", user, err)
		wish.Fatalln(sess, "lanarena: could not join the room.")
		return
	}
	defer n.Close()
	g.logger.Printf("ssh: %s joined from %s at %dx%d (%s)", user, sess.RemoteAddr(), pty.Window.Width, pty.Window.Height, pty.Term)
	idle := g.run(sess, pty, resizes, n)
	g.logger.Printf("ssh: %s left", user)
	if idle {
		wish.Fatalln(sess, fmt.Sprintf("\r\nlanarena: no key for %v: you left the room.", g.opts.sshIdle))
	}
}

// run shows the game on the session's terminal until the program ends,
// and reports whether it ended for want of keys.
func (g *gateway) run(sess ssh.Session, pty ssh.Pty, resizes <-chan ssh.Window, n *gamenet.Node) (idle bool) {
	profile, noColor := sessionProfile(pty.Term, sess.Environ())
	cfg := ui.Config{
		Controller: guest{n.Peer},
		Room:       n.Peer.Config().Room,
		Version:    version,
		NoColor:    noColor,
		Profile:    profile,
		SSH:        g.share,
	}
	ctx, cancel := context.WithCancel(sess.Context()) // done when the connection drops
	defer cancel()
	var running atomic.Pointer[tea.Program] // set once the program exists
	timer := newIdleTimer(g.opts.sshIdle, func() {
		if p := running.Load(); p != nil {
			p.Quit()
		}
	})
	defer timer.stop()
	opts := append(bm.MakeOptions(sess),
		tea.WithContext(ctx),
		tea.WithoutSignalHandler(),
		tea.WithFPS(30),
		tea.WithColorProfile(profile),
		tea.WithFilter(timer.filter))
	prog := tea.NewProgram(ui.New(cfg), opts...)
	running.Store(prog)
	go feed(ctx, prog, resizes, n.Peer)
	if _, err := prog.Run(); err != nil && !errors.Is(err, tea.ErrProgramKilled) {
		g.logger.Printf("ssh: %s: %v", sess.User(), err)
	}
	return timer.fired.Load()
}

// feed hands the program the session's peer's snapshots and the
// client's window sizes until ctx is done; it ends the program if the
// peer stops. It is the only goroutine that sends to the program.
func feed(ctx context.Context, prog *tea.Program, resizes <-chan ssh.Window, p *gamenet.Peer) {
	for {
		select {
		case <-ctx.Done():
			return
		case <-p.Done():
			prog.Quit()
			return
		case w := <-resizes:
			prog.Send(tea.WindowSizeMsg{Width: w.Width, Height: w.Height})
		case s := <-p.Snapshots():
			prog.Send(ui.SnapshotMsg{Snapshot: s})
		}
	}
}

// idleTimer calls expire once no key has come for d. It is safe for
// concurrent use.
type idleTimer struct {
	d     time.Duration
	t     *time.Timer
	fired atomic.Bool
}

func newIdleTimer(d time.Duration, expire func()) *idleTimer {
	it := &idleTimer{d: d}
	it.t = time.AfterFunc(d, func() {
		it.fired.Store(true)
		expire()
	})
	return it
}

// filter sees every message before the UI: a key press restarts the
// count. A suspend (ctrl+z) resumes at once, as wish's own filter does:
// there is no local shell to suspend to.
func (it *idleTimer) filter(_ tea.Model, msg tea.Msg) tea.Msg {
	switch msg.(type) {
	case tea.KeyPressMsg:
		if !it.fired.Load() {
			it.t.Reset(it.d)
		}
	case tea.SuspendMsg:
		return tea.ResumeMsg{}
	}
	return msg
}

func (it *idleTimer) stop() { it.t.Stop() }

// guest is what an SSH player's UI drives: its own peer. A guest does not
// start bots, which would run as processes' peers on the host's machine.
type guest struct{ peer *gamenet.Peer }

func (c guest) Turn(d game.Dir) { c.peer.Turn(d) }
func (c guest) Say(text string) { c.peer.Say(text) }
func (c guest) AddBot()         {}
func (c guest) RemoveBot()      {}
