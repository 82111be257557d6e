package mux_test

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/goshterm/gosh/mux"
	"github.com/goshterm/gosh/mux/muxtest"
)

// windowCount counts the windows of session target.
func windowCount(t *testing.T, s *mux.Server, target string) int {
	t.Helper()
	return strings.Count(muxtest.MustRun(t, s, "list-windows", "-t", target), "\n")
}

// catSession starts session name of one window whose pane runs cat in a
// canonical-mode tty with ECHOCTL, so that a control key that reaches it
// is echoed as ^X; and attaches a client.
func catSession(t *testing.T, s *mux.Server, name string) *muxtest.Client {
	t.Helper()
	muxtest.MustRun(t, s, "new-session", "-d", "-s", name, "-x", "80", "-y", "23")
	muxtest.MustRun(t, s, "send-keys", "-t", name, "echo cat-ready; cat", "Enter")
	muxtest.WaitCapture(t, s, name+":0.0", "cat-ready\n")
	c := muxtest.Attach(t, s, name, 80, 24)
	c.WaitContains("[" + name + "]")
	return c
}

// TestBindRootKey: bind-key -n binds a key in the root table, which acts
// without the prefix: F5 (an escape sequence) and C-y (one byte, which
// typing's fast path must not send to the pane) make windows; the keys
// typed around C-y in the same read still reach the panes.
func TestBindRootKey(t *testing.T) {
	s := muxtest.NewServer(t)
	muxtest.MustRun(t, s, "bind-key", "-n", "F5", "new-window")
	muxtest.MustRun(t, s, "bind", "-n", "C-y", "new-window", "-n", "why")
	c := catSession(t, s, "rk")

	c.Type("\x1b[15~")
	muxtest.Eventually(t, "F5's window", func() bool { return windowCount(t, s, "rk") == 2 })
	muxtest.MustRun(t, s, "select-window", "-t", "rk:0")
	c.Type("echo one-\x19")
	muxtest.Eventually(t, "C-y's window", func() bool { return windowCount(t, s, "rk") == 3 })
	c.WaitContains("2:why*")
	c.Type("echo two\r")
	muxtest.WaitCapture(t, s, "rk:2", "two\n")
	c.Type("\r")
	// cat echoes "echo one-" as it came; a C-y that reached it would
	// show as ^Y.
	if out := muxtest.WaitCapture(t, s, "rk:0", "echo one-"); strings.Contains(out, "^Y") {
		t.Errorf("C-y reached the pane:\n%s", out)
	}

	out := muxtest.MustRun(t, s, "list-keys", "-T", "root")
	for _, want := range []string{"bind-key    -T root       F5                   new-window\n",
		"bind-key    -T root       C-y                  new-window -n why\n"} {
		if !strings.Contains(out, want) {
			t.Errorf("list-keys -T root lacks %q:\n%s", want, out)
		}
	}
	if all := muxtest.MustRun(t, s, "list-keys"); !strings.Contains(all, "-T prefix     C-b") || !strings.Contains(all, "-T root       F5") {
		t.Errorf("list-keys lacks a table:\n%s", all)
	}

	// unbind-key -n puts C-y back in the pane's hands.
	muxtest.MustRun(t, s, "unbind", "-n", "C-y")
	c.Type("\x19\r")
	muxtest.WaitCapture(t, s, "rk:2", "^Y")
	if n := windowCount(t, s, "rk"); n != 3 {
		t.Errorf("%d windows after unbinding C-y, want 3", n)
	}
}

