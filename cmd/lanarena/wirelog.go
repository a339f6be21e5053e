package main

// WireLog lets the wire view (ui.WireLogger) turn the peer's wire log on
// while it is open.
func (c controller) WireLog(on bool) { c.peer.WireLog(on) }
