package ssp

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/netip"
	"sync/atomic"
	"time"

	"github.com/goshterm/gosh/ssp/conn"
)

// Role selects the side of the protocol: the direction bit of nonces,
// the send mindelay, server-side roaming and client-side port hopping.
type Role uint8

const (
	// Client sends with direction bit 0, never changes its destination,
	// and hops source ports when round trips stop succeeding.
	Client Role = iota
	// Server sends with direction bit 1 and replies to the source of the
	// newest authentic datagram (roaming).
	Server
)

func (r Role) String() string {
	if r == Server {
		return "server"
	}
	return "client"
}

// Config configures a Transport. L is the state this side sends, R the
// state it receives.
type Config[L, R any] struct {
	Role Role
	Key  Key
	// Conn is the socket to use (for a server, bound to the advertised
	// port). The Transport owns it and closes it.
	//
	// A conn.Endpoint or a conn.LocalConn links the Transport to a peer
	// in the same process (a client that a server runs itself): the
	// datagrams to and from that peer, at conn.InProcess, go neither
	// sealed nor compressed, as nothing of them leaves the process; all
	// else about them is as over the network. Only those two types do
	// this: they guarantee that no datagram from outside the process
	// comes from conn.InProcess.
	Conn conn.PacketConn
	// Peer is the server's address (Client only; a server learns its
	// client from the first authentic datagram).
	Peer netip.AddrPort
	// Network opens new sockets for client port hopping; nil disables
	// hopping.
	Network conn.Network
	// Local is state number 0 of what this side sends; the Transport
	// keeps it as the current state (see Current). Remote is state number
	// 0 of what the peer sends. Both sides must agree on the two initial
	// states.
	Local  L
	Remote R
	// Clock drives Run; nil means the system clock.
	Clock conn.Clock
	// SendMinDelay overrides the role's mindelay (SRTT/4 in whole
	// milliseconds, at most 8 ms on a server and 1 ms on a client) when
	// positive.
	SendMinDelay time.Duration
	// Rand supplies chaff bytes; nil means a ChaCha8 generator of the
	// Transport's own, seeded from crypto/rand (newChaffSource). Tests
	// pass a deterministic reader.
	Rand io.Reader
	// Logger receives debug messages; nil discards them.
	Logger *slog.Logger
}

// Stats counts datagrams and instructions. Every datagram that is dropped
// lands in exactly one Dropped… counter (after Received).
type Stats struct {
	Sent, SentBytes         uint64 // datagrams written
	Received, ReceivedBytes uint64 // datagrams handed to Receive
	SendErrors              uint64 // socket write (or port-hop open) failures

	DroppedOversize  uint64 // larger than MaxDatagram
	DroppedShort     uint64 // too short for nonce+tag, or for timestamps
	DroppedDirection uint64 // direction bit of our own sending direction (reflection)
	DroppedAuth      uint64 // OCB authentication failed (forged, corrupt, wrong key), or the in-process peer's datagram is not plain
	DroppedFragment  uint64 // fragment header missing or fragments inconsistent
	Reordered        uint64 // authentic but older than the newest seen; still used
	Congested        uint64 // authentic and in order, with an ECN congestion-experienced mark (not a drop)

	InstructionsSent  uint64
	Resent            uint64 // … that carried contents already sent (a retransmission, under a new number)
	Instructions      uint64 // complete instructions reassembled
	DroppedDecode     uint64 // zlib or protobuf failure
	DroppedVersion    uint64 // protocol_version ≠ 2
	DroppedReplay     uint64 // new_num already held: duplicate or replayed
	DroppedUnknownRef uint64 // old_num not held (discarded or not yet received)
	DroppedApply      uint64 // the State rejected the diff
	DroppedQuench     uint64 // receive queue full (1024 states)

	States     uint64 // remote states accepted
	DataStates uint64 // … that arrived in order with a non-empty diff (each schedules an ack)
	OutOfOrder uint64 // … that arrived after a newer one

	Roams    uint64 // server: client address changed
	PortHops uint64 // client: new source port
}

// Errors.
var (
	// errSeqExhausted: 2^63 datagrams in one direction; the next one
	// would reuse a nonce.
	errSeqExhausted = errors.New("ssp: sequence numbers exhausted for this key")
	// ErrRunning is returned by Run when the loop is already running.
	ErrRunning = errors.New("ssp: transport is already running")
)

