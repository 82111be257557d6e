package mux_test

import (
	"context"
	"io"
	"log/slog"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/goshterm/gosh/mux"
	"github.com/goshterm/gosh/mux/muxtest"
	"github.com/goshterm/gosh/ssp"
)

func has(rows []string, want string) bool {
	for _, r := range rows {
		if strings.Contains(r, want) {
			return true
		}
	}
	return false
}

// lineRow returns the first row whose left-most pane reads exactly want, or -1. Unlike row it
// does not match the typed command line that mentions want, so it tells output from echo.
func lineRow(rows []string, want string) int {
	for i, r := range rows {
		left, _, _ := strings.Cut(r, "│")
		if strings.TrimSpace(left) == want {
			return i
		}
	}
	return -1
}

// outputDone reports whether the left-most pane shows last as a line of output with the
// shell's prompt back right below it: the command has finished writing.
func outputDone(rows []string, last string) bool {
	i := lineRow(rows, last)
	return i >= 0 && i+1 < len(rows) && strings.HasPrefix(rows[i+1], "$")
}

// row returns the first row containing want, or -1.
func row(rows []string, want string) int {
	for i, r := range rows {
		if strings.Contains(r, want) {
			return i
		}
	}
	return -1
}

func TestAttachTypeAndSee(t *testing.T) {
	s := muxtest.NewServer(t)
	muxtest.MustRun(t, s, "new-session", "-d", "-s", "dev")
	c := muxtest.Attach(t, s, "dev", 60, 12)
	if c.Reply.Session != "dev" || c.Reply.Port < mux.DefaultPortLow || c.Reply.Port > mux.DefaultPortHigh || c.Reply.Key == "" {
		t.Errorf("attach reply = %+v", *c.Reply)
	}
	// the status line at the bottom shows the session
	c.WaitText("the status line", func(rows []string) bool {
		return len(rows) == 12 && strings.HasPrefix(rows[11], "[dev] 0:")
	})
	c.Type("echo h''i\r")
	rows := c.WaitText("hi on its own line", func(rows []string) bool { return row(rows, "hi") >= 0 && rows[row(rows, "hi")] == "hi" })
	if !has(rows, "$ echo h''i") {
		t.Errorf("typed command not echoed:\n%s", strings.Join(rows, "\n"))
	}
	// the window follows the client's size, less the status line
	if got := strings.TrimSpace(muxtest.MustRun(t, s, "display-message", "-p", "-t", "dev", "#{pane_width}x#{pane_height} #{session_attached}")); got != "60x11 1" {
		t.Errorf("pane size and attached count = %q, want 60x11 1", got)
	}
	// gosh pane facts: the pane's rectangle and the shell's line discipline
	_, facts := c.Screen()
	if facts.Width != 60 || facts.Height != 11 || facts.Program != "sh" {
		t.Errorf("pane facts = %+v", facts)
	}
}

func TestAttachSplitShowsBorder(t *testing.T) {
	s := muxtest.NewServer(t)
	muxtest.MustRun(t, s, "new-session", "-d", "-s", "sp")
	c := muxtest.Attach(t, s, "sp", 41, 10)
	c.WaitContains("[sp]")
	c.Type("\x02%") // prefix, then % splits left and right
	rows := c.WaitText("a vertical border", func(rows []string) bool {
		return len(rows) == 10 && len(rows[0]) > 20 && strings.ContainsRune(rows[0], '│')
	})
	if x := strings.IndexRune(rows[0], '│'); x < 0 {
		t.Fatalf("no border:\n%s", strings.Join(rows, "\n"))
	}
	if got := strings.TrimSpace(muxtest.MustRun(t, s, "list-panes", "-t", "sp", "-F", "#{pane_width}")); got != "20\n20" {
		t.Errorf("pane widths after prefix %%:\n%s", got)
	}
	// keys now go to the new, right-hand pane
	c.Type("echo right-side\r")
	muxtest.WaitCapture(t, s, "sp:0.1", "right-side\n")
	if out := muxtest.MustRun(t, s, "capture-pane", "-p", "-t", "sp:0.0"); strings.Contains(out, "right-side") {
		t.Errorf("the left pane got the keys:\n%s", out)
	}
}

