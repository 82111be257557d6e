//go:build e2e

package cli_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestDaemonReadsConfigFile: the daemon the gosh command starts runs
// $XDG_CONFIG_HOME/gosh/gosh.conf; a bad line is in the message log as
// file:line and the rest applies; source-file from the command line
// fails with the same message.
func TestDaemonReadsConfigFile(t *testing.T) {
	xdg := t.TempDir()
	conf := filepath.Join(xdg, "gosh", "gosh.conf")
	if err := os.MkdirAll(filepath.Dir(conf), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(conf, []byte("bind -n F5 new-window\nfoo\nset -g prefix C-a\n"), 0o600); err != nil {
		t.Fatal(err)
	}
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
