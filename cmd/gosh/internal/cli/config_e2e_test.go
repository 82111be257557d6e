//go:build e2e

package cli_test

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/goshterm/gosh/cmd/gosh/internal/testenv"
)

// TestDaemonReadsConfigFile: the daemon the gosh command starts runs
// $XDG_CONFIG_HOME/gosh/gosh.conf; a bad line is in the message log as
// file:line and the rest applies; source-file from the command line
// fails with the same message.
func TestDaemonReadsConfigFile(t *testing.T) {
	xdg := t.TempDir()
	conf := filepath.Join(xdg, "gosh", "gosh.conf")
	writeConfig(t, conf, "bind -n F5 new-window\nfoo\nset -g prefix C-a\n")
	t.Setenv("XDG_CONFIG_HOME", xdg)
	g := newGoshEnv(t)
	g.must("-L", "cf", "new-session", "-d", "-s", "x")
	if out := g.must("-L", "cf", "list-keys", "-T", "root"); !strings.Contains(out, "-T root       F5                   new-window\n") {
		t.Errorf("list-keys -T root: %q", out)
	}
	if out := g.must("-L", "cf", "show-options", "-gv", "prefix"); out != "C-a\n" {
		t.Errorf("prefix: %q", out)
	}
	want := conf + ":2: unknown command: foo"
	if out := g.must("-L", "cf", "show-messages"); !strings.Contains(out, want) {
		t.Errorf("show-messages lacks %q:\n%s", want, out)
	}
	if _, errs, code := g.run("-L", "cf", "source-file", conf); code != 1 || errs != "gosh: "+want+"\n" {
		t.Errorf("source-file: exit %d, %q; want 1, %q", code, errs, "gosh: "+want)
	}
}

// TestConfiguredKeysInARealTerminal: gosh alone in a terminal (an outer
// tmux pane), with a configuration that changes the prefix and binds
// root keys. The keys go the whole way (tcell, the hosted client, the
// daemon's input): C-y and F5 act without a prefix, C-a c makes a window,
// C-b reaches the shell (cat shows it as ^B), and prefix c, unbound,
// does nothing.
func TestConfiguredKeysInARealTerminal(t *testing.T) {
	xdg := t.TempDir()
	writeConfig(t, filepath.Join(xdg, "gosh", "gosh.conf"),
		"set -g prefix C-a\nbind -n C-y new-window -n why\nbind -n F5 new-window -n fkey\nbind x new-window -n ex\n")
	t.Setenv("XDG_CONFIG_HOME", xdg)
	g := newGoshEnv(t)
	x := testenv.NewTmux(t)
	x.NewSession(g.paneEnv("XDG_CONFIG_HOME="+xdg), 80, 24, "/bin/sh")
	x.WaitFor("$")
	x.Type(testenv.ShellQuote(g.bin) + "\n")
	x.WaitUntil("the gosh status line", statusRow)

	x.Type("cat\n")
	x.SendKeys("C-b")
	x.Type("b\n")
	x.WaitFor("^Bb")
	x.SendKeys("C-d")
	x.SendKeys("C-y")
	x.WaitFor("1:why*")
	x.SendKeys("F5")
	x.WaitFor("2:fkey*")
	x.SendKeys("C-a", "x")
	x.WaitFor("3:ex*")
	g.must("unbind-key", "x")
	x.SendKeys("C-a", "x", "C-a", "c")
	x.WaitFor("4:sh*")
	if out := g.must("list-windows", "-F", "#{window_name}"); strings.Count(out, "ex\n") != 1 {
		t.Errorf("prefix x acted after unbind-key x:\n%s", out)
	}
}