func TestTwoClientsDetachOneReattach(t *testing.T) {
	s := muxtest.NewServer(t)
	muxtest.MustRun(t, s, "new-session", "-d", "-s", "pair")
	a := muxtest.Attach(t, s, "pair", 70, 15)
	b := muxtest.Attach(t, s, "pair", 50, 12)
	if a.Reply.Port == b.Reply.Port || a.Reply.Key == b.Reply.Key {
		t.Fatalf("two clients share an endpoint: %+v %+v", *a.Reply, *b.Reply)
	}
	a.Type("echo from-a\r")
	a.WaitContains("from-a")
	b.WaitContains("from-a")
	if n := strings.TrimSpace(muxtest.MustRun(t, s, "list-clients", "-t", "pair", "-F", "#{client_width}x#{client_height}")); n != "70x15\n50x12" {
		t.Errorf("list-clients:\n%s", n)
	}

	// detach a with the prefix; b keeps working and the session stays
	a.Type("\x02d")
	muxtest.Eventually(t, "a's detach", a.ServerShutdown)
	muxtest.Eventually(t, "one client left", func() bool { return s.Clients() == 1 })
	b.Type("echo still-here\r")
	b.WaitContains("still-here")
	muxtest.MustRun(t, s, "has-session", "-t", "pair")

	// a reattach shows the whole current screen
	c := muxtest.Attach(t, s, "pair", 50, 12)
	rows := c.WaitContains("still-here")
	if !has(rows, "from-a") {
		t.Errorf("reattached client misses earlier output:\n%s", strings.Join(rows, "\n"))
	}

	// detach-client -s detaches everyone; the session lives on
	muxtest.MustRun(t, s, "detach-client", "-s", "pair")
	muxtest.Eventually(t, "every client detached", func() bool { return s.Clients() == 0 })
	if !b.ServerShutdown() || !c.ServerShutdown() {
		t.Error("detach-client -s left a client attached")
	}
	muxtest.MustRun(t, s, "has-session", "-t", "pair")
}

func TestAttachStrangerKeyGetsNothing(t *testing.T) {
	s := muxtest.NewServer(t)
	muxtest.MustRun(t, s, "new-session", "-d", "-s", "sec")
	resp := s.Handle(context.Background(), mux.Request{Version: mux.ProtocolVersion, Argv: []string{"attach-session", "-t", "sec"},
		Attach: &mux.AttachRequest{Cols: 40, Rows: 10}})
	if resp.Code != 0 || resp.Attach == nil {
		t.Fatalf("attach: %+v", resp)
	}
	wrong, err := ssp.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	stranger := muxtest.Connect(t, resp.Attach, wrong, 40, 10)
	stranger.Type("echo intruder\r")
	// the rightful client, connecting afterwards, sees no intruder
	key, _ := ssp.ParseKey(resp.Attach.Key)
	owner := muxtest.Connect(t, resp.Attach, key, 40, 10)
	owner.WaitContains("[sec]")
	owner.Type("echo owner\r")
	owner.WaitContains("owner")
	if stranger.Connected() {
		t.Error("a client with the wrong key got a frame")
	}
	if out := muxtest.MustRun(t, s, "capture-pane", "-p", "-t", "sec"); strings.Contains(out, "intruder") {
		t.Errorf("the wrong key's keystrokes reached the pane:\n%s", out)
	}
}

