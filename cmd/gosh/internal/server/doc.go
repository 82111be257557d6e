// Package server is the host side of gosh's remote bootstrap. For now it
// implements `gosh mosh-server new`: a drop-in for mosh 1.4's mosh-server
// that the stock `mosh` wrapper and mosh-client use unchanged
// (shared/reference/mosh-protocol.md §1). It binds UDP, prints
// `MOSH CONNECT <port> <key>`, detaches, and serves one pty over SSP.
//
// The pty-serving part (Session) is separate from the bootstrap so that it
// can later be replaced by a session of the multiplexer daemon.
//
// The session key never appears in argv, the environment of any process
// (the detached child receives it through an inherited pipe), or logs.
package server
