package client

import (
	"math"
	"math/bits"
	"strconv"
	"time"

	"github.com/gdamore/tcell/v2"
)

// The raw loop's fast path around tcell's input parser (rawloop_linux.go):
// a typed key is one plain byte, and tcell's parser in its initial state
// turns it into one key event and stays there, yet going through it —
// copy, lock, parse, channel, drain — is one of the larger steps of a
// local echo (~8 µs cold). The loop makes those events itself, but only
// when it is sure of the parser's state, which tcell keeps to itself:
// parserShadow follows it, from the bytes given to the parser, as the set
// of states it may be in (tcell v2.13's input.go: scan, handleCsi,
// escTimeout).

// parserState is a state of tcell's parser, as far as the next byte's
// meaning goes. tcell's SOS, PM and APC strings all eat bytes up to ST or
// BEL (psString), and its ST state differs only by the string it ends.
type parserState uint8

const (
	psInit parserState = iota
	psEsc
	psCSI
	psOSC
	psSS2
	psSS3
	psString   // SOS, PM, APC
	psSTOSC    // ESC inside an OSC: ST, or more of the OSC
	psSTString // ESC inside the others
	psLFK      // after CSI [ (Linux console F-keys)
)

// parserSet is a set of (state, escaped) pairs, one bit each. escaped is
// tcell's flag for an ESC before another ESC: its next posted key gets
// ModAlt, and any post clears it. The resize event that SetSize posts
// from a goroutine clears it too, at a moment the shadow cannot know; it
// ignores that: a shadow that wrongly keeps escaped is only less sure,
// never wrongly sure, as escaped changes no state, only whether a post
// gets Alt.
type parserSet uint32

func one(s parserState, escaped bool) parserSet {
	bit := 2 * uint(s)
	if escaped {
		bit++
	}
	return 1 << bit
}

// mayPost is s after a step that may or may not post an event: a post
// clears escaped.
func mayPost(s parserState, escaped bool) parserSet { return one(s, escaped) | one(s, false) }

const (
	idle      = parserSet(1) // one(psInit, false): where plain keys are safe
	escStates = parserSet(3) << (2 * psEsc)
	csiStates = parserSet(3) << (2 * psCSI)
	// armStates are where a chunk's last ESC arms tcell's timer.
	armStates = parserSet(3)<<(2*psInit) | parserSet(3)<<(2*psCSI) | parserSet(3)<<(2*psSS3)
)

// tcell posts a lone ESC from a timer, 60 ms after an ESC that ended what
// it was given, if it has seen no later byte and 50 ms have passed since
// the last such ESC (its expire). escExpiry is that 50 ms with a margin
// for the clocks read at other moments than tcell's: the loop reads its
// clock before a read, and again before each chunk that finds the parser
// maybe holding an ESC (ttyInput.scan), so the margin must cover the time
// from there to the parser's lock (at most a read).
const escExpiry = 45 * time.Millisecond

// parserShadow follows tcell's input parser.
type parserShadow struct {
	states parserSet
	// lost is set for good once the parser may have made its nested
	// parser (win32-input-mode, CSI … _), whose states it does not follow.
	lost bool
	// armedAt is when an ESC may have last armed tcell's timer, the
	// earliest candidate when it is not sure (zero: never).
	armedAt time.Time
	// fed is set from a feed until the events it made have been drained:
	// a timer's ESC drained then may have come before the bytes.
	fed bool
	// key is the CSI sequence the parser may be in, for a win32 key's
	// repeat count; out holds feed's rewrites.
	key winKey
	out []byte
	// posts is how many events the bytes of the last feed may post.
	posts int
	// nested follows tcell's nested parser, once it may have one.
	nested *parserShadow
}

func newParserShadow() parserShadow { return parserShadow{states: idle} }

// idle reports whether the parser is surely in its initial state, without
// a pending Alt: a plain byte then makes exactly plainKey's event.
func (p *parserShadow) idle() bool { return p.states == idle && !p.lost }

