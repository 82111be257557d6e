package input_test

import (
	"bytes"
	"fmt"
	"regexp"
	"testing"
	"time"

	"github.com/goshterm/gosh/mux/input"
	"github.com/goshterm/gosh/vt"
)

var sgrReport = regexp.MustCompile(`^\x1b\[<\d+;\d+;\d+[Mm]`)

// FuzzInput feeds arbitrary bytes, cut at arbitrary points, with
// arbitrary pane modes, and checks that nothing panics, that the input is
// fully consumed once the escape time has passed, and — on a second
// stream of ESC-free bytes with well-formed SGR mouse reports spliced in —
// that every report reaches the pane whole and none is cut.
func FuzzInput(f *testing.F) {
	for _, s := range []string{
		"ls\r", "\x02%\x02\"\x02d", "\x1b[A\x1bOB\x1b[1;5C", "\x1b[<0;3;4M\x1b[<0;3;4m",
		"\x1b[M !!", "\x1b[200~paste\x1b[201~", "\x1b[I\x1b[O", "\x1b", "\x1b[<0;5", "\x02x y",
		"\xe4\xb8\xad", "\x1b[32;5;10M", "\x1b[<64;50;5M",
	} {
		f.Add([]byte(s), uint8(3), uint8(7))
	}
	tree := twoPanes(f)
	f.Fuzz(func(t *testing.T, data []byte, cut, modeSeed uint8) {
		modes := vt.Modes{
			AppCursorKeys:  modeSeed&1 != 0,
			AppKeypad:      modeSeed&2 != 0,
			BracketedPaste: modeSeed&4 != 0,
			FocusEvents:    modeSeed&8 != 0,
			Mouse:          vt.MouseMode(modeSeed >> 4 % 5),
			MouseEncoding:  vt.MouseEncoding(modeSeed >> 6),
		}
		ctx := &input.Context{Layout: tree, Panes: []input.PaneState{{ID: 0, Modes: modes}, {ID: 1, CopyMode: modeSeed&1 != 0}}}
		in := input.New(input.Config{})
		now := time.Unix(0, 0)
		step := int(cut%16) + 1
		for i := 0; i < len(data); i += step {
			feed(in, ctx, data[i:min(i+step, len(data))], now)
			now = now.Add(time.Millisecond)
		}
		// Flush, and feed again what a binding paused, until all is read.
		for range len(data) + 2 {
			in.Flush(ctx, now.Add(time.Hour))
			rest := in.TakePaused()
			if len(rest) == 0 {
				break
			}
			feed(in, ctx, rest, now)
		}
		if _, ok := in.Deadline(); ok {
			t.Fatalf("input left pending after the escape time")
		}

		// Mouse integrity: ESC-free noise with reports spliced in.
		var stream []byte
		reports := 0
		for i, b := range data {
			if b == 0x1b {
				continue
			}
			stream = append(stream, b)
			if i%5 == int(cut%5) {
				fmt.Fprintf(&sliceWriter{&stream}, "\x1b[<%d;%d;%dM", int(b)%3, i%200+1, int(cut)%50+1)
				reports++
			}
		}
		mctx := &input.Context{Panes: []input.PaneState{{ID: 0, Modes: vt.Modes{Mouse: vt.MouseAny, MouseEncoding: vt.MouseEncodingSGR}}}}
		in = input.New(input.Config{})
		var sent []byte
		for i := 0; i < len(stream); i += step {
			for _, a := range feed(in, mctx, stream[i:min(i+step, len(stream))], now) {
				if a.Kind == input.Send {
					sent = append(sent, a.Bytes...)
				}
			}
		}
		got := 0
		for rest := sent; ; {
			j := bytes.Index(rest, []byte("\x1b[<"))
			if j < 0 {
				break
			}
			m := sgrReport.Find(rest[j:])
			if m == nil {
				t.Fatalf("a cut mouse report reached the pane: %q in %q", rest[j:min(j+16, len(rest))], sent)
			}
			got++
			rest = rest[j+len(m):]
		}
		if got != reports {
			t.Fatalf("%d reports reached the pane, want %d", got, reports)
		}
	})
}

// FuzzDecodeKeys: any bytes decode to keys without panic, and plain
// printable ASCII decodes to one key per byte.
func FuzzDecodeKeys(f *testing.F) {
	for _, s := range []string{"jk\r", "\x1b[A\x1bOB", "\x1b", "\x1b[<0;3;4M", "\x1b[200~x", "\xe4\xb8"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		keys := input.DecodeKeys(data)
		if len(keys) > len(data) {
			t.Fatalf("%d keys from %d bytes", len(keys), len(data))
		}
		plain := true
		for _, b := range data {
			plain = plain && b > ' ' && b < 0x7f
		}
		if plain && len(keys) != len(data) {
			t.Fatalf("%q: %d keys, want %d", data, len(keys), len(data))
		}
	})
}

type sliceWriter struct{ b *[]byte }

func (w *sliceWriter) Write(p []byte) (int, error) {
	*w.b = append(*w.b, p...)
	return len(p), nil
}
