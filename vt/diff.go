package vt

import (
	"strconv"
	"sync"
	"unicode/utf8"

	"github.com/rivo/uniseg"
)

// The frame diff: the bytes that repaint one screen into another. This is
// the HostBytes of mosh's protocol (mosh src/terminal/terminaldisplay.cc,
// Display::new_frame): the server keeps the frame the client is known to
// show and sends the escape sequences that turn it into the current one.
//
// The receiver is either a vt.Screen (gosh's client replica) or a stock
// mosh 1.4 client, whose emulator understands much less than vt. So the
// output uses only what mosh's emulator implements (printing with
// deferred wrap, BEL, BS, CR, LF, ESC M, CUP, CUU, CUD, CUF, CUB, CHA,
// VPA, ECH, EL, ED, SU, DECSTBM, SGR with semicolon colours, DEC private
// modes, OSC 0/1/2/52) and sends what only vt understands (faint,
// strikethrough, overline, underline styles and colour, OSC 8 links,
// DECSCUSR, DECKPAM, ?2026) in forms mosh ignores: unknown SGR numbers,
// which mosh skips one by one, and separate CSIs with ':' sub-parameters,
// which mosh's parser drops whole. It never sends a query (DA, DSR, CPR,
// DECRQM): mosh-client aborts when its emulator produces a reply.
//
// The receiver model. Diff assumes the receiver shows `from`: every
// visible cell, wrap flag, cursor, pen and mode as FrameEqual compares
// them. For the state FrameEqual does not compare (margins, origin,
// insert, autowrap, LNM, charsets, DECSCA, pending wrap) it assumes either
// from's values or the "diff-normal" values every diff leaves behind
// (full margins, origin, insert, LNM and DECSCA off, autowrap on, ASCII
// in GL): it first resets whatever from has set, which is a no-op on a
// diff-normal receiver. A pending wrap in from is treated as "maybe":
// nothing is printed before the cursor has been positioned.
//
// Printing a cell has side effects on a vt receiver that the painter
// tracks per cell of the row being painted (diffRow): overwriting half of
// a wide character blanks the other half, keeping its style (xterm); a
// code point that extends the grapheme cluster of the cell to its left
// joins it (UAX #29) instead of taking a new cell. The painter uses the
// first effect on purpose to make empty cells in a style that an erase
// can't give (an erase takes only the pen's background): it prints
// U+3000 (an ideographic space, width 2) in that style and then
// overwrites its other half. It avoids the second by erasing the left
// neighbour before printing a cell that would join it, and repainting
// the neighbour afterwards.

// maxDiffBells caps the BELs one diff carries. A program ringing the bell
// in a loop must not turn a frame into megabytes; the receiver's count
// then falls behind, which only means fewer rings.
const maxDiffBells = 64

// Diff returns bytes that, written to a terminal that shows from (a
// vt.Screen or mosh-client's emulator), make it show to: every visible
// cell (text, width, style), row soft-wrap flags, the cursor's position,
// visibility and shape, the pen, title, icon name, clipboard, bell count
// (up to maxDiffBells more per diff; a count can't go down) and the modes
// FrameEqual compares. Diff(a, a) is empty. Neither screen is modified.
//
// When the sizes differ, the receiver must already have been resized to
// to's size (as mosh's Resize instruction precedes the HostBytes): the
// diff then repaints everything (CSI r, CSI H, CSI 2 J, every cell) and
// makes no assumption about the receiver's cells or cursor.
//
// So for any screens a and b of the same size,
//
//	c := a.Clone()
//	c.Write(Diff(a, b))
//
// leaves c.FrameEqual(b) true, unless b has fewer bells than a. States
// no byte stream can create are the exceptions: a narrow emoji cluster
// away from the last column (left by Resize), an empty cell in a
// soft-wrapped row of a one-column screen, and a row made only of empty
// cells in styles an erase can't give.
//
// The output is self-contained (complete sequences and UTF-8) and holds no
// query. A receiver that doesn't know a gosh extension (mosh 1.4) shows
// the frame without it: faint, strikethrough, overline, underline styles
// and colour, links and cursor shape are sent in forms mosh ignores.
func Diff(from, to *Screen) []byte {
	return to.AppendDiff(nil, from)
}

// AppendDiff appends Diff(from, s) to dst and returns the extended slice.
// With a reused dst it does not allocate in the steady state.
func (s *Screen) AppendDiff(dst []byte, from *Screen) []byte {
	d := differPool.Get().(*differ)
	d.b = dst
	d.run(from, s)
	out := d.b
	d.b, d.from, d.to, d.fl, d.tl, d.carryText = nil, nil, nil, nil, nil, ""
	differPool.Put(d)
	return out
}

var differPool = sync.Pool{New: func() any { return new(differ) }}

// differ holds the state of one Diff: the output and a model of the
// receiver.
type differ struct {
	b        []byte
	from, to *Screen
	cols     int
	rows     int

	// The receiver's cursor. known is false when its position is not
	// known (never, after the first positioning); pending means the
	// receiver may have a deferred wrap, so nothing may be printed
	// before the cursor is positioned.
	x, y    int
	known   bool
	pending bool
	pen     Style // the receiver's pen
	penTo   int   // index of pen in to's style table, or -1 when not known
	lastPut int   // column of the last cell putCell printed

	// odd is set while the margins are not the full screen (the
	// bottom-row wrap trick): moves use only CUP then.
	odd bool

	// src[y] is the from row the receiver shows in row y, or -1 for an
	// empty row (after a scroll or a full repaint).
	src []int

	// The row being painted.
	st       []uint8 // per cell: kind | flags
	fl, tl   *line   // receiver's source row (nil: empty) and target row
	py       int     // its index
	mwrapped bool    // the receiver row's wrap flag

	// carry: the previous row was painted up to its last cell, which left
	// a pending wrap meant to mark it wrapped; the next row's first cell
	// is printed without positioning. carryText is the text of the cell
	// the receiver would try to join that first print to.
	carry     bool
	carryText string
	// filler0 is the row whose cell 0 holds a filler space (from a wrap
	// trick), or -1; fillerLast the row whose last cell does and that is
	// wrapped whatever its source row says (the two-row wrap trick).
	filler0    int
	filler0W   int
	fillerLast int

	scratch []byte
	sgrBuf  [4][]byte // candidate SGR parameter strings, reused
}

