package mux_test

import (
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/goshterm/gosh/mux/muxtest"
)

// TestBellFlag: a background window whose pane rings the bell shows "!" in
// #{window_flags} and in an attached client's status line until selected.
func TestBellFlag(t *testing.T) {
	s := muxtest.NewServer(t)
	muxtest.MustRun(t, s, "new-session", "-d", "-s", "b", "-x", "80", "-y", "24")
	muxtest.MustRun(t, s, "new-window", "-d", "-t", "b:1")
	c := muxtest.Attach(t, s, "b", 80, 24)
	defer c.Stop()
	flags := func() string {
		return muxtest.MustRun(t, s, "list-windows", "-t", "b", "-F", "#{window_index}#{window_flags}")
	}
	if got := flags(); got != "0*\n1\n" {
		t.Fatalf("flags before bell = %q", got)
	}
	muxtest.MustRun(t, s, "send-keys", "-t", "b:1", `printf '\007'`, "Enter")
	muxtest.Eventually(t, "the bell flag", func() bool { return flags() == "0*\n1!\n" })
	if got := muxtest.MustRun(t, s, "display-message", "-p", "-t", "b:1", "#{window_bell_flag}"); got != "1\n" {
		t.Errorf("window_bell_flag = %q, want 1", got)
	}
	c.WaitText("1! in the status line", func(rows []string) bool {
		return strings.Contains(rows[len(rows)-1], "1:sh!")
	})
	muxtest.MustRun(t, s, "select-window", "-t", "b:1")
	muxtest.MustRun(t, s, "select-window", "-t", "b:0")
	if got := flags(); got != "0*\n1-\n" {
		t.Errorf("flags after select-window = %q, want the bell cleared", got)
	}
}

// TestBellFlagWithoutCommands: a background window's bell reaches an
// attached client's status line by itself — no command runs after it that
// would wake the client — and rings the client's terminal (bell-action
// any), as tmux's does.
func TestBellFlagWithoutCommands(t *testing.T) {
	s := muxtest.NewServer(t)
	muxtest.MustRun(t, s, "new-session", "-d", "-s", "w", "-x", "80", "-y", "24")
	muxtest.MustRun(t, s, "new-window", "-d", "-t", "w:1")
	c := muxtest.Attach(t, s, "w", 80, 24)
	defer c.Stop()
	c.WaitText("the window list", func(rows []string) bool { return strings.Contains(rows[len(rows)-1], "1:sh ") })
	scr, _ := c.Screen()
	bells := scr.BellCount()
	// The bell comes a while after send-keys, whose end woke the client.
	muxtest.MustRun(t, s, "send-keys", "-t", "w:1", `sleep 0.5; printf '\007'`, "Enter")
	c.WaitText("1:sh! in the status line", func(rows []string) bool {
		return strings.Contains(rows[len(rows)-1], "1:sh!")
	})
	if scr, _ := c.Screen(); scr.BellCount() <= bells {
		t.Errorf("client bell count %d, want more than %d: a background bell rings with bell-action any", scr.BellCount(), bells)
	}
}

// statusRow returns the client's status line.
func statusRow(rows []string) string { return rows[len(rows)-1] }

