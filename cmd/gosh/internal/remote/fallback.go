package remote

import (
	"log/slog"
	"net"
	"net/netip"
	"sync"
	"sync/atomic"
	"time"

	"github.com/goshterm/gosh/ssp/conn"
)

// Timing of the UDP-blocked fallback.
const (
	// FirstContactTimeout: no datagram from the server this long after
	// the client's first send means UDP is blocked (or the host is behind
	// something that only ssh passes); the server answers a client's first
	// datagram at once, so a few seconds is ample on any path ssh works
	// on.
	FirstContactTimeout = 3 * time.Second
	// SilenceTimeout: once UDP worked, it counts as blocked after this
	// much silence. The server sends a heartbeat every 3 s (ssp
	// constants), so this is more than two missed heartbeats.
	SilenceTimeout = 8 * time.Second
	// Probing UDP while on the relay: a copy of an outgoing datagram goes
	// over UDP too, first after probeMin, then at doubling intervals up
	// to probeMax while no UDP datagram comes back. A probe that reaches
	// the server wins the race against the relay copy, so the server
	// replies over UDP; if only the way back is blocked those replies are
	// lost until the client's next datagram, which is why probes are
	// spaced out.
	probeMin, probeMax = 1 * time.Second, 10 * time.Second
	// relayRetry is the pause before starting a relay again after one
	// failed to start or ended.
	relayRetry = 10 * time.Second
	// monitorTick is how often the fallback re-examines the paths.
	monitorTick = 200 * time.Millisecond
	// resumeGap: a monitor tick this late means the process was stopped
	// (SIGSTOP, a laptop's sleep) rather than merely busy.
	resumeGap = 2 * time.Second
	// inboundQueue bounds datagrams waiting for the Transport's reader.
	inboundQueue = 256
)

// FallbackConfig configures a Fallback.
type FallbackConfig struct {
	// Server is the session's UDP endpoint.
	Server netip.AddrPort
	// Base opens the real UDP sockets; nil means conn.UDPNetwork{}.
	Base conn.Network
	// StartRelay opens the relay path (StartSSHRelay in gosh attach). It
	// is called from a goroutine of the Fallback and may take seconds.
	StartRelay func() (Relay, error)
	// Notice is the notice bar's text while the session is on the relay
	// (e.g. which UDP ports to open).
	Notice string
	// RelayOnly sends through the relay from the start and never over UDP
	// (the host has no address this machine can reach: it did not
	// resolve here, as behind a ProxyJump).
	RelayOnly bool
	// FirstContact and Silence override FirstContactTimeout and
	// SilenceTimeout when positive.
	FirstContact, Silence time.Duration
	// Logger receives path changes; nil discards.
	Logger *slog.Logger
}

// Fallback is a conn.Network for the client's Transport whose sockets send
// over UDP or through a Relay and receive from both. While datagrams come
// back over UDP it is plain UDP; after a silence it starts the relay and
// sends through it, probing UDP now and then, and returns to UDP as soon
// as a datagram arrives that way. The Transport needs no knowledge of
// this: the server replies wherever the newest datagram came from.
//
// Lock discipline: mu guards every field below it; the per-socket reader
// goroutines and the monitor goroutine take it briefly and never call out
// while holding it.
type Fallback struct {
	cfg    FallbackConfig
	base   conn.Network
	notice atomic.Pointer[string]
	done   chan struct{}
	wg     sync.WaitGroup
	closed atomic.Bool

	mu            sync.Mutex
	conns         []*fallbackConn // live sockets, newest last
	started       time.Time       // first send
	heardUDP      time.Time       // newest datagram over UDP
	heardAny      bool
	onRelay       bool
	relay         Relay
	relayStarting bool
	relayNext     time.Time // no relay start before this
	probeEvery    time.Duration
	probeNext     time.Time
	relayed       uint64    // datagrams received through the relay (stats)
	unanswered    time.Time // first send since the last datagram over UDP; zero if none
	lastTick      time.Time // the monitor's previous look
	resumed       time.Time // the process last came back from a stop or sleep
}

var _ conn.Network = (*Fallback)(nil)

