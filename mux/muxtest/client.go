package muxtest

import (
	"context"
	"fmt"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/goshterm/gosh/mux"
	"github.com/goshterm/gosh/mux/statesync"
	"github.com/goshterm/gosh/ssp"
	"github.com/goshterm/gosh/ssp/conn"
	"github.com/goshterm/gosh/vt"
)

// Client is a test client attached over SSP on loopback UDP: a real client
// Transport and a statesync.Frame replica, with no terminal. It types with
// Type and reads the replica with Screen and Text.
type Client struct {
	t      testing.TB
	Reply  *mux.AttachReply
	tr     *ssp.Transport[*statesync.UserStream, *statesync.Frame]
	cancel context.CancelFunc
	done   chan error
}

// Attach asks s to attach a cols×rows client to target (attach-session
// -t target) and connects a Client to the endpoint it returns. The
// client is stopped when the test ends.
func Attach(t testing.TB, s *mux.Server, target string, cols, rows int) *Client {
	t.Helper()
	argv := []string{"attach-session"}
	if target != "" {
		argv = append(argv, "-t", target)
	}
	resp := s.Handle(context.Background(), mux.Request{Version: mux.ProtocolVersion, Argv: argv,
		Attach: &mux.AttachRequest{Cols: cols, Rows: rows, Term: "xterm-256color", PortLow: 0, PortHigh: 0}})
	if resp.Code != 0 || resp.Attach == nil {
		t.Fatalf("attach %q: code %d: %s", target, resp.Code, resp.Stderr)
	}
	key, err := ssp.ParseKey(resp.Attach.Key)
	if err != nil {
		t.Fatalf("attach reply key: %v", err)
	}
	return Connect(t, resp.Attach, key, cols, rows)
}

// Connect runs a client transport against an attach reply's endpoint on
// 127.0.0.1 with key (which may differ from the reply's, to play a
// stranger).
func Connect(t testing.TB, reply *mux.AttachReply, key ssp.Key, cols, rows int) *Client {
	t.Helper()
	pc, err := conn.ListenUDP(netip.AddrFrom4([4]byte{127, 0, 0, 1}), 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	tr, err := ssp.New(ssp.Config[*statesync.UserStream, *statesync.Frame]{
		Role: ssp.Client, Key: key, Conn: pc,
		Peer:  netip.AddrPortFrom(netip.AddrFrom4([4]byte{127, 0, 0, 1}), uint16(reply.Port)),
		Local: statesync.NewUserStream(), Remote: statesync.NewFrame(80, 24),
	})
	if err != nil {
		pc.Close()
		t.Fatal(err)
	}
	tr.Current().PushResize(cols, rows)
	ctx, cancel := context.WithCancel(context.Background())
	c := &Client{t: t, Reply: reply, tr: tr, cancel: cancel, done: make(chan error, 1)}
	go func() { c.done <- tr.Run(ctx) }()
	t.Cleanup(c.Stop)
	return c
}

// Stop ends the client's transport without telling the server, as a
// client that dies does. It is idempotent.
func (c *Client) Stop() {
	if c.cancel == nil {
		return
	}
	c.cancel()
	<-c.done
	c.cancel = nil
}

func (c *Client) do(f func()) {
	c.t.Helper()
	if err := c.tr.Do(context.Background(), f); err != nil {
		c.t.Fatalf("client transport stopped: %v", err)
	}
}

// Type sends keystroke bytes.
func (c *Client) Type(keys string) {
	c.t.Helper()
	c.do(func() { c.tr.Current().PushKeys([]byte(keys)) })
}

// Resize sends a new terminal size.
func (c *Client) Resize(cols, rows int) {
	c.t.Helper()
	c.do(func() { c.tr.Current().PushResize(cols, rows) })
}

// Screen returns a copy of the replica's screen and its pane facts; nil
// before the first frame arrived.
func (c *Client) Screen() (*vt.Screen, statesync.Pane) {
	c.t.Helper()
	var scr *vt.Screen
	var p statesync.Pane
	c.do(func() {
		if c.tr.RemoteNum() > 0 {
			scr = c.tr.Remote().Screen().Clone()
			p, _ = c.tr.Remote().Pane()
		}
	})
	return scr, p
}

// Connected reports whether any frame arrived from the server.
func (c *Client) Connected() bool {
	c.t.Helper()
	var n uint64
	c.do(func() { n = c.tr.RemoteNum() })
	return n > 0
}

// ServerShutdown reports whether the server ended the session (detach).
func (c *Client) ServerShutdown() bool {
	c.t.Helper()
	var b bool
	c.do(func() { b = c.tr.RemoteShutdown() })
	return b
}

// Quit starts the client's side of the shutdown handshake, as mosh's
// Ctrl-^ . does.
func (c *Client) Quit() {
	c.t.Helper()
	c.do(func() { c.tr.StartShutdown(time.Now()) })
}

// Text returns the replica's rows as text, trailing blanks trimmed.
func (c *Client) Text() []string {
	c.t.Helper()
	scr, _ := c.Screen()
	return Rows(scr)
}

// Rows returns a screen's rows as text, trailing blanks trimmed; nil for a
// nil screen.
func Rows(scr *vt.Screen) []string {
	if scr == nil {
		return nil
	}
	cols, rows := scr.Size()
	out := make([]string, rows)
	for y := range rows {
		var b strings.Builder
		for x := 0; x < cols; x++ {
			cell := scr.Cell(x, y)
			if cell.Width == 2 {
				x++ // the right half of a wide character draws nothing
			}
			if cell.Text == "" {
				b.WriteByte(' ')
			} else {
				b.WriteString(cell.Text)
			}
		}
		out[y] = strings.TrimRight(b.String(), " ")
	}
	return out
}

// WaitText polls the replica until cond holds for its rows, and returns
// them; it fails the test with the last screen after Deadline.
func (c *Client) WaitText(what string, cond func(rows []string) bool) []string {
	c.t.Helper()
	var last []string
	for end := time.Now().Add(Deadline); time.Now().Before(end); time.Sleep(10 * time.Millisecond) {
		last = c.Text()
		if last != nil && cond(last) {
			return last
		}
	}
	c.t.Fatalf("client never showed %s; last screen:\n%s", what, strings.Join(last, "\n"))
	return nil
}

// WaitContains waits until some row contains want.
func (c *Client) WaitContains(want string) []string {
	c.t.Helper()
	return c.WaitText(fmt.Sprintf("%q", want), func(rows []string) bool {
		for _, r := range rows {
			if strings.Contains(r, want) {
				return true
			}
		}
		return false
	})
}

// Changed receives a value (coalesced) when a new frame arrived.
func (c *Client) Changed() <-chan struct{} { return c.tr.Changed() }
