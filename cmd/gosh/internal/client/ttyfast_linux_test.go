package client

import (
	"slices"
	"testing"
	"time"

	"github.com/gdamore/tcell/v2"

	"github.com/goshterm/gosh/bench/cold"
)

// countingParser counts the chunks given to tcell's parser.
type countingParser struct {
	tcell.InputProcessor
	scans int
}

func (p *countingParser) ScanUTF8(b []byte) {
	p.scans++
	p.InputProcessor.ScanUTF8(b)
}

// TestTTYInputFastPath types, reads at a time, what a user does — words,
// backspaces, arrows, vim's ESC, Alt, pastes whole and in pieces — into
// the raw loop's terminal input with and without the fast path around
// tcell's parser, and checks that the events are the same and that plain
// keys took the fast path.
func TestTTYInputFastPath(t *testing.T) {
	const pause = "<100 ms, the loop looks for the timer's ESC>"
	steps := []struct {
		read string
		fast bool // made without tcell's parser
	}{
		{"l", true}, {"s", true}, {" ", true}, {"-", true}, {"l", true}, {"a", true}, {"\r", true},
		{"\x7f", true}, {"\b", true}, {"\t", true}, {"\x03", true}, {"\x00", true}, {"\n", true},
		{"\x1b[D", false}, {"\x1b[D", false}, {"x", true},
		{"\x1bOA", false}, {"k", true},
		// vim: ESC, then a key once the parser gave the ESC up.
		{"\x1b", false}, {pause, false}, {"x", true},
		// Alt-x, and an arrow whose bytes came in two reads.
		{"\x1bx", false}, {"y", true},
		{"\x1b", false}, {"[A", false}, {"q", true},
		// Pastes: whole, then in three reads (the middle one plain).
		{"\x1b[200~echo hi\r\x1b[201~", false}, {"z", true},
		{"\x1b[200~ech", false}, {"o hi\tthere\r", true}, {"\x1b[201~", false},
		{"\xc3\xa9", false}, {"ab", true},
	}
	fast, slow := newTTYInput(-1), newTTYInput(-1)
	slow.noFastPath = true
	var got, want []string
	record := func(evs *[]string) func(tcell.Event) {
		return func(ev tcell.Event) { *evs = append(*evs, describe(ev)) }
	}
	counter := &countingParser{InputProcessor: fast.ip}
	fast.ip = counter
	for _, in := range []*ttyInput{fast, slow} {
		in.setSize(80, 24)
		awaitResize(in.q)
	}
	for _, s := range steps {
		if s.read == pause {
			time.Sleep(100 * time.Millisecond)
			fast.drain(record(&got))
			slow.drain(record(&want))
			continue
		}
		scans := counter.scans
		for _, in := range []*ttyInput{fast, slow} {
			evs := &got
			if in == slow {
				evs = &want
			}
			n := copy(in.buf[in.partial:], s.read)
			in.feed(time.Now(), n, record(evs))
		}
		if tookFast := counter.scans == scans; tookFast != s.fast {
			t.Errorf("%q: fast path %v, want %v", s.read, tookFast, s.fast)
		}
	}
	if !slices.Equal(got, want) {
		t.Fatalf("events with the fast path\n%q\nwithout\n%q", got, want)
	}
	for _, ev := range []string{"paste true", "paste false"} {
		if n := countOf(got, ev); n != 2 {
			t.Errorf("%d %q events, want 2", n, ev)
		}
	}
}

func countOf(list []string, s string) int {
	n := 0
	for _, e := range list {
		if e == s {
			n++
		}
	}
	return n
}

// BenchmarkTTYInputKey measures one typed key through the raw loop's
// terminal input: the byte read, made a key event and handed on; with the
// fast path and through tcell's parser.
func BenchmarkTTYInputKey(b *testing.B) {
	for _, m := range []struct {
		name string
		off  bool
	}{{"fast", false}, {"tcell", true}} {
		b.Run(m.name, func(b *testing.B) {
			in := newTTYInput(-1)
			in.noFastPath = m.off
			in.setSize(80, 24)
			awaitResize(in.q)
			var got tcell.Event
			handle := func(ev tcell.Event) { got = ev }
			now := time.Now()
			b.ReportAllocs()
			for i := 0; b.Loop(); i++ {
				cold.Sweep(b)
				in.buf[0] = byte('a' + i%26)
				in.feed(now, 1, handle)
			}
			if got == nil {
				b.Fatal("no key")
			}
		})
	}
}
