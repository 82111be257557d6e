package mux_test

import (
	"strings"
	"testing"

	"github.com/goshterm/gosh/mux"
	"github.com/goshterm/gosh/mux/muxtest"
)

// The expected layouts and pane orders in this file were printed by tmux
// 3.3a running the same commands on an 80x24 window (tmux -L … -f
// /dev/null); pane ids match because both servers number panes from %0.

// threePanes makes session a: %0 on the left, %1 top right, %2 below it
// (active).
func threePanes(t *testing.T) *mux.Server {
	t.Helper()
	s := muxtest.NewServer(t)
	muxtest.MustRun(t, s, "new-session", "-d", "-s", "a", "-x", "80", "-y", "24")
	muxtest.MustRun(t, s, "split-window", "-h", "-t", "a")
	muxtest.MustRun(t, s, "split-window", "-v", "-t", "a")
	return s
}

func layoutOf(t *testing.T, s *mux.Server) string {
	t.Helper()
	return display(t, s, "a", "#{window_layout}")
}

func TestNextLayoutCyclesLikeTmux(t *testing.T) {
	s := threePanes(t)
	start := "d67e,80x24,0,0{40x24,0,0,0,39x24,41,0[39x12,41,0,1,39x11,41,13,2]}"
	muxtest.MustRun(t, s, "select-layout", "-t", "a") // no preset yet: nothing happens
	if got := layoutOf(t, s); got != start {
		t.Fatalf("start layout %s, want %s", got, start)
	}
	eh := "9bb2,80x24,0,0{26x24,0,0,0,26x24,27,0,1,26x24,54,0,2}"
	mv := "b0a5,80x24,0,0{78x24,0,0,0,1x24,79,0[1x11,79,0,1,1x12,79,12,2]}"
	tiled := "a7cf,80x24,0,0[80x11,0,0{39x11,0,0,0,40x11,40,0,1},80x12,0,12,2]"
	cycle := []string{eh,
		"e470,80x24,0,0[80x7,0,0,0,80x7,0,8,1,80x8,0,16,2]",
		"df9b,80x24,0,0[80x22,0,0,0,80x1,0,23{39x1,0,23,1,40x1,40,23,2}]",
		mv, tiled, eh}
	for i, want := range cycle {
		muxtest.MustRun(t, s, "next-layout", "-t", "a")
		if got := layoutOf(t, s); got != want {
			t.Errorf("next-layout #%d: %s, want %s", i+1, got, want)
		}
	}
	muxtest.MustRun(t, s, "previous-layout")
	muxtest.MustRun(t, s, "prevl")
	if got := layoutOf(t, s); got != mv {
		t.Errorf("previous-layout twice from even-horizontal: %s, want main-vertical %s", got, mv)
	}
	muxtest.MustRun(t, s, "select-layout", "-o")
	if got := layoutOf(t, s); got != tiled {
		t.Errorf("select-layout -o: %s, want the tiled layout before %s", got, tiled)
	}
	// With no name, select-layout applies the last preset again; -o does
	// not change which one that is.
	muxtest.MustRun(t, s, "resize-pane", "-t", "a:0.0", "-R", "5")
	muxtest.MustRun(t, s, "select-layout")
	if got := layoutOf(t, s); got != mv {
		t.Errorf("select-layout with no name: %s, want main-vertical again %s", got, mv)
	}
	muxtest.MustRun(t, s, "select-layout", "-n")
	if got := layoutOf(t, s); got != tiled {
		t.Errorf("select-layout -n: %s, want %s", got, tiled)
	}
	// A layout string, as #{window_layout} prints it; -o undoes it too.
	muxtest.MustRun(t, s, "select-layout", start)
	if got := layoutOf(t, s); got != start {
		t.Errorf("select-layout with a layout string: %s, want %s", got, start)
	}
	muxtest.MustRun(t, s, "select-layout", "-o")
	if got := layoutOf(t, s); got != tiled {
		t.Errorf("select-layout -o after a layout string: %s, want %s", got, tiled)
	}
	if _, err := muxtest.Run(s, "select-layout", "3c3d,60x20,0,0[60x10,0,0,0,60x9,0,11,1]"); err == nil || !strings.HasPrefix(err.Error(), "invalid layout: 3c3d") {
		t.Errorf("a layout with fewer cells than panes: %v", err)
	}
	// Undo fails once the panes changed.
	muxtest.MustRun(t, s, "split-window", "-t", "a")
	if _, err := muxtest.Run(s, "select-layout", "-o"); err == nil || !strings.HasPrefix(err.Error(), "invalid layout") {
		t.Errorf("select-layout -o after a split: %v", err)
	}
	for argv, want := range map[string]string{
		"next-layout -t nope":      "can't find window: nope",
		"next-layout -x":           "command next-layout: unknown flag -x",
		"previous-layout a":        "command previous-layout: too many arguments",
		"select-layout -t a bogus": "invalid layout: bogus",
	} {
		if _, err := muxtest.Run(s, strings.Fields(argv)...); err == nil || !strings.HasPrefix(err.Error(), want) {
			t.Errorf("%s: %v, want %q", argv, err, want)
		}
	}
}

