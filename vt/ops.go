package vt

// Cursor motion, scrolling and editing operations. Semantics follow xterm
// (ctlseqs) and the VT510 manual (vt100.net/docs/vt510-rm).

// moveTo puts the cursor at column x, row y, where y is relative to the top
// margin in origin mode (DECOM) and the cursor is then confined to the
// scroll region. It clears a pending wrap.
func (s *Screen) moveTo(x, y int) {
	s.wrapNext = false
	if s.modes.Origin {
		y += s.top
		s.y = min(max(y, s.top), s.bottom)
	} else {
		s.y = min(max(y, 0), s.rows-1)
	}
	s.x = min(max(x, 0), s.cols-1)
}

// setX moves within the row (CHA, HPA, CUF, CUB …).
func (s *Screen) setX(x int) {
	s.wrapNext = false
	s.x = min(max(x, 0), s.cols-1)
}

// cursorUp moves up n rows, stopping at the top margin when the cursor
// starts inside the scroll region (CUU).
func (s *Screen) cursorUp(n int) {
	s.wrapNext = false
	lim := 0
	if s.y >= s.top {
		lim = s.top
	}
	s.y = max(s.y-n, lim)
}

// cursorDown moves down n rows, stopping at the bottom margin when the
// cursor starts inside the scroll region (CUD).
func (s *Screen) cursorDown(n int) {
	s.wrapNext = false
	lim := s.rows - 1
	if s.y <= s.bottom {
		lim = s.bottom
	}
	s.y = min(s.y+n, lim)
}

// index moves the cursor down one row, scrolling the region up when it is
// on the bottom margin (IND, LF).
func (s *Screen) index() {
	switch {
	case s.y == s.bottom:
		s.scrollUp(1)
	case s.y < s.rows-1:
		s.y++
	}
}

// reverseIndex moves the cursor up one row, scrolling the region down when
// it is on the top margin (RI).
func (s *Screen) reverseIndex() {
	s.wrapNext = false
	switch {
	case s.y == s.top:
		s.scrollDown(1)
	case s.y > 0:
		s.y--
	}
}

// eraseIdx is the style erased cells get: the pen's background colour
// only (xterm's background colour erase).
func (s *Screen) eraseIdx() uint16 {
	if s.pen.Bg == 0 {
		return 0
	}
	return s.internStyle(Style{Bg: s.pen.Bg})
}

// blankLine returns a line to put into the region: l itself cleared when
// s owns it, else a new line.
func (s *Screen) blankLine(l *line, st uint16) *line {
	if l == nil || l.owner != s.id || len(l.cells) != s.cols {
		l = s.newLine()
	} else {
		l.wrapped = false
	}
	if st == 0 {
		clear(l.cells)
	} else {
		fill(l.cells, cell{style: st})
	}
	return l
}

func fill(cells []cell, c cell) {
	for i := range cells {
		cells[i] = c
	}
}

// scrollUp scrolls the region up n lines (SU, and IND at the bottom
// margin). Lines leaving the top of the main buffer enter the scrollback
// when the region starts at the top row; on the alternate buffer, or with
// a region lower down, they are lost.
func (s *Screen) scrollUp(n int) { s.scrollRegionUp(n, true) }

// scrollRegionUp is scrollUp; history says whether lines may enter the
// scrollback at all (DL never moves lines there).
func (s *Screen) scrollRegionUp(n int, history bool) {
	n = min(n, s.bottom-s.top+1)
	if n <= 0 {
		return
	}
	st := s.eraseIdx()
	rows := s.cur.rows
	keep := history && s.cur == &s.main && s.top == 0 && s.sbLimit > 0
	var gone [8]*line
	for done := 0; done < n; {
		k := min(n-done, len(gone))
		copy(gone[:k], rows[s.top:s.top+k])
		copy(rows[s.top:], rows[s.top+k:s.bottom+1])
		for i := 0; i < k; i++ {
			if keep {
				s.pushScrollback(gone[i]) // stores a copy: the row is reused
			}
			rows[s.bottom-k+1+i] = s.blankLine(gone[i], st)
		}
		done += k
	}
}

// scrollDown scrolls the region down n lines (SD, and RI at the top
// margin); lines pushed off the bottom are lost.
func (s *Screen) scrollDown(n int) {
	n = min(n, s.bottom-s.top+1)
	if n <= 0 {
		return
	}
	st := s.eraseIdx()
	rows := s.cur.rows
	var gone [8]*line
	for done := 0; done < n; {
		k := min(n-done, len(gone))
		copy(gone[:k], rows[s.bottom-k+1:s.bottom+1])
		copy(rows[s.top+k:], rows[s.top:s.bottom+1-k])
		for i := 0; i < k; i++ {
			rows[s.top+i] = s.blankLine(gone[i], st)
		}
		done += k
	}
}

