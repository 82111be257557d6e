package ssp

import (
	"encoding/binary"
	"net/netip"
	"slices"
	"time"

	"github.com/goshterm/gosh/ssp/conn"
)

// link is mosh's Connection (src/network/network.cc): it seals and opens
// datagrams, keeps the per-direction sequence counter, echoes timestamps
// for the RTT estimate, roams (server) and hops ports (client). It knows
// nothing of fragments or states.
//
//	datagram = nonce(8, clear) ‖ OCB( ts(2) ‖ ts_reply(2) ‖ payload ) ‖ tag(16)
//
// except that datagrams to and from a peer in the same process (inProcess)
// go plain, in the clear and without a tag:
//
//	datagram = (nonce | plainBit)(8) ‖ ts(2) ‖ ts_reply(2) ‖ payload
type link struct {
	server    bool
	sendDir   direction
	recvDir   direction
	sealer    *sealer
	stats     *Stats
	inProcess inProcessLink

	nextSeq     uint64
	expectedSeq uint64

	// The newest timestamp received in order, echoed at most once.
	hasSaved bool
	savedTS  uint16
	savedAt  time.Time

	rtt       rttEstimator
	lastHeard time.Time // newest in-order authentic datagram; zero = never

	remote    netip.AddrPort
	hasRemote bool

	// Client port hopping.
	network              conn.Network
	sockets              []socket // oldest first; the last one sends
	lastPortChoice       time.Time
	lastRoundtripSuccess time.Time

	started bool
	epoch   time.Time // origin of the millisecond clock
	scratch []byte    // the datagram send builds and seals, reused
	openBuf []byte    // receive decrypts into it
}

type socket struct {
	pc     conn.PacketConn
	opened time.Time
}

// inProcessLink is how a Transport's socket links it to a peer in the
// same process, if it does. That peer's datagrams never leave the
// process, so sealing them (and compressing their instructions) buys
// nothing, and cost a keystroke's echo ~3 µs warm, ~10 µs cold
// (BenchmarkEchoLink; docs/performance.md, session 9). Only the two conn
// types qualify: an
// Endpoint drops any datagram from the network that claims to come from
// conn.InProcess, and a LocalConn has no other source, so no datagram
// from outside the process is ever taken as plain; one from outside
// that is in the plain form fails authentication.
type inProcessLink uint8

const (
	noLink inProcessLink = iota
	// endpointLink: the socket is a conn.Endpoint, whose in-process
	// client is at conn.InProcess; any other address is the network's.
	endpointLink
	// localLink: the socket is a conn.LocalConn (and the only one: such a
	// client never hops ports); everything goes to and comes from the
	// endpoint, whatever the addresses say.
	localLink
)

// inProcessLinkOf returns how pc links to a peer in this process.
func inProcessLinkOf(pc conn.PacketConn) inProcessLink {
	switch pc.(type) {
	case *conn.Endpoint:
		return endpointLink
	case *conn.LocalConn:
		return localLink
	}
	return noLink
}

// plainBit marks a plain datagram's nonce (bit 62; the sequence number
// never reaches it): a sealed datagram that reaches the plain path, or
// garbage, is dropped as not authentic instead of being read as
// timestamps and a fragment.
const plainBit = 1 << 62

// plainTo reports whether datagrams to addr go plain: to the in-process
// peer.
func (l *link) plainTo(addr netip.AddrPort) bool {
	return l.inProcess == localLink || l.inProcess == endpointLink && addr == conn.InProcess
}

// plainFrom reports whether a datagram from addr must be in the plain
// form (and any other must be sealed): whether it comes from the
// in-process peer. There is no fallback either way.
func (l *link) plainFrom(addr netip.AddrPort) bool {
	return l.inProcess != noLink && addr == conn.InProcess
}

// sendsPlain reports whether send's next datagram goes plain.
func (l *link) sendsPlain() bool { return l.plainTo(l.remote) }

func (l *link) start(now time.Time) {
	if l.started {
		return
	}
	l.started = true
	l.epoch = now
	l.lastPortChoice = now
	l.lastRoundtripSuccess = now
	for i := range l.sockets {
		l.sockets[i].opened = now
	}
}

// ms is the monotonic millisecond clock the timestamps are cut from.
func (l *link) ms(now time.Time) int64 { return int64(now.Sub(l.epoch) / time.Millisecond) }

// mtu is the largest datagram for the remote's address family.
func (l *link) mtu() int {
	if l.remote.Addr().Unmap().Is4() || !l.remote.IsValid() {
		return MTU4
	}
	return MTU6
}

// maxFragment is the largest fragment content that fits the MTU.
func (l *link) maxFragment() int { return l.mtu() - datagramOverhd - fragHeaderSize }

// checkAssociation forgets a server's client after 40 s of silence, so the
// server stops sending into the void; the next authentic datagram
// re-attaches it.
func (l *link) checkAssociation(now time.Time) {
	if l.server && l.hasRemote && now.Sub(l.lastHeard) > ServerAssociationTimeout {
		l.hasRemote = false
	}
}

