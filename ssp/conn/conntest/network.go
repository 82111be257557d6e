package conntest

import (
	"math/rand/v2"
	"net"
	"net/netip"
	"sync"
	"time"

	"github.com/goshterm/gosh/ssp/conn"
)

// Link describes one direction of the simulated path.
type Link struct {
	Loss      float64       // probability that a datagram is lost, 0–1
	Delay     time.Duration // one-way delay
	Jitter    time.Duration // extra delay, uniform in [0, Jitter): reorders datagrams
	Duplicate float64       // probability that a datagram is delivered twice
	MTU       int           // larger datagrams are dropped; 0 = no limit
	Down      bool          // drop everything (a sleeping laptop, a tunnel)
}

// Counters count datagrams per direction (Up = client → server).
type Counters struct {
	UpSent, UpDelivered, UpLost       int
	DownSent, DownDelivered, DownLost int
}

// Network is an in-process network of two hosts, a client host and a
// server host, joined by a Link each way. Its randomness comes from one
// seeded generator, so with a *Clock scheduler and a single driving
// goroutine every run is the same.
type Network struct {
	sched Scheduler

	mu       sync.Mutex
	rng      *rand.Rand
	up, down Link
	serverIP netip.Addr
	clientIP netip.Addr
	conns    []*Conn
	nextPort uint16
	counters Counters
}

var _ conn.Network = (*Network)(nil)

// NewNetwork returns a perfect network (no loss, no delay) whose server
// host is 10.0.0.1 and client host 10.0.0.2.
func NewNetwork(s Scheduler, seed uint64) *Network {
	return &Network{
		sched:    s,
		rng:      rand.New(rand.NewPCG(seed, seed^0x9E3779B97F4A7C15)),
		serverIP: netip.MustParseAddr("10.0.0.1"),
		clientIP: netip.MustParseAddr("10.0.0.2"),
		nextPort: 40000,
	}
}

// SetLinks changes both directions: up is client → server.
func (n *Network) SetLinks(up, down Link) {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.up, n.down = up, down
}

// Links returns the current links.
func (n *Network) Links() (up, down Link) {
	n.mu.Lock()
	defer n.mu.Unlock()
	return n.up, n.down
}

// Counters returns the datagram counts so far.
func (n *Network) Counters() Counters {
	n.mu.Lock()
	defer n.mu.Unlock()
	return n.counters
}

// Listen opens a socket on the server host.
func (n *Network) Listen(port uint16) *Conn {
	return n.open(true, port)
}

// ListenPacket opens a socket on a fresh port of the client host; it
// makes the Network a conn.Network for client port hopping.
func (n *Network) ListenPacket(netip.AddrPort) (conn.PacketConn, error) {
	n.mu.Lock()
	n.nextPort++
	p := n.nextPort
	n.mu.Unlock()
	return n.open(false, p), nil
}

// Dial is ListenPacket without the interface conversion.
func (n *Network) Dial() *Conn {
	c, _ := n.ListenPacket(netip.AddrPort{})
	return c.(*Conn)
}

// Roam gives the client host a new address, as when a laptop moves from
// Wi-Fi to a phone's network: its sockets keep their ports, datagrams in
// flight to the old address are lost, and the server sees a new source.
func (n *Network) Roam() netip.Addr {
	n.mu.Lock()
	defer n.mu.Unlock()
	b := n.clientIP.As4()
	b[2]++
	n.clientIP = netip.AddrFrom4(b)
	return n.clientIP
}

func (n *Network) open(server bool, port uint16) *Conn {
	c := &Conn{n: n, server: server, port: port, notify: make(chan struct{}, 1), done: make(chan struct{})}
	n.mu.Lock()
	n.conns = append(n.conns, c)
	n.mu.Unlock()
	return c
}

// Conns returns the open sockets of the client host (server == false) or
// the server host.
func (n *Network) Conns(server bool) []*Conn {
	n.mu.Lock()
	defer n.mu.Unlock()
	var out []*Conn
	for _, c := range n.conns {
		if c.server == server {
			out = append(out, c)
		}
	}
	return out
}

func (n *Network) addrLocked(c *Conn) netip.AddrPort {
	if c.server {
		return netip.AddrPortFrom(n.serverIP, c.port)
	}
	return netip.AddrPortFrom(n.clientIP, c.port)
}

