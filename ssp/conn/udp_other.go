//go:build !linux

package conn

import "net"

// setSockOpts leaves the socket as the system made it: the options mosh
// sets (udp_linux.go) are Linux's.
func setSockOpts(*net.UDPConn, bool) error { return nil }

const oobSize = 0

func congested([]byte) bool { return false }
