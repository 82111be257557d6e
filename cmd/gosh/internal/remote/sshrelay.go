package remote

import (
	"context"
	"fmt"
	"time"
)

// relayStartTimeout bounds the wait for the relay's hello line.
const relayStartTimeout = 20 * time.Second

// StartSSHRelay opens the fallback path: a new ssh connection running
// `<server> server relay TARGET` on the host, TARGET being the endpoint
// as PORT (on 127.0.0.1) or IP:PORT. It uses BatchMode, because the
// user's terminal belongs to the client by now and no password prompt
// could reach them: the fallback needs an agent or an unencrypted key
// (the notice bar says so when it fails).
func StartSSHRelay(ctx context.Context, s SSH, server, target string) (Relay, error) {
	if server == "" {
		server = "gosh"
	}
	cmd := s.Command([]string{"-T", "-o", "BatchMode=yes"}, QuoteWords(server, "server", "relay", target))
	var errTail tail
	cmd.Stderr = &errTail
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("remote: relay: %w", err)
	}
	waited := make(chan struct{})
	go func() { cmd.Wait(); close(waited) }()
	kill := func() error {
		cmd.Process.Kill()
		<-waited
		return nil
	}
	r := newStreamRelay(stdout, stdin, kill)
	hello := make(chan error, 1)
	go func() {
		_, err := skipToHello(r.r)
		hello <- err
	}()
	t := time.NewTimer(relayStartTimeout)
	defer t.Stop()
	select {
	case err = <-hello:
	case <-t.C:
		err = fmt.Errorf("no answer within %v", relayStartTimeout)
	case <-ctx.Done():
		err = ctx.Err()
	}
	if err != nil {
		stdin.Close()
		kill()
		if l := errTail.lastLine(); l != "" {
			err = fmt.Errorf("%v: %s", err, l)
		}
		return nil, fmt.Errorf("remote: ssh fallback to %s: %w", s.Target, err)
	}
	r.start()
	return r, nil
}
