// Package impair is a user-space UDP impairment proxy for loopback tests:
// the kernels gosh is tested on have no netem qdisc, so delay, jitter,
// loss, a rate cap and roaming come from this proxy instead.
//
// The proxy listens on one socket for the client and forwards to the
// server from a second, server-facing socket; replies travel back to the
// newest client address. Each direction has its own Link (delay, jitter,
// loss, rate, queue bound), modelled on netem(8): a datagram that is not
// lost waits for the rate limiter (serialisation at Rate bytes per second
// behind those queued before it), then for Delay plus a uniform random
// jitter in [0, Jitter), which may reorder datagrams as netem's jitter
// does. When Limit datagrams are already queued, new ones are tail-dropped.
//
// A Link with Hold set queues what arrives without delivering it until
// the hold is cleared: a causal "the peer cannot have seen this yet" for
// tests, without the retransmissions a loss would cause.
//
// Roam rebinds the server-facing socket to a new source address (127.0.0.2,
// 127.0.0.3, …), so the server sees its client move, as when a laptop
// changes networks; the old socket is closed, like a NAT mapping that
// vanished.
//
// Randomness comes from a seeded PCG per direction, so a run with the same
// seed and the same datagram order drops the same datagrams.
package impair
