package wire

import (
	"testing"

	"lanarena/game"
)

// TestAdmissionVectors pins the examples of PROTOCOL.md section 4.13.
func TestAdmissionVectors(t *testing.T) {
	cases := []struct {
		name string
		m    Message
		want string
	}{
		{"challenge", &Challenge{Cookie: testCookie},
			"4c41020f00" + "04030201" + "07000000" + "10806056" + "00112233445566778899aabbccddeeff"},
		{"hello-proof", &HelloProof{Cookie: testCookie, Hello: Hello{Color: 3, Params: game.DefaultParams(), Name: "ada", Room: "lan"}},
			"4c41021000" + "04030201" + "07000000" + "10806056" + "00112233445566778899aabbccddeeff" +
				"00" + "00" + "03" + "3828" + "0f" + "00" + "03616461" + "036c616e" + "0000" + "00000000" + "00" + "00"},
		{"refusal", testRefusal(),
			"4c41021100" + "04030201" + "07000000" + "10806056" +
				"01" + "00" + "3828" + "0f" + "00" + "03" + "03626f62" + "0364656e"},
	}
	for _, c := range cases {
		b := mustAppend(sample{h: testHeader, m: c.m})
		if got := hexString(b); got != c.want {
			t.Errorf("%s:\n got %s\nwant %s", c.name, got, c.want)
		}
		cookie, ok := PeekCookie(b)
		if isProof := c.m.Type() == TypeHelloProof; ok != isProof || (ok && cookie != testCookie) {
			t.Errorf("%s: PeekCookie = %x, %v", c.name, cookie, ok)
		}
	}
}