// eraseInRow erases columns [x0, x1) of row y.
func (s *Screen) eraseInRow(y, x0, x1 int, st uint16) {
	x0, x1 = max(x0, 0), min(x1, s.cols)
	if x0 >= x1 {
		return
	}
	l := s.row(y)
	if s.selective {
		// DECSED/DECSEL: cells written under DECSCA survive, and
		// erased cells get no colour (VT510: "erases all erasable
		// characters").
		for x := x0; x < x1; x++ {
			if l.cells[x].flags&cellProtected == 0 {
				s.clearPartners(l, x, x+1)
				l.cells[x] = cell{}
			}
		}
		return
	}
	s.clearPartners(l, x0, x1)
	if st == 0 {
		clear(l.cells[x0:x1])
	} else {
		fill(l.cells[x0:x1], cell{style: st})
	}
	if x1 == s.cols {
		l.wrapped = false
	}
}

// eraseDisplay is ED (and DECSED when s.selective is set): 0 cursor to end, 1 start to cursor, 2 all, 3 scrollback (xterm).
func (s *Screen) eraseDisplay(mode int) {
	st := s.eraseIdx()
	switch mode {
	case 0:
		s.eraseInRow(s.y, s.x, s.cols, st)
		for y := s.y + 1; y < s.rows; y++ {
			s.eraseInRow(y, 0, s.cols, st)
		}
	case 1:
		for y := 0; y < s.y; y++ {
			s.eraseInRow(y, 0, s.cols, st)
		}
		s.eraseInRow(s.y, 0, s.x+1, st)
	case 2:
		for y := 0; y < s.rows; y++ {
			s.eraseInRow(y, 0, s.cols, st)
		}
	case 3:
		if !s.selective {
			s.setScrollback(nil)
		}
		return // the cursor's pending wrap survives, as in xterm
	default:
		return
	}
	s.wrapNext = false
}

// eraseLine is EL (and DECSEL): 0 cursor to end, 1 start to cursor, 2 all.
func (s *Screen) eraseLine(mode int) {
	st := s.eraseIdx()
	switch mode {
	case 0:
		s.eraseInRow(s.y, s.x, s.cols, st)
	case 1:
		s.eraseInRow(s.y, 0, s.x+1, st)
	case 2:
		s.eraseInRow(s.y, 0, s.cols, st)
	default:
		return
	}
	s.wrapNext = false
}

// insertCells shifts the cells from x right by n, dropping those pushed
// past the right edge, and blanks the n cells at x (ICH, insert mode).
func (s *Screen) insertCells(l *line, x, n int, st uint16) {
	n = min(n, s.cols-x)
	if n <= 0 {
		return
	}
	s.clearPartners(l, x, x) // a wide cell split at x is blanked
	copy(l.cells[x+n:], l.cells[x:s.cols-n])
	fill(l.cells[x:x+n], cell{style: st})
	// A wide head shifted into the last column lost its tail.
	if last := &l.cells[s.cols-1]; last.flags&cellWide != 0 {
		*last = cell{style: last.style}
	}
	l.wrapped = false
}

// deleteCells removes n cells at x, shifting the rest left and blanking
// the cells that come in at the right edge (DCH).
func (s *Screen) deleteCells(l *line, x, n int, st uint16) {
	n = min(n, s.cols-x)
	if n <= 0 {
		return
	}
	s.clearPartners(l, x, x+n)
	copy(l.cells[x:], l.cells[x+n:])
	fill(l.cells[s.cols-n:], cell{style: st})
	l.wrapped = false
}

// insertLines is IL: n blank lines at the cursor row, inside the scroll
// region only; the cursor goes to the left margin.
func (s *Screen) insertLines(n int) {
	if s.y < s.top || s.y > s.bottom {
		return
	}
	top := s.top
	s.top = s.y
	s.scrollDown(n)
	s.top = top
	s.x = 0
	s.wrapNext = false
}

// deleteLines is DL: n lines removed at the cursor row, inside the scroll
// region only (never into the scrollback).
func (s *Screen) deleteLines(n int) {
	if s.y < s.top || s.y > s.bottom {
		return
	}
	top := s.top
	s.top = s.y
	s.scrollRegionUp(n, false)
	s.top = top
	s.x = 0
	s.wrapNext = false
}

