package copymode

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/goshterm/gosh/vt"
)

// KeyTable selects the key bindings (tmux's mode-keys option).
type KeyTable uint8

// Key tables.
const (
	Vi KeyTable = iota
	Emacs
)

// Config configures a Mode.
type Config struct {
	Keys KeyTable
	// ExitAtBottom leaves copy mode when scrolling reaches the bottom
	// (tmux "copy-mode -e", used when the mouse wheel entered it).
	ExitAtBottom bool
}

// Result is what a key did.
type Result struct {
	// Done: leave copy mode.
	Done bool
	// Copy: Text was copied (the selection), for the paste buffer and the
	// client's clipboard.
	Copy bool
	Text string
	// Unbound: Key has no meaning for the key (in tmux's terms, the
	// copy-mode table does not bind it): the daemon tries the root
	// table, as tmux does.
	Unbound bool
}

// Styles of the copy-mode view, tmux 3's mode-style: black on yellow.
var (
	SelectionAttr  = vt.Inverse // toggled on selected cells
	IndicatorStyle = vt.Style{Fg: vt.IndexedColor(0), Bg: vt.IndexedColor(3)}
)

type pos struct{ line, col int }

func (p pos) before(q pos) bool {
	return p.line < q.line || (p.line == q.line && p.col < q.col)
}

// maxCachedLines bounds the line cache: a few screens' worth, so that a
// search through 10,000 lines of history does not keep them all.
const maxCachedLines = 512

// Mode is one pane's copy mode. Not safe for concurrent use.
type Mode struct {
	cfg  Config
	snap *vt.Screen
	hist int // lines of history (scrollback) in the snapshot
	rows int // screen rows in the snapshot
	cols int

	top    int // first line shown
	height int // rows of the last View (page size)
	cur    pos
	want   int // the column vertical moves aim at (vi's curswant)

	selecting bool
	lineSel   bool
	anchor    pos

	count int // vi repeat count being typed

	prompting bool // typing a search
	promptFwd bool
	query     []rune
	lastQuery string
	lastFwd   bool
	message   string // shown on the bottom line until the next key

	// cache holds lines already read from the snapshot, which never
	// changes: View reads the same lines every frame, and reading a
	// scrollback line allocates.
	cache map[int][]vt.Cell
	view  *vt.Screen
}

// New starts copy mode on a pane's screen. It clones s, so the pane may
// keep writing to s afterwards; call it with the pane's lock held. The
// view starts at the bottom (the screen as it is) with the cursor where
// the pane's is.
func New(s *vt.Screen, cfg Config) *Mode {
	snap := s.Clone()
	m := &Mode{cfg: cfg, snap: snap}
	m.cols, m.rows = snap.Size()
	if !snap.Modes().AltScreen {
		m.hist = snap.ScrollbackLen()
	}
	m.height = m.rows
	m.top = m.hist
	c := snap.Cursor()
	m.cur = pos{m.hist + c.Y, c.X}
	m.want = c.X
	return m
}

// Keys returns the key table the mode was started with (mode-keys): the
// daemon looks a key up in the user's table of that name (bind-key -T
// copy-mode-vi) before it gives the key to Key.
func (m *Mode) Keys() KeyTable { return m.cfg.Keys }

// Prompting reports whether a search is being typed: Key then takes
// every key as the search's text or its editing, whatever a key table
// binds it to, as tmux's search prompt does.
func (m *Mode) Prompting() bool { return m.prompting }

// Lines is the number of lines: history plus screen.
func (m *Mode) Lines() int { return m.hist + m.rows }

// Position reports the view's scroll offset from the bottom and the
// history size, the "[offset/history]" of the indicator.
func (m *Mode) Position() (offset, history int) { return m.bottomTop() - m.top, m.hist }

// Cursor returns the cursor's line (0 = oldest history line) and column.
func (m *Mode) Cursor() (line, col int) { return m.cur.line, m.cur.col }

func (m *Mode) bottomTop() int { return max(m.Lines()-m.height, 0) }

// cells returns line i's cells (at least cols of them).
func (m *Mode) cells(i int) []vt.Cell {
	if cs, ok := m.cache[i]; ok {
		return cs
	}
	var out []vt.Cell
	if i < m.hist {
		sbOff := m.snap.ScrollbackLen() - m.hist // 0 unless alt screen
		out = m.snap.ScrollbackLine(sbOff + i)
	} else {
		y := i - m.hist
		out = make([]vt.Cell, m.cols)
		for x := range out {
			out[x] = m.snap.Cell(x, y)
		}
	}
	if m.cache == nil || len(m.cache) >= maxCachedLines {
		m.cache = make(map[int][]vt.Cell, 64)
	}
	m.cache[i] = out
	return out
}

