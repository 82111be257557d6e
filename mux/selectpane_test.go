package mux_test

import (
	"strings"
	"testing"

	"github.com/goshterm/gosh/mux/muxtest"
)

// TestSelectPaneDirectionPrefersRecent: with two panes to the right of
// pane 0, select-pane -R goes back to the one the user came from, as
// tmux 3.3a's window_pane_choose_best (most recent active_point) does —
// not always to the one beside the middle of the edge.
func TestSelectPaneDirectionPrefersRecent(t *testing.T) {
	s := muxtest.NewServer(t)
	muxtest.MustRun(t, s, "new-session", "-d", "-s", "w", "-x", "81", "-y", "24")
	muxtest.MustRun(t, s, "split-window", "-h", "-t", "w")
	muxtest.MustRun(t, s, "split-window", "-v", "-t", "w:0.1") // 2 below 1, active
	for _, c := range []struct{ from, want string }{
		{"w:0.2", "2"}, // came from the bottom right: back there
		{"w:0.1", "1"}, // came from the top right: back there
	} {
		muxtest.MustRun(t, s, "select-pane", "-t", c.from)
		muxtest.MustRun(t, s, "select-pane", "-t", "w:0.0")
		muxtest.MustRun(t, s, "select-pane", "-R", "-t", "w:0.0")
		if got := display(t, s, "w", "#{pane_index}"); got != c.want {
			t.Errorf("from %s via pane 0, select-pane -R chose pane %s, want %s (tmux: the most recent)", c.from, got, c.want)
		}
	}
	// panes never active (split -d): the one beside the middle of the edge
	muxtest.MustRun(t, s, "new-window", "-t", "w")
	muxtest.MustRun(t, s, "split-window", "-h", "-d", "-t", "w:1")
	muxtest.MustRun(t, s, "split-window", "-v", "-d", "-t", "w:1.1")
	muxtest.MustRun(t, s, "select-pane", "-R", "-t", "w:1.0")
	if got := display(t, s, "w:1", "#{pane_index}"); got != "1" {
		t.Errorf("select-pane -R towards panes never active chose %s, want 1", got)
	}
}

// TestResizePaneAbsoluteOnLastPane: resize-pane -x/-y makes the pane that
// size even when it is the last of its split, whose movable border is the
// one before it (tmux's layout_resize_pane_to). gosh moved that border the
// wrong way: -x 20 on a 24-wide right pane made it 28.
func TestResizePaneAbsoluteOnLastPane(t *testing.T) {
	s := muxtest.NewServer(t)
	muxtest.MustRun(t, s, "new-session", "-d", "-s", "w", "-x", "80", "-y", "24")
	muxtest.MustRun(t, s, "split-window", "-h", "-p", "30", "-t", "w")
	muxtest.MustRun(t, s, "split-window", "-v", "-t", "w:0.1")
	for _, c := range []struct{ args, want string }{
		// as tmux 3.3a after the same commands
		{"-t w:0.1 -x 20", "59x24 20x12 20x11"},
		{"-t w:0.2 -y 4", "59x24 20x19 20x4"},
		{"-t w:0.0 -x 30", "30x24 49x19 49x4"},
		{"-t w:0.1 -y 10", "30x24 49x10 49x13"},
	} {
		muxtest.MustRun(t, s, append([]string{"resize-pane"}, strings.Fields(c.args)...)...)
		got := strings.Join(strings.Fields(muxtest.MustRun(t, s, "list-panes", "-t", "w", "-F", "#{pane_width}x#{pane_height}")), " ")
		if got != c.want {
			t.Errorf("resize-pane %s: panes %s, want %s", c.args, got, c.want)
		}
	}
}

// TestSplitWindowFull: split-window -f splits the whole window, so the new
// pane spans its full height (-h) or width (-v), as tmux's SPAWN_FULLSIZE.
// gosh accepted -f and split the target pane only.
func TestSplitWindowFull(t *testing.T) {
	s := muxtest.NewServer(t)
	muxtest.MustRun(t, s, "new-session", "-d", "-s", "f", "-x", "80", "-y", "24")
	muxtest.MustRun(t, s, "split-window", "-v", "-t", "f:")
	for _, c := range []struct{ args, want string }{
		// tmux 3.3a's #{window_layout} after the same commands
		{"-f -h", "0f05,80x24,0,0{40x24,0,0[40x12,0,0,0,40x11,0,13,1],39x24,41,0,2}"},
		{"-f -v -l 5", "71a3,80x24,0,0[80x18,0,0{40x18,0,0[40x9,0,0,0,40x8,0,10,1],39x18,41,0,2},80x5,0,19,3]"},
	} {
		muxtest.MustRun(t, s, append([]string{"split-window", "-t", "f:"}, strings.Fields(c.args)...)...)
		if got := display(t, s, "f", "#{window_layout}"); got != c.want {
			t.Errorf("split-window %s: layout %s, want %s", c.args, got, c.want)
		}
	}
}

// TestSelectPaneTitle: select-pane -T sets the pane's title (a format),
// which #{pane_title} and the status line show, without selecting the
// pane, as tmux. gosh refused the flag.
func TestSelectPaneTitle(t *testing.T) {
	s := muxtest.NewServer(t)
	muxtest.MustRun(t, s, "new-session", "-d", "-s", "w", "-x", "80", "-y", "24")
	muxtest.MustRun(t, s, "split-window", "-t", "w")
	muxtest.MustRun(t, s, "select-pane", "-t", "w:0.0", "-T", "logs of #S")
	if got := display(t, s, "w:0.0", "#{pane_title} #{pane_active}"); got != "logs of w 0" {
		t.Errorf("after select-pane -T: %q, want the title and pane 0 still inactive", got)
	}
	c := muxtest.Attach(t, s, "w", 80, 24)
	muxtest.MustRun(t, s, "select-pane", "-t", "w:0.1", "-T", "build")
	c.WaitContains(`"build"`)
}

