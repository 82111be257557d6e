package client

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/gdamore/tcell/v2"
)

// parserPair runs tcell's input parser and a shadow of it side by side,
// as the raw loop does: the shadow sees every chunk the parser is given,
// and the events are drained after each.
type parserPair struct {
	t      testing.TB
	ip     tcell.InputProcessor
	q      chan tcell.Event
	shadow parserShadow
	log    []string // what was done, for a failure's message
	// keepLost goes on once the shadow has lost the parser (its nested
	// parser). Random streams stop there: nothing is left to check.
	keepLost bool
}

func newParserPair(t testing.TB) *parserPair {
	q := make(chan tcell.Event, 1024)
	return &parserPair{t: t, ip: tcell.NewInputProcessor(q), q: q, shadow: newParserShadow()}
}

// feed gives chunk to both, in the pieces and with the rewrites the
// shadow makes of it, and reports whether it did.
func (p *parserPair) feed(chunk string) bool {
	p.log = append(p.log, fmt.Sprintf("%q", chunk))
	for b := []byte(chunk); len(b) > 0; {
		scan, n := p.shadow.feed(time.Now(), b)
		if p.shadow.lost && !p.keepLost {
			return false
		}
		b = b[n:]
		p.ip.ScanUTF8(scan)
		p.drain()
		p.shadow.drained()
	}
	return true
}

// drain takes the parser's events as the loop's drain does, telling the
// shadow of an ESC that tcell's timer posted.
func (p *parserPair) drain() []tcell.Event {
	var evs []tcell.Event
	for {
		select {
		case ev := <-p.q:
			if k, ok := ev.(*tcell.EventKey); ok && k.Key() == tcell.KeyEsc && k.Modifiers() == tcell.ModNone {
				p.shadow.escTimedOut()
			}
			evs = append(evs, ev)
		default:
			return evs
		}
	}
}

// pause waits past tcell's ESC timer; with drained, the loop looks for
// its event before the next read.
func (p *parserPair) pause(drained bool) {
	p.log = append(p.log, fmt.Sprintf("pause (drained %v)", drained))
	time.Sleep(70 * time.Millisecond) // tcell's timer: 60 ms
	if drained {
		p.drain()
	}
}

// checkPlain is the fast path's claim: when the shadow says the parser is
// idle, plain byte c makes exactly plainKey(c), and nothing else. The
// shadow is not fed c, as the fast path does not feed it.
func (p *parserPair) checkPlain(c byte) {
	p.t.Helper()
	if !p.shadow.idle() {
		return
	}
	p.ip.ScanUTF8([]byte{c})
	evs := p.drain()
	want := plainKey(c)
	if len(evs) != 1 || !sameKey(evs[0], want) {
		var got []string
		for _, ev := range evs {
			got = append(got, keyString(ev))
		}
		p.t.Fatalf("after %s the shadow said idle, but %q made %q, not %q",
			strings.Join(p.log, " "), c, got, keyString(want))
	}
	p.log = append(p.log, fmt.Sprintf("plain %q", c))
}

// keyString names an event by what the fast path makes.
func keyString(ev tcell.Event) string {
	if k, ok := ev.(*tcell.EventKey); ok {
		return fmt.Sprintf("key %d %q %d", k.Key(), k.Rune(), k.Modifiers())
	}
	return fmt.Sprintf("%T", ev)
}

func sameKey(ev tcell.Event, want *tcell.EventKey) bool {
	k, ok := ev.(*tcell.EventKey)
	return ok && k.Key() == want.Key() && k.Rune() == want.Rune() && k.Modifiers() == want.Modifiers()
}

// shadowTokens are what the random streams are made of: keys, the bytes
// of escape sequences (and their pieces), strings, UTF-8 and stray bytes.
var shadowTokens = []string{
	"a", "Z", "~", " ", "0", "1", "7", ";", "<", "[", "O", "]", "N", "X", "^", "_", "\\", "P", "A", "E", "u", "M", "m", "I",
	"\x1b", "\x1b", "\x1b", "\x1b", "\x1b[", "\x1bO", "\x1b]", "\x1b\x1b", "\x1b[[", "\x1b[!",
	"\t", "\r", "\n", "\b", "\x7f", "\x00", "\x01", "\x07", "\x07",
	"\xc3\xa9", "\x80", "\xff", "\xe2\x82",
	"200~", "201~", "27;5;9~", "<0;3;4M", "52;c;aGk=", "0;0;97;1;0;1_",
}

func randomPlain(r *rand.Rand) byte {
	for {
		if c := byte(r.IntN(0x80)); plainByte(c) {
			return c
		}
	}
}

