package vt

import (
	"sync"
	"unicode/utf8"

	"github.com/rivo/uniseg"

	"github.com/goshterm/gosh/vt/parser"
)

// maxClusterBytes bounds a grapheme cluster, so that a stream of combining
// marks can't grow one cell without limit (mosh allows 32 bytes of
// combiners; emoji ZWJ sequences need a little more).
const maxClusterBytes = 64

// PrintASCII implements parser.Performer: the fast path for plain text.
// With the ASCII charset in GL and insert mode off it copies the bytes
// straight into the row, a row-long run at a time.
func (s *Screen) PrintASCII(b []byte) {
	if s.single != 0 || s.charsets[s.gl] != charsetASCII || s.modes.Insert || s.protected {
		for _, c := range b {
			s.printGraphic(rune(c))
		}
		return
	}
	for len(b) > 0 {
		if s.wrapNext {
			s.wrapLine()
		}
		l := s.row(s.y)
		x0 := s.x
		n := min(len(b), s.cols-x0)
		x1 := x0 + n
		s.clearPartners(l, x0, x1)
		cells := l.cells[x0:x1]
		st := s.penIdx
		for i, c := range b[:n] {
			cells[i] = cell{r: rune(c), style: st}
		}
		s.last, s.lastW = cell{r: rune(b[n-1])}, 1
		b = b[n:]
		if x1 < s.cols {
			s.x = x1
			continue
		}
		s.x = s.cols - 1
		if s.modes.Autowrap {
			s.wrapNext = true
			continue
		}
		// No autowrap: every further character overwrites the last column.
		if len(b) > 0 {
			c := b[len(b)-1]
			l.cells[s.x] = cell{r: rune(c), style: st}
			s.last = cell{r: rune(c)}
			b = nil
		}
	}
}

// Print implements parser.Performer for code points outside printable
// ASCII.
func (s *Screen) Print(r rune) {
	s.printGraphic(r)
}

// printGraphic prints one code point: charset translation, grapheme
// clustering with the previous cell, then placement by width.
func (s *Screen) printGraphic(r rune) {
	if r < 0x80 {
		cs := s.charsets[s.gl]
		if s.single != 0 {
			cs = s.charsets[s.single]
		}
		r = cs.translate(r)
	}
	s.single = 0
	if r >= 0x80 && s.join(r) {
		return
	}
	w := runeWidth(r)
	if w == 0 {
		// A zero-width code point that starts its own cluster (a
		// combining mark with nothing before it, a format character):
		// there is no cell to put it in, so it is dropped, as tmux does.
		return
	}
	s.printCell(cell{r: r}, w)
}

// printCell places a cell of width w (1 or 2) at the cursor: deferred
// wrap first, a wide cell that would straddle the right edge wraps early
// (xterm), insert mode shifts the rest of the row right.
func (s *Screen) printCell(c cell, w int) {
	if s.wrapNext {
		s.wrapLine()
	}
	if w == 2 && s.cols < 2 {
		return // a wide character can't be shown on a one-column screen
	}
	if w == 2 && s.x == s.cols-1 {
		if !s.modes.Autowrap {
			// Nowhere to put it: dropped, as tmux does.
			return
		}
		s.wrapLine()
	}
	l := s.row(s.y)
	x := s.x
	if s.modes.Insert {
		s.insertCells(l, x, w, 0)
	}
	s.clearPartners(l, x, x+w)
	c.style = s.penIdx
	if s.protected {
		c.flags |= cellProtected
	}
	if w == 2 {
		c.flags |= cellWide
		l.cells[x] = c
		l.cells[x+1] = cell{style: s.penIdx, flags: cellTail | c.flags&cellProtected}
	} else {
		l.cells[x] = c
	}
	s.last, s.lastW = cell{r: c.r, flags: c.flags}, w
	s.x += w
	if s.x >= s.cols {
		s.x = s.cols - 1
		if s.modes.Autowrap {
			s.wrapNext = true
		}
	}
}

// wrapLine performs a deferred autowrap: the row is marked as soft-wrapped
// and the cursor goes to the start of the next row, scrolling if needed.
func (s *Screen) wrapLine() {
	s.row(s.y).wrapped = true
	s.x = 0
	s.wrapNext = false
	s.index()
}

