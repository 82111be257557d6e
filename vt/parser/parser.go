package parser

import (
	"encoding/binary"
	"unicode/utf8"
)

// state is a state of Paul Williams' DEC ANSI parser
// (https://vt100.net/emu/dec_ansi_parser). The names are his.
type state uint8

const (
	stateGround state = iota
	stateEscape
	stateEscapeIntermediate
	stateCSIEntry
	stateCSIParam
	stateCSIIntermediate
	stateCSIIgnore
	stateDCSEntry
	stateDCSParam
	stateDCSIntermediate
	stateDCSPassthrough
	stateDCSIgnore
	stateOSCString
	stateSOSPMAPCString
	numStates
)

var stateNames = [numStates]string{
	"ground", "escape", "escape_intermediate",
	"csi_entry", "csi_param", "csi_intermediate", "csi_ignore",
	"dcs_entry", "dcs_param", "dcs_intermediate", "dcs_passthrough", "dcs_ignore",
	"osc_string", "sos_pm_apc_string",
}

func (s state) String() string {
	if s < numStates {
		return stateNames[s]
	}
	return "state(?)"
}

// C0 and C1 controls that are part of the parser's own syntax.
const (
	bel = 0x07
	can = 0x18
	sub = 0x1a
	esc = 0x1b
	del = 0x7f

	c1DCS = 0x90
	c1SOS = 0x98
	c1CSI = 0x9b
	c1ST  = 0x9c
	c1OSC = 0x9d
	c1PM  = 0x9e
	c1APC = 0x9f
)

// Parser turns a byte stream into Performer calls. It decodes UTF-8 first
// and runs the decoded code points through the DEC ANSI state machine.
//
// A Parser holds the partial sequence (and partial UTF-8 code point) that a
// Write ended in, so the stream may be split anywhere between Writes. It is
// not safe for concurrent use.
type Parser struct {
	perf  Performer
	state state

	// UTF-8 decoder: need continuation bytes are still expected, each in
	// lo..hi (only the first one has narrowed bounds), building cp.
	need   uint8
	lo, hi byte
	cp     rune

	// afterString is set when an ESC ended an OSC, DCS or SOS/PM/APC
	// string, so that a following '\' completes ST instead of being
	// dispatched as ESC \.
	afterString bool

	// Sequence header being collected.
	seq       Sequence
	inter     [MaxIntermediates]byte
	nInter    uint8
	cur       int32 // parameter being accumulated
	curSub    bool  // cur follows a ':'
	hasParams bool  // a parameter byte was seen, so cur is pending

	// String bodies. They grow on first use (up to their bounds) and keep
	// their capacity, so a steady stream allocates nothing, while a parser
	// that never sees a string (a frame replica cloned per frame) costs no
	// 32 KiB of buffers.
	osc []byte
	dcs []byte

	one [1]byte // a single printable byte outside the fast path
}

// New returns a Parser in the ground state that reports to p.
func New(p Performer) *Parser {
	return &Parser{perf: p}
}

// Reset returns the parser to the ground state, dropping any partial
// sequence or UTF-8 code point without reporting it.
func (p *Parser) Reset() {
	p.state = stateGround
	p.need = 0
	p.afterString = false
	p.clear()
	p.osc = p.osc[:0]
	p.dcs = p.dcs[:0]
}

// Idle reports whether p holds nothing between writes: it is in the
// ground state with no partial sequence, string or code point, so a new
// Parser would parse what comes next exactly as p would.
func (p *Parser) Idle() bool {
	return p.state == stateGround && p.need == 0 && !p.afterString
}

// Attach resets p and makes it report to perf from now on, so that an
// idle Parser can be lent to one Performer after another (vt lends one to
// each new screen's first Write). A nil perf detaches it.
func (p *Parser) Attach(perf Performer) {
	p.Reset()
	p.perf = perf
}

