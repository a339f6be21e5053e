package ui

import "charm.land/bubbles/v2/key"

// arenaKeyMap is every key of the arena screen. It feeds the help bubble.
type arenaKeyMap struct {
	Up, Down, Left, Right key.Binding
	Steer                 key.Binding // help only: the four above in one line
	Help, Net, Chat       key.Binding
	Predict               key.Binding
	AddBot, RemoveBot     key.Binding
	Close                 key.Binding // close an overlay
	Wire, Lobby           key.Binding // help only: handled by wireView and Model
	Quit                  key.Binding
	Interrupt             key.Binding // quits even while typing
	Yes                   key.Binding // confirms a quit

	Send, Cancel key.Binding // while typing a chat line

	// watching hides from the help what a spectator cannot do (steer).
	watching bool
}

func newArenaKeyMap() arenaKeyMap {
	return arenaKeyMap{
		Up:        key.NewBinding(key.WithKeys("up", "w", "k"), key.WithHelp("↑/w/k", "up")),
		Down:      key.NewBinding(key.WithKeys("down", "s", "j"), key.WithHelp("↓/s/j", "down")),
		Left:      key.NewBinding(key.WithKeys("left", "a", "h"), key.WithHelp("←/a/h", "left")),
		Right:     key.NewBinding(key.WithKeys("right", "d", "l"), key.WithHelp("→/d/l", "right")),
		Steer:     key.NewBinding(key.WithKeys("up", "down", "left", "right"), key.WithHelp("←↑↓→/wasd/hjkl", "steer")),
		Help:      key.NewBinding(key.WithKeys("?"), key.WithHelp("?", "help")),
		Net:       key.NewBinding(key.WithKeys("n"), key.WithHelp("n", "netgraph")),
		Chat:      key.NewBinding(key.WithKeys("t"), key.WithHelp("t", "chat")),
		Predict:   key.NewBinding(key.WithKeys("p"), key.WithHelp("p", "prediction")),
		AddBot:    key.NewBinding(key.WithKeys("b"), key.WithHelp("b", "add bot")),
		RemoveBot: key.NewBinding(key.WithKeys("B"), key.WithHelp("B", "remove bot")),
		Close:     key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "close")),
		Wire:      wireKeys.Toggle,
		Lobby:     newBackKeyMap().Lobby,
		Quit:      key.NewBinding(key.WithKeys("q", "ctrl+c"), key.WithHelp("q", "quit")),
		Interrupt: key.NewBinding(key.WithKeys("ctrl+c"), key.WithHelp("ctrl+c", "quit")),
		Yes:       key.NewBinding(key.WithKeys("y", "Y", "q"), key.WithHelp("y", "yes, quit")),
		Send:      key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "send")),
		Cancel:    key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "cancel")),
	}
}

// ShortHelp is the one line under the arena.
func (k arenaKeyMap) ShortHelp() []key.Binding {
	if k.watching {
		return []key.Binding{k.Chat, k.Net, k.AddBot, k.Help, k.Quit}
	}
	return []key.Binding{k.Steer, k.Chat, k.Net, k.AddBot, k.Help, k.Quit}
}

// FullHelp is the help beside the arena, a group per column (or a run of
// lines, where the help is narrow).
func (k arenaKeyMap) FullHelp() [][]key.Binding {
	groups := [][]key.Binding{
		{k.Up, k.Down, k.Left, k.Right},
		{k.Chat, k.Net, k.Predict, k.Wire, k.AddBot, k.RemoveBot},
		{k.Help, k.Close, k.Lobby, k.Quit},
	}
	if k.watching {
		return groups[1:]
	}
	return groups
}

// chatKeyMap is the help shown while typing a chat line.
type chatKeyMap struct{ arenaKeyMap }

func (k chatKeyMap) ShortHelp() []key.Binding  { return []key.Binding{k.Send, k.Cancel} }
func (k chatKeyMap) FullHelp() [][]key.Binding { return [][]key.Binding{k.ShortHelp()} }

// lobbyKeyMap is every key of the lobby.
type lobbyKeyMap struct {
	Up, Down, Join, Create, Quit key.Binding
	Interrupt                    key.Binding // quits even in a prompt
	Confirm, Back                key.Binding // in a prompt
}

func newLobbyKeyMap() lobbyKeyMap {
	return lobbyKeyMap{
		Up:        key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑/k", "up")),
		Down:      key.NewBinding(key.WithKeys("down", "j"), key.WithHelp("↓/j", "down")),
		Join:      key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "join")),
		Create:    key.NewBinding(key.WithKeys("n"), key.WithHelp("n", "new room")),
		Quit:      key.NewBinding(key.WithKeys("q", "ctrl+c"), key.WithHelp("q", "quit")),
		Interrupt: key.NewBinding(key.WithKeys("ctrl+c"), key.WithHelp("ctrl+c", "quit")),
		Confirm:   key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "ok")),
		Back:      key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "back")),
	}
}

func (k lobbyKeyMap) ShortHelp() []key.Binding {
	return []key.Binding{k.Up, k.Down, k.Join, k.Create, k.Quit}
}

func (k lobbyKeyMap) FullHelp() [][]key.Binding { return [][]key.Binding{k.ShortHelp()} }

// promptKeyMap is the help shown while a lobby prompt is open.
type promptKeyMap struct{ lobbyKeyMap }

func (k promptKeyMap) ShortHelp() []key.Binding  { return []key.Binding{k.Confirm, k.Back} }
func (k promptKeyMap) FullHelp() [][]key.Binding { return [][]key.Binding{k.ShortHelp()} }

// backKeyMap is the key that leaves the arena for the lobby; the Model
// plays it before the arena sees it.
type backKeyMap struct{ Lobby key.Binding }

func newBackKeyMap() backKeyMap {
	return backKeyMap{Lobby: key.NewBinding(key.WithKeys("L"), key.WithHelp("L", "back to the lobby"))}
}
