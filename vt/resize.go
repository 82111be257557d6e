package vt

// Resize changes the screen size, keeping content, as tmux does
// (screen.c screen_resize_cursor):
//
//  1. Height first: when shrinking, blank rows below the cursor are
//     dropped from the bottom before rows go up into the scrollback; when
//     growing, lines come back down from the scrollback before blank rows
//     are added at the bottom.
//  2. Width: the main buffer and its scrollback are reflowed: soft-wrapped
//     rows (RowWrapped) are joined into logical lines and wrapped again at
//     the new width; the cursor stays on the character it was on.
//
// The alternate buffer is clipped or extended, never reflowed, and lines
// leaving its top are lost. Margins are reset to the full screen.
func (s *Screen) Resize(cols, rows int) {
	cols, rows = clampSize(cols, rows)
	if cols == s.cols && rows == s.rows {
		return
	}
	onAlt := s.cur == &s.alt

	// The main buffer's cursor: the live one, or the one saved on entry
	// to the alternate screen.
	mx, my, mwrap := s.x, s.y, s.wrapNext
	if onAlt {
		mx, my, mwrap = s.main.saved.x, s.main.saved.y, s.main.saved.wrapNext
		if !s.main.saved.valid {
			mx, my, mwrap = min(s.x, s.cols-1), min(s.y, s.rows-1), false
		}
	}
	mx, my, mwrap = s.reflowMain(cols, rows, mx, my, mwrap)
	ax, ay := s.resizeAlt(cols, rows)

	oldCols := s.cols
	s.cols, s.rows = cols, rows
	if onAlt {
		s.x, s.y, s.wrapNext = ax, ay, false
		s.main.saved.x, s.main.saved.y, s.main.saved.wrapNext = mx, my, mwrap
	} else {
		s.x, s.y, s.wrapNext = mx, my, mwrap
		s.alt.saved.x, s.alt.saved.y = min(s.alt.saved.x, cols-1), min(s.alt.saved.y, rows-1)
	}
	if !s.modes.Autowrap {
		s.wrapNext = false
	}
	for _, b := range []*buffer{&s.main, &s.alt} {
		b.saved.x, b.saved.y = min(b.saved.x, cols-1), min(b.saved.y, rows-1)
	}
	s.top, s.bottom = 0, rows-1

	tabs := make([]bool, cols)
	copy(tabs, s.tabs)
	for x := oldCols; x < cols; x++ {
		tabs[x] = x%8 == 0
	}
	s.tabs = tabs
}

// lineBlank reports whether every cell of l is empty and unstyled.
func lineBlank(l *line) bool {
	for _, c := range l.cells {
		if !c.blank() {
			return false
		}
	}
	return true
}

// reflowMain rewraps the main buffer and scrollback at cols×rows and
// returns the cursor's new position.
func (s *Screen) reflowMain(cols, rows, cx, cy int, wrapNext bool) (int, int, bool) {
	all := s.scrollbackLines()
	firstScreen := len(all)
	cursorLine := len(all) + cy
	all = append(all, s.main.rows...)
	screenStart := 0 // index in out of the first row from the old screen

	// Step 2: logical lines, rewrapped.
	var out []*line
	ncx, ncy, nwrap := 0, 0, false
	var cells []cell
	for i := 0; i < len(all); {
		// Gather one logical line: all[i..j].
		cells = cells[:0]
		curOff := -1
		j := i
		for ; j < len(all); j++ {
			l := all[j]
			lc := l.cells
			if l.wrapped {
				lc = trimPadding(lc)
			} else {
				lc = trimBlank(lc)
			}
			if j == cursorLine {
				curOff = len(cells) + cx
				if wrapNext {
					curOff++
				}
			}
			cells = append(cells, lc...)
			if !l.wrapped {
				break
			}
		}
		if j == len(all) {
			j--
		}
		first := len(out)
		if i <= firstScreen && j >= firstScreen {
			screenStart = first
		}
		out = s.wrapCells(out, cells, cols)
		if curOff >= 0 {
			ncx, ncy, nwrap = cursorIn(out[first:], cells, curOff, cols)
			ncy += first
		}
		i = j + 1
	}
	if len(out) == 0 || ncy >= len(out) {
		out = append(out, s.sizedLine(cols))
	}

	// Blank rows below the cursor give way before rows of the old
	// screen would be pushed into the scrollback (tmux drops them when
	// the height shrinks; here also when narrowing makes rows).
	for len(out)-screenStart > rows && len(out)-1 > ncy && lineBlank(out[len(out)-1]) && !out[len(out)-2].wrapped {
		out = out[:len(out)-1]
	}
	// The visible rows are the last rows of the result; the rest is
	// scrollback.
	split := max(len(out)-rows, 0)
	visible := out[split:]
	for len(visible) < rows {
		visible = append(visible, s.sizedLine(cols))
	}
	s.main.rows = visible
	s.setScrollback(out[:split])
	ncy -= split
	if ncy < 0 {
		ncy, ncx, nwrap = 0, 0, false
	}
	return ncx, ncy, nwrap
}

