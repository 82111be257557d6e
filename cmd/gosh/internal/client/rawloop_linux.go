package client

import (
	"context"
	"errors"
	"fmt"
	"net/netip"
	"os"
	"os/signal"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
	"unicode/utf8"

	"github.com/gdamore/tcell/v2"
	"golang.org/x/sys/unix"

	"github.com/goshterm/gosh/ssp"
	"github.com/goshterm/gosh/ssp/conn"
)

// The raw loop: on a real terminal with real UDP sockets and the system
// clock, the client's one goroutine waits on one epoll(7) set (parked in
// the runtime's poller until it is ready) for the terminal,
// and every socket of the transport, and does all of a
// keystroke's work — read, tcell's parser, prediction, Tick, sendto — and
// all of a frame's — recvmsg, decrypt, apply, draw, write — on the thread
// that woke. The select loop (run) needs a goroutine hand-off for each:
// tcell reads the terminal on one goroutine and parses on a second, the
// transport's Inbox reads each socket on its own, and each hand-off is a
// wake-up of another thread (perf trace, /work/notes/echo-breakdown.md:
// ~190 µs of the client's part of a local echo). Rare events — signals,
// ctx, tcell's resize — come through a forwarding goroutine and a
// wake-up (poller.wake).

// Raw loop bounds.
const (
	// ttyChunk is the most bytes of input given to tcell's parser at
	// once: the parser blocks when its queue (inputQueue) is full, so a
	// chunk's events must fit. Each byte makes at most one event, but for
	// a win32 key's repeat count, which parserShadow.feed bounds.
	ttyChunk   = 256
	inputQueue = postRoom + ttyChunk
	// maxReads bounds the reads of one descriptor per wake-up, so that a
	// flood on one (a huge paste) cannot starve the others.
	maxReads = 64
	// escWait is when tcell's parser has given up waiting for the rest
	// of an escape sequence (it posts a lone ESC 60 ms after it, from a
	// timer of its own); escPoll and escGiveUp bound the loop's looking
	// for that ESC if the timer is late.
	escWait   = 61 * time.Millisecond
	escPoll   = 5 * time.Millisecond
	escGiveUp = 500 * time.Millisecond
)

// rawNetwork opens the transport's sockets (conn.UDPNetwork) and keeps the
// list the loop waits on; a port hop opens one more and prunes old ones
// (their Close takes them out of the loop first, so a descriptor number
// is never used after the kernel may have reused it).
type rawNetwork struct {
	mu    sync.Mutex
	socks []*rawSock
	gen   int // bumped when socks changes
}

// rawSock is one transport socket. Only the loop reads it (recvPacket):
// it has no method that waits for a datagram.
type rawSock struct {
	udp    *conn.UDPConn
	fd     int
	net    *rawNetwork
	closed bool
}

func (s *rawSock) WriteTo(b []byte, to netip.AddrPort) error { return s.udp.WriteTo(b, to) }
func (s *rawSock) LocalAddr() netip.AddrPort                 { return s.udp.LocalAddr() }

func (n *rawNetwork) ListenPacket(remote netip.AddrPort) (conn.PacketConn, error) {
	pc, err := conn.UDPNetwork{}.ListenPacket(remote)
	if err != nil {
		return nil, err
	}
	u, ok := pc.(*conn.UDPConn)
	if !ok {
		pc.Close()
		return nil, errors.New("client: socket without raw access")
	}
	rc, err := u.SyscallConn()
	if err != nil {
		pc.Close()
		return nil, fmt.Errorf("client: %w", err)
	}
	s := &rawSock{udp: u, fd: -1, net: n}
	if err := rc.Control(func(fd uintptr) { s.fd = int(fd) }); err != nil {
		pc.Close()
		return nil, fmt.Errorf("client: %w", err)
	}
	n.mu.Lock()
	n.socks = append(n.socks, s)
	n.gen++
	n.mu.Unlock()
	return s, nil
}

