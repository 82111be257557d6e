package mux_test

import (
	"regexp"
	"strconv"
	"testing"

	"github.com/goshterm/gosh/mux/muxtest"
)

// TestListPanesDefaultFormat: list-panes prints tmux 3.3a's default line,
// ", N bytes" of history storage included (tmux: "0: [40x8] [history
// 0/2000, 256 bytes] %0 (active)"), and the figure grows with the
// history. The numbers themselves are gosh's storage, not tmux's.
func TestListPanesDefaultFormat(t *testing.T) {
	s := muxtest.NewServer(t)
	muxtest.MustRun(t, s, "new-session", "-d", "-s", "p", "-x", "40", "-y", "8", "exec sleep 100")
	line := regexp.MustCompile(`^0: \[40x8\] \[history (\d+)/2000, (\d+) bytes\] %0 \(active\)\n$`)
	m := line.FindStringSubmatch(muxtest.MustRun(t, s, "list-panes", "-t", "p"))
	if m == nil || m[1] != "0" {
		t.Fatalf("list-panes = %q, want tmux's line with \", N bytes\"", muxtest.MustRun(t, s, "list-panes", "-t", "p"))
	}
	empty, _ := strconv.Atoi(m[2])
	muxtest.MustRun(t, s, "respawn-pane", "-k", "-t", "p", "seq 1 500; exec sleep 100")
	muxtest.WaitCapture(t, s, "p", "500")
	m = line.FindStringSubmatch(muxtest.MustRun(t, s, "list-panes", "-t", "p"))
	if m == nil {
		t.Fatalf("list-panes after output = %q", muxtest.MustRun(t, s, "list-panes", "-t", "p"))
	}
	if full, _ := strconv.Atoi(m[2]); full <= empty || m[1] == "0" {
		t.Errorf("history %s lines, %d bytes after 500 lines of output (%d before): want more", m[1], full, empty)
	}
}
