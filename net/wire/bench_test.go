package wire

import "testing"

// benchSamples is one everyday message of each type.
func benchSamples() []sample {
	names := []string{
		"hello", "state", "leave", "ping", "pong", "trail-req", "trail",
		"chat", "chat-ack", "move-req", "move-ack", "cycle-state",
		"cycle-trail-req", "cycle-trail",
	}
	all := map[string]sample{}
	for _, s := range samples() {
		all[s.name] = s
	}
	var out []sample
	for _, n := range names {
		out = append(out, all[n])
	}
	return out
}

func BenchmarkAppend(b *testing.B) {
	for _, s := range benchSamples() {
		b.Run(s.name, func(b *testing.B) {
			buf := make([]byte, 0, MaxPacket)
			var n int
			b.ReportAllocs()
			for b.Loop() {
				p, err := Append(buf[:0], s.h, s.m)
				if err != nil {
					b.Fatal(err)
				}
				n = len(p)
			}
			b.ReportMetric(float64(n), "bytes/pkt")
		})
	}
}

func BenchmarkDecode(b *testing.B) {
	for _, s := range benchSamples() {
		b.Run(s.name, func(b *testing.B) {
			p := mustAppend(s)
			b.ReportAllocs()
			for b.Loop() {
				if _, _, err := Decode(p); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(len(p)), "bytes/pkt")
		})
	}
}

func BenchmarkSeal(b *testing.B) {
	key := Key("lan", "hunter2")
	p := mustAppend(sample{h: testHeader, m: typicalState()})
	buf := make([]byte, 0, MaxPacket)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Seal(append(buf[:0], p...), &key); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkOpen(b *testing.B) {
	key := Key("lan", "hunter2")
	p, err := Seal(mustAppend(sample{h: testHeader, m: typicalState()}), &key)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Open(p, &key); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkReplay(b *testing.B) {
	var r Replay
	var seq uint32
	b.ReportAllocs()
	for b.Loop() {
		seq++
		r.Accept(seq)
		r.Accept(seq - 3) // a late packet
	}
}
