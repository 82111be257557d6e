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
	// congestionPenalty is taken off a saved timestamp that arrived with
	// an ECN congestion-experienced mark: the peer measures a round trip
	// 500 ms longer and slows its frame rate (mosh's
	// CONGESTION_TIMESTAMP_PENALTY).
	congestionPenalty = 500

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
	// client sends keystrokes at once. On a fast link the server's delay
	// shrinks with the round trip (serverMinDelay, below).
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

// Link pacing (gosh; not in mosh). mosh paces frames by SRTT but never
// faster than SendIntervalMin, and the server always waits
// ServerSendMinDelay: on a fast link (loopback, a LAN, gosh attached
// locally) a keystroke's echo then takes 8–28 ms however quick the path
// is, twice a 60 Hz display frame and slower than a local tmux pane
// (about 1–2 ms). gosh lets both follow the link when it is fast, and is
// exactly mosh above a 40 ms round trip:
//
//	frame interval = clamp(max(ceil(SRTT/2), bulk), FrameIntervalMin, SendIntervalMax)
//	bulk           = SendIntervalMin · min(1, last diff bytes / bulkFrameBytes)
//	server mindelay = min(⌊SRTT/4⌋ whole ms, ServerSendMinDelay)
//	client mindelay = min(⌊SRTT/4⌋ whole ms, ClientSendMinDelay)
//
// Why these values:
//
//   - ceil(SRTT/2) is mosh's own rule, "two frames per round trip"; only
//     its 20 ms floor goes. Below 1 ms (FrameIntervalMin) nothing is
//     gained: timestamps and so SRTT are whole milliseconds, a display
//     refreshes every 7–17 ms, and the client's own mindelay is 1 ms.
//   - The cost of a frame is its CPU (a screen diff, zlib, AES-OCB) and its
//     datagrams, and both scale with its size. An echo or a prompt is a
//     diff of a few bytes in one small datagram: sending it a few ms
//     sooner costs next to nothing, and a person types at most ~20 keys a
//     second. Output floods are what 20 ms pacing protects: `cat` of 10 MB
//     changes the whole screen every millisecond, and at 1 ms pacing the
//     server would send 20 full-screen frames (≈ 2 KB, 2 datagrams each)
//     where mosh sends one. So the floor grows with the size of the last
//     frame's diff: from 1 ms for a keystroke's echo to mosh's full 20 ms
//     for a diff of bulkFrameBytes or more (a full 80x24 screen of text
//     is ~2 KB). A flood thus pays at most its first frame or two at the
//     fast rate, then runs at mosh's 50 frames a second.
//   - The server's mindelay batches a burst of program output (a prompt
//     written in pieces, ls's lines) into one frame. Its latency only
//     matters next to the round trip the user already waits: a quarter of
//     SRTT keeps it under a fifth of the echo time on any link, reaches
//     mosh's 8 ms at SRTT 32 ms, and is 0 below SRTT 4 ms: the change
//     goes out at once, and what follows it within the frame interval
//     waits for the next frame. Whole milliseconds, because Go's runtime
//     sleeps in epoll with millisecond timeouts: a 0.25 ms timer fires
//     after about 1 ms when the process is idle, and a 1 ms timer after
//     1–2 ms (bench/echo on loopback: 2.6 ms median echo with a 0.25 ms
//     floor on both sides, 1.0 ms with none). The client's 1 ms (which
//     only gathers the bytes of one key) follows the same rule: mosh's
//     value from SRTT 4 ms up, so on any real network.
//   - Retransmissions, shutdown retries and SendInterval (which mosh's
//     prediction display thresholds read) keep mosh's [20, 250] ms
//     interval: a retransmission repeats until an ack comes, and at a
//     1 ms pace a lossy fast link would see a thousand a second.
//
// Peers cannot tell: a stock mosh-client accepts frames at any rate, and a
// stock mosh-server accepts a client's keystrokes whenever they come.
const (
	FrameIntervalMin = 1 * time.Millisecond
	bulkFrameBytes   = 1024
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
