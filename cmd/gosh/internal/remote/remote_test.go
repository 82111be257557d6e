package remote

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/goshterm/gosh/ssp"
)

func TestSplitCommand(t *testing.T) {
	for in, want := range map[string][]string{
		"ssh":                              {"ssh"},
		"  ssh  -p 2222\t-i key ":          {"ssh", "-p", "2222", "-i", "key"},
		`ssh -o 'ProxyCommand=nc %h %p' x`: {"ssh", "-o", "ProxyCommand=nc %h %p", "x"},
		`ssh -i "my key" a\ b`:             {"ssh", "-i", "my key", "a b"},
		`"a\"b\$c\d"`:                      {`a"b$c\d`},
		`''`:                               {""},
		`a''b`:                             {"ab"},
		"":                                 nil,
	} {
		got, err := SplitCommand(in)
		if err != nil || !slices.Equal(got, want) {
			t.Errorf("SplitCommand(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, bad := range []string{`ssh 'x`, `ssh "x`, `ssh x\`} {
		if _, err := SplitCommand(bad); err == nil {
			t.Errorf("SplitCommand(%q) accepted", bad)
		}
	}
}

// FuzzSplitCommand: Quote and SplitCommand are inverses, and nothing
// panics.
func FuzzSplitCommand(f *testing.F) {
	for _, s := range []string{"ssh -p 22", `a 'b c' "d\"e"`, `x\ y`, "it's", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		SplitCommand(s)
		words := strings.Fields(s)
		got, err := SplitCommand(QuoteWords(append(words, s)...))
		if err != nil {
			t.Fatalf("quoted words do not split: %v", err)
		}
		if !slices.Equal(got, append(words, s)) {
			t.Fatalf("round trip %q → %q", append(words, s), got)
		}
	})
}

func TestParseConnect(t *testing.T) {
	key, _ := ssp.GenerateKey()
	c, err := ParseConnect("GOSH CONNECT 60001 " + key.String() + " 0.3.1\r\n")
	if err != nil || c.Port != 60001 || c.Key != key || c.Version != "0.3.1" {
		t.Fatalf("ParseConnect = %+v, %v", c, err)
	}
	for _, bad := range []string{"MOSH CONNECT 1 " + key.String(), "GOSH CONNECT 0 " + key.String() + " 1.0",
		"GOSH CONNECT 70000 " + key.String() + " 1.0", "GOSH CONNECT 5 notakey 1.0", "GOSH CONNECT 5"} {
		if _, err := ParseConnect(bad); err == nil {
			t.Errorf("ParseConnect(%q) accepted", bad)
		}
	}
}

func FuzzParseConnect(f *testing.F) {
	f.Add("GOSH CONNECT 60001 AAAAAAAAAAAAAAAAAAAAAA 0.1.0")
	f.Add("GOSH CONNECT 1 x")
	f.Fuzz(func(t *testing.T, line string) {
		c, err := ParseConnect(line)
		if err == nil && c.Port == 0 {
			t.Fatal("accepted port 0")
		}
	})
}

func TestCompatible(t *testing.T) {
	if err := Compatible("h", "0.1.0-dev", "0.1.7"); err != nil {
		t.Errorf("same minor: %v", err)
	}
	var ve *VersionError
	err := Compatible("box", "0.2.0", "0.1.9")
	if !errors.As(err, &ve) || !ve.UpgradeServer || !strings.Contains(err.Error(), "upgrade gosh on box") {
		t.Errorf("older server: %v", err)
	}
	err = Compatible("box", "0.2.0", "1.0.0")
	if !errors.As(err, &ve) || ve.UpgradeServer || !strings.Contains(err.Error(), "upgrade gosh on this machine") {
		t.Errorf("newer server: %v", err)
	}
	err = Compatible("box", "0.2.0", "")
	if !errors.As(err, &ve) || !ve.UpgradeServer {
		t.Errorf("server without a version: %v", err)
	}
}

func TestUnameMatches(t *testing.T) {
	if !UnameMatches("Linux x86_64", "linux", "amd64") || !UnameMatches("Darwin  arm64\n", "darwin", "arm64") {
		t.Error("matching systems refused")
	}
	if UnameMatches("Linux aarch64", "linux", "amd64") || UnameMatches("Darwin x86_64", "linux", "amd64") {
		t.Error("foreign system accepted")
	}
}

// fakeSSH writes an "ssh" that ignores its options and runs the remote
// command line with sh, as sshd would with a POSIX login shell.
func fakeSSH(t *testing.T) SSH {
	t.Helper()
	p := filepath.Join(t.TempDir(), "ssh")
	script := "#!/bin/sh\nwhile [ $# -gt 0 ] && [ \"$1\" != -- ]; do shift; done\nshift 2\nexec sh -c \"$*\"\n"
	if err := os.WriteFile(p, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	return SSH{Argv: []string{p}, Target: "box"}
}

// stubServer writes a fake remote gosh that runs body (sh).
func stubServer(t *testing.T, body string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "gosh")
	if err := os.WriteFile(p, []byte("#!/bin/sh\n"+body+"\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestAttachReadsConnectLineAndEchoesTheRest(t *testing.T) {
	key, _ := ssp.GenerateKey()
	server := stubServer(t, `echo "welcome to box"; echo "args: $*" >&2; echo "GOSH CONNECT 60123 `+key.String()+` 9.9.9"`)
	var stderr bytes.Buffer
	c, err := Attach(context.Background(), AttachConfig{SSH: fakeSSH(t), Server: server,
		Args: []string{"-t", "my work", "--client-version", "1.2.3"}, Stderr: &stderr})
	if err != nil {
		t.Fatalf("Attach: %v (stderr %q)", err, stderr.String())
	}
	if c.Port != 60123 || c.Key != key || c.Version != "9.9.9" {
		t.Errorf("connect = %+v", c)
	}
	out := stderr.String()
	if !strings.Contains(out, "welcome to box") || !strings.Contains(out, "args: server attach -t my work --client-version 1.2.3") {
		t.Errorf("stderr = %q: motd or quoted arguments missing", out)
	}
	if strings.Contains(out, key.String()) {
		t.Error("the key was echoed to the user")
	}
}

func TestAttachFailures(t *testing.T) {
	ctx := context.Background()
	s := fakeSSH(t)
	_, err := Attach(ctx, AttachConfig{SSH: s, Server: "/nonexistent/gosh"})
	var e *Error
	if !errors.As(err, &e) || e.Kind != ErrNoGosh || !strings.Contains(err.Error(), "gosh attach --install box") {
		t.Errorf("missing gosh: %v", err)
	}
	_, err = Attach(ctx, AttachConfig{SSH: s, Server: stubServer(t, "echo 'ssh: Could not resolve hostname box' >&2; exit 255")})
	if !errors.As(err, &e) || e.Kind != ErrSSH || !strings.Contains(err.Error(), "Could not resolve hostname") {
		t.Errorf("ssh failure: %v", err)
	}
	_, err = Attach(ctx, AttachConfig{SSH: s, Server: stubServer(t, "echo 'no UDP port free in 60000:60000' >&2; exit 1")})
	if !errors.As(err, &e) || e.Kind != ErrNoConnect || !strings.Contains(err.Error(), "no UDP port free") {
		t.Errorf("server failure: %v", err)
	}
	_, err = Attach(ctx, AttachConfig{SSH: SSH{Argv: []string{"ssh"}, Target: "-oProxyCommand=x"}})
	if err == nil {
		t.Error("a target that ssh would read as an option was accepted")
	}
}

// lingeringSSH is fakeSSH whose "ssh" leaves a child holding its stdout
// and stderr, as a ProxyCommand's background helper can outlive ssh. The
// child is killed by its PID when the test ends.
func lingeringSSH(t *testing.T) SSH {
	t.Helper()
	dir := t.TempDir()
	p, pidFile := filepath.Join(dir, "ssh"), filepath.Join(dir, "helper.pid")
	script := "#!/bin/sh\nsleep 600 &\necho $! > " + pidFile +
		"\nwhile [ $# -gt 0 ] && [ \"$1\" != -- ]; do shift; done\nshift 2\nexec sh -c \"$*\"\n"
	if err := os.WriteFile(p, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if b, err := os.ReadFile(pidFile); err == nil {
			if pid, err := strconv.Atoi(strings.TrimSpace(string(b))); err == nil {
				syscall.Kill(pid, syscall.SIGKILL)
			}
		}
	})
	return SSH{Argv: []string{p}, Target: "box"}
}

// TestSSHOutlivedByProxyHelper: gosh attach and gosh ls return once ssh
// has exited, even while a ProxyCommand's helper still holds ssh's output
// pipes; they used to wait for that helper forever.
func TestSSHOutlivedByProxyHelper(t *testing.T) {
	key, _ := ssp.GenerateKey()
	server := stubServer(t, `echo "sessions: 1"; echo "GOSH CONNECT 60123 `+key.String()+` 9.9.9"`)
	type result struct {
		c   Connect
		out string
		err error
	}
	attachSSH, lsSSH := lingeringSSH(t), lingeringSSH(t)
	done := make(chan result, 1)
	go func() {
		var r result
		r.c, r.err = Attach(context.Background(), AttachConfig{SSH: attachSSH, Server: server})
		if r.err == nil {
			var out bytes.Buffer
			r.err = RunLines(context.Background(), lsSSH, server, []string{"ls"}, &out, io.Discard)
			r.out = out.String()
		}
		done <- r
	}()
	select {
	case r := <-done:
		if r.err != nil || r.c.Key != key {
			t.Fatalf("Attach, RunLines: %+v, %v", r.c, r.err)
		}
		if !strings.HasPrefix(r.out, "sessions: 1\n") {
			t.Errorf("RunLines printed %q", r.out)
		}
	case <-time.After(60 * time.Second):
		t.Fatal("Attach or RunLines still waits for the helper that outlived ssh")
	}
}

func TestInstallCopiesVerifiesAndAttaches(t *testing.T) {
	home := t.TempDir()
	t.Setenv("HOME", home)
	key, _ := ssp.GenerateKey()
	// The "binary" to install is a script that behaves as gosh server attach.
	exe := stubServer(t, `echo "GOSH CONNECT 60001 `+key.String()+` 0.1.0"`)
	var stderr bytes.Buffer
	c, path, err := InstallAndAttach(context.Background(), InstallConfig{SSH: fakeSSH(t), Exe: exe, Stderr: &stderr})
	if runtime.GOOS != "linux" {
		t.Skip("uname check is for the build's own system")
	}
	if err != nil {
		t.Fatalf("install: %v\n%s", err, stderr.String())
	}
	if path != filepath.Join(home, ".local/bin/gosh") || c.Key != key {
		t.Errorf("installed at %q, connect %+v", path, c)
	}
	got, _ := os.ReadFile(path)
	want, _ := os.ReadFile(exe)
	if !bytes.Equal(got, want) {
		t.Error("installed file differs")
	}
	if fi, err := os.Stat(path); err != nil || fi.Mode()&0o111 == 0 {
		t.Errorf("installed file not executable: %v", err)
	}
}

func TestFramesRoundTrip(t *testing.T) {
	var buf bytes.Buffer
	for _, d := range [][]byte{{}, []byte("x"), bytes.Repeat([]byte{7}, MaxRelayDatagram)} {
		if err := writeFrame(&buf, d); err != nil {
			t.Fatal(err)
		}
	}
	if writeFrame(&buf, make([]byte, MaxRelayDatagram+1)) == nil {
		t.Error("oversize frame written")
	}
	for _, want := range []int{0, 1, MaxRelayDatagram} {
		b, err := readFrame(&buf)
		if err != nil || len(b) != want {
			t.Fatalf("frame of %d: got %d, %v", want, len(b), err)
		}
	}
	if _, err := readFrame(&buf); err != io.EOF {
		t.Errorf("end: %v", err)
	}
}

func FuzzReadFrame(f *testing.F) {
	f.Add([]byte{0, 3, 'a', 'b', 'c', 0, 0})
	f.Add([]byte{0xff, 0xff})
	f.Fuzz(func(t *testing.T, in []byte) {
		r := bytes.NewReader(in)
		for range 100 {
			b, err := readFrame(r)
			if err != nil {
				return
			}
			if len(b) > MaxRelayDatagram {
				t.Fatal("oversize frame")
			}
		}
	})
}

func TestParseRelayTarget(t *testing.T) {
	for in, want := range map[string]string{"60001": "127.0.0.1:60001", "[::1]:5": "[::1]:5", "10.0.0.2:9": "10.0.0.2:9"} {
		if got, err := ParseRelayTarget(in); err != nil || got.String() != want {
			t.Errorf("ParseRelayTarget(%q) = %v, %v", in, got, err)
		}
	}
	for _, bad := range []string{"0", "x", "1.2.3.4", "1.2.3.4:0"} {
		if _, err := ParseRelayTarget(bad); err == nil {
			t.Errorf("ParseRelayTarget(%q) accepted", bad)
		}
	}
}

func TestParseSSHG(t *testing.T) {
	if h := parseSSHG([]byte("user root\nhostname 10.1.2.3\nport 22\n")); h != "10.1.2.3" {
		t.Errorf("hostname %q", h)
	}
}