// Close takes the socket out of the loop's list, then closes it. The
// loop runs Close itself (the transport prunes sockets in Tick), so the
// descriptor has left the epoll set by the time the loop waits again.
func (s *rawSock) Close() error {
	n := s.net
	n.mu.Lock()
	if !s.closed {
		s.closed = true
		for i, o := range n.socks {
			if o == s {
				n.socks = append(n.socks[:i], n.socks[i+1:]...)
				break
			}
		}
		n.gen++
	}
	n.mu.Unlock()
	return s.udp.Close()
}

// ReadFrom is never called in the raw loop (the loop reads with recvmsg);
// it exists for the interface. It fails rather than block a reader the
// loop does not know of.
func (s *rawSock) ReadFrom([]byte) (int, netip.AddrPort, error) {
	return 0, netip.AddrPort{}, errors.New("client: raw socket is read by the loop")
}

// poller is the loop's epoll set.
//
// The loop waits for the epoll descriptor in the runtime's own poller
// (os.File, SyscallConn().Read, a read deadline for the timer) rather
// than in a blocking epoll_wait: a goroutine that never parks keeps its
// P's schedule tick still, and after any wait of 10 ms or more the
// runtime's sysmon, woken by the return from the syscall, took it for a
// goroutine running for 10 ms and preempted it with a signal just as it
// started on the key or frame (perf trace: 113 SIGURGs per 160 keys, each
// a reschedule, often onto another thread); a runtime.Gosched after each
// wait avoided that but cost ~10 µs itself. Parked in the poller, the
// goroutine is woken by the thread that saw the descriptor ready, as any
// network read is.
//
// A wake-up from another goroutine (wake: the in-process link's frames,
// the forwarder's rare events) sets woken and moves the epoll file's read
// deadline into the past, which readies the parked loop inside the
// runtime: no eventfd write, no epoll_wait to find it, no eventfd read.
// On the hosted client's echo those were four syscalls of the frame's
// path between the daemon's loop and the client's.
type poller struct {
	ep     int
	epf    *os.File // ep, registered with the runtime's poller
	eprc   syscall.RawConn
	woken  atomic.Bool // wake was called since the loop last took its events (takeWake)
	tty    int         // -1 once the terminal is gone
	socks  map[int]*rawSock
	gen    int
	events [17]unix.EpollEvent // 16 from epoll, and the wake-up's
	// beforeDeadline, when set (tests), runs in wait between its look
	// for a wake-up and its setting the deadline.
	beforeDeadline func()
	ready          func(uintptr) bool // pollReady, bound once
	readyN         int                // pollReady's result
	readyErr       error
}

// Descriptor tags in EpollEvent.Fd: the descriptor itself, or wakeTag
// for a wake-up.
const wakeTag = -1

// expired is a read deadline in the past: setting it readies the loop.
var expired = time.Unix(1, 0)

func newPoller(ttyFD int) (*poller, error) {
	ep, err := unix.EpollCreate1(unix.EPOLL_CLOEXEC)
	if err != nil {
		return nil, fmt.Errorf("client: epoll: %w", err)
	}
	if err := unix.SetNonblock(ep, true); err != nil {
		unix.Close(ep)
		return nil, fmt.Errorf("client: epoll: %w", err)
	}
	epf := os.NewFile(uintptr(ep), "epoll") // non-blocking: the runtime polls it
	eprc, err := epf.SyscallConn()
	if err != nil {
		epf.Close()
		return nil, fmt.Errorf("client: epoll: %w", err)
	}
	p := &poller{ep: ep, epf: epf, eprc: eprc, tty: -1, socks: map[int]*rawSock{}, gen: -1}
	p.ready = p.pollReady
	if err := p.add(ttyFD); err != nil {
		p.close()
		return nil, err
	}
	p.tty = ttyFD
	return p, nil
}

func (p *poller) add(fd int) error {
	ev := unix.EpollEvent{Events: unix.EPOLLIN, Fd: int32(fd)}
	if err := unix.EpollCtl(p.ep, unix.EPOLL_CTL_ADD, fd, &ev); err != nil {
		return fmt.Errorf("client: epoll add: %w", err)
	}
	return nil
}

func (p *poller) remove(fd int) { unix.EpollCtl(p.ep, unix.EPOLL_CTL_DEL, fd, nil) }

