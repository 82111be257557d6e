package server

import (
	"context"
	"crypto/md5"
	"fmt"
	"math/rand/v2"
	"net/netip"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/goshterm/gosh/mux/statesync"
	"github.com/goshterm/gosh/ssp"
	"github.com/goshterm/gosh/ssp/conn"
)

// screenText returns the frame's rows joined by newlines.
func screenText(f *statesync.Frame) string {
	s := f.Screen()
	cols, rows := s.Size()
	var b strings.Builder
	for y := range rows {
		for x := range cols {
			c := s.Cell(x, y)
			if c.Width == 0 {
				continue
			}
			if c.Text == "" {
				b.WriteByte(' ')
			} else {
				b.WriteString(c.Text)
			}
		}
		b.WriteByte('\n')
	}
	return b.String()
}

// A gosh client transport talks to Serve over loopback UDP: the shell
// starts at the client's size, typed keys reach it, output and the echo
// ack come back, and the client's shutdown ends Serve.
func TestServeOnePty(t *testing.T) {
	if _, err := exec.LookPath("sh"); err != nil {
		t.Skip("no sh")
	}
	key, err := ssp.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	sock, err := conn.ListenUDP(netip.MustParseAddr("127.0.0.1"), 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	srvAddr := sock.LocalAddr()
	served := make(chan error, 1)
	cmd := exec.Command("sh")
	cmd.Env = []string{"PS1=$ ", "TERM=xterm", "PATH=/usr/bin:/bin"}
	go func() {
		served <- Serve(context.Background(), SessionConfig{Conn: sock, Key: key, Cmd: cmd})
	}()

	pc, err := conn.UDPNetwork{}.ListenPacket(srvAddr)
	if err != nil {
		t.Fatal(err)
	}
	cl, err := ssp.New(ssp.Config[*statesync.UserStream, *statesync.Frame]{
		Role: ssp.Client, Key: key, Conn: pc, Peer: srvAddr,
		Local: statesync.NewUserStream(), Remote: statesync.NewFrame(60, 10),
	})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	ran := make(chan error, 1)
	go func() { ran <- cl.Run(ctx) }()
	defer func() { cancel(); <-ran }()

	do := func(f func()) {
		if err := cl.Do(ctx, f); err != nil {
			t.Fatal(err)
		}
	}
	waitFor := func(what string, ok func(f *statesync.Frame) bool) {
		t.Helper()
		for end := time.Now().Add(10 * time.Second); ; time.Sleep(5 * time.Millisecond) {
			var good bool
			var text string
			do(func() { good = ok(cl.Remote()); text = screenText(cl.Remote()) })
			if good {
				return
			}
			if time.Now().After(end) {
				t.Fatalf("waited for %s; screen:\n%s", what, text)
			}
		}
	}
	// Keys typed with the first state, before the shell runs, must not
	// be lost.
	do(func() {
		cl.Current().PushResize(60, 10)
		cl.Current().PushKeys([]byte("stty size; echo $((6*7))\r"))
	})
	waitFor("output", func(f *statesync.Frame) bool {
		s := screenText(f)
		return strings.Contains(s, "10 60") && strings.Contains(s, "\n42 ")
	})
	waitFor("echo ack", func(f *statesync.Frame) bool { return f.EchoAck() > 0 })
	waitFor("pane facts", func(f *statesync.Frame) bool {
		p, ok := f.Pane()
		return ok && p.Width == 60 && p.Program != ""
	})
	waitFor("gosh version", func(f *statesync.Frame) bool { v, _ := f.GoshVersion(); return v == statesync.ProtocolVersion })

	// An SS3 arrow becomes CSI for an application without DECCKM: the
	// shell sees ESC [ A, which od shows as 033 [ A.
	do(func() { cl.Current().PushKeys([]byte("od -c\r\x1bOA\r\x04")) })
	waitFor("translated arrow", func(f *statesync.Frame) bool { return strings.Contains(screenText(f), "033   [   A") })

	// A status query (DSR) is answered by the server's emulator toward
	// the program, never forwarded: the tty echoes the answer as ^[[0n.
	do(func() { cl.Current().PushKeys([]byte("printf '\\033[5n'\r")) })
	waitFor("DSR answered on the pty", func(f *statesync.Frame) bool { return strings.Contains(screenText(f), "^[[0n") })

	// A program that turns echo off and then writes nothing (the line
	// discipline of a password prompt) still reaches the client's pane
	// facts, from the keys typed into it; without them the client would
	// go on predicting those keys.
	// (Ctrl-U first: the DSR answer above is still in the line.)
	do(func() { cl.Current().PushKeys([]byte("\x15stty -echo; cat\r")) })
	waitFor("echo on before stty", func(f *statesync.Frame) bool { p, _ := f.Pane(); return p.Echo })
	for end := time.Now().Add(10 * time.Second); ; {
		var off bool
		do(func() { p, _ := cl.Remote().Pane(); off = p.ICANON && !p.Echo })
		if off {
			break
		}
		if time.Now().After(end) {
			var p statesync.Pane
			var text string
			do(func() { p, _ = cl.Remote().Pane(); text = screenText(cl.Remote()) })
			t.Fatalf("the pane facts never showed echo off under stty -echo; cat: %+v\n%s", p, text)
		}
		do(func() { cl.Current().PushKeys([]byte("x")) })
		time.Sleep(100 * time.Millisecond)
	}
	do(func() { cl.Current().PushKeys([]byte("\r\x04")) }) // end cat

	do(func() { cl.StartShutdown(time.Now()) })
	select {
	case err := <-served:
		if err != nil {
			t.Errorf("Serve: %v", err)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("Serve did not end after the client shut down")
	}
}

// When the program exits, the server runs the shutdown handshake: the
// client sees the final output and the shutdown, and Serve returns once
// the client acked it.
func TestServeProgramExitShutsDown(t *testing.T) {
	key, _ := ssp.GenerateKey()
	sock, err := conn.ListenUDP(netip.MustParseAddr("127.0.0.1"), 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	srvAddr := sock.LocalAddr()
	served := make(chan error, 1)
	cmd := exec.Command("sh", "-c", "echo bye-$((40+2))")
	go func() {
		served <- Serve(context.Background(), SessionConfig{Conn: sock, Key: key, Cmd: cmd})
	}()
	pc, err := conn.UDPNetwork{}.ListenPacket(srvAddr)
	if err != nil {
		t.Fatal(err)
	}
	cl, err := ssp.New(ssp.Config[*statesync.UserStream, *statesync.Frame]{
		Role: ssp.Client, Key: key, Conn: pc, Peer: srvAddr,
		Local: statesync.NewUserStream(), Remote: statesync.NewFrame(80, 24),
	})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	ran := make(chan error, 1)
	go func() { ran <- cl.Run(ctx) }()
	defer func() { cancel(); <-ran }()
	cl.Do(ctx, func() { cl.Current().PushResize(80, 24) })
	select {
	case err := <-served:
		if err != nil {
			t.Errorf("Serve: %v", err)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("Serve did not end after its program exited")
	}
	var shut bool
	var text string
	cl.Do(ctx, func() { shut = cl.RemoteShutdown(); text = screenText(cl.Remote()) })
	if !shut || !strings.Contains(text, "bye-42") {
		t.Errorf("client saw shutdown %v, screen:\n%s", shut, text)
	}
}

// With no client at all, the server gives up (mosh: after 60 s).
func TestServeNoClientTimeout(t *testing.T) {
	key, _ := ssp.GenerateKey()
	sock, err := conn.ListenUDP(netip.MustParseAddr("127.0.0.1"), 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	err = Serve(context.Background(), SessionConfig{Conn: sock, Key: key,
		Cmd: exec.Command("sh"), NoClientTimeout: 100 * time.Millisecond})
	if err == nil || !strings.Contains(err.Error(), "no connection") {
		t.Errorf("Serve without a client = %v", err)
	}
}

// testClient is a gosh client transport connected to a Serve of cmd over
// loopback UDP.
type testClient struct {
	t      *testing.T
	cl     *ssp.Transport[*statesync.UserStream, *statesync.Frame]
	ctx    context.Context
	served chan error
}

func startServe(t *testing.T, cmd *exec.Cmd) *testClient {
	t.Helper()
	key, err := ssp.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	sock, err := conn.ListenUDP(netip.MustParseAddr("127.0.0.1"), 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	srvAddr := sock.LocalAddr()
	tc := &testClient{t: t, served: make(chan error, 1)}
	go func() {
		tc.served <- Serve(context.Background(), SessionConfig{Conn: sock, Key: key, Cmd: cmd})
	}()
	pc, err := conn.UDPNetwork{}.ListenPacket(srvAddr)
	if err != nil {
		t.Fatal(err)
	}
	tc.cl, err = ssp.New(ssp.Config[*statesync.UserStream, *statesync.Frame]{
		Role: ssp.Client, Key: key, Conn: pc, Peer: srvAddr,
		Local: statesync.NewUserStream(), Remote: statesync.NewFrame(80, 24),
	})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	tc.ctx = ctx
	ran := make(chan error, 1)
	go func() { ran <- tc.cl.Run(ctx) }()
	t.Cleanup(func() {
		tc.do(func() { tc.cl.StartShutdown(time.Now()) })
		select {
		case <-tc.served:
		case <-time.After(15 * time.Second):
			t.Error("Serve did not end after the client shut down")
		}
		cancel()
		<-ran
	})
	return tc
}

func (tc *testClient) do(f func()) {
	if err := tc.cl.Do(tc.ctx, f); err != nil {
		tc.t.Fatal(err)
	}
}

func (tc *testClient) waitFor(what string, ok func(f *statesync.Frame) bool) {
	tc.t.Helper()
	for end := time.Now().Add(10 * time.Second); ; time.Sleep(5 * time.Millisecond) {
		var good bool
		var text string
		tc.do(func() { good = ok(tc.cl.Remote()); text = screenText(tc.cl.Remote()) })
		if good {
			return
		}
		if time.Now().After(end) {
			tc.t.Fatalf("waited for %s; screen:\n%s", what, text)
		}
	}
}

// A burst of keys larger than the pty holds (a paste), typed while the
// program reads nothing, reaches it complete and in order once it reads;
// meanwhile the session goes on: the screen follows a resize and the
// echo ack for the burst arrives, so a client's predictions are judged.
func TestServeBurstWhileProgramNotReading(t *testing.T) {
	if _, err := exec.LookPath("md5sum"); err != nil {
		t.Skip("no md5sum")
	}
	dir := t.TempDir()
	const n = 40000
	cmd := exec.Command("sh", "-c", "stty raw -echo; echo ready; while [ ! -e go ]; do sleep 0.02; done; head -c 40000 | md5sum; sleep 30")
	cmd.Dir = dir
	cmd.Env = []string{"TERM=xterm", "PATH=/usr/bin:/bin"}
	tc := startServe(t, cmd)
	tc.do(func() { tc.cl.Current().PushResize(80, 24) })
	tc.waitFor("the program ready, in raw mode", func(f *statesync.Frame) bool { return strings.Contains(screenText(f), "ready") })

	burst := make([]byte, n)
	r := rand.New(rand.NewPCG(1, 2))
	for i := range burst {
		burst[i] = 'a' + byte(r.IntN(26))
	}
	var target uint64
	tc.do(func() {
		tc.cl.Current().PushKeys(burst)
		target = tc.cl.SentNum() + 1
	})
	tc.do(func() { tc.cl.Current().PushResize(70, 12) })
	tc.waitFor("the resize while the program reads nothing", func(f *statesync.Frame) bool {
		cols, rows := f.Screen().Size()
		return cols == 70 && rows == 12
	})
	tc.waitFor("the echo ack for the burst", func(f *statesync.Frame) bool { return f.EchoAck() >= target })

	if err := os.WriteFile(filepath.Join(dir, "go"), nil, 0o600); err != nil {
		t.Fatal(err)
	}
	want := fmt.Sprintf("%x", md5.Sum(burst))
	tc.waitFor("the program's digest of the burst", func(f *statesync.Frame) bool { return strings.Contains(screenText(f), want) })
}