// TestActivityFlag: with monitor-activity on (set-window-option), output in
// a background window shows "#" after its name in the status line and in
// #{window_flags}, and rings the client's bell (activity-action other,
// visual-activity off); with it off, as by default, nothing shows.
func TestActivityFlag(t *testing.T) {
	s := muxtest.NewServer(t)
	muxtest.MustRun(t, s, "new-session", "-d", "-s", "a", "-x", "80", "-y", "24")
	muxtest.MustRun(t, s, "new-window", "-d", "-t", "a:1")
	c := muxtest.Attach(t, s, "a", 80, 24)
	defer c.Stop()
	flags := func() string {
		return muxtest.MustRun(t, s, "list-windows", "-t", "a", "-F", "#{window_index}#{window_flags}")
	}
	flagged := regexp.MustCompile(`1:\S+#`)

	muxtest.MustRun(t, s, "send-keys", "-t", "a:1", `echo o""ne`, "Enter")
	muxtest.WaitCapture(t, s, "a:1", "one") // the output, not the command line
	if got := flags(); got != "0*\n1\n" {
		t.Errorf("flags with monitor-activity off = %q, want no #", got)
	}
	if row := statusRow(c.WaitContains("1:")); strings.Contains(row, "#") {
		t.Errorf("status line with monitor-activity off = %q, want no #", row)
	}

	muxtest.MustRun(t, s, "setw", "-t", "a:1", "monitor-activity", "on")
	if got := muxtest.MustRun(t, s, "show-options", "-w", "-t", "a:1"); got != "monitor-activity on\n" {
		t.Errorf("show-options -w = %q", got)
	}
	scr, _ := c.Screen()
	bells := scr.BellCount()
	muxtest.MustRun(t, s, "send-keys", "-t", "a:1", "sleep 0.3; echo two", "Enter")
	c.WaitText("1:…# in the status line", func(rows []string) bool { return flagged.MatchString(statusRow(rows)) })
	if got := flags(); got != "0*\n1#\n" {
		t.Errorf("flags after output = %q, want 1#", got)
	}
	if got := muxtest.MustRun(t, s, "display-message", "-p", "-t", "a:1", "#{window_activity_flag}"); got != "1\n" {
		t.Errorf("window_activity_flag = %q, want 1", got)
	}
	if scr, _ := c.Screen(); scr.BellCount() <= bells {
		t.Errorf("client bell count %d, want more than %d (activity-action other)", scr.BellCount(), bells)
	}
	muxtest.MustRun(t, s, "select-window", "-t", "a:1")
	c.WaitText("1:…* current", func(rows []string) bool { return regexp.MustCompile(`1:\S+\*`).MatchString(statusRow(rows)) })
	muxtest.MustRun(t, s, "select-window", "-t", "a:0")
	if got := flags(); got != "0*\n1-\n" {
		t.Errorf("flags after selecting it = %q, want the activity cleared", got)
	}
}

// TestBellOptions: visual-bell shows "Bell in window N" on the status line
// instead of ringing; bell-action none keeps the terminal quiet but the
// flag shows; monitor-bell off raises no flag.
func TestBellOptions(t *testing.T) {
	s := muxtest.NewServer(t)
	muxtest.MustRun(t, s, "new-session", "-d", "-s", "v", "-x", "80", "-y", "24")
	muxtest.MustRun(t, s, "new-window", "-d", "-t", "v:1")
	c := muxtest.Attach(t, s, "v", 80, 24)
	defer c.Stop()
	flags := func() string {
		return muxtest.MustRun(t, s, "list-windows", "-t", "v", "-F", "#{window_index}#{window_flags}")
	}
	ring := func(n int) {
		t.Helper()
		muxtest.MustRun(t, s, "send-keys", "-t", "v:1", "printf '\\007rang%d\\n' "+strconv.Itoa(n), "Enter")
		muxtest.WaitCapture(t, s, "v:1", "rang"+strconv.Itoa(n)) // the output, not the command line
	}
	clear := func() {
		muxtest.MustRun(t, s, "select-window", "-t", "v:1")
		muxtest.MustRun(t, s, "select-window", "-t", "v:0")
	}
	c.WaitContains("1:")
	bellCount := func() uint64 { scr, _ := c.Screen(); return scr.BellCount() }

	muxtest.MustRun(t, s, "set", "-g", "visual-bell", "on")
	muxtest.MustRun(t, s, "set", "-g", "display-time", "0") // until a key
	before := bellCount()
	ring(1)
	c.WaitText("Bell in window 1", func(rows []string) bool { return strings.Contains(statusRow(rows), "Bell in window 1") })
	if n := bellCount(); n != before {
		t.Errorf("visual-bell on: the client's bell rang (%d → %d)", before, n)
	}
	if got := muxtest.MustRun(t, s, "show-messages"); !strings.Contains(got, "message: Bell in window 1\n") {
		t.Errorf("show-messages = %q, want the bell message", got)
	}

	c.Type("x") // takes the message away
	c.WaitText("the message gone", func(rows []string) bool { return !strings.Contains(statusRow(rows), "Bell in window 1") })

	clear()
	muxtest.MustRun(t, s, "set", "-g", "visual-bell", "off")
	muxtest.MustRun(t, s, "set", "bell-action", "none")
	if got := muxtest.MustRun(t, s, "show-options", "-t", "v"); got != "bell-action none\n" {
		t.Errorf("show-options = %q", got)
	}
	before = bellCount()
	ring(2)
	c.WaitText("1:…! with bell-action none", func(rows []string) bool { return regexp.MustCompile(`1:\S+!`).MatchString(statusRow(rows)) })
	if n := bellCount(); n != before {
		t.Errorf("bell-action none: the client's bell rang (%d → %d)", before, n)
	}

	clear()
	muxtest.MustRun(t, s, "setw", "-t", "v:1", "monitor-bell", "off")
	ring(3)
	if got := flags(); got != "0*\n1-\n" {
		t.Errorf("flags with monitor-bell off = %q, want no !", got)
	}
}

