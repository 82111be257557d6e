//go:build e2e

package cli_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// writeConfig writes text to path, making its directory.
func writeConfig(t *testing.T, path, text string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
}

// rootKeys is list-keys -T root of the server on socket name.
func (g *goshEnv) rootKeys(name string) string {
	g.t.Helper()
	return g.must("-L", name, "list-keys", "-T", "root")
}

// TestConfigFlag: gosh -f FILE, as tmux -f: the server the command starts
// runs FILE (relative to the command's directory) instead of
// $XDG_CONFIG_HOME/gosh/gosh.conf; -f /dev/null runs none; a file that
// cannot be read is an error naming it, and no server starts; a server
// that runs already keeps its configuration.
func TestConfigFlag(t *testing.T) {
	xdg := t.TempDir()
	writeConfig(t, filepath.Join(xdg, "gosh", "gosh.conf"), "bind -n F5 new-window\n")
	t.Setenv("XDG_CONFIG_HOME", xdg)
	alt := filepath.Join(t.TempDir(), "alt.conf")
	writeConfig(t, alt, "bind -n F6 new-window\n")
	g := newGoshEnv(t)

	g.must("-L", "alt", "-f", alt, "new-session", "-d", "-s", "x")
	if out := g.rootKeys("alt"); !strings.Contains(out, " F6 ") || strings.Contains(out, " F5 ") {
		t.Errorf("-f %s: list-keys -T root wants F6 and not F5:\n%s", alt, out)
	}
	// The server runs: -f on a later command changes nothing.
	g.must("-L", "alt", "-f", os.DevNull, "new-session", "-d", "-s", "y")
	if out := g.rootKeys("alt"); !strings.Contains(out, " F6 ") {
		t.Errorf("a later -f %s undid the server's configuration:\n%s", os.DevNull, out)
	}

	g.must("-L", "none", "-f", os.DevNull, "new-session", "-d", "-s", "x")
	if out := g.rootKeys("none"); out != "" {
		t.Errorf("-f %s: list-keys -T root: %q, want nothing", os.DevNull, out)
	}

	g.must("-L", "dflt", "new-session", "-d", "-s", "x")
	if out := g.rootKeys("dflt"); !strings.Contains(out, " F5 ") {
		t.Errorf("without -f: list-keys -T root lacks gosh.conf's F5:\n%s", out)
	}

	// A relative path is the caller's: the daemon runs in /.
	g.cwd = filepath.Dir(alt)
	g.must("-L", "rel", "-f", filepath.Base(alt), "new-session", "-d", "-s", "x")
	g.cwd = ""
	if out := g.rootKeys("rel"); !strings.Contains(out, " F6 ") {
		t.Errorf("-f %s from %s: list-keys -T root lacks F6:\n%s", filepath.Base(alt), filepath.Dir(alt), out)
	}

	missing := filepath.Join(t.TempDir(), "nope.conf")
	_, errs, code := g.run("-L", "bad", "-f", missing, "new-session", "-d")
	if want := "gosh: configuration file " + missing + ": no such file or directory\n"; code != 1 || errs != want {
		t.Errorf("-f missing file: exit %d, %q; want 1, %q", code, errs, want)
	}
	if _, errs, code := g.run("-L", "bad", "list-sessions"); code != 1 || !strings.Contains(errs, "no server running") {
		t.Errorf("after -f missing file, a server runs: exit %d, %q", code, errs)
	}
}

// TestTestsReadNoUserConfig: testenv.Main gives the tests' gosh commands
// a configuration directory of their own, so a developer's gosh.conf
// (here one in $HOME/.config, where gosh looks without XDG_CONFIG_HOME)
// binds nothing in a test's daemon.
func TestTestsReadNoUserConfig(t *testing.T) {
	g := newGoshEnv(t) // builds gosh first: Go's cache is under $HOME
	home := t.TempDir()
	writeConfig(t, filepath.Join(home, ".config", "gosh", "gosh.conf"), "bind -n F5 new-window\n")
	t.Setenv("HOME", home)
	g.must("-L", "home", "new-session", "-d", "-s", "x")
	if out := g.rootKeys("home"); out != "" {
		t.Errorf("the daemon read $HOME/.config/gosh/gosh.conf: list-keys -T root:\n%s", out)
	}
}
