package compose

import (
	"slices"
	"time"

	"github.com/goshterm/gosh/mux/layout"
	"github.com/goshterm/gosh/vt"
)

// Pane is one pane to draw.
type Pane struct {
	// Rect is where the pane sits in the window (layout.Tree.Rects or
	// LayoutRects; a zoomed FrameSpec ignores it).
	Rect layout.Rect
	// Screen is what the pane shows: its emulator's screen (or a Clone of
	// it), or, for a pane in copy mode, the copy-mode view
	// (copymode.Mode.View). It is drawn from its top-left cell, clipped to
	// Rect; a screen smaller than Rect (a resize in flight) is padded with
	// blanks. A nil Screen draws a blank pane.
	Screen *vt.Screen
	// Marked is the marked pane (select-pane -m): the borders around it
	// are drawn in reverse video, as tmux's screen_redraw_draw_borders
	// draws them.
	Marked bool
	// Frozen promises that Screen is never written again (a
	// Pane.Snapshot clone): the Composer may then keep it, and when the
	// next frame's Frozen screen for the same rect shares a row with it
	// (vt.Screen.SameRow: a clone taken later of the same pane, the row
	// untouched since) it leaves that row of the frame as it is. A screen
	// that is reused and redrawn between frames (a copy-mode view) must
	// not be Frozen.
	Frozen bool
}

// FrameSpec is everything one frame shows.
type FrameSpec struct {
	// Width and Height are the client's size in cells: the frame's size.
	Width, Height int
	// WindowWidth and WindowHeight are the layout's size
	// (layout.Tree.Size). The window is drawn at the top left, clipped to
	// the area above the status line; where the window is smaller than
	// that area (another, smaller client sets the window size) the rest is
	// filled with dots, as tmux does. Zero means "the whole area".
	WindowWidth, WindowHeight int
	// Panes are the window's panes.
	Panes []Pane
	// Active is the index in Panes of the active pane, whose borders are
	// highlighted and whose cursor, modes and title the frame takes; -1
	// for none.
	Active int
	// Zoomed draws only Panes[Active], over the whole window, with no
	// borders (tmux resize-pane -Z). Callers that pass layout.Tree.Rects
	// of a zoomed tree get the same picture without it.
	Zoomed bool
	// MouseOn is tmux's "mouse" option: the client's terminal reports
	// presses, releases and drags whatever the pane asked for, so that the
	// multiplexer can focus panes, drag borders and scroll (mux/input
	// forwards to the pane only what it asked for).
	MouseOn bool
	// Status is the status line.
	Status Status
	// Clipboard, when Data is set, is passed to the client's terminal as
	// OSC 52 (a copy-mode selection). Bells is the number of bells to
	// report: when it grows between frames the client rings.
	Clipboard Clipboard
	Bells     uint64
}

// Clipboard is an OSC 52 clipboard state: the selection parameter ("c"
// for the clipboard) and the base64 data.
type Clipboard struct {
	Selection, Data string
}

// Styles of the multiplexer's own drawing, tmux 3's defaults.
var (
	// StatusStyle is the status line's: black on green (status-style).
	StatusStyle = vt.Style{Fg: vt.IndexedColor(0), Bg: vt.IndexedColor(2)}
	// ActiveBorderStyle is pane-active-border-style: green.
	ActiveBorderStyle = vt.Style{Fg: vt.IndexedColor(2)}
	// BorderStyle is pane-border-style: the default colours.
	BorderStyle = vt.Style{}
	// MarkerStyle is the status line marker's: bold white on red.
	MarkerStyle = vt.Style{Fg: vt.IndexedColor(15), Bg: vt.IndexedColor(1), Attrs: vt.Bold}
	// MessageStyle is a status line message's: black on yellow
	// (message-style).
	MessageStyle = vt.Style{Fg: vt.IndexedColor(0), Bg: vt.IndexedColor(3)}
)

// fillText fills the area of the client outside a smaller window.
const fillText = "."

// Composer composes frames for one client. It keeps scratch buffers
// between calls, so composing allocates almost nothing; the zero value is
// ready to use. A Composer is not safe for concurrent use.
type Composer struct {
	grid  []uint8 // cells of the window: 1 in a pane, 0 a border
	right *vt.Screen
	// clockText is the clock's text for the Unix seconds [clockFrom,
	// clockUntil) in clockLoc (clock).
	clockText             string
	clockBuf              []byte
	clockLoc              *time.Location
	clockFrom, clockUntil int64
	winSpans              []winSpan // where the last status line drew each window
	// list and after are the status line's window list and left
	// segments, drawn before they are placed (drawStatus); listSpans
	// are the entries' columns on list.
	list, after *vt.Screen
	listSpans   []winSpan
	promptX     int // where the status line's prompt put its cursor, or -1
	last        lastFrame
}

