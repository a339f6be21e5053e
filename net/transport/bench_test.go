package transport

import (
	"net"
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

// BenchmarkWrite31 compares two ways of sending a tick's broadcast to 31
// members over UDP on loopback: 31 WriteTo calls (31 sendto) and one
// WriteBatch of 31 (one sendmmsg). The members are bare sockets drained
// by a goroutine each, so that their buffers never fill.
func BenchmarkWrite31(b *testing.B) {
	const members = 31
	tx, err := ListenUDP(loopback)
	if err != nil {
		b.Fatal(err)
	}
	defer tx.Close()
	msgs := make([]Message, members)
	for i := range msgs {
		rx, err := net.ListenUDP("udp4", net.UDPAddrFromAddrPort(loopback))
		if err != nil {
			b.Fatal(err)
		}
		defer rx.Close()
		go func() {
			buf := make([]byte, ReadBufferSize)
			for {
				if _, _, err := rx.ReadFromUDPAddrPort(buf); err != nil {
					return // closed
				}
			}
		}()
		msgs[i] = Message{Data: make([]byte, 100), To: rx.LocalAddr().(*net.UDPAddr).AddrPort()} // about a state packet
	}
	for _, bc := range []struct {
		name string
		send func() error
	}{
		{"WriteTo", func() error {
			for _, m := range msgs {
				if err := tx.WriteTo(m.Data, m.To); err != nil {
					return err
				}
			}
			return nil
		}},
		{"WriteBatch", func() error { return tx.WriteBatch(msgs) }},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if err := bc.send(); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/members, "ns/msg")
		})
	}
}
