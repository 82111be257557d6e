// Package remote is the client side of `gosh attach`'s bootstrap: it runs
// the user's own ssh (so ~/.ssh/config, agents, ProxyJump and known_hosts
// apply, and password prompts reach the user on /dev/tty), starts
// `gosh server attach` on the host, reads the one line
//
//	GOSH CONNECT <port> <key> <server-version>
//
// from ssh's stdout, and hands port and key to the client, which continues
// over UDP. The key is never in any argv: it arrives on ssh's stdout and
// stays in this process's memory (DESIGN.md §2).
//
// It also holds what surrounds the bootstrap:
//
//   - version skew (Compatible): client and server must share a release's
//     major.minor; otherwise one line says which side to upgrade;
//   - failures classified into one line each with the fix (DESIGN.md §10):
//     ssh failed (exit 255), gosh missing on the host (exit 127);
//   - Install: copy this very binary to ~/.local/bin/gosh on the host
//     through ssh's stdin, after checking `uname -sm` and verifying SHA-256
//     there;
//   - the UDP-blocked fallback: Fallback is a conn.Network whose sockets
//     send over UDP and, when no datagram has come back for a few seconds,
//     over an ssh connection running `gosh server relay PORT` (ServeRelay),
//     which carries the same SSP datagrams length-prefixed over ssh's
//     stdin/stdout to the session's UDP port on the host's loopback. The
//     server needs no second code path: it replies to whichever source
//     delivered the newest datagram (SSP roaming), so the client moves
//     between paths simply by choosing where it sends. UDP counts as
//     blocked when a datagram the client sent goes unanswered for 3 s
//     (the server acks every new state within its delayed-ack time), or
//     after 8 s of silence; a gap in the client's own clock (SIGSTOP, a
//     laptop's sleep) restarts the count, so waking up does not start an
//     ssh connection. A host that does not resolve locally but that ssh
//     reaches (ProxyJump) runs on the relay alone.
//
// # Which address the client connects to
//
// Like mosh's --experimental-remote-ip=local, the client resolves the host
// itself: `ssh -G` (with the user's ssh options) gives the HostName after
// ~/.ssh/config is applied, which is then looked up locally (-4/-6 pick the
// family). This is right behind NAT, where $SSH_CONNECTION on the host
// would name a private address. A host that only ProxyJump can reach does
// not resolve or answer over UDP; the relay fallback covers it.
package remote