// TestSetPrefix: after set -g prefix C-a, C-a c makes a window and C-b
// goes to the pane; C-a C-a sends C-a; prefix2 is a second prefix, and
// None turns it off; send-prefix sends the prefix in use.
func TestSetPrefix(t *testing.T) {
	s := muxtest.NewServer(t)
	c := catSession(t, s, "px")
	muxtest.MustRun(t, s, "set-option", "-g", "prefix", "C-a")

	c.Type("\x02b\r")
	muxtest.WaitCapture(t, s, "px:0", "^Bb\n")
	c.Type("\x01\x01\r")
	muxtest.WaitCapture(t, s, "px:0", "^A\n")
	muxtest.MustRun(t, s, "send-prefix", "-t", "px:0")
	c.Type("z\r")
	muxtest.WaitCapture(t, s, "px:0", "^Az\n")
	if n := windowCount(t, s, "px"); n != 1 {
		t.Fatalf("%d windows before C-a c", n)
	}
	c.Type("\x01c")
	muxtest.Eventually(t, "C-a c's window", func() bool { return windowCount(t, s, "px") == 2 })

	if got := muxtest.MustRun(t, s, "show-options", "-g", "prefix"); got != "prefix C-a\n" {
		t.Errorf("show-options -g prefix = %q", got)
	}
	if got := muxtest.MustRun(t, s, "list-keys", "-N", "c"); got != "C-a c Create a window\n" {
		t.Errorf("list-keys -N c = %q", got)
	}
	if _, err := muxtest.Run(s, "set", "-g", "prefix", "C-Nope"); err == nil || !strings.Contains(err.Error(), "bad key") {
		t.Errorf("set prefix to a bad key: %v", err)
	}

	muxtest.MustRun(t, s, "set", "-g", "prefix2", "F12")
	c.Type("\x1b[24~c")
	muxtest.Eventually(t, "prefix2 c's window", func() bool { return windowCount(t, s, "px") == 3 })
	muxtest.MustRun(t, s, "set", "-g", "prefix2", "None")
	c.Type("\x1b[24~c")
	c.Type("\x01c")
	muxtest.Eventually(t, "C-a c's window", func() bool { return windowCount(t, s, "px") == 4 })
	if n := windowCount(t, s, "px"); n != 4 {
		t.Errorf("%d windows: F12 c acted after prefix2 None", n)
	}
}

// TestListKeysKeyName: list-keys finds a key by any of its names, as
// bind-key takes them (^O is C-o, C-m is Enter), and names an unknown
// key or a key no binding has.
func TestListKeysKeyName(t *testing.T) {
	s := muxtest.NewServer(t)
	muxtest.MustRun(t, s, "bind", "-n", "C-m", "new-window")
	for key, want := range map[string]string{"^O": " C-o ", "C-m": " Enter "} {
		if out, err := muxtest.Run(s, "list-keys", key); err != nil || !strings.Contains(out, want) {
			t.Errorf("list-keys %s: %q, %v; want the %s binding", key, out, err, want)
		}
	}
	for key, want := range map[string]string{"C-Nope": "unknown key: C-Nope", "F11": "unknown key: F11"} {
		if _, err := muxtest.Run(s, "list-keys", key); err == nil || err.Error() != want {
			t.Errorf("list-keys %s: %v, want %q", key, err, want)
		}
	}
}