func (m *Mode) wrapped(i int) bool {
	if i < m.hist {
		return m.snap.ScrollbackWrapped(i)
	}
	return m.snap.RowWrapped(i - m.hist)
}

// lineEnd is the column after the last non-blank cell of line i.
func (m *Mode) lineEnd(i int) int {
	cs := m.cells(i)
	for x := len(cs) - 1; x >= 0; x-- {
		if t := cs[x].Text; t != "" && t != " " {
			return x + 1
		}
	}
	return 0
}

// Key handles one key, named as tmux names keys ("k", "C-u", "M-v",
// "Up", "Space", "Enter", "/").
func (m *Mode) Key(name string) Result {
	m.message = ""
	if m.prompting {
		return m.promptKey(name)
	}
	if m.cfg.Keys == Emacs {
		return m.emacsKey(name)
	}
	return m.viKey(name)
}

func (m *Mode) viKey(name string) Result {
	if len(name) == 1 && name[0] >= '0' && name[0] <= '9' && (name[0] != '0' || m.count > 0) {
		m.count = min(m.count*10+int(name[0]-'0'), 100000)
		return Result{}
	}
	n := max(m.count, 1)
	m.count = 0
	half := max(m.height/2, 1)
	switch name {
	case "h", "Left", "BSpace":
		m.moveCol(-n)
	case "l", "Right":
		m.moveCol(n)
	case "j", "Down", "C-n":
		m.moveLine(n)
	case "k", "Up", "C-p":
		m.moveLine(-n)
	case "w":
		m.repeat(n, m.nextWord)
	case "b":
		m.repeat(n, m.prevWord)
	case "e":
		m.repeat(n, m.wordEnd)
	case "0", "Home":
		m.setCol(0)
	case "^":
		m.setCol(m.firstNonBlank(m.cur.line))
	case "$", "End":
		m.setCol(max(m.lineEnd(m.cur.line)-1, 0))
	case "g":
		m.goLine(0)
	case "G":
		m.goLine(m.Lines() - 1)
	case "H":
		m.goLine(m.top)
	case "M":
		m.goLine(m.top + min(m.height, m.Lines())/2)
	case "L":
		m.goLine(m.top + min(m.height, m.Lines()) - 1)
	case "C-u":
		return m.scrollBy(-half * n)
	case "C-d":
		return m.scrollBy(half * n)
	case "C-b", "PPage":
		return m.scrollBy(-m.height * n)
	case "C-f", "NPage":
		return m.scrollBy(m.height * n)
	case "C-y", "C-Up":
		return m.scrollView(-n)
	case "C-e", "C-Down":
		return m.scrollView(n)
	case "/":
		m.startPrompt(true)
	case "?":
		m.startPrompt(false)
	case "n":
		m.searchAgain(m.lastFwd, n)
	case "N":
		m.searchAgain(!m.lastFwd, n)
	case "v", "Space":
		m.toggleSelection(false)
	case "V":
		m.toggleSelection(true)
	case "o":
		if m.selecting {
			m.anchor, m.cur = m.cur, m.anchor
			m.follow()
		}
	case "Escape":
		m.selecting = false
	case "y", "Enter", "C-j":
		return m.copyAndExit()
	case "q", "C-c":
		return Result{Done: true}
	default:
		return Result{Unbound: true}
	}
	return Result{}
}

