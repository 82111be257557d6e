package conn_test

import (
	"net/netip"
	"testing"

	"github.com/goshterm/gosh/ssp/conn"
)

func TestParsePortRange(t *testing.T) {
	for _, c := range []struct {
		in       string
		lo, hi   uint16
		wantFail bool
	}{
		{"60001", 60001, 60001, false},
		{"0", 0, 0, false},
		{"60001:60999", 60001, 60999, false},
		{"5:5", 5, 5, false},
		{"0:10", 0, 0, true}, // mosh rejects a range starting at 0
		{"10:5", 0, 0, true},
		{"65536", 0, 0, true},
		{"x", 0, 0, true},
		{"1:", 0, 0, true},
	} {
		lo, hi, err := conn.ParsePortRange(c.in)
		if (err != nil) != c.wantFail || (err == nil && (lo != c.lo || hi != c.hi)) {
			t.Errorf("ParsePortRange(%q) = %d, %d, %v", c.in, lo, hi, err)
		}
	}
}

// TestListenUDPRange checks mosh-server -p LOW:HIGH: ports are tried in
// ascending order and a taken one is skipped.
func TestListenUDPRange(t *testing.T) {
	lo := netip.MustParseAddr("127.0.0.1")
	first, err := conn.ListenUDP(lo, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer first.Close()
	p := first.LocalAddr().Port()
	if p == 65535 {
		t.Skip("kernel chose the last port")
	}
	second, err := conn.ListenUDP(lo, p, p+1)
	if err != nil {
		t.Skipf("port %d taken by someone else: %v", p+1, err)
	}
	defer second.Close()
	if got := second.LocalAddr().Port(); got != p+1 {
		t.Errorf("bound port %d, want %d (first free of %d:%d)", got, p+1, p, p+1)
	}
	if _, err := conn.ListenUDP(lo, p, p); err == nil {
		t.Error("bound a port already in use")
	}
	// A datagram goes through and its source is unmapped IPv4.
	if err := first.WriteTo([]byte("ping"), second.LocalAddr()); err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 16)
	n, from, err := second.ReadFrom(buf)
	if err != nil || string(buf[:n]) != "ping" || from != first.LocalAddr() {
		t.Errorf("read %q from %v: %v", buf[:n], from, err)
	}
	second.Close()
	if err := second.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
}
