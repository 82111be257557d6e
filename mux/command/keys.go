package command

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// KeyModes are the pane modes that change what a key sends.
type KeyModes struct {
	// AppCursor is DECCKM: cursor keys send SS3 (ESC O A) instead of CSI
	// (ESC [ A), and so do Home and End (xterm ctlseqs "PC-Style Function
	// Keys").
	AppCursor bool
	// BracketedPaste is mode ?2004: pasted text is wrapped in CSI 200~
	// and CSI 201~ (xterm ctlseqs "Bracketed Paste Mode").
	BracketedPaste bool
}

// xterm modifier parameter: 1 + Shift(1) + Alt(2) + Ctrl(4), as in
// "CSI 1 ; 5 A" for Ctrl+Up (xterm ctlseqs "PC-Style Function Keys").
const (
	modShift = 1
	modAlt   = 2
	modCtrl  = 4
)

// cursorKeys send CSI/SS3 + final; tildeKeys send CSI n ~.
var (
	cursorKeys = map[string]byte{"Up": 'A', "Down": 'B', "Right": 'C', "Left": 'D', "Home": 'H', "End": 'F'}
	ss3Keys    = map[string]byte{"F1": 'P', "F2": 'Q', "F3": 'R', "F4": 'S'}
	tildeKeys  = map[string]int{
		"IC": 2, "Insert": 2, "DC": 3, "Delete": 3,
		"PPage": 5, "PageUp": 5, "PgUp": 5, "NPage": 6, "PageDown": 6, "PgDn": 6,
		"F5": 15, "F6": 17, "F7": 18, "F8": 19, "F9": 20, "F10": 21, "F11": 23, "F12": 24,
	}
	simpleKeys = map[string]string{
		"Enter": "\r", "Escape": "\x1b", "Tab": "\t", "BSpace": "\x7f", "Space": " ",
		"BTab": "\x1b[Z",
	}
)

// EncodeKey returns the bytes a terminal sends for a tmux key name such as
// "Enter", "C-c", "M-x", "C-M-Up", "F5" or "a", and false when name is not a
// key name (send-keys then sends it as literal text, as tmux does).
func EncodeKey(name string, m KeyModes) ([]byte, bool) {
	mods, base := 0, name
	for len(base) > 2 && base[1] == '-' {
		switch base[0] {
		case 'C', 'c':
			mods |= modCtrl
		case 'M', 'm':
			mods |= modAlt
		case 'S', 's':
			mods |= modShift
		default:
			return nil, false
		}
		base = base[2:]
	}
	if base == "" {
		return nil, false
	}
	if f, ok := cursorKeys[base]; ok {
		switch {
		case mods != 0:
			return []byte("\x1b[1;" + strconv.Itoa(mods+1) + string(f)), true
		case m.AppCursor:
			return []byte{0x1b, 'O', f}, true
		default:
			return []byte{0x1b, '[', f}, true
		}
	}
	if f, ok := ss3Keys[base]; ok {
		if mods != 0 {
			return []byte("\x1b[1;" + strconv.Itoa(mods+1) + string(f)), true
		}
		return []byte{0x1b, 'O', f}, true
	}
	if n, ok := tildeKeys[base]; ok {
		s := "\x1b[" + strconv.Itoa(n)
		if mods != 0 {
			s += ";" + strconv.Itoa(mods+1)
		}
		return []byte(s + "~"), true
	}
	var b []byte
	if s, ok := simpleKeys[base]; ok {
		if base == "BTab" {
			return []byte(s), true
		}
		b = []byte(s)
		if mods&modCtrl != 0 && base == "Space" {
			b = []byte{0}
		}
	} else {
		r, size := utf8.DecodeRuneInString(base)
		if size != len(base) || r == utf8.RuneError {
			return nil, false
		}
		if mods == 0 {
			// A lone character is not a key name worth translating, but it
			// encodes to itself either way.
			return []byte(base), true
		}
		if mods&modShift != 0 {
			base = strings.ToUpper(base)
		}
		b = []byte(base)
		if mods&modCtrl != 0 {
			c, ok := ctrl(r)
			if !ok {
				return nil, false
			}
			b = []byte{c}
		}
	}
	if mods&modAlt != 0 {
		b = append([]byte{0x1b}, b...)
	}
	return b, true
}

// ctrl maps a character to its C0 control as a VT100 keyboard does: the
// low five bits of @A–Z[\]^_ (either case), '?' to DEL, and space and '2'
// to NUL.
func ctrl(r rune) (byte, bool) {
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

// EncodeKeys encodes send-keys arguments: each is a key name or, failing
// that (or always with literal), text sent as is.
func EncodeKeys(keys []string, literal bool, m KeyModes) []byte {
	var out []byte
	for _, k := range keys {
		if !literal {
			if b, ok := EncodeKey(k, m); ok {
				out = append(out, b...)
				continue
			}
		}
		out = append(out, k...)
	}
	return out
}
