package client

import (
	"bytes"
	"io"
	"net"
	"net/netip"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gdamore/tcell/v2"
	"github.com/gdamore/tcell/v2/terminfo"

	"github.com/goshterm/gosh/bench/cold"
	"github.com/goshterm/gosh/mux/statesync"
	"github.com/goshterm/gosh/predict"
	"github.com/goshterm/gosh/ssp"
	"github.com/goshterm/gosh/vt"
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

// discardTTY is a terminal that swallows tcell's output (or keeps it in
// rec when set) and never types.
type discardTTY struct {
	n      int
	rec    *bytes.Buffer
	closed chan struct{}
	once   sync.Once
}

func (t *discardTTY) Start() error        { return nil }
func (t *discardTTY) Stop() error         { return t.Close() }
func (t *discardTTY) Drain() error        { return t.Close() }
func (t *discardTTY) NotifyResize(func()) {}
func (t *discardTTY) Write(b []byte) (int, error) {
	t.n += len(b)
	if t.rec != nil {
		t.rec.Write(b)
	}
	return len(b), nil
}
func (t *discardTTY) Read([]byte) (int, error) {
	<-t.closed
	return 0, io.EOF
}
func (t *discardTTY) Close() error { t.once.Do(func() { close(t.closed) }); return nil }
func (t *discardTTY) WindowSize() (tcell.WindowSize, error) {
	return tcell.WindowSize{Width: 80, Height: 24}, nil
}

// benchSession is a client front on an xterm-256color terminal that
// swallows output, and a server, joined by captured datagrams carried by
// hand. The server's screen is full of text above a bash prompt.
type benchSession struct {
	tty    *discardTTY
	f      *front
	client *ssp.Transport[*statesync.UserStream, *statesync.Frame]
	server *ssp.Transport[*statesync.Frame, *statesync.UserStream]
	screen *vt.Screen // the server's
	cc, sc *capConn
	now    time.Time
}

func newBenchSession(b testing.TB, mode predict.Mode) *benchSession {
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
	b.Cleanup(scr.Fini)

	key, _ := ssp.GenerateKey()
	s := &benchSession{tty: tty, cc: newCapConn(40000), sc: newCapConn(60001), now: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	s.client, err = ssp.New(ssp.Config[*statesync.UserStream, *statesync.Frame]{
		Role: ssp.Client, Key: key, Conn: s.cc, Peer: s.sc.addr,
		Local: statesync.NewUserStream(), Remote: statesync.NewFrame(80, 24),
	})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.client.Close() })
	s.server, err = ssp.New(ssp.Config[*statesync.Frame, *statesync.UserStream]{
		Role: ssp.Server, Key: key, Conn: s.sc, Local: statesync.NewFrame(80, 24), Remote: statesync.NewUserStream(),
	})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.server.Close() })
	s.screen = s.server.Current().Screen()
	for range 23 {
		s.screen.WriteString(strings.Repeat("lorem ipsum ", 6) + "\r\n")
	}
	s.screen.WriteString("\x1b[1;32mu@h\x1b[m:~$ ")
	s.server.Current().SetGoshVersion(statesync.ProtocolVersion)
	s.server.Current().SetPane(statesync.Pane{Width: 80, Height: 24, Echo: true, Program: "bash"})

	s.f = newFront(Config{Server: s.sc.addr, Predict: mode, Term: "xterm-256color"}, scr, s.client, 80, 24)
	s.client.Current().PushResize(80, 24)
	s.client.Tick(s.now)
	for range 20 {
		s.exchange()
		s.now = s.now.Add(100 * time.Millisecond)
	}
	s.f.render(s.now)
	if !s.f.connected {
		b.Fatal("the client never took a frame")
	}
	return s
}

// exchange carries what each side sent to the other, and the server's
// answer back.
func (s *benchSession) exchange() {
	s.client.Tick(s.now)
	for _, d := range s.cc.take() {
		s.server.Receive(s.now, d, s.cc.addr)
	}
	s.server.RemoteConsumed() // as the daemon, which reads the keys
	// The daemon's echo ack comes 50 ms after the keys; the clock here
	// moves in bigger steps.
	s.server.Current().SetEchoAck(s.server.RemoteNum())
	for _, d := range s.serverSend() {
		s.client.Receive(s.now, d, s.sc.addr)
	}
	s.f.newFrame()
	s.f.render(s.now)
}

// serverSend has the server send its frame, moving the clock past its
// collection delay, and returns the datagrams instead of delivering them.
func (s *benchSession) serverSend() [][]byte {
	s.server.Tick(s.now)
	for range 10 {
		if len(s.sc.out) > 0 {
			break
		}
		s.now = s.now.Add(s.server.WaitTime(s.now))
		s.server.Tick(s.now)
	}
	return s.sc.take()
}

// BenchmarkEchoFrame measures the client's part of a key's echo at 0 ms:
// the server's frame with the echoed character arrives as a datagram,
// and the client decrypts and applies it (ReceivePacket), takes it as the
// replica (newFrame) and draws it on an xterm-256color terminal (render:
// the overlay, the renderer's pass over the changed row, the direct
// writer, which writes only the changed cell). The user types x and
// deletes it, again and again, at a prompt below a screen full of text. bytes/op is what reached the terminal per key.
// "never" is Predict never; "adaptive" the default, whose engine judges
// its (undrawn) guesses against each frame.
func BenchmarkEchoFrame(b *testing.B) {
	for _, m := range []struct {
		name string
		mode predict.Mode
	}{{"never", predict.Never}, {"adaptive", predict.Adaptive}} {
		b.Run(m.name, func(b *testing.B) { benchEchoFrame(b, m.mode) })
	}
}

func benchEchoFrame(b *testing.B, mode predict.Mode) {
	s := newBenchSession(b, mode)
	f, client, server, sc, cc := s.f, s.client, s.server, s.sc, s.cc
	s.tty.n = 0
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		b.StopTimer()
		s.now = s.now.Add(100 * time.Millisecond)
		now := s.now
		if mode != predict.Never {
			if i%2 == 0 {
				f.key(tcell.NewEventKey(tcell.KeyRune, 'x', 0))
			} else {
				f.key(tcell.NewEventKey(tcell.KeyDEL, 0, 0))
			}
		}
		client.Tick(now) // the ack of the last frame, the key
		for _, d := range cc.take() {
			server.Receive(now, d, cc.addr)
		}
		server.RemoteConsumed()
		server.Current().SetEchoAck(server.RemoteNum())
		server.Tick(now)
		for _, d := range sc.take() {
			client.Receive(now, d, sc.addr)
		}
		f.newFrame()
		f.render(now)
		// Typing x and deleting it, as bash's readline echoes them.
		s.screen.WriteString([]string{"x", "\b\x1b[K"}[i%2])
		s.now = now
		dgrams := s.serverSend()
		now = s.now
		if len(dgrams) == 0 {
			b.Fatal("the server sent nothing")
		}
		b.StartTimer()
		cold.Sweep(b)
		for _, d := range dgrams {
			client.ReceivePacket(now, ssp.Packet{Data: d, From: sc.addr})
		}
		f.newFrame()
		f.render(now)
	}
	b.StopTimer()
	b.ReportMetric(float64(s.tty.n)/float64(b.N), "bytes/op")
	if !f.fb.FrameEqual(s.screen) {
		b.Fatal("the replica is not the server's screen")
	}
}
