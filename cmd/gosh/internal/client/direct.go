package client

import (
	"io"
	"os"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/gdamore/tcell/v2"
	"github.com/gdamore/tcell/v2/terminfo"
)

// directWriter shows a frame that changed a few rows without tcell's Show.
//
// Show passes over every cell of the screen (1,920 on 80×24) comparing
// each cell's text and style with what it last drew, ~20 µs per echo
// frame even when one cell changed: most of the client's part of a local
// echo. The renderer knows which rows it put, so the writer looks only at
// those rows' cells in tcell's own cell buffer and emits, for each dirty
// cell, what Show would emit for it (tcell 2.13's tScreen.draw/drawCell:
// cursor addressing, attributes, colours through the terminal's palette,
// 24-bit colour, underline styles and colours, OSC 8 links, the wide
// character workaround), then marks the cell clean as Show does. tcell's
// buffer stays what the terminal shows, so a later Show or Sync (a full
// redraw, Ctrl-L, a resize) draws from a true picture.
//
// Unlike Show it remembers what its last write left on the terminal
// (cursor, pen, cursor shape) and leaves out what would set them again
// (show): the terminal ends up showing what Show's bytes would show, and
// a frame that changes nothing writes nothing. An echoed character is
// CSI ? 2026 h, the character, CSI ? 2026 l (Show: 60 bytes).
//
// It is used only where it can be exactly Show: an xterm-like terminfo
// entry (tcell's own test for its extended strings) without padding, a
// UTF-8 or ASCII character set, colours. A frame it cannot draw exactly —
// the bottom-right cell changed (tcell's insert-character dance on
// auto-margin terminals), a character tcell would translate, a size tcell
// has not caught up with — is left to Show.
type directWriter struct {
	ti    *terminfo.Terminfo
	cells *tcell.CellBuffer
	// lock is the screen's: tcell's own goroutine resizes and redraws
	// cells under it when the terminal's size changes.
	lock  sync.Locker
	shown int // frames drawn here rather than by Show
	tty   tcell.Tty
	ascii bool // the character set is ASCII: other characters go to Show

	truecolor bool
	palette   []tcell.Color
	colors    map[tcell.Color]tcell.Color
	cupXterm  bool // ti.SetCursor is xterm's cup, written without TParm

	sgr   map[tcell.Style]string // the attribute bytes of a style, without its link
	links map[tcell.Style][2]string
	// linked: the session has links, and a tcell draw may have left one
	// open (its draws leave the last link drawn open).
	linked bool

	// off makes the renderer leave every frame to Show (tests compare
	// the two).
	off bool

	buf    []byte
	cx, cy int
	cur    tcell.Style
	curOK  bool
	curURL string
	moved  bool // this write moved the cursor other than by printing
	// exact: the terminal's cursor is at cx, not only where tcell's
	// widths put it (nothing but ASCII was printed since the last CUP; a
	// terminal may disagree with tcell on the width of other text).
	exact bool
	cols  int

	// What the terminal is known to show beyond the cells, as this
	// writer's last write left it, so that the next write can leave out
	// what would set it again: the cursor's position (cx, cy), its
	// visibility and shape, the pen (cur, curURL). Show and Sync
	// (tcell's own goroutine runs Sync-like draws on a resize) start
	// from "nothing known" and leave the pen wherever their last cell
	// put it, so the state is trusted only while the canary cell
	// (0, 0), marked dirty after each write here, is still dirty: any
	// tcell draw draws every dirty cell, and so cleans it.
	known    bool
	visible  bool
	shape    tcell.CursorStyle
	shapeOK  bool
	armed    bool
	canary   string // what the canary showed when it was armed
	canarySt tcell.Style
	showOnly string // ti.ShowCursor without what only sets the blink (DECSET/DECRST 12)
}

// The strings tcell 2.13 uses for xterm-like terminals beyond terminfo
// (tScreen.prepareUnderlines, prepareExtendedOSC, prepareCursorStyles,
// the synchronized-output mode 2026).
const (
	xtUnderColor = "\x1b[58:5:%p1%dm"
	xtUnderRGB   = "\x1b[58:2::%p1%d:%p2%d:%p3%dm"
	xtUnderFg    = "\x1b[59m"
	xtEnterURL   = "\x1b]8;%p2%s;%p1%s\x1b\\"
	xtExitURL    = "\x1b]8;;\x1b\\"
	xtSyncStart  = "\x1b[?2026h"
	xtSyncEnd    = "\x1b[?2026l"
	xtermCup     = "\x1b[%i%p1%d;%p2%dH"
	xtShow       = "\x1b[?25h" // DECTCEM
)