func TestAttachErrors(t *testing.T) {
	s := muxtest.NewServer(t)
	muxtest.MustRun(t, s, "new-session", "-d", "-s", "x")
	if _, err := muxtest.Run(s, "attach-session", "-t", "x"); err == nil || err.Error() != "open terminal failed: not a terminal" {
		t.Errorf("attach without a terminal: %v", err)
	}
	resp := s.Handle(context.Background(), mux.Request{Version: mux.ProtocolVersion, Argv: []string{"attach-session", "-t", "nope"},
		Attach: &mux.AttachRequest{Cols: 40, Rows: 10}})
	if resp.Code == 0 || resp.Stderr != "can't find session: nope" || resp.Attach != nil {
		t.Errorf("attach to a missing session: %+v", resp)
	}
	// new-session without -d from a terminal attaches
	resp = s.Handle(context.Background(), mux.Request{Version: mux.ProtocolVersion, Argv: []string{"new-session", "-s", "fresh"},
		Attach: &mux.AttachRequest{Cols: 40, Rows: 10}})
	if resp.Code != 0 || resp.Attach == nil || resp.Attach.Session != "fresh" {
		t.Errorf("new-session from a terminal: %+v", resp)
	}
}

func TestAttachTimeoutsKeepTheSession(t *testing.T) {
	s := mux.NewServer(mux.Config{Shell: "/bin/sh", Env: muxtest.Env,
		ClientConnectTimeout: 300 * time.Millisecond, ClientIdleTimeout: 2 * time.Second})
	t.Cleanup(func() { s.Close() })
	muxtest.MustRun(t, s, "new-session", "-d", "-s", "t")
	// an endpoint nobody connects to is closed
	resp := s.Handle(context.Background(), mux.Request{Version: mux.ProtocolVersion, Argv: []string{"attach-session", "-t", "t"},
		Attach: &mux.AttachRequest{Cols: 40, Rows: 10}})
	if resp.Code != 0 {
		t.Fatalf("attach: %+v", resp)
	}
	muxtest.Eventually(t, "the unused endpoint to close", func() bool { return s.Clients() == 0 })
	// a client that goes silent is detached after the idle timeout
	c := muxtest.Attach(t, s, "t", 40, 10)
	c.WaitContains("[t]")
	c.Stop()
	muxtest.Eventually(t, "the silent client to be dropped", func() bool { return s.Clients() == 0 })
	muxtest.MustRun(t, s, "has-session", "-t", "t")
}

func TestAttachedClientEndsWithItsSession(t *testing.T) {
	s := muxtest.NewServer(t)
	muxtest.MustRun(t, s, "new-session", "-d", "-s", "short")
	muxtest.MustRun(t, s, "new-session", "-d", "-s", "other")
	c := muxtest.Attach(t, s, "short", 40, 10)
	c.WaitContains("[short]")
	c.Type("exit\r")
	muxtest.Eventually(t, "the client to be shut down", c.ServerShutdown)
	muxtest.Eventually(t, "no clients", func() bool { return s.Clients() == 0 })
	muxtest.MustRun(t, s, "has-session", "-t", "other")
}

func TestClientQuitLeavesSession(t *testing.T) {
	s := muxtest.NewServer(t)
	muxtest.MustRun(t, s, "new-session", "-d", "-s", "q")
	c := muxtest.Attach(t, s, "q", 40, 10)
	c.WaitContains("[q]")
	c.Quit() // the client's own shutdown (mosh's Ctrl-^ .)
	muxtest.Eventually(t, "the server to forget the client", func() bool { return s.Clients() == 0 })
	muxtest.MustRun(t, s, "has-session", "-t", "q")
}

