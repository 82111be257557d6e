package parser

// Limits that keep a hostile stream from growing memory. Anything beyond them
// is dropped (extra parameters, intermediates) or truncated (string bodies);
// the sequence itself still completes so the stream stays in step.
const (
	MaxParams        = 32    // parameters and sub-parameters of one CSI/DCS, in total
	MaxIntermediates = 4     // intermediate bytes of one ESC/CSI/DCS
	MaxOSCLen        = 16384 // bytes of one OSC body (mosh uses the same bound)
	MaxDCSLen        = 16384 // bytes of one DCS body
	MaxParamValue    = 65535 // larger values saturate here
)

// Missing marks a parameter that was empty in the sequence (as in "CSI ;5H").
const Missing = -1

// Performer receives what the parser recognises. The parser calls it
// synchronously; slices passed to it are only valid during the call.
//
// The states and transitions follow Paul Williams' DEC ANSI parser
// (https://vt100.net/emu/dec_ansi_parser), with UTF-8 decoded before the
// state machine: code points ≥ U+00A0 behave like printable characters.
type Performer interface {
	// Print displays one printable code point (not ASCII 0x20–0x7E, which
	// arrive through PrintASCII). Invalid UTF-8 arrives as U+FFFD.
	Print(r rune)
	// PrintASCII displays a run of printable ASCII bytes (0x20–0x7E) in the
	// ground state. It is equivalent to calling Print for each byte, and
	// exists because plain text is most of any stream.
	PrintASCII(s []byte)
	// Execute performs a C0 control (0x00–0x1F except ESC) or a C1 control
	// (U+0080–U+009F, which arrive UTF-8 encoded; the 7-bit forms ESC D,
	// ESC E, ESC H, ESC M arrive through Esc instead). C0 controls inside
	// an ESC or CSI sequence execute without ending it, as on a VT; CAN
	// and SUB first abort any sequence or string in progress. The C1
	// controls that are syntax (CSI, OSC, DCS, SOS, PM, APC, ST) do not
	// reach Execute.
	Execute(c rune)
	// Esc dispatches a completed escape sequence: ESC, intermediates
	// (0x20–0x2F, e.g. '(' or '#'), then final (0x30–0x7E).
	Esc(intermediates []byte, final byte)
	// CSI dispatches a completed control sequence.
	CSI(seq *Sequence)
	// OSC dispatches an operating system command's body: the bytes between
	// "ESC ]" and the BEL or ST that ended it, truncated at MaxOSCLen.
	OSC(body []byte)
	// DCS dispatches a completed device control string: its header (marker,
	// params, intermediates, final) and body, truncated at MaxDCSLen.
	DCS(seq *Sequence, body []byte)
}

// Sequence is a parsed control sequence header (CSI, or the start of a DCS).
type Sequence struct {
	// Marker is the private-parameter byte ('<', '=', '>' or '?') that came
	// first, or 0.
	Marker byte
	// Intermediates are the bytes 0x20–0x2F before Final, at most
	// MaxIntermediates of them.
	Intermediates []byte
	Final         byte
	Params        Params
}

// Params holds a sequence's parameters. Parameters are separated by ';';
// each may carry sub-parameters separated by ':' (as in SGR 38:2::r:g:b).
// A parameter together with its sub-parameters is a group.
type Params struct {
	vals   [MaxParams]int32 // value, or Missing
	starts [MaxParams]uint8 // starts[g]: index in vals of group g's main value
	n      int              // entries used in vals
	groups int              // groups used in starts
}

// Len returns the number of groups (';'-separated parameters).
func (p *Params) Len() int { return p.groups }

// Group returns the i-th group: its main value followed by its
// sub-parameters, Missing where empty. It returns nil when i is out of range.
// Both Len and Group are O(1): SGR handlers call them once per parameter.
func (p *Params) Group(i int) []int32 {
	if i < 0 || i >= p.groups {
		return nil
	}
	end := p.n
	if i+1 < p.groups {
		end = int(p.starts[i+1])
	}
	return p.vals[p.starts[i]:end]
}

// At returns the main value of the i-th group, or def when that group is
// missing, empty, or out of range. Callers that treat 0 as the default (as
// cursor motions do) must check for 0 themselves.
func (p *Params) At(i int, def int) int {
	g := p.Group(i)
	if len(g) == 0 || g[0] == Missing {
		return def
	}
	return int(g[0])
}

// HasSub reports whether any parameter carries ':' sub-parameters.
func (p *Params) HasSub() bool { return p.n > p.groups }

// Reset empties p.
func (p *Params) Reset() { p.n, p.groups = 0, 0 }

// Append adds a value: a new group, or when sub is true a sub-parameter of
// the current group. Values beyond MaxParams are dropped.
func (p *Params) Append(v int32, sub bool) {
	if p.n == MaxParams {
		return
	}
	if !sub || p.n == 0 {
		p.starts[p.groups] = uint8(p.n)
		p.groups++
	}
	p.vals[p.n] = v
	p.n++
}
