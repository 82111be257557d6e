package client

import (
	"strconv"
	"unicode/utf8"

	"github.com/gdamore/tcell/v2"

	"github.com/goshterm/gosh/vt"
)

// Keyboard and mouse events are sent to the server as the bytes an xterm
// would send (xterm ctlseqs, "PC-Style Function Keys" and "Mouse
// Tracking"); the server decides what they mean. Cursor keys and Home/End
// go out in application mode (SS3), as mosh-client's real terminal is
// always in application cursor mode (mosh-protocol.md §8.5): the server
// turns them into CSI unless the application asked for DECCKM (§8.6).

// xtermMod is the modifier parameter of xterm's "CSI 1 ; m X" and
// "CSI n ; m ~" forms: 1 + Shift(1) + Alt(2) + Ctrl(4) + Meta(8).
func xtermMod(m tcell.ModMask) int {
	p := 1
	if m&tcell.ModShift != 0 {
		p++
	}
	if m&tcell.ModAlt != 0 {
		p += 2
	}
	if m&tcell.ModCtrl != 0 {
		p += 4
	}
	if m&tcell.ModMeta != 0 {
		p += 8
	}
	return p
}

// ss3Keys are the keys that go out as SS3 x unmodified and CSI 1;m x with
// modifiers.
var ss3Keys = map[tcell.Key]byte{
	tcell.KeyUp: 'A', tcell.KeyDown: 'B', tcell.KeyRight: 'C', tcell.KeyLeft: 'D',
	tcell.KeyHome: 'H', tcell.KeyEnd: 'F',
	tcell.KeyF1: 'P', tcell.KeyF2: 'Q', tcell.KeyF3: 'R', tcell.KeyF4: 'S',
}

// tildeKeys are the keys that go out as CSI n ~ (CSI n;m ~ with
// modifiers).
var tildeKeys = map[tcell.Key]int{
	tcell.KeyInsert: 2, tcell.KeyDelete: 3, tcell.KeyPgUp: 5, tcell.KeyPgDn: 6,
	tcell.KeyF5: 15, tcell.KeyF6: 17, tcell.KeyF7: 18, tcell.KeyF8: 19,
	tcell.KeyF9: 20, tcell.KeyF10: 21, tcell.KeyF11: 23, tcell.KeyF12: 24,
}

// ctrlByte returns the C0 control a Ctrl-modified character produces on a
// VT-compatible keyboard: Ctrl-@ … Ctrl-_ and Ctrl-a … Ctrl-z fold to
// 0x00–0x1F, Ctrl-Space and Ctrl-2 to NUL, Ctrl-3…Ctrl-7 to ESC…US as
// xterm does, Ctrl-? to DEL.
func ctrlByte(r rune) (byte, bool) {
	switch {
	case r >= '@' && r <= '_':
		return byte(r) & 0x1f, true
	case r >= 'a' && r <= 'z':
		return byte(r) & 0x1f, true
	case r == ' ' || r == '2':
		return 0, true
	case r >= '3' && r <= '7':
		return byte(r-'3') + 0x1b, true
	case r == '8' || r == '?':
		return 0x7f, true
	case r == '/':
		return 0x1f, true
	}
	return 0, false
}

// appendKey appends the bytes for a key event to dst. Keys that have no
// xterm encoding append nothing.
func appendKey(dst []byte, ev *tcell.EventKey) []byte {
	k, r, m := ev.Key(), ev.Rune(), ev.Modifiers()
	if m&tcell.ModMeta != 0 {
		m = m&^tcell.ModMeta | tcell.ModAlt // Meta is sent as Alt, as xterm's metaSendsEscape
	}
	alt := m&tcell.ModAlt != 0
	// F13–F64 are how terminfo names the modified F1–F12 (xterm: +12
	// Shift, +24 Ctrl, +36 Ctrl-Shift, +48 Alt).
	if k >= tcell.KeyF13 && k <= tcell.KeyF64 {
		n := int(k - tcell.KeyF13)
		k = tcell.KeyF1 + tcell.Key(n%12)
		m |= [...]tcell.ModMask{tcell.ModShift, tcell.ModCtrl, tcell.ModCtrl | tcell.ModShift, tcell.ModAlt, tcell.ModAlt | tcell.ModShift}[n/12]
	}
	if b, ok := ss3Keys[k]; ok {
		if m == tcell.ModNone {
			return append(dst, 0x1b, 'O', b)
		}
		dst = append(dst, "\x1b[1;"...)
		dst = strconv.AppendInt(dst, int64(xtermMod(m)), 10)
		return append(dst, b)
	}
	if n, ok := tildeKeys[k]; ok {
		dst = append(dst, 0x1b, '[')
		dst = strconv.AppendInt(dst, int64(n), 10)
		if m != tcell.ModNone {
			dst = append(dst, ';')
			dst = strconv.AppendInt(dst, int64(xtermMod(m)), 10)
		}
		return append(dst, '~')
	}
	if alt {
		dst = append(dst, 0x1b)
	}
	switch {
	case k == tcell.KeyRune:
		if m&tcell.ModCtrl != 0 {
			if c, ok := ctrlByte(r); ok {
				return append(dst, c)
			}
		}
		if r < 0 || r > utf8.MaxRune {
			return dst
		}
		return utf8.AppendRune(dst, r)
	case k == tcell.KeyBackspace:
		if m&tcell.ModCtrl != 0 {
			return append(dst, 0x08)
		}
		return append(dst, 0x7f) // VERASE is DEL on every modern system
	case k == tcell.KeyEnter:
		return append(dst, '\r')
	case k == tcell.KeyBacktab:
		if alt {
			dst = dst[:len(dst)-1]
			return append(dst, "\x1b[1;4Z"...)
		}
		return append(dst, "\x1b[Z"...)
	case k >= tcell.KeyCtrlSpace && k <= tcell.KeyCtrlUnderscore:
		return append(dst, byte(k-tcell.KeyCtrlSpace))
	case k >= tcell.KeyNUL && k < 0x20 || k == tcell.KeyDEL:
		return append(dst, byte(k))
	}
	if alt {
		dst = dst[:len(dst)-1]
	}
	return dst
}

