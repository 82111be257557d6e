package conn

import (
	"errors"
	"net"
	"net/netip"
	"sync"
)

// An in-process link. The daemon runs the terminal client of a local gosh
// itself (tmux's process shape), and that client speaks SSP to its
// endpoint like any other, except that ssp sends the datagrams between
// them plain, neither sealed nor compressed (ssp's datagram.go: only for
// these two types, because an Endpoint drops any datagram from the
// network that claims to come from InProcess). Over loopback UDP
// each datagram cost a sendto, the kernel's UDP path, a socket reader's
// wake-up and a recvmsg, twice per keystroke's echo; here it is a copy
// into the other end's queue. Endpoint is the server's socket (still
// listening on UDP, for a client that isn't in the process); LocalConn is
// the in-process client's.

// InProcess is the address an in-process client's datagrams come from and
// the endpoint's replies go to: the unspecified IPv6 address, port 0. An
// Endpoint drops a datagram from the network that claims it.
var InProcess = netip.AddrPortFrom(netip.IPv6Unspecified(), 0)

// ErrLinked says that an endpoint already has its in-process client.
var ErrLinked = errors.New("conn: endpoint already has an in-process client")

// localQueueBytes bounds the datagrams waiting for the in-process client:
// the fragments of the largest frame fit, as they fit a socket's receive
// buffer; more are dropped, as a full socket buffer drops them. (The
// other way, the endpoint's receiver takes each datagram as it comes.)
// Each datagram counts localOverhead more, as a socket buffer counts its
// bookkeeping, so that a flood of tiny ones is bounded too.
const (
	localQueueBytes = 4 << 20
	localOverhead   = 256
)

// localFree is how many datagram buffers a LocalConn keeps for reuse.
const localFree = 4

// Endpoint is a server's socket that can also serve one client in the
// same process. Datagrams to InProcess go to that client; everything else
// is the wrapped socket's.
type Endpoint struct {
	PacketConn
	mu       sync.Mutex
	receiver func(b []byte, from netip.AddrPort) // (mu)
	client   *LocalConn                          // (mu)
	closed   bool                                // (mu)
}

// NewEndpoint wraps pc.
func NewEndpoint(pc PacketConn) *Endpoint { return &Endpoint{PacketConn: pc} }

// ceConn is a socket that reports ECN congestion marks (UDPConn).
type ceConn interface {
	ReadFromCE(b []byte) (int, netip.AddrPort, bool, error)
}

// ReadFrom reads the wrapped socket. A datagram from the network that
// claims to come from InProcess is dropped: replies to it would go to
// the in-process client.
func (e *Endpoint) ReadFrom(b []byte) (int, netip.AddrPort, error) {
	n, from, _, err := e.ReadFromCE(b)
	return n, from, err
}

// ReadFromCE is ReadFrom that also reports the ECN congestion mark, when
// the wrapped socket does (UDPConn.ReadFromCE).
func (e *Endpoint) ReadFromCE(b []byte) (n int, from netip.AddrPort, ce bool, err error) {
	for {
		if c, ok := e.PacketConn.(ceConn); ok {
			n, from, ce, err = c.ReadFromCE(b)
		} else {
			n, from, err = e.PacketConn.ReadFrom(b)
		}
		if err != nil || from != InProcess {
			return n, from, ce, err
		}
	}
}

// SetReceiver makes f the taker of the in-process client's datagrams
// (ssp's inbox sets it), in place of ReadFrom, which reads only the
// wrapped socket. f runs on the client's goroutine, with no lock held: it
// may wait for room (a big paste's fragments come in a burst), and must
// not keep b. Until it is set, the client's datagrams are lost.
func (e *Endpoint) SetReceiver(f func(b []byte, from netip.AddrPort)) {
	e.mu.Lock()
	e.receiver = f
	e.mu.Unlock()
}

// Connect returns the socket of the endpoint's in-process client; an
// endpoint has one at a time.
func (e *Endpoint) Connect() (*LocalConn, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	switch {
	case e.closed:
		return nil, net.ErrClosed
	case e.client != nil:
		return nil, ErrLinked
	}
	e.client = &LocalConn{ep: e, ready: make(chan struct{}, 1), done: make(chan struct{})}
	return e.client, nil
}

// WriteTo sends b to the in-process client when to is InProcess (a
// client that left loses it, as a closed port would), otherwise on the
// wrapped socket.
func (e *Endpoint) WriteTo(b []byte, to netip.AddrPort) error {
	if to != InProcess {
		return e.PacketConn.WriteTo(b, to)
	}
	e.mu.Lock()
	closed, c := e.closed, e.client
	e.mu.Unlock()
	if closed {
		return net.ErrClosed
	}
	if c != nil {
		c.deliver(b)
	}
	return nil
}