// Per-cell model of the receiver row being painted: a kind and flags.
const (
	kFrom    uint8 = iota // shows from's cell (or an empty cell when the row is new)
	kTo                   // shows to's cell
	kBlank                // shows an empty cell
	kTrickL               // half of a U+3000 whose head becomes to's empty cell when its tail is overwritten
	kTrickR               // half of a U+3000 whose tail becomes to's empty cell when its head is overwritten
	kFiller               // shows a space printed to trigger a wrap
	kindMask uint8 = 7

	mEq   uint8 = 1 << 3 // equals to's cell
	mHead uint8 = 1 << 4 // first column of a wide cell
	mTail uint8 = 1 << 5 // second column of a wide cell
)

// trickRune is printed to make an empty cell in an arbitrary style: it is
// wide (East Asian Width F; wcwidth 2 in glibc, so mosh agrees) and
// overwriting one half blanks the other, which keeps the style.
const trickRune = '\u3000'

func (d *differ) run(from, to *Screen) {
	d.from, d.to = from, to
	d.cols, d.rows = to.cols, to.rows
	d.pen = from.pen
	d.penTo, d.lastPut = -1, -1
	d.fl, d.tl = nil, nil
	d.odd = false
	d.carry = false
	d.filler0, d.fillerLast = -1, -1
	resized := from.cols != to.cols || from.rows != to.rows

	// Bell, title, icon and clipboard first, as mosh does.
	if to.bells > from.bells {
		for n := min(to.bells-from.bells, maxDiffBells); n > 0; n-- {
			d.b = append(d.b, 0x07)
		}
	}
	d.titles(from, to)
	if to.clipSel != from.clipSel || to.clipData != from.clipData {
		d.b = append(d.b, "\x1b]52;"...)
		d.b = append(d.b, to.clipSel...)
		d.b = append(d.b, ';')
		d.b = append(d.b, to.clipData...)
		d.b = append(d.b, 0x07)
	}

	homed := d.normalise(from, resized)

	if cap(d.src) < d.rows {
		d.src = make([]int, d.rows)
	}
	d.src = d.src[:d.rows]
	if cap(d.st) < d.cols {
		d.st = make([]uint8, d.cols)
	}
	d.st = d.st[:d.cols]

	if resized {
		d.known, d.pending = false, false
		d.setPen(d.withBg(0))
		d.b = append(d.b, "\x1b[H\x1b[2J"...)
		d.x, d.y, d.known = 0, 0, true
		for y := range d.src {
			d.src[y] = -1
		}
	} else {
		if homed {
			d.x, d.y, d.known, d.pending = 0, 0, true, false
		} else {
			d.x, d.y, d.known, d.pending = from.x, from.y, true, from.wrapNext
		}
		for y := range d.src {
			d.src[y] = y
		}
		d.scroll()
	}
	if d.rows == 2 && to.cur.rows[1].wrapped && (d.src[1] < 0 || !from.cur.rows[d.src[1]].wrapped) {
		// The bottom row must wrap and there is no room for a scroll
		// region that excludes it: wrap row 0 and scroll it down (SD).
		d.moveTo(d.cols-1, 0)
		d.b = append(d.b, "  "...)
		d.afterPrint(0, 1, 1)
		d.setPen(d.withBg(0))
		d.b = append(d.b, "\x1b[T"...)
		d.src[1], d.src[0] = d.src[0], -1
		d.fillerLast = 1
	}
	for y := 0; y < d.rows; y++ {
		d.paintRow(y)
	}
	d.finish()
}

// titles sends the title and icon name (OSC 0, or OSC 1 and 2).
func (d *differ) titles(from, to *Screen) {
	tc, ic := to.title != from.title, to.icon != from.icon
	if !tc && !ic {
		return
	}
	if tc && ic && to.title == to.icon {
		d.osc("0", to.title)
		return
	}
	if ic {
		d.osc("1", to.icon)
	}
	if tc {
		d.osc("2", to.title)
	}
}

func (d *differ) osc(cmd, text string) {
	d.b = append(d.b, "\x1b]"...)
	d.b = append(d.b, cmd...)
	d.b = append(d.b, ';')
	d.b = append(d.b, text...)
	d.b = append(d.b, 0x07)
}

// normalise resets the state that FrameEqual does not compare but that
// changes what printing and positioning do, where from has it set. It
// reports whether that homed the cursor.
func (d *differ) normalise(from *Screen, resized bool) (homed bool) {
	if from.modes.Origin {
		d.b = append(d.b, "\x1b[?6l"...) // homes the cursor
		homed = true
	}
	if resized || from.top != 0 || from.bottom != from.rows-1 {
		d.b = append(d.b, "\x1b[r"...) // homes the cursor
		homed = true
	}
	switch {
	case from.modes.Insert && from.modes.NewLine:
		d.b = append(d.b, "\x1b[4;20l"...)
	case from.modes.Insert:
		d.b = append(d.b, "\x1b[4l"...)
	case from.modes.NewLine:
		d.b = append(d.b, "\x1b[20l"...)
	}
	if !from.modes.Autowrap {
		d.b = append(d.b, "\x1b[?7h"...)
	}
	if from.charsets[0] != charsetASCII {
		d.b = append(d.b, "\x1b(B"...)
	}
	if from.gl != 0 {
		d.b = append(d.b, 0x0f) // SI: G0 into GL
	}
	if from.single != 0 && from.charsets[from.single] != charsetASCII {
		d.b = append(d.b, 0x1b, "(*+"[from.single], 'B')
	}
	if from.protected {
		d.b = append(d.b, "\x1b[0\"q"...)
	}
	return homed
}

// ---- scrolling -------------------------------------------------------------

// lineEq reports whether from's row a and to's row b look the same.
func (d *differ) lineEq(a, b *line) bool {
	if a == b {
		return true
	}
	if a.wrapped != b.wrapped {
		return false
	}
	if d.from.tab == d.to.tab {
		for x := range a.cells {
			if a.cells[x].visual() != b.cells[x].visual() {
				return false
			}
		}
		return true
	}
	for x := range a.cells {
		if !cellEqual(d.from, a.cells[x], d.to, b.cells[x]) {
			return false
		}
	}
	return true
}

func lineEmpty(l *line) bool {
	if l.wrapped {
		return false
	}
	for _, c := range l.cells {
		if c.visual() != (cell{}) {
			return false
		}
	}
	return true
}

