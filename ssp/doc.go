// Package ssp implements mosh's State Synchronization Protocol: two peers
// each synchronise one State to the other over encrypted, fragmented UDP
// datagrams, byte-compatible with mosh 1.4 (protocol version 2). It is
// generic: it knows nothing of terminals, and imports nothing of gosh but
// its own subpackage conn (sockets and the clock); the instruction protobuf
// is encoded by hand (wire.go), with internal/wirepb as its tests' reference.
//
// # Protocol
//
// Each side owns a local State (client: the user's input stream; server:
// the terminal frame) and numbers every version of it it sends, starting
// from state 0, which both sides know in advance. An instruction says
// "applying diff to your copy of my state old_num gives my state new_num;
// I have your states up to ack_num; you may forget mine below
// throwaway_num". Because every numbered state is immutable, resending,
// duplicating or reordering instructions is harmless: the receiver drops
// a new_num it already holds and an old_num it does not hold. There are
// no retransmission queues of bytes, only states: after a loss the sender
// diffs its *current* state against the newest state the receiver is known
// (acked) or assumed (sent less than RTO+100 ms ago) to hold, so a lost
// frame is never resent, only superseded.
//
// # Datagram layout
//
// All integers are big-endian. Everything after the nonce is sealed with
// AES-128-OCB3 (RFC 7253), 16-byte tag, no associated data; the AEAD nonce
// is 4 zero bytes followed by the 8 wire bytes.
//
//	 0               8      10       12                      22         22+n      38+n
//	+---------------+------+--------+-----------------------+----------+---------+
//	| D|seq (63 bit)| ts16 | reply16| instruction id (8)    | contents | OCB tag |
//	|   clear       |      |        | F|fragment num (2)    |  (n)     |  (16)   |
//	+---------------+------+--------+-----------------------+----------+---------+
//	                 \______________ encrypted ______________________/
//
//	D      direction: 0 client→server, 1 server→client (a receiver drops
//	       its own direction: reflection). seq counts datagrams per
//	       direction from 0 and never repeats for a key.
//	ts16   sender's millisecond clock mod 2^16 (0xFFFF = none).
//	reply  the newest timestamp received from the peer plus how long it
//	       was held (0xFFFF = none); echoed at most once, within 1 s.
//	F      final fragment flag. contents: a slice of the zlib stream of a
//	       serialised TransportBuffers.Instruction (see internal/wirepb).
//
// Between a Transport and a peer in the same process (a conn.Endpoint's
// in-process client, at conn.InProcess) the datagrams go plain: the same
// fields in the clear with bit 62 of the nonce set, no tag, and the
// instruction not compressed. Only these two conn types carry them, and a
// datagram from the network is never taken as plain (datagram.go).
//
// The largest datagram is 1252 bytes over IPv4 and 1216 over IPv6 (so
// fragment contents are at most 1214 and 1178 bytes); a receiver drops
// datagrams over 2048 bytes. Bad datagrams of any kind are counted in
// Stats and dropped; none is fatal. Like mosh's, conn.UDPConn sockets send
// without DF (no path MTU discovery) and ECN-capable (ECT(0)); a datagram
// that arrives marked congestion-experienced has its timestamp echoed
// 500 ms older, so the peer measures a longer round trip and slows down.
//
// # Timing (mosh's rules; RFC 6298 for the estimator)
//
//   - RTT: SRTT and RTTVAR per RFC 6298 from echoed timestamps (first
//     sample R: SRTT = R, RTTVAR = R/2; then β = 1/4, α = 1/8), starting at
//     SRTT 1 s, RTTVAR 0.5 s. RTO = ceil(SRTT + 4·RTTVAR) in [50 ms, 1 s].
//   - Frame interval ("send interval") = ceil(SRTT/2) in [20, 250] ms: at
//     most two frames per round trip. gosh drops the 20 ms floor to 1 ms
//     on a fast link, except after a bulky frame (a diff of 1 KiB or more
//     keeps 20 ms): a keystroke's echo need not wait a 50 Hz frame clock
//     on loopback, and an output flood still gets mosh's 50 frames a
//     second (constants.go, "Link pacing"). Above a 40 ms round trip this
//     is mosh's rule exactly.
//   - A change is sent after a mindelay (server 8 ms, client 1 ms; gosh
//     uses SRTT/4 up to those, in whole milliseconds: 0 on loopback) and
//     no sooner than one frame interval after the previous send.
//   - A state that is newer than what the receiver is assumed to hold is
//     retransmitted at mosh's frame rate (≥ 20 ms) while the peer was
//     heard in the last 10 s; an unacked state is resent after RTO +
//     100 ms. gosh departs from mosh's timing, not its wire format, in
//     four ways: a state resent as a diff from one the receiver holds is
//     on its way, and its next resends back off from the frame interval
//     to RTO + 100 ms (mosh keeps resending it at frame rate while an
//     older, replaced state is unacked: 60 resends when an ack is lost);
//     a resend carries its contents under a new state number, which any
//     receiver acks (a number it holds already it drops silently); on a
//     path slower than the RTO's 1 s ceiling the sender waits for the
//     measured round trip; and a receiver acks a state it already holds
//     at once (its ack was lost), at most every 20 ms.
//   - A received non-empty diff is acked within 100 ms (delayed ack, so it
//     can ride on a reply). With nothing else to send, an empty
//     instruction (which still takes a new state number) goes out every
//     3 s: the heartbeat.
//   - Shutdown: the initiator sends its frozen state as number 2^64−1 at
//     the frame rate until the peer acks it, 16 tries or 10 s; the peer
//     acks quickly and exits once the ack is sent.
//   - Server: replies to the source of the newest authentic in-order
//     datagram (roaming); stops sending after 40 s of silence until the
//     client speaks again. Client: after 10 s without a successful round
//     trip (and 10 s after the last hop) sends from a new socket (new
//     source port, for NATs that dropped the binding); old sockets keep
//     receiving until the new one is 60 s old, at most 10 sockets.
//
// Constants and their reasons are in constants.go.
//
// # Using a Transport
//
// A Transport[L, R] sends a local State L and receives a remote State R:
// the server is Transport[*Frame, *UserStream], the client
// Transport[*UserStream, *Frame]. Build it with New and a Config (Role,
// Key, Conn, and for a client Peer and optionally Network for port
// hopping; Local and Remote are the agreed state-0 objects).
//
// The core is a single-owner state machine with time as an input and no
// locks:
//
//	Tick(now)                    send what is due
//	Receive(now, datagram, from) process one datagram; true if a new remote state is newest
//	WaitTime(now)                how long until Tick is due (Forever if nothing is)
//
// Run(ctx) is a ready-made loop over the Conn(s) and the Clock that calls
// them; while it runs, use the Transport only inside Do(ctx, func()), and
// wait on Changed() (a new remote state arrived, or the shutdown status
// changed). Run closes the sockets and joins its goroutines before it
// returns.
//
// What an application reads and writes (inside Do when Run is used):
//
//   - Current() is the live local state: modify it in place (or
//     SetCurrent); the loop sends the change. After StartShutdown it is
//     frozen.
//   - Remote(), RemoteNum(), RemoteTime(): the newest remote state (do not
//     modify), its number (0 = nothing received yet; ShutdownNum = the peer
//     shut down) and when it arrived ("Last contact").
//   - RemoteDiff(): the diff from the remote state last consumed this way
//     to the newest one, e.g. the keystrokes a server has not yet written
//     to the pty; it also lets the received states Subtract what was
//     consumed.
//   - SRTT(), RTO(), SendInterval() (mosh's definition: prediction display
//     thresholds use it), FrameInterval() and MinDelay() (the pace
//     actually used), LastHeard(), LastAckedSentTime() ("Last reply"),
//     RemoteAddr(), Stats().
//   - StartShutdown(now); ShutdownInProgress(), ShutdownAcknowledged(),
//     ShutdownTimedOut(now): the initiator exits on either of the last two.
//     RemoteShutdown() and RemoteShutdownAcked(): the peer shut down and
//     our ack went out; exit.
//
// Tests use conn/conntest (an in-process lossy network with a manual
// Clock) and ssptest (a toy Log State and Sim, a deterministic
// two-Transport simulation).
package ssp
