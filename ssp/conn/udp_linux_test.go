package conn

import (
	"encoding/binary"
	"net/netip"
	"syscall"
	"testing"
	"unsafe"
)

func sockopt(t *testing.T, u *UDPConn, level, opt int) int {
	t.Helper()
	rc, err := u.c.SyscallConn()
	if err != nil {
		t.Fatal(err)
	}
	var v int
	var gerr error
	if err := rc.Control(func(fd uintptr) { v, gerr = syscall.GetsockoptInt(int(fd), level, opt) }); err != nil {
		t.Fatal(err)
	}
	if gerr != nil {
		t.Fatalf("getsockopt(%d, %d): %v", level, opt, gerr)
	}
	return v
}

// TestUDPSocketOptions: the sockets carry mosh's options (no DF, ECT(0),
// TOS delivered), datagrams still flow, and a datagram marked
// congestion-experienced is reported as such.
func TestUDPSocketOptions(t *testing.T) {
	for _, c := range []struct {
		name string
		ip   netip.Addr
		v6   bool
	}{
		{"ipv4", netip.MustParseAddr("127.0.0.1"), false},
		{"ipv6", netip.MustParseAddr("::1"), true},
	} {
		t.Run(c.name, func(t *testing.T) {
			rx, err := ListenUDP(c.ip, 0, 0)
			if err != nil {
				t.Skipf("no %s loopback: %v", c.name, err)
			}
			defer rx.Close()
			tx, err := ListenUDP(c.ip, 0, 0)
			if err != nil {
				t.Fatal(err)
			}
			defer tx.Close()
			level, mtu, dont, tos, recv := syscall.IPPROTO_IP, syscall.IP_MTU_DISCOVER, syscall.IP_PMTUDISC_DONT, syscall.IP_TOS, syscall.IP_RECVTOS
			if c.v6 {
				level, mtu, dont, tos, recv = syscall.IPPROTO_IPV6, syscall.IPV6_MTU_DISCOVER, syscall.IPV6_PMTUDISC_DONT, syscall.IPV6_TCLASS, syscall.IPV6_RECVTCLASS
			}
			if v := sockopt(t, rx, level, mtu); v != dont {
				t.Errorf("MTU discovery %d, want %d (don't: no DF bit)", v, dont)
			}
			if v := sockopt(t, rx, level, tos); v != ecnECT0 {
				t.Errorf("TOS/traffic class %#x, want ECT(0) %#x", v, ecnECT0)
			}
			if v := sockopt(t, rx, level, recv); v != 1 {
				t.Errorf("receive TOS %d, want 1", v)
			}
			buf := make([]byte, 64)
			send := func(mark int) (string, bool) {
				t.Helper()
				rc, _ := tx.c.SyscallConn()
				rc.Control(func(fd uintptr) { syscall.SetsockoptInt(int(fd), level, tos, mark) })
				if err := tx.WriteTo([]byte("ping"), rx.LocalAddr()); err != nil {
					t.Fatal(err)
				}
				n, from, ce, err := rx.ReadFromCE(buf)
				if err != nil || from != tx.LocalAddr() {
					t.Fatalf("read from %v: %v", from, err)
				}
				return string(buf[:n]), ce
			}
			if got, ce := send(ecnECT0); got != "ping" || ce {
				t.Errorf("ECT(0) datagram: %q, congestion %v", got, ce)
			}
			if got, ce := send(ecnCE); got != "ping" || !ce {
				t.Errorf("CE datagram: %q, congestion %v, want true", got, ce)
			}
		})
	}
}

// congestedRef is Congested through the syscall package's parser (which
// allocates): the reference the in-place walk must agree with.
func congestedRef(oob []byte) bool {
	msgs, err := syscall.ParseSocketControlMessage(oob)
	if err != nil {
		return false
	}
	for _, m := range msgs {
		switch {
		case m.Header.Level == syscall.IPPROTO_IP && m.Header.Type == syscall.IP_TOS && len(m.Data) >= 1:
			return m.Data[0]&ecnMask == ecnCE
		case m.Header.Level == syscall.IPPROTO_IPV6 && m.Header.Type == syscall.IPV6_TCLASS && len(m.Data) >= 4:
			return binary.NativeEndian.Uint32(m.Data)&ecnMask == ecnCE
		}
	}
	return false
}

// cmsg builds one control message as the kernel lays it out.
func cmsg(level, typ int32, data []byte) []byte {
	b := make([]byte, cmsgAlign(syscall.SizeofCmsghdr+len(data)))
	h := (*syscall.Cmsghdr)(unsafe.Pointer(&b[0]))
	h.Level, h.Type = level, typ
	h.SetLen(syscall.SizeofCmsghdr + len(data))
	copy(b[cmsgAlign(syscall.SizeofCmsghdr):], data)
	return b
}

// FuzzCongested: the in-place walk over control messages (run on every
// received datagram) agrees with the syscall package's parser on any
// bytes, and never reads past them.
func FuzzCongested(f *testing.F) {
	f.Add(cmsg(syscall.IPPROTO_IP, syscall.IP_TOS, []byte{ecnCE}))
	f.Add(cmsg(syscall.IPPROTO_IP, syscall.IP_TOS, []byte{ecnECT0}))
	f.Add(cmsg(syscall.IPPROTO_IPV6, syscall.IPV6_TCLASS, binary.NativeEndian.AppendUint32(nil, ecnCE)))
	f.Add(append(cmsg(syscall.SOL_SOCKET, 1, []byte{1, 2, 3}), cmsg(syscall.IPPROTO_IP, syscall.IP_TOS, []byte{ecnCE})...))
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, oob []byte) {
		if got, want := Congested(oob), congestedRef(oob); got != want {
			t.Fatalf("Congested(%x) = %v, syscall's parser says %v", oob, got, want)
		}
	})
}
