package transport

import (
	"testing"
	"time"
)

// BenchmarkRoundTrip measures one packet there and back: a writes, b's
// echo goroutine writes it back, a receives.
func BenchmarkRoundTrip(b *testing.B) {
	for _, im := range []struct {
		name string
		pair func(b *testing.B) (x, y Transport)
	}{
		{"udp", func(b *testing.B) (Transport, Transport) {
			x, err := ListenUDP(loopback)
			if err != nil {
				b.Fatal(err)
			}
			y, err := ListenUDP(loopback)
			if err != nil {
				b.Fatal(err)
			}
			return x, y
		}},
		{"mem", func(b *testing.B) (Transport, Transport) {
			n := NewMemNetwork()
			x, _ := n.Listen(loopback)
			y, _ := n.Listen(loopback)
			return x, y
		}},
	} {
		b.Run(im.name, func(b *testing.B) {
			x, y := im.pair(b)
			defer x.Close()
			defer y.Close()
			echoed := make(chan struct{})
			go func() {
				defer close(echoed)
				for p := range y.Packets() {
					y.WriteTo(p.Data, p.From)
				}
			}()
			msg := make([]byte, 200) // about one game state packet
			b.SetBytes(int64(2 * len(msg)))
			b.ReportAllocs()
			for b.Loop() {
				if err := x.WriteTo(msg, y.LocalAddr()); err != nil {
					b.Fatal(err)
				}
				select {
				case <-x.Packets():
				case <-time.After(time.Second): // loopback lost it: rare, not measured
				}
			}
			y.Close()
			<-echoed
		})
	}
}
