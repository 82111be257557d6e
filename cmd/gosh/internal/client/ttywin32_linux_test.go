package client

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/gdamore/tcell/v2"
	"golang.org/x/sys/unix"
)

// TestTTYInputPastedWin32Key pastes win32-input-mode keys with large
// repeat counts (tcell parses inside pastes, and posts a key its repeat
// count times while it holds the loop's parse) through the raw loop's
// terminal input, and checks that the read returns, with each key's
// repeats bounded, and that the keys typed after the paste arrive, after
// it. Unbounded, the parser would fill its queue, which the loop drains
// only once the parser has returned, and the client would hang.
func TestTTYInputPastedWin32Key(t *testing.T) {
	const key = "\x1b[65;0;97;1;0;%d_" // 'a', key down, repeated
	for _, tc := range []struct {
		name    string
		paste   string
		repeats int // 'a' keys made
	}{
		{"5000 repeats", fmt.Sprintf(key, 5000), maxKeyRepeat},
		{"2^31-1 repeats", fmt.Sprintf(key, 1<<31-1), maxKeyRepeat},
		{"20 keys of 1024 in a chunk", strings.Repeat(fmt.Sprintf(key, 1024), 20), 20 * maxKeyRepeat},
		{"a repeat that fits", fmt.Sprintf(key, 3), 3},
		// Doubly encoded (some terminals send each byte of a sequence
		// as a key of Vk 0): tcell parses the bytes in a nested parser.
		{"5000 repeats, doubly encoded", doublyEncoded(fmt.Sprintf(key, 5000)), maxKeyRepeat},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var fds [2]int
			if err := unix.Pipe2(fds[:], unix.O_NONBLOCK|unix.O_CLOEXEC); err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { unix.Close(fds[0]); unix.Close(fds[1]) })
			in := newTTYInput(fds[0])
			in.setSize(80, 24)
			awaitResize(in.q)

			var got []string
			handle := func(ev tcell.Event) { got = append(got, describe(ev)) }
			read := func(typed string) {
				t.Helper()
				if _, err := unix.Write(fds[1], []byte(typed)); err != nil {
					t.Fatal(err)
				}
				done := make(chan error, 1)
				go func() {
					_, err := in.read(time.Now(), handle)
					done <- err
				}()
				select {
				case err := <-done:
					if err != nil {
						t.Fatal(err)
					}
				case <-time.After(10 * time.Second):
					t.Fatalf("reading %q did not return: the parser is blocked", typed)
				}
			}
			read("\x1b[200~x" + tc.paste + "y\x1b[201~ok")
			read("!")

			key := func(r rune) string { return describe(tcell.NewEventKey(tcell.KeyRune, r, tcell.ModNone)) }
			want := []string{"paste true", key('x')}
			for range tc.repeats {
				want = append(want, key('a'))
			}
			want = append(want, key('y'), "paste false", key('o'), key('k'), key('!'))
			if !slices.Equal(got, want) {
				t.Fatalf("%d events, want %d: first %q, last %q",
					len(got), len(want), got[:min(len(got), 4)], got[max(0, len(got)-6):])
			}
		})
	}
}

// TestTTYInputEscTimerBetweenChunks has tcell's ESC timer fire between two
// chunks of one read, while the loop hands on the first chunk's events:
// the shadow must judge the second chunk by its own time, not the read's,
// or it would miss that the timer may have posted the ESC, take the
// parser for idle after "N ESC" (it would be, had the N followed the ESC)
// and pass the next key on as a plain x when tcell makes it Alt-x.
func TestTTYInputEscTimerBetweenChunks(t *testing.T) {
	in := newTTYInput(-1)
	in.setSize(80, 24)
	awaitResize(in.q)
	first := strings.Repeat("a", ttyChunk-1) + "\x1b" // a chunk ending in ESC
	var got []string
	handle := func(ev tcell.Event) {
		if len(got) == 0 {
			// Slow with the first event until tcell's timer has posted
			// the ESC after the chunk's other events.
			deadline := time.Now().Add(10 * time.Second)
			for len(in.q) < ttyChunk-1 {
				if time.Now().After(deadline) {
					t.Fatal("tcell's timer never posted the ESC")
				}
				time.Sleep(time.Millisecond)
			}
		}
		got = append(got, describe(ev))
	}
	now := time.Now()
	n := copy(in.buf, first+"N\x1b")
	in.feed(now, n, handle)
	n = copy(in.buf, "x")
	in.feed(now, n, handle)
	time.Sleep(100 * time.Millisecond) // tcell's timer, had it an ESC
	in.drain(handle)

	var want []string
	for range ttyChunk - 1 {
		want = append(want, describe(tcell.NewEventKey(tcell.KeyRune, 'a', tcell.ModNone)))
	}
	want = append(want,
		describe(tcell.NewEventKey(tcell.KeyEsc, 0, tcell.ModNone)),
		describe(tcell.NewEventKey(tcell.KeyRune, 'N', tcell.ModNone)),
		describe(tcell.NewEventKey(tcell.KeyRune, 'x', tcell.ModAlt)))
	if !slices.Equal(got, want) {
		t.Fatalf("events end with %q, want %q", got[max(0, len(got)-4):], want[len(want)-4:])
	}
}

// doublyEncoded is s as win32 keys of Vk 0, one per byte.
func doublyEncoded(s string) string {
	var b strings.Builder
	for _, c := range []byte(s) {
		fmt.Fprintf(&b, "\x1b[0;0;%d;1;0;1_", c)
	}
	return b.String()
}
