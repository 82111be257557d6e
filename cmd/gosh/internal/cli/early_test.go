package cli

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/creack/pty"

	"github.com/goshterm/gosh/cmd/gosh/internal/client"
	"github.com/goshterm/gosh/mux"
	"github.com/goshterm/gosh/vt"
)

// watchedEarly passes a hosted client's early draws on, noting whether a
// frame with want in it was offered.
type watchedEarly struct {
	client.EarlySource
	want    string
	seen    atomic.Bool
	carried atomic.Int64 // states said to hold an early frame
}

func (w *watchedEarly) SetEarlyDraw(draw func(*vt.Screen, uint64) bool, carried func(uint64)) {
	if draw == nil {
		w.EarlySource.SetEarlyDraw(nil, carried)
		return
	}
	w.EarlySource.SetEarlyDraw(func(frame *vt.Screen, sent uint64) bool {
		if strings.Contains(screenText(frame), w.want) {
			w.seen.Store(true)
		}
		return draw(frame, sent)
	}, func(num uint64) {
		w.carried.Add(1)
		carried(num)
	})
}

func screenText(s *vt.Screen) string {
	var b strings.Builder
	cols, rows := s.Size()
	for y := range rows {
		for x := range cols {
			b.WriteString(s.Cell(x, y).Text)
		}
		b.WriteByte('\n')
	}
	return b.String()
}

// TestHostedClientDrawsEarly: a client the daemon hosts is offered each
// frame its loop composes (mux.HostedLink) and told which state holds a
// frame it drew, and what the user types in a real pane reaches the
// user's terminal.
func TestHostedClientDrawsEarly(t *testing.T) {
	t.Setenv("TERM", "xterm-256color")
	watch := &watchedEarly{want: "early-42"}
	path := hostDaemon(t, func(ctx context.Context, cfg client.Config) error {
		if cfg.Local == nil || cfg.Early == nil {
			return errors.New("hosted without the in-memory link and its early draw")
		}
		watch.EarlySource = cfg.Early
		cfg.Early = watch
		return client.Run(ctx, cfg)
	})
	if resp := do(t, path, "new-session", "-d", "-s", "w", "-x", "80", "-y", "24"); resp.Code != 0 {
		t.Fatalf("new-session: %s", resp.Stderr)
	}
	resp, err := mux.Do(context.Background(), path, mux.Request{Argv: []string{"attach-session", "-t", "w"},
		Attach: &mux.AttachRequest{Cols: 80, Rows: 24, Term: "xterm-256color", Colors: 256}})
	if err != nil || resp.Code != 0 || resp.Attach == nil {
		t.Fatalf("attach-session: %v %q", err, resp.Stderr)
	}

	ptmx, tty, err := pty.Open()
	if err != nil {
		t.Skipf("no pty: %v", err)
	}
	defer ptmx.Close()
	defer tty.Close()
	if err := pty.Setsize(ptmx, &pty.Winsize{Cols: 80, Rows: 24}); err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	term := vt.NewScreen(80, 24)
	go func() {
		buf := make([]byte, 32<<10)
		for {
			n, err := ptmx.Read(buf)
			mu.Lock()
			term.Write(buf[:n])
			mu.Unlock()
			if err != nil {
				return
			}
		}
	}()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		_, err := runHosted(ctx, path, tty, &bytes.Buffer{}, resp.Attach)
		done <- err
	}()
	defer func() {
		cancel()
		<-done
	}()

	shows := func(s string) bool {
		mu.Lock()
		defer mu.Unlock()
		return strings.Contains(screenText(term), s)
	}
	deadline := time.Now().Add(10 * time.Second)
	for !shows("[w]") {
		if time.Now().After(deadline) {
			t.Fatal("the session's status line never reached the terminal")
		}
		time.Sleep(10 * time.Millisecond)
	}
	// Typed a key at a time, each after the last one's echo: the
	// client's loop is then waiting when an echo's frame is composed.
	line := "echo early-$((6*7))"
	for i := range line {
		if _, err := ptmx.Write([]byte(line[i : i+1])); err != nil {
			t.Fatal(err)
		}
		for !shows(line[:i+1]) {
			if time.Now().After(deadline) {
				t.Fatalf("%q never echoed:\n%s", line[:i+1], screenText(term))
			}
			time.Sleep(time.Millisecond)
		}
	}
	if _, err := ptmx.Write([]byte("\r")); err != nil {
		t.Fatal(err)
	}
	for !shows("\nearly-42") {
		if time.Now().After(deadline) {
			t.Fatalf("the command's output never reached the terminal:\n%s", screenText(term))
		}
		time.Sleep(10 * time.Millisecond)
	}
	if !watch.seen.Load() {
		t.Error("the daemon never offered the hosted client a frame to draw early")
	}
	if watch.carried.Load() == 0 {
		t.Error("the daemon never said which state holds a frame drawn early")
	}
}
