package mux_test

import (
	"strings"
	"testing"

	"github.com/goshterm/gosh/mux/muxtest"
)

// A paste bigger than the pty's input buffer, into a program that reads
// nothing, must not stall the client: its keys for another pane still
// arrive and their echo is drawn. (The client's loop wrote to the pty
// itself and waited there for the program to read; it now queues what the
// pty does not take.)
func TestAttachPasteIntoStuckPaneLeavesClientWorking(t *testing.T) {
	s := muxtest.NewServer(t)
	muxtest.MustRun(t, s, "new-session", "-d", "-s", "stuck", "-x", "80", "-y", "20", "sleep 1000")
	muxtest.MustRun(t, s, "split-window", "-t", "stuck:0", "cat")
	muxtest.MustRun(t, s, "select-pane", "-t", "%0")
	c := muxtest.Attach(t, s, "stuck", 80, 20)
	c.WaitContains("[stuck]")
	// 200 KB of lines: the tty echoes them until its buffers are full
	// (about 64 KiB), then the writer has to wait for sleep, forever.
	c.Type(strings.Repeat(strings.Repeat("a", 99)+"\r", 2000))
	muxtest.WaitCapture(t, s, "%0", strings.Repeat("a", 40))
	muxtest.MustRun(t, s, "select-pane", "-t", "%1")
	c.Type("hello")
	c.WaitText("the other pane's echo", func(rows []string) bool {
		for _, r := range rows {
			if strings.HasPrefix(r, "hello") {
				return true
			}
		}
		return false
	})
}
