package client

import "testing"

func TestEscapeFilter(t *testing.T) {
	tests := []struct {
		chunks []string
		send   string
		quit   bool
	}{
		{[]string{"ls\r"}, "ls\r", false},
		{[]string{"\x1e."}, "", true},
		{[]string{"\x1e", "."}, "", true}, // split across reads
		{[]string{"a\x1e^b"}, "a\x1eb", false},
		{[]string{"\x1ex"}, "\x1ex", false},
		{[]string{"."}, ".", false},
	}
	for _, tc := range tests {
		var f escapeFilter
		var send []byte
		quit := false
		for _, c := range tc.chunks {
			s, q := f.filter([]byte(c))
			send = append(send, s...)
			quit = quit || q
		}
		if string(send) != tc.send || quit != tc.quit {
			t.Errorf("%q: send %q quit %v, want %q %v", tc.chunks, send, quit, tc.send, tc.quit)
		}
	}
}
