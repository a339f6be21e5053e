package transport

import (
	"net"
	"net/netip"
	"runtime"
	"testing"
	"time"
)

// TestUDPRequirePrefix: only datagrams that start with the prefix reach
// Packets, over IPv4 and a dual-stack socket. On Linux the others never
// reach the reader at all (the kernel's socket filter drops them);
// elsewhere the reader drops and counts them.
func TestUDPRequirePrefix(t *testing.T) {
	for _, listen := range []string{"127.0.0.1:0", "[::]:0"} {
		t.Run(listen, func(t *testing.T) {
			rx, err := ListenUDP(mustAddrPort(t, listen))
			if err != nil {
				t.Skipf("listen %s: %v", listen, err)
			}
			defer rx.Close()
			rx.RequirePrefix([]byte("LA"))
			tx, err := net.ListenUDP("udp4", net.UDPAddrFromAddrPort(loopback))
			if err != nil {
				t.Fatal(err)
			}
			defer tx.Close()
			to := net.UDPAddrFromAddrPort(mustAddrPort(t, "127.0.0.1:0"))
			to.Port = int(rx.LocalAddr().Port())
			sent := []string{"junk", "LA1", "L", "", "la2", "LA", "xLA", "LA3 and more"}
			want := map[string]bool{"LA1": true, "LA": true, "LA3 and more": true}
			for _, s := range sent {
				if _, err := tx.WriteToUDP([]byte(s), to); err != nil {
					t.Fatal(err)
				}
			}
			got := collect(rx, len(sent), 300*time.Millisecond)
			for _, p := range got {
				if !want[string(p.Data)] {
					t.Errorf("received %q, which lacks the prefix", p.Data)
				}
				delete(want, string(p.Data))
			}
			for w := range want {
				t.Errorf("%q, with the prefix, did not arrive", w)
			}
			st := rx.Stats()
			dropped := uint64(len(sent) - 3)
			if runtime.GOOS == "linux" {
				if st.PacketsIn != 3 || st.Filtered != 0 {
					t.Errorf("Stats = %+v: the kernel's filter let through what it should drop", st)
				}
			} else if st.Filtered != dropped {
				t.Errorf("Stats.Filtered = %d, want %d", st.Filtered, dropped)
			}
		})
	}
}

func mustAddrPort(t *testing.T, s string) netip.AddrPort {
	t.Helper()
	ap, err := netip.ParseAddrPort(s)
	if err != nil {
		t.Fatal(err)
	}
	return ap
}
