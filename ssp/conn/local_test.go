package conn_test

import (
	"bytes"
	"errors"
	"net"
	"net/netip"
	"sync"
	"testing"

	"github.com/goshterm/gosh/ssp/conn"
)

// received collects what an Endpoint hands its receiver.
type received struct {
	mu   sync.Mutex
	data [][]byte
	from []netip.AddrPort
}

func (r *received) take(b []byte, from netip.AddrPort) {
	r.mu.Lock()
	r.data = append(r.data, bytes.Clone(b))
	r.from = append(r.from, from)
	r.mu.Unlock()
}

// linkedEndpoint is a new endpoint whose receiver collects into got,
// with its in-process client lc.
func linkedEndpoint(t *testing.T) (ep *conn.Endpoint, got *received, lc *conn.LocalConn) {
	t.Helper()
	ep = newEndpoint(t)
	got = &received{}
	ep.SetReceiver(got.take)
	lc, err := ep.Connect()
	if err != nil {
		t.Fatal(err)
	}
	return ep, got, lc
}

func newEndpoint(t *testing.T) *conn.Endpoint {
	t.Helper()
	udp, err := conn.ListenUDP(netip.MustParseAddr("127.0.0.1"), 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	ep := conn.NewEndpoint(udp)
	t.Cleanup(func() { ep.Close() })
	return ep
}

// TestLocalLinkBothWays: a datagram of the in-process client reaches the
// endpoint's receiver from InProcess, a reply to InProcess reaches the
// client, and a reply to any other address still leaves on UDP.
func TestLocalLinkBothWays(t *testing.T) {
	ep, got, lc := linkedEndpoint(t)
	defer lc.Close()

	if err := lc.WriteTo([]byte("key"), netip.MustParseAddrPort("127.0.0.1:9")); err != nil {
		t.Fatal(err)
	}
	if len(got.data) != 1 || string(got.data[0]) != "key" || got.from[0] != conn.InProcess {
		t.Fatalf("endpoint received %q from %v, want \"key\" from %v", got.data, got.from, conn.InProcess)
	}

	notified := 0
	lc.SetNotify(func() { notified++ })
	for _, m := range []string{"frame1", "frame2"} {
		if err := ep.WriteTo([]byte(m), conn.InProcess); err != nil {
			t.Fatal(err)
		}
	}
	if notified != 1 {
		t.Errorf("notified %d times for two datagrams into an empty queue, want 1", notified)
	}
	buf := make([]byte, 64)
	for _, want := range []string{"frame1", "frame2"} {
		n, from, err := lc.ReadFrom(buf)
		if err != nil || string(buf[:n]) != want || from != conn.InProcess {
			t.Fatalf("client read %q from %v (%v), want %q", buf[:n], from, err, want)
		}
	}
	if _, ok := lc.TryRead(buf); ok {
		t.Error("TryRead found a datagram in an empty queue")
	}
	lc.SetNotify(nil) // the raw loop's poller is about to close
	ep.WriteTo([]byte("late"), conn.InProcess)
	if notified != 1 {
		t.Errorf("notified after SetNotify(nil)")
	}
	if n, ok := lc.TryRead(buf); !ok || string(buf[:n]) != "late" {
		t.Errorf("datagram after SetNotify(nil) = %q, %v; want it queued", buf[:n], ok)
	}

	peer, err := conn.ListenUDP(netip.MustParseAddr("127.0.0.1"), 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer peer.Close()
	if err := ep.WriteTo([]byte("udp"), peer.LocalAddr()); err != nil {
		t.Fatal(err)
	}
	n, _, err := peer.ReadFrom(buf)
	if err != nil || string(buf[:n]) != "udp" {
		t.Fatalf("UDP peer read %q (%v), want \"udp\"", buf[:n], err)
	}
	if _, ok := lc.TryRead(buf); ok {
		t.Error("a datagram for a UDP peer reached the in-process client")
	}
}

// TestLocalLinkOneClient: an endpoint links one in-process client at a
// time, and a new one once the old has gone.
func TestLocalLinkOneClient(t *testing.T) {
	ep := newEndpoint(t)
	first, err := ep.Connect()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ep.Connect(); !errors.Is(err, conn.ErrLinked) {
		t.Fatalf("second Connect: %v, want ErrLinked", err)
	}
	first.Close()
	second, err := ep.Connect()
	if err != nil {
		t.Fatalf("Connect after the first client closed: %v", err)
	}
	var got received
	ep.SetReceiver(got.take)
	first.WriteTo([]byte("old"), conn.InProcess)
	second.WriteTo([]byte("new"), conn.InProcess)
	if len(got.data) != 1 || string(got.data[0]) != "new" {
		t.Errorf("endpoint received %q, want only the linked client's \"new\"", got.data)
	}
}

// TestLocalLinkEnds: a blocked ReadFrom ends with net.ErrClosed when its
// client closes; after the endpoint closes, its replies are refused and
// the client's datagrams go nowhere.
func TestLocalLinkEnds(t *testing.T) {
	ep, got, lc := linkedEndpoint(t)
	done := make(chan error, 1)
	go func() {
		_, _, err := lc.ReadFrom(make([]byte, 8))
		done <- err
	}()
	lc.Close() // before or after ReadFrom blocks: either way it ends
	if err := <-done; !errors.Is(err, net.ErrClosed) {
		t.Fatalf("ReadFrom after Close: %v, want net.ErrClosed", err)
	}
	if err := lc.WriteTo([]byte("x"), conn.InProcess); !errors.Is(err, net.ErrClosed) {
		t.Errorf("WriteTo after Close: %v, want net.ErrClosed", err)
	}

	lc2, err := ep.Connect()
	if err != nil {
		t.Fatal(err)
	}
	ep.Close()
	if err := ep.WriteTo([]byte("x"), conn.InProcess); !errors.Is(err, net.ErrClosed) {
		t.Errorf("endpoint WriteTo after Close: %v, want net.ErrClosed", err)
	}
	lc2.WriteTo([]byte("lost"), conn.InProcess)
	if len(got.data) != 0 {
		t.Errorf("a closed endpoint received %q", got.data)
	}
	if _, err := ep.Connect(); !errors.Is(err, net.ErrClosed) {
		t.Errorf("Connect to a closed endpoint: %v, want net.ErrClosed", err)
	}
}

// TestLocalLinkBounded: a client that doesn't read loses the datagrams
// past its queue's bound (more than a socket buffer holds), never blocks
// the sender, and reads the rest whole and in order.
func TestLocalLinkBounded(t *testing.T) {
	ep := newEndpoint(t)
	lc, err := ep.Connect()
	if err != nil {
		t.Fatal(err)
	}
	defer lc.Close()
	const sent = 200
	d := make([]byte, 64<<10)
	for i := range sent {
		d[0] = byte(i)
		if err := ep.WriteTo(d, conn.InProcess); err != nil {
			t.Fatal(err)
		}
	}
	buf := make([]byte, len(d)+1)
	n := 0
	for ; n < sent; n++ {
		m, ok := lc.TryRead(buf)
		if !ok {
			break
		}
		if m != len(d) || buf[0] != byte(n) {
			t.Fatalf("datagram %d read as %d bytes starting %d, want %d bytes starting %d", n, m, buf[0], len(d), n)
		}
	}
	if n < 16 || n == sent {
		t.Errorf("client read %d of %d unread 64 KB datagrams, want a bounded number, and at least a frame's worth", n, sent)
	}
}
