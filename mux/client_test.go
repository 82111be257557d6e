package mux

import (
	"bytes"
	"context"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/goshterm/gosh/mux/input"
	"github.com/goshterm/gosh/mux/statesync"
	"github.com/goshterm/gosh/ssp"
	"github.com/goshterm/gosh/ssp/conn"
	"github.com/goshterm/gosh/vt"
)

// testEnv is the panes' environment: a plain sh prompt, no rc files.
var testEnv = []string{"PATH=/usr/local/bin:/usr/bin:/bin", "PS1=$ ", "HOME=/tmp", "ENV=", "LANG=C.UTF-8"}

// testDeadline bounds every wait; it only stops a broken test.
const testDeadline = 15 * time.Second

func newTestServer(t *testing.T, argv ...string) *Server {
	t.Helper()
	s := NewServer(Config{Shell: "/bin/sh", Env: testEnv})
	t.Cleanup(func() { s.Close() })
	if err := s.Run(context.Background(), Client{Stdout: &bytes.Buffer{}, Cwd: "/"}, argv); err != nil {
		t.Fatalf("%q: %v", argv, err)
	}
	return s
}

func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	eventuallyWithin(t, testDeadline, what, cond)
}

func eventuallyWithin(t *testing.T, bound time.Duration, what string, cond func() bool) {
	t.Helper()
	for end := time.Now().Add(bound); time.Now().Before(end); time.Sleep(5 * time.Millisecond) {
		if cond() {
			return
		}
	}
	t.Fatalf("timed out waiting for %s", what)
}

// A key that only goes to a pane asks for no new frame: the frame would
// be composed before the pane's echo came back, and the echo's own frame
// would then wait for the compose pacing (composeWait) — a timer on every
// keystroke's echo. Keys that change what the client shows (a prompt
// appearing and going) still do.
func TestKeysForAPaneComposeOnlyTheirEcho(t *testing.T) {
	s := newTestServer(t, "new-session", "-d", "-s", "k", "cat")
	c := &client{s: s, keys: input.New(input.Config{}), wake: make(chan struct{}, 1),
		detachCh: make(chan struct{}), watched: map[*Pane]bool{}, cols: 80, rows: 24}
	var pane *Pane
	s.mu.Lock()
	for _, ss := range s.sessions {
		c.session = ss
		pane = ss.current.active
	}
	s.mu.Unlock()

	if c.keysIn([]byte("hello")) {
		t.Error("keys for the pane asked for a frame before their echo")
	}
	eventually(t, "the pane's echo of the keys", func() bool {
		return strings.Contains(rowText(pane.Snapshot(), 0), "hello")
	})

	if !c.keysIn([]byte{0x02, 'x'}) { // C-b x: confirm-before kill-pane
		t.Error("a confirm prompt appeared without a new frame")
	}
	if !strings.Contains(c.keys.Prompt(), "kill-pane") {
		t.Fatalf("prompt %q, want kill-pane's", c.keys.Prompt())
	}
	if !c.keysIn([]byte("n")) {
		t.Error("the confirm prompt went without a new frame")
	}
	if c.keys.Prompt() != "" {
		t.Errorf("prompt %q after n, want none", c.keys.Prompt())
	}
}

// rowText is row y of scr as text (narrow characters only).
func rowText(scr *vt.Screen, y int) string {
	cols, _ := scr.Size()
	var b strings.Builder
	for x := range cols {
		if t := scr.Cell(x, y).Text; t != "" {
			b.WriteString(t)
		} else {
			b.WriteByte(' ')
		}
	}
	return b.String()
}

// A keystroke that draws nothing (echo off) still gets its echo ack, the
// number a client's prediction engine waits for to judge its guess
// (mosh-protocol.md §9.1): it rides with no composed frame, so after
// echoAckHold it goes in a frame of its own.
func TestAttachEchoAckWithoutOutput(t *testing.T) {
	s := newTestServer(t, "new-session", "-d", "-s", "quiet", "stty -echo; echo ready; exec cat")
	resp := s.Handle(context.Background(), Request{Version: ProtocolVersion, Argv: []string{"attach-session", "-t", "quiet"},
		Attach: &AttachRequest{Cols: 80, Rows: 24}})
	if resp.Code != 0 || resp.Attach == nil {
		t.Fatalf("attach: code %d: %s", resp.Code, resp.Stderr)
	}
	key, err := ssp.ParseKey(resp.Attach.Key)
	if err != nil {
		t.Fatal(err)
	}
	lo := netip.AddrFrom4([4]byte{127, 0, 0, 1})
	pc, err := conn.ListenUDP(lo, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	tr, err := ssp.New(ssp.Config[*statesync.UserStream, *statesync.Frame]{
		Role: ssp.Client, Key: key, Conn: pc, Peer: netip.AddrPortFrom(lo, uint16(resp.Attach.Port)),
		Local: statesync.NewUserStream(), Remote: statesync.NewFrame(80, 24),
	})
	if err != nil {
		pc.Close()
		t.Fatal(err)
	}
	tr.Current().PushResize(80, 24)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- tr.Run(ctx) }()
	defer func() { cancel(); <-done }()
	do := func(f func()) {
		t.Helper()
		if err := tr.Do(context.Background(), f); err != nil {
			t.Fatal(err)
		}
	}

	eventually(t, "the pane's first line on the client", func() bool {
		var ready bool
		do(func() { ready = tr.RemoteNum() > 0 && strings.Contains(rowText(tr.Remote().Screen(), 0), "ready") })
		return ready
	})
	var keysNum uint64
	do(func() {
		tr.Current().PushKeys([]byte("secret"))
		keysNum = tr.SentNum() + 1 // the state the keys travel in
	})
	// The bound is no speed test: the ack is due after 70 ms, and only
	// tells apart an ack sent for itself from one that waited for the
	// status line's periodic redraw (statusInterval, 15 s).
	eventuallyWithin(t, statusInterval/3, "the echo ack of the keys", func() bool {
		var ack uint64
		do(func() { ack = tr.Remote().EchoAck() })
		return ack >= keysNum
	})
	var row string
	do(func() { row = rowText(tr.Remote().Screen(), 1) })
	if strings.Contains(row, "secret") {
		t.Errorf("keys typed with echo off were drawn: %q", row)
	}
}
