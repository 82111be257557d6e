package statesync

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"sync"
	"testing"
	"time"

	"github.com/goshterm/gosh/ssp"
	"github.com/goshterm/gosh/ssp/conn/conntest"
	"github.com/goshterm/gosh/ssp/ssptest"
	"github.com/goshterm/gosh/vt/vttest"
)

// plainFrame is a Frame without CloneInto: a transport of plainFrames
// clones every sent state afresh, as before recycling.
type plainFrame struct{ f *Frame }

func (p *plainFrame) Clone() *plainFrame            { return &plainFrame{p.f.Clone()} }
func (p *plainFrame) Equal(o *plainFrame) bool      { return p.f.Equal(o.f) }
func (p *plainFrame) DiffFrom(o *plainFrame) []byte { return p.f.DiffFrom(o.f) }
func (p *plainFrame) Apply(d []byte) error          { return p.f.Apply(d) }
func (p *plainFrame) Subtract(*plainFrame)          {}
func (p *plainFrame) frame() *Frame                 { return p.f }
func newPlainFrame(cols, rows int) *plainFrame      { return &plainFrame{NewFrame(cols, rows)} }

var _ ssp.State[*plainFrame] = (*plainFrame)(nil)

// echoScript is one step of a scripted terminal session, applied to the
// server's current frame: typing and its echo, scrolling, colours, wide
// characters, erases, the alternate screen, resizes, echo acks and pane
// facts.
func echoScript(r *rand.Rand, f *Frame, step int) {
	scr := f.Screen()
	switch k := r.IntN(20); {
	case k < 8:
		fmt.Fprintf(scr, "%c", 'a'+r.IntN(26))
	case k < 10:
		fmt.Fprintf(scr, "\r\n$ ")
	case k == 10:
		fmt.Fprintf(scr, "\x1b[3%dm%s\x1b[m", r.IntN(8), []string{"漢字", "ok", "é", "\t|"}[r.IntN(4)])
	case k == 11:
		fmt.Fprintf(scr, "\x1b[%d;%dH\x1b[K", 1+r.IntN(8), 1+r.IntN(20))
	case k == 12:
		scr.WriteString([]string{"\x1b[?1049h\x1b[H\x1b[2Jfull screen", "\x1b[?1049l", "\x1b[?47h", "\x1b[?47l"}[r.IntN(4)])
	case k == 13:
		if r.IntN(4) == 0 {
			scr.Resize(20+r.IntN(20), 4+r.IntN(6))
		}
	case k == 14:
		f.SetEchoAck(uint64(step))
	case k == 15:
		f.SetPane(Pane{Width: 30, Height: 8, Echo: true, ICANON: r.IntN(2) == 0, Program: "bash"})
	case k == 16:
		for range r.IntN(12) {
			scr.WriteString("line\r\n")
		}
	default:
		scr.WriteString("\b \b")
	}
}

// TestRecycledFramesMatch drives two transport pairs over the same lossy,
// reordering, duplicating link through one scripted session: the first
// sends Frames, whose sent states the transport recycles (CloneInto), the
// second plainFrames, cloned afresh. After every step the client's replica
// must be the same in both — a recycled state that a live clone still
// referred to would show as a wrong diff on the first pair — and in the
// end both must hold the server's frame.
func TestRecycledFramesMatch(t *testing.T) {
	for seed := range uint64(4) {
		t.Run(fmt.Sprint(seed), func(t *testing.T) {
			link := conntest.Link{Loss: 0.15, Delay: 10 * time.Millisecond, Jitter: 15 * time.Millisecond, Duplicate: 0.05}
			cfg := ssptest.SimConfig{Seed: seed, Up: link, Down: link, NoHop: true}
			a := ssptest.NewSimOf(t, cfg, NewFrame(30, 8), NewFrame(30, 8))
			b := ssptest.NewSimOf(t, cfg, newPlainFrame(30, 8), newPlainFrame(30, 8))
			ra := rand.New(rand.NewPCG(seed, 1))
			rb := rand.New(rand.NewPCG(seed, 1))
			for step := range 600 {
				echoScript(ra, a.Server.Current(), step)
				echoScript(rb, b.Server.Current().frame(), step)
				d := time.Duration(ra.IntN(30)) * time.Millisecond
				rb.IntN(30)
				a.RunFor(d)
				b.RunFor(d)
				if na, nb := a.Client.RemoteNum(), b.Client.RemoteNum(); na != nb {
					t.Fatalf("step %d: client replicas at states %d and %d: the runs diverged", step, na, nb)
				}
				if ga, gb := dumpFrame(a.Client.Remote()), dumpFrame(b.Client.Remote().frame()); ga != gb {
					t.Fatalf("step %d: the replica with recycling:\n%s\nwithout:\n%s", step, ga, gb)
				}
			}
			a.RunFor(5 * time.Second)
			b.RunFor(5 * time.Second)
			if !a.Client.Remote().Equal(a.Server.Current()) || !b.Client.Remote().frame().Equal(b.Server.Current().frame()) {
				t.Errorf("after the session the replicas differ from the server's frame:\n%s\nwant\n%s",
					dumpFrame(a.Client.Remote()), dumpFrame(a.Server.Current()))
			}
		})
	}
}