func (m *Mode) emacsKey(name string) Result {
	half := max(m.height/2, 1)
	switch name {
	case "C-b", "Left":
		m.moveCol(-1)
	case "C-f", "Right":
		m.moveCol(1)
	case "C-n", "Down":
		m.moveLine(1)
	case "C-p", "Up":
		m.moveLine(-1)
	case "M-f":
		m.wordEnd()
		m.moveCol(1)
	case "M-b":
		m.prevWord()
	case "C-a", "Home":
		m.setCol(0)
	case "M-m":
		m.setCol(m.firstNonBlank(m.cur.line))
	case "C-e", "End":
		// Past the last character, as tmux's emacs end-of-line: with the
		// selection's end exclusive, C-a C-Space C-e takes the whole line.
		m.setCol(m.lineEnd(m.cur.line))
	case "M-<":
		m.goLine(0)
	case "M->":
		m.goLine(m.Lines() - 1)
	case "M-r":
		m.goLine(m.top + min(m.height, m.Lines())/2)
	case "M-Up":
		return m.scrollBy(-half)
	case "M-Down":
		return m.scrollBy(half)
	case "M-v", "PPage":
		return m.scrollBy(-m.height)
	case "C-v", "NPage":
		return m.scrollBy(m.height)
	case "C-Up":
		return m.scrollView(-1)
	case "C-Down":
		return m.scrollView(1)
	case "C-s":
		m.startPrompt(true)
	case "C-r":
		m.startPrompt(false)
	case "n":
		m.searchAgain(m.lastFwd, 1)
	case "N":
		m.searchAgain(!m.lastFwd, 1)
	case "C-Space", "C-@":
		m.selecting, m.lineSel, m.anchor = true, false, m.cur
	case "C-g":
		m.selecting = false
	case "M-w", "C-w", "Enter":
		return m.copyAndExit()
	case "q", "Escape", "C-c":
		return Result{Done: true}
	default:
		return Result{Unbound: true}
	}
	return Result{}
}

func (m *Mode) repeat(n int, f func()) {
	for range n {
		f()
	}
}

// follow scrolls the view so that the cursor is in it.
func (m *Mode) follow() {
	if m.cur.line < m.top {
		m.top = m.cur.line
	} else if m.cur.line >= m.top+m.height {
		m.top = m.cur.line - m.height + 1
	}
	m.top = min(max(m.top, 0), m.bottomTop())
}

func (m *Mode) clampCol() {
	m.cur.col = min(max(m.cur.col, 0), m.cols-1)
}

func (m *Mode) setCol(c int) {
	m.cur.col = c
	m.clampCol()
	m.want = m.cur.col
}

func (m *Mode) moveCol(d int) {
	m.setCol(m.cur.col + d)
}

func (m *Mode) moveLine(d int) {
	m.cur.line = min(max(m.cur.line+d, 0), m.Lines()-1)
	m.cur.col = m.want
	m.clampCol()
	m.follow()
}

func (m *Mode) goLine(l int) {
	m.cur.line = min(max(l, 0), m.Lines()-1)
	m.cur.col = m.want
	m.clampCol()
	m.follow()
}

// scrollBy moves the view and the cursor together by d lines (a page or
// half a page), as tmux's page-up/halfpage-down do.
func (m *Mode) scrollBy(d int) Result {
	oldTop := m.top
	m.top = min(max(m.top+d, 0), m.bottomTop())
	moved := m.top - oldTop
	m.cur.line = min(max(m.cur.line+moved, 0), m.Lines()-1)
	if moved == 0 && d > 0 {
		m.cur.line = m.Lines() - 1 // already at the bottom: go to the last line
	}
	m.cur.col = m.want
	m.clampCol()
	m.follow()
	return m.atBottom(d)
}

// scrollView moves the view by d lines, keeping the cursor in it.
func (m *Mode) scrollView(d int) Result {
	m.top = min(max(m.top+d, 0), m.bottomTop())
	if m.cur.line < m.top {
		m.cur.line = m.top
	} else if m.cur.line >= m.top+m.height {
		m.cur.line = m.top + m.height - 1
	}
	return m.atBottom(d)
}

// Scroll moves the view by lines (negative: back into the history), for
// the mouse wheel. With ExitAtBottom, reaching the bottom leaves copy
// mode.
func (m *Mode) Scroll(lines int) Result {
	return m.scrollView(lines)
}

func (m *Mode) atBottom(d int) Result {
	if m.cfg.ExitAtBottom && d > 0 && m.top == m.bottomTop() && !m.selecting {
		return Result{Done: true}
	}
	return Result{}
}

// Word motion. Classes: 0 blank, 1 punctuation (tmux word-separators),
// 2 word characters.
const separators = "!\"#$%&'()*+,-./:;<=>?@[\\]^`{|}~"

func class(text string) int {
	if text == "" || text == " " {
		return 0
	}
	r, _ := utf8.DecodeRuneInString(text)
	if unicode.IsSpace(r) {
		return 0
	}
	if r < utf8.RuneSelf && strings.IndexByte(separators, byte(r)) >= 0 {
		return 1
	}
	return 2
}

// classAt is the class of a position; the end of a line that does not
// wrap counts as blank.
func (m *Mode) classAt(p pos) int {
	cs := m.cells(p.line)
	if p.col >= len(cs) {
		return 0
	}
	c := cs[p.col]
	if c.Width == 0 && p.col > 0 {
		c = cs[p.col-1]
	}
	return class(c.Text)
}

