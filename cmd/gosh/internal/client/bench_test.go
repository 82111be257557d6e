package client

import (
	"io"
	"net"
	"net/netip"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gdamore/tcell/v2"
	"github.com/gdamore/tcell/v2/terminfo"

	"github.com/goshterm/gosh/mux/statesync"
	"github.com/goshterm/gosh/predict"
	"github.com/goshterm/gosh/ssp"
)

// capConn is a socket whose datagrams are kept for the benchmark to carry
// by hand; ReadFrom blocks until Close (nothing reads it).
type capConn struct {
	addr   netip.AddrPort
	out    [][]byte
	closed chan struct{}
	once   sync.Once
}

func newCapConn(port uint16) *capConn {
	return &capConn{addr: netip.AddrPortFrom(netip.MustParseAddr("127.0.0.1"), port), closed: make(chan struct{})}
}

func (c *capConn) ReadFrom([]byte) (int, netip.AddrPort, error) {
	<-c.closed
	return 0, netip.AddrPort{}, net.ErrClosed
}

func (c *capConn) WriteTo(b []byte, _ netip.AddrPort) error {
	c.out = append(c.out, append([]byte(nil), b...))
	return nil
}
func (c *capConn) LocalAddr() netip.AddrPort { return c.addr }
func (c *capConn) Close() error              { c.once.Do(func() { close(c.closed) }); return nil }

// take returns and forgets the datagrams written so far.
func (c *capConn) take() [][]byte {
	out := c.out
	c.out = nil
	return out
}

// discardTTY is a terminal that swallows tcell's output and never types.
type discardTTY struct {
	n      int
	closed chan struct{}
	once   sync.Once
}

func (t *discardTTY) Start() error                { return nil }
func (t *discardTTY) Stop() error                 { return t.Close() }
func (t *discardTTY) Drain() error                { return t.Close() }
func (t *discardTTY) NotifyResize(func())         {}
func (t *discardTTY) Write(b []byte) (int, error) { t.n += len(b); return len(b), nil }
func (t *discardTTY) Read([]byte) (int, error) {
	<-t.closed
	return 0, io.EOF
}
func (t *discardTTY) Close() error { t.once.Do(func() { close(t.closed) }); return nil }
func (t *discardTTY) WindowSize() (tcell.WindowSize, error) {
	return tcell.WindowSize{Width: 80, Height: 24}, nil
}

// BenchmarkEchoFrame measures the client's part of a key's echo at 0 ms:
// the server's frame with the echoed character arrives as a datagram,
// and the client decrypts and applies it (ReceivePacket), takes it as the
// replica (newFrame) and draws it on an xterm-256color terminal (render:
// the overlay, the renderer's pass over the cells, tcell's Show, which
// writes only the changed cell). The echo overwrites the cell at the
// cursor with the next letter. The screen above the prompt is full of
// text. bytes/op is what reached the terminal per key.
func BenchmarkEchoFrame(b *testing.B) {
	ti, err := terminfo.LookupTerminfo("xterm-256color")
	if err != nil {
		b.Skip("no xterm-256color terminfo:", err)
	}
	tty := &discardTTY{closed: make(chan struct{})}
	scr, err := tcell.NewTerminfoScreenFromTtyTerminfo(tty, ti)
	if err != nil {
		b.Fatal(err)
	}
	if err := scr.Init(); err != nil {
		b.Fatal(err)
	}
	defer scr.Fini()

	key, _ := ssp.GenerateKey()
	cc, sc := newCapConn(40000), newCapConn(60001)
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	client, err := ssp.New(ssp.Config[*statesync.UserStream, *statesync.Frame]{
		Role: ssp.Client, Key: key, Conn: cc, Peer: sc.addr,
		Local: statesync.NewUserStream(), Remote: statesync.NewFrame(80, 24),
	})
	if err != nil {
		b.Fatal(err)
	}
	defer client.Close()
	server, err := ssp.New(ssp.Config[*statesync.Frame, *statesync.UserStream]{
		Role: ssp.Server, Key: key, Conn: sc, Local: statesync.NewFrame(80, 24), Remote: statesync.NewUserStream(),
	})
	if err != nil {
		b.Fatal(err)
	}
	defer server.Close()
	screen := server.Current().Screen()
	for range 23 {
		screen.WriteString(strings.Repeat("lorem ipsum ", 6) + "\r\n")
	}
	screen.WriteString("\x1b[1;32mu@h\x1b[m:~$ ")
	server.Current().SetGoshVersion(statesync.ProtocolVersion)
	server.Current().SetPane(statesync.Pane{Width: 80, Height: 24, Echo: true, Program: "bash"})

	f := newFront(Config{Server: sc.addr, Predict: predict.Never, Term: "xterm-256color"}, scr, client, 80, 24)
	// exchange carries what each side sent to the other.
	exchange := func() {
		for _, d := range cc.take() {
			server.Receive(now, d, cc.addr)
		}
		server.Tick(now)
		for _, d := range sc.take() {
			client.Receive(now, d, sc.addr)
		}
		f.newFrame()
		client.Tick(now)
	}
	client.Current().PushResize(80, 24)
	client.Tick(now)
	for range 20 {
		exchange()
		now = now.Add(100 * time.Millisecond)
	}
	f.render(now)
	if !f.connected {
		b.Fatal("the client never took a frame")
	}
	tty.n = 0
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		b.StopTimer()
		now = now.Add(100 * time.Millisecond)
		client.Tick(now) // the ack of the last frame
		for _, d := range cc.take() {
			server.Receive(now, d, cc.addr)
		}
		server.Tick(now)
		for _, d := range sc.take() {
			client.Receive(now, d, sc.addr)
		}
		f.newFrame()
		// A different letter each time, the cursor kept: a frame that
		// undid the last would equal the acked one, and the server
		// would wait for the ack instead of sending.
		screen.WriteString(string(rune('a'+i%26)) + "\b")
		server.Tick(now)
		for range 10 { // past the server's collection delay
			if len(sc.out) > 0 {
				break
			}
			now = now.Add(server.WaitTime(now))
			server.Tick(now)
		}
		dgrams := sc.take()
		if len(dgrams) == 0 {
			b.Fatal("the server sent nothing")
		}
		b.StartTimer()
		for _, d := range dgrams {
			client.ReceivePacket(now, ssp.Packet{Data: d, From: sc.addr})
		}
		f.newFrame()
		f.render(now)
	}
	b.StopTimer()
	b.ReportMetric(float64(tty.n)/float64(b.N), "bytes/op")
	if c := f.fb.Cell(7, 23).Text; len(c) != 1 || c[0] < 'a' || c[0] > 'z' {
		b.Fatalf("replica cell = %q, want a letter", c)
	}
}
