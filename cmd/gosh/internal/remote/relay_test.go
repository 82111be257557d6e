package remote

import (
	"context"
	"io"
	"net"
	"net/netip"
	"sync/atomic"
	"testing"
	"time"

	"github.com/goshterm/gosh/ssp/conn"
)

// echoServer answers every datagram to its source, as an SSP server
// replies to the newest datagram's source (roaming).
func echoServer(t *testing.T) netip.AddrPort {
	t.Helper()
	uc, err := net.ListenUDP("udp4", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		buf := make([]byte, 4096)
		for {
			n, from, err := uc.ReadFromUDPAddrPort(buf)
			if err != nil {
				return
			}
			uc.WriteToUDPAddrPort(append([]byte("echo:"), buf[:n]...), from)
		}
	}()
	t.Cleanup(func() { uc.Close(); <-done })
	return uc.LocalAddr().(*net.UDPAddr).AddrPort()
}

// pipeRelay runs ServeRelay in-process over pipes: the ssh connection of
// StartSSHRelay without ssh.
func pipeRelay(target netip.AddrPort) (Relay, error) {
	cr, sw := io.Pipe()
	sr, cw := io.Pipe()
	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan struct{})
	go func() {
		ServeRelay(ctx, sr, sw, target)
		sw.Close()
		close(served)
	}()
	r := newStreamRelay(cr, cw, func() error {
		cancel()
		cw.Close()
		cr.Close()
		<-served
		return nil
	})
	if _, err := skipToHello(r.r); err != nil {
		r.Close()
		return nil, err
	}
	r.start()
	return r, nil
}

func TestServeRelayBridgesDatagrams(t *testing.T) {
	srv := echoServer(t)
	r, err := pipeRelay(srv)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	r.Send([]byte("hello"))
	select {
	case b := <-r.Recv():
		if string(b) != "echo:hello" {
			t.Errorf("relayed %q", b)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("no datagram came back through the relay")
	}
}

// blockNet is the "UDP blocked" of these tests: a UDP network whose
// sockets silently drop what they send while blocked is set.
type blockNet struct{ blocked *atomic.Bool }

func (n blockNet) ListenPacket(r netip.AddrPort) (conn.PacketConn, error) {
	c, err := conn.UDPNetwork{}.ListenPacket(r)
	if err != nil {
		return nil, err
	}
	return &blockConn{PacketConn: c, blocked: n.blocked}, nil
}

type blockConn struct {
	conn.PacketConn
	blocked *atomic.Bool
}

func (c *blockConn) WriteTo(b []byte, to netip.AddrPort) error {
	if c.blocked.Load() {
		return nil
	}
	return c.PacketConn.WriteTo(b, to)
}

// exchange sends a datagram every 50 ms until one comes back that
// satisfies ok; false after the bound.
func exchange(c conn.PacketConn, to netip.AddrPort, ok func() bool) bool {
	got := make(chan struct{}, 64)
	go func() {
		buf := make([]byte, 4096)
		for {
			if _, _, err := c.ReadFrom(buf); err != nil {
				return
			}
			select {
			case got <- struct{}{}:
			default:
			}
		}
	}()
	for end := time.Now().Add(30 * time.Second); time.Now().Before(end); {
		c.WriteTo([]byte("ping"), to)
		select {
		case <-got:
			if ok() {
				return true
			}
		case <-time.After(50 * time.Millisecond):
		}
	}
	return false
}

func TestFallbackMovesToRelayAndBack(t *testing.T) {
	srv := echoServer(t)
	var blocked atomic.Bool
	started := make(chan struct{}, 8)
	f := NewFallback(FallbackConfig{Server: srv, Base: blockNet{&blocked},
		StartRelay: func() (Relay, error) {
			started <- struct{}{}
			return pipeRelay(srv)
		},
		Notice: "on the ssh fallback", FirstContact: 300 * time.Millisecond, Silence: 300 * time.Millisecond})
	defer f.Close()
	c, err := f.ListenPacket(srv)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()

	if !exchange(c, srv, func() bool { return true }) || f.OnRelay() || f.Notice() != "" {
		t.Fatalf("plain UDP: on relay %v, notice %q", f.OnRelay(), f.Notice())
	}
	blocked.Store(true)
	before := f.Relayed()
	if !exchange(c, srv, func() bool { return f.OnRelay() && f.Relayed() > before }) {
		t.Fatalf("UDP blocked: no answer through the relay (on relay %v)", f.OnRelay())
	}
	if f.Notice() != "on the ssh fallback" {
		t.Errorf("notice on the relay = %q", f.Notice())
	}
	if len(started) != 1 {
		t.Errorf("relay started %d times", len(started))
	}
	blocked.Store(false)
	if !exchange(c, srv, func() bool { return !f.OnRelay() }) {
		t.Fatal("UDP unblocked: the fallback never moved back")
	}
	if f.Notice() != "" {
		t.Errorf("notice back on UDP = %q", f.Notice())
	}
}

// countNet counts the datagrams its sockets send over UDP.
type countNet struct{ sent *atomic.Int64 }

func (n countNet) ListenPacket(r netip.AddrPort) (conn.PacketConn, error) {
	c, err := conn.UDPNetwork{}.ListenPacket(r)
	if err != nil {
		return nil, err
	}
	return &countConn{PacketConn: c, sent: n.sent}, nil
}

type countConn struct {
	conn.PacketConn
	sent *atomic.Int64
}

func (c *countConn) WriteTo(b []byte, to netip.AddrPort) error {
	c.sent.Add(1)
	return c.PacketConn.WriteTo(b, to)
}

func TestFallbackRelayOnlyNeverSendsUDP(t *testing.T) {
	srv := echoServer(t)
	var sent atomic.Int64
	f := NewFallback(FallbackConfig{Server: srv, Base: countNet{&sent}, RelayOnly: true, Notice: "relay only",
		StartRelay: func() (Relay, error) { return pipeRelay(srv) }})
	defer f.Close()
	c, err := f.ListenPacket(srv)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if !exchange(c, srv, func() bool { return f.Relayed() > 0 }) {
		t.Fatal("no answer through the relay")
	}
	if n := sent.Load(); n != 0 {
		t.Errorf("%d datagrams went over UDP", n)
	}
	if f.Notice() != "relay only" {
		t.Errorf("notice %q", f.Notice())
	}
}
