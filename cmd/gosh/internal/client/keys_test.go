package client

import (
	"testing"

	"github.com/gdamore/tcell/v2"

	"github.com/goshterm/gosh/vt"
)

func TestAppendKey(t *testing.T) {
	const none, shift, ctrl, alt = tcell.ModNone, tcell.ModShift, tcell.ModCtrl, tcell.ModAlt
	tests := []struct {
		name string
		key  tcell.Key
		r    rune
		mod  tcell.ModMask
		want string
	}{
		{"letter", tcell.KeyRune, 'a', none, "a"},
		{"shifted letter", tcell.KeyRune, 'A', shift, "A"},
		{"utf-8", tcell.KeyRune, 'é', none, "é"},
		{"wide", tcell.KeyRune, '中', none, "中"},
		{"Enter is CR", tcell.KeyEnter, 0, none, "\r"},
		{"Backspace is DEL", tcell.KeyBackspace, 0, none, "\x7f"},
		{"Backspace2 is DEL", tcell.KeyBackspace2, 0, none, "\x7f"},
		{"Ctrl-Backspace is BS", tcell.KeyBackspace, 0, ctrl, "\x08"},
		{"Tab", tcell.KeyTab, 0, none, "\t"},
		{"Shift-Tab", tcell.KeyBacktab, 0, none, "\x1b[Z"},
		{"Esc", tcell.KeyEsc, 0, none, "\x1b"},
		{"Ctrl-A", tcell.KeyCtrlA, 'a', ctrl, "\x01"},
		{"Ctrl-C", tcell.KeyCtrlC, 'c', ctrl, "\x03"},
		{"Ctrl-Z", tcell.KeyCtrlZ, 'z', ctrl, "\x1a"},
		{"Ctrl-Space", tcell.KeyCtrlSpace, 0, ctrl, "\x00"},
		{"Ctrl-^", tcell.KeyCtrlCarat, 0, ctrl, "\x1e"},
		{"Ctrl-_", tcell.KeyCtrlUnderscore, 0, ctrl, "\x1f"},
		{"Ctrl-\\", tcell.KeyCtrlBackslash, 0, ctrl, "\x1c"},
		{"Ctrl rune (CSI u)", tcell.KeyRune, ']', ctrl, "\x1d"},
		{"Ctrl-6 (CSI u)", tcell.KeyRune, '6', ctrl, "\x1e"},
		{"Ctrl-? is DEL", tcell.KeyRune, '?', ctrl, "\x7f"},
		{"Ctrl digit without control", tcell.KeyRune, '1', ctrl, "1"},
		{"Alt-x", tcell.KeyRune, 'x', alt, "\x1bx"},
		{"Alt-Ctrl-a", tcell.KeyRune, 'a', alt | ctrl, "\x1b\x01"},
		{"Meta is Alt", tcell.KeyRune, 'x', tcell.ModMeta, "\x1bx"},
		{"Alt-Enter", tcell.KeyEnter, 0, alt, "\x1b\r"},
		{"Alt-Backspace", tcell.KeyBackspace, 0, alt, "\x1b\x7f"},
		{"Up is SS3", tcell.KeyUp, 0, none, "\x1bOA"},
		{"Down", tcell.KeyDown, 0, none, "\x1bOB"},
		{"Right", tcell.KeyRight, 0, none, "\x1bOC"},
		{"Left", tcell.KeyLeft, 0, none, "\x1bOD"},
		{"Home", tcell.KeyHome, 0, none, "\x1bOH"},
		{"End", tcell.KeyEnd, 0, none, "\x1bOF"},
		{"Ctrl-Left", tcell.KeyLeft, 0, ctrl, "\x1b[1;5D"},
		{"Shift-Up", tcell.KeyUp, 0, shift, "\x1b[1;2A"},
		{"Alt-Shift-Right", tcell.KeyRight, 0, alt | shift, "\x1b[1;4C"},
		{"Ctrl-Alt-Shift-End", tcell.KeyEnd, 0, alt | shift | ctrl, "\x1b[1;8F"},
		{"Insert", tcell.KeyInsert, 0, none, "\x1b[2~"},
		{"Delete", tcell.KeyDelete, 0, none, "\x1b[3~"},
		{"Shift-Delete", tcell.KeyDelete, 0, shift, "\x1b[3;2~"},
		{"PgUp", tcell.KeyPgUp, 0, none, "\x1b[5~"},
		{"Ctrl-PgDn", tcell.KeyPgDn, 0, ctrl, "\x1b[6;5~"},
		{"F1", tcell.KeyF1, 0, none, "\x1bOP"},
		{"F4", tcell.KeyF4, 0, none, "\x1bOS"},
		{"Ctrl-F1", tcell.KeyF1, 0, ctrl, "\x1b[1;5P"},
		{"F5", tcell.KeyF5, 0, none, "\x1b[15~"},
		{"F6", tcell.KeyF6, 0, none, "\x1b[17~"},
		{"F10", tcell.KeyF10, 0, none, "\x1b[21~"},
		{"F11", tcell.KeyF11, 0, none, "\x1b[23~"},
		{"F12", tcell.KeyF12, 0, none, "\x1b[24~"},
		{"Alt-F12", tcell.KeyF12, 0, alt, "\x1b[24;3~"},
		{"F13 is Shift-F1", tcell.KeyF13, 0, none, "\x1b[1;2P"},
		{"F29 is Ctrl-F5", tcell.KeyF29, 0, none, "\x1b[15;5~"},
		{"unknown key sends nothing", tcell.KeyPrint, 0, none, ""},
		{"unknown Alt key sends nothing", tcell.KeyPrint, 0, alt, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := string(appendKey(nil, tcell.NewEventKey(tc.key, tc.r, tc.mod)))
			if got != tc.want {
				t.Errorf("%v → %q, want %q", tcell.NewEventKey(tc.key, tc.r, tc.mod).Name(), got, tc.want)
			}
		})
	}
}