// TestUnbindKey: after unbind-key c, prefix c does nothing; unbind-key
// -a empties the prefix table, so that prefix % does nothing either; a
// key bound again works.
func TestUnbindKey(t *testing.T) {
	s := muxtest.NewServer(t)
	c := catSession(t, s, "ub")
	muxtest.MustRun(t, s, "unbind-key", "c")
	// prefix c, then prefix % (still bound) to know the keys were read.
	c.Type("\x02c\x02%")
	muxtest.Eventually(t, "prefix %'s pane", func() bool { return display(t, s, "ub", "#{window_panes}") == "2" })
	if n := windowCount(t, s, "ub"); n != 1 {
		t.Errorf("%d windows after prefix c with c unbound", n)
	}
	if out := muxtest.MustRun(t, s, "list-keys", "-T", "prefix"); regexp.MustCompile(`(?m) c +new-window$`).MatchString(out) {
		t.Errorf("list-keys still has c:\n%s", out)
	}

	muxtest.MustRun(t, s, "unbind", "-a")
	muxtest.MustRun(t, s, "bind", "-r", "N", "new-window")
	c.Type("\x02%\x02N")
	muxtest.Eventually(t, "prefix N's window", func() bool { return windowCount(t, s, "ub") == 2 })
	if got := display(t, s, "ub:0", "#{window_panes}"); got != "2" {
		t.Errorf("prefix %% split after unbind -a: %s panes", got)
	}
	if got := muxtest.MustRun(t, s, "list-keys"); got != "bind-key -r -T prefix     N                    new-window\n" {
		t.Errorf("list-keys after unbind -a and bind -r N: %q", got)
	}
	for argv, want := range map[string]string{
		"unbind -T nosuch c":      "table nosuch doesn't exist",
		"bind F13 new-window":     "unknown key: F13",
		"bind x no-such-command":  "unknown command: no-such-command",
		"bind x split-window -Q":  "command split-window: unknown flag -Q",
		"bind x":                  "no command",
		"bind -N note j":          "key j is not bound in table prefix",
		"switch-client -T nosuch": "no current client",
	} {
		if _, err := muxtest.Run(s, strings.Fields(argv)...); err == nil || !strings.HasPrefix(err.Error(), want) {
			t.Errorf("%s: %v, want %q", argv, err, want)
		}
	}
	if _, err := muxtest.Run(s, "unbind", "-q", "-T", "nosuch", "c"); err != nil {
		t.Errorf("unbind -q: %v", err)
	}
	// The root and prefix tables exist even empty, as tmux's.
	muxtest.MustRun(t, s, "unbind", "-a")
	for _, argv := range [][]string{{"unbind", "-a", "-n"}, {"unbind", "c"}, {"list-keys", "-T", "root"}, {"list-keys", "-T", "prefix"}} {
		if out, err := muxtest.Run(s, argv...); err != nil || out != "" {
			t.Errorf("%q with empty tables: %q, %v", argv, out, err)
		}
	}
}

// TestKeyTableAndSequence: bind-key -T makes a table of one's own that
// switch-client -T opens for the next key; a binding of several
// commands (\;) runs them in turn.
func TestKeyTableAndSequence(t *testing.T) {
	s := muxtest.NewServer(t)
	muxtest.MustRun(t, s, "bind", "-T", "mine", "w", "new-window", "-n", "from-mine")
	muxtest.MustRun(t, s, "bind", "-n", "C-t", "switch-client", "-T", "mine")
	muxtest.MustRun(t, s, "bind", "v", "split-window", "-h", ";", "select-pane", "-L")
	c := catSession(t, s, "kt")
	c.Type("\x14w")
	c.WaitContains("1:from-mine*")
	// The table lasts one key: w is typed again.
	c.Type("w")
	c.Type("\x02v")
	muxtest.Eventually(t, "prefix v's pane", func() bool { return display(t, s, "kt:1", "#{window_panes}") == "2" })
	muxtest.Eventually(t, "the left pane active", func() bool { return display(t, s, "kt:1", "#{pane_index}") == "0" })
	if n := windowCount(t, s, "kt"); n != 2 {
		t.Errorf("%d windows: the table outlived its key", n)
	}
	if out := muxtest.MustRun(t, s, "list-keys", "-T", "prefix", "v"); !strings.Contains(out, `split-window -h \; select-pane -L`) {
		t.Errorf("list-keys v = %q", out)
	}
	// From the command line, for a client by name; then the key.
	muxtest.MustRun(t, s, "switch-client", "-c", "client1", "-T", "mine")
	c.Type("w")
	c.WaitContains("2:from-mine*")
	if _, err := muxtest.Run(s, "switch-client", "-c", "client1", "-T", "nosuch"); err == nil || err.Error() != "table nosuch doesn't exist" {
		t.Errorf("switch-client -T nosuch: %v", err)
	}
}