// lastFrame is what the previous Compose drew into its dst, so that the
// next Compose into the same screen redraws only what changed.
type lastFrame struct {
	dst *vt.Screen // nil: nothing to reuse
	// geometry decides the dots, the borders and where each pane goes;
	// rects and marked are its panes' (after zoom).
	geometry    frameGeometry
	rects       []layout.Rect
	marked      []bool
	srcs        []*vt.Screen // the Frozen screens drawn; nil for others
	disjoint    bool         // no two pane rects overlap
	status      statusKey    // the status line drawn, when statusDrawn
	statusDrawn bool
}

// frameGeometry is everything besides the pane rects that decides where
// things are drawn.
type frameGeometry struct {
	w, h, areaH, winW, winH, visW, visH int
	active                              int // index in the drawn panes, or -1
	n                                   int // number of drawn panes
}

// statusKey is everything drawStatus reads: equal keys draw equal lines.
type statusKey struct {
	y, w                                     int
	session, title, clock, marker, msg, prmt string
	style                                    vt.Style
	windows                                  []Window
	segments                                 []Segment
}

func (k *statusKey) equal(o *statusKey) bool {
	return k.y == o.y && k.w == o.w && k.session == o.session && k.title == o.title &&
		k.clock == o.clock && k.marker == o.marker && k.msg == o.msg && k.prmt == o.prmt &&
		k.style == o.style && slices.Equal(k.windows, o.windows) && slices.Equal(k.segments, o.segments)
}

// Reset forgets the previous frame: the next Compose redraws every cell.
// Call it when something other than this Composer wrote to the screen it
// composes into.
func (c *Composer) Reset() { c.last = lastFrame{} }

// winSpan is the columns [start, end) of one window-list entry.
type winSpan struct{ index, start, end int }

// WindowAt reports which window's entry the last composed status line
// shows at column x, for a mouse click on the status line (tmux selects
// that window).
func (c *Composer) WindowAt(x int) (index int, ok bool) {
	for _, s := range c.winSpans {
		if x >= s.start && x < s.end {
			return s.index, true
		}
	}
	return 0, false
}

// Compose is Composer.Compose with a fresh Composer, for one-off frames.
func Compose(dst *vt.Screen, spec *FrameSpec) *vt.Screen {
	var c Composer
	return c.Compose(dst, spec)
}

