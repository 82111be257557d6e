package input

import (
	"unicode/utf8"
)

// The client's input is what an xterm-compatible terminal sends (xterm
// ctlseqs, "PC-Style Function Keys", "Mouse Tracking", "Bracketed Paste
// Mode", "FocusIn/FocusOut"):
//
//	a b … é          characters (UTF-8)
//	^A … ^Z DEL      control keys (C-a …, BSpace)
//	ESC x            Meta/Alt x (M-x)
//	CSI [1;m] A–D H F  cursor keys; SS3 A–D H F in application cursor mode
//	SS3 P–S, CSI n ~   function and editing keys, with ;m modifiers
//	SS3 j–y M X        keypad in application keypad mode (DECKPAM)
//	CSI < b;x;y M/m    SGR (1006) mouse report
//	CSI M b x y        X10 / normal (1000) mouse report: three raw bytes
//	CSI b;x;y M        URXVT (1015) mouse report
//	CSI I, CSI O       focus in, focus out (1004)
//	CSI 200~ … CSI 201~  a bracketed paste (2004)

// evKind is the kind of one parsed input event.
type evKind uint8

const (
	evKey evKind = iota
	evMouse
	evFocusIn
	evFocusOut
	evPasteStart
)

// event is one parsed input event. raw is the bytes it came from (a
// sub-slice of the buffer being parsed).
type event struct {
	kind  evKind
	key   Key
	mouse Mouse
	raw   []byte
}

// maxSeq bounds an escape sequence: a longer "CSI …" is no key a terminal
// sends and is passed on as bytes rather than buffered without limit.
const maxSeq = 64

// parseEvent parses one event at the start of b (len(b) > 0). It returns
// the number of bytes used, or 0 when b holds only the beginning of a
// sequence and more bytes may complete it. With final set (the escape
// timeout passed, or no more input is coming) it never returns 0: a lone
// ESC is the Escape key and an incomplete sequence is taken as M- and the
// byte after ESC.
func parseEvent(b []byte, final bool) (event, int) {
	c := b[0]
	switch {
	case c == 0x1b:
		return parseEscape(b, final)
	case c < 0x20 || c == 0x7f:
		return event{key: controlKey(c), raw: b[:1]}, 1
	case c < utf8.RuneSelf:
		if c == ' ' {
			return event{key: Key{Code: KeySpace}, raw: b[:1]}, 1
		}
		return event{key: Key{Rune: rune(c)}, raw: b[:1]}, 1
	}
	if !utf8.FullRune(b) && !final {
		return event{}, 0
	}
	r, n := utf8.DecodeRune(b)
	return event{key: Key{Rune: r}, raw: b[:n]}, n
}

func parseEscape(b []byte, final bool) (event, int) {
	if len(b) == 1 {
		if final {
			return event{key: Key{Code: KeyEscape}, raw: b[:1]}, 1
		}
		return event{}, 0
	}
	switch b[1] {
	case '[':
		ev, n := parseCSI(b)
		switch {
		case n > 0:
			return ev, n
		case n == 0 && final && len(b) > 2:
			// The escape time passed in the middle of a sequence (a
			// mouse report cut by a stalled link, say): no key was typed
			// like that, and passing the fragment on would show the pane
			// half a report. Drop it.
			return event{key: Key{Code: KeyUnknown}}, len(b)
		case n < -2:
			// Parameters cut short by a control character or ESC: a
			// fragment no keyboard sends (a report cut in two); drop it
			// rather than show the pane part of a report.
			return event{key: Key{Code: KeyUnknown}}, -n
		case n < 0 || final:
			return event{key: Key{Rune: '[', Mods: ModAlt}, raw: b[:2]}, 2
		}
		return event{}, 0
	case 'O':
		if len(b) < 3 {
			if final {
				return event{key: Key{Rune: 'O', Mods: ModAlt}, raw: b[:2]}, 2
			}
			return event{}, 0
		}
		return parseSS3(b), 3
	case 0x1b:
		// ESC ESC: the first is Escape (tmux reads the pair as M-Escape
		// only when both arrive within the escape time; the bytes passed
		// on are the same either way).
		return event{key: Key{Code: KeyEscape}, raw: b[:1]}, 1
	}
	ev, n := parseEvent(b[1:], final)
	if n == 0 {
		return event{}, 0
	}
	ev.key.Mods |= ModAlt
	ev.raw = b[:1+n]
	return ev, 1 + n
}

// parseSS3 parses ESC O x.
func parseSS3(b []byte) event {
	f := b[2]
	ev := event{raw: b[:3]}
	switch f {
	case 'A':
		ev.key.Code = KeyUp
	case 'B':
		ev.key.Code = KeyDown
	case 'C':
		ev.key.Code = KeyRight
	case 'D':
		ev.key.Code = KeyLeft
	case 'H':
		ev.key.Code = KeyHome
	case 'F':
		ev.key.Code = KeyEnd
	case 'P', 'Q', 'R', 'S':
		ev.key.Code = KeyF1 + Code(f-'P')
	default:
		if k, ok := keypadFinals[f]; ok {
			ev.key.Code = k
		} else {
			ev.key.Code = KeyUnknown
		}
	}
	return ev
}

