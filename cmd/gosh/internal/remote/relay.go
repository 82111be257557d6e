package remote

import (
	"bufio"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net"
	"net/netip"
	"strconv"
	"strings"
	"sync"
)

// The relay stream. `gosh server relay PORT` first prints the line
//
//	GOSH RELAY 1
//
// (so that anything a login shell prints before it can be skipped), then
// both directions carry datagrams as frames: a 2-byte big-endian length
// followed by that many bytes (one SSP datagram each, RFC 4571 style
// framing of datagrams over a stream).
const (
	relayHello   = "GOSH RELAY 1"
	relayMaxJunk = 64 * 1024 // bytes of login chatter skipped before the hello
	// MaxRelayDatagram is the largest datagram a relay frame carries:
	// SSP receivers drop anything over 2048 bytes anyway.
	MaxRelayDatagram = 4096
)

// Errors of the relay stream.
var (
	ErrRelayFrame = errors.New("remote: relay frame too large")
	ErrRelayHello = errors.New("remote: relay did not start (no GOSH RELAY line)")
)

// writeFrame writes one datagram as a frame.
func writeFrame(w io.Writer, b []byte) error {
	if len(b) > MaxRelayDatagram {
		return ErrRelayFrame
	}
	buf := make([]byte, 2+len(b))
	binary.BigEndian.PutUint16(buf, uint16(len(b)))
	copy(buf[2:], b)
	_, err := w.Write(buf)
	return err
}

// readFrame reads one frame into a new slice.
func readFrame(r io.Reader) ([]byte, error) {
	var h [2]byte
	if _, err := io.ReadFull(r, h[:]); err != nil {
		return nil, err
	}
	n := int(binary.BigEndian.Uint16(h[:]))
	if n > MaxRelayDatagram {
		return nil, ErrRelayFrame
	}
	b := make([]byte, n)
	if _, err := io.ReadFull(r, b); err != nil {
		if err == io.EOF {
			err = io.ErrUnexpectedEOF
		}
		return nil, err
	}
	return b, nil
}

// skipToHello reads lines until the relay's hello; what came before is
// returned for error messages.
func skipToHello(r *bufio.Reader) (junk string, err error) {
	var sb strings.Builder
	for sb.Len() < relayMaxJunk {
		line, err := r.ReadString('\n')
		if strings.TrimRight(line, "\r\n") == relayHello {
			return sb.String(), nil
		}
		sb.WriteString(line)
		if err != nil {
			return sb.String(), ErrRelayHello
		}
	}
	return sb.String(), ErrRelayHello
}

// ServeRelay is `gosh server relay`: it bridges frames on in/out to UDP
// datagrams exchanged with target (the session's endpoint, normally on the
// host's loopback), from a socket of its own. The daemon sees that socket
// as the client's address whenever the newest datagram came this way, and
// so replies through the relay (SSP roaming). It returns when in ends
// (ssh closed), out fails, or ctx is done.
func ServeRelay(ctx context.Context, in io.Reader, out io.Writer, target netip.AddrPort) error {
	local := netip.IPv4Unspecified()
	if !target.Addr().Is4() {
		local = netip.IPv6Unspecified()
	}
	uc, err := net.ListenUDP("udp", net.UDPAddrFromAddrPort(netip.AddrPortFrom(local, 0)))
	if err != nil {
		return fmt.Errorf("relay: %w", err)
	}
	if _, err := io.WriteString(out, relayHello+"\n"); err != nil {
		uc.Close()
		return err
	}
	if f, ok := out.(interface{ Sync() error }); ok {
		f.Sync()
	}
	done := make(chan error, 2)
	go func() { // stdin → UDP
		for {
			b, err := readFrame(in)
			if err != nil {
				if errors.Is(err, io.EOF) {
					err = nil
				}
				done <- err
				return
			}
			uc.WriteToUDPAddrPort(b, target) // datagram semantics: errors are losses
		}
	}()
	go func() { // UDP → stdout
		buf := make([]byte, 65536)
		for {
			n, from, err := uc.ReadFromUDPAddrPort(buf)
			if err != nil {
				done <- nil
				return
			}
			if netip.AddrPortFrom(from.Addr().Unmap(), from.Port()) != target || n > MaxRelayDatagram {
				continue // only the session's endpoint may speak through us
			}
			if err := writeFrame(out, buf[:n]); err != nil {
				done <- err
				return
			}
		}
	}()
	select {
	case err = <-done:
	case <-ctx.Done():
		err = ctx.Err()
	}
	uc.Close()
	return err
}

