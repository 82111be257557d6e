package mux_test

import (
	"regexp"
	"strings"
	"testing"

	"github.com/goshterm/gosh/mux/muxtest"
)

// TestKeysAfterBindingInOneRead: over a slow link the keys typed after a
// binding arrive in the same datagram as the prefix and the binding's
// key. They must reach what the binding opened, as they would one by one.
func TestKeysAfterBindingInOneRead(t *testing.T) {
	s := muxtest.NewServer(t)
	muxtest.MustRun(t, s, "new-session", "-d", "-s", "k", "-n", "old", "-x", "80", "-y", "11")
	muxtest.MustRun(t, s, "set-option", "-g", "mode-keys", "vi")
	muxtest.MustRun(t, s, "send-keys", "-t", "k", "seq 1 50", "Enter")
	muxtest.WaitCapture(t, s, "k", "50\n")
	c := muxtest.Attach(t, s, "k", 80, 12)
	c.WaitContains("[k]")

	// prefix [ then g: copy mode goes to the top of the history.
	top := regexp.MustCompile(`\[(\d+)/(\d+)\]`)
	c.Type("\x02[g")
	c.WaitText("copy mode at the top", func(rows []string) bool {
		m := top.FindStringSubmatch(rows[0])
		return m != nil && m[1] == m[2] && m[1] != "0"
	})
	c.Type("q")
	c.WaitText("copy mode left", func(rows []string) bool { return !top.MatchString(rows[0]) })
	if out := muxtest.MustRun(t, s, "capture-pane", "-p", "-t", "k"); strings.Contains(out, "$ g") {
		t.Errorf("the g reached the shell:\n%s", out)
	}
	// prefix , then a new name and Enter, all at once.
	c.Type("\x02,\x15new\r")
	c.WaitContains("0:new*")
	// prefix q then 0... with one pane there is only 0: it picks it, and
	// the numbers go.
	muxtest.MustRun(t, s, "split-window", "-h", "-t", "k")
	c.Type("\x02q0")
	muxtest.Eventually(t, "pane 0 picked", func() bool { return display(t, s, "k", "#{pane_index}") == "0" })
}
