package server

import (
	"bytes"

	"golang.org/x/sys/unix"
)

// programName is the name of process pid, or "": kinfo_proc's p_comm by
// sysctl kern.proc.pid (macOS has no /proc; tmux's osdep-darwin.c reads
// the name the same way).
func programName(pid int) string {
	kp, err := unix.SysctlKinfoProc("kern.proc.pid", pid)
	if err != nil {
		return ""
	}
	c := kp.Proc.P_comm[:]
	if i := bytes.IndexByte(c, 0); i >= 0 {
		c = c[:i]
	}
	return string(c)
}
