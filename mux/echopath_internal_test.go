package mux

import (
	"context"
	"github.com/goshterm/gosh/bench/cold"
	"github.com/goshterm/gosh/mux/pty"
	"net"
	"net/netip"
	"testing"
	"time"

	"github.com/goshterm/gosh/mux/compose"
	"github.com/goshterm/gosh/mux/statesync"
	"github.com/goshterm/gosh/ssp"
	"github.com/goshterm/gosh/ssp/conn"
)

// echoFixture is a server with one session whose pane runs a program that
// reads and discards its input without echo, and an attached client whose
// loop is not running: a benchmark calls the loop's steps itself, one at a
// time, so that each is measured without the pty round trip and the
// scheduler around it.
func echoFixture(tb testing.TB) (*Server, *client, *Pane) { return echoFixtureHooks(tb, nil) }

// echoFixtureHooks is echoFixture with plugins (hooks) configured.
func echoFixtureHooks(tb testing.TB, hooks Hooks) (*Server, *client, *Pane) {
	tb.Helper()
	s := NewServer(Config{Shell: "/bin/sh", Env: []string{"PATH=/usr/local/bin:/usr/bin:/bin", "HOME=/tmp", "ENV="}, Hooks: hooks})
	tb.Cleanup(func() { s.Close() })
	if err := s.Run(context.Background(), Client{Cwd: "/"},
		[]string{"new-session", "-d", "-s", "echo", "-x", "80", "-y", "23", "stty -echo; exec cat >/dev/null"}); err != nil {
		tb.Fatal(err)
	}
	c := attachTestClient(tb, s, "echo", "bench")
	s.mu.Lock()
	p := c.session.current.active
	s.mu.Unlock()
	return s, c, p
}

// echoOutput is what the pane's screen takes for the i-th key: the key's
// echo, and now and then a fresh prompt.
func echoOutput(p *Pane, i int) {
	p.mu.Lock()
	if i%70 == 0 {
		p.screen.WriteString("\r\n$ ")
	} else {
		p.screen.WriteString("x")
	}
	p.mu.Unlock()
}

// BenchmarkClientCompose is the daemon's compose of an echo frame (a
// client's loop after its pane printed one character): the model's
// facts, the snapshot, the status line and the frame.
func BenchmarkClientCompose(b *testing.B) { benchCompose(b, 0) }

// benchCompose composes echo frames for a session that has background
// more windows besides the echoing one.
func benchCompose(b *testing.B, background int) {
	s, c, p := echoFixture(b)
	for range background {
		if err := s.Run(context.Background(), Client{Cwd: "/"}, []string{"new-window", "-d", "-t", "echo", "exec cat"}); err != nil {
			b.Fatal(err)
		}
	}
	c.compose(time.Now())
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		i++
		echoOutput(p, i)
		cold.Sweep(b)
		c.compose(time.Now())
	}
}

// BenchmarkClientComposeWindows is BenchmarkClientCompose with four
// background windows named after their programs (automatic-rename): their
// names are kept between reads (nameRefresh), not read from /proc for
// every frame. Run it -cold: warm, a read is cheap.
func BenchmarkClientComposeWindows(b *testing.B) { benchCompose(b, 4) }

// segmentHooks is a plugin host whose status source shows one segment.
type segmentHooks struct{}

func (segmentHooks) ClientStatus(StatusFacts, func()) StatusSource { return segmentSource{} }
func (segmentHooks) Authorize(context.Context, AuthRequest) AuthDecision {
	return AuthDecision{Verdict: AuthAllow}
}
func (segmentHooks) Answer(context.Context, AuthRequest, string, string) AuthDecision {
	return AuthDecision{Verdict: AuthAllow}
}

type segmentSource struct{}

func (segmentSource) Update(StatusFacts) {}
func (segmentSource) Status() ([]compose.Segment, string) {
	return []compose.Segment{{Text: "cpu 3%", Align: compose.AlignRight}}, ""
}
func (segmentSource) Close() {}

// BenchmarkClientComposePlugins is BenchmarkClientCompose with plugins
// configured: the status facts are gathered for every frame too.
func BenchmarkClientComposePlugins(b *testing.B) {
	_, c, p := echoFixtureHooks(b, segmentHooks{})
	c.compose(time.Now())
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		i++
		echoOutput(p, i)
		c.compose(time.Now())
	}
}

