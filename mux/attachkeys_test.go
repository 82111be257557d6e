package mux_test

import (
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/goshterm/gosh/mux/muxtest"
)

// TestAttachCursorKeysFollowPaneMode types the cursor-up key through an attached client as
// both forms a terminal sends (SS3 ESC O A in application cursor mode, CSI ESC [ A in normal
// mode) and checks the active pane receives the form its own DECCKM mode asks for
// (xterm ctlseqs, "Cursor Key Mode"), while the other pane receives nothing. Each pane runs
// cat in a canonical-mode tty with ECHOCTL, so what arrived is echoed as ^[OA or ^[[A.
func TestAttachCursorKeysFollowPaneMode(t *testing.T) {
	s := muxtest.NewServer(t)
	muxtest.MustRun(t, s, "new-session", "-d", "-s", "ck")
	muxtest.MustRun(t, s, "split-window", "-h", "-t", "ck")
	// the inactive left pane runs cat too: anything routed to it would be echoed
	muxtest.MustRun(t, s, "send-keys", "-t", "ck:0.0", "echo left-ready; cat", "Enter")
	muxtest.WaitCapture(t, s, "ck:0.0", "left-ready\n")
	// the active right pane turns DECCKM on, then dumps its input
	muxtest.MustRun(t, s, "send-keys", "-t", "ck:0.1", "printf '\\033[?1h'; echo app-ready; cat", "Enter")
	muxtest.WaitCapture(t, s, "ck:0.1", "app-ready\n")

	c := muxtest.Attach(t, s, "ck", 81, 12)
	c.WaitContains("[ck]")
	c.Type("\x1bOA") // the client's terminal in application cursor mode
	c.Type("\x1b[A") // and in normal mode: the pane still gets the form it asked for
	c.Type("\r")
	out := muxtest.WaitCapture(t, s, "ck:0.1", "^[OA^[OA\n")
	if strings.Contains(out, "^[[A") {
		t.Errorf("a pane in application cursor mode got CSI A:\n%s", out)
	}

	// the same pane with DECCKM off gets CSI A for both forms
	c.Type("\x03") // C-c ends cat; the tty flushes its input, so wait for the prompt
	muxtest.WaitCapture(t, s, "ck:0.1", "^C\n$")
	c.Type("printf '\\033[?1l'; echo normal-ready; cat\r")
	muxtest.WaitCapture(t, s, "ck:0.1", "normal-ready\n")
	c.Type("\x1bOA")
	c.Type("\x1b[A")
	c.Type("\r")
	muxtest.WaitCapture(t, s, "ck:0.1", "^[[A^[[A\n")

	if out := muxtest.MustRun(t, s, "capture-pane", "-p", "-t", "ck:0.0"); strings.Contains(out, "^[") || strings.Contains(out, "normal-ready") {
		t.Errorf("the inactive pane received keys:\n%s", out)
	}
}

// counterRE matches the counter lines the panes of TestDetachKeepsEveryPaneRunning print.
var counterRE = regexp.MustCompile(`(p\d)-(\d+)`)

// lastCount returns the largest counter value for name shown in text, or -1.
func lastCount(text, name string) int {
	n := -1
	for _, m := range counterRE.FindAllStringSubmatch(text, -1) {
		if m[1] != name {
			continue
		}
		if v, err := strconv.Atoi(m[2]); err == nil && v > n {
			n = v
		}
	}
	return n
}

// TestDetachKeepsEveryPaneRunning detaches the only client from a session of three panes in
// two windows, each printing a counter, and checks every pane keeps running while nobody is
// attached and that a new client sees their current screens.
func TestDetachKeepsEveryPaneRunning(t *testing.T) {
	s := muxtest.NewServer(t)
	muxtest.MustRun(t, s, "new-session", "-d", "-s", "run", "-x", "81", "-y", "12")
	muxtest.MustRun(t, s, "split-window", "-h", "-t", "run:0")
	muxtest.MustRun(t, s, "new-window", "-d", "-t", "run")
	panes := map[string]string{"p0": "run:0.0", "p1": "run:0.1", "p2": "run:1.0"}
	for name, target := range panes {
		// bounded: 100,000 ticks of 50 ms outlive any test run
		loop := "i=0; while [ $i -lt 100000 ]; do i=$((i+1)); echo " + name + "-$i; sleep 0.05; done"
		muxtest.MustRun(t, s, "send-keys", "-t", target, loop, "Enter")
	}
	count := func(name string) int {
		out, _ := muxtest.Run(s, "capture-pane", "-p", "-t", panes[name])
		return lastCount(out, name)
	}

	c := muxtest.Attach(t, s, "run", 81, 12)
	c.WaitText("both counters of window 0", func(rows []string) bool {
		text := strings.Join(rows, "\n")
		return lastCount(text, "p0") > 0 && lastCount(text, "p1") > 0
	})
	c.Type("\x02d")
	muxtest.Eventually(t, "the detach", c.ServerShutdown)
	muxtest.Eventually(t, "no client attached", func() bool { return s.Clients() == 0 })

	// while detached every pane keeps counting
	at := map[string]int{}
	for name := range panes {
		at[name] = count(name)
	}
	for name := range panes {
		muxtest.Eventually(t, name+" to count on while detached", func() bool { return count(name) >= at[name]+5 })
	}

	// a new client sees the current screens: window 0's panes in its frame, then window 1's
	later := map[string]int{}
	for name := range panes {
		later[name] = count(name)
	}
	r := muxtest.Attach(t, s, "run", 81, 12)
	r.WaitText("window 0's current counters", func(rows []string) bool {
		text := strings.Join(rows, "\n")
		return lastCount(text, "p0") >= later["p0"] && lastCount(text, "p1") >= later["p1"]
	})
	r.Type("\x021")
	r.WaitText("window 1's current counter", func(rows []string) bool {
		return lastCount(strings.Join(rows, "\n"), "p2") >= later["p2"] && strings.Contains(rows[11], "1:sh*")
	})
}
