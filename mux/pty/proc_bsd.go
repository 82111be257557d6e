//go:build dragonfly || freebsd || netbsd || openbsd

package pty

import (
	"errors"
	"fmt"
)

// readComm would read process pid's name. The BSDs have it in sysctl
// kern.proc.pid's kinfo_proc (ki_comm on FreeBSD), which x/sys decodes
// only on macOS, and /proc is not mounted by default; ForegroundName
// reports it unsupported, and a pane keeps the name it was given.
func (p *Process) readComm(int) (string, error) {
	return "", fmt.Errorf("pty: process name: %w", errors.ErrUnsupported)
}

// closeCommLocked forgets the process a name was read of; commMu must be
// held.
func (p *Process) closeCommLocked() { p.commFD, p.commPid = -1, 0 }

// Cwd would return the foreground process's working directory; it is
// unsupported here for the same reason (FreeBSD's kern.proc.cwd is not
// wrapped by x/sys), and callers go on without it.
func (p *Process) Cwd() (string, error) {
	return "", fmt.Errorf("pty: cwd: %w", errors.ErrUnsupported)
}
