//go:build e2e

package integration

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/goshterm/gosh/cmd/gosh/internal/testenv"
)

// utf8Env is what mosh's binaries need to start at all (§1.4).
var utf8Env = []string{"LANG=C.UTF-8"}

var (
	connectRE  = regexp.MustCompile(`(?m)^MOSH CONNECT (\d+) ([A-Za-z0-9/+]{22})\s*$`)
	detachedRE = regexp.MustCompile(`detached, pid = (\d+)\]`)
)

// server is a detached mosh-compatible server the test started: a
// process of its own (PID), or an endpoint of a gosh session in Daemon.
type server struct {
	Port   int
	Key    string
	PID    int            // 0 for a gosh session
	Daemon *sessionDaemon // the daemon holding the session, or nil
}

// startServer runs a `… new` bootstrap (gosh mosh-server or Debian's
// mosh-server) bound to 127.0.0.1 with /bin/sh, parses its connect line,
// and stops the detached server by PID when the test ends.
func startServer(t *testing.T, argv ...string) server {
	t.Helper()
	return startServerEnv(t, nil, argv...)
}

// startServerEnv is startServer with env added to the server's
// environment. gosh mosh-server without --private reports the gosh session
// it attached instead of a detached pid; the server then has no PID.
func startServerEnv(t *testing.T, env []string, argv ...string) server {
	t.Helper()
	args := append(argv[1:], "new", "-i", "127.0.0.1", "-p", "0", "--", "/bin/sh")
	cmd := exec.Command(argv[0], args...)
	cmd.Env = append(append(os.Environ(), utf8Env...), env...)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("%s: %v\nstdout: %s\nstderr: %s", argv, err, out, stderr.String())
	}
	m := connectRE.FindSubmatch(out)
	if m == nil {
		t.Fatalf("%s printed no MOSH CONNECT line:\n%s", argv, out)
	}
	var s server
	s.Port, _ = strconv.Atoi(string(m[1]))
	s.Key = string(m[2])
	if d := detachedRE.FindStringSubmatch(stderr.String()); d != nil {
		s.PID, _ = strconv.Atoi(d[1])
		t.Cleanup(func() { syscall.Kill(s.PID, syscall.SIGKILL) })
	} else if !strings.Contains(stderr.String(), "attached to gosh session") {
		t.Fatalf("%s did not report the detached pid: %q", argv, stderr.String())
	}
	if strings.Contains(string(out)+stderr.String(), s.Key) && strings.Count(string(out), s.Key) != 1 {
		t.Errorf("key printed more than once")
	}
	return s
}

// hasLine reports whether some line of screen, trimmed, equals want.
func hasLine(screen, want string) bool {
	for l := range strings.SplitSeq(screen, "\n") {
		if strings.TrimSpace(l) == want {
			return true
		}
	}
	return false
}

// run types a shell command and waits for a line of output equal to want.
func run(t *testing.T, x *testenv.Tmux, command, want string) {
	t.Helper()
	x.Type(command)
	x.SendKeys("Enter")
	x.WaitUntil("a line "+strconv.Quote(want), func(s string) bool { return hasLine(s, want) })
}

// runUntil is run for a command whose output may lag an event the client
// reads concurrently with keystrokes (a resize: mosh-client may read the
// typed command before it handles SIGWINCH): it retypes the command a few
// times, as a user would, before failing.
func runUntil(t *testing.T, x *testenv.Tmux, command, want string) {
	t.Helper()
	saved := x.Timeout
	defer func() { x.Timeout = saved }()
	for try := 0; try < 3; try++ {
		x.Type(command)
		x.SendKeys("Enter")
		x.Timeout = 3 * time.Second
		ok := false
		x.TryWaitUntil(func(s string) bool { ok = hasLine(s, want); return ok })
		if ok {
			return
		}
		t.Logf("%q did not show %q within %v; typing it again", command, want, x.Timeout)
	}
	x.Timeout = saved
	run(t, x, command, want)
}

// waitPrompt waits for a shell prompt (a line ending in # or $), as a
// user would before typing, so that typeahead echo does not mix with the
// output the test looks for.
func waitPrompt(t *testing.T, x *testenv.Tmux) {
	t.Helper()
	x.WaitUntil("a shell prompt", func(s string) bool {
		for l := range strings.SplitSeq(s, "\n") {
			l = strings.TrimSpace(l)
			if strings.HasSuffix(l, "#") || strings.HasSuffix(l, "$") {
				return true
			}
		}
		return false
	})
}

// exited reports whether pid is gone or a zombie (nothing reaps orphans on
// these machines, TESTING.md).
func exited(pid int) bool {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return true
	}
	s := string(b)
	i := strings.LastIndexByte(s, ')')
	return i < 0 || i+2 >= len(s) || s[i+2] == 'Z'
}

func waitExited(t *testing.T, what string, pid int) {
	t.Helper()
	for end := time.Now().Add(testenv.DefaultWait); !exited(pid); {
		if time.Now().After(end) {
			t.Fatalf("%s (pid %d) did not exit", what, pid)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// killOwnBinary stops leftover processes running exactly the gosh binary
// this test built when the test ends: a daemon started on demand over ssh,
// whose PID the test never learns, or one that a kill-server has not yet
// finished stopping. Each gets SIGTERM first, so that it stops its plugins
// as on kill-server (a SIGKILL in the middle of that orphaned the
// auth-allowlist plugin after every run), and SIGKILL after a bound; then
// the children they had are killed by PID, since a killed daemon leaves
// them to init.
func killOwnBinary(t *testing.T, bin string) {
	t.Cleanup(func() {
		var pids, kids []int
		dirs, _ := os.ReadDir("/proc")
		for _, d := range dirs {
			pid, err := strconv.Atoi(d.Name())
			if err != nil {
				continue
			}
			if exe, err := os.Readlink(filepath.Join("/proc", d.Name(), "exe")); err == nil && exe == bin {
				pids = append(pids, pid)
				kids = append(kids, childPIDs(pid)...)
				syscall.Kill(pid, syscall.SIGTERM)
			}
		}
		for _, pid := range pids {
			for end := time.Now().Add(pollDeadline); !exited(pid) && time.Now().Before(end); {
				time.Sleep(20 * time.Millisecond)
			}
			if !exited(pid) {
				syscall.Kill(pid, syscall.SIGKILL)
			}
		}
		for _, pid := range kids {
			if !exited(pid) {
				syscall.Kill(pid, syscall.SIGKILL)
			}
		}
	})
}

// noKeyInArgv checks that no process's command line holds the key.
func noKeyInArgv(t *testing.T, key string) {
	t.Helper()
	dirs, _ := os.ReadDir("/proc")
	for _, d := range dirs {
		if _, err := strconv.Atoi(d.Name()); err != nil {
			continue
		}
		b, err := os.ReadFile(filepath.Join("/proc", d.Name(), "cmdline"))
		if err == nil && strings.Contains(string(b), key) {
			t.Errorf("pid %s has the session key in its argv: %q", d.Name(), strings.ReplaceAll(string(b), "\x00", " "))
		}
	}
}
