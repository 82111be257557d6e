package pty

import (
	"errors"
	"fmt"

	"golang.org/x/sys/unix"
)

// readComm reads the name of process pid from the kernel's process table
// (sysctl kern.proc.pid.PID, kinfo_proc's p_comm: the first MAXCOMLEN
// bytes of the program's name), as tmux's osdep-darwin.c does; macOS has
// no /proc. It keeps no descriptor, so ForegroundNameCached never reuses
// a name here: each frame costs one sysctl.
func (p *Process) readComm(pid int) (string, error) {
	kp, err := unix.SysctlKinfoProc("kern.proc.pid", pid)
	if err != nil {
		return "", err
	}
	name := commBytes(kp.Proc.P_comm[:])
	if len(name) == 0 {
		return "", unix.ESRCH // no such process: the table's entry is empty
	}
	p.commMu.Lock()
	defer p.commMu.Unlock()
	if string(name) != p.commName {
		p.commName = string(name)
	}
	return p.commName, nil
}

// closeCommLocked forgets the process a name was read of; commMu must be
// held. (No descriptor is kept on macOS.)
func (p *Process) closeCommLocked() { p.commFD, p.commPid = -1, 0 }

// Cwd would return the foreground process's working directory, as tmux's
// pane_current_path does. macOS has it only through libproc's
// proc_pidinfo(PROC_PIDVNODEPATHINFO), which x/sys does not wrap and which
// needs cgo; Cwd reports it unsupported and callers go on without it
// (pane_current_path is empty, a saved layout records no directory).
func (p *Process) Cwd() (string, error) {
	return "", fmt.Errorf("pty: cwd: %w", errors.ErrUnsupported)
}
