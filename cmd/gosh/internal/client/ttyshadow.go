package client

import (
	"math/bits"
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
	// armStates are where a chunk's last ESC arms tcell's timer.
	armStates = parserSet(3)<<(2*psInit) | parserSet(3)<<(2*psCSI) | parserSet(3)<<(2*psSS3)
)

// tcell posts a lone ESC from a timer, 60 ms after an ESC that ended what
// it was given, if it has seen no later byte and 50 ms have passed since
// the last such ESC (its expire). escExpiry is that 50 ms with a margin
// for the clocks read at other moments than tcell's: the loop reads its
// clock once per wake-up, before the read, so the margin must cover the
// time from there to the parser's lock (a read and a chunk's handling).
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
}

func newParserShadow() parserShadow { return parserShadow{states: idle} }

// idle reports whether the parser is surely in its initial state, without
// a pending Alt: a plain byte then makes exactly plainKey's event.
func (p *parserShadow) idle() bool { return p.states == idle && !p.lost }

// feed follows the parser through one chunk given to ScanUTF8 at now.
func (p *parserShadow) feed(now time.Time, chunk []byte) {
	p.fed = true
	if p.states&escStates != 0 && !p.armedAt.IsZero() && now.Sub(p.armedAt) >= escExpiry {
		p.states |= idle // the timer may have posted the ESC meanwhile
	}
	for i, c := range chunk {
		if c == 0x1b && i == len(chunk)-1 && p.states&armStates != 0 {
			if p.states&^armStates == 0 || p.armedAt.IsZero() {
				p.armedAt = now
			} // else keep the earlier time: tcell may not have armed now
		}
		if c == '_' && p.states&(parserSet(3)<<(2*psCSI)) != 0 {
			p.lost = true
		}
		p.states = p.step(c)
	}
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
// leaves psInit with escaped cleared.
func (p *parserShadow) escTimedOut() {
	if !p.fed {
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