// scroll finds a block of from's rows that to shows higher up (text
// scrolled up, as after output at the bottom) and, when that saves
// repainting, scrolls the receiver's rows the same way (SU inside a
// scroll region that ends below the block), as mosh does.
func (d *differ) scroll() {
	rows := d.rows
	if rows < 2 {
		return
	}
	fr, tr := d.from.cur.rows, d.to.cur.rows
	if fr[0] == tr[0] {
		return
	}
	tries := 0
	for r := 1; r < rows && tries < 4; r++ {
		if !d.lineEq(fr[r], tr[0]) {
			continue
		}
		tries++
		h := 1
		for r+h < rows && d.lineEq(fr[r+h], tr[h]) {
			h++
		}
		gain, loss := 0, 0
		for k := 0; k < h; k++ {
			if !d.lineEq(fr[k], tr[k]) {
				gain++
			}
		}
		for k := h; k < r+h; k++ {
			if d.lineEq(fr[k], tr[k]) && !lineEmpty(tr[k]) {
				loss++
			}
		}
		if gain <= loss {
			continue
		}
		d.emitScroll(r, h)
		return
	}
	// Text scrolled down (a pager going back, RI at the top): from's rows
	// 0..h-1 appear at r..r+h-1.
	tries = 0
	for r := 1; r < rows && tries < 4; r++ {
		if !d.lineEq(fr[0], tr[r]) {
			continue
		}
		tries++
		h := 1
		for r+h < rows && d.lineEq(fr[h], tr[r+h]) {
			h++
		}
		gain, loss := 0, 0
		for k := r; k < r+h; k++ {
			if !d.lineEq(fr[k], tr[k]) {
				gain++
			}
		}
		for k := 0; k < r; k++ {
			if d.lineEq(fr[k], tr[k]) && !lineEmpty(tr[k]) {
				loss++
			}
		}
		if gain <= loss {
			continue
		}
		d.emitScrollDown(r, h)
		return
	}
}

// emitScrollDown scrolls receiver rows [0, r+h) down by r (SD).
func (d *differ) emitScrollDown(r, h int) {
	bottom := r + h - 1
	d.setPen(d.withBg(0))
	if bottom < d.rows-1 {
		d.b = append(d.b, "\x1b[1;"...)
		d.b = strconv.AppendInt(d.b, int64(bottom+1), 10)
		d.b = append(d.b, 'r')
		d.x, d.y, d.pending = 0, 0, false
	}
	if d.y == 0 && r == 1 && d.x == 0 && bottom < d.rows-1 {
		d.b = append(d.b, 0x1b, 'M') // RI at the top margin scrolls down
	} else {
		d.csiN(r, 'T')
	}
	if bottom < d.rows-1 {
		d.b = append(d.b, "\x1b[r"...)
		d.x, d.y, d.pending = 0, 0, false
	}
	for k := bottom; k >= 0; k-- {
		if k >= r {
			d.src[k] = k - r
		} else {
			d.src[k] = -1
		}
	}
}

// emitScroll scrolls receiver rows [0, r+h) up by r.
func (d *differ) emitScroll(r, h int) {
	bottom := r + h - 1
	d.setPen(d.withBg(0)) // new lines take the pen's background
	if bottom < d.rows-1 {
		d.b = append(d.b, "\x1b[1;"...)
		d.b = strconv.AppendInt(d.b, int64(bottom+1), 10)
		d.b = append(d.b, 'r')
		d.x, d.y, d.pending = 0, 0, false
	}
	if bottom == d.rows-1 && d.y == bottom && r <= 3 {
		for i := 0; i < r; i++ {
			d.b = append(d.b, '\n') // at the bottom margin LF scrolls
		}
		d.pending = false
	} else {
		d.csiN(r, 'S')
	}
	if bottom < d.rows-1 {
		d.b = append(d.b, "\x1b[r"...)
		d.x, d.y, d.pending = 0, 0, false
	}
	for k := 0; k <= bottom; k++ {
		if k < h {
			d.src[k] = k + r
		} else {
			d.src[k] = -1
		}
	}
}

// ---- rows ------------------------------------------------------------------

// printable reports whether c is a cell that printing its text recreates
// (not empty, not the tail of a wide cell).
func printable(c cell) bool {
	return c.flags&cellTail == 0 && (c.r != 0 || c.flags&cellCluster != 0)
}

// erasable reports whether an empty cell in style st can be made by an
// erase (ECH, EL), which gives erased cells only the pen's background.
func erasable(st Style) bool { return st == Style{Bg: st.Bg} }

func (d *differ) paintRow(y int) {
	to := d.to
	tl := to.cur.rows[y]
	var fl *line
	if d.src[y] >= 0 {
		fl = d.from.cur.rows[d.src[y]]
	}
	if fl == tl && !d.carry && d.filler0 != y && d.fillerLast != y {
		return
	}
	d.fl, d.tl, d.py = fl, tl, y
	t := tl.cells
	st := d.st
	dirty := false
	if fl != nil {
		d.mwrapped = fl.wrapped
		same := d.from.tab == to.tab
		for x, fc := range fl.cells {
			k := kFrom
			if fc.flags&cellWide != 0 {
				k |= mHead
			} else if fc.flags&cellTail != 0 {
				k |= mTail
			}
			if same && fc.visual() == t[x].visual() || !same && cellEqual(d.from, fc, to, t[x]) {
				k |= mEq
			} else {
				dirty = true
			}
			st[x] = k
		}
	} else {
		d.mwrapped = false
		for x, tc := range t {
			if tc.visual() == (cell{}) {
				st[x] = kFrom | mEq
			} else {
				st[x] = kFrom
				dirty = true
			}
		}
	}
	if d.filler0 == y {
		d.clobber(0, d.filler0W)
		st[0] = kFiller
		if d.filler0W == 2 {
			st[0] |= mHead
			st[1] = kFiller | mTail
		}
		d.filler0 = -1
		dirty = true
	}
	if d.fillerLast == y {
		d.clobber(d.cols-1, d.cols)
		st[d.cols-1] = kFiller
		d.mwrapped = true
		d.fillerLast = -1
		dirty = true
	}
	if !dirty && !d.carry && d.mwrapped == tl.wrapped {
		return
	}
	if d.carry {
		d.carry = false
		d.carryPrint()
	}

	cols := d.cols
	lastHead := cols - 1
	if t[lastHead].flags&cellTail != 0 && lastHead > 0 {
		lastHead--
	}

	// A row that must wrap: the cheap way (mosh's) is to print its last
	// cell last and continue with the next row's first cell, which the
	// receiver marks as a soft wrap. When the last cell can't be printed
	// last (it is empty, or would join its neighbour), wideWrap does it.
	std := tl.wrapped && !d.mwrapped && y < d.rows-1 &&
		printable(t[lastHead]) && !d.joins(lastHead, to.text(t[lastHead]), false)
	clearWrap := d.mwrapped && !tl.wrapped
	if clearWrap {
		for x := lastHead; x < cols; x++ {
			st[x] &^= mEq
		}
	}
	d.paintCells(tl.wrapped && d.mwrapped, clearWrap, lastHead)
	if tl.wrapped && !d.mwrapped {
		if std {
			if !(d.pending && d.y == y && d.lastPut == lastHead) {
				d.putCell(lastHead) // printed last: the pending wrap is meant
			}
			d.carry = true
			d.carryText = to.text(t[lastHead])
		} else {
			d.wideWrap()
		}
	}
}

