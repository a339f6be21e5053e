package demo

import (
	"context"
	"testing"
	"time"

	"lanarena/game"
	gamenet "lanarena/net"
)

// frames runs r until the test ends and delivers its frames, the latest
// kept when the test is behind.
func frames(t *testing.T, r *Room) <-chan Frame {
	ctx, cancel := context.WithCancel(context.Background())
	out := make(chan Frame, 1)
	done := make(chan error, 1)
	go func() {
		done <- r.Run(ctx, func(f Frame) {
			select {
			case <-out:
			default:
			}
			out <- f
		})
	}()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Run: %v", err)
		}
	})
	return out
}

func await(t *testing.T, fr <-chan Frame, what string, ok func(Frame) bool) Frame {
	t.Helper()
	deadline := time.After(15 * time.Second)
	for {
		select {
		case f := <-fr:
			if ok(f) {
				return f
			}
		case <-deadline:
			t.Fatalf("no frame where %s", what)
		}
	}
}

func sees(s interface {
	Cycle(game.PlayerID) *game.Cycle
}, ids ...game.PlayerID) bool {
	for _, id := range ids {
		if s.Cycle(id) == nil {
			return false
		}
	}
	return true
}

// The far peer is a real peer: it and the player's peer each see the
// other's cycle; its link changes live; a mode switch restarts the room
// in server mode with the far peer hosting.
func TestDemoRoom(t *testing.T) {
	r, err := New(Config{Bots: 1, Params: game.Params{Width: 40, Height: 30, TickRate: 15}, Link: Link{Delay: 100 * time.Millisecond}, Seed: 7})
	if err != nil {
		t.Fatal(err)
	}
	fr := frames(t, r)
	f := await(t, fr, "you and the far peer see each other and the bot", func(f Frame) bool {
		return f.Far.Arena != nil && f.You.Arena != nil && len(f.You.Peers) == 2 &&
			sees(f.You.Arena, f.Far.Self) && sees(f.Far.Arena, f.You.Self)
	})
	if f.Mode != gamenet.ModeP2P || f.Link.Delay != 100*time.Millisecond {
		t.Errorf("frame mode %v link %+v", f.Mode, f.Link)
	}
	r.SetLink(Link{Delay: 300 * time.Millisecond, Loss: 0.25})
	r.mu.Lock()
	got := r.cur.link.Config()
	r.mu.Unlock()
	if got.Delay != 300*time.Millisecond || got.Loss != 0.25 {
		t.Errorf("far link %+v after SetLink", got)
	}
	r.SetLink(Link{Delay: -time.Second, Loss: 3})
	if l := r.Link(); l.Delay != 0 || l.Loss != MaxLoss {
		t.Errorf("link %+v not clamped", l)
	}
	r.SetLink(Link{Delay: 50 * time.Millisecond})
	r.SwitchMode()
	await(t, fr, "the room plays in server mode, the far peer hosting", func(f Frame) bool {
		return f.Mode == gamenet.ModeServer && f.You.Mode == gamenet.ModeServer && f.You.Host == "far" &&
			f.Far.Arena != nil && sees(f.You.Arena, f.Far.Self)
	})
	r.SwitchMode()
	await(t, fr, "back in p2p", func(f Frame) bool { return f.You.Mode == gamenet.ModeP2P && f.You.Arena != nil })
}