// send seals payload (a fragment) into one datagram, or wraps it plain for
// the in-process peer (sendsPlain), and writes it to the remote address
// from the newest socket. Write errors are counted, not returned: UDP
// loss is the transport's business. The only error is a fatal one
// (sequence space or key usage exhausted).
func (l *link) send(now time.Time, payload []byte) error {
	l.start(now)
	l.checkAssociation(now)
	if !l.hasRemote {
		return nil
	}
	if !l.server && l.network != nil &&
		now.Sub(l.lastPortChoice) >= portHopInterval &&
		now.Sub(l.lastRoundtripSuccess) >= portHopInterval {
		l.hop(now)
	}
	plain := l.sendsPlain()
	if l.nextSeq > maxSeq || plain && l.nextSeq >= plainBit {
		return errSeqExhausted
	}
	nowMS := l.ms(now)
	reply := uint16(timestampNone)
	if l.hasSaved {
		if now.Sub(l.savedAt) < timestampExpiry {
			// Correct for the time we held it, so the peer measures the
			// path and not our scheduling.
			reply = l.savedTS + uint16(nowMS-l.ms(l.savedAt))
		}
		l.hasSaved = false
	}
	// The datagram is built in place in one reused buffer: room for the
	// nonce, then the plaintext, which seal encrypts where it lies and
	// follows with the tag. The buffer is reused by the next send, so
	// this relies on PacketConn.WriteTo not keeping b, io.Writer's rule
	// (every conn copies or writes at once).
	b := slices.Grow(l.scratch[:0], nonceSize+4+len(payload)+tagSize)[:nonceSize]
	b = binary.BigEndian.AppendUint16(b, timestamp16(nowMS))
	b = binary.BigEndian.AppendUint16(b, reply)
	b = append(b, payload...)
	var out []byte
	if plain {
		binary.BigEndian.PutUint64(b, uint64(l.sendDir)|plainBit|l.nextSeq)
		out = b
	} else {
		var err error
		if out, err = l.sealer.seal(b[:0], uint64(l.sendDir)|l.nextSeq, b[nonceSize:]); err != nil {
			return err
		}
	}
	l.scratch = out
	l.nextSeq++
	l.stats.Sent++
	l.stats.SentBytes += uint64(len(out))
	if err := l.sockets[len(l.sockets)-1].pc.WriteTo(out, l.remote); err != nil {
		l.stats.SendErrors++
	}
	return nil
}

// hop opens a new socket (new source port) and sends from it from now on.
func (l *link) hop(now time.Time) {
	l.lastPortChoice = now
	pc, err := l.network.ListenPacket(l.remote)
	if err != nil {
		l.stats.SendErrors++
		return
	}
	l.sockets = append(l.sockets, socket{pc: pc, opened: now})
	l.stats.PortHops++
	l.prune(now)
}

// prune closes old sockets once the newest is 60 s old, and keeps at most
// ten: late replies to an old port are still read until then.
func (l *link) prune(now time.Time) {
	if n := len(l.sockets); n > 1 && now.Sub(l.sockets[n-1].opened) > maxOldSocketAge {
		for _, s := range l.sockets[:n-1] {
			s.pc.Close()
		}
		l.sockets = append(l.sockets[:0], l.sockets[n-1])
	}
	for len(l.sockets) > maxSockets {
		l.sockets[0].pc.Close()
		l.sockets = l.sockets[1:]
	}
}

// receive authenticates one datagram and returns its payload (a fragment),
// valid until the next receive (it is decrypted into a buffer the link
// reuses, so a datagram allocates nothing here; a plain one's, from the
// in-process peer (plainFrom), is d's own bytes). Bad datagrams are
// counted in Stats and yield ok == false; none is fatal. An authentic
// datagram older than the newest one seen still yields its payload (the
// state layer makes replays harmless) but does not touch timestamps, RTT,
// last-heard time or the remote address.
func (l *link) receive(now time.Time, d []byte, from netip.AddrPort, ce bool) (payload []byte, ok bool) {
	l.start(now)
	if !l.server {
		l.prune(now)
	}
	l.stats.Received++
	l.stats.ReceivedBytes += uint64(len(d))
	plain := l.plainFrom(from)
	shortest := minDatagram
	if plain {
		shortest = nonceSize + timestampsSize
	}
	switch {
	case len(d) > MaxDatagram:
		l.stats.DroppedOversize++
		return nil, false
	case len(d) < shortest:
		l.stats.DroppedShort++
		return nil, false
	}
	if direction(binary.BigEndian.Uint64(d)&(1<<63)) != l.recvDir {
		// A reflected copy of our own datagram, or garbage.
		l.stats.DroppedDirection++
		return nil, false
	}
	var nonce uint64
	var pt []byte
	if plain {
		if nonce = binary.BigEndian.Uint64(d); nonce&plainBit == 0 {
			l.stats.DroppedAuth++ // sealed, or garbage: the in-process peer sends plain
			return nil, false
		}
		nonce &^= plainBit
		pt = d[nonceSize:]
	} else {
		var err error
		nonce, pt, err = l.sealer.open(l.openBuf[:0], d)
		if pt != nil {
			l.openBuf = pt[:0]
		}
		if err != nil {
			l.stats.DroppedAuth++
			return nil, false
		}
		if len(pt) < timestampsSize {
			l.stats.DroppedShort++
			return nil, false
		}
	}
	seq := nonce &^ (1 << 63)
	if seq < l.expectedSeq {
		l.stats.Reordered++
		return pt[timestampsSize:], true
	}
	l.expectedSeq = seq + 1
	ts := binary.BigEndian.Uint16(pt)
	reply := binary.BigEndian.Uint16(pt[2:])
	if ce {
		l.stats.Congested++
	}
	if ts != timestampNone {
		l.hasSaved, l.savedTS, l.savedAt = true, ts, now
		if ce {
			// A router on the path is congested: echo the timestamp as
			// if it were older, so the peer slows down (mosh does).
			l.savedTS -= congestionPenalty
		}
	}
	if reply != timestampNone {
		r := timestampDiff(timestamp16(l.ms(now)), reply)
		l.rtt.sample(float64(r))
	}
	l.lastHeard = now
	if l.server && (!l.hasRemote || l.remote != from) {
		if l.remote.IsValid() && l.remote != from {
			l.stats.Roams++
		}
		l.remote, l.hasRemote = from, true
	}
	return pt[timestampsSize:], true
}
