package client

import (
	"encoding/base64"
	"sync"

	"github.com/gdamore/tcell/v2"

	"github.com/goshterm/gosh/vt"
)

// renderer draws frames into a tcell.Screen. tcell keeps the previous
// contents and writes only the cells that changed on Show, so drawing the
// whole frame each time costs a pass over the cells but no output for
// unchanged ones, and no allocation in the steady state.
//
// Besides cells it passes on what the frame asks of the user's terminal:
// the cursor (position, visibility, DECSCUSR shape), the title (OSC 0/2),
// the clipboard (OSC 52), the bell, and the input modes (mouse tracking,
// focus events) that decide which events tcell reports.
type renderer struct {
	scr tcell.Screen
	// out, when set, gathers what one Show writes into a single write
	// (tcell writes the end of a synchronized update, CSI ? 2026 l, after
	// the rest): one syscall less per frame, and a terminal that honours
	// mode 2026 gets the whole update at once.
	out batchWriter

	// Style conversion cache: the last style, then a bounded map.
	lastVT   vt.Style
	lastTC   tcell.Style
	haveLast bool
	styles   map[vt.Style]tcell.Style

	seen      bool // a frame was drawn: title, clipboard and bell are compared to it
	title     string
	clipSel   string
	clipData  string
	bells     uint64
	shape     tcell.CursorStyle
	shapeSet  bool
	mouse     vt.MouseMode
	focus     bool
	modesSet  bool
	noticeSty tcell.Style

	// What the last draw put on the screen, to skip the rows that are
	// still the same stored rows (vt.Screen.SameRow): an echo changes one
	// row, and putting the other rows' cells again was most of the cost
	// of drawing it.
	prev        *vt.Screen
	prevCursor  vt.Cursor
	prevNotice  bool
	prevReverse bool
	prevCols    int
	prevRows    int

	// direct, when set, shows a frame that changed some rows without
	// tcell's pass over every cell (direct.go); rowsPut are the cells
	// this draw put, a span of columns per row.
	direct  *directWriter
	rowsPut []rowSpan
	// linked: this draw put a cell with a link (OSC 8).
	linked bool
}

// maxStyles bounds the style cache; a frame rarely has more than a few
// dozen styles.
const maxStyles = 1024

func newRenderer(scr tcell.Screen) *renderer {
	return &renderer{
		scr:    scr,
		styles: make(map[vt.Style]tcell.Style),
		// mosh's bar: white (7) on blue (4), bold (mosh-protocol.md §10).
		noticeSty: tcell.StyleDefault.Foreground(tcell.PaletteColor(7)).Background(tcell.PaletteColor(4)).Bold(true),
	}
}

// newTermRenderer is newRenderer that shows frames that changed a few
// rows itself when scr is a terminal it can draw exactly as tcell does
// (direct.go); term is the terminfo name ("": $TERM).
func newTermRenderer(scr tcell.Screen, term string) *renderer {
	r := newRenderer(scr)
	r.direct = newDirectWriter(scr, term)
	return r
}

// color converts a vt colour. tcell degrades 24-bit and 256-colour values
// to what the terminal has (its terminfo colour count).
func color(c vt.Color) tcell.Color {
	switch {
	case c.IsIndexed():
		return tcell.PaletteColor(int(c.Index()))
	case c.IsRGB():
		r, g, b := c.RGB()
		return tcell.NewRGBColor(int32(r), int32(g), int32(b))
	}
	return tcell.ColorDefault
}

var underlines = [...]tcell.UnderlineStyle{
	vt.UnderlineNone:   tcell.UnderlineStyleNone,
	vt.UnderlineSingle: tcell.UnderlineStyleSolid,
	vt.UnderlineDouble: tcell.UnderlineStyleDouble,
	vt.UnderlineCurly:  tcell.UnderlineStyleCurly,
	vt.UnderlineDotted: tcell.UnderlineStyleDotted,
	vt.UnderlineDashed: tcell.UnderlineStyleDashed,
}

// convertStyle maps every SGR attribute tcell can show. Hidden (SGR 8) has
// no tcell attribute; the renderer draws hidden text as blanks. Overline
// (SGR 53) has none either and is dropped.
func convertStyle(s vt.Style) tcell.Style {
	t := tcell.StyleDefault.Foreground(color(s.Fg)).Background(color(s.Bg))
	a := s.Attrs
	t = t.Bold(a&vt.Bold != 0).Dim(a&vt.Dim != 0).Italic(a&vt.Italic != 0).
		Blink(a&vt.Blink != 0).Reverse(a&vt.Inverse != 0).StrikeThrough(a&vt.Strikethrough != 0)
	if s.Underline != vt.UnderlineNone && int(s.Underline) < len(underlines) {
		t = t.Underline(underlines[s.Underline])
		if !s.UnderlineColor.IsDefault() {
			t = t.Underline(color(s.UnderlineColor))
		}
	}
	if s.Link != "" {
		t = t.Url(s.Link)
		if s.LinkID != "" {
			t = t.UrlId(s.LinkID)
		}
	}
	return t
}