// Transport synchronises a local State L to the peer and the peer's State
// R to us (mosh's Transport<MyState, RemoteState>).
//
// The protocol core is a single-owner state machine with time as an input
// and no locks: Tick, Receive, WaitTime and every accessor must be called
// from one goroutine. Run is a ready-made event loop over the Conn and the
// Clock; while it runs, touch the Transport only inside Do.
type Transport[L State[L], R State[R]] struct {
	role     Role
	mindelay time.Duration // fixed mindelay; 0 = scaled by SRTT
	link     link
	stats    Stats
	snd      sender[L]
	rcv      receiver[R]
	frag     fragmenter
	fragBuf  []byte // one fragment on its way to link.send
	asm      reassembly
	inf      inflater
	fatal    error
	log      *slog.Logger
	clock    conn.Clock

	timedOut bool // shutdown gave up (recorded once, for Changed)

	in      *inbox // nil until Inbox (or Run)
	running atomic.Bool
	mail    chan func()
	changed chan struct{}
	done    chan struct{}
	closed  bool
}

// New returns a Transport. It does not send or receive until Tick,
// Receive or Run.
func New[L State[L], R State[R]](cfg Config[L, R]) (*Transport[L, R], error) {
	if cfg.Conn == nil {
		return nil, errors.New("ssp: Config.Conn is nil")
	}
	if cfg.Role == Client && !cfg.Peer.IsValid() {
		return nil, errors.New("ssp: a client needs Config.Peer")
	}
	inProcess := inProcessLinkOf(cfg.Conn)
	if inProcess != noLink && cfg.Role == Client && cfg.Network != nil {
		// A port hop would open a network socket, whose datagrams
		// nothing stops from claiming conn.InProcess.
		return nil, errors.New("ssp: a client on an in-process link does not hop ports: Config.Network must be nil")
	}
	mindelay := cfg.SendMinDelay // 0: scaled by SRTT (pacing)
	chaff := cfg.Rand
	if chaff == nil {
		chaff = newChaffSource()
	}
	t := &Transport[L, R]{
		role:     cfg.Role,
		mindelay: mindelay,
		snd:      newSender(cfg.Local, chaff),
		rcv:      newReceiver(cfg.Remote),
		log:      cfg.Logger,
		clock:    cfg.Clock,
		mail:     make(chan func()),
		changed:  make(chan struct{}, 1),
		done:     make(chan struct{}),
	}
	if t.log == nil {
		t.log = slog.New(slog.DiscardHandler)
	}
	if t.clock == nil {
		t.clock = conn.SystemClock{}
	}
	t.link = link{
		server:    cfg.Role == Server,
		sendDir:   toServer,
		recvDir:   toClient,
		sealer:    newSealer(cfg.Key),
		stats:     &t.stats,
		inProcess: inProcess,
		rtt:       newRTTEstimator(),
		sockets:   []socket{{pc: cfg.Conn}},
	}
	if cfg.Role == Server {
		t.link.sendDir, t.link.recvDir = toClient, toServer
	} else {
		t.link.remote, t.link.hasRemote = cfg.Peer, true
		t.link.network = cfg.Network
	}
	return t, nil
}

// Tick sends whatever is due at now: a diff of the current state, a
// delayed ack, a heartbeat, or a shutdown retry. Call it after changing
// the current state, after Receive, and when WaitTime has elapsed. The
// only error is fatal (key usage exhausted); the Transport is then dead.
func (t *Transport[L, R]) Tick(now time.Time) error {
	if t.fatal != nil {
		return t.fatal
	}
	t.link.start(now)
	t.link.checkAssociation(now)
	t.syncReaders()
	s := &t.snd
	s.calculateTimers(now, t.link.rtt.resendTimeout(), t.pacing())
	if s.shuttingDown && !t.timedOut && t.ShutdownTimedOut(now) {
		t.timedOut = true
		t.notify()
	}
	if !t.link.hasRemote {
		return nil
	}
	if now.Before(s.nextAck) && now.Before(s.nextSend) {
		return nil
	}
	diff := s.diffFrom(0, s.sent[s.assumed].state)
	if len(diff) == 0 && !now.Before(s.nextSend) && !s.current.Equal(s.front().state) {
		// A resend of the newest state, which mosh's walk still
		// assumes to arrive (calculateTimers' backoff): from the acked
		// state.
		s.assumed = 0
		diff = s.diffFrom(0, s.front().state)
	}
	if s.assumed != 0 {
		// Prospective resend: a diff from the acked state also repairs
		// whatever was lost since, and is often barely longer.
		resend := s.diffFrom(1, s.front().state)
		if len(resend) <= len(diff) || (len(resend) < 1000 && len(resend)-len(diff) < 100) {
			s.assumed = 0
			diff = resend
		}
	}
	var err error
	if len(diff) == 0 {
		if !now.Before(s.nextAck) {
			err = t.sendEmptyAck(now)
			s.mindelayAt = time.Time{}
		}
		if !now.Before(s.nextSend) {
			s.nextSend = never
			s.mindelayAt = time.Time{}
		}
	} else if !now.Before(s.nextSend) || !now.Before(s.nextAck) {
		err = t.sendData(now, diff)
		s.mindelayAt = time.Time{}
		s.lastDiff = len(diff)
	}
	if err != nil {
		t.fatal = err
	}
	return err
}