// TestOptionErrors: bad option names and values are refused with tmux's
// words, and show-options shows what is set.
func TestOptionErrors(t *testing.T) {
	s := muxtest.NewServer(t)
	muxtest.MustRun(t, s, "new-session", "-d", "-s", "o", "-x", "80", "-y", "24")
	for _, tc := range []struct {
		argv []string
		want string
	}{
		{[]string{"setw", "monitor-activity", "maybe"}, "bad value: maybe"},
		{[]string{"set", "-g", "bell-action", "loud"}, "unknown value: loud"},
		{[]string{"set", "visual-activity", "sometimes"}, "unknown value: sometimes"},
		{[]string{"set", "display-time", "-1"}, "value is too small: -1"},
		{[]string{"set", "display-time", "soon"}, "value is invalid: soon"},
		{[]string{"setw", "monitor-silence", "99999999999999"}, "value is too large: 99999999999999"},
		{[]string{"set", "-g", "monitor-content", "x"}, "invalid option: monitor-content"},
		{[]string{"show-options", "-g", "nosuch"}, "invalid option: nosuch"},
		{[]string{"display-message", "-d", "x", "hi"}, "delay invalid"},
		{[]string{"display-message", "-d", "-1", "hi"}, "delay too small"},
		{[]string{"display-message", "-c", "nobody", "hi"}, "can't find client: nobody"},
	} {
		if _, err := muxtest.Run(s, tc.argv...); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%q: error %v, want %q", tc.argv, err, tc.want)
		}
	}
	for _, tc := range []struct {
		argv []string
		want string
	}{
		{[]string{"show-options", "-g", "bell-action"}, "bell-action any\n"},
		{[]string{"showw", "-g", "monitor-bell"}, "monitor-bell on\n"},
		{[]string{"show-options", "-gv", "display-time"}, "750\n"},
		{[]string{"show-options", "-Aw", "-t", "o", "monitor-activity"}, "monitor-activity* off\n"},
		{[]string{"show-options", "-q", "-g", "nosuch"}, ""},
	} {
		if got := muxtest.MustRun(t, s, tc.argv...); got != tc.want {
			t.Errorf("%q = %q, want %q", tc.argv, got, tc.want)
		}
	}
	muxtest.MustRun(t, s, "setw", "-t", "o", "monitor-activity", "yes")
	if got := muxtest.MustRun(t, s, "showw", "-t", "o"); got != "monitor-activity on\n" {
		t.Errorf("showw after setw monitor-activity yes = %q", got)
	}
	// No value toggles a flag option, as tmux's.
	muxtest.MustRun(t, s, "setw", "-t", "o", "monitor-activity")
	if got := muxtest.MustRun(t, s, "showw", "-t", "o"); got != "monitor-activity off\n" {
		t.Errorf("showw after a toggle = %q, want off", got)
	}
	muxtest.MustRun(t, s, "set", "-g", "monitor-bell")
	if got := muxtest.MustRun(t, s, "showw", "-gv", "monitor-bell"); got != "off\n" {
		t.Errorf("global monitor-bell after a toggle = %q, want off", got)
	}
	// A choice swaps its first two values; a number wants one.
	muxtest.MustRun(t, s, "set", "-g", "visual-bell")
	if got := muxtest.MustRun(t, s, "show", "-gv", "visual-bell"); got != "on\n" {
		t.Errorf("visual-bell after a toggle = %q, want on", got)
	}
	if _, err := muxtest.Run(s, "set", "-g", "display-time"); err == nil || err.Error() != "empty value" {
		t.Errorf("set display-time with no value: %v, want empty value", err)
	}
}