// NewFallback starts a Fallback's monitor; Close stops it.
func NewFallback(cfg FallbackConfig) *Fallback {
	if cfg.FirstContact <= 0 {
		cfg.FirstContact = FirstContactTimeout
	}
	if cfg.Silence <= 0 {
		cfg.Silence = SilenceTimeout
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	f := &Fallback{cfg: cfg, base: cfg.Base, done: make(chan struct{}), probeEvery: probeMin}
	if f.base == nil {
		f.base = conn.UDPNetwork{}
	}
	empty := ""
	f.notice.Store(&empty)
	if cfg.RelayOnly {
		f.onRelay = true
		f.probeNext = time.Now().Add(1000 * time.Hour) // never probe
	}
	f.wg.Add(1)
	go f.monitorLoop()
	return f
}

// Notice is the notice bar's text: empty on UDP, Config.Notice on the
// relay. Safe for concurrent use.
func (f *Fallback) Notice() string { return *f.notice.Load() }

// OnRelay reports whether the session currently sends through the relay.
func (f *Fallback) OnRelay() bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.onRelay && f.relay != nil
}

// Relayed counts datagrams received through the relay.
func (f *Fallback) Relayed() uint64 {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.relayed
}

// ListenPacket opens a new UDP socket (the Transport's first socket, and
// each port hop) wrapped so that it also carries the relay.
func (f *Fallback) ListenPacket(remote netip.AddrPort) (conn.PacketConn, error) {
	if f.closed.Load() {
		return nil, net.ErrClosed
	}
	udp, err := f.base.ListenPacket(remote)
	if err != nil {
		return nil, err
	}
	c := &fallbackConn{f: f, udp: udp, in: make(chan packet, inboundQueue), done: make(chan struct{})}
	f.mu.Lock()
	f.conns = append(f.conns, c)
	f.mu.Unlock()
	c.wg.Add(1)
	go c.readLoop()
	return c, nil
}

// Close stops the monitor and the relay. Sockets are closed by their
// owner (the Transport).
func (f *Fallback) Close() error {
	if f.closed.Swap(true) {
		return nil
	}
	close(f.done)
	f.wg.Wait()
	f.mu.Lock()
	r := f.relay
	f.relay = nil
	f.mu.Unlock()
	if r != nil {
		r.Close()
	}
	return nil
}

func (f *Fallback) setNotice(s string) { f.notice.Store(&s) }

// heard records a datagram from the server over UDP: UDP works.
func (f *Fallback) heardOverUDP(now time.Time) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.heardUDP = now
	f.heardAny = true
	f.unanswered = time.Time{}
	if f.onRelay && !f.cfg.RelayOnly {
		f.onRelay = false
		f.probeEvery = probeMin
		f.setNotice("")
		f.cfg.Logger.Info("back on UDP")
	}
}

// sendPlan decides where an outgoing datagram goes.
func (f *Fallback) sendPlan(now time.Time) (viaUDP bool, r Relay) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.started.IsZero() {
		f.started = now
	}
	if f.unanswered.IsZero() {
		f.unanswered = now
	}
	if f.cfg.RelayOnly {
		return false, f.relay // nil until the relay runs: a loss
	}
	if !f.onRelay || f.relay == nil {
		return true, nil
	}
	if !now.Before(f.probeNext) {
		f.probeNext = now.Add(f.probeEvery)
		f.probeEvery = min(2*f.probeEvery, probeMax)
		return true, f.relay
	}
	return false, f.relay
}

// newestLocked is the socket relay datagrams are delivered to.
func (f *Fallback) newestLocked() *fallbackConn {
	for i := len(f.conns) - 1; i >= 0; i-- {
		if !f.conns[i].isClosed() {
			return f.conns[i]
		}
	}
	return nil
}

func (f *Fallback) forget(c *fallbackConn) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for i, x := range f.conns {
		if x == c {
			f.conns = append(f.conns[:i], f.conns[i+1:]...)
			return
		}
	}
}

// monitorLoop switches to the relay after a silence and keeps a relay
// running while it is wanted.
func (f *Fallback) monitorLoop() {
	defer f.wg.Done()
	t := time.NewTicker(monitorTick)
	defer t.Stop()
	for {
		select {
		case <-f.done:
			return
		case <-t.C:
		}
		now := time.Now()
		start := false
		f.mu.Lock()
		if f.relay != nil {
			select {
			case <-f.relay.Done():
				f.cfg.Logger.Info("ssh fallback ended")
				go f.relay.Close()
				f.relay = nil
				f.relayNext = now.Add(relayRetry)
			default:
			}
		}
		// A gap between two looks means the process was stopped or the
		// machine slept: the silence is ours, not the network's, so the
		// server gets a fresh Silence to answer before the relay starts.
		if !f.lastTick.IsZero() && now.Sub(f.lastTick) > resumeGap {
			f.resumed = now
			f.unanswered = time.Time{}
		}
		f.lastTick = now
		if !f.onRelay && !f.started.IsZero() {
			since, limit := f.started, f.cfg.FirstContact
			if f.heardAny {
				since, limit = f.heardUDP, f.cfg.Silence
			}
			if f.resumed.After(since) {
				since, limit = f.resumed, f.cfg.Silence
			}
			// Every datagram the client sends carries a new state or an
			// ack the server answers within its delayed-ack time, so a
			// send unanswered for FirstContact means the path is down
			// sooner than the heartbeat-based Silence would.
			unanswered := !f.unanswered.IsZero() && f.unanswered.After(f.resumed) && now.Sub(f.unanswered) > f.cfg.FirstContact
			if now.Sub(since) > limit || unanswered {
				f.onRelay = true
				f.probeEvery = probeMin
				f.probeNext = now.Add(probeMin)
				f.cfg.Logger.Info("no datagram over UDP; using the ssh fallback", "silent", now.Sub(since).String())
			}
		}
		if f.onRelay && f.relay == nil && !f.relayStarting && !now.Before(f.relayNext) && f.cfg.StartRelay != nil {
			f.relayStarting = true
			start = true
		}
		f.mu.Unlock()
		if start {
			f.wg.Add(1)
			go f.startRelay()
		}
	}
}