// parseCSI parses ESC [ …: n > 0 when complete, 0 when more bytes are
// needed, -i when byte i cannot continue a sequence (with i == 2 the
// caller takes ESC [ as M-[).
func parseCSI(b []byte) (event, int) {
	i := 2
	// X10 mouse: ESC [ M then three raw bytes.
	if len(b) > 2 && b[2] == 'M' {
		if len(b) < 6 {
			return event{}, 0
		}
		m, ok := decodeX10(b[3], b[4], b[5])
		if !ok {
			return event{key: Key{Code: KeyUnknown}, raw: b[:6]}, 6
		}
		return event{kind: evMouse, mouse: m, raw: b[:6]}, 6
	}
	for ; i < len(b); i++ {
		c := b[i]
		switch {
		case c >= 0x30 && c <= 0x3f, c >= 0x20 && c <= 0x2f:
			if i >= maxSeq {
				return event{key: Key{Code: KeyUnknown}, raw: b[:i]}, i
			}
			continue
		case c >= 0x40 && c <= 0x7e:
			return csiEvent(b[:i+1]), i + 1
		default:
			return event{}, -i
		}
	}
	return event{}, 0
}

// csiEvent interprets a complete CSI sequence.
func csiEvent(seq []byte) event {
	ev := event{raw: seq}
	f := seq[len(seq)-1]
	params := seq[2 : len(seq)-1]
	if len(params) > 0 && params[0] == '<' {
		if m, ok := decodeSGRMouse(params[1:], f); ok {
			ev.kind, ev.mouse = evMouse, m
		} else {
			ev.key.Code = KeyUnknown
		}
		return ev
	}
	p, ok := numbers(params)
	if !ok {
		ev.key.Code = KeyUnknown
		return ev
	}
	mods := func(i int) Mod {
		if len(p) > i && p[i] > 1 {
			return Mod(p[i]-1) & (ModShift | ModAlt | ModCtrl)
		}
		return 0
	}
	switch f {
	case 'A', 'B', 'C', 'D', 'H', 'F':
		ev.key.Code = cursorCodes[f]
		ev.key.Mods = mods(1)
	case 'P', 'Q', 'R', 'S':
		ev.key.Code = KeyF1 + Code(f-'P')
		ev.key.Mods = mods(1)
	case 'Z':
		ev.key.Code = KeyBackTab
	case 'I':
		if len(p) == 0 {
			ev.kind = evFocusIn
		} else {
			ev.key.Code = KeyUnknown
		}
	case 'O':
		if len(p) == 0 {
			ev.kind = evFocusOut
		} else {
			ev.key.Code = KeyUnknown
		}
	case 'M':
		if m, ok := decodeURXVT(p); ok {
			ev.kind, ev.mouse = evMouse, m
		} else {
			ev.key.Code = KeyUnknown
		}
	case '~':
		if len(p) == 1 && p[0] == 200 {
			ev.kind = evPasteStart
			return ev
		}
		if len(p) > 0 {
			if c, ok := tildeKeys[p[0]]; ok {
				ev.key.Code = c
				ev.key.Mods = mods(1)
				return ev
			}
		}
		ev.key.Code = KeyUnknown
	default:
		ev.key.Code = KeyUnknown
	}
	return ev
}

var cursorCodes = map[byte]Code{'A': KeyUp, 'B': KeyDown, 'C': KeyRight, 'D': KeyLeft, 'H': KeyHome, 'F': KeyEnd}

// numbers parses "n;n;…" (empty fields are 0). It reports false for
// anything else (private markers, intermediates, sub-parameters).
func numbers(b []byte) ([]int, bool) {
	if len(b) == 0 {
		return nil, true
	}
	out := make([]int, 1, 4)
	for _, c := range b {
		switch {
		case c >= '0' && c <= '9':
			n := &out[len(out)-1]
			if *n < 1<<20 {
				*n = *n*10 + int(c-'0')
			}
		case c == ';':
			out = append(out, 0)
		default:
			return nil, false
		}
	}
	return out, true
}

// DecodeKeys returns the keys in b, a whole read of the client's terminal,
// for a mode that takes keys by name (a chooser): an incomplete sequence
// at the end counts as keys (a lone ESC is Escape), and mouse reports,
// focus reports and paste markers are left out.
func DecodeKeys(b []byte) []Key {
	var out []Key
	for len(b) > 0 {
		ev, n := parseEvent(b, true)
		if n <= 0 {
			break
		}
		if ev.kind == evKey && (ev.key.Code != KeyUnknown || ev.key.Rune != 0) {
			out = append(out, ev.key)
		}
		b = b[n:]
	}
	return out
}
