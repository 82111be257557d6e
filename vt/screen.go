package vt

import (
	"io"
	"sync"
	"sync/atomic"

	"github.com/goshterm/gosh/vt/parser"
)

// The screen model
//
//	Screen
//	 ├─ main, alt  buffer      two grids; cur points at the active one
//	 │    ├─ rows  []*line     exactly s.rows lines, each exactly s.cols cells
//	 │    └─ saved             DECSC state of that buffer (xterm keeps one per buffer)
//	 ├─ sb         scrollback  lines that scrolled off the main grid's top, stored
//	 │                         compactly as records in byte chunks (see scroll.go)
//	 ├─ tab        *tables     interned Styles and multi-rune grapheme clusters
//	 └─ cursor, pen, modes, margins, tab stops, charsets, title/icon/clipboard/bell
//
// A line is a slice of 8-byte cells (see cell): a code point or cluster
// index, a style index and width flags. A line belongs to the screen whose
// id it carries; any other screen must copy it before writing (copy-on-
// write). Clone copies only the row pointers and gives both screens fresh
// ids, so the first write to a row after a Clone copies that row and the
// untouched rows stay shared.
//
// Reading cells cheaply (for diff.go and other code in this package):
//
//	for y, l := range s.cur.rows {          // visible rows, top to bottom
//		if l == o.cur.rows[y] { continue }  // same pointer: identical row (shared since a Clone)
//		for x, c := range l.cells { ... }  // c is a cell; l.wrapped is the soft-wrap flag
//	}
//
// s.text(c) gives the cluster ("" empty), c.width() the width (2 wide head,
// 0 wide tail), s.style(c) the Style. To compare cells of two screens use
// cellEqual(s, a, o, b): when both share one *tables (s.tab == o.tab) it is
// an 8-byte comparison (ignoring the cellProtected flag, which only
// selective erase sees and a frame does not carry), otherwise it resolves
// text and style by value.
// Style index 0 is always the default style, so c.style == 0 means "plain"
// on every screen.

// Screen is one terminal: its grid, cursor, modes and scrollback. It
// implements parser.Performer; Write feeds it host output.
//
// A Screen is not safe for concurrent use. Clone it to hand a snapshot to
// another goroutine: the copy and the original may then be used
// concurrently, each by one goroutine.
type Screen struct {
	cols, rows int
	main, alt  buffer
	cur        *buffer

	tab          *tables
	tablesShared bool                                  // tab is shared with a clone: copy before adding
	styleCache   *[1 << styleCacheBits]styleCacheEntry // recent internStyle results; nil until needed
	id           uint64                                // owner token of the lines this screen may write in place

	sb       scrollback
	sbShared bool // sb.idx and sb.chunks are shared with a clone: copy before changing
	sbLimit  int

	x, y      int  // cursor; 0 ≤ x < cols, 0 ≤ y < rows
	wrapNext  bool // deferred ("pending") wrap: the last column was just written
	cursorVis bool
	shape     CursorShape
	blink     bool

	pen    Style
	penIdx uint16 // s.pen interned in s.tab

	top, bottom int // scroll region (DECSTBM), inclusive, 0-based
	modes       Modes
	tabs        []bool // tabs[x]: a tab stop at column x

	charsets [4]charset // G0–G3
	gl       int        // which of G0–G3 is invoked into GL (SO/SI, LS2, LS3)
	single   int        // pending single shift (SS2/SS3): 2 or 3, else 0

	title, icon       string
	clipSel, clipData string
	bells             uint64

	protected bool // DECSCA: printed cells are protected from selective erase
	selective bool // an erase in progress is DECSED/DECSEL

	last  cell // the last printed graphic character, for REP (style ignored)
	lastW int  // its width; 0 when nothing was printed yet

	reply   io.Writer
	parser  *parser.Parser
	wrote   bool   // Write ran before (since the Clone): keep a parser of its own
	scratch []byte // reused buffer for grapheme clustering and replies
}

// buffer is one of the two grids (main or alternate).
//
// The alternate buffer's rows are nil until a program first switches to
// it and again once it is left cleared (modes 1047 and 1049, RIS): most
// panes never run a full-screen program, and a 200x60 grid is ~100 KiB.
// A nil alternate buffer stands for a blank one; switchBuffer allocates it
// on entry.
type buffer struct {
	rows  []*line
	saved savedCursor
}

