package vt

// Esc implements parser.Performer: escape sequences (ECMA-35 and the VT
// series; xterm ctlseqs "Controls beginning with ESC").
func (s *Screen) Esc(intermediates []byte, final byte) {
	switch len(intermediates) {
	case 0:
		s.escPlain(final)
	case 1:
		switch im := intermediates[0]; im {
		case '#':
			if final == '8' {
				s.alignmentTest()
			}
		case '(', ')', '*', '+': // SCS: designate a 94-character set to G0–G3
			s.charsets[im-'('] = charsetFor(final)
		}
	}
}

func (s *Screen) escPlain(final byte) {
	switch final {
	case '7': // DECSC
		s.saveCursor()
	case '8': // DECRC
		s.restoreCursor()
	case 'D': // IND
		s.wrapNext = false
		s.index()
	case 'E': // NEL
		s.carriageReturn()
		s.index()
	case 'H': // HTS
		s.tabs[s.x] = true
	case 'M': // RI
		s.reverseIndex()
	case 'N': // SS2
		s.single = 2
	case 'O': // SS3
		s.single = 3
	case 'c': // RIS
		s.reset()
	case '=': // DECKPAM
		s.modes.AppKeypad = true
	case '>': // DECKPNM
		s.modes.AppKeypad = false
	case 'n': // LS2
		s.gl = 2
	case 'o': // LS3
		s.gl = 3
	}
}
