package remote

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/goshterm/gosh/ssp"
)

// ConnectPrefix starts the one line `gosh server attach` prints.
const ConnectPrefix = "GOSH CONNECT "

// exitWait bounds how long ssh may take to exit once the CONNECT line is
// read (the remote side has exited; only the connection's teardown
// remains). After it, ssh is killed.
const exitWait = 5 * time.Second

// Connect is what the server told the client: where the session's UDP
// endpoint listens, its key, and the server's gosh release.
type Connect struct {
	Port    uint16
	Key     ssp.Key
	Version string
}

// ParseConnect parses "GOSH CONNECT <port> <key> <version>". Trailing
// carriage return and blanks are ignored (a remote pty adds \r).
func ParseConnect(line string) (Connect, error) {
	rest, ok := strings.CutPrefix(strings.TrimRight(line, "\r\n \t"), ConnectPrefix)
	if !ok {
		return Connect{}, errors.New("remote: not a GOSH CONNECT line")
	}
	f := strings.Fields(rest)
	if len(f) < 2 {
		return Connect{}, errors.New("remote: GOSH CONNECT line too short")
	}
	port, err := strconv.ParseUint(f[0], 10, 16)
	if err != nil || port == 0 {
		return Connect{}, fmt.Errorf("remote: bad port %q in GOSH CONNECT line", f[0])
	}
	key, err := ssp.ParseKey(f[1])
	if err != nil {
		return Connect{}, errors.New("remote: bad key in GOSH CONNECT line")
	}
	c := Connect{Port: uint16(port), Key: key}
	if len(f) > 2 {
		c.Version = f[2]
	}
	return c, nil
}

// AttachConfig says what to attach to and how.
type AttachConfig struct {
	SSH SSH
	// Server is the gosh binary on the host ("" means "gosh", found on
	// the remote PATH).
	Server string
	// Args are the words after "server attach" (-t, --layout, -p, -i,
	// --client-version …), quoted here.
	Args []string
	// Stdin, if set, is ssh's stdin (e.g. a layout file read by the
	// remote side as /dev/stdin); nil means /dev/null.
	Stdin io.Reader
	// Stderr receives ssh's and the remote command's stderr, and any
	// stdout line that is not the CONNECT line (a motd, a shell's
	// chatter): the user sees them as with plain ssh.
	Stderr io.Writer
}

// Error is a bootstrap failure with the one line the user sees. Err is the
// underlying cause, if any.
type Error struct {
	Kind ErrorKind
	Msg  string
	Err  error
}

func (e *Error) Error() string { return e.Msg }
func (e *Error) Unwrap() error { return e.Err }

// ErrorKind classifies bootstrap failures.
type ErrorKind int

// Kinds of Error.
const (
	ErrSSH       ErrorKind = iota + 1 // ssh itself failed: unknown host, refused, auth (exit 255)
	ErrNoGosh                         // the remote shell found no gosh (exit 126/127)
	ErrNoConnect                      // the remote command ended without a CONNECT line
)

// tail keeps the last bytes written to it, for classifying failures.
type tail struct {
	mu  sync.Mutex
	buf []byte
}

const tailMax = 4096

func (t *tail) Write(b []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.buf = append(t.buf, b...)
	if len(t.buf) > tailMax {
		t.buf = append(t.buf[:0], t.buf[len(t.buf)-tailMax:]...)
	}
	return len(b), nil
}

type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(b []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(b)
}

// lastLine is the last non-empty line written.
func (t *tail) lastLine() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	lines := strings.Split(strings.TrimSpace(string(t.buf)), "\n")
	return strings.TrimSpace(lines[len(lines)-1])
}

// Attach runs `<server> server attach <args>` on the host through ssh and
// returns the CONNECT line's contents. It does not check versions (see
// Compatible). Failures are *Error with a one-line message and the fix.
func Attach(ctx context.Context, cfg AttachConfig) (Connect, error) {
	if err := checkTarget(cfg.SSH.Target); err != nil {
		return Connect{}, err
	}
	server := cfg.Server
	if server == "" {
		server = "gosh"
	}
	line := QuoteWords(append([]string{server, "server", "attach"}, cfg.Args...)...)
	// -T: no remote pty, so stdout is exactly what the remote command
	// printed (no \r, no echo); prompts for passwords and host keys still
	// reach the user, because ssh asks on /dev/tty.
	cmd := cfg.SSH.Command([]string{"-T"}, line)
	cmd.Stdin = cfg.Stdin
	return runBootstrap(ctx, cmd, cfg.SSH.Target, server, cfg.Stderr, nil)
}