// dropTTY stops waiting for the terminal (it hung up: it would be
// readable forever).
func (p *poller) dropTTY() {
	if p.tty >= 0 {
		p.remove(p.tty)
		p.tty = -1
	}
}

// sync makes the epoll set hold exactly the network's open sockets.
func (p *poller) sync(n *rawNetwork) {
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.gen == p.gen {
		return
	}
	p.gen = n.gen
	open := make(map[int]bool, len(n.socks))
	for _, s := range n.socks {
		open[s.fd] = true
		if p.socks[s.fd] != s {
			// New, or a new socket on a reused descriptor number (the
			// old one left the set when it was closed).
			p.remove(s.fd)
			if p.add(s.fd) != nil {
				delete(p.socks, s.fd)
				continue
			}
			p.socks[s.fd] = s
		}
	}
	for fd := range p.socks {
		if !open[fd] {
			// Closed already: the kernel dropped it from the set when
			// the descriptor closed; this only forgets it.
			p.remove(fd)
			delete(p.socks, fd)
		}
	}
}

// wait waits up to d for readiness.
func (p *poller) wait(d time.Duration) ([]unix.EpollEvent, error) {
	var n int
	var err error
	// The read callback below polls before it parks; a poll here first
	// serves only a wait so short that its deadline may pass before the
	// callback runs (the poller then fails the read without calling it).
	// After a keystroke or a frame the set is usually empty: one
	// epoll_wait fewer per wait.
	if d < time.Millisecond {
		if n, err = p.poll(); n > 0 || err != nil {
			return p.withWake(n), err
		}
	}
	if p.woken.Load() {
		return p.withWake(0), nil
	}
	if p.beforeDeadline != nil {
		p.beforeDeadline()
	}
	if err := p.epf.SetReadDeadline(time.Now().Add(d)); err != nil {
		return nil, fmt.Errorf("client: epoll wait: %w", err)
	}
	// A wake between the look above and the deadline just set had its
	// expired deadline overwritten: look again, after the set.
	if p.woken.Load() {
		return p.withWake(0), nil
	}
	rerr := p.eprc.Read(p.ready)
	if errors.Is(rerr, os.ErrDeadlineExceeded) {
		return p.withWake(0), nil // the timer, or a wake-up
	}
	if rerr != nil {
		return nil, fmt.Errorf("client: epoll wait: %w", rerr)
	}
	return p.withWake(p.readyN), p.readyErr
}

// pollReady is the wait's readiness callback: it polls, and reports
// whether anything (or an error) came. It is bound once (ready), so that
// a wait allocates no closure.
func (p *poller) pollReady(uintptr) bool {
	p.readyN, p.readyErr = p.poll()
	return p.readyN > 0 || p.readyErr != nil
}

// withWake returns the first n events, and a wakeTag event after them
// when a wake-up is pending.
func (p *poller) withWake(n int) []unix.EpollEvent {
	if p.woken.Load() {
		p.events[n] = unix.EpollEvent{Fd: wakeTag}
		n++
	}
	return p.events[:n]
}

// poll takes the ready events without waiting.
func (p *poller) poll() (int, error) {
	n, err := rawEpollPoll(p.ep, p.events[:len(p.events)-1])
	if err != nil {
		return 0, fmt.Errorf("client: epoll wait: %w", err)
	}
	return n, nil
}

// wake makes a wait return (from any goroutine). It is on the echo's
// path when the daemon hosts the client (the in-process link's notify).
// A wake-up already pending needs no second deadline: the loop has not
// yet looked (takeWake), and will.
func (p *poller) wake() {
	if p.woken.Swap(true) {
		return
	}
	p.epf.SetReadDeadline(expired) // fails only once closed: nobody waits then
}

// takeWake clears a pending wake-up before the loop looks at what it was
// for, so that a wake after the look is not lost.
func (p *poller) takeWake() { p.woken.Store(false) }

func (p *poller) close() { p.epf.Close() }

// asyncQueue carries the rare events into the raw loop.
type asyncQueue struct {
	mu    sync.Mutex
	evs   []any // os.Signal, ctxDoneEvent, tcell.Event
	spare []any
}