// startRelay opens the relay and pumps what it receives to the newest
// socket until it ends.
func (f *Fallback) startRelay() {
	defer f.wg.Done()
	r, err := f.cfg.StartRelay()
	f.mu.Lock()
	f.relayStarting = false
	if err != nil {
		f.relayNext = time.Now().Add(relayRetry)
		f.mu.Unlock()
		f.cfg.Logger.Warn("ssh fallback failed", "err", err)
		f.setNotice(f.cfg.Notice + " (ssh fallback failed: " + err.Error() + ")")
		return
	}
	if f.closed.Load() {
		f.mu.Unlock()
		r.Close()
		return
	}
	f.relay = r
	if f.onRelay {
		f.setNotice(f.cfg.Notice)
	}
	f.mu.Unlock()
	f.cfg.Logger.Info("ssh fallback running")
	for {
		select {
		case b := <-r.Recv():
			f.mu.Lock()
			f.relayed++
			f.heardAny = true
			c := f.newestLocked()
			f.mu.Unlock()
			if c != nil {
				c.deliver(packet{b: b, from: f.cfg.Server})
			}
		case <-r.Done():
			return
		case <-f.done:
			return
		}
	}
}

type packet struct {
	b    []byte
	from netip.AddrPort
}

// fallbackConn is one of the Transport's sockets: a real UDP socket whose
// datagrams, and the relay's when it is the newest socket, are read
// through in.
type fallbackConn struct {
	f    *Fallback
	udp  conn.PacketConn
	in   chan packet
	done chan struct{}
	once sync.Once
	wg   sync.WaitGroup
}

var _ conn.PacketConn = (*fallbackConn)(nil)

func (c *fallbackConn) isClosed() bool {
	select {
	case <-c.done:
		return true
	default:
		return false
	}
}

func (c *fallbackConn) readLoop() {
	defer c.wg.Done()
	buf := make([]byte, 65536)
	for {
		n, from, err := c.udp.ReadFrom(buf)
		if err != nil {
			return
		}
		if from == c.f.cfg.Server {
			c.f.heardOverUDP(time.Now())
		}
		c.deliver(packet{b: append([]byte(nil), buf[:n]...), from: from})
	}
}

func (c *fallbackConn) deliver(p packet) {
	select {
	case c.in <- p:
	case <-c.done:
	default: // reader behind: a loss
	}
}

// ReadFrom returns the next datagram from UDP or the relay.
func (c *fallbackConn) ReadFrom(b []byte) (int, netip.AddrPort, error) {
	select {
	case p := <-c.in:
		return copy(b, p.b), p.from, nil
	case <-c.done:
		return 0, netip.AddrPort{}, net.ErrClosed
	}
}

// WriteTo sends over UDP or the relay (or both when probing).
func (c *fallbackConn) WriteTo(b []byte, to netip.AddrPort) error {
	if c.isClosed() {
		return net.ErrClosed
	}
	viaUDP, r := c.f.sendPlan(time.Now())
	if r != nil {
		r.Send(b)
	}
	if viaUDP {
		err := c.udp.WriteTo(b, to)
		if r != nil {
			return nil // the relay carried it; a failed probe is no error
		}
		return err
	}
	return nil
}

// LocalAddr is the UDP socket's address.
func (c *fallbackConn) LocalAddr() netip.AddrPort { return c.udp.LocalAddr() }

// Close closes the UDP socket and joins its reader.
func (c *fallbackConn) Close() error {
	c.once.Do(func() {
		close(c.done)
		c.udp.Close()
		c.wg.Wait()
		c.f.forget(c)
	})
	return nil
}
