package mux_test

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

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