type ctxDoneEvent struct{}

func (q *asyncQueue) push(ev any) {
	q.mu.Lock()
	q.evs = append(q.evs, ev)
	q.mu.Unlock()
}

func (q *asyncQueue) take() []any {
	q.mu.Lock()
	evs := q.evs
	q.evs = q.spare[:0]
	q.spare = nil
	q.mu.Unlock()
	return evs
}

func (q *asyncQueue) recycle(evs []any) {
	clear(evs)
	q.mu.Lock()
	if q.spare == nil {
		q.spare = evs[:0]
	}
	q.mu.Unlock()
}

// forward moves signals, ctx's end and tcell's own events (resizes) into
// q and wakes the loop, until stop is closed.
func forward(ctx context.Context, sigs <-chan os.Signal, tq <-chan tcell.Event, q *asyncQueue, p *poller, stop <-chan struct{}) {
	done := ctx.Done()
	for {
		var ev any
		select {
		case <-stop:
			return
		case <-done:
			done = nil
			ev = ctxDoneEvent{}
		case s := <-sigs:
			ev = s
		case e, ok := <-tq:
			if !ok {
				tq = nil
				continue
			}
			ev = e
		}
		q.push(ev)
		p.wake()
	}
}

// ttyInput reads the terminal and runs tcell's input parser on the loop's
// goroutine, so that tcell's key, paste, mouse and focus events come out
// in the order the bytes came in, with no goroutine between the read and
// the send.
type ttyInput struct {
	fd      int
	ip      tcell.InputProcessor
	q       chan tcell.Event
	buf     []byte
	partial int // bytes of an incomplete UTF-8 sequence kept at buf's start
	// escAt is set when the parser was left holding a lone ESC: its own
	// timer posts the ESC key ~60 ms later, and the loop must look.
	escAt time.Time
	// shadow follows the parser's state, so that plain keys can skip it
	// (ttyshadow.go).
	shadow parserShadow
	// noFastPath (tests) sends every chunk through the parser.
	noFastPath bool
}

func newTTYInput(fd int) *ttyInput {
	q := make(chan tcell.Event, inputQueue)
	return &ttyInput{fd: fd, ip: tcell.NewInputProcessor(q), q: q, buf: make([]byte, 4096), shadow: newParserShadow()}
}

// setSize tells the parser the screen size, for clipping mouse
// positions. (The parser also posts an EventResize for it, from a
// goroutine; the loop ignores those: tcell's screen reports resizes.)
func (in *ttyInput) setSize(cols, rows int) { in.ip.SetSize(cols, rows) }

// read reads what the terminal has (bounded) and hands each parsed event
// to handle. It reports false when the terminal is gone (EOF, EIO).
func (in *ttyInput) read(now time.Time, handle func(tcell.Event)) (ok bool, err error) {
	for range maxReads {
		room := len(in.buf) - in.partial
		n, err := rawRead(in.fd, in.buf[in.partial:])
		if err == unix.EAGAIN {
			return true, nil
		}
		if err != nil {
			return false, err
		}
		if n == 0 {
			return false, errors.New("client: terminal closed")
		}
		in.feed(now, n, handle)
		if n < room { // a short read: nothing more waits
			return true, nil
		}
	}
	return true, nil
}

// feed parses the n bytes just read into buf after the kept partial
// character.
func (in *ttyInput) feed(now time.Time, n int, handle func(tcell.Event)) {
	end := in.partial + n
	in.partial = 0
	in.scan(now, in.buf[:end], handle)
}

