package mux_test

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
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
// replica's cursor. Keys go back to back, each as soon as the previous
// echo arrived, so this is the rate limit too: the transport sends an
// echo's small frame (~70 bytes of diff) no sooner than ~1.4 ms after the
// previous one (ssp's link pacing, constants.go), and at ~1.3 ms per key
// the next echo waits for that. With mosh's fixed 20 ms frame interval
// and 8 ms server mindelay a key took 20.6 ms.
func BenchmarkAttachEcho(b *testing.B) { benchEcho(b, 0) }

// BenchmarkAttachEchoTyping is BenchmarkAttachEcho at a person's pace: a
// pause of 20 ms (mosh's least frame interval, more than any frame
// interval the link pacing sets after a small frame) before each key, so
// no key meets the pacing and the daemon is idle when it arrives, as at a
// keyboard (bench/echo types one key every 150 ms). The time per key
// excludes the pause; ms-p50 is the echo latency to compare with a local
// tmux pane's.
func BenchmarkAttachEchoTyping(b *testing.B) { benchEcho(b, 20*time.Millisecond) }

func benchEcho(b *testing.B, pause time.Duration) {
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
	lat := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for range b.N {
		if col == 60 || pause > 0 {
			b.StopTimer()
			if col == 60 {
				// Ctrl-U: the line discipline erases the line
				// (ECHOKE) and the cursor returns to column 0. (A
				// carriage return raced: the echo of CR LF put the
				// cursor at column 0 before cat repeated the line,
				// so the next keys' echo could land before cat's
				// output and the cursor never reached the column
				// waited for.)
				c.Type("\x15")
				col = 0
				wait(col)
			}
			time.Sleep(pause)
			b.StartTimer()
		}
		t0 := time.Now()
		c.Type("x")
		col++
		wait(col)
		lat = append(lat, time.Since(t0))
	}
	b.StopTimer()
	reportLatency(b, lat)
}

// reportLatency adds the median and 90th percentile of lat to a
// benchmark's result: the mean alone hides whether a few keys waited for a
// timer (and on a busy machine, for the scheduler) or all of them did.
func reportLatency(b *testing.B, lat []time.Duration) {
	if len(lat) == 0 {
		return
	}
	slices.Sort(lat)
	b.ReportMetric(float64(lat[len(lat)/2])/1e6, "ms-p50")
	b.ReportMetric(float64(lat[len(lat)*9/10])/1e6, "ms-p90")
}