func TestSelectLayoutSpreadMatchesTmux(t *testing.T) {
	s := muxtest.NewServer(t)
	muxtest.MustRun(t, s, "new-session", "-d", "-s", "a", "-x", "80", "-y", "24")
	muxtest.MustRun(t, s, "split-window", "-h", "-t", "a")
	muxtest.MustRun(t, s, "split-window", "-h", "-t", "a")
	muxtest.MustRun(t, s, "split-window", "-v", "-t", "a")
	muxtest.MustRun(t, s, "resize-pane", "-t", "a:0.0", "-R", "7")
	before := "8780,80x24,0,0{47x24,0,0,0,12x24,48,0,1,19x24,61,0[19x12,61,0,2,19x11,61,13,3]}"
	if got := layoutOf(t, s); got != before {
		t.Fatalf("layout before -E: %s, want %s", got, before)
	}
	muxtest.MustRun(t, s, "select-layout", "-E", "-t", "a:0.0")
	if got, want := layoutOf(t, s), "bfaa,80x24,0,0{26x24,0,0,0,26x24,27,0,1,26x24,54,0[26x12,54,0,2,26x11,54,13,3]}"; got != want {
		t.Errorf("select-layout -E -t 0: %s, want %s", got, want)
	}
	if got := display(t, s, "a:0.0", "#{pane_width}x#{pane_height}"); got != "26x24" {
		t.Errorf("pane 0 is %s after -E, want its pty resized to 26x24", got)
	}
	muxtest.MustRun(t, s, "select-layout", "-o")
	if got := layoutOf(t, s); got != before {
		t.Errorf("select-layout -o after -E: %s, want %s", got, before)
	}
}

func panesOf(t *testing.T, s *mux.Server) string {
	t.Helper()
	out := muxtest.MustRun(t, s, "list-panes", "-t", "a", "-F", "#{pane_id}#{?pane_active,*,} #{window_zoomed_flag}")
	return strings.ReplaceAll(strings.TrimSpace(out), "\n", ", ")
}

func TestRotateWindowLikeTmux(t *testing.T) {
	s := threePanes(t)
	muxtest.MustRun(t, s, "rotate-window", "-t", "a:0")
	if got, want := layoutOf(t, s), "577f,80x24,0,0{40x24,0,0,1,39x24,41,0[39x12,41,0,2,39x11,41,13,0]}"; got != want {
		t.Errorf("rotate-window: %s, want %s", got, want)
	}
	// The active cell stays active: the pane that moved into it is.
	if got, want := panesOf(t, s), "%1 0, %2 0, %0* 0"; got != want {
		t.Errorf("after rotate-window: %s, want %s", got, want)
	}
	muxtest.MustRun(t, s, "resize-pane", "-Z", "-t", "a:0.1")
	muxtest.MustRun(t, s, "rotatew", "-Z")
	if got, want := panesOf(t, s), "%2 1, %0* 1, %1 1"; got != want {
		t.Errorf("after rotate-window -Z on a zoomed window: %s, want %s", got, want)
	}
	muxtest.MustRun(t, s, "rotate-window", "-D")
	if got, want := panesOf(t, s), "%1 0, %2* 0, %0 0"; got != want {
		t.Errorf("after rotate-window -D: %s, want %s (unzoomed)", got, want)
	}
	// Each pane's pty follows its new cell.
	if got := display(t, s, "%1", "#{pane_width}x#{pane_height}"); got != "40x24" {
		t.Errorf("%%1 in the left cell is %s, want 40x24", got)
	}
	for argv, want := range map[string]string{
		"rotate-window -t nope": "can't find window: nope",
		"rotate-window -x":      "command rotate-window: unknown flag -x",
	} {
		if _, err := muxtest.Run(s, strings.Fields(argv)...); err == nil || !strings.HasPrefix(err.Error(), want) {
			t.Errorf("%s: %v, want %q", argv, err, want)
		}
	}
}