var xtUnderStyles = [...]string{
	tcell.UnderlineStyleDouble: "\x1b[4:2m",
	tcell.UnderlineStyleCurly:  "\x1b[4:3m",
	tcell.UnderlineStyleDotted: "\x1b[4:4m",
	tcell.UnderlineStyleDashed: "\x1b[4:5m",
}

var xtCursorStyles = map[tcell.CursorStyle]string{
	tcell.CursorStyleDefault:           "\x1b[0 q",
	tcell.CursorStyleBlinkingBlock:     "\x1b[1 q",
	tcell.CursorStyleSteadyBlock:       "\x1b[2 q",
	tcell.CursorStyleBlinkingUnderline: "\x1b[3 q",
	tcell.CursorStyleSteadyUnderline:   "\x1b[4 q",
	tcell.CursorStyleBlinkingBar:       "\x1b[5 q",
	tcell.CursorStyleSteadyBar:         "\x1b[6 q",
}

// newDirectWriter returns a writer for scr, a tcell terminal screen for
// the terminfo entry term ("": $TERM), or nil when Show must do all the
// drawing.
func newDirectWriter(scr tcell.Screen, term string) *directWriter {
	cb, ok := scr.(interface{ GetCells() *tcell.CellBuffer })
	if !ok {
		return nil
	}
	lock, ok := scr.(sync.Locker)
	if !ok {
		return nil
	}
	tty, ok := scr.Tty()
	if !ok || tty == nil {
		return nil
	}
	if term == "" {
		term = os.Getenv("TERM")
	}
	ti, err := tcell.LookupTerminfo(term)
	if err != nil || !(ti.XTermLike || strings.HasPrefix(ti.Name, "xterm")) {
		return nil
	}
	if os.Getenv("NO_COLOR") != "" || ti.Colors <= 0 {
		return nil
	}
	var ascii bool
	switch strings.ToLower(scr.CharacterSet()) {
	case "utf-8", "utf8":
	case "us-ascii", "ascii", "iso646":
		ascii = true
	default:
		return nil
	}
	for _, s := range []string{ti.SetCursor, ti.AttrOff, ti.Bold, ti.Underline, ti.Reverse, ti.Blink,
		ti.Dim, ti.Italic, ti.StrikeThrough, ti.SetFg, ti.SetBg, ti.SetFgBg, ti.ResetFgBg,
		ti.SetFgRGB, ti.SetBgRGB, ti.SetFgBgRGB, ti.HideCursor, ti.ShowCursor} {
		if strings.Contains(s, "$<") {
			return nil // padding: tcell sleeps for it
		}
	}
	if ti.SetCursor == "" || ti.HideCursor == "" {
		return nil
	}
	w := &directWriter{
		ti: ti, cells: cb.GetCells(), lock: lock, tty: tty, ascii: ascii,
		truecolor: (ti.SetFgBgRGB != "" || ti.SetFgRGB != "" || ti.SetBgRGB != "") && os.Getenv("TCELL_TRUECOLOR") != "disable",
		cupXterm:  ti.SetCursor == xtermCup,
		sgr:       map[tcell.Style]string{},
		links:     map[tcell.Style][2]string{},
		showOnly:  ti.ShowCursor,
	}
	if ti.ShowCursor == "\x1b[?12l"+xtShow || ti.ShowCursor == "\x1b[?12h"+xtShow {
		// xterm's cnorm also stops the cursor blinking (DECRST 12),
		// kitty's starts it (DECSET 12): Show writes the cursor's
		// style after it, which sets the blinking again, but this
		// writer writes the style only when it changed, so it must
		// not write what would undo it.
		w.showOnly = xtShow
	}
	n := min(ti.Colors, 256)
	w.palette = make([]tcell.Color, n)
	w.colors = make(map[tcell.Color]tcell.Color, n)
	for i := range n {
		c := tcell.Color(i) | tcell.ColorValid
		w.palette[i] = c
		w.colors[c] = c
	}
	return w
}

// link records the link of a style the renderer made (tcell keeps a
// style's link out of reach), as tcell's Style.Url and UrlId store it. A
// link with control or non-ASCII bytes, which tcell would filter, is not
// recorded: cells with it go to Show.
func (w *directWriter) link(st tcell.Style, url, id string) {
	// Any link, recorded or not: a tcell draw (a Sync) that ends in
	// one leaves it open, and it must be closed before the next write.
	w.linked = true
	if _, ok := w.links[st]; ok || !plainLink(url) || !plainLink(id) {
		return
	}
	if len(w.links) >= maxStyles {
		clear(w.links)
	}
	if id != "" {
		id = "id=" + id
	}
	w.links[st] = [2]string{url, id}
}