// wideWrap marks the current row as soft-wrapped without printing into
// it: a wide character printed in the last column wraps before it is
// placed (xterm), so U+3000 there sets the flag and lands in the next
// row, which is painted later. On the bottom row a scroll region that
// excludes it keeps the wrap in the row (the cursor is below the region);
// the two cells it lands on are then repainted.
func (d *differ) wideWrap() {
	y, cols := d.py, d.cols
	bottom := y == d.rows-1
	if bottom && d.rows < 3 {
		return // handled by the two-row trick in run, or impossible
	}
	if bottom {
		d.b = append(d.b, "\x1b[1;"...)
		d.b = strconv.AppendInt(d.b, int64(d.rows-1), 10)
		d.b = append(d.b, 'r')
		d.x, d.y, d.pending, d.odd = 0, 0, false, true
	}
	d.moveTo(cols-1, y)
	left := ""
	if cols > 1 {
		px := cols - 2
		if d.st[px]&mTail != 0 && px > 0 {
			px--
		}
		left = d.liveText(px)
	}
	w := 2
	if cols < 2 || joinsText(left, "\u3000", &d.scratch) {
		// A space in the last column and one more to wrap; the first
		// is repainted below.
		w = 1
		d.b = append(d.b, ' ')
		d.clobber(cols-1, cols)
		d.st[cols-1] = kFiller
		d.b = append(d.b, ' ')
	} else {
		d.b = utf8.AppendRune(d.b, trickRune)
	}
	d.mwrapped = true
	if bottom {
		d.b = append(d.b, "\x1b[r"...)
		d.x, d.y, d.pending, d.odd = 0, 0, false, false
		d.clobber(0, w)
		d.st[0] = kFiller
		if w == 2 {
			d.st[0] |= mHead
			d.st[1] = kFiller | mTail
		}
	} else {
		d.afterPrint(0, y+1, w)
		d.filler0, d.filler0W = y+1, w
	}
	lastHead := cols - 1
	if d.tl.cells[lastHead].flags&cellTail != 0 && lastHead > 0 {
		lastHead--
	}
	d.paintCells(true, false, lastHead)
}

// paintCells paints the cells of the current row that differ from to's.
// keepWrap says erases must not reach the last column (they would clear
// the row's wrap flag, which is right); clearWrap that the row's wrap
// flag must be cleared by erasing from lastHead on.
func (d *differ) paintCells(keepWrap, clearWrap bool, lastHead int) {
	t := d.tl.cells
	st := d.st
	cols := d.cols
	// Painting may step back (a cell whose printing damaged one on its
	// left); the bound keeps a pathological row from looping.
	budget := 8*cols + 64
	for x := 0; x < cols && budget > 0; budget-- {
		if st[x]&mEq != 0 {
			x++
			continue
		}
		if clearWrap && x >= lastHead {
			// Erase to the end of the row (clears the wrap flag), then
			// paint what is left.
			d.erase(x, cols, d.pen.Bg)
			clearWrap = false
			continue
		}
		c := t[x]
		switch {
		case c.flags&cellTail != 0:
			if x == 0 || t[x-1].flags&cellWide == 0 {
				// An orphan tail (no head): nothing prints it. Show an
				// empty cell in its style as the nearest thing.
				d.blankCell(x, keepWrap)
				x++
				continue
			}
			x = d.putCell(x - 1)
		case printable(c):
			x = d.putCell(x)
		default:
			stl := d.to.style(c)
			if !erasable(stl) || (keepWrap && x == cols-1) {
				x = d.blankCell(x, keepWrap)
				continue
			}
			e := x + 1
			for e < cols && t[e].visual() == c.visual() {
				e++
			}
			if keepWrap && e == cols {
				e = cols - 1
			}
			d.erase(x, e, stl.Bg)
			x = e
		}
	}
}

// carryPrint prints the first cell of row d.py right after the previous
// row's last cell, with no positioning, so that the receiver marks the
// previous row as soft-wrapped. Only SGR changes mosh understands may come
// between (anything else clears mosh's pending wrap); the cell is
// repainted later if its style needed more, or a filler space is printed
// when the cell can't be printed here.
func (d *differ) carryPrint() {
	t := d.tl.cells
	c := t[0]
	text := d.to.text(c)
	if printable(c) && !joinsText(d.carryText, text, &d.scratch) {
		want := d.to.style(c)
		d.setPenSafe(want)
		d.b = d.appendText(d.b, c)
		w := c.width()
		d.clobber(0, w)
		k := kTo | mEq
		if d.pen != want {
			k = kBlank // printed in an approximate style: repaint
		}
		if w == 2 {
			d.st[0] = k | mHead
			d.st[1] = kTo | mTail | k&mEq
		} else {
			d.st[0] = k
		}
		d.afterPrint(0, d.py, w)
		return
	}
	d.b = append(d.b, ' ')
	d.clobber(0, 1)
	d.st[0] = kFiller
	d.afterPrint(0, d.py, 1)
}

