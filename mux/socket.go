package mux

import (
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"syscall"
)

// SocketDir returns the per-user directory of control sockets:
// $GOSH_SOCKET_DIR, else $XDG_RUNTIME_DIR/gosh, else /tmp/gosh-UID (tmux
// uses /tmp/tmux-UID), creating it with mode 0700 and checking that it is
// ours and private.
func SocketDir() (string, error) {
	dir := os.Getenv("GOSH_SOCKET_DIR")
	if dir == "" {
		if x := os.Getenv("XDG_RUNTIME_DIR"); x != "" {
			dir = filepath.Join(x, "gosh")
		} else {
			dir = filepath.Join(os.TempDir(), "gosh-"+strconv.Itoa(os.Getuid()))
		}
	}
	if err := os.Mkdir(dir, 0o700); err != nil && !errors.Is(err, os.ErrExist) {
		return "", fmt.Errorf("mux: socket directory: %w", err)
	}
	return dir, CheckDir(dir)
}

// CheckDir refuses a socket directory that another user owns or that
// others can enter, as tmux does: anyone who can reach the socket could
// type into every pane.
func CheckDir(dir string) error {
	fi, err := os.Lstat(dir)
	if err != nil {
		return fmt.Errorf("mux: socket directory: %w", err)
	}
	st, ok := fi.Sys().(*syscall.Stat_t)
	switch {
	case !fi.IsDir():
		return fmt.Errorf("mux: socket directory %s is not a directory", dir)
	case ok && int(st.Uid) != os.Getuid():
		return fmt.Errorf("mux: socket directory %s is owned by uid %d, not %d", dir, st.Uid, os.Getuid())
	case fi.Mode().Perm()&0o077 != 0:
		return fmt.Errorf("mux: socket directory %s has unsafe permissions %#o (want 0700)", dir, fi.Mode().Perm())
	}
	return nil
}

// SocketPath returns the control socket to use: path when set (tmux -S),
// else the socket called name (tmux -L; "default" when empty) in SocketDir.
func SocketPath(name, path string) (string, error) {
	if path != "" {
		return filepath.Abs(path)
	}
	if name == "" {
		name = "default"
	}
	if name != filepath.Base(name) || name == "." || name == ".." {
		return "", fmt.Errorf("mux: bad socket name %q", name)
	}
	dir, err := SocketDir()
	if err != nil {
		return "", err
	}
	return filepath.Join(dir, name), nil
}

// Listen binds the control socket at path, replacing a stale socket file
// that nobody answers on, and refusing when a live daemon already listens.
func Listen(path string) (*net.UnixListener, error) {
	if c, err := net.Dial("unix", path); err == nil {
		c.Close()
		return nil, fmt.Errorf("mux: a server is already running on %s", path)
	}
	if fi, err := os.Lstat(path); err == nil && fi.Mode()&os.ModeSocket != 0 {
		os.Remove(path)
	}
	l, err := net.ListenUnix("unix", &net.UnixAddr{Name: path, Net: "unix"})
	if err != nil {
		return nil, fmt.Errorf("mux: listen: %w", err)
	}
	l.SetUnlinkOnClose(true)
	if err := os.Chmod(path, 0o600); err != nil {
		l.Close()
		return nil, fmt.Errorf("mux: listen: %w", err)
	}
	return l, nil
}