func TestAttachPrefixBindings(t *testing.T) {
	s := muxtest.NewServer(t)
	muxtest.MustRun(t, s, "new-session", "-d", "-s", "keys")
	c := muxtest.Attach(t, s, "keys", 60, 12)
	c.WaitContains("[keys]")
	// prefix c opens window 1, shown current in the window list
	c.Type("\x02c")
	c.WaitText("window 1 current", func(rows []string) bool { return strings.Contains(rows[11], "1:sh*") })
	// prefix 0 goes back
	c.Type("\x020")
	c.WaitText("window 0 current", func(rows []string) bool { return strings.Contains(rows[11], "0:sh*") })
	// prefix " splits top and bottom; prefix z zooms the active pane
	c.Type("\x02\"")
	c.WaitText("a horizontal border", func(rows []string) bool { return strings.Contains(rows[5], "──────") })
	c.Type("\x02z")
	c.WaitText("the zoomed flag", func(rows []string) bool {
		return strings.Contains(rows[11], "0:sh*Z") && !has(rows[:11], "──────")
	})
	c.Type("\x02z")
	// prefix x asks first; y kills the pane
	c.Type("\x02x")
	c.WaitText("the confirm prompt", func(rows []string) bool { return strings.Contains(rows[11], "kill-pane 1? (y/n)") })
	c.Type("y")
	muxtest.Eventually(t, "the pane to be killed", func() bool {
		out, _ := muxtest.Run(s, "list-panes", "-t", "keys:0")
		return strings.Count(out, "\n") == 1
	})
	c.WaitText("the border gone", func(rows []string) bool { return !has(rows, "──────") && !has(rows, "(y/n)") })
	// prefix i: display-message shows on the status line for a moment
	c.Type("\x02i")
	c.WaitText("the message", func(rows []string) bool { return strings.Contains(rows[11], "[keys] 0:sh, current pane 0") })
	c.WaitText("the message gone", func(rows []string) bool { return !strings.Contains(rows[11], "current pane") })
}

func TestAttachWindowFollowsLatestClient(t *testing.T) {
	s := muxtest.NewServer(t)
	muxtest.MustRun(t, s, "new-session", "-d", "-s", "size")
	size := func() string {
		return strings.TrimSpace(muxtest.MustRun(t, s, "display-message", "-p", "-t", "size", "#{window_width}x#{window_height}"))
	}
	big := muxtest.Attach(t, s, "size", 100, 30)
	big.WaitContains("[size]")
	small := muxtest.Attach(t, s, "size", 50, 20)
	small.WaitContains("[size]")
	muxtest.Eventually(t, "the window to take the newest client's size", func() bool { return size() == "50x19" })
	big.Type("true\r") // typing makes big the latest
	muxtest.Eventually(t, "the window to follow the typing client", func() bool { return size() == "100x29" })
	// the smaller client sees the part of the window that fits
	small.WaitText("the window clipped to 50 columns", func(rows []string) bool { return strings.HasPrefix(rows[19], "[size]") })
	small.Resize(70, 25) // a resize is activity too
	muxtest.Eventually(t, "the window to follow the resized client", func() bool { return size() == "70x24" })
	small.Stop()
	muxtest.MustRun(t, s, "detach-client", "-t", "client2")
	muxtest.Eventually(t, "the window to return to the remaining client", func() bool { return size() == "100x29" })
}

