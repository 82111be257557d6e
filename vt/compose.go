package vt

import (
	"unicode/utf8"

	"github.com/rivo/uniseg"
)

// Frame composition.
//
// The multiplexer builds each client's frame as a Screen of the client's
// size: every pane's grid copied into its rectangle, borders and a status
// line drawn around them, and the cursor, modes and title taken from the
// active pane (package mux/compose). Going through Write with CUP and SGR
// sequences would parse and re-intern every cell of every frame; the
// methods below set cells directly instead.
//
// They follow the same rules as printing, so a composed frame satisfies
// every invariant an emulated one does: a wide cell always has its tail
// beside it (a wide character that does not fit is replaced by a blank,
// as xterm does for one that would straddle the right margin), half-
// overwritten wide cells are blanked, and rows stay copy-on-write: a row
// whose cells come out identical is not touched, so after
// `next := prev.Clone(); compose into next` the unchanged rows of the two
// screens are the same pointers and Diff skips them cheaply.

// SetCell sets the cell at column x, row y of the visible grid. c.Text is
// one grapheme cluster ("" for an empty cell) and c.Width its width: 2 for
// a wide cell, which also sets the tail at x+1, or is replaced by a blank
// cell of the same style when x is the last column. A Width of 0 (a wide
// cell's tail on its own) sets a blank cell. Out-of-range coordinates are
// ignored.
func (s *Screen) SetCell(x, y int, c Cell) {
	if x < 0 || y < 0 || x >= s.cols || y >= s.rows {
		return
	}
	nc := cell{style: s.internStyle(c.Style)}
	w := 1
	if c.Width > 0 && c.Text != "" && !(c.Width == 2 && x == s.cols-1) {
		nc = s.textCell(c.Text, nc.style)
		if c.Width == 2 {
			nc.flags |= cellWide
			w = 2
		}
	}
	s.putCells(y, x, nc, w)
}

// textCell returns a cell showing the grapheme cluster text in style st:
// the code point itself, or an interned multi-rune cluster (a blank cell
// when the cluster table is full).
func (s *Screen) textCell(text string, st uint16) cell {
	r, n := utf8.DecodeRuneInString(text)
	if n == len(text) {
		return cell{r: r, style: st}
	}
	i, ok := s.tab.clustIdx[text]
	if !ok {
		if i, ok = s.internCluster([]byte(text)); !ok {
			return cell{style: st}
		}
	}
	return cell{r: i, style: st, flags: cellCluster}
}

// putCells writes c (and its tail when w is 2) at (x, y), touching the row
// only when something changes.
func (s *Screen) putCells(y, x int, c cell, w int) {
	l := s.cur.rows[y]
	tail := cell{style: c.style, flags: cellTail}
	if l.cells[x] == c && (w == 1 || l.cells[x+1] == tail) {
		return
	}
	l = s.row(y)
	s.clearPartners(l, x, x+w)
	l.cells[x] = c
	if w == 2 {
		l.cells[x+1] = tail
	}
}

// FillRect sets every cell of the w×h rectangle at (x, y), clipped to the
// screen, to c (a Width 2 cell is treated as width 1: use SetCell for wide
// characters).
func (s *Screen) FillRect(x, y, w, h int, c Cell) {
	x0, y0 := max(x, 0), max(y, 0)
	x1, y1 := min(x+w, s.cols), min(y+h, s.rows)
	if x0 >= x1 || y0 >= y1 {
		return
	}
	nc := cell{style: s.internStyle(c.Style)}
	if c.Width != 0 && c.Text != "" {
		nc = s.textCell(c.Text, nc.style)
	}
	for yy := y0; yy < y1; yy++ {
		l := s.cur.rows[yy]
		same := true
		for _, old := range l.cells[x0:x1] {
			if old != nc {
				same = false
				break
			}
		}
		if same {
			continue
		}
		l = s.row(yy)
		s.clearPartners(l, x0, x1)
		fill(l.cells[x0:x1], nc)
	}
}

// PutText writes text on row y from column x in style st, one grapheme
// cluster per cell (two for wide ones, by the same widths printing uses),
// stopping before column maxX (clipped to the screen width). A wide
// character that would cross maxX is not written. Zero-width code points
// that start a cluster are dropped, as printing drops them. It returns the
// column after the last cell written.
//
// It is for text the multiplexer draws itself (status line, copy-mode
// indicator), so it interprets no control characters: they are dropped.
func (s *Screen) PutText(x, y, maxX int, text string, st Style) int {
	maxX = min(maxX, s.cols)
	if y < 0 || y >= s.rows || x >= maxX {
		return x
	}
	idx := s.internStyle(st)
	for len(text) > 0 && x < maxX {
		b := text[0]
		if b < utf8.RuneSelf {
			text = text[1:]
			if b < 0x20 || b == 0x7f {
				continue
			}
			if x >= 0 {
				s.putCells(y, x, cell{r: rune(b), style: idx}, 1)
			}
			x++
			continue
		}
		cl, rest, _, _ := uniseg.FirstGraphemeClusterInString(text, -1)
		text = rest
		r, n := utf8.DecodeRuneInString(cl)
		w := clusterWidth(cl)
		if w == 0 {
			continue
		}
		if x+w > maxX {
			break
		}
		if x >= 0 {
			c := cell{r: r, style: idx}
			if n < len(cl) {
				c = s.textCell(cl, idx)
			}
			if w == 2 {
				c.flags |= cellWide
			}
			s.putCells(y, x, c, w)
		}
		x += w
	}
	return x
}