// Write parses b. It never fails and always consumes all of b; a sequence
// or code point cut off at the end of b continues with the next Write.
func (p *Parser) Write(b []byte) (int, error) {
	i := 0
	for i < len(b) {
		c := b[i]
		if p.need == 0 {
			if c < 0x80 {
				if p.state == stateGround && c >= 0x20 && c < del {
					// Fast path: plain text goes out as whole runs.
					j := i + 1 + asciiRun(b[i+1:])
					p.perf.PrintASCII(b[i:j])
					i = j
					continue
				}
				if p.state == stateOSCString && c >= 0x20 && c < del {
					j := i + 1 + asciiRun(b[i+1:])
					p.osc = appendBounded(p.osc, b[i:j], MaxOSCLen)
					i = j
					continue
				}
				if (p.state == stateCSIEntry || p.state == stateCSIParam) && c-'0' <= ';'-'0' {
					// Parameter bytes, which dominate SGR-heavy output.
					p.startParams()
					cur, sub := p.cur, p.curSub
					for {
						if c >= ':' {
							p.seq.Params.Append(cur, sub)
							cur, sub = Missing, c == ':'
						} else {
							// max turns Missing (-1) into 0 at the first digit.
							cur = min(max(cur, 0)*10+int32(c-'0'), MaxParamValue)
						}
						i++
						if i == len(b) {
							break
						}
						if c = b[i]; c-'0' > ';'-'0' {
							break
						}
					}
					p.cur, p.curSub = cur, sub
					p.state = stateCSIParam
					continue
				}
				p.advance(rune(c))
				i++
				continue
			}
			// Whole valid code points decode in one step; anything
			// invalid or cut off takes the byte-at-a-time path below,
			// which implements maximal-subpart replacement.
			if r, n := utf8.DecodeRune(b[i:]); r != utf8.RuneError || n == 3 {
				p.advance(r)
				i += n
				continue
			}
			p.lead(c)
			i++
			continue
		}
		if c >= p.lo && c <= p.hi {
			p.cp = p.cp<<6 | rune(c&0x3f)
			p.lo, p.hi = 0x80, 0xbf
			p.need--
			i++
			if p.need == 0 {
				p.advance(p.cp)
			}
			continue
		}
		// A truncated sequence is one maximal subpart: one U+FFFD, and
		// c is looked at again as the start of something new.
		p.need = 0
		p.advance(utf8.RuneError)
	}
	return len(b), nil
}

// lead starts decoding a multi-byte UTF-8 sequence at c (≥ 0x80). The
// ranges for the first continuation byte are those of the Unicode Standard,
// table 3-7 (well-formed UTF-8 byte sequences): they exclude overlong forms,
// surrogates (ED A0–BF) and code points above U+10FFFF (F4 90–BF, F5–FF).
func (p *Parser) lead(c byte) {
	p.lo, p.hi = 0x80, 0xbf
	switch {
	case c >= 0xc2 && c <= 0xdf:
		p.need, p.cp = 1, rune(c&0x1f)
	case c == 0xe0:
		p.need, p.cp, p.lo = 2, rune(c&0x0f), 0xa0
	case c == 0xed:
		p.need, p.cp, p.hi = 2, rune(c&0x0f), 0x9f
	case c >= 0xe1 && c <= 0xef:
		p.need, p.cp = 2, rune(c&0x0f)
	case c == 0xf0:
		p.need, p.cp, p.lo = 3, rune(c&0x07), 0x90
	case c == 0xf4:
		p.need, p.cp, p.hi = 3, rune(c&0x07), 0x8f
	case c >= 0xf1 && c <= 0xf3:
		p.need, p.cp = 3, rune(c&0x07)
	default:
		// A continuation byte with no lead, C0/C1 lead bytes (overlong
		// two-byte forms) and F5–FF are each one maximal subpart.
		p.advance(utf8.RuneError)
	}
}

// asciiRun returns how many bytes at the start of b are printable ASCII
// (0x20–0x7E). It looks at eight bytes at a time.
func asciiRun(b []byte) int {
	const (
		ones  = 0x0101010101010101
		highs = 0x8080808080808080
	)
	i := 0
	for ; i+8 <= len(b); i += 8 {
		x := binary.LittleEndian.Uint64(b[i:])
		// Some byte < 0x20 (x - 0x20 borrows into its high bit), or
		// some byte > 0x7E (x + 1 carries into its high bit, or it
		// was already set). See "Determine if a word has a byte less
		// than/greater than n" in Sean Anderson's Bit Twiddling Hacks.
		lt := (x - ones*0x20) &^ x
		gt := (x + ones*(0x7f-0x7e)) | x
		if (lt|gt)&highs != 0 {
			break
		}
	}
	for ; i < len(b); i++ {
		if c := b[i]; c < 0x20 || c >= del {
			break
		}
	}
	return i
}

// appendBounded appends s to buf, dropping whatever would take it past max.
func appendBounded(buf, s []byte, max int) []byte {
	if room := max - len(buf); len(s) > room {
		s = s[:room]
	}
	return append(buf, s...)
}

// appendRuneBounded appends r as UTF-8, dropping it whole if it does not
// fit, so a truncated body never ends in a cut-off code point.
func appendRuneBounded(buf []byte, r rune, max int) []byte {
	if len(buf)+utf8.RuneLen(r) > max {
		return buf
	}
	return utf8.AppendRune(buf, r)
}

