package client

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/goshterm/gosh/predict"
	"github.com/goshterm/gosh/ssp/conn"
	"github.com/goshterm/gosh/vt"
)

// sessionClock is the bench session's clock, for the front too: its
// notice bar then judges silence by the transports' time.
type sessionClock struct{ now *time.Time }

func (c sessionClock) Now() time.Time                      { return *c.now }
func (c sessionClock) NewTimer(d time.Duration) conn.Timer { return conn.SystemClock{}.NewTimer(d) }

// earlyTerm is a bench session whose terminal output is replayed into an
// emulator: what the user sees.
type earlyTerm struct {
	*benchSession
	out bytes.Buffer
	emu *vt.Screen
}

func newEarlyTerm(t *testing.T, mode predict.Mode) *earlyTerm {
	e := &earlyTerm{benchSession: newBenchSession(t, mode), emu: vt.NewScreen(80, 24)}
	e.f.clock = sessionClock{&e.now}
	e.tty.rec = &e.out
	e.f.scr.Sync()
	e.flush()
	return e
}

// flush replays what reached the terminal since the last flush and
// returns how many bytes that was.
func (e *earlyTerm) flush() int {
	n := e.out.Len()
	e.emu.Write(e.out.Bytes())
	e.out.Reset()
	return n
}

// prompt is the text of the terminal's prompt row, after the prompt.
func (e *earlyTerm) prompt() string {
	var b strings.Builder
	for x := len("u@h:~$ "); x < 80; x++ {
		b.WriteString(e.emu.Cell(x, 23).Text)
	}
	return strings.TrimRight(b.String(), " ")
}

// deliver hands datagrams to the client, which takes the frame and draws.
func (e *earlyTerm) deliver(ds [][]byte) {
	for _, d := range ds {
		e.client.Receive(e.now, d, e.sc.addr)
	}
	e.f.newFrame()
	e.f.render(e.now)
}

// early offers the server's frame as it is now to the client's early draw.
func (e *earlyTerm) early() {
	e.f.drawEarly(e.server.Current().Screen(), e.server.SentNum())
}

// TestEarlyDrawShowsFrameBeforeTransport: a frame drawn early is on the
// user's terminal before the transport has sent it; when it then comes,
// nothing more is written, and it is not drawn again when the server said
// which state holds it; a frame older than it, arriving after (sent before
// the early one was composed), does not take the newer text off the
// screen; a newer one is drawn.
func TestEarlyDrawShowsFrameBeforeTransport(t *testing.T) {
	e := newEarlyTerm(t, predict.Adaptive)
	e.screen.WriteString("x")
	e.early()
	if n := e.flush(); n == 0 || e.prompt() != "x" {
		t.Fatalf("early draw wrote %d bytes, prompt shows %q: want x on the terminal before the frame is sent", n, e.prompt())
	}
	sent := e.serverSend()
	e.f.carriedEarly(e.server.SentNum())
	e.deliver(sent)
	if n := e.flush(); n != 0 {
		t.Errorf("the frame drawn early came through the transport and %d more bytes were written, want none", n)
	}
	if e.f.r.prev != e.f.early {
		t.Error("the replica known to hold the early frame was drawn again, want it taken as shown")
	}
	// The states sent since, such as the echo ack's own 50 ms later,
	// hold the same screen, whichever comes first.
	e.screen.WriteString("w")
	e.early()
	e.flush()
	first := e.serverSend()
	e.f.carriedEarly(e.server.SentNum())
	e.server.Current().SetEchoAck(e.server.RemoteNum())
	ack := e.serverSend()
	e.f.carriedEarly(e.server.SentNum())
	e.deliver(first)
	e.deliver(ack)
	if n := e.flush(); n != 0 || e.f.r.prev != e.f.early {
		t.Errorf("states known to hold the early frame were drawn again (%d bytes), want them taken as shown", n)
	}
	e.screen.WriteString("\b \b") // as the shell rubs the w out
	e.deliver(e.serverSend())
	e.flush()

	e.screen.WriteString("y")
	older := e.serverSend() // sent, not yet delivered
	e.screen.WriteString("z")
	e.early()
	e.flush()
	if got := e.prompt(); got != "xyz" {
		t.Fatalf("after the early draw the prompt shows %q, want xyz", got)
	}
	e.deliver(older)
	e.flush()
	if got := e.prompt(); got != "xyz" {
		t.Errorf("an older frame arriving after the early draw left %q on the terminal, want xyz", got)
	}
	e.deliver(e.serverSend())
	e.flush()
	if got := e.prompt(); got != "xyz" {
		t.Errorf("after the newest frame came the prompt shows %q, want xyz", got)
	}

	// A frame that differs from the early one is drawn as usual.
	e.screen.WriteString("1")
	e.early()
	e.screen.WriteString("2")
	e.deliver(e.serverSend())
	e.flush()
	if got := e.prompt(); got != "xyz12" {
		t.Errorf("a newer frame than the early one left %q on the terminal, want xyz12", got)
	}
}

// TestEarlyDrawWaitsItsTurn: nothing is drawn early over a notice bar,
// over shown predictions, or while the client's loop is busy; the frame
// then comes the usual way.
func TestEarlyDrawWaitsItsTurn(t *testing.T) {
	t.Run("notice", func(t *testing.T) {
		e := newEarlyTerm(t, predict.Adaptive)
		e.f.msg, e.f.msgUntil = "hello", e.now.Add(time.Hour)
		e.f.render(e.now)
		e.flush()
		e.screen.WriteString("x")
		e.early()
		if n := e.flush(); n != 0 {
			t.Errorf("early draw wrote %d bytes under a notice bar, want none", n)
		}
	})
	t.Run("predictions", func(t *testing.T) {
		e := newEarlyTerm(t, predict.Always)
		e.f.send([]byte("a"))
		e.f.guess()
		e.f.render(e.now)
		e.flush()
		if e.prompt() != "a" {
			t.Fatalf("prompt shows %q, want the guess a", e.prompt())
		}
		e.screen.WriteString("x")
		e.early()
		if n := e.flush(); n != 0 {
			t.Errorf("early draw wrote %d bytes over a shown guess, want none", n)
		}
	})
	t.Run("busy", func(t *testing.T) {
		e := newEarlyTerm(t, predict.Adaptive)
		e.f.loopMu.Lock()
		e.screen.WriteString("x")
		e.early()
		e.f.loopMu.Unlock()
		if n := e.flush(); n != 0 {
			t.Errorf("early draw wrote %d bytes while the loop was busy, want none", n)
		}
		e.deliver(e.serverSend())
		e.flush()
		if e.prompt() != "x" {
			t.Errorf("after the frame came the prompt shows %q, want x", e.prompt())
		}
	})
}