// mouseState remembers what the encoder needs across mouse events: tcell
// reports which buttons are down, xterm reports presses and releases.
type mouseState struct {
	buttons tcell.ButtonMask
	x, y    int
}

// xtermButton is the report code of the lowest-numbered button in b
// (tcell's Button1 is the primary, Button2 the secondary, Button3 the
// middle; xterm numbers left 0, middle 1, right 2).
func xtermButton(b tcell.ButtonMask) (int, bool) {
	switch {
	case b&tcell.Button1 != 0:
		return 0, true
	case b&tcell.Button3 != 0:
		return 1, true
	case b&tcell.Button2 != 0:
		return 2, true
	case b&tcell.Button4 != 0:
		return 128, true
	case b&tcell.Button5 != 0:
		return 129, true
	}
	return 0, false
}

const buttonMask = tcell.Button1 | tcell.Button2 | tcell.Button3 | tcell.Button4 | tcell.Button5 |
	tcell.Button6 | tcell.Button7 | tcell.Button8

// appendMouse appends the reports for a mouse event under the frame's
// mouse mode and encoding. sgr forces SGR 1006 reports whatever the
// encoding (gosh's server parses them and re-encodes for the pane).
func (ms *mouseState) appendMouse(dst []byte, ev *tcell.EventMouse, modes vt.Modes, sgr bool) []byte {
	x, y := ev.Position()
	btn := ev.Buttons()
	mods := 0
	if m := ev.Modifiers(); modes.Mouse != vt.MouseX10 {
		if m&tcell.ModShift != 0 {
			mods |= 4
		}
		if m&(tcell.ModAlt|tcell.ModMeta) != 0 {
			mods |= 8
		}
		if m&tcell.ModCtrl != 0 {
			mods |= 16
		}
	}
	enc := modes.MouseEncoding
	if sgr {
		enc = vt.MouseEncodingSGR
	}
	report := func(code int, release bool) {
		dst = appendMouseReport(dst, enc, code|mods, x, y, release)
	}
	moved := x != ms.x || y != ms.y
	ms.x, ms.y = x, y
	// Wheel steps are presses of buttons 4–7 (codes 64–67), never released.
	for i, w := range [...]tcell.ButtonMask{tcell.WheelUp, tcell.WheelDown, tcell.WheelLeft, tcell.WheelRight} {
		if btn&w != 0 && modes.Mouse != vt.MouseX10 {
			report(64+i, false)
		}
	}
	held := btn & buttonMask
	prev := ms.buttons
	ms.buttons = held
	if released := prev &^ held; released != 0 && modes.Mouse != vt.MouseX10 {
		if code, ok := xtermButton(released); ok {
			report(code, true)
		}
	}
	if pressed := held &^ prev; pressed != 0 {
		if code, ok := xtermButton(pressed); ok {
			report(code, false)
		}
		return dst
	}
	if !moved || held != prev {
		return dst
	}
	switch {
	case held != 0 && (modes.Mouse == vt.MouseButton || modes.Mouse == vt.MouseAny):
		code, _ := xtermButton(held)
		report(code+32, false)
	case held == 0 && modes.Mouse == vt.MouseAny:
		report(3+32, false)
	}
	return dst
}

// appendMouseReport encodes one report (xterm ctlseqs "Extended
// coordinates"): X10 bytes (coordinates up to 223), UTF-8 (1005), SGR
// (1006: CSI < b ; x ; y M/m, the only one that says which button was
// released) or urxvt (1015).
func appendMouseReport(dst []byte, enc vt.MouseEncoding, code, x, y int, release bool) []byte {
	cx, cy := x+1, y+1
	if enc == vt.MouseEncodingSGR {
		dst = append(dst, "\x1b[<"...)
		dst = strconv.AppendInt(dst, int64(code), 10)
		dst = append(dst, ';')
		dst = strconv.AppendInt(dst, int64(cx), 10)
		dst = append(dst, ';')
		dst = strconv.AppendInt(dst, int64(cy), 10)
		if release {
			return append(dst, 'm')
		}
		return append(dst, 'M')
	}
	if release {
		code = code&^3 | 3 // the legacy encodings can't name the released button
	}
	switch enc {
	case vt.MouseEncodingURXVT:
		dst = append(dst, "\x1b["...)
		dst = strconv.AppendInt(dst, int64(code+32), 10)
		dst = append(dst, ';')
		dst = strconv.AppendInt(dst, int64(cx), 10)
		dst = append(dst, ';')
		dst = strconv.AppendInt(dst, int64(cy), 10)
		return append(dst, 'M')
	case vt.MouseEncodingUTF8:
		if cx > 2015 || cy > 2015 {
			return dst
		}
		dst = append(dst, "\x1b[M"...)
		dst = utf8.AppendRune(dst, rune(code+32))
		dst = utf8.AppendRune(dst, rune(cx+32))
		return utf8.AppendRune(dst, rune(cy+32))
	}
	if cx > 223 || cy > 223 || code > 223 {
		return dst
	}
	return append(dst, 0x1b, '[', 'M', byte(code+32), byte(cx+32), byte(cy+32))
}