// setMargins is DECSTBM; invalid margins are ignored, valid ones home the
// cursor (to the top margin in origin mode).
func (s *Screen) setMargins(top, bottom int) {
	if top < 0 {
		top = 0
	}
	if bottom < 0 || bottom >= s.rows {
		bottom = s.rows - 1
	}
	if top >= bottom {
		return
	}
	s.top, s.bottom = top, bottom
	s.moveTo(0, 0)
}

// Tab stops.

func (s *Screen) resetTabs() {
	s.tabs = make([]bool, s.cols)
	for x := 8; x < s.cols; x += 8 {
		s.tabs[x] = true
	}
}

// tabForward moves to the n-th next tab stop, or the last column (HT, CHT).
func (s *Screen) tabForward(n int) {
	for ; n > 0 && s.x < s.cols-1; n-- {
		s.x++
		for s.x < s.cols-1 && !s.tabs[s.x] {
			s.x++
		}
	}
}

// tabBackward moves to the n-th previous tab stop, or column 0 (CBT).
func (s *Screen) tabBackward(n int) {
	s.wrapNext = false
	for ; n > 0 && s.x > 0; n-- {
		s.x--
		for s.x > 0 && !s.tabs[s.x] {
			s.x--
		}
	}
}

// Saved cursor (DECSC/DECRC).

func (s *Screen) saveCursor() {
	s.cur.saved = savedCursor{
		valid:    true,
		x:        s.x,
		y:        s.y,
		wrapNext: s.wrapNext,
		pen:      s.pen,
		origin:   s.modes.Origin,
		autowrap: s.modes.Autowrap,
		charsets: s.charsets,
		gl:       s.gl,
		protect:  s.protected,
	}
}

// restoreCursor is DECRC; without a prior DECSC it homes the cursor and
// resets the rendition and charsets, as xterm does.
func (s *Screen) restoreCursor() {
	sc := s.cur.saved
	if !sc.valid {
		sc = savedCursor{autowrap: s.modes.Autowrap}
	}
	s.x = min(sc.x, s.cols-1)
	s.y = min(sc.y, s.rows-1)
	s.wrapNext = sc.wrapNext && s.x == s.cols-1 && sc.autowrap
	s.setPen(sc.pen)
	s.modes.Origin = sc.origin
	s.modes.Autowrap = sc.autowrap
	s.charsets = sc.charsets
	s.gl = sc.gl
	s.single = 0
	s.protected = sc.protect
}

func (s *Screen) setPen(p Style) {
	s.pen = p
	s.penIdx = s.internStyle(p)
}

// reset is RIS (and the initial state): both buffers cleared, modes,
// margins, tab stops, charsets, pen and cursor reset. The scrollback,
// title, icon name, clipboard and bell count survive, as in xterm.
func (s *Screen) reset() {
	s.clearBuffer(&s.main)
	s.alt.rows = nil // blank; allocated on the next switch to it
	s.cur = &s.main
	s.main.saved, s.alt.saved = savedCursor{}, savedCursor{}
	s.modes = Modes{Autowrap: true}
	s.cursorVis = true
	s.shape, s.blink = CursorDefault, false
	s.top, s.bottom = 0, s.rows-1
	s.x, s.y, s.wrapNext = 0, 0, false
	s.charsets = [4]charset{}
	s.gl, s.single = 0, 0
	s.setPen(Style{})
	s.last, s.lastW = cell{}, 0
	s.protected = false
	s.resetTabs()
}

// softReset is DECSTR (CSI ! p; VT510 table 5-10): modes back to their
// defaults without touching the screen contents or cursor position.
func (s *Screen) softReset() {
	s.cursorVis = true
	s.modes.Insert = false
	s.modes.Origin = false
	s.modes.Autowrap = true
	s.modes.AppCursorKeys = false
	s.modes.AppKeypad = false
	s.top, s.bottom = 0, s.rows-1
	s.charsets = [4]charset{}
	s.gl, s.single = 0, 0
	s.setPen(Style{})
	s.cur.saved = savedCursor{}
	s.protected = false
	s.wrapNext = false
}

// alignmentTest is DECALN: the screen filled with 'E', margins reset,
// cursor home.
func (s *Screen) alignmentTest() {
	s.top, s.bottom = 0, s.rows-1
	s.modes.Origin = false
	for y := 0; y < s.rows; y++ {
		l := s.row(y)
		fill(l.cells, cell{r: 'E'})
		l.wrapped = false
	}
	s.moveTo(0, 0)
}

// repeat is REP: the last printed graphic character n more times.
func (s *Screen) repeat(n int) {
	if s.lastW == 0 {
		return
	}
	n = min(n, s.cols*s.rows)
	c, w := s.last, s.lastW
	for ; n > 0; n-- {
		s.printCell(c, w)
	}
}
