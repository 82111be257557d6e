package vttest

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// tmux as a reference emulator.
//
// The stream is fed to a tmux pane exactly as a program would write it: the
// pane's command puts its tty in raw mode with output post-processing off
// (stty -opost, so LF stays LF rather than becoming CR LF), cats the stream
// file to the tty, and then sets the pane title to a random token with OSC 2.
// tmux parses its pane's output in order, so once #{pane_title} shows the
// token every byte of the stream has been applied; the title is not part of
// the screen's text or cursor, so the marker disturbs nothing we compare.
// No client is ever attached: tmux's own emulator (input.c, screen-write.c)
// is what is measured, not a redraw to an outer terminal.

// tmuxTimeout bounds every wait on a tmux server; streams are < 100 KB, which
// tmux consumes in milliseconds, so hitting it means something is wrong.
const tmuxTimeout = 30 * time.Second

var tmuxSeq atomic.Int64

// tmuxServer is one private tmux server, reached through its own socket
// (-S, in a directory of its own); nothing here ever talks to the user's
// default server. A path rather than an -L name, because tmux leaves the
// socket file behind after kill-server and the directory is removed with it.
type tmuxServer struct {
	bin  string
	dir  string
	sock string
}

// tmuxPath finds tmux. Missing tmux skips the test on a developer's machine
// but fails it in CI (CI set), where the test command installs it.
func tmuxPath(t testing.TB) string {
	t.Helper()
	p, err := exec.LookPath("tmux")
	if err != nil {
		if os.Getenv("CI") == "" {
			t.Skip("vttest: tmux not installed (CI would fail here)")
		}
		t.Fatalf("vttest: tmux not installed: %v", err)
	}
	return p
}

// newTmuxServer prepares (but does not start) a private server. The socket
// directory is short-named under the system temp directory because a unix
// socket path is limited to 108 bytes.
func newTmuxServer(bin string) (*tmuxServer, error) {
	dir, err := os.MkdirTemp("", fmt.Sprintf("vtt%d-%d-", os.Getpid(), tmuxSeq.Add(1)))
	if err != nil {
		return nil, fmt.Errorf("vttest: %w", err)
	}
	return &tmuxServer{bin: bin, dir: dir, sock: filepath.Join(dir, "s")}, nil
}

// run runs one tmux command against the private server. LC_ALL=C.UTF-8 makes
// the server treat panes as UTF-8 and take character widths from the C
// library's Unicode tables; TMUX is removed so a test run inside tmux does
// not trip the nesting check.
func (s *tmuxServer) run(args ...string) (string, error) {
	cmd := exec.Command(s.bin, append([]string{"-S", s.sock, "-f", "/dev/null"}, args...)...)
	env := []string{"LC_ALL=C.UTF-8"}
	for _, e := range os.Environ() {
		if !strings.HasPrefix(e, "TMUX=") && !strings.HasPrefix(e, "TMUX_PANE=") && !strings.HasPrefix(e, "LC_ALL=") {
			env = append(env, e)
		}
	}
	cmd.Env = env
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return string(out), fmt.Errorf("vttest: tmux %s: %v: %s", strings.Join(args, " "), err, strings.TrimSpace(stderr.String()))
	}
	return string(out), nil
}

// kill stops this server only (kill-server on its own socket) and removes
// its socket directory. It may be called more than once.
func (s *tmuxServer) kill() {
	if _, err := os.Stat(s.sock); err == nil {
		_, _ = s.run("kill-server")
	}
	_ = os.RemoveAll(s.dir)
}

// start creates the detached cols×rows session whose pane runs script under
// sh. The status line is turned off and remain-on-exit on, so a script that
// dies early leaves its pane (and an error message) to inspect.
func (s *tmuxServer) start(script string, cols, rows int) error {
	_, err := s.run("new-session", "-d", "-s", "v", "-x", strconv.Itoa(cols), "-y", strconv.Itoa(rows), script,
		";", "set", "-g", "status", "off",
		";", "set", "-g", "remain-on-exit", "on")
	return err
}