// TestParserShadowMatchesTCell drives tcell's parser and the shadow with
// random streams in random chunks, now and then waiting out tcell's ESC
// timer, and checks the fast path's claim wherever the shadow makes it.
func TestParserShadowMatchesTCell(t *testing.T) {
	streams, pauses := 3000, 30
	if testing.Short() {
		streams, pauses = 500, 5
	}
	r := rand.New(rand.NewPCG(1, 2))
	idle := 0
	for range streams {
		p := newParserPair(t)
		for range 30 {
			if r.IntN(streams*30/pauses) == 0 {
				p.pause(r.IntN(2) == 0)
			}
			var chunk strings.Builder
			for range 1 + r.IntN(4) {
				chunk.WriteString(shadowTokens[r.IntN(len(shadowTokens))])
			}
			if !p.feed(chunk.String()) {
				break
			}
			if p.shadow.idle() {
				idle++
			}
			p.checkPlain(randomPlain(r))
		}
	}
	t.Logf("the shadow was sure after %d chunks of %d", idle, streams*30)
	// The test says nothing if the shadow is never sure.
	if idle < streams*30/4 {
		t.Fatalf("the shadow was sure of the idle state after %d chunks of %d", idle, streams*30)
	}
}

// TestParserShadowTimer checks the shadow around tcell's ESC timer and its
// nested parser, with the waits the random test rarely makes.
func TestParserShadowTimer(t *testing.T) {
	const (
		pause       = "<pause>"        // the timer fires, the loop has not looked
		pauseDrain  = "<pause, drain>" // the loop took the timer's ESC
		wantIdle    = "<idle>"         // the shadow must be sure now
		wantNotIdle = "<not idle>"     // and must not
		check       = "<plain bytes>"  // the fast path's claim, if made
	)
	for _, steps := range [][]string{
		// vim: ESC, then a key after the timeout; the loop drained the
		// timer's ESC, so the key is plain.
		{"\x1b", pauseDrain, wantIdle, check, "x", wantIdle, check},
		// Two ESCs apart, the second before the timeout: one ESC is posted.
		{"\x1b", "\x1b", pauseDrain, wantIdle, check},
		// The timer fired unseen: the next bytes may follow it, or the ESC.
		{"\x1b", pause, "N", "\x1b", check},
		{"\x1b", pause, "N\x1b", check},
		{"\x1b", pause, "x\x1b", wantNotIdle, check},
		{"\x1b", pause, "x", wantIdle, check},
		// An ESC not at a chunk's end arms no timer.
		{"\x1b\x1b", pauseDrain, wantNotIdle, check, "a", wantIdle, check},
		// The timer is armed from CSI and SS3 too; and after two ESCs
		// the first's timer still counts.
		{"\x1b[1", "\x1b", pauseDrain, wantIdle, check},
		{"\x1b[1", "\x1b", pause, "N\x1b", check},
		{"\x1bO", "\x1b", pause, "N\x1b", check},
		{"\x1b", "\x1b\x1b", pause, "[", "\x1b", check},
		// An ESC that may or may not have armed the timer (the first one
		// may have fired): the timer that may fire first counts. (The
		// second ESC must come between tcell's 50 and 60 ms to tell.)
		{"\x1b", "<sleep 48ms>", "\x1b", "<sleep 25ms>", "N\x1b[", check},
		// CSI [ is a Linux F-key's, but not after an intermediate byte.
		{"\x1b[ [", "\x1b", check},
		// ESC ESC then a string's end: Alt stays pending.
		{"\x1b\x1b\\", wantNotIdle, check, "a", wantIdle, check},
		{"\x1b\x1b[99z", wantNotIdle, check},
		// win32-input-mode's nested parser, holding an ESC of its own:
		// its timer's ESC says nothing of the outer parser.
		{"\x1b[0;0;27;1;0;1_", "\x1b[", pauseDrain, check, "a", check},
		// Typing, pastes, arrows, Alt.
		{"l", "s", wantIdle, "\x1b[200~a\tb\x1b[201~", wantIdle, check, "\x1b[D", wantIdle, "\x1bx", wantIdle, check},
	} {
		t.Run(strings.Join(steps, "|"), func(t *testing.T) {
			p := newParserPair(t)
			p.keepLost = true
			for _, s := range steps {
				switch s {
				case pause, pauseDrain:
					p.pause(s == pauseDrain)
				case wantIdle, wantNotIdle:
					if p.shadow.idle() != (s == wantIdle) {
						t.Fatalf("after %s: idle %v", strings.Join(p.log, " "), p.shadow.idle())
					}
				case check:
					for c := range byte(0x80) {
						if plainByte(c) {
							p.checkPlain(c)
						}
					}
				default:
					if d, ok := strings.CutPrefix(s, "<sleep "); ok {
						d, err := time.ParseDuration(strings.TrimSuffix(d, ">"))
						if err != nil {
							t.Fatal(err)
						}
						p.log = append(p.log, s)
						time.Sleep(d)
						continue
					}
					p.feed(s)
				}
			}
		})
	}
}