// step moves p one cell forward (or back), across line ends; false at the
// ends of the buffer.
func (m *Mode) step(p pos, fwd bool) (pos, bool) {
	if fwd {
		if p.col+1 < m.cols {
			return pos{p.line, p.col + 1}, true
		}
		if p.line+1 < m.Lines() {
			return pos{p.line + 1, 0}, true
		}
		return p, false
	}
	if p.col > 0 {
		return pos{p.line, p.col - 1}, true
	}
	if p.line > 0 {
		return pos{p.line - 1, m.cols - 1}, true
	}
	return p, false
}

// The loops below are bounded by the buffer's cell count: each step
// advances one cell.
func (m *Mode) nextWord() {
	p := m.cur
	c := m.classAt(p)
	limit := m.Lines() * m.cols
	for i := 0; i < limit; i++ {
		q, ok := m.step(p, true)
		if !ok {
			// No word after: the last character, as vi does.
			last := m.Lines() - 1
			p = pos{last, max(m.lineEnd(last)-1, 0)}
			break
		}
		if q.line != p.line && !m.wrapped(p.line) {
			c = 0 // a line end separates words
		}
		p = q
		qc := m.classAt(p)
		if qc != 0 && qc != c {
			break
		}
		c = qc
	}
	m.cur = p
	m.want = p.col
	m.follow()
}

func (m *Mode) prevWord() {
	p := m.cur
	limit := m.Lines() * m.cols
	// Back over blanks, then to the start of the word before.
	for i := 0; i < limit; i++ {
		q, ok := m.step(p, false)
		if !ok {
			break
		}
		p = q
		if m.classAt(p) != 0 {
			break
		}
	}
	c := m.classAt(p)
	for i := 0; i < limit; i++ {
		q, ok := m.step(p, false)
		if !ok || m.classAt(q) != c || (q.line != p.line && !m.wrapped(q.line)) {
			break
		}
		p = q
	}
	m.cur = p
	m.want = p.col
	m.follow()
}

func (m *Mode) wordEnd() {
	p := m.cur
	limit := m.Lines() * m.cols
	for i := 0; i < limit; i++ {
		q, ok := m.step(p, true)
		if !ok {
			break
		}
		p = q
		if m.classAt(p) != 0 {
			break
		}
	}
	c := m.classAt(p)
	for i := 0; i < limit; i++ {
		q, ok := m.step(p, true)
		if !ok || m.classAt(q) != c || (q.line != p.line && !m.wrapped(p.line)) {
			break
		}
		p = q
	}
	m.cur = p
	m.want = p.col
	m.follow()
}

func (m *Mode) firstNonBlank(line int) int {
	for x, c := range m.cells(line) {
		if class(c.Text) != 0 {
			return x
		}
	}
	return 0
}

func (m *Mode) toggleSelection(line bool) {
	if m.selecting && m.lineSel == line {
		m.selecting = false
		return
	}
	if !m.selecting {
		m.anchor = m.cur
	}
	m.selecting, m.lineSel = true, line
}

// selection returns the selection's ordered ends, in cells, inclusive.
// With emacs keys the later end is exclusive, as in tmux
// (window_copy_get_selection drops its last column unless mode-keys is
// vi): the selection stops before the cell the cursor is on.
func (m *Mode) selection() (start, end pos, ok bool) {
	if !m.selecting {
		return
	}
	start, end = m.anchor, m.cur
	if end.before(start) {
		start, end = end, start
	}
	if m.lineSel {
		start.col, end.col = 0, m.cols-1
		return start, end, true
	}
	if m.cfg.Keys == Emacs {
		switch {
		case end.col > 0:
			end.col--
		case end.line > start.line:
			end = pos{line: end.line - 1, col: m.cols - 1}
		default:
			return start, end, false // nothing between them
		}
	}
	return start, end, true
}

// viewPos is the position of cell (x, y) of the last View.
func (m *Mode) viewPos(x, y int) pos {
	return pos{line: min(max(m.top+y, 0), m.Lines()-1), col: min(max(x, 0), m.cols-1)}
}

// MouseSelect starts a selection at cell (x, y) of the view, where a
// mouse drag began (tmux's copy-mode -M).
func (m *Mode) MouseSelect(x, y int) {
	m.cur = m.viewPos(x, y)
	m.want = m.cur.col
	m.anchor, m.selecting, m.lineSel = m.cur, true, false
}

