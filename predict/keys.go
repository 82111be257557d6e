package predict

import "unicode/utf8"

// KeyKind classifies a key as the engine understands it.
type KeyKind uint8

// Key kinds.
const (
	// KeyOther is anything whose effect the engine can't guess: control
	// keys, escape sequences other than the two arrows, invalid UTF-8.
	KeyOther KeyKind = iota
	// KeyRune is a printable character (Key.Rune, Key.Width).
	KeyRune
	// KeyBackspace is DEL (0x7F, what terminals send for Backspace) or BS
	// (0x08, Ctrl-H); Key.Seq tells which.
	KeyBackspace
	// KeyLeft and KeyRight are the arrow keys in either cursor-key mode
	// (ESC [ D / ESC O D, ESC [ C / ESC O C; xterm ctlseqs "PC-Style
	// Function Keys"), without modifiers.
	KeyLeft
	KeyRight
	// KeyEnter is CR (0x0D), what the Return key sends.
	KeyEnter
)

var keyKindNames = [...]string{"other", "rune", "backspace", "left", "right", "enter"}

func (k KeyKind) String() string {
	if int(k) < len(keyKindNames) {
		return keyKindNames[k]
	}
	return "KeyKind(?)"
}

// Key is one parsed keystroke.
type Key struct {
	Kind KeyKind
	// Rune is the character for KeyRune, else 0.
	Rune rune
	// Width is the number of columns Rune takes on the screen as vt draws
	// it (0, 1 or 2); only width-1 characters are predicted.
	Width int
	// Seq is the bytes the key arrived as.
	Seq string
}

// keyReader splits the bytes the user typed into keys. It keeps its state
// across reads, because a read may end in the middle of a UTF-8 character
// or an escape sequence. Sequences follow ECMA-48 §5.4 (CSI: parameter
// bytes 0x30–0x3F, intermediates 0x20–0x2F, final 0x40–0x7E) and xterm's
// SS3 cursor keys; an OSC/DCS/SOS/PM/APC string (which a terminal's reply
// may contain) runs to BEL or ST.
type keyReader struct {
	state readState
	seq   [maxSeq]byte
	n     int
	need  int // UTF-8 continuation bytes still expected
}

type readState uint8

const (
	rsGround    readState = iota
	rsEsc                 // after ESC
	rsCSI                 // after ESC [
	rsSS3                 // after ESC O
	rsString              // inside an OSC/DCS/… string
	rsStringEsc           // ESC inside a string (ST is ESC \)
	rsUTF8                // inside a multi-byte character
)

// asciiSeq holds one-byte strings so that an ASCII key never allocates.
var asciiSeq = func() (t [128]string) {
	for i := range t {
		t[i] = string(rune(i))
	}
	return t
}()

func (r *keyReader) reset() { *r = keyReader{} }

func (r *keyReader) keep(b byte) {
	if r.n < len(r.seq) {
		r.seq[r.n] = b
	}
	r.n++
}

func (r *keyReader) seqString() string {
	n := min(r.n, len(r.seq))
	if n == 1 && r.seq[0] < 0x80 {
		return asciiSeq[r.seq[0]]
	}
	return string(r.seq[:n])
}

