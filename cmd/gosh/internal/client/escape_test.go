package client

import "testing"

func TestEscapeFilter(t *testing.T) {
	ctrl := EscapeKey{Key: DefaultEscapeKey}
	tilde := EscapeKey{Key: '~'}
	tests := []struct {
		name string
		key  EscapeKey
		keys []string // one string per key event
		send string
		act  escapeAction
	}{
		{"plain typing", ctrl, []string{"l", "s", "\r"}, "ls\r", escSend},
		{"Ctrl-^ . quits", ctrl, []string{"\x1e", "."}, "", escQuit},
		{"Ctrl-^ Ctrl-Z suspends", ctrl, []string{"\x1e", "\x1a"}, "", escSuspend},
		{"Ctrl-^ ^ sends Ctrl-^", ctrl, []string{"a", "\x1e", "^", "b"}, "a\x1eb", escSend},
		{"lower-case pass key", EscapeKey{Key: 0x01}, []string{"\x01", "a"}, "\x01", escSend},
		{"Ctrl-^ x sends both", ctrl, []string{"\x1e", "x"}, "\x1ex", escSend},
		{"Ctrl-^ arrow sends both", ctrl, []string{"\x1e", "\x1bOA"}, "\x1e\x1bOA", escSend},
		{"Ctrl-^ Ctrl-^ sends both", ctrl, []string{"\x1e", "\x1e"}, "\x1e\x1e", escSend},
		{"a dot alone is a dot", ctrl, []string{"."}, ".", escSend},
		{"disabled", EscapeKey{Disabled: true}, []string{"\x1e", "."}, "\x1e.", escSend},
		{"printable escape at line start", tilde, []string{"~", "."}, "", escQuit},
		{"printable escape after CR", tilde, []string{"l", "s", "\r", "~", "."}, "ls\r", escQuit},
		{"printable escape mid-line is text", tilde, []string{"a", "~", "."}, "a~.", escSend},
		{"printable pass key", tilde, []string{"~", "~"}, "~", escSend},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newEscapeFilter(tc.key)
			var sent []byte
			act := escSend
			for _, k := range tc.keys {
				var a escapeAction
				sent, a = f.filter(sent, []byte(k))
				if a != escSend {
					act = a
				}
			}
			if string(sent) != tc.send || act != tc.act {
				t.Errorf("sent %q action %d, want %q %d", sent, act, tc.send, tc.act)
			}
		})
	}
}

func TestParseEscapeKey(t *testing.T) {
	tests := []struct {
		value string
		set   bool
		want  EscapeKey
	}{
		{"", false, EscapeKey{Key: 0x1e}},
		{"", true, EscapeKey{Disabled: true}},
		{"\x01", true, EscapeKey{Key: 0x01}},
		{"~", true, EscapeKey{Key: '~'}},
		{"\x03", true, EscapeKey{Key: 0x1e}}, // ^C refused
		{"\x0d", true, EscapeKey{Key: 0x1e}}, // ^M refused
		{"ab", true, EscapeKey{Key: 0x1e}},
		{"é", true, EscapeKey{Key: 0x1e}},
	}
	for _, tc := range tests {
		if got := ParseEscapeKey(tc.value, tc.set); got != tc.want {
			t.Errorf("ParseEscapeKey(%q, %v) = %+v, want %+v", tc.value, tc.set, got, tc.want)
		}
	}
	if got := (EscapeKey{}).Hint(); got != `Commands: Ctrl-Z suspends, "." quits, "^" gives literal Ctrl-^` {
		t.Errorf("hint %q", got)
	}
	if got := (EscapeKey{Key: 0x01}).Name(); got != "Ctrl-A" {
		t.Errorf("name %q", got)
	}
}
