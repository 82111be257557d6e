package ssp

import (
	"bytes"
	"errors"
	"log/slog"
	"net"
	"net/netip"
	"sync"
	"time"

	"github.com/goshterm/gosh/ssp/conn"
)

// Packet is one datagram read from one of the Transport's sockets.
type Packet struct {
	Data []byte
	From netip.AddrPort
	// CE: the datagram arrived with the ECN congestion-experienced mark
	// (only from sockets that report it, like conn.UDPConn).
	CE bool
}

// pushSource is a socket that hands over some datagrams itself instead of
// being read for them (conn.Endpoint: its in-process client's).
type pushSource interface {
	SetReceiver(func(b []byte, from netip.AddrPort))
}

// ceReader is a socket that reports ECN congestion marks
// (conn.UDPConn.ReadFromCE).
type ceReader interface {
	ReadFromCE(b []byte) (n int, from netip.AddrPort, ce bool, err error)
}

// inbox reads the Transport's sockets, one goroutine each, into one
// channel. An application that runs its own event loop (instead of Run)
// selects on that channel beside its own events: a keystroke then reaches
// the pty on the goroutine that decrypted it, and a frame leaves on the
// goroutine that drew it, with no hop through Run and Do for either. Each
// hop is a goroutine wake-up, and on an otherwise idle process a wake-up
// of the runtime's sysmon too: on the typing benchmark they were most of
// the server's CPU.
type inbox struct {
	c       chan Packet
	free    chan []byte // datagram buffers ReceivePacket gave back
	stop    chan struct{}
	wg      sync.WaitGroup
	reading map[conn.PacketConn]bool
}

// inboxDepth is how many datagrams may wait for the loop: a burst of a
// window's fragments fits.
const inboxDepth = 64

// inboxFree is how many datagram buffers the inbox keeps for reuse: a
// keystroke's and an ack's in turn, not a burst's worth held forever by an
// idle daemon.
const inboxFree = 4

// Inbox starts reading the sockets (on the first call) and returns the
// channel the datagrams arrive on. Pass each to ReceivePacket, then Tick:
// Tick also starts reading the sockets a client's port hop opens. Close
// stops the readers. With Run, don't call Inbox: Run does.
func (t *Transport[L, R]) Inbox() <-chan Packet {
	if t.in == nil {
		t.in = &inbox{c: make(chan Packet, inboxDepth), free: make(chan []byte, inboxFree),
			stop: make(chan struct{}), reading: map[conn.PacketConn]bool{}}
		t.syncReaders()
	}
	return t.in.c
}

// ReceivePacket is Receive for a datagram from Inbox. It takes p.Data
// back for the inbox to read another datagram into: the caller must not
// use it afterwards.
func (t *Transport[L, R]) ReceivePacket(now time.Time, p Packet) bool {
	ok := t.receive(now, p.Data, p.From, p.CE) // keeps nothing of p.Data
	if t.in != nil {
		select {
		case t.in.free <- p.Data[:0]:
		default:
		}
	}
	return ok
}

// syncReaders reads every open socket, once. Readers of sockets that a
// port hop pruned end when the socket is closed.
func (t *Transport[L, R]) syncReaders() {
	in := t.in
	if in == nil || t.closed {
		return
	}
	if len(in.reading) == len(t.link.sockets) && in.reading[t.link.sockets[len(t.link.sockets)-1].pc] {
		return
	}
	open := make(map[conn.PacketConn]bool, len(t.link.sockets))
	for _, s := range t.link.sockets {
		open[s.pc] = true
		if !in.reading[s.pc] {
			in.wg.Add(1)
			go in.read(s.pc, t.log)
			if ps, ok := s.pc.(pushSource); ok {
				ps.SetReceiver(in.push)
			}
		}
	}
	in.reading = open
}

// read delivers pc's datagrams until pc is closed or the inbox stops.
func (in *inbox) read(pc conn.PacketConn, log *slog.Logger) {
	defer in.wg.Done()
	buf := make([]byte, MaxDatagram+1) // one more: detect oversize
	cer, hasCE := pc.(ceReader)
	for {
		var n int
		var from netip.AddrPort
		var ce bool
		var err error
		if hasCE {
			n, from, ce, err = cer.ReadFromCE(buf)
		} else {
			n, from, err = pc.ReadFrom(buf)
		}
		if err != nil {
			if !errors.Is(err, net.ErrClosed) {
				log.Debug("ssp: read", "err", err)
			}
			return
		}
		select {
		case in.c <- Packet{Data: in.copyOf(buf[:n]), From: from, CE: ce}:
		case <-in.stop:
			return
		}
	}
}

// push takes a datagram its socket handed over (pushSource). It runs on
// the sender's goroutine, so a keystroke from an in-process client goes
// straight to the loop's channel. A full inbox makes the sender wait for
// the loop (or Close), as no socket buffer takes up the slack here: a
// big paste is a burst of fragments, and dropping its tail on every
// resend would lose the whole instruction every time. So the sender's
// goroutine must not be the one that drains the inbox (a test driving
// both transports from one goroutine would wait here for ever on a burst
// of more than inboxDepth datagrams).
func (in *inbox) push(b []byte, from netip.AddrPort) {
	select {
	case in.c <- Packet{Data: in.copyOf(b), From: from}:
	case <-in.stop:
	}
}

// copyOf returns a copy of b in a buffer ReceivePacket gave back, when one
// is free and big enough: a keystroke's datagram then allocates nothing.
func (in *inbox) copyOf(b []byte) []byte {
	select {
	case d := <-in.free:
		if cap(d) >= len(b) {
			return append(d[:0], b...)
		}
	default:
	}
	return bytes.Clone(b)
}

// shutdown stops the readers; the sockets must be closed already (a
// reader blocked in ReadFrom ends only then).
func (in *inbox) shutdown() {
	close(in.stop)
	in.wg.Wait()
}
