package mux_test

import (
	"context"
	"errors"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/sys/unix"

	"github.com/goshterm/gosh/mux"
	"github.com/goshterm/gosh/mux/muxtest"
)

func TestControlSocketRoundTrip(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "s")
	ctx := context.Background()
	if _, err := mux.Do(ctx, path, mux.Request{Argv: []string{"ls"}}); !errors.Is(err, mux.ErrNoServer) {
		t.Fatalf("Do with no server: %v, want ErrNoServer", err)
	}
	done := make(chan error, 1)
	go func() {
		done <- mux.RunDaemon(ctx, mux.Config{SocketPath: path, Shell: "/bin/sh", Env: muxtest.Env, ExitEmpty: true})
	}()
	muxtest.Eventually(t, "socket", func() bool {
		c, err := net.Dial("unix", path)
		if err == nil {
			c.Close()
		}
		return err == nil
	})
	if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("socket mode %v, %v; want 0600", fi.Mode().Perm(), err)
	}
	if err := mux.RunDaemon(ctx, mux.Config{SocketPath: path}); err == nil || !strings.Contains(err.Error(), "already running") {
		t.Errorf("second daemon on the same socket: %v", err)
	}
	r, err := mux.Do(ctx, path, mux.Request{Argv: []string{"new-session", "-d", "-s", "x", "-P"}, Cwd: "/"})
	if err != nil || r.Code != 0 || r.Stdout != "x:\n" {
		t.Fatalf("new-session: %+v, %v", r, err)
	}
	r, err = mux.Do(ctx, path, mux.Request{Argv: []string{"display", "-p", "-t", "x", "#{pane_current_path}"}})
	if err != nil || r.Stdout != "/\n" {
		t.Errorf("pane cwd from the request's Cwd: %+v, %v", r, err)
	}
	r, err = mux.Do(ctx, path, mux.Request{Argv: []string{"kill-session", "-t", "nope"}})
	if err != nil || r.Code != 1 || r.Stderr != "can't find session: nope" {
		t.Errorf("bad target: %+v, %v", r, err)
	}
	// a client of another protocol version gets a clear refusal
	c, err := net.Dial("unix", path)
	if err != nil {
		t.Fatal(err)
	}
	mux.WriteMessage(c, mux.Request{Version: 99, Argv: []string{"ls"}})
	var old mux.Response
	if err := mux.ReadMessage(c, &old); err != nil || old.Code != 1 || !strings.Contains(old.Stderr, "protocol version mismatch (client 99, server 1)") {
		t.Errorf("version mismatch: %+v, %v", old, err)
	}
	c.Close()
	r, err = mux.Do(ctx, path, mux.Request{Argv: []string{"kill-server"}})
	if err != nil || r.Code != 0 {
		t.Errorf("kill-server: %+v, %v", r, err)
	}
	if err := <-done; err != nil {
		t.Errorf("RunDaemon: %v", err)
	}
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Errorf("socket left behind: %v", err)
	}
}

// TestDoClosingServerIsNoServer: a daemon that closes while a request
// waits unread (its last session just ended) never runs it, and Do says no
// server runs there, so that a client that may start one starts one
// instead of failing with "connection reset by peer".
func TestDoClosingServerIsNoServer(t *testing.T) {
	path := filepath.Join(t.TempDir(), "s")
	l, err := net.ListenUnix("unix", &net.UnixAddr{Name: path, Net: "unix"})
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	closed := make(chan error, 1)
	go func() {
		c, err := l.AcceptUnix()
		if err != nil {
			closed <- err
			return
		}
		// wait until the request is there, then close without reading it
		rc, err := c.SyscallConn()
		if err == nil {
			err = rc.Read(func(fd uintptr) bool {
				_, _, perr := unix.Recvfrom(int(fd), make([]byte, 1), unix.MSG_PEEK)
				return perr != unix.EAGAIN
			})
		}
		c.Close()
		closed <- err
	}()
	_, err = mux.Do(context.Background(), path, mux.Request{Argv: []string{"new-session"}})
	if err := <-closed; err != nil {
		t.Fatal(err)
	}
	if !errors.Is(err, mux.ErrNoServer) {
		t.Errorf("Do against a server closing with the request unread: %v, want ErrNoServer", err)
	}
}

func TestSocketDirChecks(t *testing.T) {
	base := t.TempDir()
	priv := filepath.Join(base, "priv")
	t.Setenv("GOSH_SOCKET_DIR", priv)
	p, err := mux.SocketPath("work", "")
	if err != nil || p != filepath.Join(priv, "work") {
		t.Fatalf("SocketPath = %q, %v", p, err)
	}
	if fi, _ := os.Stat(priv); fi.Mode().Perm() != 0o700 {
		t.Errorf("created dir mode %#o, want 0700", fi.Mode().Perm())
	}
	os.Chmod(priv, 0o755)
	if _, err := mux.SocketPath("work", ""); err == nil || !strings.Contains(err.Error(), "unsafe permissions 0755") {
		t.Errorf("0755 dir accepted: %v", err)
	}
	os.Chmod(priv, 0o700)
	if os.Getuid() == 0 {
		os.Chown(priv, 65534, 65534)
		if _, err := mux.SocketPath("work", ""); err == nil || !strings.Contains(err.Error(), "owned by uid 65534") {
			t.Errorf("foreign dir accepted: %v", err)
		}
	}
	if _, err := mux.SocketPath("../x", ""); err == nil {
		t.Error("socket name with a slash accepted")
	}
	if p, _ := mux.SocketPath("ignored", "rel/sock"); !filepath.IsAbs(p) {
		t.Errorf("-S path not made absolute: %q", p)
	}
}

func TestMessageFraming(t *testing.T) {
	a, b := net.Pipe()
	go func() {
		mux.WriteMessage(a, mux.Request{Version: 1, Argv: []string{"send-keys", "é\x00"}})
		a.Write([]byte{0xff, 0xff, 0xff, 0xff})
		a.Close()
	}()
	var r mux.Request
	if err := mux.ReadMessage(b, &r); err != nil || r.Argv[1] != "é\x00" {
		t.Fatalf("round trip: %+v, %v", r, err)
	}
	if err := mux.ReadMessage(b, &r); err == nil || !strings.Contains(err.Error(), "too large") {
		t.Errorf("oversized frame: %v", err)
	}
}

func FuzzReadMessage(f *testing.F) {
	f.Add([]byte("\x00\x00\x00\x02{}"))
	f.Add([]byte("\x00\x00\x00\x0c{\"argv\":[1]}"))
	f.Fuzz(func(t *testing.T, b []byte) {
		var r mux.Request
		_ = mux.ReadMessage(strings.NewReader(string(b)), &r)
	})
}
