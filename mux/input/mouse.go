package input

import (
	"strconv"
	"unicode/utf8"

	"github.com/goshterm/gosh/vt"
)

// MouseAction says what a mouse report is.
type MouseAction uint8

// Mouse actions.
const (
	MousePress MouseAction = iota
	MouseRelease
	MouseMotion
)

// Mouse buttons, as xterm numbers them in reports (the low two bits plus
// 64 for the wheel and 128 for the extra buttons).
const (
	ButtonLeft      = 0
	ButtonMiddle    = 1
	ButtonRight     = 2
	ButtonNone      = 3 // X10 release, or motion with no button down
	ButtonWheelUp   = 64
	ButtonWheelDown = 65
)

// Mouse is one mouse report, in 0-based cell coordinates.
type Mouse struct {
	Action MouseAction
	Button int
	X, Y   int
	Mods   Mod // ModShift, ModAlt (meta), ModCtrl
}

// Wheel reports whether m is a wheel step.
func (m Mouse) Wheel() bool { return m.Button >= 64 && m.Button < 128 }

// Report bits of the button byte (xterm ctlseqs "Mouse Tracking").
const (
	cbShift  = 4
	cbMeta   = 8
	cbCtrl   = 16
	cbMotion = 32
)

// fromCb decodes the button code common to every encoding.
func fromCb(cb int, release bool, x, y int) Mouse {
	m := Mouse{X: x, Y: y, Button: cb &^ (cbShift | cbMeta | cbCtrl | cbMotion)}
	if cb&cbShift != 0 {
		m.Mods |= ModShift
	}
	if cb&cbMeta != 0 {
		m.Mods |= ModAlt
	}
	if cb&cbCtrl != 0 {
		m.Mods |= ModCtrl
	}
	switch {
	case cb&cbMotion != 0:
		m.Action = MouseMotion
	case release || m.Button == ButtonNone:
		m.Action = MouseRelease
	}
	return m
}

// decodeX10 decodes CSI M Cb Cx Cy (each byte the value plus 32).
func decodeX10(cb, cx, cy byte) (Mouse, bool) {
	if cb < 32 || cx < 33 || cy < 33 {
		return Mouse{}, false
	}
	return fromCb(int(cb)-32, false, int(cx)-33, int(cy)-33), true
}

// decodeSGRMouse decodes the "b;x;y" of CSI < b;x;y M (press, motion) or
// m (release).
func decodeSGRMouse(params []byte, final byte) (Mouse, bool) {
	if final != 'M' && final != 'm' {
		return Mouse{}, false
	}
	p, ok := numbers(params)
	if !ok || len(p) != 3 || p[1] < 1 || p[2] < 1 {
		return Mouse{}, false
	}
	return fromCb(p[0], final == 'm', p[1]-1, p[2]-1), true
}

// decodeURXVT decodes CSI Cb;x;y M (Cb plus 32, coordinates 1-based).
func decodeURXVT(p []int) (Mouse, bool) {
	if len(p) != 3 || p[0] < 32 || p[1] < 1 || p[2] < 1 {
		return Mouse{}, false
	}
	return fromCb(p[0]-32, false, p[1]-1, p[2]-1), true
}

// wants reports whether a pane in tracking mode mode asked for m
// (xterm ctlseqs: X10 reports presses only; 1000 presses and releases,
// wheel included; 1002 adds motion with a button down; 1003 all motion).
func wants(mode vt.MouseMode, m Mouse) bool {
	switch mode {
	case vt.MouseX10:
		return m.Action == MousePress && !m.Wheel()
	case vt.MouseNormal:
		return m.Action != MouseMotion
	case vt.MouseButton:
		return m.Action != MouseMotion || m.Button != ButtonNone
	case vt.MouseAny:
		return true
	}
	return false
}

// EncodeMouse returns the report a pane with tracking mode mode and
// encoding enc expects for m (coordinates already relative to the pane),
// or nil when the pane did not ask for this kind of event or the encoding
// cannot carry the coordinates (X10 stops at 223, UTF-8 at 2015).
func EncodeMouse(m Mouse, mode vt.MouseMode, enc vt.MouseEncoding) []byte {
	if !wants(mode, m) || m.X < 0 || m.Y < 0 {
		return nil
	}
	cb := m.Button
	if mode != vt.MouseX10 {
		if m.Mods&ModShift != 0 {
			cb |= cbShift
		}
		if m.Mods&ModAlt != 0 {
			cb |= cbMeta
		}
		if m.Mods&ModCtrl != 0 {
			cb |= cbCtrl
		}
	}
	if m.Action == MouseMotion {
		cb |= cbMotion
	}
	x, y := m.X+1, m.Y+1
	switch enc {
	case vt.MouseEncodingSGR:
		final := byte('M')
		if m.Action == MouseRelease {
			final = 'm'
		}
		b := []byte("\x1b[<")
		b = strconv.AppendInt(b, int64(cb), 10)
		b = append(b, ';')
		b = strconv.AppendInt(b, int64(x), 10)
		b = append(b, ';')
		b = strconv.AppendInt(b, int64(y), 10)
		return append(b, final)
	case vt.MouseEncodingURXVT:
		if m.Action == MouseRelease {
			cb = cb&^3 | ButtonNone
		}
		b := []byte("\x1b[")
		b = strconv.AppendInt(b, int64(cb+32), 10)
		b = append(b, ';')
		b = strconv.AppendInt(b, int64(x), 10)
		b = append(b, ';')
		b = strconv.AppendInt(b, int64(y), 10)
		return append(b, 'M')
	}
	if m.Action == MouseRelease {
		cb = cb&^3 | ButtonNone
	}
	b := []byte{0x1b, '[', 'M', byte(cb + 32)}
	if enc == vt.MouseEncodingUTF8 {
		if x+32 > 2047 || y+32 > 2047 {
			return nil
		}
		b = utf8.AppendRune(b, rune(x+32))
		return utf8.AppendRune(b, rune(y+32))
	}
	if x+32 > 255 || y+32 > 255 {
		return nil
	}
	return append(b, byte(x+32), byte(y+32))
}