func windowsOf(t *testing.T, s *mux.Server) string {
	t.Helper()
	out := muxtest.MustRun(t, s, "list-windows", "-t", "a", "-F", "#{window_index}#{?window_active,*,}:#{window_panes}:#{pane_id}")
	return strings.ReplaceAll(strings.TrimSpace(out), "\n", " ")
}

func TestBreakPaneLikeTmux(t *testing.T) {
	s := threePanes(t)
	muxtest.MustRun(t, s, "new-window", "-t", "a")
	muxtest.MustRun(t, s, "select-window", "-t", "a:0")
	// The active pane %2 goes to the next free index and becomes current.
	if out := muxtest.MustRun(t, s, "break-pane", "-P"); out != "a:2.0\n" {
		t.Errorf("break-pane -P printed %q, want a:2.0", out)
	}
	if got, want := windowsOf(t, s), "0:2:%1 1:1:%3 2*:1:%2"; got != want {
		t.Errorf("after break-pane: %s, want %s", got, want)
	}
	if got := display(t, s, "%2", "#{pane_width}x#{pane_height}"); got != "80x24" {
		t.Errorf("the broken-out pane is %s, want the whole window 80x24", got)
	}
	if got := display(t, s, "a:0", "#{window_layout}"); !strings.HasSuffix(got, ",80x24,0,0{40x24,0,0,0,39x24,41,0,1}") {
		t.Errorf("the source window's layout %s, want the two panes left", got)
	}
	// -d keeps the current window; -n names the new one.
	if out := muxtest.MustRun(t, s, "break-pane", "-d", "-s", "a:0.0", "-n", "foo", "-P", "-F", "#{window_index} #{window_name} #{pane_id}"); out != "3 foo %0\n" {
		t.Errorf("break-pane -d -n foo printed %q", out)
	}
	if got, want := windowsOf(t, s), "0:1:%1 1:1:%3 2*:1:%2 3:1:%0"; got != want {
		t.Errorf("after break-pane -d: %s, want %s", got, want)
	}
	if _, err := muxtest.Run(s, "break-pane", "-t", "a:0"); err == nil || err.Error() != "index 0 in use" {
		t.Errorf("break-pane to a used index: %v", err)
	}
	// A pane alone in its window moves with its window (and its name).
	muxtest.MustRun(t, s, "break-pane", "-s", "a:3", "-t", "a:7")
	if got, want := windowsOf(t, s), "0:1:%1 1:1:%3 2:1:%2 7*:1:%0"; got != want {
		t.Errorf("after breaking a lone pane to 7: %s, want %s", got, want)
	}
	if got := display(t, s, "a:7", "#{window_name}"); got != "foo" {
		t.Errorf("the moved window is named %q, want foo", got)
	}
	// -a inserts after the target, moving the windows up to the next gap.
	muxtest.MustRun(t, s, "break-pane", "-a", "-s", "a:0.0", "-t", "a:0")
	if got, want := windowsOf(t, s), "1*:1:%1 2:1:%3 3:1:%2 7:1:%0"; got != want {
		t.Errorf("after break-pane -a -t 0: %s, want %s", got, want)
	}
	// Into another session: the lone pane's window leaves a.
	muxtest.MustRun(t, s, "new-session", "-d", "-s", "b")
	muxtest.MustRun(t, s, "break-pane", "-s", "a:7", "-t", "b:")
	if got := strings.TrimSpace(muxtest.MustRun(t, s, "list-windows", "-t", "b", "-F", "#{window_index}:#{pane_id}")); got != "0:%4\n1:%0" {
		t.Errorf("session b after breaking %%0 into it: %q", got)
	}
	if got, want := windowsOf(t, s), "1*:1:%1 2:1:%3 3:1:%2"; got != want {
		t.Errorf("session a after %%0 left: %s, want %s", got, want)
	}
	if _, err := muxtest.Run(s, "break-pane", "-s", "nope"); err == nil || err.Error() != "can't find pane: nope" {
		t.Errorf("break-pane -s nope: %v", err)
	}
}