// trimPadding drops the empty cells a wide character left at the end of a
// soft-wrapped row when it wrapped early.
func trimPadding(cells []cell) []cell {
	n := len(cells)
	for n > 0 && cells[n-1].blank() {
		n--
	}
	return cells[:n]
}

// trimBlank drops trailing cells that show no text (erased cells even when
// they carry a background colour), as tmux counts only used cells.
func trimBlank(cells []cell) []cell {
	n := len(cells)
	for n > 0 && cells[n-1].r == 0 && cells[n-1].flags == 0 {
		n--
	}
	return cells[:n]
}

func (s *Screen) sizedLine(cols int) *line {
	return &line{cells: make([]cell, cols), owner: s.id}
}

// wrapCells appends to out the rows that cells make at width cols: a
// wide character that would straddle the edge moves to the next row.
func (s *Screen) wrapCells(out []*line, cells []cell, cols int) []*line {
	l := s.sizedLine(cols)
	out = append(out, l)
	x := 0
	for i := 0; i < len(cells); i++ {
		c := cells[i]
		if c.flags&cellTail != 0 {
			continue // placed with its head
		}
		w := 1
		if c.flags&cellWide != 0 {
			w = 2
			if cols < 2 {
				c.flags &^= cellWide
				w = 1
			}
		}
		if x+w > cols {
			l.wrapped = true
			l = s.sizedLine(cols)
			out = append(out, l)
			x = 0
		}
		l.cells[x] = c
		if w == 2 {
			tail := cell{style: c.style, flags: cellTail}
			if i+1 < len(cells) && cells[i+1].flags&cellTail != 0 {
				tail = cells[i+1]
			}
			l.cells[x+1] = tail
		}
		x += w
	}
	return out
}

// cursorIn finds where offset off of a logical line's cells went in rows
// (as wrapCells laid them out).
func cursorIn(rows []*line, cells []cell, off, cols int) (x, y int, wrapNext bool) {
	// Walk the layout again, counting source cells.
	x, y = 0, 0
	for i := 0; i < len(cells) && i < off; i++ {
		c := cells[i]
		if c.flags&cellTail != 0 {
			continue
		}
		w := 1
		if c.flags&cellWide != 0 && cols >= 2 {
			w = 2
		}
		if x+w > cols {
			x, y = 0, y+1
		}
		x += w
	}
	if off > len(cells) {
		x += off - len(cells)
	}
	if x >= cols {
		if y+1 < len(rows) {
			return min(x-cols, cols-1), y + 1, false
		}
		return cols - 1, y, x == cols && off <= len(cells)
	}
	if off < len(cells) && x+cellW(cells[off], cols) > cols && y+1 < len(rows) {
		return 0, y + 1, false // the cursor's wide cell moved to the next row
	}
	return x, y, false
}

func cellW(c cell, cols int) int {
	if c.flags&cellWide != 0 && cols >= 2 {
		return 2
	}
	return 1
}

// resizeAlt clips or extends the alternate buffer and returns its
// cursor's new position.
func (s *Screen) resizeAlt(cols, rows int) (int, int) {
	x, y := s.x, s.y
	b := s.alt.rows
	if s.cur != &s.alt {
		x, y = 0, 0
		if b == nil {
			return 0, 0 // blank, and stays unallocated
		}
	}
	if rows < len(b) {
		end := len(b)
		for end > rows && end-1 > y && lineBlank(b[end-1]) {
			end--
		}
		b = b[:end]
		if len(b) > rows {
			y -= len(b) - rows
			b = b[len(b)-rows:]
		}
	}
	nb := make([]*line, 0, rows)
	for _, l := range b {
		nl := s.sizedLine(cols)
		copy(nl.cells, l.cells)
		if last := &nl.cells[cols-1]; last.flags&cellWide != 0 {
			*last = cell{style: last.style}
		}
		nb = append(nb, nl)
	}
	for len(nb) < rows {
		nb = append(nb, s.sizedLine(cols))
	}
	s.alt.rows = nb
	return min(max(x, 0), cols-1), min(max(y, 0), rows-1)
}