// TestBindOneString: a binding given as one argument is a command line,
// as tmux reads it: bind V 'new-window -n one; split-window -h' runs two
// commands, and list-keys shows them as any other sequence.
func TestBindOneString(t *testing.T) {
	s := muxtest.NewServer(t)
	muxtest.MustRun(t, s, "bind", "V", "new-window -n one; split-window -h")
	c := catSession(t, s, "os")
	c.Type("\x02V")
	c.WaitContains("1:one*")
	muxtest.Eventually(t, "prefix V's second pane", func() bool { return display(t, s, "os:1", "#{window_panes}") == "2" })
	if out := muxtest.MustRun(t, s, "list-keys", "-T", "prefix", "V"); !strings.Contains(out, ` V                    new-window -n one \; split-window -h`) {
		t.Errorf("list-keys V = %q", out)
	}
	if _, err := muxtest.Run(s, "bind", "V", "new-window 'one"); err == nil || err.Error() != "unterminated quote" {
		t.Errorf("bind V with a bad command line: %v", err)
	}
}

// writeConfig writes a configuration file and returns its path.
func writeConfig(t *testing.T, text string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "gosh.conf")
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

const testConfig = `# a comment
bind -n F6 new-window -n six   # and one at the end
foo bar
set -g \
    display-time 1234
bind x split-window -h \; select-pane -L
set -g prefix C-a; bind 'C-a' send-prefix
`

// TestSourceFile: source-file runs every good line of a file (comments,
// continued lines, ; and \; as tmux reads them) and names the file and
// line of each bad one.
func TestSourceFile(t *testing.T) {
	s := muxtest.NewServer(t)
	path := writeConfig(t, testConfig)
	_, err := muxtest.Run(s, "source-file", path)
	if err == nil || err.Error() != path+":3: unknown command: foo" {
		t.Errorf("source-file: %v, want %s:3: unknown command: foo", err, path)
	}
	if got := muxtest.MustRun(t, s, "show", "-gv", "display-time"); got != "1234\n" {
		t.Errorf("display-time = %q, want the continued line's 1234", got)
	}
	out := muxtest.MustRun(t, s, "list-keys")
	for _, want := range []string{"-T root       F6                   new-window -n six\n",
		`-T prefix     x                    split-window -h \; select-pane -L` + "\n",
		"-T prefix     C-a                  send-prefix\n"} {
		if !strings.Contains(out, want) {
			t.Errorf("list-keys lacks %q:\n%s", want, out)
		}
	}
	if got := muxtest.MustRun(t, s, "show", "-gv", "prefix"); got != "C-a\n" {
		t.Errorf("prefix = %q", got)
	}
	for argv, want := range map[string]string{
		"source-file /nonexistent/gosh.conf":    "/nonexistent/gosh.conf: file does not exist",
		"source-file -q /nonexistent/gosh.conf": "",
		"source-file -n " + path:                path + ":3: unknown command: foo",
	} {
		_, err := muxtest.Run(s, strings.Fields(argv)...)
		if got := ""; err != nil {
			got = err.Error()
			if got != want {
				t.Errorf("%s: %q, want %q", argv, got, want)
			}
		} else if want != "" {
			t.Errorf("%s: no error, want %q", argv, want)
		}
	}
	// A file that sources itself stops, with an error.
	loop := writeConfig(t, "source-file "+filepath.Join(t.TempDir(), "x")+"\n")
	if err := os.WriteFile(loop, []byte("source-file "+loop+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := muxtest.Run(s, "source", loop); err == nil || !strings.Contains(err.Error(), "too many nested files") {
		t.Errorf("a file sourcing itself: %v", err)
	}
}

// TestConfigFileAtStart: the daemon runs its configuration file before
// it serves: the bindings are there for the first command, a bad line is
// in the message log as file:line, and the first client to attach sees
// it on its status line; F6 from the file works.
func TestConfigFileAtStart(t *testing.T) {
	path := writeConfig(t, testConfig)
	sock := filepath.Join(t.TempDir(), "s")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan error, 1)
	go func() {
		done <- mux.RunDaemon(ctx, mux.Config{SocketPath: sock, Shell: "/bin/sh", Env: muxtest.Env, ConfigFile: path})
	}()
	var r mux.Response
	muxtest.Eventually(t, "the daemon", func() bool {
		var err error
		r, err = mux.Do(ctx, sock, mux.Request{Argv: []string{"list-keys", "-T", "root"}})
		return err == nil
	})
	if r.Code != 0 || !strings.Contains(r.Stdout, "F6") {
		t.Errorf("list-keys -T root at start: %+v", r)
	}
	r, err := mux.Do(ctx, sock, mux.Request{Argv: []string{"show-messages"}})
	if err != nil || !strings.Contains(r.Stdout, path+":3: unknown command: foo") {
		t.Errorf("show-messages: %+v, %v", r, err)
	}
	if _, err := mux.Do(ctx, sock, mux.Request{Argv: []string{"kill-server"}}); err != nil {
		t.Error(err)
	}
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("RunDaemon: %v", err)
		}
	case <-time.After(muxtest.Deadline):
		t.Fatal("the daemon did not end")
	}

	// The same file in a server a client attaches to.
	s := muxtest.NewServer(t)
	if errs := s.SourceConfig(path); len(errs) != 1 {
		t.Errorf("SourceConfig: %v, want the one bad line", errs)
	}
	if errs := s.SourceConfig(filepath.Join(t.TempDir(), "none.conf")); errs != nil {
		t.Errorf("SourceConfig of a missing file: %v", errs)
	}
	muxtest.MustRun(t, s, "new-session", "-d", "-s", "cf", "-x", "160", "-y", "23")
	c := muxtest.Attach(t, s, "cf", 160, 24)
	c.WaitContains(":3: unknown command: foo")
	c.Type("\x1b[17~") // F6
	muxtest.Eventually(t, "F6's window", func() bool { return windowCount(t, s, "cf") == 2 })
	c.WaitContains("1:six*")
}

