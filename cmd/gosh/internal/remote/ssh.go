package remote

import (
	"errors"
	"fmt"
	"os/exec"
	"strings"
	"time"
)

// SSH is how to reach a host: the user's ssh command and the target.
type SSH struct {
	// Argv is the ssh program and its options, e.g. {"ssh", "-p", "2222"}
	// (SplitCommand of --ssh); empty means {"ssh"}.
	Argv []string
	// Target is [user@]host as the user typed it.
	Target string
	// Family is 4 or 6 to force an address family (-4/-6), 0 for any.
	Family int
}

// Errors of SplitCommand.
var (
	errUnterminatedQuote = errors.New("remote: unterminated quote in ssh command")
	errTrailingBackslash = errors.New("remote: trailing backslash in ssh command")
)

// SplitCommand splits s into words as a POSIX shell would, without
// expansions: blanks separate words; '…' quotes literally; "…" quotes with
// \ escaping $ ` " \ and newline; \ outside quotes escapes the next byte.
// (POSIX.1-2017 XCU 2.2, Quoting.)
func SplitCommand(s string) ([]string, error) {
	var words []string
	var w strings.Builder
	inWord := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n':
			if inWord {
				words = append(words, w.String())
				w.Reset()
				inWord = false
			}
		case c == '\\':
			if i+1 >= len(s) {
				return nil, errTrailingBackslash
			}
			i++
			if s[i] != '\n' { // backslash-newline is a line continuation
				w.WriteByte(s[i])
			}
			inWord = true
		case c == '\'':
			end := strings.IndexByte(s[i+1:], '\'')
			if end < 0 {
				return nil, errUnterminatedQuote
			}
			w.WriteString(s[i+1 : i+1+end])
			i += end + 1
			inWord = true
		case c == '"':
			i++
			for ; i < len(s) && s[i] != '"'; i++ {
				if s[i] == '\\' && i+1 < len(s) && strings.IndexByte("$`\"\\\n", s[i+1]) >= 0 {
					i++
					if s[i] == '\n' {
						continue
					}
				}
				w.WriteByte(s[i])
			}
			if i >= len(s) {
				return nil, errUnterminatedQuote
			}
			inWord = true
		default:
			w.WriteByte(c)
			inWord = true
		}
	}
	if inWord {
		words = append(words, w.String())
	}
	return words, nil
}

// Quote quotes s for a POSIX shell (the remote login shell that sshd runs
// the command with).
func Quote(s string) string {
	if s != "" && strings.Trim(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_=/.,:@%+") == "" {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// QuoteWords quotes each word and joins them with spaces: one remote
// command line. ssh joins its remote arguments with spaces and the remote
// shell splits them again, so each word must be quoted exactly once.
func QuoteWords(words ...string) string {
	q := make([]string, len(words))
	for i, w := range words {
		q[i] = Quote(w)
	}
	return strings.Join(q, " ")
}

// argv returns the ssh argv that runs the remote command line cmdline
// (already quoted) with extra ssh options before the target.
func (s SSH) argv(opts []string, cmdline string) []string {
	a := append([]string(nil), s.Argv...)
	if len(a) == 0 {
		a = []string{"ssh"}
	}
	switch s.Family {
	case 4:
		a = append(a, "-4")
	case 6:
		a = append(a, "-6")
	}
	a = append(a, opts...)
	a = append(a, "--", s.Target)
	if cmdline != "" {
		a = append(a, cmdline)
	}
	return a
}

// sshWaitDelay bounds how long Wait waits for ssh's output pipes to close
// once ssh has exited (exec.Cmd.WaitDelay). A ProxyCommand's own child
// inherits ssh's stderr and can outlive ssh: with `bash -c 'exec
// 3<>/dev/tcp/…; cat <&3 & exec cat >&3'` the background cat keeps the
// connection, and so the pipe, open whenever ssh's last packet is lost as
// ssh hangs the proxy up, and gosh attach then hung before the session
// appeared. Whatever ssh wrote before it exited is read long before this.
const sshWaitDelay = 2 * time.Second

// Command returns an *exec.Cmd running cmdline (a quoted remote command
// line) on the host with ssh, with extra ssh options opts (e.g. "-T").
// Its Wait returns at most sshWaitDelay after ssh exits (with
// exec.ErrWaitDelay if ssh succeeded but a pipe was still held open).
func (s SSH) Command(opts []string, cmdline string) *exec.Cmd {
	a := s.argv(opts, cmdline)
	cmd := exec.Command(a[0], a[1:]...)
	cmd.WaitDelay = sshWaitDelay
	return cmd
}

// String is the ssh command for messages.
func (s SSH) String() string {
	return strings.Join(s.argv(nil, ""), " ")
}

// checkTarget rejects targets ssh would take as an option.
func checkTarget(t string) error {
	if t == "" || strings.HasPrefix(t, "-") {
		return fmt.Errorf("remote: bad host %q", t)
	}
	return nil
}