func (r *renderer) style(s vt.Style) tcell.Style {
	if r.haveLast && s == r.lastVT {
		return r.lastTC
	}
	t, ok := r.styles[s]
	if !ok {
		t = convertStyle(s)
		if len(r.styles) >= maxStyles {
			clear(r.styles)
		}
		r.styles[s] = t
	}
	r.lastVT, r.lastTC, r.haveLast = s, t, true
	return t
}

var cursorStyles = [...][2]tcell.CursorStyle{ // [shape]{steady, blinking}
	vt.CursorDefault:   {tcell.CursorStyleDefault, tcell.CursorStyleDefault},
	vt.CursorBlock:     {tcell.CursorStyleSteadyBlock, tcell.CursorStyleBlinkingBlock},
	vt.CursorUnderline: {tcell.CursorStyleSteadyUnderline, tcell.CursorStyleBlinkingUnderline},
	vt.CursorBar:       {tcell.CursorStyleSteadyBar, tcell.CursorStyleBlinkingBar},
}

// draw puts view (the frame with the prediction overlay) on the screen,
// with the notice bar on the top row when notice is not empty, and shows
// it. Cells outside the frame (the window grew and the server has not
// answered yet) are blank. Title, clipboard, bell and input modes are
// taken from view only when it is a server frame (fromServer), not the
// blank screen shown while connecting.
//
// Rows that are the same stored rows as in the last view drawn are
// skipped: tcell still holds them. view must not change after the call
// (server frames and overlays never do).
func (r *renderer) draw(view *vt.Screen, notice string, fromServer bool) {
	scr := r.scr
	cols, rows := scr.Size()
	fcols, frows := view.Size()
	reverse := view.Modes().ReverseVideo
	blank := tcell.StyleDefault.Reverse(reverse)
	prev := r.prev
	if cols != r.prevCols || rows != r.prevRows || reverse != r.prevReverse {
		prev = nil
	}
	changed := prev == nil
	r.rowsPut = r.rowsPut[:0]
	r.linked = false
	for y := range rows {
		if y == 0 && notice != "" {
			r.drawNotice(notice, cols)
			r.rowsPut = append(r.rowsPut, rowSpan{0, 0, cols})
			changed = true
			continue
		}
		if y < frows && view.SameRow(prev, y) && !(y == 0 && r.prevNotice) {
			continue
		}
		put := rowSpan{y, cols, 0}
		// The cells of a changed row that are as in the last view are
		// still on the screen as drawn (an echo changes one).
		same := prev != nil && y < frows && !(y == 0 && r.prevNotice)
		if same {
			pc, pr := prev.Size()
			same = pc == fcols && pr == frows
		}
		for x := 0; x < cols; x++ {
			if x >= fcols || y >= frows {
				scr.Put(x, y, " ", blank)
				put.add(x)
				continue
			}
			if same && view.CellEqual(prev, x, y) && view.CellEqual(prev, x+1, y) {
				continue // and so is its right half if it is wide
			}
			c := view.Cell(x, y)
			if c.Width == 0 && c.Text == "" && x > 0 {
				continue // the right half of a wide character, drawn with it
			}
			st := r.style(c.Style)
			if reverse {
				st = st.Reverse(c.Style.Attrs&vt.Inverse == 0) // DECSCNM swaps every cell
			}
			if c.Style.Link != "" && r.direct != nil {
				r.direct.link(st, c.Style.Link, c.Style.LinkID)
				r.linked = true
			}
			text := c.Text
			if text == "" || c.Style.Attrs&vt.Hidden != 0 || c.Width == 2 && x+1 >= cols {
				text = " "
				if c.Width == 2 && x+1 < cols {
					// A hidden wide character: its right half is
					// blank too, not what was there before.
					scr.Put(x+1, y, text, st)
				}
			}
			scr.Put(x, y, text, st)
			put.add(x)
		}
		if put.x0 < put.x1 {
			// Only a cell put changes the screen: a row that is
			// a new stored row with the same cells (a frame that
			// only acks the echo, after the overlay showed it)
			// leaves the terminal as it is.
			put.x1 = min(put.x1, cols)
			r.rowsPut = append(r.rowsPut, put)
			changed = true
		}
	}
	cur := view.Cursor()
	if cur != r.prevCursor {
		changed = true
	}
	showCur := cur.Visible && cur.X < cols && cur.Y < rows && !(notice != "" && cur.Y == 0)
	if showCur {
		scr.ShowCursor(cur.X, cur.Y)
	} else {
		scr.HideCursor()
	}
	if int(cur.Shape) < len(cursorStyles) {
		blink := 0
		if cur.Blink {
			blink = 1
		}
		if cs := cursorStyles[cur.Shape][blink]; !r.shapeSet || cs != r.shape {
			scr.SetCursorStyle(cs)
			r.shape, r.shapeSet = cs, true
		}
	}
	if fromServer {
		r.effects(view)
	}
	r.prev, r.prevCursor, r.prevNotice, r.prevReverse, r.prevCols, r.prevRows = view, cur, notice != "", reverse, cols, rows
	if changed {
		if r.out != nil {
			r.out.hold()
			defer r.out.flush()
		}
		shape := r.shape
		if !r.shapeSet {
			shape = tcell.CursorStyleDefault // as Run sets it
		}
		// A full draw goes to Show: it passes over every cell anyway.
		if r.direct == nil || r.direct.off || prev == nil || !r.direct.show(r.rowsPut, showCur, cur.X, cur.Y, shape) {
			// tcell leaves the last link drawn open, and its next
			// draw starts from "no link": text drawn there later
			// would join the link. The direct writer closes its
			// own; Show's, and those of tcell's draws in between
			// (Sync), are closed here.
			closeLink := r.direct != nil && r.direct.linked
			if closeLink {
				r.direct.closeLink()
			}
			scr.Show()
			if r.direct != nil {
				r.direct.forget()
			}
			if closeLink || r.linked {
				r.direct.closeLink()
			}
		}
	}
}