// waitTitle polls until the pane's title is token. Polls back off from 2 ms
// to 50 ms; the wait is bounded by tmuxTimeout.
func (s *tmuxServer) waitTitle(token string) error {
	deadline := time.Now().Add(tmuxTimeout)
	delay := 2 * time.Millisecond
	for {
		out, err := s.run("display", "-p", "-t", "v", "#{pane_title}|#{pane_dead}")
		if err != nil {
			return err
		}
		title, dead, _ := strings.Cut(strings.TrimRight(out, "\n"), "|")
		if title == token {
			return nil
		}
		if dead == "1" {
			return errors.New("vttest: tmux pane command exited before the stream was written")
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("vttest: tmux did not consume the stream within %v (title %q)", tmuxTimeout, title)
		}
		time.Sleep(delay)
		delay = min(2*delay, 50*time.Millisecond)
	}
}

// shellQuote quotes s for sh.
func shellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// TmuxRender feeds stream to a fresh tmux pane of cols×rows and returns what
// tmux shows: exactly rows lines of text with trailing blanks trimmed (a wide
// character appears once; combining marks stay with their base; cells drawn
// in the DEC special graphics set are given as the Unicode characters xterm
// shows for them), and the cursor's 0-based column and row.
//
// tmux reports cursor_x == cols while an autowrap is pending (the cursor
// sits past the last column until the next printable character); xterm and
// vt keep it on the last column with a pending-wrap flag, so cx is clamped to
// cols-1.
//
// It skips the test if tmux is not installed and CI is unset, and fails it
// if tmux is missing in CI. Each call starts and kills its own tmux server.
func TmuxRender(t testing.TB, stream []byte, cols, rows int) (lines []string, cx, cy int) {
	t.Helper()
	s, err := newTmuxServer(tmuxPath(t))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	file := filepath.Join(dir, "stream.vt")
	if err := os.WriteFile(file, stream, 0o600); err != nil {
		t.Fatal(err)
	}
	token := fmt.Sprintf("vttest-done-%d-%d", os.Getpid(), time.Now().UnixNano())
	script := fmt.Sprintf(`stty raw -echo -opost; cat %s; printf '\033]2;%s\007'; exec sleep 2147483647`, shellQuote(file), token)
	t.Cleanup(s.kill)
	if err := s.start(script, cols, rows); err != nil {
		t.Fatal(err)
	}
	if err := s.waitTitle(token); err != nil {
		t.Fatal(err)
	}
	out, err := s.run("capture-pane", "-p", "-e", "-t", "v")
	if err != nil {
		t.Fatal(err)
	}
	lines = parseCapture(out, rows)
	cur, err := s.run("display", "-p", "-t", "v", "#{cursor_x} #{cursor_y}")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := fmt.Sscanf(cur, "%d %d", &cx, &cy); err != nil {
		t.Fatalf("vttest: tmux cursor %q: %v", cur, err)
	}
	cx = min(cx, cols-1)
	s.kill()
	return lines, cx, cy
}

// decGraphics maps the DEC special graphics set (VT100 "line drawing",
// https://vt100.net/docs/vt100-ug/table3-9.html) to the Unicode characters
// xterm shows for it.
var decGraphics = map[rune]rune{
	'`': '◆', 'a': '▒', 'b': '␉', 'c': '␌', 'd': '␍', 'e': '␊', 'f': '°', 'g': '±',
	'h': '␤', 'i': '␋', 'j': '┘', 'k': '┐', 'l': '┌', 'm': '└', 'n': '┼', 'o': '⎺',
	'p': '⎻', 'q': '─', 'r': '⎼', 's': '⎽', 't': '├', 'u': '┤', 'v': '┴', 'w': '┬',
	'x': '│', 'y': '≤', 'z': '≥', '{': 'π', '|': '≠', '}': '£', '~': '·',
}

// parseCapture turns `capture-pane -p -e` output into plain lines. -e is
// used only because it is the one form that says which cells tmux holds in
// the DEC graphics set: tmux stores them as ASCII with a charset attribute
// and brackets them with SO/SI; without -e they would come out as "lqqk".
// Every other escape sequence (SGR) is dropped. tmux emits an attribute
// change only where it differs from the previous cell, across line ends too,
// so the SO/SI state carries over from one line to the next.
func parseCapture(out string, rows int) []string {
	raw := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	lines := make([]string, rows)
	acs := false
	for i := range lines {
		if i < len(raw) {
			lines[i] = strings.TrimRight(stripCapture(raw[i], &acs), " ")
		}
	}
	return lines
}

