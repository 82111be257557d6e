package input

import (
	"errors"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Mod is a set of key modifiers.
type Mod uint8

// Modifiers, with the bit values of xterm's modifier parameter minus one
// ("CSI 1 ; 5 A" is Ctrl+Up: 5 = 1 + Ctrl; xterm ctlseqs "PC-Style
// Function Keys").
const (
	ModShift Mod = 1 << iota
	ModAlt
	ModCtrl
)

// Code names a key that is not a character.
type Code uint16

// Special keys. Their names (Code.String) are tmux's.
const (
	KeyNone Code = iota
	KeyUp
	KeyDown
	KeyRight
	KeyLeft
	KeyHome
	KeyEnd
	KeyInsert
	KeyDelete
	KeyPageUp
	KeyPageDown
	KeyEnter
	KeyEscape
	KeyTab
	KeyBackTab
	KeyBackspace
	KeySpace
	KeyF1
	KeyF2
	KeyF3
	KeyF4
	KeyF5
	KeyF6
	KeyF7
	KeyF8
	KeyF9
	KeyF10
	KeyF11
	KeyF12
	KeyKP0 // numeric keypad in application mode (DECKPAM), "KP0"…
	KeyKP1
	KeyKP2
	KeyKP3
	KeyKP4
	KeyKP5
	KeyKP6
	KeyKP7
	KeyKP8
	KeyKP9
	KeyKPSlash
	KeyKPStar
	KeyKPMinus
	KeyKPPlus
	KeyKPPeriod
	KeyKPComma
	KeyKPEqual
	KeyKPEnter
	KeyUnknown // a sequence this package does not name: passed through as is
	numCodes
)

var codeNames = [numCodes]string{
	KeyNone: "None", KeyUp: "Up", KeyDown: "Down", KeyRight: "Right", KeyLeft: "Left",
	KeyHome: "Home", KeyEnd: "End", KeyInsert: "IC", KeyDelete: "DC",
	KeyPageUp: "PPage", KeyPageDown: "NPage", KeyEnter: "Enter", KeyEscape: "Escape",
	KeyTab: "Tab", KeyBackTab: "BTab", KeyBackspace: "BSpace", KeySpace: "Space",
	KeyF1: "F1", KeyF2: "F2", KeyF3: "F3", KeyF4: "F4", KeyF5: "F5", KeyF6: "F6",
	KeyF7: "F7", KeyF8: "F8", KeyF9: "F9", KeyF10: "F10", KeyF11: "F11", KeyF12: "F12",
	KeyKP0: "KP0", KeyKP1: "KP1", KeyKP2: "KP2", KeyKP3: "KP3", KeyKP4: "KP4",
	KeyKP5: "KP5", KeyKP6: "KP6", KeyKP7: "KP7", KeyKP8: "KP8", KeyKP9: "KP9",
	KeyKPSlash: "KP/", KeyKPStar: "KP*", KeyKPMinus: "KP-", KeyKPPlus: "KP+",
	KeyKPPeriod: "KP.", KeyKPComma: "KP,", KeyKPEqual: "KP=", KeyKPEnter: "KPEnter",
	KeyUnknown: "Unknown",
}

// String returns tmux's name for the key.
func (c Code) String() string {
	if c < numCodes {
		return codeNames[c]
	}
	return "Code(" + strconv.Itoa(int(c)) + ")"
}

// Key is one key press as the client's terminal reported it. Exactly one
// of Rune and Code is set: Rune for a character (C-b is Rune 'b' with
// ModCtrl; an upper-case letter is its own rune without ModShift), Code
// for a named key.
type Key struct {
	Rune rune
	Code Code
	Mods Mod
}

// String returns the key's tmux name: modifiers as "C-", "M-", "S-" in
// that order, then the key ("C-b", "M-x", "C-Up", "S-F5", "Enter", "%").
func (k Key) String() string { return string(k.appendName(nil)) }

// appendName appends the key's name (String) to b.
func (k Key) appendName(b []byte) []byte {
	if k.Mods&ModCtrl != 0 {
		b = append(b, "C-"...)
	}
	if k.Mods&ModAlt != 0 {
		b = append(b, "M-"...)
	}
	if k.Mods&ModShift != 0 {
		b = append(b, "S-"...)
	}
	switch {
	case k.Code != KeyNone:
		b = append(b, k.Code.String()...)
	case k.Rune != 0:
		b = utf8.AppendRune(b, k.Rune)
	default:
		b = append(b, "None"...)
	}
	return b
}

// ErrKeyName is returned by ParseKey for a name it does not know.
var ErrKeyName = errors.New("input: unknown key name")

// ParseKey parses a tmux key name ("C-b", "M-Left", "F5", "Space", "%",
// "^B") into a Key.
func ParseKey(name string) (Key, error) {
	var k Key
	base := name
	if len(base) == 2 && base[0] == '^' {
		base = "C-" + strings.ToLower(base[1:])
	}
	for len(base) > 2 && base[1] == '-' {
		switch base[0] {
		case 'C', 'c':
			k.Mods |= ModCtrl
		case 'M', 'm':
			k.Mods |= ModAlt
		case 'S', 's':
			k.Mods |= ModShift
		default:
			return Key{}, errors.Join(ErrKeyName, errors.New(name))
		}
		base = base[2:]
	}
	for c := KeyUp; c < KeyUnknown; c++ {
		if strings.EqualFold(codeNames[c], base) {
			k.Code = c
			return k, nil
		}
	}
	r, n := utf8.DecodeRuneInString(base)
	if base == "" || n != len(base) || r == utf8.RuneError {
		return Key{}, errors.Join(ErrKeyName, errors.New(name))
	}
	if k.Mods&ModCtrl != 0 && r >= 'A' && r <= 'Z' {
		r += 'a' - 'A' // C-B is C-b: the terminal cannot tell them apart
	}
	k.Rune = r
	return k, nil
}

// controlKey returns the key a C0 control byte or DEL stands for, as a
// VT100-style keyboard produces them.
func controlKey(c byte) Key {
	switch c {
	case 0x00:
		return Key{Code: KeySpace, Mods: ModCtrl}
	case 0x09:
		return Key{Code: KeyTab}
	case 0x0d:
		return Key{Code: KeyEnter}
	case 0x1b:
		return Key{Code: KeyEscape}
	case 0x7f:
		return Key{Code: KeyBackspace}
	}
	if c >= 0x01 && c <= 0x1a {
		return Key{Rune: rune('a' + c - 1), Mods: ModCtrl}
	}
	return Key{Rune: rune(c | 0x40), Mods: ModCtrl} // C-\ C-] C-^ C-_
}

// encodeKey returns the bytes a key sends to a pane with the given modes
// (DECCKM, DECKPAM), for keys named in bindings (send-prefix) and for
// re-encoding cursor and keypad keys. It returns nil for keys it cannot
// encode.
func encodeKey(k Key, appCursor, appKeypad bool) []byte {
	var out []byte
	if k.Code == KeyNone {
		r := k.Rune
		switch {
		case k.Mods&ModCtrl != 0:
			c, ok := ctrlByte(r)
			if !ok {
				return nil
			}
			out = []byte{c}
		default:
			out = utf8.AppendRune(nil, r)
		}
		if k.Mods&ModAlt != 0 {
			out = append([]byte{0x1b}, out...)
		}
		return out
	}
	if f, ok := cursorFinal(k.Code); ok {
		switch {
		case k.Mods != 0:
			return []byte("\x1b[1;" + strconv.Itoa(int(k.Mods)+1) + string(f))
		case appCursor:
			return []byte{0x1b, 'O', f}
		default:
			return []byte{0x1b, '[', f}
		}
	}
	if f, ok := keypadFinal(k.Code); ok {
		if appKeypad {
			return []byte{0x1b, 'O', f}
		}
		return []byte{keypadChar(k.Code)}
	}
	switch k.Code {
	case KeyEnter:
		out = []byte{'\r'}
	case KeyEscape:
		out = []byte{0x1b}
	case KeyTab:
		out = []byte{'\t'}
	case KeyBackTab:
		return []byte("\x1b[Z")
	case KeyBackspace:
		out = []byte{0x7f}
	case KeySpace:
		out = []byte{' '}
		if k.Mods&ModCtrl != 0 {
			out = []byte{0}
		}
	case KeyF1, KeyF2, KeyF3, KeyF4:
		f := byte('P' + k.Code - KeyF1)
		if k.Mods != 0 {
			return []byte("\x1b[1;" + strconv.Itoa(int(k.Mods)+1) + string(f))
		}
		return []byte{0x1b, 'O', f}
	default:
		if n, ok := tildeNumber(k.Code); ok {
			s := "\x1b[" + strconv.Itoa(n)
			if k.Mods != 0 {
				s += ";" + strconv.Itoa(int(k.Mods)+1)
			}
			return []byte(s + "~")
		}
		return nil
	}
	if k.Mods&ModAlt != 0 {
		out = append([]byte{0x1b}, out...)
	}
	return out
}

func ctrlByte(r rune) (byte, bool) {
	switch {
	case r >= 'a' && r <= 'z':
		return byte(r - 'a' + 1), true
	case r >= '@' && r <= '_':
		return byte(r) & 0x1f, true
	case r == '?':
		return 0x7f, true
	case r == ' ' || r == '2':
		return 0, true
	}
	return 0, false
}

// cursorFinal is the CSI/SS3 final byte of a cursor key (DECCKM applies).
func cursorFinal(c Code) (byte, bool) {
	switch c {
	case KeyUp:
		return 'A', true
	case KeyDown:
		return 'B', true
	case KeyRight:
		return 'C', true
	case KeyLeft:
		return 'D', true
	case KeyHome:
		return 'H', true
	case KeyEnd:
		return 'F', true
	}
	return 0, false
}

// Keypad keys in application keypad mode send SS3 and these finals
// (xterm ctlseqs "VT220-Style Keyboard", DECKPAM).
var keypadFinals = map[byte]Code{
	'p': KeyKP0, 'q': KeyKP1, 'r': KeyKP2, 's': KeyKP3, 't': KeyKP4,
	'u': KeyKP5, 'v': KeyKP6, 'w': KeyKP7, 'x': KeyKP8, 'y': KeyKP9,
	'o': KeyKPSlash, 'j': KeyKPStar, 'm': KeyKPMinus, 'k': KeyKPPlus,
	'n': KeyKPPeriod, 'l': KeyKPComma, 'X': KeyKPEqual, 'M': KeyKPEnter,
}

func keypadFinal(c Code) (byte, bool) {
	for f, k := range keypadFinals {
		if k == c {
			return f, true
		}
	}
	return 0, false
}

// keypadChar is what a keypad key sends in numeric mode (DECKPNM).
func keypadChar(c Code) byte {
	switch {
	case c >= KeyKP0 && c <= KeyKP9:
		return byte('0' + c - KeyKP0)
	}
	switch c {
	case KeyKPSlash:
		return '/'
	case KeyKPStar:
		return '*'
	case KeyKPMinus:
		return '-'
	case KeyKPPlus:
		return '+'
	case KeyKPPeriod:
		return '.'
	case KeyKPComma:
		return ','
	case KeyKPEqual:
		return '='
	}
	return '\r'
}

// tildeKeys are the "CSI n ~" keys (xterm ctlseqs "PC-Style Function
// Keys"; 1 and 4 are the VT220 Find/Select keys that rxvt sends for Home
// and End).
var tildeKeys = map[int]Code{
	1: KeyHome, 2: KeyInsert, 3: KeyDelete, 4: KeyEnd, 5: KeyPageUp, 6: KeyPageDown,
	7: KeyHome, 8: KeyEnd,
	11: KeyF1, 12: KeyF2, 13: KeyF3, 14: KeyF4,
	15: KeyF5, 17: KeyF6, 18: KeyF7, 19: KeyF8, 20: KeyF9, 21: KeyF10, 23: KeyF11, 24: KeyF12,
}

func tildeNumber(c Code) (int, bool) {
	switch c {
	case KeyInsert:
		return 2, true
	case KeyDelete:
		return 3, true
	case KeyPageUp:
		return 5, true
	case KeyPageDown:
		return 6, true
	case KeyF5:
		return 15, true
	case KeyF6, KeyF7, KeyF8, KeyF9, KeyF10:
		return 17 + int(c-KeyF6), true
	case KeyF11:
		return 23, true
	case KeyF12:
		return 24, true
	}
	return 0, false
}
