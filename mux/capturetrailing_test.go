package mux_test

import (
	"strings"
	"testing"

	"github.com/goshterm/gosh/mux/muxtest"
)

// TestCaptureKeepsOnlyWrittenTrailingSpaces: capture-pane -N and -J keep
// the trailing spaces a program wrote, not the row's unwritten cells, as
// tmux 3.3a: "end  " stays five characters, not padded to the width.
func TestCaptureKeepsOnlyWrittenTrailingSpaces(t *testing.T) {
	s := muxtest.NewServer(t)
	muxtest.MustRun(t, s, "new-session", "-d", "-s", "c", "-x", "20", "-y", "6",
		`printf 'short\nend  \n%030d\n' 7; exec sleep 100`)
	muxtest.WaitCapture(t, s, "c", "0007\n")
	for _, c := range []struct{ flag, want string }{
		{"-N", "short|end  |00000000000000000000|0000000007|"},
		{"-J", "short|end  |000000000000000000000000000007|"},
		{"", "short|end|00000000000000000000|0000000007|"},
	} {
		args := []string{"capture-pane", "-p", "-t", "c", "-E", "3"}
		if c.flag != "" {
			args = append(args, c.flag)
		}
		got := strings.ReplaceAll(muxtest.MustRun(t, s, args...), "\n", "|")
		if got != c.want {
			t.Errorf("capture-pane %s = %q, want %q (tmux 3.3a)", c.flag, got, c.want)
		}
	}
}