// afterPrint moves the cursor model past a print of width w at (x, y).
func (d *differ) afterPrint(x, y, w int) {
	d.x, d.y, d.known = x+w, y, true
	d.pending = false
	if d.x >= d.cols {
		d.x = d.cols - 1
		d.pending = true
	}
}

// clobber applies to the row model the side effect of printing over or
// erasing columns [x0, x1): the halves of wide cells cut by the span
// become empty. It returns the column to continue painting from when a
// cell already painted was damaged, else -1.
func (d *differ) clobber(x0, x1 int) int {
	st := d.st
	back := -1
	if x0 > 0 && x0 < d.cols && st[x0]&mTail != 0 {
		h := x0 - 1
		if st[h]&kindMask == kTrickL {
			st[h] = kTo | mEq // the intended effect: the head becomes to's empty cell
		} else {
			st[h] = kBlank
			back = h
		}
	}
	if x1 < d.cols && x1 > 0 && st[x1-1]&mHead != 0 {
		if st[x1]&kindMask == kTrickR {
			st[x1] = kTo | mEq
		} else {
			st[x1] = kBlank
		}
	}
	return back
}

// putCell prints to's cell at column x of the current row (a printable
// cell or wide head) and returns the column to continue from.
func (d *differ) putCell(x int) int {
	t := d.tl.cells
	c := t[x]
	text := d.to.text(c)
	back := -1
	if x > 0 && d.joins(x, text, true) {
		// The receiver would add this cell's first code point to the
		// cluster on its left: empty the left cell first and repaint it
		// afterwards.
		hx := x - 1
		if d.st[hx]&mTail != 0 && hx > 0 {
			hx--
		}
		d.moveTo(hx, d.py)
		d.csiN(x-hx, 'X')
		d.pending = false
		d.clobber(hx, x)
		for k := hx; k < x; k++ {
			d.st[k] = kBlank
		}
		back = hx
	}
	d.moveTo(x, d.py)
	if int(c.style) != d.penTo {
		d.setPen(d.to.style(c))
		d.penTo = int(c.style)
	}
	d.b = d.appendText(d.b, c)
	w := c.width()
	if b := d.clobber(x, x+w); b >= 0 && (back < 0 || b < back) {
		back = b
	}
	d.st[x] = kTo | mEq
	if w == 2 {
		d.st[x] |= mHead
		d.st[x+1] = kTo | mEq | mTail
	}
	d.afterPrint(x, d.py, w)
	d.lastPut = x
	if back >= 0 {
		return back
	}
	return x + w
}

// blankCell makes column x an empty cell in to's style, which an erase
// can't (or may not) give, and returns the column to continue from.
func (d *differ) blankCell(x int, keepWrap bool) int {
	t := d.tl.cells
	cols := d.cols
	stl := d.to.style(t[x])
	if x < cols-1 && !joinsText("\u3000", d.to.text(t[x+1]), &d.scratch) {
		// A U+3000 here in that style; painting x+1 next blanks it.
		d.moveTo(x, d.py)
		d.setPen(stl)
		d.b = utf8.AppendRune(d.b, trickRune)
		back := d.clobber(x, x+2)
		d.st[x] = kTrickL | mHead | mEq
		d.st[x+1] = kTrickL | mTail
		d.afterPrint(x, d.py, 2)
		if back >= 0 {
			return back
		}
		return x + 1
	}
	// The last column (or a cell whose right neighbour would join a
	// U+3000): print U+3000s from x leftwards to the nearest cell that
	// isn't such an empty cell (the anchor), each blanking the tail of
	// the one before, then repaint the anchor.
	j := x
	for j > 0 && t[j-1].flags&cellTail == 0 && !printable(t[j-1]) && !erasable(d.to.style(t[j-1])) {
		j--
	}
	if j == 0 || cols < 2 {
		// No anchor: the nearest an erase can do.
		if keepWrap && x == cols-1 && !erasable(stl) {
			d.st[x] |= mEq // unreachable in practice; leave it
			return x + 1
		}
		d.erase(x, x+1, stl.Bg)
		d.st[x] |= mEq
		return x + 1
	}
	for i := x; i >= j; i-- {
		d.moveTo(i-1, d.py)
		d.setPen(d.to.style(t[i]))
		d.b = utf8.AppendRune(d.b, trickRune)
		if i == x {
			d.clobber(x-1, x+1)
		}
		d.afterPrint(i-1, d.py, 2)
	}
	for i := j; i <= x; i++ {
		d.st[i] = kTo | mEq
	}
	k := j - 1
	d.st[k] = kTrickR | mHead
	d.st[j] = kTrickR | mTail | mEq
	switch a := t[k]; {
	case a.flags&cellTail != 0:
		return d.putCell(k - 1)
	case printable(a):
		return d.putCell(k)
	default:
		d.moveTo(k, d.py)
		d.setPen(d.withBg(d.to.style(a).Bg))
		d.b = append(d.b, "\x1b[X"...)
		d.pending = false
		d.st[k] = kTo | mEq
		d.st[j] = kTo | mEq
		return x + 1
	}
}

// erase empties columns [x0, x1) of the current row with background bg
// (ECH, or EL when the span reaches the end of the row).
func (d *differ) erase(x0, x1 int, bg Color) {
	if x0 >= x1 {
		return
	}
	d.moveTo(x0, d.py)
	d.setPen(d.withBg(bg))
	if x1 >= d.cols {
		d.b = append(d.b, "\x1b[K"...)
		x1 = d.cols
		d.mwrapped = false
	} else {
		d.csiN(x1-x0, 'X')
	}
	d.pending = false
	d.clobber(x0, x1)
	t := d.tl.cells
	for x := x0; x < x1; x++ {
		c := t[x]
		if c.visual() == (cell{style: c.style}) && d.to.style(c) == (Style{Bg: bg}) {
			d.st[x] = kBlank | mEq
		} else {
			d.st[x] = kBlank
		}
	}
}

// joins reports whether printing text at column x of the current row
// would make the receiver add its first code point to the cluster on the
// left. live says to look at the receiver's current cells; otherwise the
// final (to's) cells are assumed.
func (d *differ) joins(x int, text string, live bool) bool {
	if x == 0 || len(text) == 0 || text[0] < 0x80 {
		return false
	}
	px := x - 1
	var left string
	if live {
		if d.st[px]&mTail != 0 && px > 0 {
			px--
		}
		left = d.liveText(px)
	} else {
		t := d.tl.cells
		if t[px].flags&cellTail != 0 && px > 0 {
			px--
		}
		left = d.to.text(t[px])
	}
	return joinsText(left, text, &d.scratch)
}