// MouseExtend moves the selection's free end to cell (x, y) of the view,
// as the drag goes on.
func (m *Mode) MouseExtend(x, y int) {
	m.cur = m.viewPos(x, y)
	m.want = m.cur.col
}

// CopyAndExit copies the selection and ends copy mode (the end of a mouse
// drag: tmux's copy-pipe-and-cancel).
func (m *Mode) CopyAndExit() Result { return m.copyAndExit() }

func (m *Mode) copyAndExit() Result {
	start, end, ok := m.selection()
	if !ok {
		return Result{Done: true}
	}
	return Result{Done: true, Copy: true, Text: m.text(start, end)}
}

// Selected returns the text the selection covers now ("" without one).
func (m *Mode) Selected() string {
	start, end, ok := m.selection()
	if !ok {
		return ""
	}
	return m.text(start, end)
}

// text returns the cells from start to end inclusive as text: a line that
// soft-wraps joins the next without a newline; other line breaks are
// newlines; blanks at the end of each line are trimmed (tmux does the
// same), and empty cells inside a line are spaces.
func (m *Mode) text(start, end pos) string {
	var b strings.Builder
	for l := start.line; l <= end.line; l++ {
		cs := m.cells(l)
		x0, x1 := 0, len(cs)
		if l == start.line {
			x0 = start.col
		}
		if l == end.line {
			x1 = min(end.col+1, len(cs))
		}
		wraps := m.wrapped(l) && l < end.line
		if !wraps {
			x1 = min(x1, m.lineEnd(l))
		}
		if x0 < x1 && x0 > 0 && cs[x0].Width == 0 {
			x0-- // a selection starting on a wide tail takes the character
		}
		for x := x0; x < x1; x++ {
			switch c := cs[x]; {
			case c.Width == 0:
			case c.Text == "":
				b.WriteByte(' ')
			default:
				b.WriteString(c.Text)
			}
		}
		if l < end.line && !wraps {
			b.WriteByte('\n')
		}
	}
	return b.String()
}

// Search.

func (m *Mode) startPrompt(fwd bool) {
	m.prompting, m.promptFwd, m.query = true, fwd, m.query[:0]
}

func (m *Mode) promptKey(name string) Result {
	switch name {
	case "Enter", "C-m", "C-j":
		m.prompting = false
		if len(m.query) > 0 {
			m.lastQuery, m.lastFwd = string(m.query), m.promptFwd
			m.search(m.lastQuery, m.promptFwd, 1)
		}
	case "Escape", "C-c", "C-g":
		m.prompting = false
	case "BSpace", "C-h":
		if len(m.query) > 0 {
			m.query = m.query[:len(m.query)-1]
		}
	case "C-u":
		m.query = m.query[:0]
	case "Space":
		m.query = append(m.query, ' ')
	default:
		if r, n := utf8.DecodeRuneInString(name); n == len(name) && r != utf8.RuneError && len(m.query) < 256 {
			m.query = append(m.query, r)
		}
	}
	return Result{}
}

func (m *Mode) searchAgain(fwd bool, n int) {
	if m.lastQuery != "" {
		m.search(m.lastQuery, fwd, n)
	}
}

// logicalStart returns the first line of the soft-wrapped run that holds
// line i: a line the terminal wrapped at the right margin continues on
// the next, so a word printed across the pane's edge is one word.
func (m *Mode) logicalStart(i int) int {
	for i > 0 && m.wrapped(i-1) {
		i--
	}
	return i
}

// logicalText returns the soft-wrapped run of lines from first as one
// string, the position each byte of it came from, and the line after the
// run. at is reused.
func (m *Mode) logicalText(first int, at []pos) (string, []pos, int) {
	var b strings.Builder
	at = at[:0]
	l := first
	for total := m.Lines(); l < total; l++ {
		for x, c := range m.cells(l) {
			t := c.Text
			switch {
			case c.Width == 0:
				continue
			case t == "":
				t = " "
			}
			b.WriteString(t)
			for range len(t) {
				at = append(at, pos{l, x})
			}
		}
		if !m.wrapped(l) {
			break
		}
	}
	return b.String(), at, l + 1
}

