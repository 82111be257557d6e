package vttest

import (
	"strings"
	"testing"
)

func TestTmuxRender(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		stream string
		want   []string // the first rows; the rest must be empty
		cx, cy int
	}{
		{
			// LF without CR keeps the column: proves the pty does not
			// translate \n to \r\n (stty -opost).
			name:   "raw LF",
			stream: "hello\nworld",
			want:   []string{"hello", "     world"},
			cx:     10, cy: 1,
		},
		{
			// tmux reports cursor_x == 20 here; the pending wrap is clamped.
			name:   "pending wrap",
			stream: strings.Repeat("x", 20),
			want:   []string{strings.Repeat("x", 20)},
			cx:     19, cy: 0,
		},
		{
			name:   "DEC graphics",
			stream: "\x1b(0lqk\x1b(B|\r\n\x1b)0a\x0exq\x0fx\r\n\x1b(0lk\r\nmj\x1b(B",
			want:   []string{"┌─┐|", "a│─x", "┌┐", "└┘"},
			cx:     2, cy: 3,
		},
		{
			name:   "wide and SGR",
			stream: "\x1b[1;31m中文\x1b[m ok   \x1b[44m  \x1b[m\r\n\x1b[5;3H",
			want:   []string{"中文 ok", "", "", "", ""},
			cx:     2, cy: 4,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			lines, cx, cy := TmuxRender(t, []byte(tt.stream), 20, 6)
			if len(lines) != 6 {
				t.Fatalf("got %d lines, want 6: %q", len(lines), lines)
			}
			want := make([]string, 6)
			copy(want, tt.want)
			for i := range want {
				if lines[i] != want[i] {
					t.Errorf("row %d = %q, want %q", i, lines[i], want[i])
				}
			}
			if cx != tt.cx || cy != tt.cy {
				t.Errorf("cursor = (%d,%d), want (%d,%d)", cx, cy, tt.cx, tt.cy)
			}
		})
	}
}

func TestStripCapture(t *testing.T) {
	tests := []struct{ in, want string }{
		{"\x1b[1m\x1b[31mred\x1b[39m x", "red x"},
		{"a\x0elqqk\x0fb", "a┌──┐b"},
		{"q\x1b]8;;http://x\x1b\\q\x1b]8;;\x07", "qq"},
		{"é中", "é中"},
	}
	for _, tt := range tests {
		acs := false
		if got := stripCapture(tt.in, &acs); got != tt.want {
			t.Errorf("stripCapture(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	// The graphics set stays selected into the next line until SI.
	got := parseCapture("\x0elqk\nx x\x0f x\n", 3)
	want := []string{"┌─┐", "│ │ x", ""}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("parseCapture line %d = %q, want %q", i, got[i], want[i])
		}
	}
}

func TestTmuxThroughput(t *testing.T) {
	tmuxPath(t)
	// A cursor report request inside the stream must not end the wait early.
	stream := []byte(strings.Repeat("line of text\r\n", 1000) + "\x1b[6n" + strings.Repeat("more\r\n", 1000))
	d, err := TmuxThroughput(stream, 80, 24)
	if err != nil {
		t.Fatal(err)
	}
	if d <= 0 {
		t.Fatalf("duration %v, want > 0", d)
	}
}