// liveText is the text the receiver shows in column x of the current row.
func (d *differ) liveText(x int) string {
	switch d.st[x] & kindMask {
	case kFrom:
		if d.fl == nil {
			return ""
		}
		return d.from.text(d.fl.cells[x])
	case kTo:
		return d.to.text(d.tl.cells[x])
	case kTrickL, kTrickR:
		if d.st[x]&mHead != 0 {
			return "\u3000"
		}
	case kFiller:
		return " "
	}
	return ""
}

// joinsText reports whether the first code point of text extends the
// grapheme cluster left (UAX #29), as the receiver's join would find.
func joinsText(left, text string, scratch *[]byte) bool {
	if left == "" || text == "" || text[0] < 0x80 {
		return false
	}
	r, n := utf8.DecodeRuneInString(text)
	prev, _ := utf8.DecodeLastRuneInString(left)
	if len(left) == utf8.RuneLen(prev) && startsCluster(prev, r) {
		return false
	}
	buf := append((*scratch)[:0], left...)
	buf = append(buf, text[:n]...)
	*scratch = buf
	_, rest, _, _ := uniseg.FirstGraphemeCluster(buf, -1)
	return len(rest) == 0
}

// appendText appends the text of to's cell c.
func (d *differ) appendText(b []byte, c cell) []byte {
	if c.flags&cellCluster == 0 {
		if c.r < utf8.RuneSelf {
			return append(b, byte(c.r))
		}
		return utf8.AppendRune(b, c.r)
	}
	return append(b, d.to.tab.clusters[c.r]...)
}

// ---- the end of the frame -------------------------------------------------

func (d *differ) finish() {
	from, to := d.from, d.to
	cols := d.cols
	d.carry = false

	// A deferred wrap in to: reprint the cursor's cell so that the
	// receiver has one too (a vt receiver then wraps the next character
	// the same way).
	wantPending := to.wrapNext && to.x == cols-1
	if wantPending && !(d.known && d.pending && d.x == cols-1 && d.y == to.y) {
		tl := to.cur.rows[to.y]
		hx := cols - 1
		if tl.cells[hx].flags&cellTail != 0 && hx > 0 {
			hx--
		}
		c := tl.cells[hx]
		left := ""
		if hx > 0 {
			px := hx - 1
			if tl.cells[px].flags&cellTail != 0 && px > 0 {
				px--
			}
			left = to.text(tl.cells[px])
		}
		if printable(c) && !joinsText(left, to.text(c), &d.scratch) {
			d.moveTo(hx, to.y)
			d.setPen(to.style(c))
			d.b = d.appendText(d.b, c)
			d.afterPrint(hx, to.y, c.width())
		}
	}
	if !(wantPending && d.pending && d.x == to.x && d.y == to.y) {
		d.moveTo(to.x, to.y)
	}

	// DEC private modes, grouped into one set and one reset.
	var m modeLists
	fm, tm := from.modes, to.modes
	m.flag(1, fm.AppCursorKeys, tm.AppCursorKeys)
	m.flag(5, fm.ReverseVideo, tm.ReverseVideo)
	m.flag(25, from.cursorVis, to.cursorVis)
	m.flag(1004, fm.FocusEvents, tm.FocusEvents)
	m.flag(2004, fm.BracketedPaste, tm.BracketedPaste)
	m.flag(2026, fm.SyncOutput, tm.SyncOutput)
	if fm.Mouse != tm.Mouse {
		// Reset the old mode, then set the new one, as mosh does.
		if fm.Mouse != MouseNone {
			m.flag(mouseModes[fm.Mouse], true, false)
		}
		if tm.Mouse != MouseNone {
			m.flag(mouseModes[tm.Mouse], false, true)
		}
	}
	if fm.MouseEncoding != tm.MouseEncoding {
		if fm.MouseEncoding != MouseEncodingDefault {
			m.flag(mouseEncodings[fm.MouseEncoding], true, false)
		}
		if tm.MouseEncoding != MouseEncodingDefault {
			m.flag(mouseEncodings[tm.MouseEncoding], false, true)
		}
	}
	set, reset, ns, nr := m.set, m.reset, m.ns, m.nr
	d.decModes(reset[:nr], 'l')
	d.decModes(set[:ns], 'h')
	if fm.AppKeypad != tm.AppKeypad {
		if tm.AppKeypad {
			d.b = append(d.b, "\x1b="...)
		} else {
			d.b = append(d.b, "\x1b>"...)
		}
	}
	if from.shape != to.shape || from.blink != to.blink {
		n := 0
		switch to.shape {
		case CursorBlock:
			n = 2
		case CursorUnderline:
			n = 4
		case CursorBar:
			n = 6
		}
		if n > 0 && to.blink {
			n--
		}
		d.b = append(d.b, "\x1b["...)
		d.b = strconv.AppendInt(d.b, int64(n), 10)
		d.b = append(d.b, " q"...)
	}
	d.setPen(to.pen)
}

// modeLists collects DEC private modes to set and to reset.
type modeLists struct {
	set, reset [12]int
	ns, nr     int
}

func (m *modeLists) flag(mode int, was, is bool) {
	switch {
	case was == is:
	case is:
		m.set[m.ns] = mode
		m.ns++
	default:
		m.reset[m.nr] = mode
		m.nr++
	}
}

var mouseModes = [...]int{MouseX10: 9, MouseNormal: 1000, MouseButton: 1002, MouseAny: 1003}

var mouseEncodings = [...]int{MouseEncodingUTF8: 1005, MouseEncodingSGR: 1006, MouseEncodingURXVT: 1015}

func (d *differ) decModes(modes []int, final byte) {
	if len(modes) == 0 {
		return
	}
	d.b = append(d.b, "\x1b[?"...)
	for i, m := range modes {
		if i > 0 {
			d.b = append(d.b, ';')
		}
		d.b = strconv.AppendInt(d.b, int64(m), 10)
	}
	d.b = append(d.b, final)
}

// ---- cursor motion ---------------------------------------------------------

// csiN appends CSI n final, leaving out a parameter of 1.
func (d *differ) csiN(n int, final byte) {
	d.b = append(d.b, 0x1b, '[')
	if n != 1 {
		d.b = strconv.AppendInt(d.b, int64(n), 10)
	}
	d.b = append(d.b, final)
}

