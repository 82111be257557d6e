package mux_test

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/goshterm/gosh/mux/muxtest"
)

// BenchmarkPaneThroughput measures output through a real pty into a pane's
// screen: cat of a 4 MiB text file until the pane's program has exited and
// its last byte was parsed (the pane is removed only after its read loop
// drained the pty).
func BenchmarkPaneThroughput(b *testing.B) {
	const size = 4 << 20
	line := strings.Repeat("the quick brown fox jumps over the lazy dog 0123456789 ", 2) + "\n"
	data := bytes.Repeat([]byte(line), size/len(line))
	file := filepath.Join(b.TempDir(), "data.txt")
	if err := os.WriteFile(file, data, 0o600); err != nil {
		b.Fatal(err)
	}
	s := muxtest.NewServer(b)
	muxtest.MustRun(b, s, "new-session", "-d", "-s", "keep", "sleep 600")
	b.SetBytes(int64(len(data)))
	b.ResetTimer()
	for range b.N {
		muxtest.MustRun(b, s, "new-session", "-d", "-s", "cat", "-x", "120", "-y", "40", "cat "+file)
		muxtest.Eventually(b, "cat finished", func() bool {
			_, err := muxtest.Run(s, "has-session", "-t", "=cat")
			return err != nil
		})
	}
}

// BenchmarkAttachEcho measures a keystroke's round trip through an
// attached client over loopback UDP: the key travels to the daemon, the
// pty echoes it, and the composed frame's diff comes back, moving the
// replica's cursor. The SSP pacing dominates: with mosh's fixed 20 ms
// frame interval and 8 ms server mindelay a key took 20.6 ms; with link
// pacing (ssp constants.go) the mindelays are 1 ms each on loopback.
func BenchmarkAttachEcho(b *testing.B) {
	s := muxtest.NewServer(b)
	muxtest.MustRun(b, s, "new-session", "-d", "-s", "bench", "cat")
	c := muxtest.Attach(b, s, "bench", 80, 24)
	c.WaitContains("[bench]")
	cursorAt := func(x int) bool {
		scr, _ := c.Screen()
		return scr != nil && scr.Cursor().X == x
	}
	wait := func(x int) {
		for deadline := time.Now().Add(muxtest.Deadline); !cursorAt(x); {
			select {
			case <-c.Changed():
			case <-time.After(time.Until(deadline)):
				b.Fatal("echo never arrived")
			}
		}
	}
	col := 0
	b.ResetTimer()
	for range b.N {
		if col == 60 {
			b.StopTimer()
			// Ctrl-U: the line discipline erases the line (ECHOKE)
			// and the cursor returns to column 0. (A carriage return
			// raced: the echo of CR LF put the cursor at column 0
			// before cat repeated the line, so the next keys' echo
			// could land before cat's output and the cursor never
			// reached the column waited for.)
			c.Type("\x15")
			col = 0
			wait(col)
			b.StartTimer()
		}
		c.Type("x")
		col++
		wait(col)
	}
}