// A win32-input-mode key (CSI Vk;Sc;Uc;Kd;Cs;Rc _) makes tcell post the
// key Rc times, holding its lock, into the loop's queue, which the loop
// drains only once ScanUTF8 has returned: a count beyond the queue's room
// (a pasted sequence: tcell parses inside pastes) would block the parser
// and hang the client, and a count up to 2^31 would keep it sending keys
// for minutes. No terminal sends such counts (Windows Terminal sends one
// sequence per repeat, Rc 1), and mosh and tmux know no win32 mode to
// compare with: feed passes at most maxKeyRepeat of a key's repeats, and
// ends a chunk before a key whose repeats would not fit in postRoom with
// the chunk's other events.
const (
	maxKeyRepeat = 512
	// postRoom is the most events of one chunk given to the parser; the
	// loop's queue has room for more (inputQueue), for the posts that are
	// no chunk's (the timer's ESC, SetSize's resize).
	postRoom = 768
)

// feed follows the parser through the bytes of chunk it is to be given at
// now, and returns them: chunk's first n bytes (n > 0), rewritten when a
// win32 key's repeat count must be bounded. Their events are one per
// byte at most, but for a key's repeats: maxKeyRepeat at most, and n ends
// before a key that could take them past postRoom (a chunk of the loop's,
// 256 bytes at most, makes postRoom events at most).
func (p *parserShadow) feed(now time.Time, chunk []byte) (scan []byte, n int) {
	p.fed = true
	if p.states&escStates != 0 && !p.armedAt.IsZero() && now.Sub(p.armedAt) >= escExpiry {
		p.states |= idle // the timer may have posted the ESC meanwhile
	}
	rewritten := false
	posts := 0
	for i, c := range chunk {
		if c == '_' && p.states&csiStates != 0 {
			if i > 0 && posts+maxKeyRepeat > postRoom {
				// Before bound, which moves the nested shadow on.
				p.posts = posts
				return p.scanned(chunk, i, rewritten), i
			}
			p.lost = true
			p.key.end()
			rpt, sub := p.bound(now)
			posts += rpt
			if sub != nil {
				if !rewritten {
					p.out = append(p.out[:0], chunk[:i]...)
					rewritten = true
				}
				for _, s := range sub {
					p.states = p.step(s) // never a last ESC: no timer
				}
				p.out = append(p.out, sub...)
				continue
			}
		} else {
			posts++
		}
		if c == 0x1b && i == len(chunk)-1 && p.states&armStates != 0 {
			if p.states&^armStates == 0 || p.armedAt.IsZero() {
				p.armedAt = now
			} // else keep the earlier time: tcell may not have armed now
		}
		p.follow(c)
		if rewritten {
			p.out = append(p.out, c)
		}
	}
	p.posts = posts
	return p.scanned(chunk, len(chunk), rewritten), len(chunk)
}

// scanned is what feed gives the parser of chunk's first n bytes.
func (p *parserShadow) scanned(chunk []byte, n int, rewritten bool) []byte {
	if rewritten {
		return p.out
	}
	return chunk[:n]
}

// follow steps the set through c, and the sequence the parser may be in.
func (p *parserShadow) follow(c byte) {
	switch {
	case c == '[' && p.states&escStates != 0:
		p.key = winKey{} // a CSI begins, in the states that were Esc
	case c >= 0x20 && c <= 0x3f && p.states&csiStates != 0:
		p.key.add(c)
	}
	p.states = p.step(c)
}

// bound is, for a CSI _ the parser may be in, how many events it may post
// (maxKeyRepeat at most) and, when its repeat count is beyond
// maxKeyRepeat, the bytes to give the parser instead of the '_'. Those end the sequence unposted (ESC
// restarts a sequence, and ESC \ is then a stray ST, which tcell drops;
// the shadow follows them through the set's other states too); when the
// parser is surely in the sequence, a copy of the key with maxKeyRepeat
// repeats follows. When it may also not be (its timer may have posted an
// ESC before the '['), the key is dropped: a copy would be bytes the user
// never sent.
func (p *parserShadow) bound(now time.Time) (rpt int, sub []byte) {
	if c, ok := p.key.nestedByte(); ok {
		return p.boundNested(now, c)
	}
	rpt = p.key.repeat()
	if rpt <= maxKeyRepeat {
		return max(rpt, 1), nil
	}
	sub = []byte("\x1b\\")
	if p.states&^csiStates != 0 {
		return 2, sub
	}
	sub = append(sub, "\x1b["...)
	for _, v := range p.key.p[:5] {
		sub = strconv.AppendInt(sub, int64(v), 10)
		sub = append(sub, ';')
	}
	sub = strconv.AppendInt(sub, maxKeyRepeat, 10)
	return maxKeyRepeat, append(sub, '_')
}

