package pty_test

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/goshterm/gosh/mux/pty"
)

// output collects everything a Process writes, from a reader goroutine.
type output struct {
	mu  sync.Mutex
	buf bytes.Buffer
	eof chan struct{}
}

func collect(t *testing.T, p *pty.Process) *output {
	t.Helper()
	o := &output{eof: make(chan struct{})}
	go func() {
		defer close(o.eof)
		b := make([]byte, 4096)
		for {
			n, err := p.Read(b)
			o.mu.Lock()
			o.buf.Write(b[:n])
			o.mu.Unlock()
			if err != nil {
				return
			}
		}
	}()
	t.Cleanup(func() {
		_ = p.Signal(syscall.SIGKILL)
		p.Wait()
		p.Close()
		<-o.eof
	})
	return o
}

func (o *output) String() string {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.buf.String()
}

// waitFor polls cond for up to 10 s; the bound only stops a broken test.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		if cond() {
			return
		}
	}
	t.Fatalf("timed out waiting for %s", what)
}

func start(t *testing.T, c pty.Config) (*pty.Process, *output) {
	t.Helper()
	p, err := pty.Start(c)
	if err != nil {
		t.Fatal(err)
	}
	return p, collect(t, p)
}

func TestOutputAndExitStatus(t *testing.T) {
	p, out := start(t, pty.Config{Path: "/bin/sh", Args: []string{"sh", "-c", "echo hello-$FOO; pwd; exit 3"},
		Env: []string{"FOO=bar", "PATH=/usr/bin:/bin"}, Dir: "/usr", Cols: 80, Rows: 24})
	st := p.Wait()
	<-out.eof
	if st.Code != 3 || st.Signal != 0 {
		t.Errorf("status = %+v, want exit 3", st)
	}
	if got := out.String(); !strings.Contains(got, "hello-bar") || !strings.Contains(got, "/usr\r\n") {
		t.Errorf("output %q lacks env or cwd", got)
	}
	if s, err := p.Status(); err != nil || s.String() != "exit 3" {
		t.Errorf("Status() = %v, %v", s, err)
	}
}

func TestSignalAndStatusBeforeExit(t *testing.T) {
	p, _ := start(t, pty.Config{Path: "sleep", Args: []string{"sleep", "60"}})
	if _, err := p.Status(); err != pty.ErrNotExited {
		t.Errorf("Status before exit: %v, want ErrNotExited", err)
	}
	if err := p.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if st := p.Wait(); st.Signal != syscall.SIGTERM || st.Code != -1 {
		t.Errorf("status = %+v, want killed by SIGTERM", st)
	}
	if err := p.Signal(syscall.SIGTERM); err == nil {
		t.Error("Signal after exit succeeded")
	}
}

func TestResizeReachesChild(t *testing.T) {
	p, out := start(t, pty.Config{Path: "/bin/sh", Cols: 80, Rows: 24})
	p.Write([]byte("stty size\n"))
	waitFor(t, "24 80", func() bool { return strings.Contains(out.String(), "24 80") })
	if err := p.Resize(100, 30); err != nil {
		t.Fatal(err)
	}
	p.Write([]byte("stty size\n"))
	waitFor(t, "30 100", func() bool { return strings.Contains(out.String(), "30 100") })
}

func TestForegroundNameAndCwd(t *testing.T) {
	p, out := start(t, pty.Config{Path: "/bin/sh", Dir: "/", Env: []string{"PS1=$ ", "PATH=/usr/bin:/bin"}})
	waitFor(t, "prompt", func() bool { return strings.Contains(out.String(), "$ ") })
	if name, err := p.ForegroundName(); err != nil || name != "sh" {
		t.Errorf("ForegroundName = %q, %v; want sh", name, err)
	}
	dir := t.TempDir()
	p.Write([]byte("cd " + dir + "\n"))
	waitFor(t, "cwd "+dir, func() bool { d, _ := p.Cwd(); return d == dir })
	p.Write([]byte("sleep 30\n"))
	waitFor(t, "sleep in foreground", func() bool { n, _ := p.ForegroundName(); return n == "sleep" })
	if pg, err := p.ForegroundPgrp(); err != nil || pg == p.Pid() {
		t.Errorf("ForegroundPgrp = %d, %v; want the sleep's group, not the shell's %d", pg, err, p.Pid())
	}
}

