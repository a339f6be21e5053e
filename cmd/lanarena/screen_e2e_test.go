package main

import (
	"strings"
	"testing"
	"time"

	"lanarena/net/netns"
)

// cell is one terminal cell of a captured screen: its character and the
// SGR parameters of its foreground colour ("" when the default).
type cell struct {
	ch    rune
	fg    string
	blink bool
}

// parseScreen splits tmux's `capture-pane -e` output into cells, one row
// a line. It knows the SGR sequences tmux writes: resets, attributes and
// colours (30–37, 90–97, 38;5;n, 38;2;r;g;b).
func parseScreen(s string) [][]cell {
	var rows [][]cell
	for _, line := range strings.Split(s, "\n") {
		var row []cell
		fg, blink := "", false
		for i := 0; i < len(line); {
			if strings.HasPrefix(line[i:], "\x1b[") {
				end := strings.IndexAny(line[i+2:], "mABCDEFGHJKSTfhlnsu")
				if end < 0 {
					break
				}
				if line[i+2+end] == 'm' {
					fg = sgrForeground(line[i+2:i+2+end], fg)
					blink = sgrBlink(line[i+2:i+2+end], blink)
				}
				i += 2 + end + 1
				continue
			}
			r := []rune(line[i:])[0]
			row = append(row, cell{r, fg, blink})
			i += len(string(r))
		}
		rows = append(rows, row)
	}
	return rows
}

// sgrForeground is the foreground after the SGR parameters params, from fg.
func sgrForeground(params, fg string) string {
	ps := strings.Split(params, ";")
	for i := 0; i < len(ps); i++ {
		switch p := ps[i]; {
		case p == "" || p == "0" || p == "39":
			fg = ""
		case p == "38" && i+2 < len(ps) && ps[i+1] == "5":
			fg, i = "38;5;"+ps[i+2], i+2
		case p == "38" && i+4 < len(ps) && ps[i+1] == "2":
			fg, i = "38;2;"+strings.Join(ps[i+2:i+5], ";"), i+4
		case p == "48" && i+1 < len(ps) && ps[i+1] == "5":
			i += 2
		case p == "48" && i+1 < len(ps) && ps[i+1] == "2":
			i += 4
		case len(p) == 2 && (p[0] == '3' || p[0] == '9') && p[1] <= '7':
			fg = p
		}
	}
	return fg
}

// sgrBlink is whether text blinks after the SGR parameters params.
func sgrBlink(params string, blink bool) bool {
	ps := strings.Split(params, ";")
	for i := 0; i < len(ps); i++ {
		switch ps[i] {
		case "", "0", "25":
			blink = false
		case "5", "6":
			blink = true
		case "38", "48", "58":
			if i+1 < len(ps) && ps[i+1] == "5" {
				i += 2
			} else {
				i += 4
			}
		}
	}
	return blink
}

// rowText is a row's characters.
func rowText(row []cell) string {
	var b strings.Builder
	for _, c := range row {
		b.WriteRune(c.ch)
	}
	return b.String()
}

// TestTUIFourPlayersFourColours: four players (you and three bots) get
// four different colours, read from the escapes on the screen: the
// scoreboard's swatches differ, and each swatch's colour is on the board.
// The bots join over loopback only (--no-mdns): this is about the screen,
// and a bot also found by mDNS at the namespace's address is sometimes
// dropped as "spoofed" when its packets come from the other address.
func TestTUIFourPlayersFourColours(t *testing.T) {
	lan := netns.New(t, 1)
	s := startTUIEnv(t, lan.Hosts()[0], []string{"TERM=xterm-256color", "COLORTERM="}, 80, 24,
		"--name", "alice", "--room", "four", "--bots", "3", "--no-mdns")
	s.waitScreen(15*time.Second, "alice", "3 peers")
	var swatches map[string]string
	waitFor(t, 10*time.Second, "four scoreboard rows with colours", func() bool {
		swatches = map[string]string{}
		for _, row := range parseScreen(s.screenEscapes()) {
			text := []rune(rowText(row))
			wall := strings.LastIndex(string(text), "│")
			if wall < 0 {
				continue
			}
			col := len([]rune(string(text)[:wall])) + 1 // the panel's first column: the swatch
			if col >= len(row) || row[col].ch != '█' || row[col].fg == "" {
				continue
			}
			name := strings.Fields(string(text[col+1:]))
			if len(name) > 0 {
				swatches[name[0]] = row[col].fg
			}
		}
		return len(swatches) == 4
	})
	colours := map[string]string{}
	for name, fg := range swatches {
		if other, ok := colours[fg]; ok {
			t.Errorf("%s and %s share colour %s", other, name, fg)
		}
		colours[fg] = name
	}
	// Every player's colour is on the board too, in the trails; and one
	// cell blinks: your head, while you ride.
	board := map[string]bool{}
	var blinking []string
	// Each life starts with a ready phase (two seconds on its spawn cell):
	// wait for the trails.
	waitFor(t, 10*time.Second, "your head blinks on the board, among everyone's trails", func() bool {
		clear(board)
		blinking = nil
		for _, row := range parseScreen(s.screenEscapes()) {
			text := rowText(row)
			if !strings.HasPrefix(text, "│") {
				continue
			}
			for _, c := range row[1:min(len(row), 57)] {
				if strings.ContainsRune("▀▄█", c.ch) {
					board[c.fg] = true
				}
				if c.blink {
					blinking = append(blinking, string(c.ch))
				}
			}
		}
		for fg := range colours {
			if !board[fg] {
				return false
			}
		}
		return len(blinking) == 1
	})
	for fg, name := range colours {
		if !board[fg] {
			t.Errorf("%s's colour %s is not on the board", name, fg)
		}
	}
	s.quit()
}

// TestTUIArenaFillsALargePane: at 160×50 the board is drawn a cell two
// columns by one row, filling most of the pane, with the panel beside it.
func TestTUIArenaFillsALargePane(t *testing.T) {
	lan := netns.New(t, 1)
	s := startTUIEnv(t, lan.Hosts()[0], []string{"TERM=xterm-256color"}, 160, 50,
		"--name", "alice", "--room", "wide", "--bots", "3", "--no-mdns")
	scr := s.waitScreen(15*time.Second, "alice", "3 peers", "kills deaths")
	lines := strings.Split(scr, "\n")
	width, rows := 0, 0
	for _, l := range lines {
		if i := strings.Index(l, "┌"); i >= 0 {
			if j := strings.Index(l, "┐"); j > i {
				width = len([]rune(l[i:j])) + 1
			}
		}
		if strings.HasPrefix(strings.TrimLeft(l, " "), "│") {
			rows++
		}
	}
	// The default arena, 56×40, at two columns and one row a cell.
	if width != 114 || rows != 40 {
		t.Errorf("board %d columns by %d rows inside its walls, want 114 by 40:\n%s", width, rows, scr)
	}
	// Most of the pane: the panel and two lines of status take the rest.
	if w, h := float64(width+1)/160, float64(rows+2)/50; w < 0.7 || h < 0.8 {
		t.Errorf("the board spans %.0f %% of the columns and %.0f %% of the rows, want ≥ 70 %% and ≥ 80 %%", w*100, h*100)
	}
	s.quit()
}
