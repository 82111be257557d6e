package mux_test

import (
	"testing"

	"github.com/goshterm/gosh/mux/muxtest"
)

// TestCaptureAlternate: capture-pane -a prints what tmux 3.3a calls the
// alternate screen — the normal screen a full-screen program hides — with
// no history; a pane not on the alternate screen has none, an error
// unless -q. The outputs are tmux 3.3a's for the same program.
func TestCaptureAlternate(t *testing.T) {
	s := muxtest.NewServer(t)
	muxtest.MustRun(t, s, "new-session", "-d", "-s", "a", "-x", "30", "-y", "5",
		`printf 'main1\nmain2\n'; printf '\033[?1049h\033[Halt-top\n'; exec sleep 100`)
	muxtest.MustRun(t, s, "new-session", "-d", "-s", "plain", "-x", "30", "-y", "5", "exec sleep 100")
	muxtest.WaitCapture(t, s, "a", "alt-top")
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"-t", "a"}, "alt-top\n\n\n\n\n"},
		{[]string{"-a", "-t", "a"}, "main1\nmain2\n\n\n\n"},
		{[]string{"-a", "-S", "-", "-E", "10", "-t", "a"}, "main1\nmain2\n\n\n\n"},
		{[]string{"-a", "-S", "-3", "-E", "1", "-t", "a"}, "main1\nmain2\n"},
		{[]string{"-a", "-q", "-t", "plain"}, "\n"},
	} {
		got, err := muxtest.Run(s, append([]string{"capture-pane", "-p"}, c.args...)...)
		if err != nil || got != c.want {
			t.Errorf("capture-pane -p %q = %q, %v; want %q (tmux 3.3a)", c.args, got, err, c.want)
		}
	}
	if _, err := muxtest.Run(s, "capture-pane", "-p", "-a", "-t", "plain"); err == nil || err.Error() != "no alternate screen" {
		t.Errorf("capture-pane -a on the normal screen: %v, want tmux's \"no alternate screen\"", err)
	}
}
