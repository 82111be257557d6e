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
// The package knows nothing of terminals beyond the pty: no emulator, no
// multiplexer. It is a leaf.
package pty