// digits returns the length of n in decimal.
func digits(n int) int {
	c := 1
	for n >= 10 {
		n /= 10
		c++
	}
	return c
}

// csiCost is the length of CSI n final as csiN writes it.
func csiCost(n int) int {
	if n == 1 {
		return 3
	}
	return 3 + digits(n)
}

// moveTo positions the receiver's cursor at (x, y) by the shortest of
// CUP and combinations of CR, BS, CUF, CUB, CHA with LF, CUD, CUU, RI,
// VPA (all of which mosh understands and all of which clear a pending
// wrap).
func (d *differ) moveTo(x, y int) {
	if d.known && d.x == x && d.y == y && !d.pending {
		return
	}
	if d.known && !d.pending && d.y == y && x > d.x && x-d.x < csiCost(x-d.x) && d.printThrough(x) {
		return
	}
	// Horizontal options from d.x: 0 none, 1 CR, 2 BS×n, 3 CUB, 4 CUF,
	// 5 CHA, 6 CUF 1 in the last column (stays; clears a pending wrap).
	// Vertical options from d.y: 0 none, 1 LF×n, 2 CUD, 3 CUU, 4 RI×n, 5 VPA.
	bestCost := cupCost(x, y)
	bestH, bestV := -1, -1
	if d.known && !d.odd {
		hc := [7]int{-1, -1, -1, -1, -1, -1, -1}
		dx := x - d.x
		if dx == 0 {
			hc[0] = 0
			if x == d.cols-1 {
				hc[6] = 3
			}
		}
		if x == 0 {
			hc[1] = 1
		}
		if dx < 0 {
			hc[2] = -dx
			hc[3] = csiCost(-dx)
		}
		if dx > 0 {
			hc[4] = csiCost(dx)
		}
		hc[5] = 3 + digits(x+1)
		vc := [6]int{-1, -1, -1, -1, -1, -1}
		dy := y - d.y
		switch {
		case dy == 0:
			vc[0] = 0
		case dy > 0:
			vc[1] = dy
			vc[2] = csiCost(dy)
		default:
			vc[3] = csiCost(-dy)
			vc[4] = -2 * dy
		}
		vc[5] = 3 + digits(y+1)
		for h, a := range hc {
			if a < 0 {
				continue
			}
			for v, b := range vc {
				if b < 0 || a+b >= bestCost || a+b == 0 {
					continue // a+b == 0 would not clear a pending wrap
				}
				bestCost, bestH, bestV = a+b, h, v
			}
		}
	}
	if bestH < 0 {
		d.b = append(d.b, 0x1b, '[')
		if y > 0 {
			d.b = strconv.AppendInt(d.b, int64(y+1), 10)
		}
		if x > 0 {
			d.b = append(d.b, ';')
			d.b = strconv.AppendInt(d.b, int64(x+1), 10)
		}
		d.b = append(d.b, 'H')
	} else {
		dx, dy := x-d.x, y-d.y
		switch bestH {
		case 1:
			d.b = append(d.b, '\r')
		case 2:
			for i := 0; i < -dx; i++ {
				d.b = append(d.b, '\b')
			}
		case 3:
			d.csiN(-dx, 'D')
		case 4:
			d.csiN(dx, 'C')
		case 5:
			d.csiN(x+1, 'G')
		case 6:
			d.b = append(d.b, "\x1b[C"...)
		}
		switch bestV {
		case 1:
			for i := 0; i < dy; i++ {
				d.b = append(d.b, '\n')
			}
		case 2:
			d.csiN(dy, 'B')
		case 3:
			d.csiN(-dy, 'A')
		case 4:
			for i := 0; i < -dy; i++ {
				d.b = append(d.b, 0x1b, 'M')
			}
		case 5:
			d.csiN(y+1, 'd')
		}
	}
	d.x, d.y, d.known, d.pending = x, y, true, false
}

// printThrough moves right to column x of the row being painted by
// printing again the cells in between, when they are plain ASCII that
// the receiver already shows in the current pen (cheaper than CUF for a
// gap of a few columns, e.g. the spaces between changed words).
func (d *differ) printThrough(x int) bool {
	if d.tl == nil || d.py != d.y || d.penTo < 0 {
		return false
	}
	t := d.tl.cells
	for k := d.x; k < x; k++ {
		c := t[k]
		if d.st[k]&mEq == 0 || c.flags != 0 || c.r == 0 || c.r >= utf8.RuneSelf || int(c.style) != d.penTo {
			return false
		}
	}
	for k := d.x; k < x; k++ {
		d.b = append(d.b, byte(t[k].r))
	}
	d.x = x
	return true
}

// cupCost is the length of the CUP moveTo writes.
func cupCost(x, y int) int {
	c := 3
	if y > 0 {
		c += digits(y + 1)
	}
	if x > 0 {
		c += 1 + digits(x+1)
	}
	return c
}

// ---- SGR -------------------------------------------------------------------

// withBg returns the receiver's pen with background bg.
func (d *differ) withBg(bg Color) Style {
	p := d.pen
	p.Bg = bg
	return p
}

// setPen changes the receiver's pen to want.
func (d *differ) setPen(want Style) {
	if d.pen == want {
		return
	}
	d.sgr(want, false)
	if d.pen.Link != want.Link || d.pen.LinkID != want.LinkID {
		d.penTo = -1
		d.b = append(d.b, "\x1b]8;"...)
		if want.LinkID != "" && want.Link != "" {
			d.b = append(d.b, "id="...)
			d.b = append(d.b, want.LinkID...)
		}
		d.b = append(d.b, ';')
		d.b = append(d.b, want.Link...)
		d.b = append(d.b, 0x07)
		d.pen.Link, d.pen.LinkID = want.Link, want.LinkID
		if want.Link == "" {
			d.pen.LinkID = ""
		}
	}
}

// setPenSafe changes the receiver's pen towards want using only SGR
// numbers separated by ';' (which keep mosh's pending wrap); the pen may
// then still differ from want in underline style, underline colour and
// link.
func (d *differ) setPenSafe(want Style) {
	if d.pen != want {
		d.sgr(want, true)
	}
}