func plainLink(s string) bool {
	for i := range len(s) {
		if c := s[i]; c <= 0x1f || c >= 0x7f {
			return false
		}
	}
	return true
}

// show draws the dirty cells in the spans of rows (each row at most once;
// cells outside them are clean but for the right halves of wide
// characters, which tcell's pass steps over, and the canary) and the
// cursor (at x, y when visible, in shape) into one write, and reports
// whether it did; when it reports false it has changed nothing and Show
// must draw.
//
// The write leaves the terminal showing what Show's bytes would, with
// less: Show assumes nothing of the terminal and hides the cursor, moves
// it to the first cell, sets the pen (SGR 0, colours, attributes), and at
// the end moves the cursor, shows it (xterm: with DECRST 12) and sets its
// shape, every time. Here what the last write left is known (unless a
// tcell draw came since), so the cursor is moved, the pen set and the
// cursor's shape written only when they differ from it; the cursor is
// hidden during the write only when the write moves it about (a
// character echoed at the cursor is the character alone); and a frame
// that changed no cell and not the cursor writes nothing. Every write is
// still one synchronized update (CSI ? 2026 h … l).
func (w *directWriter) show(rows []rowSpan, visible bool, x, y int, shape tcell.CursorStyle) bool {
	w.lock.Lock()
	defer w.lock.Unlock()
	cols, nrows := w.cells.Size()
	if ws, err := w.tty.WindowSize(); err != nil || ws.Width != cols || ws.Height != nrows {
		return false // Show would resize first
	}
	for _, sp := range rows {
		if sp.y < 0 || sp.y >= nrows || !w.drawable(sp, cols, nrows) {
			return false
		}
	}
	trusted := w.trusted()
	if !trusted {
		w.cx, w.cy, w.curOK, w.curURL, w.shapeOK, w.exact = -1, -1, false, "", false, false
	}
	w.moved, w.cols = false, cols
	w.buf = append(w.buf[:0], xtSyncStart...)
	w.buf = append(w.buf, w.ti.HideCursor...)
	if !trusted && w.linked {
		w.buf = append(w.buf, xtExitURL...)
	}
	body := len(w.buf)
	for _, sp := range rows {
		w.row(sp, cols)
	}
	drawn := len(w.buf) > body
	show := visible && x >= 0 && y >= 0 && x < cols && y < nrows
	if show && (w.cx != x || w.cy != y || !w.exact) {
		w.goTo(x, y)
	}
	if !w.exact {
		w.cx = -1 // the next write starts with CUP
	}
	if w.curURL != "" {
		// tcell leaves the last link drawn open, and its next draw
		// starts from "no link": text drawn there later would join
		// the link.
		w.buf = append(w.buf, xtExitURL...)
		w.curURL, w.curOK = "", false
	}
	hide := !trusted || w.visible && drawn && w.moved
	if !hide {
		// The cursor is not moved about while this write draws: no
		// cell, a run printed from the cursor on (after a backspace,
		// perhaps, as an echo's), or a cursor move alone.
		n := len(xtSyncStart)
		w.buf = append(w.buf[:n], w.buf[body:]...)
	}
	switch {
	case show && (!w.shapeOK || shape != w.shape):
		w.buf = append(w.buf, w.ti.ShowCursor...)
		w.buf = append(w.buf, xtCursorStyles[shape]...)
		w.shape, w.shapeOK = shape, true
	case show && (hide || !w.visible):
		w.buf = append(w.buf, w.showOnly...)
	case !show && !hide && w.visible:
		w.buf = append(w.buf, w.ti.HideCursor...)
	}
	w.known, w.visible = true, show
	if len(w.buf) > len(xtSyncStart) {
		w.buf = append(w.buf, xtSyncEnd...)
		w.tty.Write(w.buf)
	}
	w.arm(cols, nrows)
	if cap(w.buf) > 64<<10 {
		w.buf = nil
	}
	w.shown++
	return true
}

// trusted reports whether the terminal is as the last write here left
// it: no tcell draw came since (the canary is still dirty). It cleans the
// canary, which still shows what it showed.
//
// A cell put with new contents is dirty too, so a canary that was given
// new contents says nothing (the renderer puts a cell at most once
// between two writes, so the same contents mean that it was not, or
// that it was put as it was, which leaves its dirtiness alone).
func (w *directWriter) trusted() bool {
	if !w.known || !w.armed {
		return false
	}
	if str, st, _ := w.cells.Get(0, 0); str != w.canary || st != w.canarySt {
		return false
	}
	if !w.cells.Dirty(0, 0) {
		return false
	}
	w.cells.SetDirty(0, 0, false)
	return true
}

