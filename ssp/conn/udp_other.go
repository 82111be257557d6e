//go:build !linux

package conn

import "net"

// setSockOpts leaves the socket as the system made it: the options mosh
// sets (udp_linux.go) are Linux's.
func setSockOpts(*net.UDPConn, bool) error { return nil }

// OOBSize is 0: no control messages are asked for.
const OOBSize = 0

// Congested reports no ECN mark: the socket options that ask for it are
// Linux's.
func Congested([]byte) bool { return false }
