package client

import (
	"bytes"
	"context"
	"net/netip"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/creack/pty"
	"golang.org/x/sys/unix"

	"github.com/goshterm/gosh/mux/statesync"
	"github.com/goshterm/gosh/ssp"
	"github.com/goshterm/gosh/ssp/conn"
)

// TestSelectLoopOnARealTerminal runs the client on a real pty through the
// select loop, the loop Run uses for a real terminal on every system but
// Linux (haveRawLoop): tcell reads the terminal and the transport's Inbox
// the socket. A Network in the Config gives that loop on Linux too, with
// the same UDP sockets macOS gets by default. Typed keys, a paste and a
// UTF-8 character reach the server in order, the server's screen is drawn
// on the terminal, a resize reaches the server, Ctrl-^ . quits, and the
// terminal is left in the mode it was found in.
func TestSelectLoopOnARealTerminal(t *testing.T) {
	key, err := ssp.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	sconn, err := conn.ListenUDP(netip.MustParseAddr("127.0.0.1"), 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	tr, err := ssp.New(ssp.Config[*statesync.Frame, *statesync.UserStream]{
		Role: ssp.Server, Key: key, Conn: sconn, Local: statesync.NewFrame(80, 24), Remote: statesync.NewUserStream(),
	})
	if err != nil {
		t.Fatal(err)
	}
	tr.Current().SetGoshVersion(statesync.ProtocolVersion) // pastes are bracketed
	tr.Current().SetPane(*bashPane)
	tr.Current().Screen().Write([]byte("select-loop-prompt$ "))
	host := &fakeHost{tr: tr, mode: hostEcho}
	ctx, cancel := context.WithCancel(context.Background())
	hostDone := make(chan struct{})
	go func() {
		defer close(hostDone)
		host.run(ctx)
	}()
	defer func() {
		cancel()
		<-hostDone
	}()

	ptmx, tty, err := pty.Open()
	if err != nil {
		t.Fatal(err)
	}
	defer ptmx.Close()
	defer tty.Close()
	if err := pty.Setsize(ptmx, &pty.Winsize{Cols: 80, Rows: 24}); err != nil {
		t.Fatal(err)
	}
	before, err := unix.IoctlGetTermios(int(tty.Fd()), ioctlGetTermios)
	if err != nil {
		t.Fatal(err)
	}
	// The user's terminal: keep what the client draws.
	var outMu sync.Mutex
	var out bytes.Buffer
	go func() {
		buf := make([]byte, 32<<10)
		for {
			n, err := ptmx.Read(buf)
			outMu.Lock()
			out.Write(buf[:n])
			outMu.Unlock()
			if err != nil {
				return
			}
		}
	}()
	drawn := func() string {
		outMu.Lock()
		defer outMu.Unlock()
		return out.String()
	}
	resize := make(chan struct{}, 1)
	done := make(chan error, 1)
	go func() {
		done <- Run(ctx, Config{
			Server: sconn.LocalAddr(), Key: key, In: tty, Out: tty, Network: conn.UDPNetwork{},
			Resize: resize, Suspend: func() bool { return false },
		})
	}()

	until := func(what string, ok func() bool) {
		t.Helper()
		for range 1000 {
			if ok() {
				return
			}
			select {
			case err := <-done:
				t.Fatalf("client ended (%v) waiting for %s", err, what)
			case <-time.After(10 * time.Millisecond):
			}
		}
		t.Fatalf("%s: server got %q; terminal shows %q", what, host.received(), drawn())
	}
	until("the server's screen drawn", func() bool { return strings.Contains(drawn(), "select-loop-prompt$") })

	var want strings.Builder
	typed := func(in, sent string) {
		t.Helper()
		if _, err := ptmx.Write([]byte(in)); err != nil {
			t.Fatal(err)
		}
		want.WriteString(sent)
	}
	typed("ab\x1b[Acd", "ab\x1bOAcd") // cursor keys in application mode
	typed("x\x1b[200~paste\tme\x1b[201~y", "x\x1b[200~paste\tme\x1b[201~y")
	typed("\xc3\xa9!", "é!")
	until("keys, a paste and a UTF-8 character", func() bool { return host.received() == want.String() })
	until("the echo drawn", func() bool { return strings.Contains(drawn(), "é!") })

	if err := pty.Setsize(ptmx, &pty.Winsize{Cols: 100, Rows: 30}); err != nil {
		t.Fatal(err)
	}
	resize <- struct{}{}
	until("the resize", func() bool {
		host.mu.Lock()
		defer host.mu.Unlock()
		return len(host.resizes) > 0 && host.resizes[len(host.resizes)-1] == [2]int{100, 30}
	})

	if _, err := ptmx.Write([]byte("\x1e.")); err != nil { // Ctrl-^ . quits
		t.Fatal(err)
	}
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("Run: %v", err)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("client did not exit after Ctrl-^ .")
	}
	after, err := unix.IoctlGetTermios(int(tty.Fd()), ioctlGetTermios)
	if err != nil {
		t.Fatal(err)
	}
	if after.Lflag != before.Lflag || after.Iflag != before.Iflag || after.Oflag != before.Oflag {
		t.Errorf("terminal left in another mode: lflag %#x iflag %#x oflag %#x, was %#x %#x %#x",
			after.Lflag, after.Iflag, after.Oflag, before.Lflag, before.Iflag, before.Oflag)
	}
}