// arm marks the canary dirty. tcell's next draw, whoever starts it, draws
// it again (the same cell: the terminal's picture does not change) and so
// says that the terminal's cursor and pen are no longer what this writer
// left.
func (w *directWriter) arm(cols, rows int) {
	w.armed = false
	if cols*rows > 1 { // else (0, 0) is the bottom-right cell, which Show draws with a dance
		w.cells.SetDirty(0, 0, true)
		w.armed = w.cells.Dirty(0, 0)
		w.canary, w.canarySt, _ = w.cells.Get(0, 0)
	}
}

// forget says that the terminal's state is no longer known here (a Show,
// a Sync, a terminal taken back after a suspend).
func (w *directWriter) forget() { w.known = false }

// closeLink ends the OSC 8 link a Show may have left open.
func (w *directWriter) closeLink() { io.WriteString(w.tty, xtExitURL) }

// drawable reports whether row y's dirty cells can be drawn here exactly
// as Show would draw them.
func (w *directWriter) drawable(sp rowSpan, cols, rows int) bool {
	y := sp.y
	for x := 0; x < sp.x1 && x < cols; x++ {
		str, style, width := w.cells.Get(x, y)
		if x >= sp.x0 && w.cells.Dirty(x, y) {
			if y == rows-1 && x == cols-1 && w.ti.AutoMargin && w.ti.DisableAutoMargin == "" && w.ti.InsertChar != "" {
				return false
			}
			if len(str) > 120 || str[0] == 0x1a || !utf8.ValidString(str) || w.ascii && !isASCII(str) {
				return false // tcell's encoder would translate it
			}
			if _, ok := w.links[style]; !ok && style != tcell.StyleDefault && hasURL(style) {
				return false
			}
		}
		x += width - 1
	}
	return true
}

// hasURL reports whether st carries a link: it differs from itself with
// the link taken away. (Only the URL: tcell writes a link for a URL, and
// UrlId("") would set the id to "id=", so every style differed from
// itself with it, and every dirty cell in colour went to Show.)
func hasURL(st tcell.Style) bool { return st.Url("") != st }