// clearPartners blanks the halves of wide cells that lie partly inside
// [x0, x1) of l, so that overwriting or erasing half of a wide character
// erases all of it (as xterm does) and no orphan tail or head remains.
func (s *Screen) clearPartners(l *line, x0, x1 int) {
	if x0 > 0 && x0 < len(l.cells) && l.cells[x0].flags&cellTail != 0 {
		l.cells[x0-1] = cell{style: l.cells[x0-1].style}
		l.cells[x0] = cell{style: l.cells[x0].style}
	}
	if x1 < len(l.cells) && x1 > 0 && l.cells[x1-1].flags&cellWide != 0 {
		l.cells[x1] = cell{style: l.cells[x1].style}
	}
}

// join tries to add r to the grapheme cluster in the cell before the
// cursor (Unicode UAX #29 via uniseg): combining marks, ZWJ sequences,
// variation selectors, emoji modifiers and regional-indicator pairs all
// extend the previous cell rather than taking a new one. It reports
// whether r was consumed.
func (s *Screen) join(r rune) bool {
	var px int
	switch {
	case s.wrapNext:
		px = s.x
	case s.x > 0:
		px = s.x - 1
	default:
		return false
	}
	l := s.cur.rows[s.y]
	if l.cells[px].flags&cellTail != 0 && px > 0 {
		px--
	}
	c := l.cells[px]
	if c.r == 0 && c.flags&cellCluster == 0 {
		return false
	}
	if c.flags&cellCluster == 0 && startsCluster(c.r, r) {
		return false
	}
	if !mayExtend(r) {
		last := c.r
		if c.flags&cellCluster != 0 {
			last, _ = utf8.DecodeLastRuneInString(s.tab.clusters[c.r])
		}
		if !sticky(last) {
			return false
		}
	}
	buf := append(s.scratch[:0], s.text(c)...)
	buf = utf8.AppendRune(buf, r)
	s.scratch = buf
	_, rest, width, _ := uniseg.FirstGraphemeCluster(buf, -1)
	if len(rest) != 0 {
		return false
	}
	if len(buf) > maxClusterBytes {
		return true // absorbed: the cluster is already as long as we keep
	}
	idx, ok := s.internCluster(buf)
	if !ok {
		return true
	}
	l = s.row(s.y)
	nc := cell{r: idx, style: c.style, flags: c.flags | cellCluster}
	if width == 2 && c.flags&cellWide == 0 && !s.wrapNext && px == s.x-1 && px+1 < s.cols {
		// The cluster became wide (e.g. U+2764 + VS16, or a regional
		// indicator pair): widen the cell if the next column is free to
		// take, moving the cursor past it.
		s.clearPartners(l, px+1, px+2)
		nc.flags |= cellWide
		l.cells[px+1] = cell{style: c.style, flags: cellTail}
		s.x = px + 2
		if s.x >= s.cols {
			s.x = s.cols - 1
			if s.modes.Autowrap {
				s.wrapNext = true
			}
		}
	}
	l.cells[px] = nc
	s.last, s.lastW = cell{r: nc.r, flags: nc.flags}, nc.width()
	return true
}

// startsCluster is a fast, conservative test that r can't extend a cluster
// whose last code point is prev: common scripts whose code points are
// never Extend, SpacingMark or Hangul V/T (UAX #29 table 2), after a
// code point that is neither ZWJ, Prepend nor a Hangul L jamo. When it
// reports false the caller asks uniseg.
func startsCluster(prev, r rune) bool {
	if !plainStarter(prev) {
		return false
	}
	return plainStarter(r)
}

func plainStarter(r rune) bool {
	switch {
	case r < 0x300:
		return r >= 0x20 && r != 0xAD
	case r >= 0x370 && r <= 0x482: // Greek, Cyrillic letters
		return true
	case r >= 0x2500 && r <= 0x25FF: // box drawing, blocks, shapes
		return true
	case r >= 0x3400 && r <= 0x4DBF, r >= 0x4E00 && r <= 0x9FFF: // CJK ideographs
		return true
	case r >= 0xAC00 && r <= 0xD7A3: // Hangul syllables (LV/LVT)
		// An LV or LVT syllable may be followed by T jamo, which are
		// outside every range here, so it is a plain starter.
		return true
	case r >= 0xFF01 && r <= 0xFF60: // fullwidth forms
		return true
	}
	return false
}

// runeWidth returns the number of columns r takes on its own (0, 1 or
// 2), per uniseg (Unicode East Asian Width and emoji presentation). The
// Basic Multilingual Plane is tabulated on first use.
func runeWidth(r rune) int {
	if r < 0x300 {
		if r < 0x20 || (r >= 0x7F && r < 0xA0) {
			return 0
		}
		return 1
	}
	if r < 0x10000 {
		bmpOnce.Do(buildBMPWidths)
		return int(bmpWidths[r] & 3)
	}
	return uniWidth(r)
}

