package mux_test

import (
	"strings"
	"testing"

	"github.com/goshterm/gosh/mux/muxtest"
)

// TestNewWindowBeforeAndKill: new-window -b inserts before the index,
// moving the windows from there up, and -k replaces the window at the
// index, as tmux 3.3a (the want lines are tmux's list-windows after the
// same commands). gosh accepted both flags and ignored them.
func TestNewWindowBeforeAndKill(t *testing.T) {
	s := muxtest.NewServer(t)
	muxtest.MustRun(t, s, "new-session", "-d", "-s", "nw", "-n", "A")
	list := func() string {
		return strings.Join(strings.Fields(muxtest.MustRun(t, s, "list-windows", "-t", "nw", "-F", "#{window_index}#{window_name}#{window_flags}")), " ")
	}
	for _, c := range []struct{ args, want string }{
		{"-t nw:1 -n B", "0A- 1B*"},
		{"-t nw:2 -n C", "0A 1B- 2C*"},
		{"-b -t nw:1 -n D", "0A 1D* 2B 3C-"},
		{"-b -t nw:0 -n E", "0E* 1A 2D- 3B 4C"},
		{"-k -t nw:2 -n F", "0E- 1A 2F* 3B 4C"},
	} {
		muxtest.MustRun(t, s, append([]string{"new-window"}, strings.Fields(c.args)...)...)
		if got := list(); got != c.want {
			t.Errorf("new-window %s: windows %s, want %s", c.args, got, c.want)
		}
	}
	if _, err := muxtest.Run(s, "new-window", "-t", "nw:2"); err == nil || err.Error() != "create window failed: index 2 in use" {
		t.Errorf("new-window on a used index: %v, want tmux's error", err)
	}
}
