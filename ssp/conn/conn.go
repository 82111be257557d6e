package conn

import (
	"net/netip"
	"time"
)

// PacketConn is one datagram socket.
//
// ReadFrom blocks until a datagram arrives and copies it into b; a
// datagram larger than b is truncated, so callers that must detect
// oversize datagrams pass a buffer larger than the largest they accept.
// Addresses are unmapped (an IPv4 peer of a dual-stack socket appears as
// plain IPv4). After Close, ReadFrom and WriteTo return net.ErrClosed;
// Close is idempotent. ReadFrom may run concurrently with WriteTo and
// Close; concurrent calls of ReadFrom are not needed and not promised.
// WriteTo must not keep b once it returns (io.Writer's rule): the
// transport seals each datagram in one buffer it reuses for the next.
type PacketConn interface {
	ReadFrom(b []byte) (n int, from netip.AddrPort, err error)
	WriteTo(b []byte, to netip.AddrPort) error
	LocalAddr() netip.AddrPort
	Close() error
}

// Network opens new sockets for talking to remote. A client Transport
// calls ListenPacket when it hops to a new source port (mosh's answer to a
// NAT that dropped its binding). The new socket must be able to reach
// remote (same address family).
type Network interface {
	ListenPacket(remote netip.AddrPort) (PacketConn, error)
}

// Clock is the time source of a Transport's Run loop. The protocol core
// takes time as an argument; only the loop asks a Clock.
type Clock interface {
	Now() time.Time
	// NewTimer returns a timer that sends the time on its channel once
	// d has elapsed.
	NewTimer(d time.Duration) Timer
}

// Timer is the part of *time.Timer a loop needs.
type Timer interface {
	C() <-chan time.Time
	// Stop prevents the timer from firing; it reports whether it did.
	Stop() bool
}

// SystemClock is the real clock (and the fake one inside a
// testing/synctest bubble).
type SystemClock struct{}

var _ Clock = SystemClock{}

// Now returns time.Now().
func (SystemClock) Now() time.Time { return time.Now() }

// NewTimer wraps time.NewTimer.
func (SystemClock) NewTimer(d time.Duration) Timer { return sysTimer{time.NewTimer(d)} }

type sysTimer struct{ t *time.Timer }

func (t sysTimer) C() <-chan time.Time { return t.t.C }
func (t sysTimer) Stop() bool          { return t.t.Stop() }