// Compose draws spec into dst and returns it, or into a new screen when
// dst is nil or not spec.Width×spec.Height. Rows that come out the same
// are left untouched (see the package documentation on cloning the
// previous frame).
//
// When dst is the screen the previous Compose returned, Compose takes it
// that dst still holds that frame (nobody else wrote to it; else call
// Reset) and redraws only what changed: nothing of the dots and borders
// when the geometry is the same, no status line when its content is the
// same, and of a Frozen pane only the rows its screen does not share
// with the previous frame's (vt.Screen.SameRow). While typing, that is
// one row of one pane instead of every cell. The result is the frame a
// full redraw gives.
func (c *Composer) Compose(dst *vt.Screen, spec *FrameSpec) *vt.Screen {
	w, h := max(spec.Width, 1), max(spec.Height, 1)
	if dst == nil {
		dst = newFrame(w, h)
	} else if dw, dh := dst.Size(); dw != w || dh != h {
		dst = newFrame(w, h)
	}
	last := &c.last
	reuse := last.dst == dst
	last.dst = dst
	statusRows := 0
	if !spec.Status.Off {
		statusRows = 1
	}
	areaH := max(h-statusRows, 0)
	winW, winH := spec.WindowWidth, spec.WindowHeight
	if winW <= 0 {
		winW = w
	}
	if winH <= 0 {
		winH = areaH
	}
	visW, visH := min(winW, w), min(winH, areaH)

	var active *Pane
	if spec.Active >= 0 && spec.Active < len(spec.Panes) {
		active = &spec.Panes[spec.Active]
	}
	panes := spec.Panes
	var zoomed [1]Pane
	if spec.Zoomed && active != nil {
		zoomed[0] = Pane{Rect: layout.Rect{W: winW, H: winH}, Screen: active.Screen, Frozen: active.Frozen}
		panes = zoomed[:]
		active = &zoomed[0]
	}

	geo := frameGeometry{w: w, h: h, areaH: areaH, winW: winW, winH: winH, visW: visW, visH: visH, active: -1, n: len(panes)}
	if active != nil {
		geo.active = spec.Active
		if spec.Zoomed {
			geo.active = 0
		}
	}
	sameGeo := reuse && geo == last.geometry && len(last.rects) == len(panes)
	for i := 0; sameGeo && i < len(panes); i++ {
		sameGeo = panes[i].Rect == last.rects[i] && panes[i].Marked == last.marked[i]
	}
	if !sameGeo {
		last.geometry = geo
		last.rects, last.marked = last.rects[:0], last.marked[:0]
		for i := range panes {
			last.rects = append(last.rects, panes[i].Rect)
			last.marked = append(last.marked, panes[i].Marked)
		}
		last.disjoint = disjoint(last.rects)
		// Outside the window: dots.
		if visW < w {
			dst.FillRect(visW, 0, w-visW, areaH, vt.Cell{Text: fillText, Width: 1})
		}
		if visH < areaH {
			dst.FillRect(0, visH, visW, areaH-visH, vt.Cell{Text: fillText, Width: 1})
		}
		c.drawBorders(dst, panes, active, visW, visH, winW, winH)
	}
	// Pane rows are skipped only when no other pane draws over them.
	rowsKnown := sameGeo && last.disjoint
	if len(last.srcs) != len(panes) {
		last.srcs = make([]*vt.Screen, len(panes))
	}
	for i := range panes {
		p := &panes[i]
		var prev *vt.Screen
		if rowsKnown {
			prev = last.srcs[i]
		}
		drawPane(dst, p, prev, visW, visH)
		last.srcs[i] = nil
		if p.Frozen {
			last.srcs[i] = p.Screen
		}
	}
	if statusRows > 0 {
		c.status(dst, h-1, w, &spec.Status, active, reuse)
	} else {
		c.winSpans = c.winSpans[:0]
		c.promptX = -1
		last.statusDrawn = false
	}
	setTerminalState(dst, spec, active, visW, visH)
	if c.promptX >= 0 {
		// The user types into the prompt: the terminal's cursor is there.
		cur := dst.Cursor()
		cur.X, cur.Y, cur.Visible = c.promptX, h-1, true
		dst.SetCursor(cur)
	}
	return dst
}

func newFrame(w, h int) *vt.Screen {
	s := vt.NewScreen(w, h)
	s.SetScrollbackLimit(0)
	return s
}

// disjoint reports whether no two of rects overlap.
func disjoint(rects []layout.Rect) bool {
	for i, a := range rects {
		for _, b := range rects[i+1:] {
			if a.X < b.X+b.W && b.X < a.X+a.W && a.Y < b.Y+b.H && b.Y < a.Y+a.H {
				return false
			}
		}
	}
	return true
}

// drawPane copies a pane's screen into its rect, clipped to the visible
// window. prev, when not nil, is the Frozen screen the same rect showed
// in the frame dst holds: a frozen screen of its size whose row is
// SameRow to prev's is left as drawn, and so is the padding.
func drawPane(dst *vt.Screen, p *Pane, prev *vt.Screen, visW, visH int) {
	r := p.Rect
	rw, rh := min(r.W, visW-r.X), min(r.H, visH-r.Y)
	if rw <= 0 || rh <= 0 || r.X < 0 || r.Y < 0 {
		return
	}
	sw, sh := 0, 0
	if p.Screen != nil {
		sw, sh = p.Screen.Size()
		if prev != nil && p.Frozen && prev != p.Screen {
			if pw, ph := prev.Size(); pw == sw && ph == sh {
				sw, sh = min(sw, rw), min(sh, rh)
				for y := range sh {
					if !p.Screen.SameRow(prev, y) {
						dst.CopyRect(r.X, r.Y+y, p.Screen, 0, y, sw, 1)
					}
				}
				return // the padding is as drawn: same sizes
			}
		}
		sw, sh = min(sw, rw), min(sh, rh)
		dst.CopyRect(r.X, r.Y, p.Screen, 0, 0, sw, sh)
	}
	if sw < rw {
		dst.FillRect(r.X+sw, r.Y, rw-sw, sh, vt.Cell{})
	}
	if sh < rh {
		dst.FillRect(r.X, r.Y+sh, rw, rh-sh, vt.Cell{})
	}
}