// TestForegroundNameFollowsExec: a program that execs another keeps its
// process group, so a name remembered per group would stay the old one
// (and one read between a command's fork and its exec would show the
// shell's name for a command); the name must follow the exec.
func TestForegroundNameFollowsExec(t *testing.T) {
	p, out := start(t, pty.Config{Path: "/bin/sh", Args: []string{"sh", "-c", "echo ready; read x; exec sleep 30"},
		Env: []string{"PATH=/usr/bin:/bin"}})
	waitFor(t, "ready", func() bool { return strings.Contains(out.String(), "ready") })
	for range 3 { // the kept descriptor reads the same name again
		if name, err := p.ForegroundName(); err != nil || name != "sh" {
			t.Fatalf("ForegroundName = %q, %v; want sh", name, err)
		}
	}
	pg, _ := p.ForegroundPgrp()
	p.Write([]byte("go\n"))
	waitFor(t, "sleep after exec", func() bool { n, _ := p.ForegroundName(); return n == "sleep" })
	if now, _ := p.ForegroundPgrp(); now != pg {
		t.Errorf("foreground group changed from %d to %d across exec", pg, now)
	}
}

// TestForegroundNameCachedNewGroup: a name reused for the echo frames
// (ForegroundNameCached) gives way at once to a new foreground group: a
// command started at the prompt is named within the reuse time.
func TestForegroundNameCachedNewGroup(t *testing.T) {
	p, out := start(t, pty.Config{Path: "/bin/sh", Env: []string{"PS1=$ ", "PATH=/usr/bin:/bin"}})
	waitFor(t, "prompt", func() bool { return strings.Contains(out.String(), "$ ") })
	t0 := time.Unix(1000, 0)
	if name, until, err := p.ForegroundNameCached(t0); err != nil || name != "sh" || !until.IsZero() {
		t.Fatalf("first ForegroundNameCached = %q, %v, %v; want sh, read afresh", name, until, err)
	}
	p.ForegroundNameCached(t0.Add(60 * time.Millisecond)) // settled: reusable from now
	name, until, err := p.ForegroundNameCached(t0.Add(100 * time.Millisecond))
	if err != nil || name != "sh" || until.IsZero() {
		t.Fatalf("ForegroundNameCached of a settled group = %q, %v, %v; want sh, reused", name, until, err)
	}
	p.Write([]byte("sleep 30\n"))
	waitFor(t, "sleep named within the reuse time", func() bool {
		n, _, _ := p.ForegroundNameCached(t0.Add(200 * time.Millisecond))
		return n == "sleep"
	})
}

// TestForegroundNameCachedFollowsExec: a program that execs another in the
// same group is named afresh once the reuse time is over.
func TestForegroundNameCachedFollowsExec(t *testing.T) {
	p, out := start(t, pty.Config{Path: "/bin/sh", Args: []string{"sh", "-c", "echo ready; read x; exec sleep 30"},
		Env: []string{"PATH=/usr/bin:/bin"}})
	waitFor(t, "ready", func() bool { return strings.Contains(out.String(), "ready") })
	t0 := time.Unix(1000, 0)
	p.ForegroundNameCached(t0)
	p.ForegroundNameCached(t0.Add(60 * time.Millisecond)) // reusable until t0+560ms
	p.Write([]byte("go\n"))
	// Watched apart from p: a fresh read through p would refresh the
	// name it reuses.
	comm := fmt.Sprintf("/proc/%d/comm", p.Pid())
	waitFor(t, "sleep after exec", func() bool { b, _ := os.ReadFile(comm); return string(b) == "sleep\n" })
	late := t0.Add(60*time.Millisecond + pty.NameReuse + time.Millisecond)
	if name, _, err := p.ForegroundNameCached(late); err != nil || name != "sleep" {
		t.Errorf("ForegroundNameCached after the reuse time = %q, %v; want sleep", name, err)
	}
}

// TestForegroundNameAfterCommandEnds: when the command ends, the shell is
// the foreground program again (the command's process is gone, its pid
// free to be reused by anything).
func TestForegroundNameAfterCommandEnds(t *testing.T) {
	p, out := start(t, pty.Config{Path: "/bin/sh", Env: []string{"PS1=$ ", "PATH=/usr/bin:/bin"}})
	waitFor(t, "prompt", func() bool { return strings.Contains(out.String(), "$ ") })
	for range 3 {
		p.Write([]byte("sleep 30\n"))
		waitFor(t, "sleep in foreground", func() bool { n, _ := p.ForegroundName(); return n == "sleep" })
		p.Write([]byte{0x03}) // ^C ends it
		waitFor(t, "shell in foreground again", func() bool { n, _ := p.ForegroundName(); return n == "sh" })
	}
}