// runBootstrap runs an ssh command whose stdout carries a CONNECT line.
// Lines before it are offered to hook (if not nil) and echoed to stderr
// unless hook took them.
func runBootstrap(ctx context.Context, cmd *exec.Cmd, host, server string, stderr io.Writer, hook func(string) bool) (Connect, error) {
	if stderr == nil {
		stderr = io.Discard
	}
	// ssh's stderr is copied by exec's goroutine while this one echoes
	// stdout lines: one lock for both.
	stderr = &lockedWriter{w: stderr}
	var errTail tail
	cmd.Stderr = io.MultiWriter(stderr, &errTail)
	out, err := cmd.StdoutPipe()
	if err != nil {
		return Connect{}, err
	}
	if err := cmd.Start(); err != nil {
		return Connect{}, &Error{Kind: ErrSSH, Msg: fmt.Sprintf("cannot run %s: %v", cmd.Args[0], err), Err: err}
	}
	stop := context.AfterFunc(ctx, func() { cmd.Process.Kill() })
	defer stop()

	var conn Connect
	found := false
	var parseErr error
	sc := bufio.NewScanner(out)
	sc.Buffer(make([]byte, 4096), 64*1024)
	for sc.Scan() {
		text := sc.Text()
		if strings.HasPrefix(text, ConnectPrefix) {
			conn, parseErr = ParseConnect(text)
			found = parseErr == nil
			break
		}
		if hook != nil && hook(text) {
			continue
		}
		fmt.Fprintln(stderr, strings.TrimRight(text, "\r"))
	}
	// The remote command has printed its line and exits; let ssh finish,
	// but never wait on a connection that lingers.
	go io.Copy(io.Discard, out)
	waitErr := waitBounded(cmd, exitWait)
	if ctx.Err() != nil {
		return Connect{}, ctx.Err()
	}
	if found {
		return conn, nil
	}
	code := -1
	var ee *exec.ExitError
	if errors.As(waitErr, &ee) {
		code = ee.ExitCode()
	} else if waitErr == nil || errors.Is(waitErr, exec.ErrWaitDelay) {
		code = 0
	}
	return Connect{}, classify(host, server, code, errTail.lastLine(), parseErr)
}

// waitBounded waits for cmd, killing it after d.
func waitBounded(cmd *exec.Cmd, d time.Duration) error {
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case err := <-done:
		return err
	case <-t.C:
		cmd.Process.Kill()
		return <-done
	}
}

// classify turns ssh's exit status and last stderr line into one line.
func classify(host, server string, code int, last string, parseErr error) error {
	switch {
	case parseErr != nil:
		return &Error{Kind: ErrNoConnect, Msg: fmt.Sprintf("%s sent a bad GOSH CONNECT line (%v); is %s a gosh of this era?", host, parseErr, server), Err: parseErr}
	case code == 255:
		why := last
		if why == "" {
			why = "ssh exited with status 255"
		}
		return &Error{Kind: ErrSSH, Msg: fmt.Sprintf("ssh to %s failed: %s (check that `ssh %s` works)", host, why, host)}
	case code == 127 || code == 126 || looksMissing(last):
		return &Error{Kind: ErrNoGosh, Msg: fmt.Sprintf("%s was not found on %s: run `gosh attach --install %s` to copy this gosh there, install gosh on %s, or give its path with --server",
			server, host, host, host)}
	case code < 0:
		return &Error{Kind: ErrSSH, Msg: fmt.Sprintf("ssh to %s was killed before the server answered", host)}
	default:
		why := strings.TrimPrefix(last, "gosh: ")
		if why == "" {
			why = fmt.Sprintf("exit status %d", code)
		}
		return &Error{Kind: ErrNoConnect, Msg: fmt.Sprintf("%s server attach on %s failed: %s", server, host, why)}
	}
}

// looksMissing recognises a shell's "not found" for a command.
func looksMissing(line string) bool {
	l := strings.ToLower(line)
	return strings.Contains(l, "command not found") || (strings.Contains(l, "not found") && strings.Contains(l, "gosh")) ||
		strings.Contains(l, "no such file or directory") && strings.Contains(l, "gosh")
}

// RunLines runs a remote command line through ssh and copies its stdout to
// stdout (as `gosh ls` does); failures are classified as for Attach.
func RunLines(ctx context.Context, s SSH, server string, words []string, stdout, stderr io.Writer) error {
	if err := checkTarget(s.Target); err != nil {
		return err
	}
	if server == "" {
		server = "gosh"
	}
	cmd := s.Command([]string{"-T"}, QuoteWords(append([]string{server}, words...)...))
	var errTail tail
	var errOut io.Writer = &errTail
	if stderr != nil {
		errOut = io.MultiWriter(stderr, &errTail)
	}
	var out bytes.Buffer
	cmd.Stdout = &out
	cmd.Stderr = errOut
	stop := context.AfterFunc(ctx, func() {
		if cmd.Process != nil {
			cmd.Process.Kill()
		}
	})
	defer stop()
	err := cmd.Run()
	stdout.Write(out.Bytes())
	if err == nil || errors.Is(err, exec.ErrWaitDelay) { // ssh succeeded; see sshWaitDelay
		return nil
	}
	var ee *exec.ExitError
	if !errors.As(err, &ee) {
		return &Error{Kind: ErrSSH, Msg: fmt.Sprintf("cannot run %s: %v", cmd.Args[0], err), Err: err}
	}
	code := ee.ExitCode()
	if code == 255 || code == 126 || code == 127 || looksMissing(errTail.lastLine()) {
		return classify(s.Target, server, code, errTail.lastLine(), nil)
	}
	return &Error{Kind: ErrNoConnect, Msg: fmt.Sprintf("%s on %s: %s", strings.Join(words, " "), s.Target,
		strings.TrimPrefix(errTail.lastLine(), "gosh: ")), Err: err}
}