// savedCursor is what DECSC saves and DECRC restores (vt100.net DECSC:
// position, rendition, origin mode, autowrap, character sets).
type savedCursor struct {
	valid    bool
	x, y     int
	wrapNext bool
	pen      Style
	origin   bool
	autowrap bool
	charsets [4]charset
	gl       int
	protect  bool
}

// line is one row of cells.
type line struct {
	cells   []cell
	wrapped bool   // this row soft-wraps into the next one (autowrap happened)
	owner   uint64 // id of the screen that may write this line in place
}

var lastID atomic.Uint64

func newID() uint64 { return lastID.Add(1) }

// DefaultScrollback is the scrollback limit of a new Screen, in lines.
const DefaultScrollback = 10000

// NewScreen returns a blank screen of cols×rows (each at least 1) with the
// cursor at the top left, autowrap on, and tab stops every 8 columns.
func NewScreen(cols, rows int) *Screen {
	cols, rows = clampSize(cols, rows)
	s := &Screen{
		cols:    cols,
		rows:    rows,
		tab:     newTables(),
		id:      newID(),
		sbLimit: DefaultScrollback,
	}
	s.main.rows = s.newRows(rows)
	s.cur = &s.main
	s.reset()
	return s
}

// MaxSize bounds each dimension so that a hostile resize can't exhaust
// memory.
const MaxSize = 4096

func clampSize(cols, rows int) (int, int) {
	return min(max(cols, 1), MaxSize), min(max(rows, 1), MaxSize)
}

func (s *Screen) newLine() *line {
	return &line{cells: make([]cell, s.cols), owner: s.id}
}

func (s *Screen) newRows(n int) []*line {
	rows := make([]*line, n)
	for i := range rows {
		rows[i] = s.newLine()
	}
	return rows
}

// ownLine returns l, or a copy of it that s may write when l is shared.
func (s *Screen) ownLine(l *line) *line {
	if l.owner == s.id {
		return l
	}
	return &line{cells: append([]cell(nil), l.cells...), wrapped: l.wrapped, owner: s.id}
}

// row returns visible row y of the active buffer, ready to be written.
func (s *Screen) row(y int) *line {
	l := s.cur.rows[y]
	if l.owner != s.id {
		l = s.ownLine(l)
		s.cur.rows[y] = l
	}
	return l
}

// SetReplyWriter sets where replies to host queries (DA, DSR, DECRQM, …)
// go. With nil they are discarded.
func (s *Screen) SetReplyWriter(w io.Writer) { s.reply = w }

// SetScrollbackLimit sets how many lines the scrollback keeps (default
// DefaultScrollback); 0 disables scrollback. Excess old lines are dropped.
func (s *Screen) SetScrollbackLimit(lines int) {
	s.sbLimit = max(lines, 0)
	s.trimScrollback()
}

// ScrollbackLimit returns how many lines the scrollback keeps.
func (s *Screen) ScrollbackLimit() int { return s.sbLimit }

// Size returns the screen's width and height in cells.
func (s *Screen) Size() (cols, rows int) { return s.cols, s.rows }

// Cell returns the cell at column x, row y of the visible grid (0-based).
// Out-of-range coordinates give an empty Cell.
func (s *Screen) Cell(x, y int) Cell {
	if x < 0 || y < 0 || x >= s.cols || y >= s.rows {
		return Cell{}
	}
	return s.publicCell(s.cur.rows[y].cells[x])
}

// SameRow reports whether visible row y of s and of o is one stored row:
// one screen is a clone of the other, or both descend from one, and
// neither has written to the row since (rows are shared copy-on-write).
// The row's cells, styles and wrap flag are then equal, so a renderer
// that drew o can skip row y of s. false proves nothing: the rows may
// still be equal.
func (s *Screen) SameRow(o *Screen, y int) bool {
	if o == nil || y < 0 || y >= s.rows || y >= o.rows || s.cols != o.cols {
		return false
	}
	return s.cur.rows[y] == o.cur.rows[y]
}