// FuzzParserShadow is TestParserShadowMatchesTCell's check on the
// fuzzer's streams: data cut into chunks at cuts, the fast path's claim
// tried after each with a plain byte from the cut.
func FuzzParserShadow(f *testing.F) {
	f.Add([]byte("ls -la\r\x1b[D\x1bx"), []byte{0, 0, 2, 3, 1})
	f.Add([]byte("\x1b\x1b\\a\x1b[200~ab\x1b[201~"), []byte{2, 0, 1, 5})
	f.Add([]byte("\x1b]52;c;aGk=\x07\x1b]0;t\x1b\\q"), []byte{3, 9, 1, 4, 2})
	f.Add([]byte("\x1bN\x1b\x1b[[A\x1bOAx\xc3\xa9\x1b_x\x1b\\"), []byte{1, 1, 3, 2, 0, 3, 2})
	f.Add([]byte("\x1b[65;0;97;1;0;5000_\x1b[<65;;0;98;1;0;900_a"), []byte{3, 15, 4, 15})
	f.Fuzz(func(t *testing.T, data, cuts []byte) {
		if len(data) > 4<<10 {
			return
		}
		p := newParserPair(t)
		for i := 0; len(data) > 0; i++ {
			n, c := min(len(data), 64), byte('a') // the queue holds a chunk's events
			if i < len(cuts) {
				n = min(n, int(cuts[i]%16)+1)
				if plainByte(cuts[i] & 0x7f) {
					c = cuts[i] & 0x7f
				}
			}
			if !p.feed(string(data[:n])) {
				return
			}
			data = data[n:]
			p.checkPlain(c)
		}
	})
}

// TestParserShadowBoundsKeyRepeats checks feed's rewrites of win32 keys
// whose repeat counts it bounds, against the keys tcell makes of them:
// the parameters read as tcell reads them, a key clamped to maxKeyRepeat
// where the parser is surely in the sequence, dropped where it may not be.
func TestParserShadowBoundsKeyRepeats(t *testing.T) {
	clamped := fmt.Sprintf("\x1b\\\x1b[65;0;97;1;0;%d_", maxKeyRepeat)
	for _, tc := range []struct {
		in, scan string
		keys     int  // 'a' keys made
		maybeEsc bool // the parser's timer may have posted its ESC
	}{
		{"\x1b[65;0;97;1;0;5000_", "\x1b[65;0;97;1;0;5000" + clamped, maxKeyRepeat, false},
		{"\x1b[65;0;97;1;0;512_", "\x1b[65;0;97;1;0;512_", 512, false},
		// tcell skips '<', empty parts and parts that are no int32.
		{"\x1b[<65;;0;97;1;0;9999999999;5000_", "\x1b[<65;;0;97;1;0;9999999999;5000" + clamped, maxKeyRepeat, false},
		{"\x1b[65;0;97;1;0;9999999999_", "\x1b[65;0;97;1;0;9999999999_", 1, false},
		{"\x1b[65;0;97;1;0;50:00_", "\x1b[65;0;97;1;0;50:00_", 1, false},
		// Ignored by tcell: an intermediate byte, parameters that begin
		// with no digit.
		{"\x1b[65;0;97;1;0 ;5000_", "\x1b[65;0;97;1;0 ;5000_", 0, false},
		{"\x1b[?65;0;97;1;0;5000_", "\x1b[?65;0;97;1;0;5000_", 0, false},
		// ESC, then the rest once the timer may have fired: either a
		// win32 key (not if the timer fired) or keys ending in '_'.
		{"[65;0;97;1;0;5000_", "[65;0;97;1;0;5000\x1b\\", 0, true},
	} {
		q := make(chan tcell.Event, 8192) // holds an unbounded key's repeats
		ip := tcell.NewInputProcessor(q)
		shadow := newParserShadow()
		if tc.maybeEsc {
			ip.ScanUTF8([]byte("\x1b"))
			shadow.feed(time.Now().Add(-time.Second), []byte("\x1b"))
		}
		var scan []byte
		for b := []byte(tc.in); len(b) > 0; {
			s, n := shadow.feed(time.Now(), b)
			scan = append(scan, s...)
			b = b[n:]
		}
		if string(scan) != tc.scan {
			t.Errorf("%q: the parser is given %q, want %q", tc.in, scan, tc.scan)
			continue
		}
		ip.ScanUTF8(scan)
		keys := 0
		for len(q) > 0 {
			if k, ok := (<-q).(*tcell.EventKey); ok && k.Rune() == 'a' {
				keys++
			}
		}
		if keys != tc.keys {
			t.Errorf("%q: tcell made %d keys of %q, want %d", tc.in, keys, scan, tc.keys)
		}
	}
}
