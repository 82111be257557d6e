package cli

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/creack/pty"
	"golang.org/x/sys/unix"

	"github.com/goshterm/gosh/cmd/gosh/internal/client"
	"github.com/goshterm/gosh/mux"
	"github.com/goshterm/gosh/ssp"
)

// hostDaemon runs an in-process daemon on a socket in a temporary
// directory that hosts clients with run in place of client.Run (none
// when run is nil).
func hostDaemon(t *testing.T, run func(context.Context, client.Config) error) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "s")
	cfg := mux.Config{SocketPath: path, Shell: "/bin/sh"}
	if run != nil {
		cfg.Host = hostClients(slog.New(slog.DiscardHandler), run)
	}
	s := mux.NewServer(cfg)
	l, err := mux.Listen(path)
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- s.Serve(l) }()
	t.Cleanup(func() {
		s.Close()
		if err := <-done; err != nil {
			t.Errorf("Serve: %v", err)
		}
	})
	return path
}

// openTerminal is a pty whose other end nobody reads: the user's terminal.
func openTerminal(t *testing.T) *os.File {
	t.Helper()
	ptmx, tty, err := pty.Open()
	if err != nil {
		t.Skipf("no pty: %v", err)
	}
	t.Cleanup(func() {
		tty.Close()
		ptmx.Close()
	})
	return tty
}

func testEndpoint(t *testing.T) *mux.AttachReply {
	t.Helper()
	key, err := ssp.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	return &mux.AttachReply{IP: "127.0.0.1", Port: 9, Key: key.String(), Session: "work"}
}

func do(t *testing.T, path string, argv ...string) mux.Response {
	t.Helper()
	resp, err := mux.Do(context.Background(), path, mux.Request{Argv: argv})
	if err != nil {
		t.Fatalf("%q: %v", argv, err)
	}
	return resp
}

// TestHostedClientPanicKeepsDaemon: a hosted client that panics ends
// that attach with an error, and the daemon keeps its sessions and keeps
// answering.
func TestHostedClientPanicKeepsDaemon(t *testing.T) {
	path := hostDaemon(t, func(context.Context, client.Config) error { panic("boom") })
	if resp := do(t, path, "new-session", "-d", "-s", "keep", "sleep 60"); resp.Code != 0 {
		t.Fatalf("new-session: %s", resp.Stderr)
	}
	hosted, err := runHosted(context.Background(), path, openTerminal(t), &bytes.Buffer{}, testEndpoint(t))
	if !hosted {
		t.Fatal("the daemon did not host the client")
	}
	if err == nil || !strings.Contains(err.Error(), "boom") || !strings.Contains(err.Error(), "still running") {
		t.Errorf("stub's error = %v, want the panic and that the session is still running", err)
	}
	if resp := do(t, path, "list-sessions", "-F", "#{session_name}"); resp.Code != 0 || resp.Stdout != "keep\n" {
		t.Errorf("after the panic list-sessions = %q (%s), want the session kept", resp.Stdout, resp.Stderr)
	}
}

// TestHostedClientGetsTheTerminal: the daemon runs the client on the
// stub's own terminal, with the stub's $TERM and the endpoint the attach
// opened, without taking the daemon's signals; its error reaches the stub.
func TestHostedClientGetsTheTerminal(t *testing.T) {
	t.Setenv("TERM", "xterm-256color")
	tty := openTerminal(t)
	ep := testEndpoint(t)
	type seen struct {
		cfg  client.Config
		same bool
	}
	ran := make(chan seen, 1)
	path := hostDaemon(t, func(_ context.Context, cfg client.Config) error {
		var a, b unix.Stat_t
		same := unix.Fstat(int(cfg.In.Fd()), &a) == nil && unix.Fstat(int(tty.Fd()), &b) == nil && a.Rdev == b.Rdev
		ran <- seen{cfg, same}
		return errors.New("client: no answer from the server")
	})
	hosted, err := runHosted(context.Background(), path, tty, &bytes.Buffer{}, ep)
	if !hosted || err == nil || err.Error() != "client: no answer from the server" {
		t.Fatalf("runHosted = %v, %v; want hosted with the client's error", hosted, err)
	}
	s := <-ran
	got := s.cfg
	if !s.same {
		t.Error("the hosted client's terminal is not the stub's")
	}
	if got.Term != "xterm-256color" || !got.NoSignals || got.Resize == nil || got.Suspend == nil {
		t.Errorf("config: Term %q NoSignals %v Resize %v Suspend set %v", got.Term, got.NoSignals, got.Resize, got.Suspend != nil)
	}
	if got.Server.String() != "127.0.0.1:9" || got.Key.String() != ep.Key {
		t.Errorf("endpoint %v, key %v; want the attach reply's", got.Server, got.Key)
	}
}

