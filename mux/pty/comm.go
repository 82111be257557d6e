package pty

import "bytes"

// commBytes is a process name as the kernel's process table stores it
// (macOS kinfo_proc's p_comm, a NUL-terminated array of MAXCOMLEN+1
// bytes): the bytes before the first NUL, or all of b when it has none.
func commBytes(b []byte) []byte {
	if i := bytes.IndexByte(b, 0); i >= 0 {
		return b[:i]
	}
	return b
}