func TestAttachBellAndMouse(t *testing.T) {
	s := muxtest.NewServer(t)
	muxtest.MustRun(t, s, "new-session", "-d", "-s", "m")
	muxtest.MustRun(t, s, "set-option", "-g", "mouse", "on")
	muxtest.MustRun(t, s, "split-window", "-h", "-t", "m")
	c := muxtest.Attach(t, s, "m", 41, 10)
	c.WaitContains("│")
	c.Type("printf '\\a'\r")
	muxtest.Eventually(t, "the bell to reach the client", func() bool {
		scr, _ := c.Screen()
		return scr != nil && scr.BellCount() > 0
	})
	// the frame asks the client's terminal for mouse reports
	if scr, _ := c.Screen(); scr.Modes().Mouse == 0 {
		t.Error("mouse on, but the frame does not enable mouse reports")
	}
	// a click (SGR 1006 report, 1-based) on the left pane focuses it
	c.Type("\x1b[<0;5;3M\x1b[<0;5;3m")
	muxtest.Eventually(t, "the click to select the left pane", func() bool {
		out, _ := muxtest.Run(s, "display-message", "-p", "-t", "m", "#{pane_index}")
		return strings.TrimSpace(out) == "0"
	})
	// dragging the border moves it
	c.Type("\x1b[<0;21;3M\x1b[<32;26;3M\x1b[<0;26;3m")
	muxtest.Eventually(t, "the drag to resize the panes", func() bool {
		out, _ := muxtest.Run(s, "list-panes", "-t", "m", "-F", "#{pane_width}")
		return out == "25\n15\n"
	})
	// a click on a window in the status line selects it
	muxtest.MustRun(t, s, "new-window", "-d", "-t", "m")
	c.WaitText("window 1 listed", func(rows []string) bool { return strings.Contains(rows[9], "1:sh") })
	rows := c.Text()
	x := strings.Index(rows[9], "1:sh") + 1 // 1-based column for the report
	c.Type("\x1b[<0;" + strconv.Itoa(x) + ";10M\x1b[<0;" + strconv.Itoa(x) + ";10m")
	c.WaitText("window 1 selected", func(rows []string) bool { return strings.Contains(rows[9], "1:sh*") })
	c.Type("\x02" + "0")
	c.WaitText("window 0 again", func(rows []string) bool { return strings.Contains(rows[9], "0:sh*") })
	// the wheel over a pane that ignores the mouse scrolls its history
	c.Type("seq 1 50\r")
	// wait for the output, not the echoed "seq 1 50": a wheel that comes before the output
	// enters copy mode on an empty history, which then cannot scroll
	c.WaitText("seq's output", func(rows []string) bool { return outputDone(rows, "50") })
	c.Type("\x1b[<64;5;3M")
	c.WaitText("copy mode scrolled back", func(rows []string) bool { return strings.Contains(rows[0], "[5/") })
	c.Type("\x1b[<65;5;3M") // back down to the bottom leaves copy mode
	c.WaitText("copy mode left", func(rows []string) bool { return !strings.Contains(rows[0], "[") })
}

func TestAttachCopyModeAndPaste(t *testing.T) {
	s := muxtest.NewServer(t)
	muxtest.MustRun(t, s, "new-session", "-d", "-s", "cp")
	muxtest.MustRun(t, s, "set-option", "-g", "mode-keys", "vi")
	c := muxtest.Attach(t, s, "cp", 40, 10)
	c.Type("seq 1 100\r")
	c.WaitText("the end of seq", func(rows []string) bool { return outputDone(rows, "100") })
	// prefix [ enters copy mode: the position indicator shows, top right
	c.Type("\x02[")
	c.WaitText("the copy-mode indicator", func(rows []string) bool { return strings.HasSuffix(rows[0], "[0/") || strings.Contains(rows[0], "[0/") })
	// search back for 42, select the line's text and copy it
	c.Type("?42\r")
	c.WaitText("the view scrolled back", func(rows []string) bool { return has(rows, "42") && !strings.Contains(rows[0], "[0/") })
	c.Type("0v$y")
	c.WaitText("copy mode left", func(rows []string) bool { return !has(rows, "/10") && has(rows, "100") })
	if out := muxtest.MustRun(t, s, "list-buffers"); out != "buffer0: 2 bytes: \"42\"\n" {
		t.Errorf("list-buffers = %q", out)
	}
	muxtest.Eventually(t, "the copy on the client's clipboard (OSC 52)", func() bool {
		scr, _ := c.Screen()
		_, data := scr.Clipboard()
		return data == "NDI=" // base64("42")
	})
	// prefix ] pastes the buffer at the prompt
	c.Type("\x02]")
	c.WaitText("the pasted text", func(rows []string) bool { return has(rows, "$ 42") })
}