func TestBreakPaneKeepsALoneSession(t *testing.T) {
	// One session, one window, one pane: the window moves to a new index
	// and the session (and so the server) lives on.
	s := muxtest.NewServer(t)
	muxtest.MustRun(t, s, "new-session", "-d", "-s", "a")
	muxtest.MustRun(t, s, "break-pane", "-t", "a:4")
	if got := windowsOf(t, s); got != "4*:1:%0" {
		t.Errorf("after break-pane of the only pane: %s", got)
	}
	select {
	case <-s.Done():
		t.Error("the server ended")
	default:
	}
}

func TestLastPaneAndLastWindow(t *testing.T) {
	s := threePanes(t)
	if _, err := muxtest.Run(s, "last-window", "-t", "a"); err == nil || err.Error() != "no last window" {
		t.Errorf("last-window with one window: %v", err)
	}
	muxtest.MustRun(t, s, "last-pane", "-t", "a")
	if got := display(t, s, "a", "#{pane_id}"); got != "%1" {
		t.Errorf("last-pane selected %s, want %%1 (active before %%2)", got)
	}
	muxtest.MustRun(t, s, "lastp")
	if got := display(t, s, "a", "#{pane_id}"); got != "%2" {
		t.Errorf("last-pane again selected %s, want %%2", got)
	}
	muxtest.MustRun(t, s, "resize-pane", "-Z", "-t", "a")
	muxtest.MustRun(t, s, "last-pane", "-Z")
	if got := display(t, s, "a", "#{pane_id} #{window_zoomed_flag}"); got != "%1 1" {
		t.Errorf("last-pane -Z in a zoomed window: %s, want %%1 zoomed", got)
	}
	muxtest.MustRun(t, s, "last-pane")
	if got := display(t, s, "a", "#{pane_id} #{window_zoomed_flag}"); got != "%2 0" {
		t.Errorf("last-pane in a zoomed window: %s, want %%2 unzoomed", got)
	}
	muxtest.MustRun(t, s, "new-window", "-t", "a")
	muxtest.MustRun(t, s, "last-window")
	if got := display(t, s, "a", "#{window_index}"); got != "0" {
		t.Errorf("last-window selected %s, want 0", got)
	}
	muxtest.MustRun(t, s, "last")
	if got := display(t, s, "a", "#{window_index}"); got != "1" {
		t.Errorf("last-window again selected %s, want 1", got)
	}
	if _, err := muxtest.Run(s, "last-pane", "-t", "a:1"); err == nil || err.Error() != "no last pane" {
		t.Errorf("last-pane in a one-pane window: %v", err)
	}
	if _, err := muxtest.Run(s, "next-window", "-a"); err == nil || err.Error() != "no next window" {
		t.Errorf("next-window -a with no alerts: %v", err)
	}
}

