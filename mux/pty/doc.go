// Package pty starts a child process on a pseudo-terminal and answers the
// questions a multiplexer asks about it: its exit status, the name and
// working directory of the terminal's foreground process group, and the line
// discipline (termios ICANON/ECHO) that decides whether local echo may be
// predicted.
//
// It wraps github.com/creack/pty for allocation and golang.org/x/sys/unix
// for the ioctls. On Linux, ioctls on the master side (TCGETS, TIOCGPGRP)
// are answered for the slave (drivers/tty/tty_io.c tty_mode_ioctl and
// tiocgpgrp use tty->link for a pty master), so the multiplexer never needs
// to keep the slave open. Process names and directories come from /proc, as
// tmux's osdep-linux.c does.
//
// The package also builds for macOS and the BSDs (raw_bsd.go): the same
// calls through x/sys's wrappers, termios by TIOCGETA, and on macOS the
// foreground program's name by sysctl kern.proc.pid (proc_darwin.go, as
// tmux's osdep-darwin.c). The working directory (Cwd) is Linux-only, and
// so is the name on the other BSDs; there they report
// errors.ErrUnsupported. These builds are compiled and vetted in CI, not
// run.
//
// The package knows nothing of terminals beyond the pty: no emulator, no
// multiplexer. It is a leaf.
package pty