var (
	bmpOnce   sync.Once
	bmpWidths [0x10000]uint8 // width in bits 0–1, plus bmpExtend and bmpSticky
)

const (
	// bmpExtend: the code point joins the cluster before it whatever that
	// is (Grapheme_Cluster_Break Extend, ZWJ or SpacingMark).
	bmpExtend = 1 << 2
	// bmpSticky: a following code point that isn't an extender may still
	// join it (Hangul L/V/LV/LVT, ZWJ, Regional_Indicator, Prepend).
	bmpSticky = 1 << 3
)

func buildBMPWidths() {
	var buf [16]byte
	joins := func(a, b rune) bool {
		n := utf8.EncodeRune(buf[:], a)
		n += utf8.EncodeRune(buf[n:], b)
		_, rest, _, _ := uniseg.FirstGraphemeCluster(buf[:n], -1)
		return len(rest) == 0
	}
	for r := rune(0); r < 0x10000; r++ {
		if r >= 0xD800 && r <= 0xDFFF {
			bmpWidths[r] = 1 // surrogates never arrive decoded; keep a sane value
			continue
		}
		v := uint8(uniWidth(r))
		if r >= 0x20 && joins('a', r) {
			v |= bmpExtend
		}
		if r >= 0x20 && (joins(r, 0x1100) || joins(r, 0x1161) || joins(r, 0x11A8) ||
			joins(r, 0xAC00) || joins(r, 0x1F600) || joins(r, 0x1F1E6) || joins(r, 'a')) {
			v |= bmpSticky
		}
		bmpWidths[r] = v
	}
}

// mayExtend reports whether r can join the cluster before it no matter
// what that cluster is; false means it joins only after a sticky code
// point.
func mayExtend(r rune) bool {
	if r >= 0x10000 {
		return true // rare: let uniseg decide (emoji modifiers, tags)
	}
	bmpOnce.Do(buildBMPWidths)
	return bmpWidths[r]&bmpExtend != 0
}

// sticky reports whether a code point that isn't an extender may still
// join a cluster ending in r.
func sticky(r rune) bool {
	if r >= 0x10000 {
		return r >= 0x1F1E6 && r <= 0x1F1FF // regional indicators
	}
	bmpOnce.Do(buildBMPWidths)
	return bmpWidths[r]&bmpSticky != 0
}

func uniWidth(r rune) int {
	var b [utf8.UTFMax]byte
	n := utf8.EncodeRune(b[:], r)
	_, _, w, _ := uniseg.FirstGraphemeCluster(b[:n], -1)
	return min(max(w, 0), 2)
}

// Execute implements parser.Performer: C0 and C1 controls.
func (s *Screen) Execute(c rune) {
	switch c {
	case 0x07: // BEL
		s.bells++
	case 0x08: // BS
		s.wrapNext = false
		if s.x > 0 {
			s.x--
		}
	case 0x09: // HT: preserves a pending wrap, as xterm and mosh do
		s.tabForward(1)
	case 0x0A, 0x0B, 0x0C: // LF, VT, FF
		s.lineFeed()
	case 0x0D: // CR
		s.carriageReturn()
	case 0x0E: // SO: invoke G1 into GL
		s.gl = 1
	case 0x0F: // SI: invoke G0 into GL
		s.gl = 0
	case 0x84: // IND
		s.wrapNext = false
		s.index()
	case 0x85: // NEL
		s.carriageReturn()
		s.index()
	case 0x88: // HTS
		s.tabs[s.x] = true
	case 0x8D: // RI
		s.reverseIndex()
	case 0x8E: // SS2
		s.single = 2
	case 0x8F: // SS3
		s.single = 3
	}
}

// lineFeed is LF/VT/FF: index, plus carriage return in LNM.
func (s *Screen) lineFeed() {
	s.wrapNext = false
	s.index()
	if s.modes.NewLine {
		s.x = 0
	}
}

func (s *Screen) carriageReturn() {
	s.x = 0
	s.wrapNext = false
}

// DCS implements parser.Performer. Device control strings (DECRQSS,
// XTGETTCAP, sixel) are not supported and are ignored.
func (s *Screen) DCS(seq *parser.Sequence, body []byte) {}