// pacing returns the sender's timing for the link as measured now.
func (t *Transport[L, R]) pacing() pacing {
	rtt := &t.link.rtt
	p := pacing{frame: rtt.frameInterval(t.snd.lastDiff), mosh: rtt.sendInterval(), mindelay: t.mindelay}
	if p.mindelay == 0 {
		limit := ServerSendMinDelay
		if t.role == Client {
			limit = ClientSendMinDelay
		}
		p.mindelay = rtt.minDelay(limit)
	}
	return p
}

// sendData sends the current state as a diff from the assumed one.
func (t *Transport[L, R]) sendData(now time.Time, diff []byte) error {
	s := &t.snd
	back := s.back()
	newNum := back.num
	if !s.current.Equal(back.state) {
		newNum++
	}
	if s.shuttingDown {
		newNum = ShutdownNum
	}
	oldNum := s.sent[s.assumed].num
	resends := 0
	if newNum == back.num {
		t.stats.Resent++
		resends = back.resends + 1
		if !s.shuttingDown {
			// A resend goes out as a new state number with the same
			// contents: a receiver that holds the state already (its
			// ack was lost) takes it as new and acks it within
			// ACK_DELAY, where a stock mosh-client drops a duplicate
			// number silently and acks only with its next heartbeat.
			newNum++
		}
	}
	if newNum == back.num {
		back.at, back.ref, back.resends = now, oldNum, resends
	} else {
		s.addSent(now, newNum, oldNum, s.cloneCurrent())
		s.back().resends = resends
	}
	err := t.sendInstruction(now, oldNum, newNum, diff)
	s.assumed = len(s.sent) - 1
	s.nextAck = now.Add(ackInterval)
	s.nextSend = never
	return err
}

// sendEmptyAck sends an instruction with an empty diff. It still takes a
// new state number (mosh does; the peer acks numbers, not contents).
func (t *Transport[L, R]) sendEmptyAck(now time.Time) error {
	s := &t.snd
	back := s.back()
	newNum := back.num + 1
	if s.shuttingDown {
		newNum = ShutdownNum
	}
	oldNum := s.sent[s.assumed].num
	if newNum == back.num {
		back.at, back.ref = now, oldNum
	} else {
		s.addSent(now, newNum, oldNum, s.cloneCurrent())
	}
	err := t.sendInstruction(now, oldNum, newNum, nil)
	s.nextAck = now.Add(ackInterval)
	s.nextSend = never
	return err
}

func (t *Transport[L, R]) sendInstruction(now time.Time, oldNum, newNum uint64, diff []byte) error {
	s := &t.snd
	inst := instruction{
		protocolVersion: ProtocolVersion,
		oldNum:          oldNum,
		newNum:          newNum,
		ackNum:          s.ackNum,
		throwawayNum:    s.front().num,
		diff:            diff,
		chaff:           s.makeChaff(),
	}
	if newNum == ShutdownNum {
		s.shutdownTries++
	}
	ackedShutdownBefore := t.RemoteShutdownAcked()
	frags, err := t.frag.cut(&inst, t.link.maxFragment(), t.link.sendsPlain())
	if err != nil {
		return err
	}
	t.stats.InstructionsSent++
	for i := range frags {
		// link.send copies the datagram's payload before sealing it.
		t.fragBuf = frags[i].appendTo(t.fragBuf[:0])
		if err := t.link.send(now, t.fragBuf); err != nil {
			return err
		}
	}
	s.pendingDataAck = false
	s.reack = false
	if !ackedShutdownBefore && t.RemoteShutdownAcked() {
		t.notify()
	}
	return nil
}