// TestAppendKeyFromTerminalBytes feeds what a terminal sends through
// tcell's own input decoder and checks what goes to the server: the two
// together are what the user's keys become. (A lone ESC would wait for
// the decoder's 50 ms timeout, so every input here is complete.)
func TestAppendKeyFromTerminalBytes(t *testing.T) {
	tests := []struct{ in, want string }{
		{"hi", "hi"},
		{"\r", "\r"},
		{"\x7f", "\x7f"},
		{"\x01", "\x01"},
		{"\x1e", "\x1e"},
		{"\x1b[A", "\x1bOA"},
		{"\x1bOA", "\x1bOA"},
		{"\x1b[1;5C", "\x1b[1;5C"},
		{"\x1b[3~", "\x1b[3~"},
		{"\x1bOP", "\x1bOP"},
		{"\x1b[15;2~", "\x1b[15;2~"},
		{"\x1bx", "\x1bx"},
		{"é中", "é中"},
		{"\x1b[97;5u", "\x01"},    // kitty CSI u: Ctrl-a
		{"\x1b[27;5;94~", "\x1e"}, // xterm modifyOtherKeys: Ctrl-^
	}
	for _, tc := range tests {
		evs := make(chan tcell.Event, 64)
		tcell.NewInputProcessor(evs).ScanUTF8([]byte(tc.in))
		var got []byte
	drain:
		for {
			select {
			case ev := <-evs:
				if k, ok := ev.(*tcell.EventKey); ok {
					got = appendKey(got, k)
				}
			default:
				break drain
			}
		}
		if string(got) != tc.want {
			t.Errorf("terminal %q → sent %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestAppendMouse(t *testing.T) {
	normalSGR := vt.Modes{Mouse: vt.MouseNormal, MouseEncoding: vt.MouseEncodingSGR}
	type ev struct {
		x, y int
		b    tcell.ButtonMask
		mod  tcell.ModMask
	}
	tests := []struct {
		name  string
		modes vt.Modes
		sgr   bool
		evs   []ev
		want  string
	}{
		{"left click", normalSGR, false, []ev{{4, 2, tcell.Button1, 0}, {4, 2, 0, 0}},
			"\x1b[<0;5;3M\x1b[<0;5;3m"},
		{"right click names the released button", normalSGR, false, []ev{{0, 0, tcell.Button2, 0}, {0, 0, 0, 0}},
			"\x1b[<2;1;1M\x1b[<2;1;1m"},
		{"middle", normalSGR, false, []ev{{9, 9, tcell.Button3, 0}}, "\x1b[<1;10;10M"},
		{"wheel", normalSGR, false, []ev{{1, 1, tcell.WheelUp, 0}, {1, 1, tcell.WheelDown, 0}},
			"\x1b[<64;2;2M\x1b[<65;2;2M"},
		{"modifiers", normalSGR, false, []ev{{0, 0, tcell.Button1, tcell.ModCtrl | tcell.ModShift}},
			"\x1b[<20;1;1M"},
		{"alt", normalSGR, false, []ev{{0, 0, tcell.Button1, tcell.ModAlt}}, "\x1b[<8;1;1M"},
		{"no motion in normal mode", normalSGR, false, []ev{{0, 0, tcell.Button1, 0}, {3, 0, tcell.Button1, 0}},
			"\x1b[<0;1;1M"},
		{"drag in button mode", vt.Modes{Mouse: vt.MouseButton, MouseEncoding: vt.MouseEncodingSGR}, false,
			[]ev{{0, 0, tcell.Button1, 0}, {3, 0, tcell.Button1, 0}, {3, 0, 0, 0}},
			"\x1b[<0;1;1M\x1b[<32;4;1M\x1b[<0;4;1m"},
		{"hover only in any-event mode", vt.Modes{Mouse: vt.MouseAny, MouseEncoding: vt.MouseEncodingSGR}, false,
			[]ev{{5, 5, 0, 0}, {6, 5, 0, 0}}, "\x1b[<35;6;6M\x1b[<35;7;6M"},
		{"hover ignored in button mode", vt.Modes{Mouse: vt.MouseButton, MouseEncoding: vt.MouseEncodingSGR}, false,
			[]ev{{5, 5, 0, 0}, {6, 5, 0, 0}}, ""},
		{"X10 encoding", vt.Modes{Mouse: vt.MouseNormal}, false, []ev{{4, 2, tcell.Button1, 0}, {4, 2, 0, 0}},
			"\x1b[M\x20\x25\x23\x1b[M\x23\x25\x23"},
		{"X10 encoding can't reach column 224", vt.Modes{Mouse: vt.MouseNormal}, false, []ev{{230, 0, tcell.Button1, 0}}, ""},
		{"urxvt", vt.Modes{Mouse: vt.MouseNormal, MouseEncoding: vt.MouseEncodingURXVT}, false,
			[]ev{{230, 0, tcell.Button1, 0}}, "\x1b[32;231;1M"},
		{"utf-8", vt.Modes{Mouse: vt.MouseNormal, MouseEncoding: vt.MouseEncodingUTF8}, false,
			[]ev{{230, 0, tcell.Button1, 0}}, "\x1b[M \u0107!"},
		{"X10 mode: presses only, no modifiers", vt.Modes{Mouse: vt.MouseX10}, false,
			[]ev{{0, 0, tcell.Button1, tcell.ModCtrl}, {0, 0, 0, 0}}, "\x1b[M !!"},
		{"gosh server: always SGR", vt.Modes{Mouse: vt.MouseNormal}, true,
			[]ev{{0, 0, tcell.Button1, 0}}, "\x1b[<0;1;1M"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var ms mouseState
			var got []byte
			for _, e := range tc.evs {
				got = ms.appendMouse(got, tcell.NewEventMouse(e.x, e.y, e.b, e.mod), tc.modes, tc.sgr)
			}
			if string(got) != tc.want {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}
