package client

import "fmt"

// DefaultEscapeKey is mosh's escape key, Ctrl-^ (0x1E).
const DefaultEscapeKey = 0x1e

// EscapeKey is mosh-client's escape key (mosh-protocol.md §10). A control
// key (the default, Ctrl-^) is recognised at any time; a printable one only
// at the start of a line, as ssh's "~". After it: "." quits, Ctrl-Z
// suspends, the pass key (key+'@' for a control key, so "^" for Ctrl-^, or
// its lower case; the key itself for a printable one) sends the escape key
// itself, and anything else sends both.
type EscapeKey struct {
	Key      byte // 1–127
	Disabled bool
}

// ParseEscapeKey interprets MOSH_ESCAPE_KEY as mosh-client does: unset →
// Ctrl-^; set but empty → no escape key; one ASCII character 1–127 → that
// key, except ^C, ^D, ^J, ^L and ^M, which mosh refuses (they would make
// the terminal unusable), giving the default.
func ParseEscapeKey(value string, set bool) EscapeKey {
	switch {
	case !set:
		return EscapeKey{Key: DefaultEscapeKey}
	case value == "":
		return EscapeKey{Disabled: true}
	case len(value) != 1 || value[0] < 1 || value[0] > 127:
		return EscapeKey{Key: DefaultEscapeKey}
	}
	switch value[0] {
	case 0x03, 0x04, 0x0a, 0x0c, 0x0d:
		return EscapeKey{Key: DefaultEscapeKey}
	}
	return EscapeKey{Key: value[0]}
}

func (k EscapeKey) key() byte {
	if k.Key == 0 {
		return DefaultEscapeKey
	}
	return k.Key
}

func (k EscapeKey) control() bool { return k.key() < 0x20 || k.key() == 0x7f }

// Name is the key as the notice bar names it: "Ctrl-^", or the character.
func (k EscapeKey) Name() string {
	c := k.key()
	switch {
	case c == 0x7f:
		return "Ctrl-?"
	case c < 0x20:
		return "Ctrl-" + string(rune(c+'@'))
	}
	return string(rune(c))
}

// passKeys returns the keys that send the escape key itself.
func (k EscapeKey) passKeys() (byte, byte) {
	c := k.key()
	if !k.control() {
		return c, c
	}
	p := c + '@'
	if c == 0x7f {
		p = '?'
	}
	lower := p
	if p >= 'A' && p <= 'Z' {
		lower = p + 'a' - 'A'
	}
	return p, lower
}

// Hint is the notice bar text while the escape key waits for its command
// (mosh's "Commands: Ctrl-Z suspends, "." quits, "^" gives literal
// Ctrl-^").
func (k EscapeKey) Hint() string {
	p, _ := k.passKeys()
	return fmt.Sprintf("Commands: Ctrl-Z suspends, \".\" quits, %q gives literal %s", string(rune(p)), k.Name())
}

// escapeAction is what the escape filter asks the client to do.
type escapeAction uint8

const (
	escSend    escapeAction = iota // send the returned bytes (maybe none)
	escQuit                        // Ctrl-^ .
	escSuspend                     // Ctrl-^ Ctrl-Z
)

// escapeFilter runs the escape key over the keys the user types, one key
// (the bytes of one tcell event) at a time.
type escapeFilter struct {
	key     EscapeKey
	waiting bool // the escape key was typed; the next key is a command
	bol     bool // the last byte sent ended a line (for a printable escape key)
}

func newEscapeFilter(k EscapeKey) escapeFilter { return escapeFilter{key: k, bol: true} }

// filter takes the bytes of one key and returns what to send and what to
// do. dst is reused for the result.
func (f *escapeFilter) filter(dst, key []byte) ([]byte, escapeAction) {
	if len(key) == 0 {
		return dst, escSend
	}
	if f.key.Disabled {
		f.sent(key)
		return append(dst, key...), escSend
	}
	c := f.key.key()
	if f.waiting {
		f.waiting = false
		if len(key) == 1 {
			p1, p2 := f.key.passKeys()
			switch key[0] {
			case '.':
				return dst, escQuit
			case 0x1a:
				return dst, escSuspend
			case p1, p2:
				f.sent([]byte{c})
				return append(dst, c), escSend
			}
		}
		f.sent(key)
		return append(append(dst, c), key...), escSend
	}
	if len(key) == 1 && key[0] == c && (f.key.control() || f.bol) {
		f.waiting = true
		return dst, escSend
	}
	f.sent(key)
	return append(dst, key...), escSend
}

// sent records the last byte going out, for a printable escape key.
func (f *escapeFilter) sent(b []byte) {
	if len(b) > 0 {
		last := b[len(b)-1]
		f.bol = last == '\r' || last == '\n'
	}
}

// cancel forgets a pending escape (a paste or a mouse event came in between).
func (f *escapeFilter) cancel() []byte {
	if f.waiting {
		f.waiting = false
		return []byte{f.key.key()}
	}
	return nil
}