// sgr writes the shorter of a delta from the current pen and a reset
// followed by want's attributes, as one SGR with ';' separators, plus,
// unless safe, one SGR with ':' forms (underline style, underline
// colour) that mosh drops whole.
func (d *differ) sgr(want Style, safe bool) {
	cur := d.pen
	d.penTo = -1
	bufs := &d.sgrBuf
	a, aPen, aExt := sgrCodes(bufs[0][:0], bufs[1][:0], cur, want)
	zero := Style{Link: cur.Link, LinkID: cur.LinkID} // SGR 0 keeps the link
	b, bPen, bExt := sgrCodes(bufs[2][:0], bufs[3][:0], zero, want)
	bufs[0], bufs[1], bufs[2], bufs[3] = a, aExt, b, bExt
	costA, costB := sgrLen(a), 3+len(b) // reset: CSI m, or CSI 0;…m
	if len(b) > 0 {
		costB += 2
	}
	if !safe {
		costA += sgrLen(aExt)
		costB += sgrLen(bExt)
	}
	if costB < costA {
		d.b = append(d.b, 0x1b, '[')
		if len(b) > 0 {
			d.b = append(d.b, "0;"...)
			d.b = append(d.b, b...)
		}
		d.b = append(d.b, 'm')
		a, aPen, aExt = nil, bPen, bExt
	}
	if len(a) > 0 {
		d.b = append(d.b, 0x1b, '[')
		d.b = append(d.b, a...)
		d.b = append(d.b, 'm')
	}
	d.pen = aPen
	if safe || len(aExt) == 0 {
		return
	}
	d.b = append(d.b, 0x1b, '[')
	d.b = append(d.b, aExt...)
	d.b = append(d.b, 'm')
	d.pen.Underline = want.Underline
	d.pen.UnderlineColor = want.UnderlineColor
}

func sgrLen(codes []byte) int {
	if len(codes) == 0 {
		return 0
	}
	return 3 + len(codes)
}

// sgrCodes appends to b the ';'-separated SGR numbers that turn cur into
// want as far as they go, and to e the ':' forms still needed (for a
// separate SGR, since mosh ignores any CSI with ':'). It returns both and
// the pen the numbers in b give.
func sgrCodes(b, e []byte, cur, want Style) ([]byte, Style, []byte) {
	pen := cur
	if (cur.Attrs&Bold != 0 && want.Attrs&Bold == 0) || (cur.Attrs&Dim != 0 && want.Attrs&Dim == 0) {
		b = add(b, "22")
		pen.Attrs &^= Bold | Dim
	}
	for _, f := range sgrFlags {
		has, wants := pen.Attrs&f.a != 0, want.Attrs&f.a != 0
		switch {
		case wants && !has:
			b = add(b, f.on)
		case has && !wants:
			b = add(b, f.off)
		}
	}
	pen.Attrs = want.Attrs
	if cur.Underline != want.Underline {
		pen.Underline = want.Underline
		switch want.Underline {
		case UnderlineNone:
			b = add(b, "24")
		case UnderlineSingle:
			b = add(b, "4")
		case UnderlineDouble:
			if cur.Underline == UnderlineNone {
				b = add(b, "4") // mosh knows only 4
			}
			b = add(b, "21")
		default:
			if cur.Underline == UnderlineNone {
				b = add(b, "4")
				pen.Underline = UnderlineSingle
			} else {
				pen.Underline = cur.Underline
			}
			e = add(e, underlineExt[want.Underline])
		}
	}
	if cur.Fg != want.Fg {
		b = appendColor(b, want.Fg, 30, 90, 38)
	}
	if cur.Bg != want.Bg {
		b = appendColor(b, want.Bg, 40, 100, 48)
	}
	pen.Fg, pen.Bg = want.Fg, want.Bg
	if c := want.UnderlineColor; c != cur.UnderlineColor {
		if c == 0 {
			b = add(b, "59")
			pen.UnderlineColor = 0
		} else {
			e = add(e, "58:")
			if c.IsIndexed() {
				e = append(e, "5:"...)
				e = strconv.AppendInt(e, int64(c.Index()), 10)
			} else {
				r, g, bl := c.RGB()
				e = append(e, "2:"...)
				e = strconv.AppendInt(e, int64(r), 10)
				e = append(e, ':')
				e = strconv.AppendInt(e, int64(g), 10)
				e = append(e, ':')
				e = strconv.AppendInt(e, int64(bl), 10)
			}
		}
	}
	return b, pen, e
}

// add appends one SGR parameter to b.
func add(b []byte, s string) []byte {
	if len(b) > 0 {
		b = append(b, ';')
	}
	return append(b, s...)
}

var sgrFlags = [...]struct {
	a       Attr
	on, off string
}{
	{Bold, "1", "22"}, {Dim, "2", "22"}, {Italic, "3", "23"}, {Blink, "5", "25"},
	{Inverse, "7", "27"}, {Hidden, "8", "28"}, {Strikethrough, "9", "29"},
	{Overline, "53", "55"},
}

var underlineExt = [...]string{UnderlineCurly: "4:3", UnderlineDotted: "4:4", UnderlineDashed: "4:5"}

// appendColor appends the SGR numbers for colour c: base+n for the eight
// basic colours, bright+n-8 for the next eight, ext;5;n or ext;2;r;g;b
// otherwise, base+9 for the default.
func appendColor(b []byte, c Color, base, bright, ext int) []byte {
	if len(b) > 0 {
		b = append(b, ';')
	}
	switch {
	case c == 0:
		return strconv.AppendInt(b, int64(base+9), 10)
	case c.IsIndexed() && c.Index() < 8:
		return strconv.AppendInt(b, int64(base+int(c.Index())), 10)
	case c.IsIndexed() && c.Index() < 16:
		return strconv.AppendInt(b, int64(bright+int(c.Index())-8), 10)
	case c.IsIndexed():
		b = strconv.AppendInt(b, int64(ext), 10)
		b = append(b, ";5;"...)
		return strconv.AppendInt(b, int64(c.Index()), 10)
	}
	r, g, bl := c.RGB()
	b = strconv.AppendInt(b, int64(ext), 10)
	b = append(b, ";2;"...)
	b = strconv.AppendInt(b, int64(r), 10)
	b = append(b, ';')
	b = strconv.AppendInt(b, int64(g), 10)
	b = append(b, ';')
	return strconv.AppendInt(b, int64(bl), 10)
}