// BenchmarkClientKeys is the daemon's routing of one typed key to its
// pane: the input state machine and the write to the pty. Run it -cold
// too: warm, the routing is a few hundred ns.
func BenchmarkClientKeys(b *testing.B) {
	_, c, _ := echoFixture(b)
	key := []byte("x")
	b.ReportAllocs()
	for b.Loop() {
		cold.Sweep(b)
		c.keysIn(key)
	}
}

// memConn is a socket that keeps what is sent on it for the benchmark to
// deliver by hand.
type memConn struct {
	addr netip.AddrPort
	out  [][]byte
}

func (c *memConn) ReadFrom([]byte) (int, netip.AddrPort, error) {
	return 0, netip.AddrPort{}, net.ErrClosed
}
func (c *memConn) WriteTo(b []byte, _ netip.AddrPort) error {
	c.out = append(c.out, append([]byte(nil), b...))
	return nil
}
func (c *memConn) LocalAddr() netip.AddrPort { return c.addr }
func (c *memConn) Close() error              { return nil }

// take returns and forgets what was sent.
func (c *memConn) take() [][]byte {
	out := c.out
	c.out = nil
	return out
}

// echoCycle is a client's transport talking to echoFixture's daemon side
// through memConns, on a clock the benchmark advances.
type echoCycle struct {
	c    *client
	p    *Pane
	peer *ssp.Transport[*statesync.UserStream, *statesync.Frame]
	// takeUp and takeDown return what the client and the daemon sent
	// since the last call; upFrom and downFrom are where each arrives from.
	takeUp, takeDown func() [][]byte
	upFrom, downFrom netip.AddrPort
	now              time.Time
	keys             int
}

func newEchoCycle(tb testing.TB) *echoCycle {
	sc := &memConn{addr: netip.MustParseAddrPort("127.0.0.1:60001")}
	pc := &memConn{addr: netip.MustParseAddrPort("127.0.0.1:5000")}
	e := &echoCycle{takeUp: pc.take, takeDown: sc.take, upFrom: pc.addr, downFrom: sc.addr}
	e.start(tb, sc, pc)
	return e
}

// start links the fixture's client to a daemon transport on daemonConn
// and a client transport on peerConn, and lets the first states settle.
func (e *echoCycle) start(tb testing.TB, daemonConn, peerConn conn.PacketConn) {
	_, c, p := echoFixture(tb)
	key, _ := ssp.GenerateKey()
	e.c, e.p, e.now = c, p, time.Now()
	var err error
	c.tr.Close()
	c.tr, err = ssp.New(ssp.Config[*statesync.Frame, *statesync.UserStream]{Role: ssp.Server, Key: key, Conn: daemonConn,
		Local: statesync.NewFrame(80, 24), Remote: statesync.NewUserStream()})
	if err != nil {
		tb.Fatal(err)
	}
	e.peer, err = ssp.New(ssp.Config[*statesync.UserStream, *statesync.Frame]{Role: ssp.Client, Key: key, Conn: peerConn,
		Peer: daemonConn.LocalAddr(), Local: statesync.NewUserStream(), Remote: statesync.NewFrame(80, 24)})
	if err != nil {
		tb.Fatal(err)
	}
	e.peer.Current().PushResize(80, 24)
	for range 4 {
		e.key(nil)
	}
}

// deliver hands each side what the other sent, until both are quiet.
func (e *echoCycle) deliver() (daemonSent int) {
	for range 8 {
		in, out := e.takeUp(), e.takeDown()
		if len(in) == 0 && len(out) == 0 {
			return
		}
		for _, d := range in {
			if e.c.tr.Receive(e.now, d, e.upFrom) && e.c.consume(e.now) {
				e.c.compose(e.now)
			}
		}
		_ = e.c.tr.Tick(e.now)
		for _, d := range out {
			daemonSent++
			e.peer.Receive(e.now, d, e.downFrom)
		}
		_ = e.peer.Tick(e.now)
	}
	return
}