// CellEqual reports whether cell (x, y) of s and of o look the same:
// s.Cell(x, y) == o.Cell(x, y), without building either Cell (a renderer
// comparing a changed row with the last one drawn calls it per cell).
func (s *Screen) CellEqual(o *Screen, x, y int) bool {
	if o == nil {
		return false
	}
	if x < 0 || y < 0 || x >= s.cols || y >= s.rows || x >= o.cols || y >= o.rows {
		return s.Cell(x, y) == o.Cell(x, y)
	}
	return cellEqual(s, s.cur.rows[y].cells[x], o, o.cur.rows[y].cells[x])
}

// RowWrapped reports whether row y soft-wraps into row y+1: the text ran
// past the right margin with autowrap on.
func (s *Screen) RowWrapped(y int) bool {
	if y < 0 || y >= s.rows {
		return false
	}
	return s.cur.rows[y].wrapped
}

// Cursor returns the cursor's position and appearance. With a pending
// wrap the cursor is reported in the last column, as xterm does.
func (s *Screen) Cursor() Cursor {
	return Cursor{X: s.x, Y: s.y, Visible: s.cursorVis, Shape: s.shape, Blink: s.blink}
}

// Pen returns the current SGR rendition (and OSC 8 link).
func (s *Screen) Pen() Style { return s.pen }

// Modes returns the terminal modes.
func (s *Screen) Modes() Modes { return s.modes }

// Title returns the window title (OSC 0 or 2).
func (s *Screen) Title() string { return s.title }

// IconName returns the icon name (OSC 0 or 1).
func (s *Screen) IconName() string { return s.icon }

// Clipboard returns the last OSC 52 clipboard set: the selection
// parameter (e.g. "c") and the data as sent (base64).
func (s *Screen) Clipboard() (selection, data string) { return s.clipSel, s.clipData }

// BellCount returns how many BELs the host has sent.
func (s *Screen) BellCount() uint64 { return s.bells }

// ScrollbackLen returns the number of lines in the scrollback.
func (s *Screen) ScrollbackLen() int { return s.sb.len() }

// ScrollbackLine returns scrollback line i (0 = oldest) as a new slice;
// nil when i is out of range. Its length is the width the line had when it
// scrolled off (resizing reflows it to the new width): the trailing empty
// default-style cells that the scrollback does not store come back as
// empty cells, so the line reads exactly as the row did.
func (s *Screen) ScrollbackLine(i int) []Cell {
	rec := s.sb.record(i)
	if rec == nil {
		return nil
	}
	var buf [256]cell
	cells, width, _ := decodeLine(rec, buf[:0])
	out := make([]Cell, width)
	for x, c := range cells {
		out[x] = s.publicCell(c)
	}
	blank := s.publicCell(cell{})
	for x := len(cells); x < width; x++ {
		out[x] = blank
	}
	return out
}

// ScrollbackWrapped reports whether scrollback line i soft-wraps into the
// next line.
func (s *Screen) ScrollbackWrapped(i int) bool {
	rec := s.sb.record(i)
	return rec != nil && recordWrapped(rec)
}

// Clone returns an independent copy of s. It is cheap: rows, scrollback
// and intern tables are shared copy-on-write, so the cost is proportional
// to the number of rows. The copy has no reply writer and starts its
// parser in the ground state.
func (s *Screen) Clone() *Screen { return s.cloneInto(new(Screen)) }

// CloneInto is Clone reusing the memory of old, a screen its owner has
// retired: the struct and its row-pointer and tab-stop slices become the
// copy, so a clone per frame allocates nothing once sizes settle. old
// must not be used again by anyone (its owner passes it on, as an ssp
// Transport does with a state the peer acknowledged); the rows it pointed
// to are untouched, so clones that share them are not affected. With a
// nil old, or old == s, it is Clone.
func (s *Screen) CloneInto(old *Screen) *Screen {
	if old == nil || old == s {
		return s.Clone()
	}
	return s.cloneInto(old)
}