// TestServerOptions: set-option -s takes tmux's server options, with or
// without -g and before any session exists (a configuration's first
// lines), show-options -s shows them, and an unknown one is refused by
// name.
func TestServerOptions(t *testing.T) {
	s := muxtest.NewServer(t)
	muxtest.MustRun(t, s, "set", "-sg", "escape-time", "0")
	muxtest.MustRun(t, s, "set-option", "-s", "focus-events", "on")
	muxtest.MustRun(t, s, "set", "-sg", "terminal-overrides", ",xterm*:Tc")
	for _, tc := range []struct {
		argv []string
		want string
	}{
		{[]string{"show", "-s", "escape-time"}, "escape-time 0\n"},
		{[]string{"show-options", "-sv", "focus-events"}, "on\n"},
		{[]string{"show", "-s"}, "default-terminal xterm-256color\nescape-time 0\nfocus-events on\n" +
			"message-limit 100\nterminal-overrides ,xterm*:Tc\n"},
	} {
		if got := muxtest.MustRun(t, s, tc.argv...); got != tc.want {
			t.Errorf("%q = %q, want %q", tc.argv, got, tc.want)
		}
	}
	muxtest.MustRun(t, s, "set", "-s", "-u", "escape-time")
	if got := muxtest.MustRun(t, s, "show", "-sv", "escape-time"); got != "10\n" {
		t.Errorf("escape-time after set -su = %q, want tmux's 10", got)
	}
	for _, argv := range [][]string{
		{"set", "-s", "nosuch", "1"},
		{"set", "-sg", "nosuch", "1"},
		{"show", "-s", "nosuch"},
	} {
		if _, err := muxtest.Run(s, argv...); err == nil || err.Error() != "invalid option: nosuch" {
			t.Errorf("%q: error %v, want invalid option: nosuch", argv, err)
		}
	}
	if _, err := muxtest.Run(s, "set", "-s", "escape-time", "soon"); err == nil || err.Error() != "value is invalid: soon" {
		t.Errorf("set -s escape-time soon: %v, want value is invalid: soon", err)
	}
}

// TestVisualActivity: with visual-activity on, activity in a monitored
// background window shows "Activity in window N" on the status line
// instead of ringing.
func TestVisualActivity(t *testing.T) {
	s := muxtest.NewServer(t)
	muxtest.MustRun(t, s, "new-session", "-d", "-s", "va", "-x", "80", "-y", "24")
	muxtest.MustRun(t, s, "new-window", "-d", "-t", "va:2")
	muxtest.WaitCapture(t, s, "va:2", "$") // its prompt: activity before monitoring
	muxtest.MustRun(t, s, "set", "-t", "va", "visual-activity", "on")
	muxtest.MustRun(t, s, "set", "-t", "va", "display-time", "10000") // long enough for a loaded machine
	muxtest.MustRun(t, s, "setw", "-t", "va:2", "monitor-activity", "on")
	c := muxtest.Attach(t, s, "va", 80, 24)
	defer c.Stop()
	c.WaitContains("2:")
	if got := muxtest.MustRun(t, s, "list-windows", "-t", "va", "-F", "#{window_flags}"); got != "*\n\n" {
		t.Fatalf("flags before any monitored output = %q", got)
	}
	scr, _ := c.Screen()
	before := scr.BellCount()
	muxtest.MustRun(t, s, "send-keys", "-t", "va:2", "sleep 0.3; echo out", "Enter")
	c.WaitText("the activity message", func(rows []string) bool {
		return strings.Contains(statusRow(rows), "Activity in window 2")
	})
	if scr, _ := c.Screen(); scr.BellCount() != before {
		t.Errorf("visual-activity on: the client's bell rang (%d → %d)", before, scr.BellCount())
	}
}