// TestCloseReleasesDescriptors: a closed process keeps no descriptor open
// (the pty master, the kept /proc comm), even when its child ignores the
// hang-up and lives on, and its name is asked for after Close.
func TestCloseReleasesDescriptors(t *testing.T) {
	p, err := pty.Start(pty.Config{Path: "/bin/sh", Args: []string{"sh", "-c", "trap '' HUP; sleep 30"}})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Wait()
	defer p.Signal(syscall.SIGKILL)
	if n, err := p.ForegroundName(); err != nil || n != "sh" {
		t.Fatalf("ForegroundName = %q, %v; want sh", n, err)
	}
	if open := openFiles(t); !slices.ContainsFunc(open, isPtyOrComm) {
		t.Fatalf("neither the master nor /proc comm open while the process runs: %q", open)
	}
	p.Close()
	if n, err := p.ForegroundName(); err != nil || n != "sh" {
		t.Errorf("ForegroundName after Close = %q, %v; want sh (still running)", n, err)
	}
	if open := openFiles(t); slices.ContainsFunc(open, isPtyOrComm) {
		t.Errorf("open after Close: %q", open)
	}
}

func isPtyOrComm(path string) bool {
	return path == "/dev/ptmx" || strings.HasPrefix(path, "/proc/") && strings.HasSuffix(path, "/comm")
}

// openFiles lists what the test process's descriptors refer to.
func openFiles(t *testing.T) []string {
	t.Helper()
	ents, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range ents {
		if l, err := os.Readlink("/proc/self/fd/" + e.Name()); err == nil {
			out = append(out, l)
		}
	}
	return out
}

func TestTermiosFollowsStty(t *testing.T) {
	p, out := start(t, pty.Config{Path: "/bin/sh", Env: []string{"PS1=$ ", "PATH=/usr/bin:/bin"}})
	waitFor(t, "prompt", func() bool { return strings.Contains(out.String(), "$ ") })
	if tm, err := p.Termios(); err != nil || !tm.Canonical || !tm.Echo {
		t.Fatalf("Termios = %+v, %v; want canonical with echo", tm, err)
	}
	p.Write([]byte("stty -echo; echo done-stty\n"))
	waitFor(t, "echo off", func() bool { tm, _ := p.Termios(); return tm.Canonical && !tm.Echo })
	p.Write([]byte("stty raw\n"))
	waitFor(t, "raw", func() bool { tm, _ := p.Termios(); return !tm.Canonical })
}

func TestCloseUnblocksRead(t *testing.T) {
	// A child that ignores SIGHUP keeps the slave open; Close must still
	// end a pending Read so that the pane's reader goroutine can finish.
	p, err := pty.Start(pty.Config{Path: "/bin/sh", Args: []string{"sh", "-c", "trap '' HUP; sleep 60"}})
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() {
		b := make([]byte, 100)
		for {
			if _, err := p.Read(b); err != nil {
				done <- err
				return
			}
		}
	}()
	p.Close()
	select {
	case err := <-done:
		if !errors.Is(err, os.ErrClosed) {
			t.Errorf("Read after Close: %v, want os.ErrClosed", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Read still blocked 10 s after Close")
	}
	p.Signal(syscall.SIGKILL)
	p.Wait()
}

func TestStartErrors(t *testing.T) {
	if _, err := pty.Start(pty.Config{}); err == nil {
		t.Error("Start with no program succeeded")
	}
	if _, err := pty.Start(pty.Config{Path: "/nonexistent/prog"}); err == nil || !strings.HasPrefix(err.Error(), "pty: ") {
		t.Errorf("Start of a missing program: %v", err)
	}
}

// BenchmarkForegroundName is the cost of the foreground program's name,
// which every frame composed for an attached client reads.
func BenchmarkForegroundName(b *testing.B) {
	p, err := pty.Start(pty.Config{Path: "sleep", Args: []string{"sleep", "60"}})
	if err != nil {
		b.Fatal(err)
	}
	defer p.Wait()
	defer p.Signal(syscall.SIGKILL)
	defer p.Close()
	for b.Loop() {
		if n, err := p.ForegroundName(); err != nil || n != "sleep" {
			b.Fatalf("ForegroundName = %q, %v", n, err)
		}
	}
}