func isASCII(s string) bool {
	for i := range len(s) {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// row is tScreen.draw's pass over one row, up to the span's end; the
// cells before its start are only stepped over.
func (w *directWriter) row(sp rowSpan, cols int) {
	y := sp.y
	for x := 0; x < sp.x1 && x < cols; x++ {
		var width int
		if x < sp.x0 {
			_, _, width = w.cells.Get(x, y)
		} else {
			width = w.cell(x, y, cols)
		}
		if width > 1 && x+1 < cols {
			w.cells.SetDirty(x+1, y, true)
		}
		x += width - 1
	}
}

// cell is tScreen.drawCell for a cell that is not the bottom-right one.
func (w *directWriter) cell(x, y, cols int) int {
	str, style, width := w.cells.Get(x, y)
	if !w.cells.Dirty(x, y) {
		return width
	}
	if w.cy != y || w.cx != x {
		w.goTo(x, y)
	}
	if !w.curOK || style != w.cur {
		w.style(style)
		w.cur, w.curOK = style, true
	}
	if width < 1 {
		width = 1
	}
	if x > cols-width {
		width, str = 1, " "
	}
	if width > 1 && x+width < cols {
		w.buf = append(w.buf, "  \b\b"...)
		w.moved = true
	}
	w.buf = append(w.buf, str...)
	if !isASCII(str) {
		w.exact = false
	}
	w.cx += width
	w.cells.SetDirty(x, y, false)
	if width > 1 {
		w.cx = -1
	}
	return width
}

// goTo moves the cursor to (x, y): with CUP, or with a backspace when
// that is one column to the left of where it is known to be (an echoed
// backspace's move, which does not count as moving the cursor about),
// but not from the pending wrap after the last column.
func (w *directWriter) goTo(x, y int) {
	if w.cy == y && w.cx == x+1 && w.exact && w.cx < w.cols {
		w.buf = append(w.buf, '\b')
		w.cx = x
		return
	}
	if w.cupXterm {
		w.buf = append(w.buf, "\x1b["...)
		w.buf = strconv.AppendInt(w.buf, int64(y+1), 10)
		w.buf = append(w.buf, ';')
		w.buf = strconv.AppendInt(w.buf, int64(x+1), 10)
		w.buf = append(w.buf, 'H')
	} else {
		w.buf = append(w.buf, w.ti.TGoto(x, y)...)
	}
	w.cx, w.cy, w.moved, w.exact = x, y, true, true
}

// style emits what drawCell emits when the style changes.
func (w *directWriter) style(st tcell.Style) {
	s, ok := w.sgr[st]
	if !ok {
		s = w.makeSGR(st)
		if len(w.sgr) >= maxStyles {
			clear(w.sgr)
		}
		w.sgr[st] = s
	}
	w.buf = append(w.buf, s...)
	url, id := "", ""
	if l, ok := w.links[st]; ok {
		url, id = l[0], l[1]
	}
	if url != w.curURL {
		if url != "" {
			w.buf = append(w.buf, w.ti.TParm(xtEnterURL, url, id)...)
		} else {
			w.buf = append(w.buf, xtExitURL...)
		}
	}
	w.curURL = url
}

// makeSGR is drawCell's attribute part and tScreen.sendFgBg for a
// terminal with colours.
func (w *directWriter) makeSGR(st tcell.Style) string {
	ti := w.ti
	var b strings.Builder
	b.WriteString(ti.AttrOff)
	fg, bg, attrs := st.Decompose()
	if fg == tcell.ColorReset || bg == tcell.ColorReset {
		b.WriteString(ti.ResetFgBg)
	}
	rgbDone := false
	if w.truecolor {
		if ti.SetFgBgRGB != "" && fg.IsRGB() && bg.IsRGB() {
			r1, g1, b1 := fg.RGB()
			r2, g2, b2 := bg.RGB()
			b.WriteString(ti.TParm(ti.SetFgBgRGB, int(r1), int(g1), int(b1), int(r2), int(g2), int(b2)))
			rgbDone = true
		} else {
			if fg.IsRGB() && ti.SetFgRGB != "" {
				r, g, bl := fg.RGB()
				b.WriteString(ti.TParm(ti.SetFgRGB, int(r), int(g), int(bl)))
				fg = tcell.ColorDefault
			}
			if bg.IsRGB() && ti.SetBgRGB != "" {
				r, g, bl := bg.RGB()
				b.WriteString(ti.TParm(ti.SetBgRGB, int(r), int(g), int(bl)))
				bg = tcell.ColorDefault
			}
		}
	}
	if !rgbDone {
		if fg.Valid() {
			fg = w.mapColor(fg)
		}
		if bg.Valid() {
			bg = w.mapColor(bg)
		}
		if fg.Valid() && bg.Valid() && ti.SetFgBg != "" {
			b.WriteString(ti.TParm(ti.SetFgBg, int(fg&0xff), int(bg&0xff)))
		} else {
			if fg.Valid() && ti.SetFg != "" {
				b.WriteString(ti.TParm(ti.SetFg, int(fg&0xff)))
			}
			if bg.Valid() && ti.SetBg != "" {
				b.WriteString(ti.TParm(ti.SetBg, int(bg&0xff)))
			}
		}
	}
	if attrs&tcell.AttrBold != 0 {
		b.WriteString(ti.Bold)
	}
	if us, uc := st.GetUnderlineStyle(), st.GetUnderlineColor(); us != tcell.UnderlineStyleNone {
		switch {
		case uc == tcell.ColorReset:
			b.WriteString(xtUnderFg)
		case uc.IsRGB():
			r, g, bl := uc.RGB()
			b.WriteString(ti.TParm(xtUnderRGB, int(r), int(g), int(bl)))
		case uc.Valid():
			b.WriteString(ti.TParm(xtUnderColor, int(uc&0xff)))
		}
		b.WriteString(ti.Underline)
		if int(us) < len(xtUnderStyles) {
			b.WriteString(xtUnderStyles[us])
		}
	}
	if attrs&tcell.AttrReverse != 0 {
		b.WriteString(ti.Reverse)
	}
	if attrs&tcell.AttrBlink != 0 {
		b.WriteString(ti.Blink)
	}
	if attrs&tcell.AttrDim != 0 {
		b.WriteString(ti.Dim)
	}
	if attrs&tcell.AttrItalic != 0 {
		b.WriteString(ti.Italic)
	}
	if attrs&tcell.AttrStrikeThrough != 0 {
		b.WriteString(ti.StrikeThrough)
	}
	return b.String()
}

func (w *directWriter) mapColor(c tcell.Color) tcell.Color {
	if v, ok := w.colors[c]; ok {
		return v
	}
	v := tcell.FindColor(c, w.palette)
	w.colors[c] = v
	return v
}