// Receive processes one datagram that arrived at now from the address
// from. Anything malformed, forged, replayed or stale is counted in Stats
// and otherwise ignored. It reports whether a new newest remote state
// arrived. Call Tick afterwards: an ack may be due.
func (t *Transport[L, R]) Receive(now time.Time, datagram []byte, from netip.AddrPort) bool {
	return t.receive(now, datagram, from, false)
}

// receive is Receive for a datagram that arrived with the ECN
// congestion-experienced mark if ce.
func (t *Transport[L, R]) receive(now time.Time, datagram []byte, from netip.AddrPort, ce bool) bool {
	payload, ok := t.link.receive(now, datagram, from, ce)
	if !ok {
		return false
	}
	f, err := parseFragment(payload)
	if err != nil {
		t.stats.DroppedFragment++
		return false
	}
	// The link took a datagram from the in-process peer only plain: its
	// instruction comes uncompressed.
	f.plain = t.link.plainFrom(from)
	z, err := t.asm.add(f)
	if err != nil {
		t.stats.DroppedFragment++
		return false
	}
	if z == nil {
		return false
	}
	var inst *instruction
	if f.plain {
		inst, err = t.inf.decodePlain(z)
	} else {
		inst, err = t.inf.unmarshal(z)
	}
	if err != nil {
		t.stats.DroppedDecode++
		return false
	}
	t.stats.Instructions++
	return t.process(now, inst)
}

// process is the receiver algorithm of §6.5 for one instruction.
func (t *Transport[L, R]) process(now time.Time, inst *instruction) bool {
	if inst.protocolVersion != ProtocolVersion {
		t.stats.DroppedVersion++
		return false
	}
	s := &t.snd
	wasAcked := t.ShutdownAcknowledged()
	if s.processAck(inst.ackNum) {
		t.link.lastRoundtripSuccess = s.front().at
		if !wasAcked && t.ShutdownAcknowledged() {
			t.notify()
		}
	}
	r := &t.rcv
	// A data state no newer than our newest that we hold already, or
	// whose reference we threw away once a newer state arrived, is a
	// resend: the peer has not had our ack. mosh drops it silently
	// (§6.5 step 3) and leaves the peer resending until our next ack,
	// which may be the 3 s heartbeat; ack it again instead.
	resent := len(inst.diff) > 0 && inst.newNum <= r.newest().num
	if _, dup := r.find(inst.newNum); dup {
		t.stats.DroppedReplay++
		s.reack = s.reack || resent
		return false
	}
	ref, ok := r.find(inst.oldNum)
	if !ok {
		t.stats.DroppedUnknownRef++
		s.reack = s.reack || resent
		return false
	}
	state := r.states[ref].state.Clone()
	if len(inst.diff) > 0 {
		if err := state.Apply(inst.diff); err != nil {
			t.stats.DroppedApply++
			t.log.Debug("ssp: diff rejected", "new", inst.newNum, "err", err)
			return false
		}
	}
	r.throwaway(inst.throwawayNum)
	if len(r.states) > maxReceivedStates {
		if now.Before(r.quenchUntil) {
			t.stats.DroppedQuench++
			return false
		}
		r.quenchUntil = now.Add(receiverQuench)
	}
	t.stats.States++
	if !r.insert(receivedState[R]{at: now, num: inst.newNum, state: state}) {
		t.stats.OutOfOrder++
		return false
	}
	s.ackNum = inst.newNum
	s.lastHeard = now
	if len(inst.diff) > 0 {
		s.pendingDataAck = true
		t.stats.DataStates++
	}
	t.notify()
	return true
}

// WaitTime returns how long after now Tick is next due (0 if overdue), or
// Forever when nothing is scheduled.
func (t *Transport[L, R]) WaitTime(now time.Time) time.Duration {
	if t.fatal != nil {
		return Forever
	}
	t.link.start(now)
	t.link.checkAssociation(now)
	s := &t.snd
	s.calculateTimers(now, t.link.rtt.resendTimeout(), t.pacing())
	if !t.link.hasRemote {
		return Forever
	}
	next := earlier(s.nextAck, s.nextSend)
	if !next.After(now) {
		return 0
	}
	if next.Equal(never) {
		return Forever
	}
	return next.Sub(now)
}

// Current returns the live local state: the application changes it in
// place (or replaces it with SetCurrent) and the next Tick sends the
// difference. After StartShutdown the state is frozen and Current returns
// a copy each time.
func (t *Transport[L, R]) Current() L {
	if t.snd.shuttingDown {
		return t.snd.current.Clone()
	}
	return t.snd.current
}