// scan feeds b to the parser in chunks that end on a character boundary
// and keeps an incomplete last character for the next read.
func (in *ttyInput) scan(now time.Time, b []byte, handle func(tcell.Event)) {
	keep := incompleteTail(b)
	body := b[:len(b)-keep]
	for len(body) > 0 {
		n := min(len(body), ttyChunk)
		for n < len(body) && n > 0 && !utf8.RuneStart(body[n]) {
			n--
		}
		if n == 0 {
			n = min(len(body), ttyChunk)
		}
		chunk := body[:n]
		if in.plainKeys(chunk, handle) {
			body = body[n:]
			in.escAt = time.Time{}
			continue
		}
		if in.shadow.mayHoldEsc() {
			// The time rule (escExpiry) needs the time of this chunk:
			// handling the last one's events may have taken long.
			now = time.Now()
		}
		scan, used := in.shadow.feed(now, chunk)
		body = body[used:]
		in.ip.ScanUTF8(scan)
		if scan[len(scan)-1] == 0x1b {
			in.escAt = now
		} else {
			in.escAt = time.Time{}
		}
		in.drain(handle)
		in.shadow.drained()
	}
	if keep > 0 {
		copy(in.buf, b[len(b)-keep:])
		in.partial = keep
	}
}

// plainKeys hands on the keys of a chunk of plain bytes itself, when the
// parser is surely in its initial state (which such bytes leave it in),
// and reports whether it did: a typed key then costs no copy, lock, parse
// or channel (~8 µs of a cold echo).
func (in *ttyInput) plainKeys(chunk []byte, handle func(tcell.Event)) bool {
	if in.noFastPath || !in.shadow.idle() {
		return false
	}
	for _, c := range chunk {
		if !plainByte(c) {
			return false
		}
	}
	for _, c := range chunk {
		handle(plainKey(c))
	}
	return true
}

// drain hands on every event the parser has posted.
func (in *ttyInput) drain(handle func(tcell.Event)) {
	for range inputQueue {
		select {
		case ev := <-in.q:
			if _, ok := ev.(*tcell.EventResize); ok {
				continue // from setSize; the screen's own resize counts
			}
			if k, ok := ev.(*tcell.EventKey); ok && k.Key() == tcell.KeyEsc {
				in.escAt = time.Time{}
				if k.Modifiers() == tcell.ModNone {
					in.shadow.escTimedOut()
				}
			}
			handle(ev)
		default:
			return
		}
	}
}

// escWake is when the loop must look for the parser's delayed ESC.
func (in *ttyInput) escWake(now time.Time) time.Time {
	if in.escAt.IsZero() {
		return time.Time{}
	}
	if now.Sub(in.escAt) > escGiveUp {
		in.escAt = time.Time{}
		return time.Time{}
	}
	if w := in.escAt.Add(escWait); w.After(now) {
		return w
	}
	return now.Add(escPoll)
}

// incompleteTail is how many bytes at b's end start a UTF-8 character
// that is not complete yet.
func incompleteTail(b []byte) int {
	for i := 1; i <= utf8.UTFMax-1 && i <= len(b); i++ {
		c := b[len(b)-i]
		if c < 0x80 {
			return 0
		}
		if utf8.RuneStart(c) {
			if utf8.FullRune(b[len(b)-i:]) {
				return 0
			}
			return i
		}
	}
	return 0
}

// recvPacket reads one datagram from a socket, if one is waiting. The
// packet's Data is buf itself: the transport keeps nothing of it.
func recvPacket(s *rawSock, buf []byte) (p ssp.Packet, ok bool, err error) {
	n, from, ce, ok, err := s.udp.TryReadFromCE(buf)
	if !ok || err != nil {
		return p, false, err
	}
	return ssp.Packet{Data: buf[:n], From: from, CE: ce}, true, nil
}

// readLocal hands the transport what waits on the in-process link
// (Config.Local), bounded as a socket's reads are, and reports whether
// anything did. The link notifies only when its queue stops being empty,
// so a bounded read that left some wakes the loop again itself.
func (f *front) readLocal(buf []byte, p *poller) bool {
	if f.cfg.Local == nil {
		return false
	}
	read := 0
	for ; read < maxBatch; read++ {
		n, ok := f.cfg.Local.TryRead(buf)
		if !ok {
			break
		}
		f.tr.ReceivePacket(f.clock.Now(), ssp.Packet{Data: buf[:n], From: conn.InProcess})
	}
	if read == maxBatch {
		p.wake() // perhaps more: look again (a spare wake finds nothing)
	}
	if read > 0 {
		f.newFrame()
	}
	return read > 0
}