// clear is the "clear" action: forget the sequence header collected so far.
func (p *Parser) clear() {
	p.seq.Marker = 0
	p.seq.Final = 0
	p.seq.Params.Reset()
	p.nInter = 0
	p.cur = 0
	p.curSub = false
	p.hasParams = false
}

// collect is the "collect" action for intermediates; the excess is dropped.
func (p *Parser) collect(c byte) {
	if int(p.nInter) < MaxIntermediates {
		p.inter[p.nInter] = c
		p.nInter++
	}
}

// param is the "param" action, extended with ':' sub-parameter separators
// (ITU-T T.416 / ECMA-48 5th ed. §5.4.2 allow ':' inside a parameter).
func (p *Parser) param(c byte) {
	if c == ';' || c == ':' {
		p.seq.Params.Append(p.cur, p.curSub)
		p.cur = Missing
		p.curSub = c == ':'
		return
	}
	if p.cur == Missing {
		p.cur = 0
	}
	p.cur = min(p.cur*10+int32(c-'0'), MaxParamValue)
}

// startParams marks the start of the parameter string: the first parameter
// is empty until a digit arrives.
func (p *Parser) startParams() {
	if !p.hasParams {
		p.hasParams = true
		p.cur = Missing
	}
}

// header finishes the sequence header with final byte f.
func (p *Parser) header(f byte) *Sequence {
	if p.hasParams {
		p.seq.Params.Append(p.cur, p.curSub)
		p.hasParams = false
	}
	p.seq.Final = f
	p.seq.Intermediates = p.inter[:p.nInter]
	return &p.seq
}

// endString runs the exit action of the string state the parser is in:
// osc_end dispatches the OSC and unhook dispatches the DCS.
func (p *Parser) endString() {
	switch p.state {
	case stateOSCString:
		p.perf.OSC(p.osc)
		p.osc = p.osc[:0]
	case stateDCSPassthrough:
		p.perf.DCS(&p.seq, p.dcs)
		p.dcs = p.dcs[:0]
	}
}

// isString reports whether s is one of the states an ST ends.
func isString(s state) bool {
	return s == stateOSCString || s == stateDCSPassthrough ||
		s == stateDCSIgnore || s == stateSOSPMAPCString
}

// enter makes the transition to s, running its entry action.
func (p *Parser) enter(s state) {
	p.state = s
	switch s {
	case stateEscape, stateCSIEntry, stateDCSEntry:
		p.clear()
	case stateOSCString:
		p.osc = p.osc[:0]
	case stateDCSPassthrough:
		p.dcs = p.dcs[:0]
	}
}

// advance feeds one decoded code point to the state machine.
func (p *Parser) advance(r rune) {
	// "Anywhere" transitions: they apply in every state.
	switch {
	case r == can || r == sub:
		// Abort whatever was in progress, strings included, without
		// dispatching it (VT100: CAN/SUB cancel the sequence; SUB also
		// shows an error character, which is the Performer's business).
		p.abortString()
		p.afterString = false
		p.state = stateGround
		p.perf.Execute(r)
		return
	case r == esc:
		// An ESC ends a string: ESC \ is ST. Williams' exit actions
		// dispatch the string here; the '\' that follows is swallowed.
		p.afterString = isString(p.state)
		p.endString()
		p.enter(stateEscape)
		return
	case r >= 0x80 && r <= 0x9f:
		p.afterString = false
		p.c1(r)
		return
	}

	switch p.state {
	case stateGround:
		switch {
		case r < 0x20:
			p.perf.Execute(r)
		case r < del:
			p.one[0] = byte(r)
			p.perf.PrintASCII(p.one[:])
		case r == del:
			// Ignored, as a VT100 does (it was tape fill).
		default:
			p.perf.Print(r)
		}

	case stateEscape:
		st := p.afterString
		p.afterString = false
		switch {
		case r < 0x20:
			p.perf.Execute(r)
		case r < 0x30:
			p.collect(byte(r))
			p.state = stateEscapeIntermediate
		case r == '\\' && st:
			p.state = stateGround // ST after a string
		case r == '[':
			p.enter(stateCSIEntry)
		case r == ']':
			p.enter(stateOSCString)
		case r == 'P':
			p.enter(stateDCSEntry)
		case r == 'X' || r == '^' || r == '_':
			p.enter(stateSOSPMAPCString)
		case r < del:
			p.state = stateGround
			p.perf.Esc(p.inter[:0], byte(r))
		case r == del:
		default:
			p.unexpected(r)
		}

	case stateEscapeIntermediate:
		switch {
		case r < 0x20:
			p.perf.Execute(r)
		case r < 0x30:
			p.collect(byte(r))
		case r < del:
			p.state = stateGround
			p.perf.Esc(p.inter[:p.nInter], byte(r))
		case r == del:
		default:
			p.unexpected(r)
		}

	case stateCSIEntry, stateCSIParam, stateCSIIntermediate:
		p.csi(r)

	case stateCSIIgnore:
		switch {
		case r < 0x20:
			p.perf.Execute(r)
		case r >= 0x40 && r < del:
			p.state = stateGround
		}

	case stateDCSEntry, stateDCSParam, stateDCSIntermediate:
		p.dcsHeader(r)

	case stateDCSPassthrough:
		// C0 controls other than the syntax ones are part of the data
		// (Williams: "put"); DEL is ignored.
		if r != del {
			p.dcs = appendRuneBounded(p.dcs, r, MaxDCSLen)
		}

	case stateDCSIgnore, stateSOSPMAPCString:
		// Consumed up to ST and forgotten.

	case stateOSCString:
		switch {
		case r == bel:
			// xterm ends OSC at BEL as well as at ST.
			p.endString()
			p.state = stateGround
		case r < 0x20 || r == del:
			// Ignored.
		default:
			p.osc = appendRuneBounded(p.osc, r, MaxOSCLen)
		}
	}
}

