package net

import (
	"net/netip"
	"strings"
	"testing"
)

// A --join address where nobody answers is named in the notice, with the
// number of hellos sent; one that answers is not.
func TestSilentJoinAddressIsNamed(t *testing.T) {
	n := newSimNetWith(t, 1, 2, func(int, *Config) {})
	l := n.cores[0]
	silent := netip.MustParseAddrPort("10.0.0.99:4000")
	l.handle(candidateMsg{addr: silent, permanent: true}, n.now)
	var notice string
	for range 200 {
		n.advance(false)
		notice = string(l.snapshot(n.now).Notice)
		if strings.HasPrefix(notice, "no answer from") {
			break
		}
	}
	if want := "no answer from 10.0.0.99:4000 ("; !strings.HasPrefix(notice, want) || !strings.HasSuffix(notice, " tries)") {
		t.Fatalf("notice %q, want %q…tries)", notice, want)
	}
	// The second peer joined the first with --join: it answered.
	if got := string(n.cores[1].snapshot(n.now).Notice); strings.Contains(got, "no answer") {
		t.Errorf("the peer whose --join answered shows %q", got)
	}
}