// rowSpan is the columns [x0, x1) of row y that a draw put cells in.
type rowSpan struct{ y, x0, x1 int }

// add widens the span to the cell put at x, and the column after it (a
// wide character's right half, which tcell marks with it).
func (s *rowSpan) add(x int) {
	s.x0 = min(s.x0, x)
	s.x1 = max(s.x1, x+2)
}

// batchWriter gathers writes between hold and flush.
type batchWriter interface {
	hold()
	flush()
}

// invalidate makes the next draw put every cell, for when the screen's
// contents may no longer be what the renderer put there.
func (r *renderer) invalidate() {
	r.prev = nil
	if r.direct != nil {
		r.direct.forget()
	}
}

// drawNotice draws the bar across the top row.
func (r *renderer) drawNotice(text string, cols int) {
	x := 0
	for text != "" && x < cols {
		rest, w := r.scr.Put(x, 0, text, r.noticeSty)
		if w == 0 {
			break
		}
		if x+w > cols { // a wide character that doesn't fit
			r.scr.Put(x, 0, " ", r.noticeSty)
		}
		text = rest
		x += w
	}
	for ; x < cols; x++ {
		r.scr.Put(x, 0, " ", r.noticeSty)
	}
}

// beep rings the terminal's bell. tcell 2.13's Beep writes without the
// screen's lock, into the buffer a repaint on tcell's own goroutine (a
// resize) may be filling at the same time; it is called here under that
// lock.
func (r *renderer) beep() {
	if l, ok := r.scr.(sync.Locker); ok {
		l.Lock()
		defer l.Unlock()
	}
	r.scr.Beep()
}

// effects passes the frame's title, clipboard, bell and input modes to the
// user's terminal when they change.
func (r *renderer) effects(f *vt.Screen) {
	first := !r.seen
	r.seen = true
	if t := f.Title(); t != r.title {
		r.title = t
		if t != "" || !first {
			r.scr.SetTitle(t)
		}
	}
	if sel, data := f.Clipboard(); sel != r.clipSel || data != r.clipData {
		r.clipSel, r.clipData = sel, data
		if b, err := base64.StdEncoding.DecodeString(data); err == nil && data != "" && data != "?" {
			r.scr.SetClipboard(b)
		}
	}
	if n := f.BellCount(); n != r.bells {
		if n > r.bells && !first {
			r.beep()
		}
		r.bells = n
	}
	m := f.Modes()
	if !r.modesSet || m.Mouse != r.mouse {
		switch m.Mouse {
		case vt.MouseNone:
			r.scr.DisableMouse()
		case vt.MouseX10, vt.MouseNormal:
			r.scr.EnableMouse(tcell.MouseButtonEvents)
		case vt.MouseButton:
			r.scr.EnableMouse(tcell.MouseDragEvents)
		default:
			r.scr.EnableMouse(tcell.MouseMotionEvents)
		}
		r.mouse = m.Mouse
	}
	if !r.modesSet || m.FocusEvents != r.focus {
		if m.FocusEvents {
			r.scr.EnableFocus()
		} else {
			r.scr.DisableFocus()
		}
		r.focus = m.FocusEvents
	}
	r.modesSet = true
}