func TestAttachReadOnly(t *testing.T) {
	s := muxtest.NewServer(t)
	muxtest.MustRun(t, s, "new-session", "-d", "-s", "ro")
	writer := muxtest.Attach(t, s, "ro", 40, 10)
	resp := s.Handle(context.Background(), mux.Request{Version: mux.ProtocolVersion, Argv: []string{"attach-session", "-r", "-t", "ro"},
		Attach: &mux.AttachRequest{Cols: 40, Rows: 10}})
	if resp.Code != 0 {
		t.Fatalf("attach -r: %+v", resp)
	}
	key, _ := ssp.ParseKey(resp.Attach.Key)
	watcher := muxtest.Connect(t, resp.Attach, key, 40, 10)
	watcher.WaitContains("[ro]")
	watcher.Type("echo from-watcher\r\x02%")
	writer.Type("echo from-writer\r")
	watcher.WaitContains("from-writer") // it sees what happens
	if out := muxtest.MustRun(t, s, "capture-pane", "-p", "-t", "ro"); strings.Contains(out, "from-watcher") {
		t.Errorf("a read-only client's keys reached the pane:\n%s", out)
	}
	if out := muxtest.MustRun(t, s, "list-panes", "-t", "ro"); strings.Count(out, "\n") != 1 {
		t.Errorf("a read-only client's binding split the window:\n%s", out)
	}
	if out := muxtest.MustRun(t, s, "list-clients", "-F", "#{client_readonly}"); out != "0\n1\n" {
		t.Errorf("list-clients read-only flags = %q", out)
	}
	watcher.Type("\x02d") // but it may detach
	muxtest.Eventually(t, "the watcher to detach", watcher.ServerShutdown)
}

func TestAttachKeyNotLogged(t *testing.T) {
	var log strings.Builder
	var mu sync.Mutex
	s := mux.NewServer(mux.Config{Shell: "/bin/sh", Env: muxtest.Env,
		Logger: slog.New(slog.NewTextHandler(lockedWriter{&mu, &log}, &slog.HandlerOptions{Level: slog.LevelDebug}))})
	t.Cleanup(func() { s.Close() })
	muxtest.MustRun(t, s, "new-session", "-d", "-s", "k")
	c := muxtest.Attach(t, s, "k", 40, 10)
	c.WaitContains("[k]")
	c.Type("\x02d")
	muxtest.Eventually(t, "the detach", func() bool { return s.Clients() == 0 })
	mu.Lock()
	defer mu.Unlock()
	if !strings.Contains(log.String(), "client attached") {
		t.Fatalf("the log misses the attach:\n%s", log.String())
	}
	if strings.Contains(log.String(), c.Reply.Key) {
		t.Errorf("the session key is in the daemon's log:\n%s", log.String())
	}
}

type lockedWriter struct {
	mu *sync.Mutex
	w  io.Writer
}

func (l lockedWriter) Write(b []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(b)
}

// TestAttachKeysAfterWindowSwitchInOneRead: keys that arrive in the same
// datagram as a binding that changes the window (prefix n, prefix p) go
// to the window the binding made current, each time, so the input state
// is described afresh after every binding (the client reuses its
// description from key to key).
func TestAttachKeysAfterWindowSwitchInOneRead(t *testing.T) {
	dir := t.TempDir()
	s := muxtest.NewServer(t)
	muxtest.MustRun(t, s, "new-session", "-d", "-s", "sw", "stty -echo; cat > "+dir+"/w0")
	muxtest.MustRun(t, s, "new-window", "-d", "-t", "sw:1", "stty -echo; cat > "+dir+"/w1")
	c := muxtest.Attach(t, s, "sw", 60, 12)
	c.WaitContains("[sw]")
	c.Type("a0\r\x02nb1\r\x02pc0\r\x02nd1\r")
	for _, f := range []struct{ name, want string }{{"w0", "a0\nc0\n"}, {"w1", "b1\nd1\n"}} {
		muxtest.Eventually(t, f.name+" gets its lines", func() bool {
			b, _ := os.ReadFile(dir + "/" + f.name)
			return string(b) == f.want
		})
	}
}