// boundNested is bound for a win32 key that gives tcell's nested parser
// byte c (a doubly encoded sequence: one key per byte): the nested
// parser's keys are bounded as the parser's are, and a rewrite of its
// bytes goes to it as keys of their own. When the parser may not be in
// the key's sequence, the key is dropped: the nested parser may or may
// not get c, and its shadow could not follow.
func (p *parserShadow) boundNested(now time.Time, c byte) (rpt int, sub []byte) {
	sub = []byte("\x1b\\")
	if p.states&^csiStates != 0 {
		return 2, sub
	}
	if p.nested == nil {
		n := newParserShadow()
		p.nested = &n
	}
	scan, _ := p.nested.feed(now, []byte{c})
	if len(scan) == 1 {
		return max(p.nested.posts, 1), nil
	}
	for _, b := range scan {
		sub = append(sub, "\x1b[0;0;"...)
		sub = strconv.AppendInt(sub, int64(b), 10)
		sub = append(sub, ";1;0;1_"...)
	}
	return p.nested.posts, sub
}

// winKey is the CSI sequence the parser may be in, parsed as tcell's
// handleCsi parses it, as far as a win32 key's repeat count goes.
type winKey struct {
	params  int    // parameter bytes so far
	lt      bool   // the first is '<' (tcell skips it)
	numeric bool   // the rest begins with a digit (or tcell parses none)
	interm  bool   // an intermediate byte (tcell ignores the sequence)
	p       [6]int // the first six values: Vk, Sc, Uc, Kd, Cs, Rc
	n       int    // values so far
	v       int64  // the part being read
	digits  int    // its length
	bad     bool   // it is no int32 (tcell skips it, as an empty one)
}

// add takes a parameter or intermediate byte of the sequence.
func (k *winKey) add(c byte) {
	if c < 0x30 {
		k.interm = true
		return
	}
	k.params++
	if k.params == 1 && c == '<' {
		k.lt = true
		return
	}
	if k.params == 1 || k.params == 2 && k.lt {
		k.numeric = c >= '0' && c <= '9'
	}
	switch {
	case c == ';':
		k.end()
	case c >= '0' && c <= '9' && !k.bad:
		k.v = k.v*10 + int64(c-'0')
		k.bad = k.v > math.MaxInt32
		k.digits++
	default:
		k.bad = true
		k.digits++
	}
}

// end ends a part of the parameters (strconv.ParseInt(part, 10, 32)).
func (k *winKey) end() {
	if k.digits > 0 && !k.bad {
		if k.n < len(k.p) {
			k.p[k.n] = int(k.v)
		}
		k.n++
	}
	k.v, k.digits, k.bad = 0, 0, false
}

// nestedByte is the byte that tcell's handleWinKey gives its nested
// parser for the ended sequence, if it does: a key down with Vk and Sc 0
// and an ASCII Uc.
func (k *winKey) nestedByte() (byte, bool) {
	if k.interm || !k.numeric || k.n < 4 || k.p[3] == 0 {
		return 0, false
	}
	if k.p[0] != 0 || k.p[1] != 0 || k.p[2] <= 0 || k.p[2] >= 0x80 {
		return 0, false
	}
	return byte(k.p[2]), true
}

// repeat is how many times tcell's handleWinKey may post the ended
// sequence's key (0: it is no win32 key, and posts at most once).
func (k *winKey) repeat() int {
	if k.interm || !k.numeric || k.n < len(k.p) {
		return 0
	}
	return max(1, k.p[5])
}

// step is the set after byte c from any state of the set.
func (p *parserShadow) step(c byte) parserSet {
	if c >= 0x80 {
		return idle // every byte of a UTF-8 character (or not) posts a rune
	}
	var next parserSet
	for set := p.states; set != 0; set &= set - 1 { // each member
		bit := bits.TrailingZeros32(uint32(set))
		next |= stepOne(parserState(bit/2), bit%2 == 1, c)
	}
	return next
}

