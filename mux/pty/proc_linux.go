package pty

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"golang.org/x/sys/unix"
)

// ioctlGetTermios is tcgetattr's request (rawIoctl).
const ioctlGetTermios = unix.TCGETS

// readComm reads /proc/PID/comm through the kept descriptor, opening it
// when pid is not the process it is of. A descriptor of a process that
// has been reaped reads ESRCH even when the pid was reused since (it holds
// the old process, not the number), so it is dropped and opened anew.
func (p *Process) readComm(pid int) (string, error) {
	p.commMu.Lock()
	defer p.commMu.Unlock()
	if p.commFD >= 0 && p.commPid == pid {
		if name, err := p.preadCommLocked(p.commFD); err == nil {
			return name, nil
		}
	}
	p.closeCommLocked()
	// unix.Open, not os.Open: os.Open probes the poller (fcntl,
	// epoll_ctl) for a file it can't poll, ~4 more syscalls.
	fd, err := unix.Open("/proc/"+strconv.Itoa(pid)+"/comm", unix.O_RDONLY|unix.O_CLOEXEC, 0)
	if err != nil {
		return "", err
	}
	name, err := p.preadCommLocked(fd)
	if err != nil || p.closed {
		unix.Close(fd)
		return name, err
	}
	p.commFD, p.commPid = fd, pid
	p.commSeen, p.commUntil = time.Time{}, time.Time{} // a new group: not settled
	return name, nil
}

// preadComm reads a comm file from its start: /proc regenerates the text
// at offset 0, so each read sees the process's name of now.
//
// The text is read every time; only the string is reused while the name
// stays the same (commName), so that a frame per keystroke allocates none.
// commMu must be held.
func (p *Process) preadCommLocked(fd int) (string, error) {
	var buf [64]byte // comm is at most 16 bytes (TASK_COMM_LEN)
	n, err := rawPreadStart(fd, buf[:])
	if err != nil {
		return "", err
	}
	if name := bytes.TrimSpace(buf[:n]); string(name) != p.commName {
		p.commName = string(name)
	}
	return p.commName, nil
}

// closeCommLocked closes the kept comm descriptor; commMu must be held.
func (p *Process) closeCommLocked() {
	if p.commFD >= 0 {
		unix.Close(p.commFD)
	}
	p.commFD, p.commPid = -1, 0
}

// Cwd returns the working directory of the terminal's foreground process
// (falling back to the child's), as tmux's pane_current_path does: after
// `cd /tmp` in the shell it follows the shell, and while a program runs it
// shows that program's directory.
func (p *Process) Cwd() (string, error) {
	pid := p.pid
	if pg, err := p.ForegroundPgrp(); err == nil && pg > 0 {
		pid = pg
	}
	d, err := os.Readlink(filepath.Join("/proc", strconv.Itoa(pid), "cwd"))
	if err != nil && pid != p.pid {
		d, err = os.Readlink(filepath.Join("/proc", strconv.Itoa(p.pid), "cwd"))
	}
	if err != nil {
		return "", fmt.Errorf("pty: cwd: %w", err)
	}
	return d, nil
}
