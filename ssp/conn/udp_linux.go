package conn

import (
	"encoding/binary"
	"net"
	"syscall"
	"unsafe"
)

// ECN codepoints of the IP TOS byte / IPv6 traffic class (RFC 3168 §5).
const (
	ecnMask = 0x03
	ecnECT0 = 0x02 // ECN-capable transport
	ecnCE   = 0x03 // congestion experienced
)

// setSockOpts sets what mosh sets on its UDP sockets (mosh-protocol.md
// §2.4; src/network/network.cc): no path MTU discovery, so datagrams go
// out without DF and a router fragments a 1280-byte datagram instead of
// dropping it; ECT(0) in the TOS byte, so a congested ECN router marks
// instead of dropping; and delivery of the received TOS byte, to read
// those marks. A dual-stack socket gets the IPv6 options too (and the
// IPv4 ones, which govern its IPv4-mapped traffic). Like mosh, a refused
// TOS option is ignored; it only costs the marks.
func setSockOpts(c *net.UDPConn, v6 bool) error {
	rc, err := c.SyscallConn()
	if err != nil {
		return err
	}
	var serr error
	err = rc.Control(func(fd uintptr) {
		s := int(fd)
		serr = syscall.SetsockoptInt(s, syscall.IPPROTO_IP, syscall.IP_MTU_DISCOVER, syscall.IP_PMTUDISC_DONT)
		syscall.SetsockoptInt(s, syscall.IPPROTO_IP, syscall.IP_TOS, ecnECT0)
		syscall.SetsockoptInt(s, syscall.IPPROTO_IP, syscall.IP_RECVTOS, 1)
		if v6 {
			if e := syscall.SetsockoptInt(s, syscall.IPPROTO_IPV6, syscall.IPV6_MTU_DISCOVER, syscall.IPV6_PMTUDISC_DONT); e != nil {
				serr = e
			}
			syscall.SetsockoptInt(s, syscall.IPPROTO_IPV6, syscall.IPV6_TCLASS, ecnECT0)
			syscall.SetsockoptInt(s, syscall.IPPROTO_IPV6, syscall.IPV6_RECVTCLASS, 1)
		}
	})
	if err != nil {
		return err
	}
	return serr
}

// OOBSize holds one IP_TOS or IPV6_TCLASS control message: the size of
// the control buffer a recvmsg needs for Congested.
const OOBSize = 64

// Congested reports whether the control messages of a received datagram
// carry the CE codepoint (IP_TOS: one byte; IPV6_TCLASS: an int); a
// malformed list carries none. It walks the cmsg headers in place, as
// syscall.ParseSocketControlMessage does but without its allocations:
// this runs for every datagram.
func Congested(oob []byte) bool {
	hdr := cmsgAlign(syscall.SizeofCmsghdr)
	ce, found := false, false
	for i := 0; i+hdr <= len(oob); {
		h := (*syscall.Cmsghdr)(unsafe.Pointer(&oob[i]))
		if uint64(h.Len) < syscall.SizeofCmsghdr || uint64(h.Len) > uint64(len(oob)-i) {
			return false
		}
		data := oob[i+hdr : i+int(h.Len)]
		if !found {
			switch {
			case h.Level == syscall.IPPROTO_IP && h.Type == syscall.IP_TOS && len(data) >= 1:
				ce, found = data[0]&ecnMask == ecnCE, true
			case h.Level == syscall.IPPROTO_IPV6 && h.Type == syscall.IPV6_TCLASS && len(data) >= 4:
				ce, found = binary.NativeEndian.Uint32(data)&ecnMask == ecnCE, true
			}
		}
		i += cmsgAlign(int(h.Len))
	}
	return ce
}

// cmsgAlign rounds n up to the alignment of control messages (CMSG_ALIGN:
// the size of a long).
func cmsgAlign(n int) int {
	const a = int(unsafe.Sizeof(uintptr(0)))
	return (n + a - 1) &^ (a - 1)
}