// feed consumes one byte and reports a completed key, if any. A byte that
// can't continue the sequence in progress ends it as KeyOther and is then
// read again on its own (ok2/k2), so that, for example, an ESC typed
// twice is two keys.
func (r *keyReader) feed(b byte) (k Key, ok bool, k2 Key, ok2 bool) {
	switch r.state {
	case rsGround:
		return r.ground(b)
	case rsUTF8:
		if b&0xC0 != 0x80 {
			bad := Key{Kind: KeyOther, Seq: r.seqString()}
			r.reset()
			k2, ok2, _, _ = r.ground(b)
			return bad, true, k2, ok2
		}
		r.keep(b)
		r.need--
		if r.need > 0 {
			return Key{}, false, Key{}, false
		}
		seq := r.seq[:min(r.n, len(r.seq))]
		ru, size := utf8.DecodeRune(seq)
		s := r.seqString()
		r.reset()
		if ru == utf8.RuneError && size <= 1 || ru < 0xA0 {
			// Overlong, surrogate or out of range, or a C1 control.
			return Key{Kind: KeyOther, Seq: s}, true, Key{}, false
		}
		return Key{Kind: KeyRune, Rune: ru, Seq: s}, true, Key{}, false
	case rsEsc:
		r.keep(b)
		if b == 0x1B && r.n == 2 {
			// ESC ESC …: a meta (Alt) prefix on the sequence that follows;
			// the whole is one key the engine doesn't guess.
			return Key{}, false, Key{}, false
		}
		switch b {
		case '[':
			r.state = rsCSI
			return Key{}, false, Key{}, false
		case 'O':
			r.state = rsSS3
			return Key{}, false, Key{}, false
		case ']', 'P', 'X', '^', '_':
			r.state = rsString
			return Key{}, false, Key{}, false
		}
		if b >= 0x20 && b <= 0x2F { // intermediate: ESC ( B and the like
			if r.n < maxSeq {
				return Key{}, false, Key{}, false
			}
		}
		s := r.seqString()
		r.reset()
		return Key{Kind: KeyOther, Seq: s}, true, Key{}, false
	case rsCSI:
		r.keep(b)
		switch {
		case b >= 0x40 && b <= 0x7E:
			kind := KeyOther
			if r.seq[1] == '[' && (r.n == 3 || r.n == 4 && r.seq[2] == '1') { // no meta prefix; no parameter, or 1
				switch b {
				case 'C':
					kind = KeyRight
				case 'D':
					kind = KeyLeft
				}
			}
			s := r.seqString()
			r.reset()
			return Key{Kind: kind, Seq: s}, true, Key{}, false
		case b >= 0x20 && b <= 0x3F && r.n < maxSeq:
			return Key{}, false, Key{}, false
		}
		// A control or high byte inside CSI, or too long: give up on it.
		s := r.seqString()
		r.reset()
		return Key{Kind: KeyOther, Seq: s}, true, Key{}, false
	case rsSS3:
		r.keep(b)
		kind := KeyOther
		switch {
		case r.seq[1] != 'O': // meta prefix
		case b == 'C':
			kind = KeyRight
		case b == 'D':
			kind = KeyLeft
		}
		s := r.seqString()
		r.reset()
		return Key{Kind: kind, Seq: s}, true, Key{}, false
	case rsString, rsStringEsc:
		r.n++
		switch {
		case b == 0x07 || r.state == rsStringEsc && b == '\\' || r.n > 4096:
			r.reset()
			return Key{Kind: KeyOther, Seq: "\x1b]"}, true, Key{}, false
		case b == 0x1B:
			r.state = rsStringEsc
		default:
			r.state = rsString
		}
		return Key{}, false, Key{}, false
	}
	r.reset()
	return Key{}, false, Key{}, false
}

// flush ends a read. A terminal sends a key's escape sequence in one
// write, so an ESC alone at the end of a read is the Escape key, not the
// start of a sequence that the next read continues (which would turn an
// Escape followed by x into Alt-x).
func (r *keyReader) flush() (Key, bool) {
	if r.state == rsEsc && r.n == 1 {
		r.reset()
		return Key{Kind: KeyOther, Seq: "\x1b"}, true
	}
	return Key{}, false
}

func (r *keyReader) ground(b byte) (Key, bool, Key, bool) {
	switch {
	case b == 0x1B:
		r.state = rsEsc
		r.keep(b)
		return Key{}, false, Key{}, false
	case b == 0x7F || b == 0x08:
		return Key{Kind: KeyBackspace, Seq: asciiSeq[b]}, true, Key{}, false
	case b == 0x0D:
		return Key{Kind: KeyEnter, Seq: asciiSeq[b]}, true, Key{}, false
	case b < 0x20:
		return Key{Kind: KeyOther, Seq: asciiSeq[b]}, true, Key{}, false
	case b < 0x80:
		return Key{Kind: KeyRune, Rune: rune(b), Width: 1, Seq: asciiSeq[b]}, true, Key{}, false
	case b >= 0xC2 && b <= 0xDF:
		r.need = 1
	case b >= 0xE0 && b <= 0xEF:
		r.need = 2
	case b >= 0xF0 && b <= 0xF4:
		r.need = 3
	default: // continuation byte without a lead, or an invalid lead
		return Key{Kind: KeyOther, Seq: string([]byte{b})}, true, Key{}, false
	}
	r.state = rsUTF8
	r.keep(b)
	return Key{}, false, Key{}, false
}
