package vt

// CursorShape is the cursor style set by DECSCUSR (CSI Ps SP q).
type CursorShape uint8

// Cursor shapes.
const (
	CursorDefault   CursorShape = iota // DECSCUSR 0: the terminal's default
	CursorBlock                        // DECSCUSR 1, 2
	CursorUnderline                    // DECSCUSR 3, 4
	CursorBar                          // DECSCUSR 5, 6
)

// Cursor is the cursor's position (0-based, always inside the screen) and
// appearance.
type Cursor struct {
	X, Y    int
	Visible bool // DECTCEM (?25)
	Shape   CursorShape
	Blink   bool // DECSCUSR odd values (1, 3, 5)
}

// MouseMode is the mouse tracking mode the host asked for (xterm ctlseqs
// "Mouse Tracking"). Setting one replaces the others, as in xterm.
type MouseMode uint8

// Mouse tracking modes.
const (
	MouseNone   MouseMode = iota
	MouseX10              // ?9: button press only
	MouseNormal           // ?1000: press and release
	MouseButton           // ?1002: plus motion while a button is down
	MouseAny              // ?1003: plus all motion
)

// MouseEncoding is how mouse reports are encoded.
type MouseEncoding uint8

// Mouse report encodings.
const (
	MouseEncodingDefault MouseEncoding = iota // X10 bytes
	MouseEncodingUTF8                         // ?1005
	MouseEncodingSGR                          // ?1006
	MouseEncodingURXVT                        // ?1015
)

// Modes are the terminal modes that the multiplexer must track, forward to
// the real terminal, or report.
type Modes struct {
	AppCursorKeys  bool // DECCKM (?1): cursor keys send ESC O A…
	AppKeypad      bool // DECKPAM (ESC =) / DECKPNM (ESC >)
	BracketedPaste bool // ?2004
	FocusEvents    bool // ?1004
	SyncOutput     bool // ?2026: the host is between frames
	ReverseVideo   bool // DECSCNM (?5)
	Mouse          MouseMode
	MouseEncoding  MouseEncoding

	Insert    bool // IRM (4)
	Origin    bool // DECOM (?6)
	Autowrap  bool // DECAWM (?7)
	NewLine   bool // LNM (20): LF, VT and FF also return the carriage
	AltScreen bool // ?47 / ?1047 / ?1049: the alternate buffer is shown
}

// frameEqual compares the modes a frame diff transmits.
func (m Modes) frameEqual(o Modes) bool {
	return m.AppCursorKeys == o.AppCursorKeys && m.AppKeypad == o.AppKeypad &&
		m.BracketedPaste == o.BracketedPaste && m.FocusEvents == o.FocusEvents &&
		m.SyncOutput == o.SyncOutput && m.ReverseVideo == o.ReverseVideo &&
		m.Mouse == o.Mouse && m.MouseEncoding == o.MouseEncoding
}

// setANSIMode handles SM/RM (CSI Pm h / l) for one mode.
func (s *Screen) setANSIMode(mode int, on bool) {
	switch mode {
	case 4:
		s.modes.Insert = on
	case 20:
		s.modes.NewLine = on
	}
}

// ansiModeState returns the DECRPM state of an ANSI mode: 1 set, 2 reset,
// 0 not recognised, 4 permanently reset.
func (s *Screen) ansiModeState(mode int) int {
	switch mode {
	case 4:
		return boolState(s.modes.Insert)
	case 20:
		return boolState(s.modes.NewLine)
	case 2, 12: // KAM, SRM: never supported
		return 4
	}
	return 0
}

func boolState(b bool) int {
	if b {
		return 1
	}
	return 2
}