// Close closes the wrapped socket and unlinks the in-process client,
// which from then on hears nothing, as from a server that went away.
func (e *Endpoint) Close() error {
	e.mu.Lock()
	e.closed, e.client, e.receiver = true, nil, nil
	e.mu.Unlock()
	return e.PacketConn.Close()
}

// fromClient hands one of the in-process client's datagrams to the
// receiver.
func (e *Endpoint) fromClient(c *LocalConn, b []byte) {
	e.mu.Lock()
	f := e.receiver
	if e.client != c {
		f = nil
	}
	e.mu.Unlock()
	if f != nil {
		f(b, InProcess)
	}
}

// unlink forgets c if it is still the client.
func (e *Endpoint) unlink(c *LocalConn) {
	e.mu.Lock()
	if e.client == c {
		e.client = nil
	}
	e.mu.Unlock()
}

// LocalConn is the in-process client's socket (Endpoint.Connect). Its
// datagrams wait in a queue; ReadFrom waits for one, TryRead doesn't, and
// a function set with SetNotify hears when the queue stops being empty,
// for a loop that waits on something else (the client's epoll set).
type LocalConn struct {
	ep     *Endpoint
	mu     sync.Mutex
	queue  [][]byte      // (mu) waiting datagrams, from head on
	head   int           // (mu)
	queued int           // (mu) bytes waiting, with localOverhead each
	free   [][]byte      // (mu)
	closed bool          // (mu)
	ready  chan struct{} // a value after the queue stopped being empty
	done   chan struct{} // closed by Close
	// notify is called with nmu held, so that once SetNotify(nil) has
	// returned no call of the old function is still running: the raw
	// loop closes the poller it wakes right after.
	nmu    sync.Mutex
	notify func() // (nmu)
}

var _ PacketConn = (*LocalConn)(nil)

// SetNotify makes f be called (on the sender's goroutine) whenever a
// datagram arrives in an empty queue; nil stops the calls, and a call
// already under way has returned when SetNotify does. A reader that
// drains the queue with TryRead after each call misses none. f must not
// block or call back into c.
func (c *LocalConn) SetNotify(f func()) {
	c.nmu.Lock()
	c.notify = f
	c.nmu.Unlock()
}

func (c *LocalConn) deliver(b []byte) {
	c.mu.Lock()
	if c.closed || c.queued+len(b)+localOverhead > localQueueBytes {
		c.mu.Unlock()
		return
	}
	c.queued += len(b) + localOverhead
	var d []byte
	if n := len(c.free); n > 0 {
		d, c.free = c.free[n-1], c.free[:n-1]
	}
	if c.head > 0 && c.head*2 >= len(c.queue) { // drop the read half: amortized O(1)
		n := copy(c.queue, c.queue[c.head:])
		clear(c.queue[n:])
		c.queue, c.head = c.queue[:n], 0
	}
	c.queue = append(c.queue, append(d[:0], b...))
	first := len(c.queue)-c.head == 1
	c.mu.Unlock()
	if !first {
		return
	}
	select {
	case c.ready <- struct{}{}:
	default:
	}
	c.nmu.Lock()
	if c.notify != nil {
		c.notify()
	}
	c.nmu.Unlock()
}

// TryRead copies the oldest waiting datagram into b (truncating it to
// len(b)) and reports false when none waits.
func (c *LocalConn) TryRead(b []byte) (n int, ok bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.head == len(c.queue) {
		return 0, false
	}
	d := c.queue[c.head]
	c.queue[c.head] = nil
	c.head++
	if c.head == len(c.queue) {
		c.queue, c.head = c.queue[:0], 0
	}
	c.queued -= len(d) + localOverhead
	n = copy(b, d)
	if len(c.free) < localFree {
		c.free = append(c.free, d)
	}
	return n, true
}

// ReadFrom waits for a datagram; it comes from InProcess.
func (c *LocalConn) ReadFrom(b []byte) (int, netip.AddrPort, error) {
	for {
		if n, ok := c.TryRead(b); ok {
			return n, InProcess, nil
		}
		select {
		case <-c.ready:
		case <-c.done:
			return 0, netip.AddrPort{}, net.ErrClosed
		}
	}
}

// WriteTo sends b to the endpoint, whatever to says.
func (c *LocalConn) WriteTo(b []byte, _ netip.AddrPort) error {
	select {
	case <-c.done:
		return net.ErrClosed
	default:
	}
	c.ep.fromClient(c, b)
	return nil
}

// LocalAddr returns InProcess.
func (c *LocalConn) LocalAddr() netip.AddrPort { return InProcess }

// Close unlinks c from its endpoint; another client may then Connect.
func (c *LocalConn) Close() error {
	c.mu.Lock()
	if c.closed {
		c.mu.Unlock()
		return nil
	}
	c.closed = true
	c.queue, c.head, c.queued = nil, 0, 0
	close(c.done)
	c.mu.Unlock()
	c.ep.unlink(c)
	return nil
}