// stepOne is tcell's scan for one byte below 0x80 in state s.
func stepOne(s parserState, escaped bool, c byte) parserSet {
	const esc, bel = 0x1b, 0x07
	switch s {
	case psInit:
		if c == esc {
			return one(psEsc, escaped)
		}
		return idle // every other byte posts a key
	case psEsc:
		switch c {
		case '[':
			return one(psCSI, escaped)
		case ']':
			return one(psOSC, escaped)
		case 'N':
			return one(psSS2, escaped)
		case 'O':
			return one(psSS3, escaped)
		case 'X', '^', '_':
			return one(psString, escaped)
		case '\\':
			return one(psInit, escaped) // a stray ST: nothing posted
		case esc:
			return one(psEsc, true)
		}
		return idle // Backtab, or the byte with Alt
	case psCSI:
		switch {
		case c == esc:
			return one(psEsc, escaped)
		case c >= 0x20 && c <= 0x3f: // parameters, intermediates
			return one(psCSI, escaped)
		case c == '[': // after intermediates, handleCsi drops it
			return one(psLFK, escaped) | one(psInit, escaped)
		case c >= 0x40: // the final byte: handleCsi may post an event
			return mayPost(psInit, escaped)
		}
		return one(psInit, escaped) // a control cancels the sequence
	case psSS2:
		return one(psInit, escaped)
	case psSS3:
		if c == esc {
			return one(psEsc, escaped)
		}
		return mayPost(psInit, escaped) // a key if tcell knows it
	case psString, psOSC:
		st, str := psSTString, psString
		if s == psOSC {
			st, str = psSTOSC, psOSC
		}
		switch c {
		case esc:
			return one(st, escaped)
		case bel:
			return endString(s, escaped)
		}
		return one(str, escaped)
	case psSTString, psSTOSC:
		if c == '\\' || c == bel {
			return endString(s, escaped)
		}
		if s == psSTOSC {
			return one(psOSC, escaped)
		}
		return one(psString, escaped)
	case psLFK:
		return mayPost(psInit, escaped) // an F-key for A to E
	}
	panic("client: unknown parser state")
}

// endString is the state after a string's BEL or ST: an OSC may post a
// clipboard event (handleOsc).
func endString(s parserState, escaped bool) parserSet {
	if s == psOSC || s == psSTOSC {
		return mayPost(psInit, escaped)
	}
	return one(psInit, escaped)
}

// escTimedOut is told that tcell's timer posted a lone ESC. Unless bytes
// were fed since the last drain (the ESC may have come before them), the
// parser is back in its initial state: the timer fires only in psEsc and
// leaves psInit with escaped cleared. Once there may be a nested parser,
// the ESC may be its timer's.
func (p *parserShadow) escTimedOut() {
	if !p.fed && !p.lost {
		p.states = idle
	}
}

// drained is told that every event of the fed bytes has been handed on.
func (p *parserShadow) drained() { p.fed = false }

// plainByte reports whether c is a byte that tcell's parser, in its
// initial state, turns into one key event and stays there: below 0x80
// (no UTF-8 decoding) and not ESC.
func plainByte(c byte) bool { return c < 0x80 && c != 0x1b }

// plainKey is the event tcell's parser makes of plainByte c in its
// initial state (inputProcessor.scan, inpStateInit).
func plainKey(c byte) *tcell.EventKey {
	switch c {
	case '\t':
		return tcell.NewEventKey(tcell.KeyTab, 0, tcell.ModNone)
	case '\b', 0x7f:
		return tcell.NewEventKey(tcell.KeyBackspace, 0, tcell.ModNone)
	case '\r':
		return tcell.NewEventKey(tcell.KeyEnter, 0, tcell.ModNone)
	}
	if c < ' ' {
		return tcell.NewEventKey(tcell.KeyCtrlSpace+tcell.Key(c), 0, tcell.ModCtrl)
	}
	return tcell.NewEventKey(tcell.KeyRune, rune(c), tcell.ModNone)
}
