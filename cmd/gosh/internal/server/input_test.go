package server

import "testing"

func TestInputTranslator(t *testing.T) {
	tests := []struct {
		name      string
		chunks    []string
		appCursor bool
		want      string
	}{
		{"SS3 up becomes CSI", []string{"\x1bOA"}, false, "\x1b[A"},
		{"all four arrows", []string{"a\x1bOB\x1bOC\x1bODz"}, false, "a\x1b[B\x1b[C\x1b[Dz"},
		{"kept under DECCKM", []string{"\x1bOA"}, true, "\x1bOA"},
		{"F1 (SS3 P) untouched", []string{"\x1bOP"}, false, "\x1bOP"},
		{"split after ESC", []string{"x\x1b", "OA"}, false, "x\x1b[A"},
		{"split after ESC O", []string{"\x1bO", "D"}, false, "\x1b[D"},
		{"CSI untouched", []string{"\x1b[A"}, false, "\x1b[A"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var tr inputTranslator
			var got []byte
			for _, c := range tc.chunks {
				got = append(got, tr.translate([]byte(c), tc.appCursor)...)
			}
			got = append(got, tr.flush()...)
			if string(got) != tc.want {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}

func TestInputTranslatorLoneEscapeFlushed(t *testing.T) {
	var tr inputTranslator
	got := tr.translate([]byte("\x1b"), false)
	got = append(got, tr.flush()...)
	if string(got) != "\x1b" {
		t.Errorf("lone ESC = %q", got)
	}
}