// search moves the cursor to the n-th match of q after (or before) it,
// wrapping around the ends, as tmux's search-forward/backward. Lines
// joined by soft wraps are searched as one, so a match may run over the
// pane's right edge; it is found at its first cell.
func (m *Mode) search(q string, fwd bool, n int) {
	fold := strings.ToLower(q) == q // smart case
	if fold {
		q = strings.ToLower(q)
	}
	var at []pos
	p := m.cur
	total := m.Lines()
	for range n {
		found := false
		start := m.logicalStart(p.line)
		// Every run once from the cursor's, then the cursor's run again
		// for a match on its other side: at most total+1 runs.
		first := start
		for k := 0; k <= total; k++ {
			text, positions, next := m.logicalText(first, at)
			at = positions
			if fold {
				text = strings.ToLower(text) // ASCII-safe byte offsets for ASCII text
			}
			if len(text) == len(at) { // else case folding changed lengths: skip the run
				idxs := allIndex(text, q)
				if fwd {
					for _, i := range idxs {
						if c := at[i]; k > 0 || p.before(c) {
							p, found = c, true
							break
						}
					}
				} else {
					for j := len(idxs) - 1; j >= 0; j-- {
						if c := at[idxs[j]]; k > 0 || c.before(p) {
							p, found = c, true
							break
						}
					}
				}
			}
			if found || (k > 0 && first == start) {
				break
			}
			if fwd {
				if first = next; first >= total {
					first = 0
				}
			} else if first > 0 {
				first = m.logicalStart(first - 1)
			} else {
				first = m.logicalStart(total - 1)
			}
		}
		if !found {
			m.message = "Search failed: " + q
			return
		}
	}
	m.cur = p
	m.want = p.col
	m.follow()
}

func allIndex(s, q string) []int {
	var out []int
	for off := 0; off <= len(s); {
		i := strings.Index(s[off:], q)
		if i < 0 {
			break
		}
		out = append(out, off+i)
		off += i + 1
	}
	return out
}

// View renders the visible part into a w×h screen for the composer: the
// lines from the view's top, the selection with its cells' Inverse
// attribute toggled, the position indicator "[offset/history]" at the top
// right, a search prompt or message on the bottom line, and the cursor.
// The returned screen is reused by the next View call.
func (m *Mode) View(w, h int) *vt.Screen {
	w, h = max(w, 1), max(h, 1)
	if h != m.height {
		m.height = h
		m.follow()
	}
	if m.view == nil {
		m.view = m.newView(w, h)
	} else if vw, vh := m.view.Size(); vw != w || vh != h {
		m.view = m.newView(w, h)
	}
	v := m.view
	start, end, sel := m.selection()
	for y := range h {
		l := m.top + y
		if l >= m.Lines() {
			v.FillRect(0, y, w, 1, vt.Cell{})
			continue
		}
		cs := m.cells(l)
		for x := range w {
			var c vt.Cell
			if x < len(cs) {
				c = cs[x]
			}
			if c.Width == 0 && x > 0 && x-1 < len(cs) && cs[x-1].Width == 2 {
				continue // the head set this tail
			}
			if c.Width == 0 {
				c.Width = 1
			}
			if sel && inSel(pos{l, x}, start, end) {
				c.Style.Attrs ^= SelectionAttr
			}
			v.SetCell(x, y, c)
		}
	}
	ind := "[" + strconv.Itoa(m.bottomTop()-m.top) + "/" + strconv.Itoa(m.hist) + "]"
	iw := vt.TextWidth(ind)
	v.PutText(max(w-iw, 0), 0, w, ind, IndicatorStyle)
	switch {
	case m.prompting:
		label := "Search Down: "
		if !m.promptFwd {
			label = "Search Up: "
		}
		v.FillRect(0, h-1, w, 1, vt.Cell{Style: IndicatorStyle})
		end := v.PutText(0, h-1, w, label+string(m.query), IndicatorStyle)
		v.SetCursor(vt.Cursor{X: min(end, w-1), Y: h - 1, Visible: true})
		return v
	case m.message != "":
		v.FillRect(0, h-1, w, 1, vt.Cell{Style: IndicatorStyle})
		v.PutText(0, h-1, w, m.message, IndicatorStyle)
	}
	cy := m.cur.line - m.top
	v.SetCursor(vt.Cursor{X: min(m.cur.col, w-1), Y: cy, Visible: cy >= 0 && cy < h, Shape: vt.CursorBlock})
	return v
}

// newView returns a screen for View. It carries the pane's title, so
// that the client's window title does not change when the pane enters
// copy mode (the composer takes the title from the screen it shows).
func (m *Mode) newView(w, h int) *vt.Screen {
	v := vt.NewScreen(w, h)
	v.SetScrollbackLimit(0)
	v.SetTitle(m.snap.Title())
	return v
}

func inSel(p, start, end pos) bool {
	return !p.before(start) && !end.before(p)
}
