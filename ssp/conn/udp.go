package conn

import (
	"errors"
	"fmt"
	"net"
	"net/netip"
	"os"
	"strconv"
	"strings"
	"sync"
	"syscall"
)

// UDPConn is a PacketConn over a real UDP socket, with mosh's socket
// options: no path MTU discovery, ECN-capable (udp_linux.go). On Linux it
// reads and writes with raw syscalls (raw_linux.go says why).
type UDPConn struct {
	c   *net.UDPConn
	rc  syscall.RawConn // nil: the net package's methods serve
	six bool            // an AF_INET6 socket: IPv4 peers as v4-mapped addresses

	// The raw calls' arguments and results live here, and the callbacks
	// given to rc are made once, so that a datagram allocates nothing.
	// One reader at a time (PacketConn's contract) owns rd; writers take
	// wmu.
	rd      rawOp
	oob     [OOBSize]byte
	readFn  func(uintptr) bool
	wmu     sync.Mutex
	wr      rawOp
	writeFn func(uintptr) bool
}

// rawOp is one raw call's arguments and results.
type rawOp struct {
	b, oob []byte
	to     netip.AddrPort
	once   bool // read: one attempt, don't wait for a datagram
	n      int
	oobn   int
	from   netip.AddrPort
	err    error
}

// NewUDPConn wraps an open UDP socket (one made by ListenUDP, or
// inherited as a file descriptor) as it is: its options are not changed.
func NewUDPConn(c *net.UDPConn) *UDPConn {
	u := &UDPConn{c: c}
	u.rc, u.six = rawAccess(c)
	u.readFn = u.rawRead
	u.writeFn = u.rawWrite
	return u
}

// eintrRetries bounds the retries of a call a signal interrupted.
const eintrRetries = 100

func (u *UDPConn) rawRead(fd uintptr) bool {
	r := &u.rd
	for range eintrRetries {
		r.n, r.oobn, r.from, r.err = recvmsg(fd, r.b, r.oob)
		if r.err != syscall.EINTR {
			break
		}
	}
	return r.once || r.err != syscall.EAGAIN
}

func (u *UDPConn) rawWrite(fd uintptr) bool {
	w := &u.wr
	for range eintrRetries {
		if w.err = sendto(fd, w.b, w.to, u.six); w.err != syscall.EINTR {
			break
		}
	}
	return w.err != syscall.EAGAIN
}

// read runs one raw read of b (and control messages into oob) through
// the poller; once: return at once when no datagram waits (ok false).
func (u *UDPConn) read(b, oob []byte, once bool) (n, oobn int, from netip.AddrPort, ok bool, err error) {
	r := &u.rd
	r.b, r.oob, r.once = b, oob, once
	err = u.rc.Read(u.readFn)
	r.b, r.oob = nil, nil
	switch {
	case errors.Is(err, net.ErrClosed):
		return 0, 0, netip.AddrPort{}, false, net.ErrClosed
	case err != nil:
		return 0, 0, netip.AddrPort{}, false, err
	case r.err == syscall.EAGAIN:
		return 0, 0, netip.AddrPort{}, false, nil
	case r.err != nil:
		return 0, 0, netip.AddrPort{}, false, &net.OpError{Op: "read", Net: "udp", Err: r.err}
	}
	return r.n, r.oobn, r.from, true, nil
}

var _ PacketConn = (*UDPConn)(nil)

// ListenUDP binds a UDP socket on ip and the first free port of
// [low, high], tried in ascending order like mosh-server -p LOW:HIGH.
// low == high == 0 lets the kernel choose. An unspecified ip (the zero
// Addr or 0.0.0.0) binds IPv4 any; "::" binds dual-stack.
func ListenUDP(ip netip.Addr, low, high uint16) (*UDPConn, error) {
	if low > high || (low == 0 && high != 0) {
		return nil, fmt.Errorf("conn: bad port range %d:%d", low, high)
	}
	network := "udp"
	if !ip.IsValid() {
		ip = netip.IPv4Unspecified()
	}
	if ip.Is4() {
		network = "udp4"
	}
	var lastErr error
	for p := uint32(low); p <= uint32(high); p++ {
		c, err := net.ListenUDP(network, net.UDPAddrFromAddrPort(netip.AddrPortFrom(ip, uint16(p))))
		if err == nil {
			if err := setSockOpts(c, !ip.Is4()); err != nil {
				c.Close()
				return nil, fmt.Errorf("conn: socket options: %w", err)
			}
			return NewUDPConn(c), nil
		}
		lastErr = err
		if !errors.Is(err, syscall.EADDRINUSE) && !errors.Is(err, syscall.EACCES) {
			break
		}
	}
	return nil, fmt.Errorf("conn: bind %s port %d:%d: %w", ip, low, high, lastErr)
}