// CopyRect copies the w×h rectangle of src's visible grid at (sx, sy) to
// (dx, dy) of s, clipped to both screens. Styles and clusters are
// translated into s's tables. A wide character cut by the rectangle's left
// or right edge is replaced by a blank of its style, so that nothing
// spills past a pane's edge onto a border. src may be read concurrently
// by other readers but must not be written during the call; src == s is
// not supported.
func (s *Screen) CopyRect(dx, dy int, src *Screen, sx, sy, w, h int) {
	if src == s {
		return
	}
	// Clip against the source, then the destination.
	if sx < 0 {
		w += sx
		dx -= sx
		sx = 0
	}
	if sy < 0 {
		h += sy
		dy -= sy
		sy = 0
	}
	if dx < 0 {
		w += dx
		sx -= dx
		dx = 0
	}
	if dy < 0 {
		h += dy
		sy -= dy
		dy = 0
	}
	w = min(w, src.cols-sx, s.cols-dx)
	h = min(h, src.rows-sy, s.rows-dy)
	if w <= 0 || h <= 0 {
		return
	}
	same := src.tab == s.tab
	// Direct-mapped cache of source style index → destination index.
	var cache [64]struct {
		src, dst uint16
		ok       bool
	}
	conv := func(c cell) cell {
		c.flags &^= cellProtected
		if same {
			return c
		}
		if c.style != 0 {
			e := &cache[c.style&63]
			if !e.ok || e.src != c.style {
				*e = struct {
					src, dst uint16
					ok       bool
				}{c.style, s.internStyle(src.tab.styles[c.style]), true}
			}
			c.style = e.dst
		}
		if c.flags&cellCluster != 0 {
			t := s.textCell(src.tab.clusters[c.r], c.style)
			c.r, c.flags = t.r, t.flags|c.flags&cellWide
		}
		return c
	}
	for i := range h {
		scells := src.cur.rows[sy+i].cells[sx : sx+w]
		var l *line
		for x, c := range scells {
			c = conv(c)
			if (x == 0 && c.flags&cellTail != 0) || (x == w-1 && c.flags&cellWide != 0) {
				c = cell{style: c.style}
			}
			if l == nil {
				if s.cur.rows[dy+i].cells[dx+x] == c {
					continue
				}
				l = s.row(dy + i)
				s.clearPartners(l, dx, dx+w)
			}
			l.cells[dx+x] = c
		}
	}
}

// SetCursor moves the cursor to (c.X, c.Y), clamped to the screen, and
// sets its visibility, shape and blinking. A pending wrap is cancelled.
func (s *Screen) SetCursor(c Cursor) {
	s.x = min(max(c.X, 0), s.cols-1)
	s.y = min(max(c.Y, 0), s.rows-1)
	s.wrapNext = false
	s.cursorVis = c.Visible
	s.shape = c.Shape
	s.blink = c.Blink
}

// SetFrameModes sets the modes a frame carries to the real terminal (those
// FrameEqual compares): AppCursorKeys, AppKeypad, BracketedPaste,
// FocusEvents, SyncOutput, ReverseVideo, Mouse and MouseEncoding. The
// modes that only change how Write interprets later bytes (Insert,
// Origin, Autowrap, NewLine, AltScreen) are left alone.
func (s *Screen) SetFrameModes(m Modes) {
	s.modes.AppCursorKeys = m.AppCursorKeys
	s.modes.AppKeypad = m.AppKeypad
	s.modes.BracketedPaste = m.BracketedPaste
	s.modes.FocusEvents = m.FocusEvents
	s.modes.SyncOutput = m.SyncOutput
	s.modes.ReverseVideo = m.ReverseVideo
	s.modes.Mouse = m.Mouse
	s.modes.MouseEncoding = m.MouseEncoding
}

// SetTitle sets the window title, as OSC 2 would.
func (s *Screen) SetTitle(title string) { s.title = title }

// SetClipboard sets the clipboard state, as OSC 52 would: the selection
// parameter (e.g. "c") and the base64 data. A frame differing in it makes
// the client's terminal set its clipboard.
func (s *Screen) SetClipboard(selection, data string) {
	s.clipSel, s.clipData = selection, data
}

// SetBellCount sets the number of bells rung; a frame whose count grew
// rings the client's bell.
func (s *Screen) SetBellCount(n uint64) { s.bells = n }

// TextWidth returns the number of columns PutText uses for text when
// nothing stops it: the sum of its grapheme clusters' widths, control
// characters and zero-width starters counting 0.
func TextWidth(text string) int {
	w := 0
	for len(text) > 0 {
		b := text[0]
		if b < utf8.RuneSelf {
			text = text[1:]
			if b >= 0x20 && b != 0x7f {
				w++
			}
			continue
		}
		cl, rest, _, _ := uniseg.FirstGraphemeClusterInString(text, -1)
		text = rest
		w += clusterWidth(cl)
	}
	return w
}

// clusterWidth is the width PutText gives a non-ASCII cluster.
func clusterWidth(cl string) int {
	r, n := utf8.DecodeRuneInString(cl)
	w := runeWidth(r)
	if w != 0 && n < len(cl) {
		// Emoji presentation selectors and the like widen a cluster.
		w = min(max(w, uniseg.StringWidth(cl)), 2)
	}
	return w
}