// runRaw is run's loop for a real terminal (see the top of this file).
func (f *front) runRaw(ctx context.Context, t *tty, rn *rawNetwork) error {
	defer f.tr.Close()
	p, err := newPoller(t.inputFD())
	if err != nil {
		return err
	}
	defer p.close()
	in := newTTYInput(t.inputFD())
	in.setSize(f.cols, f.rows)

	sigs := make(chan os.Signal, 4)
	if !f.cfg.NoSignals {
		signal.Notify(sigs, syscall.SIGTERM, syscall.SIGINT, syscall.SIGHUP, syscall.SIGPIPE)
		defer signal.Stop(sigs)
	}
	var tq <-chan tcell.Event
	if q, ok := f.scr.(interface{ EventQ() chan tcell.Event }); ok {
		tq = q.EventQ()
	}
	var q asyncQueue
	stop := make(chan struct{})
	fwdDone := make(chan struct{})
	go func() {
		defer close(fwdDone)
		forward(ctx, sigs, tq, &q, p, stop)
	}()
	defer func() {
		close(stop)
		<-fwdDone
	}()

	handle := func(ev tcell.Event) {
		if r, ok := ev.(*tcell.EventResize); ok {
			cols, rows := r.Size()
			in.setSize(cols, rows)
		}
		f.event(ev)
	}
	pkt := make([]byte, ssp.MaxDatagram+1)
	// Held except while the loop waits: an early draw comes only then.
	f.loopMu.Lock()
	defer f.loopMu.Unlock()
	if l := f.cfg.Local; l != nil {
		// The daemon's frames wake the loop (poller.wake). The link
		// outlives the poller (the transport closes it after p is
		// closed), and the daemon keeps sending: stop the wake-ups
		// before the poller closes.
		l.SetNotify(p.wake)
		defer l.SetNotify(nil)
		p.wake()
		if f.cfg.Early != nil {
			f.cfg.Early.SetEarlyDraw(f.drawEarly, f.carriedEarly)
			defer f.cfg.Early.SetEarlyDraw(nil, nil)
		}
	}
	received := false
	for !f.done {
		now := f.clock.Now()
		wake, ok := f.pass(now, received)
		if !ok {
			break
		}
		received = false
		if w := in.escWake(now); !w.IsZero() && w.Before(wake) {
			wake = w
		}
		p.sync(rn)
		d := wake.Sub(now)
		if d <= 0 {
			d = time.Microsecond
		}
		f.loopMu.Unlock()
		evs, err := p.wait(d)
		f.loopMu.Lock()
		if err != nil {
			f.finish(err)
			break
		}
		// The parser's delayed ESC, before anything read now.
		in.drain(handle)
		for _, ev := range evs {
			fd := int(ev.Fd)
			switch {
			case fd == wakeTag:
				p.takeWake()
				evs := q.take()
				for _, e := range evs {
					switch e := e.(type) {
					case ctxDoneEvent:
						f.quit()
					case os.Signal:
						f.log.Debug("client: signal, shutting down", "signal", e)
						f.quit()
					case tcell.Event:
						handle(e)
					}
				}
				q.recycle(evs)
				if f.readLocal(pkt, p) {
					received = true
				}
			case fd == p.tty:
				ok, err := in.read(f.clock.Now(), handle)
				if !ok {
					f.log.Debug("client: terminal", "err", err)
					p.dropTTY()
					f.quit() // the terminal went away (mosh: stdin EOF)
				}
			default:
				s := p.socks[fd]
				if s == nil || s.closed {
					continue
				}
				got := false
				for range maxBatch {
					pk, ok, err := recvPacket(s, pkt)
					if err != nil || !ok {
						break
					}
					f.tr.ReceivePacket(f.clock.Now(), pk)
					got = true
				}
				if got {
					f.newFrame()
					received = true
				}
			}
			if f.done {
				break
			}
		}
	}
	return f.result
}

// mayHoldEsc reports whether the parser, or its nested one, may be
// holding an ESC, which its timer may post. (Only the raw loop asks:
// it lives here, so that builds without the loop have no unused code.)
func (p *parserShadow) mayHoldEsc() bool {
	return p.states&escStates != 0 || p.nested != nil && p.nested.mayHoldEsc()
}
