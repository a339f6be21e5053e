package wire

// Magic returns the bytes that open every packet, of this version and of
// every later one (PROTOCOL.md 3.1): a datagram that does not start with
// them is not lanarena's, and a receiver may drop it before anything else
// (the UDP transport's socket filter does, see transport.UDP.RequirePrefix).
func Magic() []byte { return []byte{magic0, magic1} }