// unexpected handles a printable non-ASCII code point inside an escape
// sequence, where 7-bit syntax is expected: the sequence is abandoned and
// the character printed, so that no text is lost.
func (p *Parser) unexpected(r rune) {
	p.state = stateGround
	p.perf.Print(r)
}

// abortString drops a string in progress without dispatching it.
func (p *Parser) abortString() {
	p.osc = p.osc[:0]
	p.dcs = p.dcs[:0]
}

// c1 performs the anywhere transitions of the 8-bit C1 controls, which
// arrive as the UTF-8 encoded code points U+0080–U+009F.
func (p *Parser) c1(r rune) {
	switch r {
	case c1ST:
		p.endString()
		p.state = stateGround
		return
	case c1CSI:
		p.endString()
		p.enter(stateCSIEntry)
	case c1OSC:
		p.endString()
		p.enter(stateOSCString)
	case c1DCS:
		p.endString()
		p.enter(stateDCSEntry)
	case c1SOS, c1PM, c1APC:
		p.endString()
		p.enter(stateSOSPMAPCString)
	default:
		p.endString()
		p.state = stateGround
		p.perf.Execute(r)
	}
}

// csi runs csi_entry, csi_param and csi_intermediate.
func (p *Parser) csi(r rune) {
	switch {
	case r < 0x20:
		// C0 controls execute without disturbing the sequence (a VT100
		// does this so that e.g. a BEL inside CSI still rings).
		p.perf.Execute(r)
	case r < 0x30: // intermediate
		p.collect(byte(r))
		p.state = stateCSIIntermediate
	case r < 0x3c: // digit, ':' or ';'
		if p.state == stateCSIIntermediate {
			p.state = stateCSIIgnore
			return
		}
		p.startParams()
		p.param(byte(r))
		p.state = stateCSIParam
	case r < 0x40: // private marker '<' '=' '>' '?'
		if p.state != stateCSIEntry {
			p.state = stateCSIIgnore
			return
		}
		p.seq.Marker = byte(r)
		p.state = stateCSIParam
	case r < del: // final
		p.state = stateGround
		p.perf.CSI(p.header(byte(r)))
	case r == del:
	default:
		// Non-ASCII text has no place in a control sequence.
		p.state = stateCSIIgnore
	}
}

// dcsHeader runs dcs_entry, dcs_param and dcs_intermediate. They mirror the
// CSI states, except that C0 controls are ignored and the final byte hooks
// the passthrough instead of dispatching.
func (p *Parser) dcsHeader(r rune) {
	switch {
	case r < 0x20:
		// Ignored.
	case r < 0x30:
		p.collect(byte(r))
		p.state = stateDCSIntermediate
	case r < 0x3c:
		if p.state == stateDCSIntermediate {
			p.state = stateDCSIgnore
			return
		}
		p.startParams()
		p.param(byte(r))
		p.state = stateDCSParam
	case r < 0x40:
		if p.state != stateDCSEntry {
			p.state = stateDCSIgnore
			return
		}
		p.seq.Marker = byte(r)
		p.state = stateDCSParam
	case r < del:
		p.header(byte(r))
		p.enter(stateDCSPassthrough)
	case r == del:
	default:
		p.state = stateDCSIgnore
	}
}