// SetCurrent replaces the local state. It is ignored after StartShutdown.
func (t *Transport[L, R]) SetCurrent(s L) {
	if !t.snd.shuttingDown {
		t.snd.current = s
	}
}

// Remote returns the newest remote state. The caller must not modify it.
func (t *Transport[L, R]) Remote() R { return t.rcv.newest().state }

// RemoteNum returns the number of the newest remote state: 0 until the
// peer's first state arrives, ShutdownNum once the peer shut down.
func (t *Transport[L, R]) RemoteNum() uint64 { return t.rcv.newest().num }

// RemoteTime returns when the newest remote state arrived (zero for the
// initial state): mosh-client's "Last contact".
func (t *Transport[L, R]) RemoteTime() time.Time { return t.rcv.newest().at }

// RemoteDiff returns the diff from the remote state last consumed this
// way to the newest one, then lets the received states forget what is
// consumed (Subtract). A server reads the user's new keystrokes with it.
func (t *Transport[L, R]) RemoteDiff() []byte {
	r := &t.rcv
	d := r.newest().state.DiffFrom(r.lastConsumed)
	t.RemoteConsumed()
	return d
}

// RemoteConsumed is RemoteDiff's bookkeeping without the diff, for an
// application that reads what is new straight from the newest state
// (Remote) — a server's statesync.UserStream.EventsSince — instead of
// encoding a diff only to decode it again. Read first, then call it: it
// marks the newest state consumed and lets the received states forget
// what they all hold (Subtract), which may drop events the read needed.
func (t *Transport[L, R]) RemoteConsumed() {
	r := &t.rcv
	newest := r.newest().state
	oldest := r.states[0].state
	for i := len(r.states) - 1; i >= 0; i-- {
		r.states[i].state.Subtract(oldest)
	}
	// lastConsumed is the receiver's alone (never handed out), so the
	// last one is retired here and may be cloned into.
	if rc, ok := any(newest).(Recycler[R]); ok {
		r.lastConsumed = rc.CloneInto(r.lastConsumed)
		return
	}
	r.lastConsumed = newest.Clone()
}

// SentNum returns the number of the newest local state sent so far
// (mosh's get_sent_state_last). A change made to Current now travels in a
// later state, normally SentNum()+1; a client's prediction engine judges a
// keystroke's guess once the server's echo ack reaches that number
// (mosh-protocol.md §9.1).
func (t *Transport[L, R]) SentNum() uint64 { return t.snd.back().num }

// SRTT returns the smoothed round-trip time (1 s before any sample).
func (t *Transport[L, R]) SRTT() time.Duration { return t.link.rtt.srttDuration() }

// RTO returns the retransmission timeout, in [50 ms, 1 s].
func (t *Transport[L, R]) RTO() time.Duration { return t.link.rtt.rto() }

// SendInterval returns mosh's frame interval ceil(SRTT/2) in [20, 250]
// ms; mosh's prediction engine keys its display decisions off it, so it
// keeps mosh's definition although gosh paces faster on a fast link (see
// FrameInterval).
func (t *Transport[L, R]) SendInterval() time.Duration { return t.link.rtt.sendInterval() }

// FrameInterval returns the least time between two data sends as paced
// now: ceil(SRTT/2) in [1, 250] ms, at least 20 ms after a bulky frame
// (constants.go, "Link pacing"). An application that composes its state
// on a timer need not do so more often.
func (t *Transport[L, R]) FrameInterval() time.Duration { return t.pacing().frame }

// MinDelay returns how long a change is collected before it is sent.
func (t *Transport[L, R]) MinDelay() time.Duration { return t.pacing().mindelay }

// LastHeard returns when the newest authentic in-order datagram arrived
// (zero if never).
func (t *Transport[L, R]) LastHeard() time.Time { return t.link.lastHeard }

// LastAckedSentTime returns when the newest state the peer acknowledged
// was sent: mosh-client's "Last reply".
func (t *Transport[L, R]) LastAckedSentTime() time.Time { return t.snd.front().at }

// RemoteAddr returns where datagrams go; ok is false for a server that
// has not heard from a client or detached after 40 s of silence.
func (t *Transport[L, R]) RemoteAddr() (addr netip.AddrPort, ok bool) {
	return t.link.remote, t.link.hasRemote
}

// Role returns the side this Transport plays.
func (t *Transport[L, R]) Role() Role { return t.role }