// TestDisplayMessageAll: display-message -a lists the format variables,
// among them the alert flags.
func TestDisplayMessageAll(t *testing.T) {
	s := muxtest.NewServer(t)
	muxtest.MustRun(t, s, "new-session", "-d", "-s", "all", "-x", "80", "-y", "24")
	out := muxtest.MustRun(t, s, "display-message", "-a", "-t", "all")
	for _, want := range []string{"session_name=all\n", "window_activity_flag=0\n", "window_bell_flag=0\n", "window_flags=*\n"} {
		if !strings.Contains(out, want) {
			t.Errorf("display-message -a lacks %q:\n%s", want, out)
		}
	}
}

// TestSilenceFlag: with monitor-silence 1, a background window that prints
// nothing for a second shows "~" in the status line and #{window_flags}
// and rings the client's bell (silence-action other); a window without it
// shows nothing, and selecting the window clears the flag.
func TestSilenceFlag(t *testing.T) {
	s := muxtest.NewServer(t)
	muxtest.MustRun(t, s, "new-session", "-d", "-s", "q", "-x", "80", "-y", "24")
	muxtest.MustRun(t, s, "new-window", "-d", "-t", "q:1")
	muxtest.MustRun(t, s, "new-window", "-d", "-t", "q:2")
	muxtest.WaitCapture(t, s, "q:1", "$")
	c := muxtest.Attach(t, s, "q", 80, 24)
	defer c.Stop()
	c.WaitContains("2:")
	flags := func() string {
		return muxtest.MustRun(t, s, "list-windows", "-t", "q", "-F", "#{window_index}#{window_flags}")
	}
	scr, _ := c.Screen()
	bells := scr.BellCount()
	muxtest.MustRun(t, s, "setw", "-t", "q:1", "monitor-silence", "1")
	defer muxtest.MustRun(t, s, "setw", "-t", "q:1", "monitor-silence", "0") // stops its timer
	c.WaitText("1:…~ in the status line", func(rows []string) bool {
		return regexp.MustCompile(`1:\S+~`).MatchString(statusRow(rows))
	})
	if got := flags(); got != "0*\n1~\n2\n" {
		t.Errorf("flags after a quiet second = %q, want 1~ only", got)
	}
	if got := muxtest.MustRun(t, s, "display-message", "-p", "-t", "q:1", "#{window_silence_flag}"); got != "1\n" {
		t.Errorf("window_silence_flag = %q, want 1", got)
	}
	if scr, _ := c.Screen(); scr.BellCount() <= bells {
		t.Errorf("client bell count %d, want more than %d (silence-action other)", scr.BellCount(), bells)
	}
	muxtest.MustRun(t, s, "select-window", "-t", "q:1")
	muxtest.MustRun(t, s, "select-window", "-t", "q:0")
	if got := flags(); got != "0*\n1-\n2\n" {
		t.Errorf("flags after selecting it = %q, want the silence cleared", got)
	}
	if _, err := muxtest.Run(s, "setw", "monitor-silence", "-5"); err == nil || err.Error() != "value is too small: -5" {
		t.Errorf("monitor-silence -5: %v", err)
	}
}