func TestDefaultConfigFile(t *testing.T) {
	t.Setenv("XDG_CONFIG_HOME", "/x/conf")
	if got := mux.DefaultConfigFile(); got != "/x/conf/gosh/gosh.conf" {
		t.Errorf("with XDG_CONFIG_HOME: %q", got)
	}
	t.Setenv("XDG_CONFIG_HOME", "")
	t.Setenv("HOME", "/home/u")
	if got := mux.DefaultConfigFile(); got != "/home/u/.config/gosh/gosh.conf" {
		t.Errorf("without XDG_CONFIG_HOME: %q", got)
	}
}

// TestDocumentedConfig sources the example configuration of
// docs/configuration.md: every line of it must work.
func TestDocumentedConfig(t *testing.T) {
	doc, err := os.ReadFile("../docs/configuration.md")
	if err != nil {
		t.Fatal(err)
	}
	_, rest, ok := strings.Cut(string(doc), "```\n# ~/.config/gosh/gosh.conf\n")
	example, _, ok2 := strings.Cut(rest, "```")
	if !ok || !ok2 {
		t.Fatal("no example configuration in docs/configuration.md")
	}
	s := muxtest.NewServer(t)
	path := writeConfig(t, example)
	if _, err := muxtest.Run(s, "source-file", path); err != nil {
		t.Errorf("the documented configuration: %v", err)
	}
	out := muxtest.MustRun(t, s, "list-keys")
	for _, want := range []string{"-T root       F5                   new-window\n",
		`|                    split-window -h \; select-pane -L`, "bind-key -r -T prefix     h "} {
		if !strings.Contains(out, want) {
			t.Errorf("list-keys lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, `\"                   split-window -v`) {
		t.Errorf("unbind-key '\"' left the binding:\n%s", out)
	}
}
