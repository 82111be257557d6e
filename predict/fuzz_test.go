package predict_test

import (
	"testing"
	"time"

	"github.com/goshterm/gosh/predict"
	"github.com/goshterm/gosh/vt"
)

// FuzzPredict reads a session from the fuzzer's bytes: a screen size, a
// pane, a mode and link, then events — the user's raw bytes, arbitrary
// host output in a frame with an echo ack, timer wake-ups, line-discipline
// changes. The invariants of world.check hold after every event (nothing
// drawn outside the pane, nothing in a no-echo pane or mode never) and no
// guess outlives the echo ack that covers every key.
func FuzzPredict(f *testing.F) {
	f.Add([]byte("\x28\x06\x00\x01\x00abc\x03\x03abc\x02\x07"))
	f.Add([]byte("\x50\x10\x01\x02\x01\x00\x1b[D\x7f\x03\x01\x1b[2J\x05\x00\r\r\r"))
	f.Add([]byte("\x0a\x02\x02\x03\x02\x00\xc3\xa9\xe4\xb8\x96\x03\x04\xe4\xb8\x96x\x06"))
	f.Add([]byte("\x14\x04\x03\x00\x03\x00hello\x04\x04\x04\x00\x1bOC\x1bOD\x07\x03\x02ab"))
	f.Fuzz(fuzzSession)
}

func fuzzSession(t *testing.T, data []byte) {
	next := func() byte {
		if len(data) == 0 {
			return 0
		}
		b := data[0]
		data = data[1:]
		return b
	}
	take := func(n int) []byte {
		n = min(n, len(data))
		p := data[:n]
		data = data[n:]
		return p
	}
	cols, rows := 1+int(next())%100, 1+int(next())%30
	frame := vt.NewScreen(cols, rows)
	frame.WriteString("\x1b[7m")
	for range rows * cols {
		frame.WriteString("#")
	}
	frame.WriteString("\x1b[m\x1b[H")
	var pane predict.PaneFacts
	if pb := next(); pb&1 != 0 {
		x, y := int(next())%cols, int(next())%rows
		pane = predict.PaneFacts{Known: true,
			Rect:      predict.Rect{X: x, Y: y, W: 1 + int(next())%(cols-x), H: 1 + int(next())%(rows-y)},
			Canonical: pb&2 != 0, Echo: pb&4 != 0, Program: []string{"bash", "vim", "cat", "zsh"}[pb>>3&3]}
	}
	mb := next()
	cfg := predict.Config{Mode: predict.Mode(mb % 4), Overwrite: mb&4 != 0}
	w := newWorld(t, cfg, frame, pane, time.Duration(next())*2*time.Millisecond)
	for steps := 0; len(data) > 0 && steps < 200; steps++ {
		switch op := next() % 8; op {
		case 0, 1, 2:
			if k := take(1 + int(next())%8); len(k) > 0 {
				w.typ(k)
			}
		case 3:
			w.frame.Write(take(int(next()) % 32))
			w.deliver(w.sent - uint64(next())%3)
		case 4:
			w.wait(time.Duration(next()) * 20 * time.Millisecond)
			w.tick()
		case 5:
			if w.pane.Known {
				b := next()
				w.pane.Canonical, w.pane.Echo = b&1 != 0, b&2 != 0
				w.deliver(w.ack)
			}
		case 6:
			w.settle()
		case 7:
			w.wait(time.Duration(next()) * time.Millisecond)
		}
	}
	w.settle()
}
