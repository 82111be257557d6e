package mux

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"sync"
	"syscall"
	"time"
)

// requestTimeout bounds how long a connection may take to send its request,
// so that a stuck client can't pin a goroutine.
const requestTimeout = 30 * time.Second

// ErrNoServer is wrapped by Do when nothing listens on the socket.
var ErrNoServer = errors.New("no server running")

// AccessDenied is the refusal a stranger gets (the text after "gosh: ").
func AccessDenied(uid int) string {
	return fmt.Sprintf("access denied: uid %d is not the server owner", uid)
}

// Serve answers control connections on l until the server is done or l is
// closed; it closes l and waits for the connections it started.
func (s *Server) Serve(l *net.UnixListener) error {
	var wg sync.WaitGroup
	stop := make(chan struct{})
	defer func() {
		close(stop)
		l.Close()
		wg.Wait()
	}()
	go func() {
		select {
		case <-s.done:
			l.Close()
		case <-stop:
		}
	}()
	for {
		c, err := l.AcceptUnix()
		if err != nil {
			select {
			case <-s.done:
				return nil
			default:
			}
			if errors.Is(err, net.ErrClosed) {
				return nil
			}
			return fmt.Errorf("mux: accept: %w", err)
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			s.handleConn(c)
		}()
	}
}

func (s *Server) handleConn(c *net.UnixConn) {
	defer c.Close()
	uid, err := peerUID(c)
	if err != nil {
		s.log.Warn("peer credentials", "err", err)
		return
	}
	// Like tmux, the owner and root may connect; the directory's mode
	// should have kept everyone else out already.
	if uid != os.Getuid() && uid != 0 {
		s.log.Warn("refused connection", "uid", uid)
		_ = WriteMessage(c, Response{Version: ProtocolVersion, Code: 1, Stderr: AccessDenied(uid)})
		return
	}
	_ = c.SetReadDeadline(time.Now().Add(requestTimeout))
	var req Request
	if err := ReadMessage(c, &req); err != nil {
		if !errors.Is(err, io.EOF) { // a liveness probe connects and hangs up
			s.log.Warn("bad request", "err", err)
		}
		return
	}
	_ = c.SetReadDeadline(time.Time{})
	if req.Host != nil && s.cfg.Host != nil && req.Version == ProtocolVersion {
		// A client that can't be linked in memory (none should fail)
		// still reaches its endpoint over UDP.
		link, err := s.linkLocal(req.Host.Port, req.Host.Key)
		if err != nil {
			s.log.Warn("hosted client over UDP", "err", err)
		}
		s.cfg.Host(s.clientCtx, c, req.Host, link)
		return
	}
	resp := s.Handle(context.Background(), req)
	_ = c.SetWriteDeadline(time.Now().Add(requestTimeout))
	if err := WriteMessage(c, resp); err != nil {
		s.log.Warn("write response", "err", err)
	}
}

// Handle executes one request, as the control socket does.
func (s *Server) Handle(ctx context.Context, req Request) Response {
	if req.Version != ProtocolVersion {
		return Response{Version: ProtocolVersion, Code: 1, Stderr: fmt.Sprintf(
			"protocol version mismatch (client %d, server %d): the running server is a different gosh; stop it with that gosh's kill-server or use another socket (-L)",
			req.Version, ProtocolVersion)}
	}
	var out bytes.Buffer
	reply, err := s.run(ctx, Client{Stdout: &out, Cwd: req.Cwd, Pane: req.Env["GOSH_PANE"], Attach: req.Attach, TTY: req.TTY}, req.Argv)
	resp := Response{Version: ProtocolVersion, Stdout: out.String(), Attach: reply}
	if err != nil {
		resp.Code, resp.Stderr = 1, err.Error()
		if ce := (*ChallengeError)(nil); errors.As(err, &ce) {
			resp.Challenge = &ce.Challenge
		}
	}
	return resp
}

// Do sends one request to the daemon at path and returns its response.
// It wraps ErrNoServer when nothing listens there.
func Do(ctx context.Context, path string, req Request) (Response, error) {
	req.Version = ProtocolVersion
	var d net.Dialer
	c, err := d.DialContext(ctx, "unix", path)
	if err != nil {
		if errors.Is(err, syscall.ENOENT) || errors.Is(err, syscall.ECONNREFUSED) {
			return Response{}, fmt.Errorf("%w on %s", ErrNoServer, path)
		}
		return Response{}, fmt.Errorf("error connecting to %s: %w", path, err)
	}
	defer c.Close()
	if dl, ok := ctx.Deadline(); ok {
		_ = c.SetDeadline(dl)
	}
	// A refusing server answers without reading; its answer still arrives.
	werr := WriteMessage(c, req)
	var resp Response
	if err := ReadMessage(c, &resp); err != nil {
		if werr != nil {
			err = werr
		}
		// A daemon that closes (kill-server, its last session gone) with
		// this connection still in its backlog, or with the request unread,
		// resets it: Linux gives ECONNRESET (EPIPE to a write) only when the
		// closing end had unread data or never accepted (unix_release_sock
		// in net/unix/af_unix.c). The request never ran, so to the caller
		// no server runs there, and one that may start a server does.
		if errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.EPIPE) {
			return Response{}, fmt.Errorf("%w on %s (it was closing)", ErrNoServer, path)
		}
		return Response{}, fmt.Errorf("mux: no answer from the server on %s: %w", path, err)
	}
	if resp.Version != ProtocolVersion && resp.Code == 0 {
		return Response{}, fmt.Errorf("protocol version mismatch (client %d, server %d)", ProtocolVersion, resp.Version)
	}
	return resp, nil
}

// peerUID returns the uid of the process at the other end of c
// (socketPeerUID, per system).
func peerUID(c *net.UnixConn) (int, error) {
	rc, err := c.SyscallConn()
	if err != nil {
		return -1, err
	}
	uid, uerr := -1, error(nil)
	if err := rc.Control(func(fd uintptr) { uid, uerr = socketPeerUID(int(fd)) }); err != nil {
		return -1, err
	}
	return uid, uerr
}
