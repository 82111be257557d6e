package predict_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/goshterm/gosh/predict"
	"github.com/goshterm/gosh/vt"
)

// BenchmarkKeystroke measures the client's work per keystroke on a slow
// link where guesses are drawn: NewUserInput, then the server's echo frame
// with its ack (Cull), and Apply after each. Keys alternate between a
// letter and DEL so the line stays put; the screen above is full of text.
func BenchmarkKeystroke(b *testing.B) {
	for _, size := range []struct{ cols, rows int }{{80, 24}, {200, 60}} {
		for _, pane := range []bool{false, true} {
			name := fmt.Sprintf("%dx%d", size.cols, size.rows)
			if pane {
				name += "/pane"
			}
			b.Run(name, func(b *testing.B) { benchKeystroke(b, size.cols, size.rows, pane) })
		}
	}
}

func benchKeystroke(b *testing.B, cols, rows int, pane bool) {
	fb := vt.NewScreen(cols, rows)
	for y := 0; y < rows-1; y++ {
		fb.WriteString(strings.Repeat("lorem ipsum ", cols/12) + "\r\n")
	}
	fb.WriteString("\x1b[1;32mu@h\x1b[m:~$ ")
	e := predict.New(predict.Config{Mode: predict.Always})
	e.SetSendInterval(250 * time.Millisecond)
	if pane {
		e.SetPane(predict.PaneFacts{Known: true, Rect: predict.Rect{W: cols / 2, H: rows}, Program: "bash"})
	}
	now := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	e.Cull(now, fb, 0)
	keys := [][]byte{[]byte("a"), []byte("\x7f")}
	echo := []string{"a", "\b\x1b[K"}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		now = now.Add(100 * time.Millisecond)
		frame := uint64(i + 1)
		e.NewUserInput(now, keys[i%2], frame, fb)
		e.Apply(fb)
		fb.WriteString(echo[i%2])
		e.Cull(now.Add(50*time.Millisecond), fb, frame)
		e.Apply(fb)
	}
	b.StopTimer()
	if s := e.Stats(); s.Shown == 0 || s.Confirmed == 0 {
		b.Fatalf("nothing drawn or confirmed: %+v", s)
	}
}
