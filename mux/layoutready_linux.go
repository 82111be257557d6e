package mux

import (
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"

	"golang.org/x/sys/unix"
)

// readWaits are the system calls a shell waiting for a line sleeps in,
// besides read (readline and zle poll or select first). x86-64 also has
// the old poll, select and epoll_wait, which glibc uses there; x/sys/unix
// defines them only on such architectures, hence the numbers (the kernel's
// arch/x86/entry/syscalls/syscall_64.tbl).
var readWaits = append([]int{unix.SYS_READV, unix.SYS_PSELECT6, unix.SYS_PPOLL, unix.SYS_EPOLL_PWAIT},
	map[string][]int{"amd64": {7, 23, 232}}[runtime.GOARCH]...)

// shellState reads the pane's shell's state from /proc.
func shellState(p *Pane) promptState {
	proc := p.proc.Load()
	pid := proc.Pid()
	if pg, err := proc.ForegroundPgrp(); err != nil || pg != pid {
		return shellBusy
	}
	dir := filepath.Join("/proc", strconv.Itoa(pid))
	if b, err := os.ReadFile(filepath.Join(dir, "task", strconv.Itoa(pid), "children")); err == nil && len(strings.TrimSpace(string(b))) > 0 {
		return shellBusy
	}
	stat, err := os.ReadFile(filepath.Join(dir, "stat"))
	if err != nil {
		return shellBusy
	}
	// The state follows the command name, which may hold spaces and ')'.
	i := strings.LastIndexByte(string(stat), ')')
	if i < 0 || i+2 >= len(stat) || stat[i+2] != 'S' {
		return shellBusy
	}
	sc, err := os.ReadFile(filepath.Join(dir, "syscall"))
	if err != nil {
		return shellMaybe
	}
	f := strings.Fields(string(sc))
	if len(f) < 2 {
		return shellBusy
	}
	nr, err := strconv.Atoi(f[0])
	if err != nil {
		return shellBusy // "running"
	}
	if nr == unix.SYS_READ {
		fd, err := strconv.ParseUint(strings.TrimPrefix(f[1], "0x"), 16, 32)
		if err != nil {
			return shellBusy
		}
		target, err := os.Readlink(filepath.Join(dir, "fd", strconv.FormatUint(fd, 10)))
		if err == nil && (strings.HasPrefix(target, "/dev/pts/") || strings.HasPrefix(target, "/dev/tty")) {
			return shellWaiting
		}
		return shellBusy
	}
	for _, w := range readWaits {
		if nr == w {
			return shellWaiting
		}
	}
	return shellBusy
}