// Line-drawing glyphs by arms (up, down, left, right), as tmux's
// CELL_* border types pick them.
var borderGlyphs = [16]string{
	0:                                    "│",
	armUp:                                "│",
	armDown:                              "│",
	armUp | armDown:                      "│",
	armLeft:                              "─",
	armRight:                             "─",
	armLeft | armRight:                   "─",
	armDown | armRight:                   "┌",
	armDown | armLeft:                    "┐",
	armUp | armRight:                     "└",
	armUp | armLeft:                      "┘",
	armUp | armDown | armRight:           "├",
	armUp | armDown | armLeft:            "┤",
	armDown | armLeft | armRight:         "┬",
	armUp | armLeft | armRight:           "┴",
	armUp | armDown | armLeft | armRight: "┼",
}

const (
	armUp = 1 << iota
	armDown
	armLeft
	armRight
)

// drawBorders draws every visible window cell that is in no pane. The
// occupancy grid covers one cell beyond the visible area where the window
// extends past it, so that a border running off the edge keeps its arm.
func (c *Composer) drawBorders(dst *vt.Screen, panes []Pane, active *Pane, visW, visH, winW, winH int) {
	gw, gh := min(winW, visW+1), min(winH, visH+1)
	if gw <= 0 || gh <= 0 {
		return
	}
	n := gw * gh
	if cap(c.grid) < n {
		c.grid = make([]uint8, n)
	}
	g := c.grid[:n]
	clear(g)
	for i := range panes {
		r := panes[i].Rect
		x0, y0 := max(r.X, 0), max(r.Y, 0)
		x1, y1 := min(r.X+r.W, gw), min(r.Y+r.H, gh)
		for y := y0; y < y1; y++ {
			row := g[y*gw : y*gw+gw]
			for x := x0; x < x1; x++ {
				row[x] = 1
			}
		}
	}
	border := func(x, y int) bool {
		return x >= 0 && y >= 0 && x < gw && y < gh && g[y*gw+x] == 0
	}
	var ar, mr layout.Rect
	if active != nil {
		ar = active.Rect
	}
	marked := false
	for i := range panes {
		if panes[i].Marked {
			mr, marked = panes[i].Rect, true
		}
	}
	for y := range visH {
		row := g[y*gw : y*gw+gw]
		for x := range visW {
			if row[x] != 0 {
				continue
			}
			var arms int
			if border(x, y-1) {
				arms |= armUp
			}
			if border(x, y+1) {
				arms |= armDown
			}
			if border(x-1, y) {
				arms |= armLeft
			}
			if border(x+1, y) {
				arms |= armRight
			}
			st := BorderStyle
			if active != nil && ar.Surrounds(x, y) {
				st = ActiveBorderStyle
			}
			if marked && mr.Surrounds(x, y) {
				st.Attrs ^= vt.Inverse
			}
			dst.SetCell(x, y, vt.Cell{Text: borderGlyphs[arms], Width: 1, Style: st})
		}
	}
}

// setTerminalState gives the frame the active pane's cursor, modes and
// title.
func setTerminalState(dst *vt.Screen, spec *FrameSpec, active *Pane, visW, visH int) {
	var cur vt.Cursor
	var modes vt.Modes
	title := ""
	if active != nil && active.Screen != nil {
		pc := active.Screen.Cursor()
		r := active.Rect
		cur = vt.Cursor{X: r.X + pc.X, Y: r.Y + pc.Y, Visible: pc.Visible, Shape: pc.Shape, Blink: pc.Blink}
		if pc.X >= r.W || pc.Y >= r.H || cur.X >= visW || cur.Y >= visH || cur.X < 0 || cur.Y < 0 {
			cur.Visible = false // clipped away
		}
		modes = active.Screen.Modes()
		title = active.Screen.Title()
	}
	// A frame is complete by construction: never ask the client to hold
	// its output (?2026), and reverse video stays the pane's own business.
	modes.SyncOutput = false
	modes.ReverseVideo = false
	if spec.MouseOn {
		modes.Mouse = max(modes.Mouse, vt.MouseButton)
	}
	if modes.Mouse != vt.MouseNone {
		// Whatever the pane asked for, the client reports in SGR (no
		// coordinate limit); mux/input re-encodes for the pane.
		modes.MouseEncoding = vt.MouseEncodingSGR
	} else {
		modes.MouseEncoding = vt.MouseEncodingDefault
	}
	dst.SetCursor(cur)
	dst.SetFrameModes(modes)
	dst.SetTitle(title)
	dst.SetClipboard(spec.Clipboard.Selection, spec.Clipboard.Data)
	dst.SetBellCount(spec.Bells)
}
