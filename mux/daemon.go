package mux

import (
	"context"
	"fmt"
	"os"

	"golang.org/x/sys/unix"
)

// RunDaemon runs a server on the control socket at cfg.SocketPath until the
// server is done (kill-server, or no sessions left) or ctx ends. A lock
// file beside the socket makes concurrent starts safe: the loser finds the
// winner listening and returns an error saying so.
func RunDaemon(ctx context.Context, cfg Config) error {
	lock, err := os.OpenFile(cfg.SocketPath+".lock", os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		return fmt.Errorf("mux: lock: %w", err)
	}
	defer lock.Close()
	if err := unix.Flock(int(lock.Fd()), unix.LOCK_EX); err != nil {
		return fmt.Errorf("mux: lock: %w", err)
	}
	l, err := Listen(cfg.SocketPath)
	unix.Flock(int(lock.Fd()), unix.LOCK_UN)
	if err != nil {
		return err
	}
	s := NewServer(cfg)
	s.log.Info("server started", "socket", cfg.SocketPath, "pid", os.Getpid())
	// The configuration runs before the socket is served: the first
	// command, and the first client, find its bindings and options.
	s.SourceConfig(cfg.ConfigFile)
	mr := startMemRelease(memReleaseQuiet, func() bool { return s.Clients() == 0 })
	defer mr.stop()
	errc := make(chan error, 1)
	go func() { errc <- s.Serve(l) }()
	served := false
	select {
	case <-s.Done():
	case <-ctx.Done():
	case err = <-errc:
		served = true
	}
	l.Close()
	s.Close()
	if !served {
		err = <-errc
	}
	s.log.Info("server exited")
	return err
}
