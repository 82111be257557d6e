package testenv

import (
	"os"
	osexec "os/exec"
	"strings"
	"testing"
)

func TestMain(m *testing.M) { Main(m) }

func TestTmuxRunsTypesAndResizes(t *testing.T) {
	x := NewTmux(t)
	x.NewSession([]string{"TESTENV_SECRET=s3cr3t"}, 80, 24, "/bin/sh")
	// The environment reaches the pane without appearing in argv.
	x.Type(`echo "got $TESTENV_SECRET"; stty size`)
	x.SendKeys("Enter")
	x.WaitFor("got s3cr3t")
	x.WaitFor("24 80")
	x.Resize(100, 30)
	x.Type("stty size")
	x.SendKeys("Enter")
	x.WaitFor("30 100")
	if col, row := x.Cursor(); row == 0 || col > 10 {
		t.Errorf("cursor at %d,%d after three commands", col, row)
	}
	x.Type("exit 3")
	x.SendKeys("Enter")
	x.WaitUntil("pane dead", func(string) bool { d, _ := x.PaneDead(); return d })
	if _, st := x.PaneDead(); st != 3 {
		t.Errorf("exit status %d, want 3", st)
	}
}

func TestSSHDRunsRemoteCommands(t *testing.T) {
	bin := t.TempDir()
	if err := os.WriteFile(bin+"/testenv-probe", []byte("#!/bin/sh\necho probe $LANG\necho conf=$XDG_CONFIG_HOME\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	s := StartSSHD(t, bin)
	out, err := s.SSH("testenv-probe").CombinedOutput()
	if err != nil {
		t.Fatalf("ssh: %v\n%s\nsshd log:\n%s", err, out, s.Log())
	}
	if !strings.Contains(string(out), "probe C.UTF-8") {
		t.Errorf("remote PATH/LANG not set: %q", out)
	}
	// A daemon started over ssh reads no gosh.conf of the developer's.
	if !strings.Contains(string(out), "conf="+s.Dir+"/config\n") {
		t.Errorf("remote XDG_CONFIG_HOME is not sshd's own empty directory %s/config: %q", s.Dir, out)
	}
}

// TestMainHidesUserConfig: the test binary's XDG_CONFIG_HOME, which every
// gosh it runs inherits, is an empty directory of its own.
func TestMainHidesUserConfig(t *testing.T) {
	dir := os.Getenv("XDG_CONFIG_HOME")
	if !strings.Contains(dir, "gosh-testconfig-") {
		t.Fatalf("XDG_CONFIG_HOME=%q, not Main's own directory", dir)
	}
	if entries, err := os.ReadDir(dir); err != nil || len(entries) > 0 {
		t.Errorf("XDG_CONFIG_HOME %s: %v, %d entries; want an empty directory", dir, err, len(entries))
	}
}

func TestBuildGoshRunsVersion(t *testing.T) {
	bin := BuildGosh(t)
	out, err := run(bin, "version")
	if err != nil || !strings.Contains(out, "gosh") {
		t.Errorf("gosh version: %v %q", err, out)
	}
	if BuildGosh(t) != bin {
		t.Error("BuildGosh built twice")
	}
}

func TestShellQuote(t *testing.T) {
	for in, want := range map[string]string{"abc": "abc", "a b": "'a b'", "it's": `'it'\''s'`, "": "''"} {
		if got := ShellQuote(in); got != want {
			t.Errorf("ShellQuote(%q) = %s, want %s", in, got, want)
		}
	}
}

func run(name string, args ...string) (string, error) {
	out, err := osexec.Command(name, args...).CombinedOutput()
	return string(out), err
}
