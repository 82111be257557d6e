package impair

import (
	"container/heap"
	"errors"
	"fmt"
	"math/rand/v2"
	"net"
	"net/netip"
	"sync"
	"sync/atomic"
	"time"
)

// DefaultLimit is the queue bound used when Link.Limit is 0: netem's
// default of 1000 packets.
const DefaultLimit = 1000

// maxDatagram is larger than any datagram mosh sends or accepts (its
// receive buffer is 2048 bytes); bigger ones are truncated by the kernel
// and counted as received, then forwarded truncated, as a real path with a
// small buffer would.
const maxDatagram = 65535

// Link describes one direction of the impaired path.
type Link struct {
	Delay  time.Duration // fixed one-way delay
	Jitter time.Duration // extra uniform random delay in [0, Jitter)
	Loss   float64       // probability in [0, 1] that a datagram is dropped
	Rate   int           // bytes per second; 0 means unlimited
	Limit  int           // datagrams queued at most; 0 means DefaultLimit
	// Hold keeps datagrams that arrive (and are not lost) in the queue
	// without delivering them, until a SetUp or SetDown clears Hold; they
	// then depart as if they had arrived at that moment, in order, each
	// taking Rate, Delay and Jitter from there. A test uses it to know
	// that the peer has not seen something yet (a keystroke held on its
	// way to the server can only be on screen by local prediction) without
	// losing it, which would change what the protocol does next.
	Hold bool
}

// Config configures a Proxy.
type Config struct {
	// Listen is the client-facing address, e.g. "127.0.0.1:0".
	Listen string
	// Server is where datagrams from the client are forwarded.
	Server string
	// Up is client → server, Down is server → client.
	Up, Down Link
	// Seed seeds the per-direction random sources; log it in tests.
	Seed uint64
}

// DirStats counts what one direction did with the datagrams it received.
type DirStats struct {
	Received uint64 // datagrams read from the sending side
	Lost     uint64 // dropped by Loss
	Overflow uint64 // dropped because Limit datagrams were queued
	Sent     uint64 // written to the receiving side
}

// Stats holds both directions' counters.
type Stats struct {
	Up, Down DirStats
}

// Proxy is a running impairment proxy. Its methods are safe for concurrent
// use.
type Proxy struct {
	client *net.UDPConn   // client-facing socket, fixed
	server *net.UDPAddr   // forwarding target
	up     *pipe          // client → server
	down   *pipe          // server → client
	done   chan struct{}  // closed by Close
	wg     sync.WaitGroup // every goroutine the proxy started
	closed atomic.Bool

	mu       sync.Mutex   // guards the fields below
	upstream *net.UDPConn // current server-facing socket
	peer     *net.UDPAddr // newest client source address, nil until heard
	roams    int          // how many times Roam rebound upstream
}

// ErrClosed is returned by Roam after Close; it is net.ErrClosed.
var ErrClosed = net.ErrClosed

// New starts a proxy. Close it to stop its goroutines.
func New(cfg Config) (*Proxy, error) {
	srv, err := net.ResolveUDPAddr("udp", cfg.Server)
	if err != nil {
		return nil, fmt.Errorf("impair: server address: %w", err)
	}
	laddr, err := net.ResolveUDPAddr("udp", cfg.Listen)
	if err != nil {
		return nil, fmt.Errorf("impair: listen address: %w", err)
	}
	client, err := net.ListenUDP("udp", laddr)
	if err != nil {
		return nil, fmt.Errorf("impair: listen: %w", err)
	}
	upstream, err := net.ListenUDP("udp", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		client.Close()
		return nil, fmt.Errorf("impair: bind server-facing socket: %w", err)
	}
	p := &Proxy{client: client, server: srv, upstream: upstream, done: make(chan struct{})}
	p.up = newPipe(cfg.Up, rand.NewPCG(cfg.Seed, 1), p.sendUp)
	p.down = newPipe(cfg.Down, rand.NewPCG(cfg.Seed, 2), p.sendDown)
	p.wg.Add(4)
	go p.clientReadLoop()
	go p.serverReadLoop(upstream)
	go func() { defer p.wg.Done(); p.up.deliverLoop(p.done) }()
	go func() { defer p.wg.Done(); p.down.deliverLoop(p.done) }()
	return p, nil
}

