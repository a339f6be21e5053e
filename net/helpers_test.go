package net

// server is the core's server-mode model, nil in a peer-to-peer room.
func (l *core) server() *serverModel {
	s, _ := l.model.(*serverModel)
	return s
}