// ParsePortRange parses mosh-server's -p argument: "PORT" or "LOW:HIGH".
// "0" means any port. A range must have 1 <= LOW <= HIGH.
func ParsePortRange(s string) (low, high uint16, err error) {
	lo, hi, isRange := strings.Cut(s, ":")
	l, err := strconv.ParseUint(lo, 10, 16)
	if err != nil {
		return 0, 0, fmt.Errorf("conn: bad port %q", s)
	}
	if !isRange {
		return uint16(l), uint16(l), nil
	}
	h, err := strconv.ParseUint(hi, 10, 16)
	if err != nil || l == 0 || l > h {
		return 0, 0, fmt.Errorf("conn: bad port range %q", s)
	}
	return uint16(l), uint16(h), nil
}

// ReadFrom reads one datagram.
func (u *UDPConn) ReadFrom(b []byte) (int, netip.AddrPort, error) {
	if u.rc != nil {
		n, _, from, _, err := u.read(b, nil, false)
		return n, from, err
	}
	n, from, err := u.c.ReadFromUDPAddrPort(b)
	if err != nil {
		return 0, netip.AddrPort{}, err
	}
	return n, netip.AddrPortFrom(from.Addr().Unmap(), from.Port()), nil
}

// ReadFromCE is ReadFrom that also reports whether the datagram arrived
// with the ECN congestion-experienced mark (RFC 3168): a router on the
// path is congested and asks the sender to slow down. Always false where
// the system does not deliver the TOS byte.
func (u *UDPConn) ReadFromCE(b []byte) (int, netip.AddrPort, bool, error) {
	if u.rc != nil {
		n, oobn, from, _, err := u.read(b, u.oob[:], false)
		return n, from, err == nil && Congested(u.oob[:oobn]), err
	}
	var oob [OOBSize]byte
	n, oobn, _, from, err := u.c.ReadMsgUDPAddrPort(b, oob[:])
	if err != nil {
		return 0, netip.AddrPort{}, false, err
	}
	return n, netip.AddrPortFrom(from.Addr().Unmap(), from.Port()), Congested(oob[:oobn]), nil
}

// TryReadFromCE is ReadFromCE that never waits: ok is false when no
// datagram is waiting. It is for a loop that waits for the socket itself
// (an epoll set of its own: the client's loop).
func (u *UDPConn) TryReadFromCE(b []byte) (n int, from netip.AddrPort, ce, ok bool, err error) {
	if u.rc == nil {
		return 0, netip.AddrPort{}, false, false, errors.New("conn: no raw access to the socket")
	}
	n, oobn, from, ok, err := u.read(b, u.oob[:], true)
	return n, from, ok && Congested(u.oob[:oobn]), ok, err
}

// WriteTo sends one datagram.
func (u *UDPConn) WriteTo(b []byte, to netip.AddrPort) error {
	if u.rc == nil || !rawAddr(to, u.six) {
		_, err := u.c.WriteToUDPAddrPort(b, to)
		return err
	}
	u.wmu.Lock()
	defer u.wmu.Unlock()
	w := &u.wr
	w.b, w.to = b, to
	err := u.rc.Write(u.writeFn)
	w.b = nil
	switch {
	case errors.Is(err, net.ErrClosed):
		return net.ErrClosed
	case err != nil:
		return err
	case w.err != nil:
		return &net.OpError{Op: "write", Net: "udp", Err: w.err}
	}
	return nil
}

// File returns a duplicate of the socket's descriptor, for a child
// process to inherit (the mosh-server bootstrap: the foreground process
// binds, the detached child serves).
func (u *UDPConn) File() (*os.File, error) { return u.c.File() }

// SyscallConn gives raw access to the socket, for an application that
// waits for several descriptors in one epoll(7) loop instead of a reader
// goroutine per socket (the client's loop: cmd/gosh/internal/client).
func (u *UDPConn) SyscallConn() (syscall.RawConn, error) { return u.c.SyscallConn() }

// LocalAddr returns the bound address.
func (u *UDPConn) LocalAddr() netip.AddrPort {
	a := u.c.LocalAddr().(*net.UDPAddr).AddrPort()
	return netip.AddrPortFrom(a.Addr().Unmap(), a.Port())
}

// Close closes the socket; a blocked ReadFrom returns net.ErrClosed.
func (u *UDPConn) Close() error {
	err := u.c.Close()
	if errors.Is(err, net.ErrClosed) {
		return nil
	}
	return err
}

// UDPNetwork opens client sockets on an OS-chosen port of the any-address
// of the remote's family.
type UDPNetwork struct{}

var _ Network = UDPNetwork{}

// ListenPacket opens a new UDP socket suitable for reaching remote.
func (UDPNetwork) ListenPacket(remote netip.AddrPort) (PacketConn, error) {
	if remote.Addr().Unmap().Is4() {
		return ListenUDP(netip.IPv4Unspecified(), 0, 0)
	}
	return ListenUDP(netip.IPv6Unspecified(), 0, 0)
}