// setDECMode handles DECSET/DECRST (CSI ? Pm h / l) for one mode. Numbers
// are from xterm ctlseqs "DEC Private Mode Set".
func (s *Screen) setDECMode(mode int, on bool) {
	switch mode {
	case 1:
		s.modes.AppCursorKeys = on
	case 5:
		s.modes.ReverseVideo = on
	case 6:
		s.modes.Origin = on
		s.moveTo(0, 0) // DECOM homes the cursor (to the margin when set)
	case 7:
		s.modes.Autowrap = on
		if !on {
			s.wrapNext = false
		}
	case 25:
		s.cursorVis = on
	case 9:
		s.setMouse(MouseX10, on)
	case 1000:
		s.setMouse(MouseNormal, on)
	case 1002:
		s.setMouse(MouseButton, on)
	case 1003:
		s.setMouse(MouseAny, on)
	case 1004:
		s.modes.FocusEvents = on
	case 1005:
		s.setMouseEncoding(MouseEncodingUTF8, on)
	case 1006:
		s.setMouseEncoding(MouseEncodingSGR, on)
	case 1015:
		s.setMouseEncoding(MouseEncodingURXVT, on)
	case 2004:
		s.modes.BracketedPaste = on
	case 2026:
		s.modes.SyncOutput = on
	case 47:
		s.switchBuffer(on, false, false)
	case 1047:
		s.switchBuffer(on, false, true)
	case 1048:
		if on {
			s.saveCursor()
		} else {
			s.restoreCursor()
		}
	case 1049:
		s.switchBuffer(on, true, true)
	}
}

func (s *Screen) setMouse(m MouseMode, on bool) {
	if on {
		s.modes.Mouse = m
	} else if s.modes.Mouse == m {
		s.modes.Mouse = MouseNone
	}
}

func (s *Screen) setMouseEncoding(e MouseEncoding, on bool) {
	if on {
		s.modes.MouseEncoding = e
	} else if s.modes.MouseEncoding == e {
		s.modes.MouseEncoding = MouseEncodingDefault
	}
}

// decModeState returns the DECRPM state of a DEC private mode.
func (s *Screen) decModeState(mode int) int {
	m := &s.modes
	switch mode {
	case 1:
		return boolState(m.AppCursorKeys)
	case 5:
		return boolState(m.ReverseVideo)
	case 6:
		return boolState(m.Origin)
	case 7:
		return boolState(m.Autowrap)
	case 25:
		return boolState(s.cursorVis)
	case 9:
		return boolState(m.Mouse == MouseX10)
	case 1000:
		return boolState(m.Mouse == MouseNormal)
	case 1002:
		return boolState(m.Mouse == MouseButton)
	case 1003:
		return boolState(m.Mouse == MouseAny)
	case 1004:
		return boolState(m.FocusEvents)
	case 1005:
		return boolState(m.MouseEncoding == MouseEncodingUTF8)
	case 1006:
		return boolState(m.MouseEncoding == MouseEncodingSGR)
	case 1015:
		return boolState(m.MouseEncoding == MouseEncodingURXVT)
	case 2004:
		return boolState(m.BracketedPaste)
	case 2026:
		return boolState(m.SyncOutput)
	case 47, 1047, 1049:
		return boolState(m.AltScreen)
	case 1048:
		return 2
	}
	return 0
}

// switchBuffer implements the alternate screen modes (xterm ctlseqs):
// 47 switches; 1047 also clears the alternate buffer when leaving it; 1049
// saves the cursor and clears the alternate buffer on entry, and restores
// the cursor on exit.
func (s *Screen) switchBuffer(alt, saveCursor, clear bool) {
	if alt == s.modes.AltScreen {
		if alt && saveCursor { // 1049 while already on alt: xterm still clears
			s.clearBuffer(&s.alt)
		}
		return
	}
	if alt {
		if saveCursor {
			s.saveCursor()
		}
		if s.alt.rows == nil {
			s.alt.rows = s.newRows(s.rows)
		}
		s.cur = &s.alt
		s.modes.AltScreen = true
		if saveCursor {
			s.clearBuffer(&s.alt)
		}
	} else {
		if clear {
			s.alt.rows = nil // blank; allocated again on the next entry
		}
		s.cur = &s.main
		s.modes.AltScreen = false
		if saveCursor {
			s.restoreCursor()
		}
	}
	s.wrapNext = false
}

func (s *Screen) clearBuffer(b *buffer) {
	for y := range b.rows {
		if b.rows[y].owner == s.id {
			clear(b.rows[y].cells)
			b.rows[y].wrapped = false
		} else {
			b.rows[y] = s.newLine()
		}
	}
}
