package cli

import (
	"bytes"
	"context"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/spf13/cobra"

	"github.com/goshterm/gosh/mux"
	"github.com/goshterm/gosh/mux/muxtest"
)

func TestTmuxCommandsRegisteredAndCompleted(t *testing.T) {
	var out, errb bytes.Buffer
	if code := Main(context.Background(), []string{"completion", "bash"}, nil, &out, &errb); code != 0 {
		t.Fatalf("completion bash: exit %d: %s", code, errb.String())
	}
	if !strings.Contains(out.String(), "__start_gosh") {
		t.Errorf("bash completion script looks wrong:\n%.300s", out.String())
	}
	// The script asks the binary for candidates.
	out.Reset()
	if code := Main(context.Background(), []string{"__complete", "s"}, nil, &out, &errb); code != 0 {
		t.Fatalf("__complete: exit %d", code)
	}
	for _, name := range []string{"split-window", "send-keys", "select-pane", "server"} {
		if !strings.Contains(out.String(), name+"\t") {
			t.Errorf("completing s lacks %s:\n%s", name, out.String())
		}
	}
}

func TestTmuxCommandWithoutServer(t *testing.T) {
	dir := t.TempDir() + "/sockets"
	t.Setenv("GOSH_SOCKET_DIR", dir)
	t.Setenv("GOSH", "")
	var out, errb bytes.Buffer
	code := Main(context.Background(), []string{"-L", "none", "list-sessions"}, nil, &out, &errb)
	if code != 1 || errb.String() != "gosh: no server running on "+dir+"/none\n" {
		t.Errorf("ls with no server: exit %d, stderr %q", code, errb.String())
	}
}

// complete runs `gosh __complete args…` and returns the candidates (the
// lines before cobra's ":directive" line) and the directive.
func complete(t *testing.T, args ...string) ([]string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	if code := Main(context.Background(), append([]string{"__complete"}, args...), nil, &out, &errb); code != 0 {
		t.Fatalf("__complete %q: exit %d: %s", args, code, errb.String())
	}
	lines := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
	var names []string
	for _, l := range lines[:len(lines)-1] {
		name, _, _ := strings.Cut(l, "\t")
		names = append(names, name)
	}
	return names, lines[len(lines)-1]
}

// directive renders a cobra directive as __complete prints it.
func directive(d cobra.ShellCompDirective) string { return ":" + strconv.Itoa(int(d)) }

func TestTmuxCompletionWithoutServer(t *testing.T) {
	t.Setenv("GOSH_SOCKET_DIR", t.TempDir()+"/sockets")
	t.Setenv("GOSH", "")
	// flag names come from the command table's usage line
	got, d := complete(t, "split-window", "-")
	for _, want := range []string{"-b", "-d", "-h", "-v", "-P", "-c", "-l", "-p", "-t", "-F"} {
		if !slices.Contains(got, want) {
			t.Errorf("split-window - lacks %s: %q", want, got)
		}
	}
	if d != directive(cobra.ShellCompDirectiveNoFileComp) {
		t.Errorf("flag completion directive %s", d)
	}
	// a flag given already is not offered again
	if got, _ := complete(t, "select-layout", "-t", "x", "-"); slices.Contains(got, "-t") {
		t.Errorf("select-layout -t x - offers -t again: %q", got)
	}
	// layout presets
	got, _ = complete(t, "select-layout", "")
	if !slices.Equal(got, []string{"even-horizontal", "even-vertical", "main-horizontal", "main-vertical", "tiled"}) {
		t.Errorf("select-layout presets = %q", got)
	}
	if got, _ := complete(t, "select-layout", "-t", "dev", "main-"); !slices.Equal(got, []string{"main-horizontal", "main-vertical"}) {
		t.Errorf("select-layout -t dev main- = %q", got)
	}
	// no daemon, no targets, and none is started
	if got, d := complete(t, "select-pane", "-t", ""); len(got) != 0 || d != directive(cobra.ShellCompDirectiveNoFileComp) {
		t.Errorf("select-pane -t '' with no server = %q %s", got, d)
	}
	// -c completes directories; layout apply completes YAML files
	if _, d := complete(t, "new-window", "-c", ""); d != directive(cobra.ShellCompDirectiveFilterDirs) {
		t.Errorf("new-window -c directive %s", d)
	}
	if got, d := complete(t, "layout", "apply", ""); !slices.Equal(got, []string{"yaml", "yml"}) || d != directive(cobra.ShellCompDirectiveFilterFileExt) {
		t.Errorf("layout apply '' = %q %s", got, d)
	}
}