// cloneInto makes c a Clone of s, reusing c's slices.
func (s *Screen) cloneInto(c *Screen) *Screen {
	mainRows, altRows, tabs := c.main.rows, c.alt.rows, c.tabs
	*c = *s
	c.main.rows = reuseRows(mainRows, s.main.rows)
	c.alt.rows = reuseRows(altRows, s.alt.rows) // nil stays nil: a blank alternate buffer
	if s.cur == &s.alt {
		c.cur = &c.alt
	} else {
		c.cur = &c.main
	}
	c.tabs = append(tabs[:0], s.tabs...)
	c.reply = nil
	c.parser = nil
	c.wrote = false
	c.scratch = nil
	// The clone starts with no style cache (a snapshot seldom interns a
	// style): a Clone allocates the ~750-byte Screen, not 1.8 KB more of
	// cache, and the two never share one (their tables may diverge).
	c.styleCache = nil
	// Both get fresh ids, so neither may write the rows they now share.
	s.id = newID()
	c.id = newID()
	s.tablesShared = true
	c.tablesShared = true
	s.sbShared = true
	c.sbShared = true
	// Only the original appends to the last shared chunk; the clone's
	// spare and encoding scratch are its own.
	c.sb.tailMine = false
	c.sb.spare = nil
	c.sb.enc = nil
	return c
}

// reuseRows returns a copy of rows in buf's memory when it fits. The
// pointers past the copy are cleared, so that a reused slice does not keep
// rows of the screen it came from alive.
func reuseRows(buf, rows []*line) []*line {
	if rows == nil {
		return nil
	}
	out := append(buf[:0], rows...)
	clear(out[len(out):cap(out)])
	return out
}

// FrameEqual reports whether s and o are equal in everything a frame diff
// transmits: size, every visible cell (text, width, style), row wrap
// flags, cursor position, visibility and shape, pen, title, icon name,
// clipboard, bell count, and the modes AppCursorKeys, AppKeypad,
// BracketedPaste, FocusEvents, SyncOutput, ReverseVideo, Mouse and
// MouseEncoding. Scrollback, tab stops, margins, charsets and the other
// modes are not compared.
func (s *Screen) FrameEqual(o *Screen) bool {
	if s.cols != o.cols || s.rows != o.rows ||
		s.x != o.x || s.y != o.y || s.cursorVis != o.cursorVis || s.shape != o.shape ||
		s.pen != o.pen || s.title != o.title || s.icon != o.icon ||
		s.clipSel != o.clipSel || s.clipData != o.clipData || s.bells != o.bells ||
		!s.modes.frameEqual(o.modes) {
		return false
	}
	for y, a := range s.cur.rows {
		b := o.cur.rows[y]
		if a == b {
			continue
		}
		if a.wrapped != b.wrapped {
			return false
		}
		if s.tab == o.tab {
			for x := range a.cells {
				if a.cells[x] != b.cells[x] && a.cells[x].visual() != b.cells[x].visual() {
					return false
				}
			}
			continue
		}
		for x := range a.cells {
			if !cellEqual(s, a.cells[x], o, b.cells[x]) {
				return false
			}
		}
	}
	return true
}

// Write parses host output and applies it to the screen. It never fails:
// malformed input is shown or ignored as a terminal would.
func (s *Screen) Write(p []byte) (int, error) {
	if s.parser == nil && !s.wrote {
		s.wrote = true
		s.writeLent(p)
		return len(p), nil
	}
	if s.parser == nil {
		s.parser = parser.New(s)
	}
	s.parser.Write(p)
	return len(p), nil
}

// writeLent is a screen's first Write, with a pooled parser that goes
// back to the pool if the bytes end idle (parser.Parser.Idle), and
// otherwise stays with the screen to finish the sequence. A frame replica
// is a Clone written once, by one complete diff: it needs no ~300-byte
// parser of its own. A screen written again (a pane's) keeps one from its
// second Write on.
func (s *Screen) writeLent(p []byte) {
	ps := parserPool.Get().(*parser.Parser)
	ps.Attach(s)
	ps.Write(p)
	if !ps.Idle() {
		s.parser = ps
		return
	}
	ps.Attach(nil)
	parserPool.Put(ps)
}

var parserPool = sync.Pool{New: func() any { return parser.New(nil) }}

// WriteString is Write for a string.
func (s *Screen) WriteString(str string) (int, error) {
	return s.Write([]byte(str))
}

var _ parser.Performer = (*Screen)(nil)
var _ io.Writer = (*Screen)(nil)