// Stats returns the counters.
func (t *Transport[L, R]) Stats() Stats { return t.stats }

// Conns returns the open sockets, the sending one last.
func (t *Transport[L, R]) Conns() []conn.PacketConn {
	out := make([]conn.PacketConn, len(t.link.sockets))
	for i, s := range t.link.sockets {
		out[i] = s.pc
	}
	return out
}

// Err returns the fatal error that stopped the Transport, if any.
func (t *Transport[L, R]) Err() error { return t.fatal }

// StartShutdown freezes the current state and from now on sends it as
// state ShutdownNum until the peer acks (ShutdownAcknowledged) or 16
// tries or 10 s pass (ShutdownTimedOut).
func (t *Transport[L, R]) StartShutdown(now time.Time) {
	s := &t.snd
	if s.shuttingDown {
		return
	}
	s.shuttingDown = true
	s.shutdownStart = now
	s.current = s.current.Clone()
}

// ShutdownInProgress reports whether StartShutdown was called.
func (t *Transport[L, R]) ShutdownInProgress() bool { return t.snd.shuttingDown }

// ShutdownAcknowledged reports whether the peer acked our shutdown: the
// session is over.
func (t *Transport[L, R]) ShutdownAcknowledged() bool { return t.snd.front().num == ShutdownNum }

// ShutdownTimedOut reports whether our shutdown gave up waiting for the
// ack (16 sends or 10 s).
func (t *Transport[L, R]) ShutdownTimedOut(now time.Time) bool {
	s := &t.snd
	return s.shuttingDown && (s.shutdownTries >= shutdownRetries || now.Sub(s.shutdownStart) >= activeRetryTimeout)
}

// RemoteShutdown reports whether the peer started a shutdown.
func (t *Transport[L, R]) RemoteShutdown() bool { return t.RemoteNum() == ShutdownNum }

// RemoteShutdownAcked reports whether we have sent the ack of the peer's
// shutdown: the application may exit now.
func (t *Transport[L, R]) RemoteShutdownAcked() bool { return t.frag.lastAck == ShutdownNum }

// notify wakes a Changed waiter without blocking.
func (t *Transport[L, R]) notify() {
	select {
	case t.changed <- struct{}{}:
	default:
	}
}

// Changed receives a value (coalesced) after a new remote state arrived
// or the shutdown status changed, for applications using Run.
func (t *Transport[L, R]) Changed() <-chan struct{} { return t.changed }

// Close closes the sockets and stops the readers Inbox started. Use it
// when not using Run (Run closes them when it returns).
func (t *Transport[L, R]) Close() error {
	if t.closed {
		return nil
	}
	t.closed = true
	var err error
	for _, s := range t.link.sockets {
		err = errors.Join(err, s.pc.Close())
	}
	if t.in != nil {
		t.in.shutdown()
	}
	return err
}

// Run is the event loop: it reads all sockets (one goroutine each), ticks
// when WaitTime says, and runs functions passed to Do. It returns nil when
// ctx is done, or the fatal error; either way it closes the sockets and
// joins its goroutines first. An application with events of its own
// (a pty) does better to run its own loop over Inbox: see Inbox.
func (t *Transport[L, R]) Run(ctx context.Context) error {
	if !t.running.CompareAndSwap(false, true) {
		return ErrRunning
	}
	defer close(t.done)
	defer t.Close()
	pkts := t.Inbox()
	for {
		now := t.clock.Now()
		if err := t.Tick(now); err != nil {
			return err
		}
		var timer conn.Timer
		var timerC <-chan time.Time
		if w := t.WaitTime(now); w != Forever {
			timer = t.clock.NewTimer(w)
			timerC = timer.C()
		}
		select {
		case <-ctx.Done():
			if timer != nil {
				timer.Stop()
			}
			return nil
		case p := <-pkts:
			t.ReceivePacket(t.clock.Now(), p)
		case f := <-t.mail:
			f()
		case <-timerC:
		}
		if timer != nil {
			timer.Stop()
		}
	}
}

// Do runs f on the Run loop's goroutine, where it may use every method
// of the Transport, and waits for it. It returns net.ErrClosed if Run has
// returned, or ctx's error.
func (t *Transport[L, R]) Do(ctx context.Context, f func()) error {
	ran := make(chan struct{})
	select {
	case t.mail <- func() { defer close(ran); f() }:
	case <-t.done:
		return net.ErrClosed
	case <-ctx.Done():
		return ctx.Err()
	}
	<-ran
	return nil
}