// ParseRelayTarget parses `gosh server relay`'s argument: PORT (on
// 127.0.0.1) or IP:PORT / [IPv6]:PORT.
func ParseRelayTarget(s string) (netip.AddrPort, error) {
	if p, err := strconv.ParseUint(s, 10, 16); err == nil && p > 0 {
		return netip.AddrPortFrom(netip.AddrFrom4([4]byte{127, 0, 0, 1}), uint16(p)), nil
	}
	ap, err := netip.ParseAddrPort(s)
	if err != nil || ap.Port() == 0 {
		return netip.AddrPort{}, fmt.Errorf("relay: bad target %q (want PORT or IP:PORT)", s)
	}
	return netip.AddrPortFrom(ap.Addr().Unmap(), ap.Port()), nil
}

// Relay is the client's end of a datagram relay.
//
// Send queues one datagram and never blocks (a full queue drops it, as a
// congested network would). Recv delivers datagrams from the far end;
// Done is closed when the relay has ended. Close is idempotent and joins
// the relay's goroutines.
type Relay interface {
	Send(b []byte)
	Recv() <-chan []byte
	Done() <-chan struct{}
	Close() error
}

// streamRelay runs the relay protocol over a stream (ssh's stdin/stdout).
type streamRelay struct {
	w       io.WriteCloser
	r       *bufio.Reader
	closer  func() error // ends the stream's owner (kills ssh), may be nil
	sendq   chan []byte
	recv    chan []byte
	done    chan struct{}
	wg      sync.WaitGroup
	once    sync.Once
	errOnce sync.Once
	err     error
}

// relayQueue bounds the datagrams waiting in each direction.
const relayQueue = 128

// newStreamRelay starts the relay protocol on r/w; it first waits for the
// hello line (which the caller may already have consumed, hello=false).
func newStreamRelay(r io.Reader, w io.WriteCloser, closer func() error) *streamRelay {
	s := &streamRelay{w: w, r: bufio.NewReader(r), closer: closer,
		sendq: make(chan []byte, relayQueue), recv: make(chan []byte, relayQueue), done: make(chan struct{})}
	return s
}

// start runs the goroutines once the hello has been read.
func (s *streamRelay) start() {
	s.wg.Add(2)
	go s.writeLoop()
	go s.readLoop()
}

func (s *streamRelay) fail(err error) {
	s.errOnce.Do(func() { s.err = err })
	s.once.Do(func() { close(s.done) })
}

func (s *streamRelay) writeLoop() {
	defer s.wg.Done()
	for {
		select {
		case b := <-s.sendq:
			if err := writeFrame(s.w, b); err != nil {
				s.fail(err)
				return
			}
		case <-s.done:
			return
		}
	}
}

func (s *streamRelay) readLoop() {
	defer s.wg.Done()
	for {
		b, err := readFrame(s.r)
		if err != nil {
			s.fail(err)
			return
		}
		select {
		case s.recv <- b:
		default: // the reader is behind: a loss
		}
	}
}

func (s *streamRelay) Send(b []byte) {
	select {
	case <-s.done:
	case s.sendq <- append([]byte(nil), b...):
	default:
	}
}

func (s *streamRelay) Recv() <-chan []byte   { return s.recv }
func (s *streamRelay) Done() <-chan struct{} { return s.done }

// Close ends the relay: closes the stream and joins the goroutines.
func (s *streamRelay) Close() error {
	s.fail(net.ErrClosed)
	s.w.Close()
	if s.closer != nil {
		s.closer()
	}
	s.wg.Wait()
	return nil
}