// TestSelectPaneUnzooms: selecting another pane of a zoomed window
// unzooms it (with -Z the new pane is zoomed instead), as tmux 3.3a. gosh
// left the window zoomed on the old pane, so after prefix Left the user
// typed into a pane the zoom hid.
func TestSelectPaneUnzooms(t *testing.T) {
	s := muxtest.NewServer(t)
	muxtest.MustRun(t, s, "new-session", "-d", "-s", "z", "-x", "80", "-y", "24")
	muxtest.MustRun(t, s, "split-window", "-h", "-t", "z")
	c := muxtest.Attach(t, s, "z", 80, 24)
	muxtest.MustRun(t, s, "resize-pane", "-Z", "-t", "z:0.1")
	c.Type("\x02\x1b[D") // prefix Left
	muxtest.Eventually(t, "the left pane active", func() bool { return display(t, s, "z", "#{pane_index}") == "0" })
	if got := display(t, s, "z", "#{window_zoomed_flag}"); got != "0" {
		t.Errorf("zoomed flag %s after prefix Left, want 0 (unzoomed)", got)
	}
	c.Type("echo now-visible\r")
	c.WaitContains("now-visible")

	muxtest.MustRun(t, s, "resize-pane", "-Z", "-t", "z:0.0")
	muxtest.MustRun(t, s, "select-pane", "-Z", "-R", "-t", "z:0.0")
	if got := display(t, s, "z", "#{window_zoomed_flag} #{pane_index} #{pane_width}"); got != "1 1 80" {
		t.Errorf("select-pane -Z -R: %q, want the right pane zoomed", got)
	}
}

// TestSwapPaneFocus: swap-pane in one window leaves the -t pane active, or
// with -d the -s pane, as tmux 3.3a (each want is tmux's list-panes after
// the same commands); gosh never moved the focus.
func TestSwapPaneFocus(t *testing.T) {
	s := muxtest.NewServer(t)
	muxtest.MustRun(t, s, "new-session", "-d", "-s", "s", "-x", "80", "-y", "30")
	muxtest.MustRun(t, s, "split-window", "-t", "s:")
	muxtest.MustRun(t, s, "split-window", "-t", "s:")
	list := func() string {
		return strings.Join(strings.Fields(muxtest.MustRun(t, s, "list-panes", "-t", "s", "-F", "#{pane_id}#{?pane_active,*,}")), " ")
	}
	for _, c := range []struct{ sel, swap, want string }{
		{"s:0.0", "-s s:0.0 -t s:0.2", "%2* %1 %0"},
		{"s:0.1", "-s s:0.0 -t s:0.2", "%0* %1 %2"},
		{"s:0.0", "-d -s s:0.0 -t s:0.2", "%2 %1 %0*"},
		{"s:0.2", "-s s:0.0 -t s:0.2", "%0* %1 %2"},
		{"s:0.2", "-d -s s:0.0 -t s:0.2", "%2 %1 %0*"},
		{"s:0.1", "-D -t s:0.1", "%2 %0 %1*"},
		{"s:0.1", "-d -U -t s:0.1", "%0 %2* %1"},
	} {
		muxtest.MustRun(t, s, "select-pane", "-t", c.sel)
		muxtest.MustRun(t, s, append([]string{"swap-pane"}, strings.Fields(c.swap)...)...)
		if got := list(); got != c.want {
			t.Errorf("select %s, swap-pane %s: %s, want %s", c.sel, c.swap, got, c.want)
		}
	}
}

// TestChooseTreeZooms: prefix w (choose-tree -Zw) zooms the pane the list
// is drawn over while it is open and unzooms when it closes, as tmux; gosh
// ignored -Z and squeezed the list into a split pane.
func TestChooseTreeZooms(t *testing.T) {
	s := muxtest.NewServer(t)
	muxtest.MustRun(t, s, "new-session", "-d", "-s", "z", "-x", "80", "-y", "24")
	muxtest.MustRun(t, s, "split-window", "-t", "z")
	c := muxtest.Attach(t, s, "z", 80, 24)
	c.Type("\x02w")
	c.WaitContains("(0) ")
	if got := display(t, s, "z", "#{window_zoomed_flag} #{pane_height}"); got != "1 23" {
		t.Errorf("with choose-tree -Zw open: %q, want the pane zoomed to 23 rows", got)
	}
	c.Type("q")
	muxtest.Eventually(t, "the zoom undone", func() bool { return display(t, s, "z", "#{window_zoomed_flag}") == "0" })
	// an already zoomed window stays zoomed after the chooser
	muxtest.MustRun(t, s, "resize-pane", "-Z", "-t", "z")
	c.Type("\x02w")
	c.WaitContains("(0) ")
	c.Type("q")
	c.WaitText("the chooser closed", func(rows []string) bool { return !has(rows, "(0) ") })
	if got := display(t, s, "z", "#{window_zoomed_flag}"); got != "1" {
		t.Errorf("a window the user zoomed: zoomed flag %s after the chooser, want 1", got)
	}
}