func dumpFrame(f *Frame) string {
	p, ok := f.Pane()
	return fmt.Sprintf("%secho ack %d pane %v %+v\n", vttest.Dump(f.Screen()), f.EchoAck(), ok, p)
}

// TestUserStreamCloneInto: a stream cloned into a retired one holds the
// original's events, and appending to either leaves the other as it was.
func TestUserStreamCloneInto(t *testing.T) {
	s := NewUserStream()
	s.PushKeys([]byte("ab"))
	retired := s.Clone()
	retired.PushKeys([]byte("zz"))
	c := s.CloneInto(retired)
	if c != retired {
		t.Fatal("CloneInto allocated instead of reusing the retired stream")
	}
	c.PushKeys([]byte("c"))
	s.PushKeys([]byte("d"))
	got := func(u *UserStream) string {
		evs, _ := u.EventsSince(0)
		if len(evs) != 1 {
			return fmt.Sprint(evs)
		}
		return string(evs[0].Keys)
	}
	if g, w := got(c), "abc"; g != w {
		t.Errorf("copy holds %q, want %q", g, w)
	}
	if g, w := got(s), "abd"; g != w {
		t.Errorf("original holds %q, want %q", g, w)
	}
}

// TestAppendDiffFrom: the diff a transport asks for into its reused buffer
// is DiffFrom's, whatever the buffer held before, for frames and streams.
func TestAppendDiffFrom(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 12))
	buf := []byte("stale")
	old := NewFrame(10, 3)
	for i := range 300 {
		f := old.Clone()
		randFrame(r, f)
		want := f.DiffFrom(old)
		buf = f.AppendDiffFrom(buf[:0], old)
		if !bytes.Equal(buf, want) {
			t.Fatalf("frame step %d: AppendDiffFrom %q, DiffFrom %q", i, buf, want)
		}
		if got := f.AppendDiffFrom([]byte("head"), old); string(got[:4]) != "head" || !bytes.Equal(got[4:], want) {
			t.Fatalf("frame step %d: AppendDiffFrom after a prefix gave %q", i, got)
		}
		old = f
	}
	olds := NewUserStream()
	for i := range 100 {
		s := olds.Clone()
		if i%5 == 0 {
			s.PushResize(80+i, 24)
		}
		s.PushKeys([]byte(fmt.Sprint(i)))
		want := s.DiffFrom(olds)
		buf = s.AppendDiffFrom(buf[:0], olds)
		if !bytes.Equal(buf, want) {
			t.Fatalf("stream step %d: AppendDiffFrom %q, DiffFrom %q", i, buf, want)
		}
		olds = s
	}
}

// TestFrameClonesDiffApart: a frame and its clone, each on a goroutine of
// its own as the State contract allows, diff at the same time; each keeps
// its own repaint buffer (the race detector sees a shared one), and each
// diff rebuilds its own frame.
func TestFrameClonesDiffApart(t *testing.T) {
	base := NewFrame(20, 4)
	base.Screen().WriteString("\x1b[1;31mbase frame, long enough to leave a large buffer\x1b[m")
	base.DiffFrom(NewFrame(20, 4)) // base has a repaint buffer now
	frames := []*Frame{base, base.Clone()}
	var wg sync.WaitGroup
	for i, f := range frames {
		wg.Go(func() {
			for j := range 20 {
				before := f.Clone()
				fmt.Fprintf(f.Screen(), "\x1b[H\x1b[m%d%d", i, j%10)
				if err := before.Apply(f.DiffFrom(before)); err != nil || !before.Equal(f) {
					t.Errorf("clone %d step %d: the diff does not rebuild the frame (%v)", i, j, err)
					return
				}
			}
		})
	}
	wg.Wait()
}
