package predict

import (
	"strings"
	"testing"
)

// TestKeyReader splits typed bytes into keys, whatever way they are cut
// into reads.
func TestKeyReader(t *testing.T) {
	tests := []struct {
		in   string
		want string // kind:seq, space separated
	}{
		{"ab", "rune:a rune:b"},
		{"é世", "rune:é rune:世"},
		{"\x7f\x08\r", "backspace:\x7f backspace:\x08 enter:\r"},
		{"\x1b[D\x1b[C\x1bOD\x1bOC", "left:\x1b[D right:\x1b[C left:\x1bOD right:\x1bOC"},
		{"\x1b[1C\x1b[1;5C\x1b[2D", "right:\x1b[1C other:\x1b[1;5C other:\x1b[2D"},
		{"\x1b[A\x1bOA\x03\t\n", "other:\x1b[A other:\x1bOA other:\x03 other:\t other:\n"},
		{"\x1bx\x1b\x1b[D\x1b\x1bOC\x1b\x1bq", "other:\x1bx other:\x1b\x1b[D other:\x1b\x1bOC other:\x1b\x1bq"}, // Alt prefixes
		{"\x1b(Bz", "other:\x1b(B rune:z"},
		{"\x1b]11;rgb:0/0/0\x07q", "other:\x1b] rune:q"},
		{"\x1b]0;t\x1b\\q", "other:\x1b] rune:q"},
		{"\xc3x", "other:\xc3 rune:x"},         // truncated UTF-8, then the next key
		{"\x80\xff", "other:\x80 other:\xff"},  // stray continuation, invalid lead
		{"\xc2\x85", "other:\xc2\x85"},         // C1 control NEL
		{"\xed\xa0\x80", "other:\xed\xa0\x80"}, // surrogate
		{"\x1b[200~hi\x1b[201~", "other:\x1b[200~ rune:h rune:i other:\x1b[201~"},
	}
	for _, tt := range tests {
		// Whole, and one byte per read.
		for _, split := range []bool{false, true} {
			var r keyReader
			var got []string
			add := func(k Key) { got = append(got, k.Kind.String()+":"+k.Seq) }
			feed := func(p string) {
				for i := 0; i < len(p); i++ {
					k, ok, k2, ok2 := r.feed(p[i])
					if ok {
						add(k)
					}
					if ok2 {
						add(k2)
					}
				}
			}
			if split {
				for i := range len(tt.in) {
					feed(tt.in[i : i+1])
				}
			} else {
				feed(tt.in)
			}
			if g := strings.Join(got, " "); g != tt.want {
				t.Errorf("%q (split %v): got %q, want %q", tt.in, split, g, tt.want)
			}
		}
	}
}

func TestKeyReaderRunes(t *testing.T) {
	var r keyReader
	var keys []Key
	for _, b := range []byte("aé\U0001F600") {
		if k, ok, _, _ := r.feed(b); ok {
			keys = append(keys, k)
		}
	}
	if len(keys) != 3 || keys[0].Rune != 'a' || keys[0].Width != 1 || keys[1].Rune != 'é' || keys[2].Rune != 0x1F600 {
		t.Errorf("keys %+v", keys)
	}
}

// TestKeyReaderBounded: an endless escape sequence or string is given up,
// and the reader is usable afterwards.
func TestKeyReaderBounded(t *testing.T) {
	var r keyReader
	n := 0
	for _, in := range []string{"\x1b[" + strings.Repeat("1;", 100), "\x1b]" + strings.Repeat("x", 5000), "\x1b" + strings.Repeat("(", 100)} {
		for i := 0; i < len(in); i++ {
			if _, ok, _, _ := r.feed(in[i]); ok {
				n++
			}
		}
		if k, ok, k2, ok2 := r.feed('z'); !(ok && k.Kind == KeyRune || ok2 && k2.Kind == KeyRune) {
			// 'z' may end the sequence (CSI final) — then feed another.
			if k, ok, _, _ := r.feed('z'); !ok || k.Kind != KeyRune {
				t.Errorf("after %.10q…: reader stuck", in)
			}
		}
	}
	if n == 0 {
		t.Error("over-long sequences never ended")
	}
}