// key is one keystroke's trip, as the daemon's loop runs it: the client
// sends the key, the daemon receives it and writes it to the pane, the
// pane's echo is composed and sent, and the acks go back and forth. A nil
// key only exchanges acks.
func (e *echoCycle) key(k []byte) {
	e.now = e.now.Add(25 * time.Millisecond)
	if k != nil {
		e.peer.Current().PushKeys(k)
	}
	_ = e.peer.Tick(e.now)
	for _, d := range e.takeUp() {
		if e.c.tr.Receive(e.now, d, e.upFrom) {
			e.c.consume(e.now)
		}
	}
	if k != nil {
		e.keys++
		echoOutput(e.p, e.keys)
	}
	e.c.compose(e.now)
	_ = e.c.tr.Tick(e.now)
	e.now = e.now.Add(time.Millisecond)
	e.deliver()
}

// BenchmarkDaemonEcho is the daemon's whole share of a keystroke's echo,
// in process: ReceivePacket of the key's datagram, its routing and write
// to the pty, the compose of the echo frame and the Tick that seals and
// sends it — with the client's transport answering through memory, so
// that acks flow as on a link. The client's own work is in the figure
// too (its Tick and Receive); the pty round trip and the scheduler are not.
func BenchmarkDaemonEcho(b *testing.B) {
	e := newEchoCycle(b)
	key := []byte("x")
	b.ReportAllocs()
	for b.Loop() {
		cold.Sweep(b)
		e.key(key)
	}
}

// TestEchoCycle checks BenchmarkDaemonEcho's fixture: typed keys reach
// the daemon, and the pane's echo reaches the client's replica.
func TestEchoCycle(t *testing.T) {
	e := newEchoCycle(t)
	for range 3 {
		e.key([]byte("x"))
	}
	if got := e.peer.Remote().Screen().Cell(2, 0).Text; got != "x" {
		t.Errorf("replica's cell (2,0) = %q, want the third echoed x; frame row 0 %q", got, e.c.tr.Current().Screen().Cell(2, 0).Text)
	}
	if n := e.peer.RemoteNum(); n < 3 {
		t.Errorf("client has frame %d, want at least one per key", n)
	}
}

// TestEchoFixtureTypes checks the fixture the benchmarks use: a key goes to
// the pane's program, and the pane's output reaches the composed frame.
func TestEchoFixtureTypes(t *testing.T) {
	_, c, p := echoFixture(t)
	c.keysIn([]byte("x"))
	echoOutput(p, 1)
	if _, ok := c.compose(time.Now()); !ok {
		t.Fatal("compose found no session")
	}
	if got := c.tr.Current().Screen().Cell(0, 0).Text; got != "x" {
		t.Errorf("frame's first cell = %q, want the pane's x", got)
	}
}

// TestComposeRechecksReusedName: a frame that reused the active pane's
// program name (pty.NameReuse) asks to be composed again when the reuse
// ends, so that a program exec'd in the same group (exec vim) is named
// then, with no output to prompt a frame; otherwise the window would keep
// the old name until the status line's next redraw.
func TestComposeRechecksReusedName(t *testing.T) {
	_, c, _ := echoFixture(t)
	now := time.Now()
	c.compose(now)                            // read afresh: a group new to the cache
	c.compose(now.Add(60 * time.Millisecond)) // read afresh, settled: reused from now on
	wait, ok := c.compose(now.Add(100 * time.Millisecond))
	if !ok {
		t.Fatal("compose found no session")
	}
	if wait > pty.NameReuse {
		t.Errorf("compose with a reused name asks to be called again in %v, want within the reuse time %v", wait, pty.NameReuse)
	}
}

// TestStatusRedrawDoesNotDelayEcho: a frame composed for the status line
// alone (its timed redraw) does not start the compose pacing, so pane
// output just after it (a keystroke's echo) is composed at once rather
// than an interval later.
func TestStatusRedrawDoesNotDelayEcho(t *testing.T) {
	_, c, p := echoFixture(t)
	l := &clientLoop{c: c, start: time.Now(), dirty: true}
	l.step()                                        // the first frame
	l.lastCompose = time.Now().Add(-time.Second)    // long ago
	l.statusDue = time.Now().Add(-time.Millisecond) // the status line's redraw is due
	l.step()
	echoOutput(p, 1) // the pane prints; its watcher marks the loop dirty
	l.dirty = true
	l.step()
	if got := c.tr.Current().Screen().Cell(0, 0).Text; got != "x" {
		t.Errorf("frame's first cell = %q after the pane printed x: the echo waited for the pacing after a status redraw", got)
	}
}