// stripCapture removes escape sequences from one captured line and maps
// the cells between SO and SI to DEC graphics; *acs is the SO/SI state at
// the start of the line, updated to the state at its end.
func stripCapture(line string, acs *bool) string {
	var b strings.Builder
	rs := []rune(line)
	for i := 0; i < len(rs); i++ {
		r := rs[i]
		switch {
		case r == 0x0e: // SO: shift to G1, where tmux -e puts graphics
			*acs = true
		case r == 0x0f: // SI
			*acs = false
		case r == 0x1b && i+1 < len(rs) && rs[i+1] == '[': // CSI … final
			i += 2
			for i < len(rs) && (rs[i] < 0x40 || rs[i] > 0x7e) {
				i++
			}
		case r == 0x1b && i+1 < len(rs) && rs[i+1] == ']': // OSC … BEL or ST
			i += 2
			for i < len(rs) && rs[i] != 0x07 && !(rs[i] == 0x1b && i+1 < len(rs) && rs[i+1] == '\\') {
				i++
			}
			if i < len(rs) && rs[i] == 0x1b {
				i++
			}
		case r == 0x1b && i+1 < len(rs): // ESC x (e.g. designations)
			i++
		default:
			if g, ok := decGraphics[r]; ok && *acs {
				r = g
			}
			b.WriteRune(r)
		}
	}
	return b.String()
}

// TmuxThroughput measures how long tmux's emulator takes to consume stream:
// the time from the moment a cols×rows pane starts writing it to the pane's
// tty until tmux answers a cursor position request (CSI 6n) sent after it.
// tmux parses pane output in order, so the answer means everything before
// it was applied. The time is taken inside the pane (bash's
// EPOCHREALTIME), so the cost of starting tmux and of polling it is not
// counted. No client is attached, so tmux redraws nothing.
//
// Requests for a cursor report inside the stream itself (CSI 6n, CSI ?6n)
// are counted so the matching number of replies is read first.
// It returns an error if tmux or bash is missing.
func TmuxThroughput(stream []byte, cols, rows int) (time.Duration, error) {
	bin, err := exec.LookPath("tmux")
	if err != nil {
		return 0, fmt.Errorf("vttest: %w", err)
	}
	if _, err := exec.LookPath("bash"); err != nil {
		return 0, fmt.Errorf("vttest: %w", err)
	}
	dir, err := os.MkdirTemp("", "vttest-tmux-")
	if err != nil {
		return 0, err
	}
	defer os.RemoveAll(dir)
	file := filepath.Join(dir, "stream.vt")
	result := filepath.Join(dir, "result")
	if err := os.WriteFile(file, stream, 0o600); err != nil {
		return 0, err
	}
	replies := bytes.Count(stream, []byte("\x1b[6n")) + bytes.Count(stream, []byte("\x1b[?6n")) + 1
	script := fmt.Sprintf(`exec bash -c 'stty raw -echo -opost; s=$EPOCHREALTIME; cat %s; printf "\033[6n"; `+
		`for ((i=0;i<%d;i++)); do IFS= read -r -d R _ || break; done; e=$EPOCHREALTIME; `+
		`echo "$s $e" > %s.tmp && mv %s.tmp %s; exec sleep 2147483647'`,
		file, replies, result, result, result)
	s, err := newTmuxServer(bin)
	if err != nil {
		return 0, err
	}
	defer s.kill()
	if err := s.start(script, cols, rows); err != nil {
		return 0, err
	}
	deadline := time.Now().Add(5 * time.Minute)
	delay := 5 * time.Millisecond
	for {
		b, err := os.ReadFile(result)
		if err == nil {
			var start, end float64
			if _, err := fmt.Sscanf(string(b), "%f %f", &start, &end); err != nil {
				return 0, fmt.Errorf("vttest: tmux timing %q: %v", b, err)
			}
			return time.Duration((end - start) * float64(time.Second)), nil
		}
		if time.Now().After(deadline) {
			return 0, errors.New("vttest: tmux did not consume the stream within 5m")
		}
		time.Sleep(delay)
		delay = min(2*delay, 50*time.Millisecond)
	}
}