// Addr is the address clients should send to.
func (p *Proxy) Addr() *net.UDPAddr { return p.client.LocalAddr().(*net.UDPAddr) }

// Port is Addr's port, for command lines.
func (p *Proxy) Port() int { return p.Addr().Port }

// SourceAddr is the server-facing socket's current address: the source the
// server sees.
func (p *Proxy) SourceAddr() *net.UDPAddr {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.upstream.LocalAddr().(*net.UDPAddr)
}

// SetUp changes the client → server link; queued datagrams keep their times.
func (p *Proxy) SetUp(l Link) { p.up.setLink(l) }

// SetDown changes the server → client link.
func (p *Proxy) SetDown(l Link) { p.down.setLink(l) }

// Stats returns a snapshot of the counters.
func (p *Proxy) Stats() Stats { return Stats{Up: p.up.stats(), Down: p.down.stats()} }

// Roam rebinds the server-facing socket to the next loopback address
// (127.0.0.2, 127.0.0.3, … wrapping before 127.0.0.255) and closes the old
// one, so the server sees the client's datagrams arrive from a new source.
// It returns the new source address.
func (p *Proxy) Roam() (*net.UDPAddr, error) {
	if p.closed.Load() {
		return nil, ErrClosed
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.roams++
	ip := netip.AddrFrom4([4]byte{127, 0, 0, byte(2 + (p.roams-1)%253)})
	nc, err := net.ListenUDP("udp", net.UDPAddrFromAddrPort(netip.AddrPortFrom(ip, 0)))
	if err != nil {
		return nil, fmt.Errorf("impair: roam to %v: %w", ip, err)
	}
	old := p.upstream
	p.upstream = nc
	old.Close() // its read loop ends on the error
	p.wg.Add(1)
	go p.serverReadLoop(nc)
	return nc.LocalAddr().(*net.UDPAddr), nil
}

// Close stops the proxy, drops queued datagrams and waits for its
// goroutines. It is idempotent.
func (p *Proxy) Close() error {
	if p.closed.Swap(true) {
		return nil
	}
	close(p.done)
	p.client.Close()
	p.mu.Lock()
	p.upstream.Close()
	p.mu.Unlock()
	p.wg.Wait()
	return nil
}

func (p *Proxy) clientReadLoop() {
	defer p.wg.Done()
	buf := make([]byte, maxDatagram)
	for {
		n, from, err := p.client.ReadFromUDP(buf)
		if err != nil {
			if errors.Is(err, net.ErrClosed) {
				return
			}
			continue // e.g. ICMP-induced errors: keep serving
		}
		p.mu.Lock()
		p.peer = from
		p.mu.Unlock()
		p.up.push(buf[:n])
	}
}

func (p *Proxy) serverReadLoop(c *net.UDPConn) {
	defer p.wg.Done()
	buf := make([]byte, maxDatagram)
	for {
		n, _, err := c.ReadFromUDP(buf)
		if err != nil {
			if errors.Is(err, net.ErrClosed) {
				return
			}
			continue
		}
		p.down.push(buf[:n])
	}
}

func (p *Proxy) sendUp(b []byte) bool {
	p.mu.Lock()
	c := p.upstream
	p.mu.Unlock()
	_, err := c.WriteToUDP(b, p.server)
	return err == nil
}

func (p *Proxy) sendDown(b []byte) bool {
	p.mu.Lock()
	peer := p.peer
	p.mu.Unlock()
	if peer == nil {
		return false
	}
	_, err := p.client.WriteToUDP(b, peer)
	return err == nil
}

// pipe is one direction: impairment decisions at push time, delivery from
// a time-ordered queue by deliverLoop.
type pipe struct {
	send func([]byte) bool
	wake chan struct{} // buffered 1: "the queue head may have changed"

	mu        sync.Mutex // guards the fields below
	link      Link
	rng       *rand.Rand
	q         queue
	held      [][]byte  // arrived while link.Hold, in order
	seq       uint64    // FIFO tie-break for equal delivery times
	busyUntil time.Time // when the rate limiter is free again
	st        DirStats
}

func newPipe(l Link, src rand.Source, send func([]byte) bool) *pipe {
	return &pipe{send: send, wake: make(chan struct{}, 1), link: l, rng: rand.New(src)}
}

func (p *pipe) setLink(l Link) {
	p.mu.Lock()
	p.link = l
	if !l.Hold && len(p.held) > 0 {
		now := time.Now()
		for _, b := range p.held {
			p.scheduleLocked(now, b)
		}
		p.held = nil
	}
	p.mu.Unlock()
	p.signal()
}

func (p *pipe) stats() DirStats {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.st
}

func (p *pipe) signal() {
	select {
	case p.wake <- struct{}{}:
	default:
	}
}

func (p *pipe) push(b []byte) {
	now := time.Now()
	p.mu.Lock()
	p.st.Received++
	l := p.link
	// Draw for loss on every datagram, so the same seed and order give
	// the same losses whatever the other knobs are.
	if r := p.rng.Float64(); r < l.Loss {
		p.st.Lost++
		p.mu.Unlock()
		return
	}
	limit := l.Limit
	if limit <= 0 {
		limit = DefaultLimit
	}
	if len(p.q)+len(p.held) >= limit {
		p.st.Overflow++
		p.mu.Unlock()
		return
	}
	if l.Hold {
		p.held = append(p.held, append([]byte(nil), b...))
		p.mu.Unlock()
		return
	}
	p.scheduleLocked(now, append([]byte(nil), b...))
	p.mu.Unlock()
	p.signal()
}

// scheduleLocked queues b for delivery after the rate limiter, Delay and
// Jitter, counted from now. b is owned by the queue from here on.
func (p *pipe) scheduleLocked(now time.Time, b []byte) {
	l := p.link
	depart := now
	if l.Rate > 0 {
		if p.busyUntil.After(depart) {
			depart = p.busyUntil
		}
		depart = depart.Add(time.Duration(int64(len(b)) * int64(time.Second) / int64(l.Rate)))
		p.busyUntil = depart
	}
	at := depart.Add(l.Delay)
	if l.Jitter > 0 {
		at = at.Add(time.Duration(p.rng.Int64N(int64(l.Jitter))))
	}
	p.seq++
	heap.Push(&p.q, item{at: at, seq: p.seq, b: b})
}

// deliverLoop sends each queued datagram at its time until done closes.
func (p *pipe) deliverLoop(done <-chan struct{}) {
	timer := time.NewTimer(time.Hour)
	defer timer.Stop()
	for {
		p.mu.Lock()
		var wait time.Duration = -1
		var due [][]byte
		now := time.Now()
		for len(p.q) > 0 {
			if d := p.q[0].at.Sub(now); d > 0 {
				wait = d
				break
			}
			due = append(due, heap.Pop(&p.q).(item).b)
		}
		p.mu.Unlock()
		for _, b := range due {
			if p.send(b) {
				p.mu.Lock()
				p.st.Sent++
				p.mu.Unlock()
			}
		}
		if len(due) > 0 {
			continue // time moved on while sending
		}
		var tc <-chan time.Time
		if wait >= 0 {
			timer.Reset(wait)
			tc = timer.C
		}
		select {
		case <-done:
			return
		case <-p.wake:
		case <-tc:
		}
	}
}

type item struct {
	at  time.Time
	seq uint64
	b   []byte
}

// queue is a min-heap by delivery time, then arrival order.
type queue []item

func (q queue) Len() int { return len(q) }
func (q queue) Less(i, j int) bool {
	if !q[i].at.Equal(q[j].at) {
		return q[i].at.Before(q[j].at)
	}
	return q[i].seq < q[j].seq
}
func (q queue) Swap(i, j int) { q[i], q[j] = q[j], q[i] }
func (q *queue) Push(x any)   { *q = append(*q, x.(item)) }
func (q *queue) Pop() any {
	old := *q
	it := old[len(old)-1]
	*q = old[:len(old)-1]
	return it
}
