package mux_test

import (
	"os"
	"os/user"
	"path/filepath"
	"slices"
	"strconv"
	"testing"

	"github.com/goshterm/gosh/mux"
	"github.com/goshterm/gosh/mux/muxtest"
)

// TestListWindowsDefaultFormat: list-windows prints tmux 3.3a's default
// line, layout included, so scripts that parse it (or paste the layout
// into select-layout) work on gosh too.
func TestListWindowsDefaultFormat(t *testing.T) {
	s := muxtest.NewServer(t)
	muxtest.MustRun(t, s, "new-session", "-d", "-s", "w", "-x", "100", "-y", "30")
	muxtest.MustRun(t, s, "split-window", "-h", "-t", "w")
	got := muxtest.MustRun(t, s, "list-windows", "-t", "w")
	// tmux 3.3a, same commands: the layout string is checked against it
	// elsewhere (#{window_layout}); here the line around it.
	want := "0: sh* (2 panes) [100x30] [layout 6b8b,100x30,0,0{50x30,0,0,0,49x30,51,0,1}] @0 (active)\n"
	if got != want {
		t.Errorf("list-windows:\n%q\nwant (tmux 3.3a):\n%q", got, want)
	}
}

// TestDisplayFormatModifiers: the format modifiers status lines and
// scripts use most (#{b:pane_current_path}, #{s/…/…/:…}, #{e|…}, #{m:…})
// expand in display-message instead of to nothing.
func TestDisplayFormatModifiers(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "project")
	if err := os.Mkdir(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	s := muxtest.NewServer(t)
	muxtest.MustRun(t, s, "new-session", "-d", "-s", "work", "-c", dir, "-x", "80", "-y", "24")
	got := display(t, s, "work", "#{b:pane_current_path} #{s/o/0/:session_name} #{e|*:#{pane_width},2} #{?#{m:w*,#{session_name}},w,-}")
	if want := "project w0rk 160 w"; got != want {
		t.Errorf("display -p = %q, want %q (tmux 3.3a)", got, want)
	}
}

// TestModeKeysShownFromEditor: show-options names the copy-mode key table
// in use, which tmux sets at start-up from $VISUAL (else $EDITOR): vi when
// the editor's name has "vi" in it. gosh chose it the same way but showed
// nothing, so `show -gw mode-keys` couldn't tell the user which it was.
func TestModeKeysShownFromEditor(t *testing.T) {
	for _, c := range []struct {
		env  []string
		want string
	}{
		{nil, "mode-keys emacs\n"},
		{[]string{"EDITOR=/usr/bin/nvim"}, "mode-keys vi\n"},
		{[]string{"VISUAL=emacs", "EDITOR=vim"}, "mode-keys emacs\n"}, // VISUAL wins
		{[]string{"EDITOR=/opt/vi-tools/nano"}, "mode-keys emacs\n"},  // the base name counts
	} {
		s := mux.NewServer(mux.Config{Shell: "/bin/sh", Env: append(slices.Clip(muxtest.Env), c.env...)})
		t.Cleanup(func() { s.Close() })
		muxtest.MustRun(t, s, "new-session", "-d", "-s", "m")
		if got := muxtest.MustRun(t, s, "show-options", "-gw", "mode-keys"); got != c.want {
			t.Errorf("env %v: show-options -gw mode-keys = %q, want %q", c.env, got, c.want)
		}
		// and set-option on a window changes that window only, as tmux
		muxtest.MustRun(t, s, "new-window", "-t", "m")
		muxtest.MustRun(t, s, "set-option", "-w", "-t", "m:1", "mode-keys", "vi")
		if got := muxtest.MustRun(t, s, "show-options", "-wv", "-t", "m:1", "mode-keys"); got != "vi\n" {
			t.Errorf("show-options -wv -t m:1 mode-keys = %q after set-option -w, want vi", got)
		}
	}
}

// TestDisplayMoreVariables: variables tmux scripts and status lines use
// that gosh left empty, each compared with tmux 3.3a on the same session.
func TestDisplayMoreVariables(t *testing.T) {
	s := muxtest.NewServer(t)
	muxtest.MustRun(t, s, "new-session", "-d", "-s", "v", "-c", "/tmp")
	muxtest.MustRun(t, s, "new-window", "-t", "v:")
	muxtest.MustRun(t, s, "new-window", "-t", "v:")
	muxtest.MustRun(t, s, "split-window", "-t", "v:")
	const f = "#{pane_last} #{session_path} #{session_many_attached} #{active_window_index} #{last_window_index} #{window_start_flag}#{window_end_flag} #{window_raw_flags}"
	if got, want := display(t, s, "v:2", f), "0 /tmp 0 2 2 01 *"; got != want {
		t.Errorf("v:2: %q, want %q", got, want)
	}
	if got, want := display(t, s, "v:0", f), "0 /tmp 0 2 2 10 "; got != want {
		t.Errorf("v:0: %q, want %q", got, want)
	}
	if got := display(t, s, "v:2.0", "#{pane_last}"); got != "1" {
		t.Errorf("pane_last of the previous pane = %q, want 1", got)
	}
	if got := display(t, s, "v", "#{uid}"); got != strconv.Itoa(os.Getuid()) {
		t.Errorf("uid = %q", got)
	}
	if u, err := user.Current(); err == nil && display(t, s, "v", "#{user}") != u.Username {
		t.Errorf("user = %q, want %q", display(t, s, "v", "#{user}"), u.Username)
	}
}

// TestDisplayClientVariables: display-message from outside a client
// expands client_* for the client the session follows (tmux's best
// client): a script asking #{client_width} gets the terminal's width, not
// nothing.
func TestDisplayClientVariables(t *testing.T) {
	s := muxtest.NewServer(t)
	muxtest.MustRun(t, s, "new-session", "-d", "-s", "v")
	if got := display(t, s, "v", "[#{client_width}]"); got != "[]" {
		t.Errorf("no client: %q", got)
	}
	muxtest.Attach(t, s, "v", 60, 12)
	if got := display(t, s, "v", "#{client_width}x#{client_height} #{client_session} #{client_termname} #{client_readonly}"); got != "60x12 v xterm-256color 0" {
		t.Errorf("client variables: %q", got)
	}
}

// TestHistoryLimitIsThePanes: #{history_limit} is the pane's own limit,
// set when it started; changing history-limit affects new panes only, as
// in tmux (whose variable reads the pane's grid). gosh showed the option.
func TestHistoryLimitIsThePanes(t *testing.T) {
	s := muxtest.NewServer(t)
	muxtest.MustRun(t, s, "new-session", "-d", "-s", "h")
	muxtest.MustRun(t, s, "set-option", "-g", "history-limit", "50")
	muxtest.MustRun(t, s, "split-window", "-t", "h")
	if got := display(t, s, "h:0.0", "#{history_limit}") + " " + display(t, s, "h:0.1", "#{history_limit}"); got != "2000 50" {
		t.Errorf("history_limit of the old and new pane: %s, want 2000 50", got)
	}
}