func TestMoveWindowLikeTmux(t *testing.T) {
	s := muxtest.NewServer(t)
	muxtest.MustRun(t, s, "new-session", "-d", "-s", "a")
	muxtest.MustRun(t, s, "new-window", "-t", "a")
	muxtest.MustRun(t, s, "new-window", "-t", "a")
	muxtest.MustRun(t, s, "new-session", "-d", "-s", "b")
	all := func() string {
		out := muxtest.MustRun(t, s, "list-windows", "-a", "-F", "#{session_name}:#{window_index}#{?window_active,*,} #{window_id}")
		return strings.ReplaceAll(strings.TrimSpace(out), "\n", " ")
	}
	if got, want := all(), "a:0 @0 a:1 @1 a:2* @2 b:0* @3"; got != want {
		t.Fatalf("start: %s, want %s", got, want)
	}
	// The same steps, and the same results, as tmux 3.3a.
	for _, step := range []struct{ argv, want string }{
		{"move-window -s a:0 -t a:5", "a:1 @1 a:2 @2 a:5* @0 b:0* @3"},
		{"move-window -s a:1", "a:2 @2 a:5* @0 b:0 @3 b:1* @1"}, // to the current session (b)
		{"move-window -d -s a:5 -t b:", "a:2* @2 b:0 @3 b:1* @1 b:2 @0"},
		{"move-window -r -t a", "a:0* @2 b:0 @3 b:1* @1 b:2 @0"},
		{"movew -s a:0 -t a:1 -k", "a:1* @2 b:0 @3 b:1* @1 b:2 @0"},
		{"move-window -k -s b:2 -t b:0", "a:1* @2 b:0* @0 b:1 @1"},
	} {
		muxtest.MustRun(t, s, strings.Fields(step.argv)...)
		if got := all(); got != step.want {
			t.Errorf("after %s: %s, want %s", step.argv, got, step.want)
		}
	}
	for argv, want := range map[string]string{
		"move-window -s b:0 -t b:1":  "index 1 in use",
		"move-window -s a:1 -t b:0":  "index 0 in use",
		"move-window -s a:7":         "can't find window: 7",
		"move-window -s a:1 -t zz:3": "can't find session: zz",
		"move-window -x":             "command move-window: unknown flag -x",
	} {
		if _, err := muxtest.Run(s, strings.Fields(argv)...); err == nil || err.Error() != want && !strings.HasPrefix(err.Error(), want) {
			t.Errorf("%s: %v, want %q", argv, err, want)
		}
	}
	// A session's only window moved out takes the session with it.
	muxtest.MustRun(t, s, "move-window", "-s", "a:1", "-t", "b:5")
	if _, err := muxtest.Run(s, "has-session", "-t", "a"); err == nil {
		t.Error("session a outlived its last window")
	}
	if got, want := all(), "b:0 @0 b:1 @1 b:5* @2"; got != want {
		t.Errorf("after moving a's last window: %s, want %s", got, want)
	}
}

func TestSwapWindow(t *testing.T) {
	s := muxtest.NewServer(t)
	muxtest.MustRun(t, s, "new-session", "-d", "-s", "a")
	muxtest.MustRun(t, s, "new-window", "-t", "a")
	muxtest.MustRun(t, s, "new-window", "-t", "a")
	muxtest.MustRun(t, s, "new-session", "-d", "-s", "b")
	all := func() string {
		out := muxtest.MustRun(t, s, "list-windows", "-a", "-F", "#{session_name}:#{window_index}#{?window_active,*,} #{window_id}")
		return strings.ReplaceAll(strings.TrimSpace(out), "\n", " ")
	}
	for _, step := range []struct{ argv, want string }{
		// as tmux 3.3a
		{"swap-window -s a:0 -t a:2", "a:0 @2 a:1 @1 a:2* @0 b:0* @3"},
		// -d: the current window stays current (tmux 3.3a selects a:0
		// instead, against its manual)
		{"swap-window -d -s a:1 -t a:0", "a:0 @1 a:1 @2 a:2* @0 b:0* @3"},
		// across sessions: each session's current window is its own
		{"swapw -s a:1 -t b:0", "a:0 @1 a:1 @3 a:2* @0 b:0* @2"},
		// new-window -a: after the current window, moving the next up
		{"new-window -a -t a:0", "a:0 @1 a:1* @4 a:2 @3 a:3 @0 b:0* @2"},
	} {
		muxtest.MustRun(t, s, strings.Fields(step.argv)...)
		if got := all(); got != step.want {
			t.Errorf("after %s: %s, want %s", step.argv, got, step.want)
		}
	}
	if got := display(t, s, "b:0", "#{window_width}x#{window_height}"); got != "80x24" {
		t.Errorf("the window moved into b is %s", got)
	}
}

