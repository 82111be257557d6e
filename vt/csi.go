package vt

import (
	"strconv"

	"github.com/goshterm/gosh/vt/parser"
)

// CSI implements parser.Performer: control sequence dispatch (xterm
// ctlseqs "Functions using CSI"). Unknown sequences only clear a pending
// wrap, as in mosh.
func (s *Screen) CSI(seq *parser.Sequence) {
	p := &seq.Params
	switch len(seq.Intermediates) {
	case 0:
	case 1:
		s.csiIntermediate(seq, seq.Intermediates[0])
		return
	default:
		return
	}
	switch seq.Marker {
	case 0:
	case '?':
		s.csiPrivate(seq)
		return
	case '>':
		switch seq.Final {
		case 'c': // DA2: VT220-class, firmware 10, no ROM cartridge (as mosh)
			s.replyString("\x1b[>1;10;0c")
		case 'q': // XTVERSION
			s.replyString("\x1bP>|gosh\x1b\\")
		}
		return
	default:
		return
	}
	n := atLeast1(p, 0) // the usual count parameter: missing or 0 means 1
	switch seq.Final {
	case '@': // ICH
		s.insertCells(s.row(s.y), s.x, n, s.eraseIdx())
		s.wrapNext = false
	case 'A': // CUU
		s.cursorUp(n)
	case 'B', 'e': // CUD, VPR
		s.cursorDown(n)
	case 'C', 'a': // CUF, HPR
		s.setX(s.x + n)
	case 'D': // CUB
		s.setX(s.x - n)
	case 'E': // CNL
		s.cursorDown(n)
		s.x = 0
	case 'F': // CPL
		s.cursorUp(n)
		s.x = 0
	case 'G', '`': // CHA, HPA
		s.setX(n - 1)
	case 'H', 'f': // CUP, HVP
		s.moveTo(atLeast1(p, 1)-1, n-1)
	case 'I': // CHT
		s.tabForward(n)
	case 'J': // ED
		s.eraseDisplay(p.At(0, 0))
	case 'K': // EL
		s.eraseLine(p.At(0, 0))
	case 'L': // IL
		s.insertLines(n)
	case 'M': // DL
		s.deleteLines(n)
	case 'P': // DCH
		s.deleteCells(s.row(s.y), s.x, n, s.eraseIdx())
		s.wrapNext = false
	case 'S': // SU
		s.scrollUp(n)
	case 'T': // SD (with exactly 1 or no parameter; 5 is mouse tracking)
		if p.Len() <= 1 {
			s.scrollDown(n)
		}
	case 'X': // ECH
		s.eraseInRow(s.y, s.x, s.x+n, s.eraseIdx())
		s.wrapNext = false
	case 'Z': // CBT
		s.tabBackward(n)
	case 'b': // REP
		s.repeat(n)
	case 'c': // DA1
		if p.At(0, 0) == 0 {
			// VT220 with ANSI colour (22), as xterm's level-2 answer.
			s.replyString("\x1b[?62;22c")
		}
	case 'd': // VPA
		s.moveTo(s.x, n-1)
	case 'g': // TBC
		switch p.At(0, 0) {
		case 0:
			s.tabs[s.x] = false
		case 3:
			clear(s.tabs)
		}
	case 'h', 'l': // SM, RM
		for i := 0; i < p.Len(); i++ {
			s.setANSIMode(p.At(i, 0), seq.Final == 'h')
		}
	case 'm': // SGR
		s.sgr(p)
	case 'n': // DSR
		switch p.At(0, 0) {
		case 5:
			s.replyString("\x1b[0n")
		case 6:
			x, y := s.reportPos()
			s.reply3("\x1b[", y, ";", x, "R")
		}
	case 'r': // DECSTBM
		s.setMargins(atLeast1(p, 0)-1, p.At(1, 0)-1)
	case 's': // SCOSC (without DECSLRM, CSI s saves the cursor)
		s.saveCursor()
	case 'u': // SCORC
		s.restoreCursor()
	}
}

// csiPrivate handles CSI ? … sequences.
func (s *Screen) csiPrivate(seq *parser.Sequence) {
	p := &seq.Params
	switch seq.Final {
	case 'h', 'l':
		for i := 0; i < p.Len(); i++ {
			s.setDECMode(p.At(i, 0), seq.Final == 'h')
		}
	case 'J': // DECSED
		s.selective = true
		s.eraseDisplay(p.At(0, 0))
		s.selective = false
	case 'K': // DECSEL
		s.selective = true
		s.eraseLine(p.At(0, 0))
		s.selective = false
	case 'n':
		if p.At(0, 0) == 6 { // DECXCPR
			x, y := s.reportPos()
			s.reply3("\x1b[?", y, ";", x, "R")
		}
	}
}

// csiIntermediate handles sequences with one intermediate byte.
func (s *Screen) csiIntermediate(seq *parser.Sequence, im byte) {
	p := &seq.Params
	switch {
	case im == ' ' && seq.Final == 'q' && seq.Marker == 0: // DECSCUSR
		switch v := p.At(0, 0); v {
		case 0, 1, 2, 3, 4, 5, 6:
			s.shape = [...]CursorShape{CursorDefault, CursorBlock, CursorBlock,
				CursorUnderline, CursorUnderline, CursorBar, CursorBar}[v]
			s.blink = v%2 == 1
		}
	case im == '"' && seq.Final == 'q' && seq.Marker == 0: // DECSCA
		switch p.At(0, 0) {
		case 0, 2:
			s.protected = false
		case 1:
			s.protected = true
		}
	case im == '!' && seq.Final == 'p' && seq.Marker == 0: // DECSTR
		s.softReset()
	case im == '$' && seq.Final == 'p': // DECRQM
		mode := p.At(0, 0)
		if seq.Marker == '?' {
			s.reply3("\x1b[?", mode, ";", s.decModeState(mode), "$y")
		} else if seq.Marker == 0 {
			s.reply3("\x1b[", mode, ";", s.ansiModeState(mode), "$y")
		}
	}
}

// reportPos returns the 1-based cursor position for CPR, relative to the
// scroll region's top in origin mode.
func (s *Screen) reportPos() (x, y int) {
	y = s.y + 1
	if s.modes.Origin {
		y -= s.top
	}
	return s.x + 1, y
}

// atLeast1 returns parameter i, treating missing and 0 as 1.
func atLeast1(p *parser.Params, i int) int {
	return max(p.At(i, 1), 1)
}

func (s *Screen) replyString(str string) {
	if s.reply != nil {
		s.reply.Write([]byte(str)) //nolint:errcheck // replies are best effort
	}
}

// reply3 writes a + n1 + b + n2 + c.
func (s *Screen) reply3(a string, n1 int, b string, n2 int, c string) {
	if s.reply == nil {
		return
	}
	buf := append(s.scratch[:0], a...)
	buf = strconv.AppendInt(buf, int64(n1), 10)
	buf = append(buf, b...)
	buf = strconv.AppendInt(buf, int64(n2), 10)
	buf = append(buf, c...)
	s.scratch = buf
	s.reply.Write(buf) //nolint:errcheck // replies are best effort
}
