package conntest_test

import (
	"net/netip"
	"testing"
	"time"

	"github.com/goshterm/gosh/ssp/conn"
	"github.com/goshterm/gosh/ssp/conn/conntest"
)

var _ conn.PacketConn = (*conntest.Conn)(nil)

func setup(up, down conntest.Link) (*conntest.Clock, *conntest.Network, *conntest.Conn, *conntest.Conn) {
	clk := conntest.NewClock(time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC))
	nw := conntest.NewNetwork(clk, 1)
	nw.SetLinks(up, down)
	return clk, nw, nw.Listen(60001), nw.Dial()
}

func count(c *conntest.Conn) int {
	n := 0
	buf := make([]byte, 4096)
	for {
		if _, _, ok := c.TryReadFrom(buf); !ok {
			return n
		}
		n++
	}
}

func TestLinkKnobs(t *testing.T) {
	clk, _, s, c := setup(conntest.Link{Delay: 100 * time.Millisecond}, conntest.Link{Loss: 0.5, Duplicate: 0.5})
	c.WriteTo([]byte("x"), s.LocalAddr())
	clk.Advance(99 * time.Millisecond)
	if count(s) != 0 {
		t.Error("delivered before the 100 ms delay")
	}
	clk.Advance(time.Millisecond)
	if count(s) != 1 {
		t.Error("not delivered after the delay")
	}
	for range 1000 {
		s.WriteTo([]byte("y"), c.LocalAddr())
	}
	clk.Advance(0)
	// 50% lost, half of the rest doubled: about 750 arrive.
	if n := count(c); n < 650 || n > 850 {
		t.Errorf("%d of 1000 arrived with 50%% loss and 50%% duplication", n)
	}
}

func TestJitterReorders(t *testing.T) {
	clk, _, s, c := setup(conntest.Link{Delay: 10 * time.Millisecond, Jitter: 50 * time.Millisecond}, conntest.Link{})
	for i := range 50 {
		c.WriteTo([]byte{byte(i)}, s.LocalAddr())
	}
	clk.Advance(time.Second)
	buf := make([]byte, 1)
	prev, reordered := -1, 0
	for {
		if _, _, ok := s.TryReadFrom(buf); !ok {
			break
		}
		if int(buf[0]) < prev {
			reordered++
		}
		prev = int(buf[0])
	}
	if reordered == 0 {
		t.Error("50 ms of jitter reordered nothing")
	}
}

func TestMTUAndDown(t *testing.T) {
	clk, nw, s, c := setup(conntest.Link{MTU: 100}, conntest.Link{Down: true})
	c.WriteTo(make([]byte, 101), s.LocalAddr())
	c.WriteTo(make([]byte, 100), s.LocalAddr())
	s.WriteTo([]byte("z"), c.LocalAddr())
	clk.Advance(0)
	if count(s) != 1 || count(c) != 0 {
		t.Error("MTU or Down not applied")
	}
	if ct := nw.Counters(); ct.UpLost != 1 || ct.DownLost != 1 || ct.UpDelivered != 1 {
		t.Errorf("counters %+v", ct)
	}
}

func TestRoam(t *testing.T) {
	clk, nw, s, c := setup(conntest.Link{Delay: 10 * time.Millisecond}, conntest.Link{Delay: 10 * time.Millisecond})
	old := c.LocalAddr()
	s.WriteTo([]byte("in flight"), old)
	nw.Roam()
	if c.LocalAddr() == old || c.LocalAddr().Port() != old.Port() {
		t.Fatalf("after roam %v (was %v)", c.LocalAddr(), old)
	}
	c.WriteTo([]byte("hi"), s.LocalAddr())
	clk.Advance(20 * time.Millisecond)
	if count(c) != 0 {
		t.Error("datagram to the old address arrived")
	}
	buf := make([]byte, 8)
	if _, from, ok := s.TryReadFrom(buf); !ok || from != c.LocalAddr() {
		t.Errorf("server saw source %v, want %v", from, c.LocalAddr())
	}
	if from := netip.AddrPort(c.LocalAddr()); !from.Addr().Is4() {
		t.Error("not IPv4")
	}
}
