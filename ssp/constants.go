package ssp

import "time"

// Protocol constants of mosh 1.4 (reference/mosh-protocol.md §2, §3, §6.1).
// Changing any of them makes gosh behave differently from mosh on the wire;
// the values a peer can observe are fixed by compatibility.
const (
	// ProtocolVersion is TransportBuffers.Instruction.protocol_version.
	// mosh bumped it to 2 when it added echo acks; a peer that sends any
	// other value has every instruction rejected.
	ProtocolVersion = 2

	// ShutdownNum is the new_num of every instruction sent after
	// StartShutdown: 2^64−1 means "this is my last state".
	ShutdownNum = ^uint64(0)

	// MaxDatagram is mosh's receive buffer: anything larger is dropped.
	MaxDatagram = 2048

	// MTU4 and MTU6 are the largest UDP payloads mosh sends: the IPv6
	// minimum link MTU of 1280 less IPv4+UDP headers (28), or less
	// IPv6+extension+UDP headers (40+16+8), so that no datagram is
	// fragmented by IP on any path that carries IPv6.
	MTU4 = 1280 - 28
	MTU6 = 1280 - 64

	nonceSize       = 8  // direction|seq on the wire
	tagSize         = 16 // OCB tag
	timestampsSize  = 4  // timestamp + timestamp_reply
	fragHeaderSize  = 10 // instruction id + final|fragment number
	datagramOverhd  = nonceSize + timestampsSize + tagSize
	minDatagram     = nonceSize + tagSize // shorter cannot be authentic
	maxFragmentNum  = 0x7FFF              // 15 bits; bit 15 is the final flag
	maxInstruction  = 4 << 20             // mosh inflates into a 2048·2048-byte buffer
	maxChaff        = 16                  // chaff length = random byte mod 17
	timestampNone   = 0xFFFF              // "no timestamp" in either field
	maxRTTSample    = 5000 * time.Millisecond
	timestampExpiry = 1000 * time.Millisecond // a saved timestamp is echoed only within this

	// Sequence numbers occupy 63 bits; reaching 2^63 would reuse a nonce.
	maxSeq = 1<<63 - 1
	// mosh kills a session after 2^47 encrypted 16-byte blocks (the OCB
	// birthday bound with margin).
	maxBlocks = 1 << 47
)

// RTT estimator (RFC 6298 §2 with mosh's bounds).
const (
	initialSRTT   = 1000.0 // ms, before the first sample
	initialRTTVAR = 500.0  // ms
	minRTO        = 50 * time.Millisecond
	maxRTO        = 1000 * time.Millisecond
)

// Sender timing (§6.1, src/network/transportsender.h).
const (
	// SendIntervalMin and SendIntervalMax bound the frame interval
	// ceil(SRTT/2): "two frames per round trip", but never more than 50
	// frames a second and never fewer than 4.
	SendIntervalMin = 20 * time.Millisecond
	SendIntervalMax = 250 * time.Millisecond
	// ackInterval is the heartbeat: an empty ack when nothing was sent for
	// 3 s, which keeps NAT bindings alive and lets the peer see us.
	ackInterval = 3000 * time.Millisecond
	// ackDelay delays the ack of a received diff so that it can ride on a
	// reply; it is also the grace added to the RTO when deciding what the
	// receiver is assumed to hold.
	ackDelay = 100 * time.Millisecond
	// ServerSendMinDelay and ClientSendMinDelay collect changes before a
	// send: the server waits for a burst of terminal output to settle, the
	// client sends keystrokes at once.
	ServerSendMinDelay = 8 * time.Millisecond
	ClientSendMinDelay = 1 * time.Millisecond
	// activeRetryTimeout: retransmit at frame rate only while the peer was
	// heard recently; it is also how long a shutdown waits for its ack.
	activeRetryTimeout = 10000 * time.Millisecond
	shutdownRetries    = 16
	maxSentStates      = 32 // on overflow the 16th from the end is erased
	maxReceivedStates  = 1024
	receiverQuench     = 15000 * time.Millisecond
)

// Datagram layer timing (§2.5, src/network/network.h).
const (
	// ServerAssociationTimeout: a server that heard nothing for 40 s stops
	// sending until the client speaks again.
	ServerAssociationTimeout = 40000 * time.Millisecond
	// portHopInterval: a client that saw no round trip succeed for 10 s
	// (and did not hop in the last 10 s) moves to a new source port, to get
	// past a NAT that forgot its binding.
	portHopInterval = 10000 * time.Millisecond
	// maxOldSocketAge: old sockets keep receiving (late replies) until the
	// newest one is this old.
	maxOldSocketAge = 60000 * time.Millisecond
	maxSockets      = 10
)

// Forever is what WaitTime returns when nothing is scheduled (a server
// with no client, or a finished shutdown).
const Forever = time.Duration(1<<63 - 1)