// TestMarksJoinAndSwapAcrossWindows replays a tmux 3.3a session: each
// expected line is what it printed (W: the window is current, *: the
// pane is its window's active one).
func TestMarksJoinAndSwapAcrossWindows(t *testing.T) {
	s := muxtest.NewServer(t)
	all := func() string {
		out := muxtest.MustRun(t, s, "list-panes", "-a", "-F", "#{session_name}:#{window_index}.#{pane_index} #{pane_id} #{pane_width}x#{pane_height}#{?pane_active,*,}#{?window_active,W,}")
		return strings.ReplaceAll(strings.TrimSpace(out), "\n", " ")
	}
	muxtest.MustRun(t, s, "new-session", "-d", "-s", "a", "-x", "80", "-y", "24")
	muxtest.MustRun(t, s, "split-window", "-h", "-t", "a")
	muxtest.MustRun(t, s, "new-window", "-t", "a")
	if got, want := all(), "a:0.0 %0 40x24 a:0.1 %1 39x24* a:1.0 %2 80x24*W"; got != want {
		t.Fatalf("start: %s, want %s", got, want)
	}
	muxtest.MustRun(t, s, "select-pane", "-m", "-t", "a:0.1")
	if got := display(t, s, "a:0.1", "#{pane_marked}#{pane_marked_set}") + display(t, s, "a:1.0", "#{pane_marked}#{pane_marked_set}"); got != "1101" {
		t.Errorf("marked flags %s, want 11 on the marked pane and 01 elsewhere", got)
	}
	for _, step := range []struct{ argv, want string }{
		// join-pane takes the marked pane by default
		{"join-pane -t a:1", "a:0.0 %0 80x24* a:1.0 %2 80x12W a:1.1 %1 80x11*W"},
		{"join-pane -h -l 10 -s a:1.0 -t a:0.0", "a:0.0 %0 69x24W a:0.1 %2 10x24*W a:1.0 %1 80x24*"},
		{"swap-pane -s a:0.1 -t a:1.0", "a:0.0 %0 69x24W a:0.1 %1 10x24*W a:1.0 %2 80x24*"},
		{"select-pane -m -t a:1.0", "a:0.0 %0 69x24W a:0.1 %1 10x24*W a:1.0 %2 80x24*"},
		// swap-pane takes the marked pane by default, and clears the mark
		{"swap-pane -t a:0.0", "a:0.0 %2 69x24*W a:0.1 %1 10x24W a:1.0 %0 80x24*"},
		// joining a window's last pane closes the window
		{"join-pane -s a:1.0 -t a:0.0", "a:0.0 %2 69x12W a:0.1 %0 69x11*W a:0.2 %1 10x24W"},
	} {
		muxtest.MustRun(t, s, strings.Fields(step.argv)...)
		if got := all(); got != step.want {
			t.Errorf("after %s:\n got  %s\n want %s", step.argv, got, step.want)
		}
	}
	if got := display(t, s, "a:0.0", "#{pane_marked_set}"); got != "0" {
		t.Errorf("the mark survived being used: %s", got)
	}
	muxtest.MustRun(t, s, "select-pane", "-m", "-t", "a:0.0")
	muxtest.MustRun(t, s, "select-pane", "-M")
	if got := display(t, s, "a:0.0", "#{pane_marked_set}"); got != "0" {
		t.Errorf("select-pane -M left the mark")
	}
	for argv, want := range map[string]string{
		"join-pane -s a:0.0 -t a:0.0":      "source and target panes must be different",
		"join-pane -s a:0.9 -t a:0.0":      "can't find pane: 9",
		"join-pane -l 0 -s a:0.1 -t a:0.0": "size 0 invalid",
		"move-pane -x":                     "command move-pane: unknown flag -x",
	} {
		if _, err := muxtest.Run(s, strings.Fields(argv)...); err == nil || err.Error() != want && !strings.HasPrefix(err.Error(), want) {
			t.Errorf("%s: %v, want %q", argv, err, want)
		}
	}
}