func TestTmuxCompletionAsksTheServer(t *testing.T) {
	dir := t.TempDir() + "/sockets"
	t.Setenv("GOSH_SOCKET_DIR", dir)
	t.Setenv("GOSH", "")
	path, err := mux.SocketPath("", "")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	l, err := mux.Listen(path)
	if err != nil {
		t.Fatal(err)
	}
	s := mux.NewServer(mux.Config{Shell: "/bin/sh", Env: muxtest.Env, SocketPath: path})
	served := make(chan error, 1)
	go func() { served <- s.Serve(l) }()
	t.Cleanup(func() { l.Close(); s.Close(); <-served })
	muxtest.MustRun(t, s, "new-session", "-d", "-s", "dev")
	muxtest.MustRun(t, s, "split-window", "-t", "dev")
	muxtest.MustRun(t, s, "new-session", "-d", "-s", "ops")

	got, _ := complete(t, "select-pane", "-t", "")
	want := []string{"dev", "ops", "dev:0", "ops:0", "dev:0.0", "dev:0.1", "ops:0.0"}
	if !slices.Equal(got, want) {
		t.Errorf("select-pane -t '' = %q, want %q", got, want)
	}
	if got, _ := complete(t, "kill-session", "-t", "d"); !slices.Equal(got, []string{"dev"}) {
		t.Errorf("kill-session -t d = %q", got)
	}
	if got, _ := complete(t, "select-window", "-t", "dev"); !slices.Equal(got, []string{"dev", "dev:0"}) {
		t.Errorf("select-window -t dev = %q", got)
	}
	if got, _ := complete(t, "swap-pane", "-s", "dev:0."); !slices.Equal(got, []string{"dev:0.0", "dev:0.1"}) {
		t.Errorf("swap-pane -s dev:0. = %q", got)
	}
	// break-pane and move-window name windows by src-window and dst-window
	if got, _ := complete(t, "move-window", "-s", "o"); !slices.Equal(got, []string{"ops", "ops:0"}) {
		t.Errorf("move-window -s o = %q", got)
	}
	if got, _ := complete(t, "break-pane", "-t", "dev"); !slices.Equal(got, []string{"dev", "dev:0"}) {
		t.Errorf("break-pane -t dev = %q", got)
	}
	if got, _ := complete(t, "display-panes", "-"); !slices.Contains(got, "-t") || !slices.Contains(got, "-N") {
		t.Errorf("display-panes - = %q", got)
	}
	if got, _ := complete(t, "capture-pane", "-pt", "ops:"); !slices.Equal(got, []string{"ops:0", "ops:0.0"}) {
		t.Errorf("capture-pane -pt ops: = %q", got)
	}
	// a new session's name is not an existing one
	if got, _ := complete(t, "new-session", "-s", ""); len(got) != 0 {
		t.Errorf("new-session -s '' = %q", got)
	}
	if got, _ := complete(t, "detach-client", "-s", ""); !slices.Equal(got, []string{"dev", "ops"}) {
		t.Errorf("detach-client -s '' = %q", got)
	}
	if got, _ := complete(t, "layout", "save", "-t", ""); !slices.Equal(got, []string{"dev", "ops"}) {
		t.Errorf("layout save -t '' = %q", got)
	}
}

func TestTmuxHelpIsTheTableUsage(t *testing.T) {
	for _, args := range [][]string{{"help", "split-window"}, {"split-window", "--help"}, {"splitw", "--help"}} {
		var out, errb bytes.Buffer
		if code := Main(context.Background(), args, nil, &out, &errb); code != 0 {
			t.Errorf("gosh %q: exit %d: %s", args, code, errb.String())
			continue
		}
		if !strings.HasPrefix(out.String(), "usage: split-window [-bdhvP] [-c start-directory]") || strings.Contains(out.String(), "--help") {
			t.Errorf("gosh %q printed:\n%s", args, out.String())
		}
	}
}

func TestNoTerminalFailsLikeTmux(t *testing.T) {
	t.Setenv("GOSH_SOCKET_DIR", t.TempDir()+"/sockets")
	t.Setenv("GOSH", "")
	var out, errb bytes.Buffer
	code := Main(context.Background(), nil, strings.NewReader(""), &out, &errb)
	if code != 1 || errb.String() != "gosh: open terminal failed: not a terminal\n" || out.Len() != 0 {
		t.Errorf("gosh without a terminal: exit %d, stdout %q, stderr %q", code, out.String(), errb.String())
	}
}

// TestUnknownCommandWithFlags: `gosh foo-bar -t x` names the unknown
// command, as tmux does ("unknown command: foo-bar"), instead of
// complaining about -t, which the root took for one of its own flags.
func TestUnknownCommandWithFlags(t *testing.T) {
	for _, args := range [][]string{{"foo-bar", "-t", "x"}, {"-L", "none", "foo-bar", "-t", "x"}, {"foo-bar"}} {
		var out, errb strings.Builder
		code := Main(context.Background(), args, nil, &out, &errb)
		if code == 0 || !strings.Contains(errb.String(), `unknown command "foo-bar"`) {
			t.Errorf("gosh %v: exit %d, stderr %q; want an unknown command error", args, code, errb.String())
		}
	}
	var out, errb strings.Builder
	if code := Main(context.Background(), []string{"-Z", "list-sessions"}, nil, &out, &errb); code == 0 || !strings.Contains(errb.String(), "-Z") {
		t.Errorf("gosh -Z list-sessions: exit %d, stderr %q; want the flag named", code, errb.String())
	}
}