// TestHostedClientQuitsWithTheStub: the stub's quit (it got SIGTERM) and
// the stub's disappearance (SIGKILL) each end the hosted client.
func TestHostedClientQuitsWithTheStub(t *testing.T) {
	started := make(chan struct{}, 1)
	ended := make(chan struct{}, 1)
	path := hostDaemon(t, func(ctx context.Context, _ client.Config) error {
		started <- struct{}{}
		<-ctx.Done()
		ended <- struct{}{}
		return nil
	})

	t.Run("quit", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		go func() {
			<-started
			cancel()
		}()
		hosted, err := runHosted(ctx, path, openTerminal(t), &bytes.Buffer{}, testEndpoint(t))
		if !hosted || err != nil {
			t.Errorf("runHosted = %v, %v; want a clean end", hosted, err)
		}
	})

	waitFor(t, ended, "the hosted client to end after the stub's quit")

	t.Run("gone", func(t *testing.T) {
		c := sendTerminal(t, path, openTerminal(t))
		waitFor(t, started, "the hosted client to start")
		c.Close()
		waitFor(t, ended, "the hosted client to end after its stub went away")
	})
}

func waitFor(t *testing.T, ch <-chan struct{}, what string) {
	t.Helper()
	select {
	case <-ch:
	case <-time.After(10 * time.Second):
		t.Fatalf("timed out waiting for %s", what)
	}
}

// sendTerminal does the stub's part of the request by hand.
func sendTerminal(t *testing.T, path string, tty *os.File) *net.UnixConn {
	t.Helper()
	c, err := net.DialUnix("unix", nil, &net.UnixAddr{Name: path, Net: "unix"})
	if err != nil {
		t.Fatal(err)
	}
	req := mux.Request{Version: mux.ProtocolVersion, Argv: []string{"host-client"}, Host: hostRequest(testEndpoint(t), os.Getenv)}
	if err := mux.WriteMessage(c, req); err != nil {
		t.Fatal(err)
	}
	if _, _, err := c.WriteMsgUnix([]byte{0}, unix.UnixRights(int(tty.Fd())), nil); err != nil {
		t.Fatal(err)
	}
	var resp mux.Response
	if err := mux.ReadMessage(c, &resp); err != nil || resp.Code != 0 {
		t.Fatalf("host request: %v %q", err, resp.Stderr)
	}
	return c
}

// TestHostRefusedFallsBack: a daemon without the hook refuses, and the
// stub is told to run the client itself with nothing done.
func TestHostRefusedFallsBack(t *testing.T) {
	path := hostDaemon(t, nil)
	var out bytes.Buffer
	hosted, err := runHosted(context.Background(), path, openTerminal(t), &out, testEndpoint(t))
	if hosted || err != nil || out.Len() > 0 {
		t.Errorf("runHosted = %v, %v, output %q; want a refusal the caller falls back on", hosted, err, out.String())
	}
}

// TestHostRefusal: the daemon hosts only a terminal whose environment
// for tcell is its own.
func TestHostRefusal(t *testing.T) {
	daemon := map[string]string{"LANG": "C.UTF-8", "TERM": "xterm"}
	getenv := func(k string) string { return daemon[k] }
	ep := testEndpoint(t)
	same := hostRequest(ep, getenv)
	if why := hostRefusal(same, getenv); why != "" {
		t.Errorf("same environment refused: %s", why)
	}
	other := hostRequest(ep, func(k string) string {
		if k == "COLORTERM" {
			return "truecolor"
		}
		return daemon[k]
	})
	if why := hostRefusal(other, getenv); !strings.Contains(why, "COLORTERM") {
		t.Errorf("COLORTERM differing: refusal %q, want it named", why)
	}
}

// TestStubLostServer: a daemon that dies with the terminal in raw mode
// leaves the stub to restore it and say "[lost server]".
func TestStubLostServer(t *testing.T) {
	path := filepath.Join(t.TempDir(), "s")
	l, err := net.ListenUnix("unix", &net.UnixAddr{Name: path, Net: "unix"})
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	go func() { // a daemon that takes the terminal, makes it raw and dies
		c, err := l.AcceptUnix()
		if err != nil {
			return
		}
		defer c.Close()
		var req mux.Request
		if mux.ReadMessage(c, &req) != nil {
			return
		}
		f, err := receiveTerminal(c)
		if err != nil {
			return
		}
		defer f.Close()
		tio, _ := unix.IoctlGetTermios(int(f.Fd()), ioctlGetTermios)
		tio.Lflag &^= unix.ICANON | unix.ECHO
		unix.IoctlSetTermios(int(f.Fd()), ioctlSetTermios, tio)
		mux.WriteMessage(c, mux.Response{Version: mux.ProtocolVersion})
	}()
	tty := openTerminal(t)
	var out bytes.Buffer
	hosted, err := runHosted(context.Background(), path, tty, &out, testEndpoint(t))
	if !hosted || !errors.Is(err, errLostServer) || !strings.Contains(out.String(), "[lost server]") {
		t.Errorf("runHosted = %v, %v, output %q; want [lost server]", hosted, err, out.String())
	}
	tio, err := unix.IoctlGetTermios(int(tty.Fd()), ioctlGetTermios)
	if err != nil || tio.Lflag&unix.ICANON == 0 || tio.Lflag&unix.ECHO == 0 {
		t.Errorf("terminal left raw after [lost server] (lflag %#x, %v)", tio.Lflag, err)
	}
}
