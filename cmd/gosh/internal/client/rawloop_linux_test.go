package client

import (
	"bytes"
	"context"
	"fmt"
	"net/netip"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/creack/pty"
	"github.com/gdamore/tcell/v2"

	"github.com/goshterm/gosh/mux/statesync"
	"github.com/goshterm/gosh/predict"
	"github.com/goshterm/gosh/ssp"
	"github.com/goshterm/gosh/ssp/conn"
	"github.com/goshterm/gosh/vt"
)

// TestRawLoopKeepsInputOrder runs the client on a real pty (the raw loop:
// the client reads the terminal itself and parses with tcell's
// InputProcessor in its own loop) against a server Transport on loopback
// UDP, types text interleaved with cursor keys, a bracketed paste, a mouse
// click, a UTF-8 character split across two writes, a lone Escape and a
// large paste, and checks that the server received exactly the xterm bytes
// of those keys, in order, none lost.
func TestRawLoopKeepsInputOrder(t *testing.T) {
	key, err := ssp.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	sconn, err := conn.ListenUDP(netip.MustParseAddr("127.0.0.1"), 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	frame := statesync.NewFrame(80, 24)
	tr, err := ssp.New(ssp.Config[*statesync.Frame, *statesync.UserStream]{
		Role: ssp.Server, Key: key, Conn: sconn, Local: frame, Remote: statesync.NewUserStream(),
	})
	if err != nil {
		t.Fatal(err)
	}
	tr.Current().SetGoshVersion(statesync.ProtocolVersion) // pastes are bracketed
	tr.Current().SetPane(*bashPane)
	tr.Current().Screen().Write([]byte("\x1b[?1002h\x1b[?1006h$ ")) // mouse reports on
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
	// The user's terminal: read and drop what the client draws, so that
	// its writes never block.
	go func() {
		buf := make([]byte, 32<<10)
		for {
			if _, err := ptmx.Read(buf); err != nil {
				return
			}
		}
	}()
	done := make(chan error, 1)
	go func() {
		done <- Run(ctx, Config{Server: sconn.LocalAddr(), Key: key, In: tty, Out: tty, Suspend: func() bool { return false }})
	}()

	var want strings.Builder
	wait := func(what string) {
		t.Helper()
		for range 1000 {
			if host.received() == want.String() {
				return
			}
			select {
			case err := <-done:
				t.Fatalf("client ended (%v) waiting for %s", err, what)
			case <-time.After(10 * time.Millisecond):
			}
		}
		t.Fatalf("%s: server got\n%q\nwant\n%q", what, host.received(), want.String())
	}
	typed := func(in, out string) {
		t.Helper()
		if _, err := ptmx.Write([]byte(in)); err != nil {
			t.Fatal(err)
		}
		want.WriteString(out)
	}

	// Keys in one write and in several: cursor keys go out in
	// application mode (SS3), text as typed.
	typed("ab\x1b[Acd\x1b[D", "ab\x1bOAcd\x1bOD")
	typed("e", "e")
	typed("\x1b[1;5C", "\x1b[1;5C") // Ctrl-Right
	wait("keys and cursor keys")
	// A paste between keys keeps its place and its bytes.
	typed("x\x1b[200~paste\tme\nnow\x1b[201~y", "x\x1b[200~paste\tme\nnow\x1b[201~y")
	wait("a paste between keys")
	// A click between keys: SGR reports (gosh's server re-encodes them).
	typed("m\x1b[<0;10;5M\x1b[<0;10;5mn", "m\x1b[<0;10;5M\x1b[<0;10;5mn")
	wait("a click between keys")
	// A character split across reads is one character.
	typed("\xc3", "")
	time.Sleep(20 * time.Millisecond)
	typed("\xa9!", "é!")
	wait("a split UTF-8 character")
	// A lone Escape is sent once the parser gave up waiting for more.
	typed("\x1b", "\x1b")
	wait("a lone Escape")
	// Ctrl-^ ^ sends Ctrl-^ itself.
	typed("\x1e^z", "\x1ez")
	wait("the escape key's literal")
	// A paste larger than the terminal's buffer and the parser's chunks.
	var big strings.Builder
	for i := range 400 {
		fmt.Fprintf(&big, "line %03d: the quick brown fox jumps over the lazy dog, ü\n", i)
	}
	typed("\x1b[200~"+big.String()+"\x1b[201~k", "\x1b[200~"+big.String()+"\x1b[201~k")
	wait("a large paste")

	// Ctrl-^ . quits.
	if _, err := ptmx.Write([]byte("\x1e.")); err != nil {
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
}

// describe names an input event with what the client reads from it.
func describe(ev tcell.Event) string {
	switch ev := ev.(type) {
	case *tcell.EventKey:
		return fmt.Sprintf("key %d %q %d", ev.Key(), ev.Rune(), ev.Modifiers())
	case *tcell.EventPaste:
		return fmt.Sprintf("paste %v", ev.Start())
	case *tcell.EventMouse:
		x, y := ev.Position()
		return fmt.Sprintf("mouse %d,%d %d %d", x, y, ev.Buttons(), ev.Modifiers())
	case *tcell.EventFocus:
		return fmt.Sprintf("focus %v", ev.Focused)
	}
	return fmt.Sprintf("%T", ev)
}

// FuzzTTYInputSplits checks that the raw loop's reading — bytes arriving
// in reads cut anywhere, fed to tcell's parser in chunks, an incomplete
// UTF-8 character kept for the next read — yields the events tcell's
// parser makes of the same bytes in one piece.
func FuzzTTYInputSplits(f *testing.F) {
	f.Add([]byte("ab\x1b[Acd"), []byte{1, 3})
	f.Add([]byte("\x1b[200~paste\x1b[201~"), []byte{2, 7})
	f.Add([]byte("h\xc3\xa9llo \xe2\x82\xac \xf0\x9f\x98\x80"), []byte{2, 1, 5, 3})
	f.Add([]byte("\x1b[<0;10;5M\x1b[<0;10;5m\x1b[I"), []byte{4})
	f.Add(bytes.Repeat([]byte("x\xc3\xa9\x1bOA"), 200), []byte{255, 3, 200})
	f.Add([]byte("\x1b[200~\x1b[65;0;97;1;0;5000_x\x1b[65;0;98;1;0;900_\x1b[201~"), []byte{5, 9, 3})
	f.Add([]byte(doublyEncoded("\x1b[65;0;97;1;0;5000_")), []byte{40, 7, 100})
	f.Fuzz(func(t *testing.T, data, cuts []byte) {
		if len(data) > 8<<10 {
			return
		}
		// Reference: the whole input at once (what is left incomplete
		// at the end stays unread either way), with win32 keys' repeat
		// counts bounded as the loop does, in the pieces that takes.
		whole := data[:len(data)-incompleteTail(data)]
		ref := make(chan tcell.Event, len(whole)+inputQueue)
		ip := tcell.NewInputProcessor(ref)
		ip.SetSize(80, 24)
		awaitResize(ref) // the size is set by a goroutine
		var want []string
		shadow := newParserShadow()
		for b := whole; len(b) > 0; {
			scan, n := shadow.feed(time.Now(), b)
			b = b[n:]
			ip.ScanUTF8(scan)
		collect:
			for {
				select {
				case ev := <-ref:
					if _, ok := ev.(*tcell.EventResize); !ok {
						want = append(want, describe(ev))
					}
				default:
					break collect
				}
			}
		}

		in := newTTYInput(-1)
		in.setSize(80, 24)
		awaitResize(in.q)
		var got []string
		handle := func(ev tcell.Event) { got = append(got, describe(ev)) }
		now := time.Now()
		rest := data
		for i := 0; len(rest) > 0; i++ {
			n := len(rest)
			if i < len(cuts) {
				n = min(n, int(cuts[i])+1)
			}
			n = min(n, len(in.buf)-in.partial)
			copy(in.buf[in.partial:], rest[:n])
			rest = rest[n:]
			in.feed(now, n, handle)
		}
		if len(got) != len(want) {
			t.Fatalf("split reads made %d events, one read %d:\n%q\n%q", len(got), len(want), got, want)
		}
		for i := range got {
			if got[i] != want[i] {
				t.Fatalf("event %d: split reads %s, one read %s", i, got[i], want[i])
			}
		}
	})
}

// awaitResize waits for the EventResize that InputProcessor.SetSize posts
// once it has taken the size.
func awaitResize(q chan tcell.Event) {
	for {
		if _, ok := (<-q).(*tcell.EventResize); ok {
			return
		}
	}
}

// countingWriter records each write.
type countingWriter struct{ writes []string }

func (w *countingWriter) Write(b []byte) (int, error) {
	w.writes = append(w.writes, string(b))
	return len(b), nil
}

// TestShowIsOneWrite draws an echo on a tcell screen over the client's
// tty and checks that the update reached the terminal in one write,
// including the end of tcell's synchronized update (CSI ? 2026 l), which
// tcell writes separately: a terminal that honours mode 2026 shows
// nothing until that end arrives.
func TestShowIsOneWrite(t *testing.T) {
	ptmx, pts, err := pty.Open()
	if err != nil {
		t.Fatal(err)
	}
	defer ptmx.Close()
	defer pts.Close()
	if err := pty.Setsize(ptmx, &pty.Winsize{Cols: 80, Rows: 24}); err != nil {
		t.Fatal(err)
	}
	w := &countingWriter{}
	tt, err := newTTY(pts, w)
	if err != nil {
		t.Fatal(err)
	}
	tt.external = true
	t.Setenv("TERM", "xterm-256color")
	scr, err := tcell.NewTerminfoScreenFromTty(tt)
	if err != nil {
		t.Skip("no terminfo:", err)
	}
	if err := scr.Init(); err != nil {
		t.Fatal(err)
	}
	defer scr.Fini()
	r := newRenderer(scr)
	r.out = tt
	view := vt.NewScreen(80, 24)
	view.WriteString("$ ")
	r.draw(view, "", true)
	w.writes = nil
	next := vt.NewScreen(80, 24)
	next.WriteString("$ e")
	r.draw(next, "", true)
	if len(w.writes) != 1 {
		t.Fatalf("the echo took %d writes, want 1: %q", len(w.writes), w.writes)
	}
	if out := w.writes[0]; !strings.Contains(out, "e") || !strings.HasSuffix(out, "\x1b[?2026l") {
		t.Errorf("the write is %q; want the echoed e and the end of the synchronized update", out)
	}
}

// A wake-up from another goroutine always ends the loop's wait, wherever
// it falls: before the wait, between its look and its deadline, or while
// it is parked. A lost one would leave a hosted client's echo frame
// undrawn until the next timer, up to seconds later.
func TestPollerWakeIsNeverLost(t *testing.T) {
	p := newIdlePoller(t)
	const rounds = 2000
	// Every fourth wake-up lands between the wait's look and its
	// deadline, where the deadline it expired is overwritten.
	var round int
	p.beforeDeadline = func() {
		if round%4 == 1 {
			p.wake()
		}
	}
	go_ := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		for i := range rounds {
			<-go_
			if i%4 == 1 {
				continue // woken by beforeDeadline
			}
			if i%3 == 0 {
				time.Sleep(time.Duration(i%7) * time.Microsecond)
			}
			p.wake()
		}
	}()
	// A lost wake-up sits out the wait's hour: the watchdog fails the
	// test long before that.
	failed := make(chan string, 1)
	loopDone := make(chan struct{})
	go func() {
		defer close(loopDone)
		for i := range rounds {
			round = i
			go_ <- struct{}{}
			evs, err := p.wait(time.Hour)
			woken := false
			for _, ev := range evs {
				woken = woken || ev.Fd == wakeTag
			}
			if err != nil || !woken {
				failed <- fmt.Sprintf("round %d: the wait ended without the wake-up (events %v, err %v)", i, evs, err)
				return
			}
			p.takeWake()
		}
	}()
	select {
	case <-loopDone:
	case <-time.After(time.Minute):
		t.Fatal("a wake-up was lost: the wait did not end")
	}
	select {
	case msg := <-failed:
		t.Fatal(msg)
	default:
	}
	<-done
}

// readLocal reads at most maxBatch datagrams of the in-process link per
// wake-up, so that a flood of frames cannot starve the terminal, and
// wakes the loop again itself when it stopped at the bound: the link
// notifies only when its queue stops being empty, so without that the
// rest would wait for the loop's next timer.
func TestReadLocalWakesAgainAtItsBound(t *testing.T) {
	s := newBenchSession(t, predict.Adaptive)
	udp, err := conn.ListenUDP(netip.MustParseAddr("127.0.0.1"), 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	ep := conn.NewEndpoint(udp)
	defer ep.Close()
	lc, err := ep.Connect()
	if err != nil {
		t.Fatal(err)
	}
	defer lc.Close()
	s.f.cfg.Local = lc
	const queued = maxBatch + 44
	for i := range queued {
		// Not authentic: the transport drops and counts each, which is
		// all this test needs of it.
		if err := ep.WriteTo(fmt.Appendf(nil, "datagram %d", i), conn.InProcess); err != nil {
			t.Fatal(err)
		}
	}
	p := newIdlePoller(t)

	pkt := make([]byte, ssp.MaxDatagram+1)
	before := s.client.Stats().Received
	if !s.f.readLocal(pkt, p) {
		t.Fatal("readLocal read nothing from a full link")
	}
	if got := s.client.Stats().Received - before; got != maxBatch {
		t.Fatalf("first read took %d datagrams, want the bound %d", got, maxBatch)
	}
	if !p.woken.Load() {
		t.Fatal("readLocal stopped at its bound without waking the loop again: the rest would wait for a timer")
	}
	p.takeWake()
	if !s.f.readLocal(pkt, p) {
		t.Fatal("second read found nothing")
	}
	if got := s.client.Stats().Received - before; got != queued {
		t.Fatalf("two reads took %d datagrams, want %d", got, queued)
	}
	if p.woken.Load() {
		t.Fatal("readLocal woke the loop again with the link empty")
	}
}

// The loop's wait allocates nothing: it runs after every keystroke and
// frame, and each allocation brings the collector's next cycle nearer.
func TestPollerWaitAllocatesNothing(t *testing.T) {
	p := newIdlePoller(t)
	p.wait(time.Millisecond) // the deadline's timer is made once
	if n := testing.AllocsPerRun(50, func() { p.wait(time.Millisecond) }); n != 0 {
		t.Errorf("a wait allocates %.1f times, want 0", n)
	}
}

// newIdlePoller is a poller whose terminal is a pipe nobody writes: it
// never becomes readable, so only wake-ups and deadlines end a wait.
func newIdlePoller(t *testing.T) *poller {
	t.Helper()
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.Close(); w.Close() })
	p, err := newPoller(int(r.Fd()))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(p.close)
	return p
}