func (n *Network) send(c *Conn, b []byte, to netip.AddrPort) {
	n.mu.Lock()
	defer n.mu.Unlock()
	from := n.addrLocked(c)
	l := n.up
	sent, lost := &n.counters.UpSent, &n.counters.UpLost
	if c.server {
		l = n.down
		sent, lost = &n.counters.DownSent, &n.counters.DownLost
	}
	*sent++
	// Draw every random number whatever the outcome, so that changing
	// one knob does not reshuffle the others.
	rLoss, rDup, rJit, rJit2 := n.rng.Float64(), n.rng.Float64(), n.rng.Float64(), n.rng.Float64()
	if l.Down || rLoss < l.Loss || (l.MTU > 0 && len(b) > l.MTU) {
		*lost++
		return
	}
	copies := []float64{rJit}
	if rDup < l.Duplicate {
		copies = append(copies, rJit2)
	}
	for _, j := range copies {
		d := l.Delay + time.Duration(j*float64(l.Jitter))
		data := append([]byte(nil), b...)
		server := !c.server
		n.sched.AfterFunc(d, func() { n.deliver(server, to, from, data) })
	}
}

func (n *Network) deliver(server bool, to, from netip.AddrPort, b []byte) {
	n.mu.Lock()
	var dst *Conn
	for _, c := range n.conns {
		if c.server == server && n.addrLocked(c) == to {
			dst = c
			break
		}
	}
	if dst == nil {
		if server {
			n.counters.UpLost++
		} else {
			n.counters.DownLost++
		}
		n.mu.Unlock()
		return
	}
	if server {
		n.counters.UpDelivered++
	} else {
		n.counters.DownDelivered++
	}
	n.mu.Unlock()
	dst.push(datagram{b: b, from: from})
}

func (n *Network) remove(c *Conn) {
	n.mu.Lock()
	defer n.mu.Unlock()
	for i, x := range n.conns {
		if x == c {
			n.conns = append(n.conns[:i], n.conns[i+1:]...)
			return
		}
	}
}

type datagram struct {
	b    []byte
	from netip.AddrPort
}

// Conn is a socket on the simulated network.
type Conn struct {
	n      *Network
	server bool
	port   uint16

	mu     sync.Mutex
	inbox  []datagram
	closed bool
	notify chan struct{}
	done   chan struct{}
}

var _ conn.PacketConn = (*Conn)(nil)

func (c *Conn) push(d datagram) {
	c.mu.Lock()
	if c.closed {
		c.mu.Unlock()
		return
	}
	c.inbox = append(c.inbox, d)
	c.mu.Unlock()
	select {
	case c.notify <- struct{}{}:
	default:
	}
}

// TryReadFrom returns a queued datagram without blocking.
func (c *Conn) TryReadFrom(b []byte) (n int, from netip.AddrPort, ok bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.inbox) == 0 {
		return 0, netip.AddrPort{}, false
	}
	d := c.inbox[0]
	c.inbox[0] = datagram{}
	c.inbox = c.inbox[1:]
	return copy(b, d.b), d.from, true
}

// ReadFrom blocks until a datagram arrives or the socket closes.
func (c *Conn) ReadFrom(b []byte) (int, netip.AddrPort, error) {
	for {
		if n, from, ok := c.TryReadFrom(b); ok {
			return n, from, nil
		}
		select {
		case <-c.notify:
		case <-c.done:
			return 0, netip.AddrPort{}, net.ErrClosed
		}
	}
}

// WriteTo sends a datagram through the link of this host's direction.
func (c *Conn) WriteTo(b []byte, to netip.AddrPort) error {
	c.mu.Lock()
	closed := c.closed
	c.mu.Unlock()
	if closed {
		return net.ErrClosed
	}
	c.n.send(c, b, to)
	return nil
}

// LocalAddr returns the socket's current address (a client socket's
// changes when the Network roams).
func (c *Conn) LocalAddr() netip.AddrPort {
	c.n.mu.Lock()
	defer c.n.mu.Unlock()
	return c.n.addrLocked(c)
}

// Close closes the socket; it is idempotent.
func (c *Conn) Close() error {
	c.mu.Lock()
	if c.closed {
		c.mu.Unlock()
		return nil
	}
	c.closed = true
	c.inbox = nil
	close(c.done)
	c.mu.Unlock()
	c.n.remove(c)
	return nil
}
