package compose

import (
	"sort"
	"strconv"
	"time"

	"github.com/goshterm/gosh/vt"
)

// Status is the status line's content. The zero value with a Session and
// Windows gives tmux's default line:
//
//	[dev] 0:bash* 1:vim-                      "host" 14:05 05-Mar-24
//	└ status-left ┘└ window list ┘            └── status-right ──────┘
type Status struct {
	// Off hides the status line (tmux "status off"); the window then has
	// every row.
	Off bool
	// Session is shown as "[name] " at the left, at most 10 cells
	// (status-left "[#{session_name}] ", status-left-length 10).
	Session string
	// Windows is the window list, in index order.
	Windows []Window
	// PaneTitle is shown quoted at the right, cut to 21 cells
	// ("#{=21:pane_title}"); empty means the active pane's screen title.
	PaneTitle string
	// Clock is shown at the far right as "%H:%M %d-%b-%y"; the zero time
	// shows no clock. It is an input so that frames are reproducible.
	Clock time.Time
	// Segments are extra styled pieces (plugin segments): those aligned
	// left follow the window list, those aligned right precede the pane
	// title. Each is followed by one space.
	Segments []Segment
	// Marker, when not empty, is shown first on the right in MarkerStyle:
	// a notice the user must not miss (e.g. "plugin clock down").
	Marker string
	// Message, when not empty, takes the whole line in MessageStyle, as
	// tmux's status_message_redraw draws display-message, an alert's
	// message or a key binding's error for display-time.
	Message string
	// Prompt, when not empty, is a question the user is answering
	// (confirm-before's "kill-pane 1? (y/n) ", command-prompt's ":" and
	// what was typed): it takes the whole line in MessageStyle with the
	// cursor, a reverse-video cell, right after it, as tmux's
	// status_prompt_redraw; the frame's cursor goes there too. It wins
	// over Message.
	Prompt string
	// Style is the line's base style; the zero Style means StatusStyle.
	Style vt.Style
}

// Window is one entry of the window list, shown as "index:name" followed
// by its flags (tmux window_flags, in tmux's order: # activity, ! bell,
// ~ silence, * current, - last, M holds the marked pane, Z zoomed) or a
// space when it has none.
type Window struct {
	Index    int
	Name     string
	Current  bool
	Last     bool
	Zoomed   bool
	Bell     bool
	Activity bool
	Silence  bool
	Marked   bool
}

// Align says on which side of the status line a segment goes.
type Align uint8

// Segment alignments.
const (
	AlignLeft  Align = iota // after the window list
	AlignRight              // before the pane title
)

// Segment is a piece of status line text with its own style; the zero
// Style means the status line's.
type Segment struct {
	Text  string
	Style vt.Style
	Align Align
}

const (
	statusLeftLength = 10 // tmux status-left-length
	titleLength      = 21 // tmux "#{=21:pane_title}"
	clockLayout      = "15:04 02-Jan-06"
)

// Clock formats t as tmux's default status-right clock does
// ("%H:%M %d-%b-%y").
func Clock(t time.Time) string { return t.Format(clockLayout) }

// smallInts holds the decimal strings of small window indexes, so the
// window list allocates nothing.
var smallInts = func() (s [100]string) {
	for i := range s {
		s[i] = strconv.Itoa(i)
	}
	return s
}()

func itoa(n int) string {
	if n >= 0 && n < len(smallInts) {
		return smallInts[n]
	}
	return strconv.Itoa(n)
}

// windowFlags returns w's flags (at most "#!~*MZ" or "#!~-MZ"), or " ".
func windowFlags(w *Window, buf *[6]byte) string {
	b := buf[:0]
	if w.Activity {
		b = append(b, '#')
	}
	if w.Bell {
		b = append(b, '!')
	}
	if w.Silence {
		b = append(b, '~')
	}
	if w.Current {
		b = append(b, '*')
	}
	if w.Last {
		b = append(b, '-')
	}
	if w.Marked {
		b = append(b, 'M')
	}
	if w.Zoomed {
		b = append(b, 'Z')
	}
	switch string(b) { // constant strings: no allocation
	case "":
		return " "
	case "*":
		return "*"
	case "-":
		return "-"
	case "*Z":
		return "*Z"
	}
	return string(b)
}

// clock returns t formatted. The text changes only when the local minute
// does, so while t is in the minute (and the zone offset) of the last
// text, that text is returned without formatting: every frame asks, and
// formatting a time (the zone lookup, the calendar arithmetic) cost a
// keystroke's echo frame some 4 µs with cold caches, a tenth of the
// daemon's composition.
func (c *Composer) clock(t time.Time) string {
	sec := t.Unix()
	if c.clockText != "" && t.Location() == c.clockLoc && sec >= c.clockFrom && sec < c.clockUntil {
		return c.clockText
	}
	c.clockBuf = t.AppendFormat(c.clockBuf[:0], clockLayout)
	if string(c.clockBuf) != c.clockText {
		c.clockText = string(c.clockBuf)
	}
	// The local minute's bounds: zone offsets are whole seconds, so the
	// local minute starts a whole number of seconds before t. A zone
	// transition within it (a new offset, the text's hour changes) ends
	// the text's validity early; one before it starts it late.
	c.clockLoc = t.Location()
	c.clockFrom = sec - int64(t.Second())
	c.clockUntil = c.clockFrom + 60
	start, end := t.ZoneBounds() // zero: the zone has no such bound
	if !start.IsZero() {
		c.clockFrom = max(c.clockFrom, start.Unix())
	}
	if !end.IsZero() {
		c.clockUntil = min(c.clockUntil, end.Unix())
	}
	return c.clockText
}

// status draws the status line on row y unless dst (reuse: the previous
// frame) shows it already: same content, same place. winSpans and promptX
// are then still those the line was drawn with.
func (c *Composer) status(dst *vt.Screen, y, w int, st *Status, active *Pane, reuse bool) {
	last := &c.last
	title := st.PaneTitle
	if title == "" && active != nil && active.Screen != nil {
		title = active.Screen.Title()
	}
	clock := ""
	if !st.Clock.IsZero() {
		clock = c.clock(st.Clock)
	}
	k := statusKey{y: y, w: w, session: st.Session, title: title, clock: clock, marker: st.Marker,
		msg: st.Message, prmt: st.Prompt, style: st.Style, windows: st.Windows, segments: st.Segments}
	if reuse && last.statusDrawn && k.equal(&last.status) {
		return
	}
	c.winSpans = c.winSpans[:0]
	c.promptX = -1
	c.drawStatus(dst, y, w, st, active)
	// Keep copies: the caller may reuse its slices.
	k.windows = append(last.status.windows[:0], st.Windows...)
	k.segments = append(last.status.segments[:0], st.Segments...)
	last.status, last.statusDrawn = k, true
}

// drawStatus draws the status line on row y as tmux 3.3a's format_draw
// lays out its default status-format: status-left ("[session] ", at most
// 10 cells) at the left edge, status-right (marker, right segments,
// "title", clock) against the right edge, the window list between them and the left segments after it. When
// they don't fit, the window list gives way first, trimmed around the
// current window with "<" and ">" where entries are hidden
// (format_draw_list), so the current window and the clock stay in view;
// then the right part, which keeps its marker and its rightmost cells;
// then the left segments; then the left.
func (c *Composer) drawStatus(dst *vt.Screen, y, w int, st *Status, active *Pane) {
	base := st.Style
	if base == (vt.Style{}) {
		base = StatusStyle
	}
	segStyle := func(s vt.Style) vt.Style {
		if s == (vt.Style{}) {
			return base
		}
		return s
	}
	if st.Prompt != "" {
		dst.FillRect(0, y, w, 1, vt.Cell{Style: MessageStyle})
		x := dst.PutText(0, y, w, st.Prompt, MessageStyle)
		// Keep the cursor on the line: a long answer shows its end.
		if x >= w {
			dst.FillRect(0, y, w, 1, vt.Cell{Style: MessageStyle})
			x = putTail(dst, y, w-1, st.Prompt, MessageStyle)
		}
		cur := MessageStyle
		cur.Attrs ^= vt.Inverse
		dst.SetCell(x, y, vt.Cell{Text: " ", Width: 1, Style: cur})
		c.promptX = x
		return
	}
	if st.Message != "" {
		dst.FillRect(0, y, w, 1, vt.Cell{Style: MessageStyle})
		dst.PutText(0, y, w, st.Message, MessageStyle)
		return
	}
	dst.FillRect(0, y, w, 1, vt.Cell{Style: base})

	// Right: marker, right segments, "title", clock.
	// Its scratch row is as wide as it can be, so that its width is
	// known before it is placed.
	rw := vt.TextWidth(st.Marker) + 1 + titleLength + 2 + 1 + len(clockLayout)
	for i := range st.Segments {
		rw += vt.TextWidth(st.Segments[i].Text) + 1
	}
	rw = max(rw, w)
	r := scratch(&c.right, rw)
	r.FillRect(0, 0, rw, 1, vt.Cell{Style: base})
	x := 0
	if st.Marker != "" {
		x = r.PutText(x, 0, rw, st.Marker, MarkerStyle)
		x = r.PutText(x, 0, rw, " ", base)
	}
	for i := range st.Segments {
		if sg := &st.Segments[i]; sg.Align == AlignRight {
			x = r.PutText(x, 0, rw, sg.Text, segStyle(sg.Style))
			x = r.PutText(x, 0, rw, " ", base)
		}
	}
	title := st.PaneTitle
	if title == "" && active != nil && active.Screen != nil {
		title = active.Screen.Title()
	}
	x = r.PutText(x, 0, rw, `"`, base)
	x = r.PutText(x, 0, x+titleLength, title, base)
	x = r.PutText(x, 0, rw, `"`, base)
	if !st.Clock.IsZero() {
		x = r.PutText(x, 0, rw, " ", base)
		x = r.PutText(x, 0, rw, c.clock(st.Clock), base)
	}
	rightW := x

	// The window list, on a scratch row of its own width, remembering
	// each entry's columns and the current one's (the focus).
	var fb [6]byte
	listW := max(len(st.Windows)-1, 0)
	for i := range st.Windows {
		win := &st.Windows[i]
		listW += vt.TextWidth(itoa(win.Index)) + 1 + vt.TextWidth(win.Name) + vt.TextWidth(windowFlags(win, &fb))
	}
	l := scratch(&c.list, max(listW, 1))
	l.FillRect(0, 0, listW, 1, vt.Cell{Style: base})
	c.listSpans = c.listSpans[:0]
	focusStart, focusEnd := 0, 0
	x = 0
	for i := range st.Windows {
		win := &st.Windows[i]
		if i > 0 {
			x = l.PutText(x, 0, listW, " ", base)
		}
		start := x
		x = l.PutText(x, 0, listW, itoa(win.Index), base)
		x = l.PutText(x, 0, listW, ":", base)
		x = l.PutText(x, 0, listW, win.Name, base)
		x = l.PutText(x, 0, listW, windowFlags(win, &fb), base)
		c.listSpans = append(c.listSpans, winSpan{win.Index, start, x})
		if win.Current {
			focusStart, focusEnd = start, x
		}
	}
	listW = x

	// After the list: the left segments.
	aw := w
	for i := range st.Segments {
		aw += vt.TextWidth(st.Segments[i].Text) + 1
	}
	a := scratch(&c.after, aw)
	a.FillRect(0, 0, aw, 1, vt.Cell{Style: base})
	x = 0
	for i := range st.Segments {
		if sg := &st.Segments[i]; sg.Align == AlignLeft {
			x = a.PutText(x, 0, aw, " ", base)
			x = a.PutText(x, 0, aw, sg.Text, segStyle(sg.Style))
		}
	}
	afterW := x

	// Left: [session].
	leftW := vt.TextWidth("[") + vt.TextWidth(st.Session) + vt.TextWidth("] ")
	leftW = min(leftW, statusLeftLength)

	// Trim the list, then the right, then after, then the left
	// (format_draw_left).
	wList, wRight, wAfter, wLeft := listW, rightW, afterW, leftW
	excess := wLeft + wList + wRight + wAfter - w
	for _, n := range []*int{&wList, &wRight, &wAfter, &wLeft} {
		d := min(max(excess, 0), *n)
		*n -= d
		excess -= d
	}

	x = dst.PutText(0, y, wLeft, "[", base)
	x = dst.PutText(x, y, wLeft, st.Session, base)
	dst.PutText(x, y, wLeft, "] ", base)
	c.drawList(dst, y, wLeft, wList, listW, focusStart, focusEnd, base)
	dst.CopyRect(wLeft+wList, y, a, 0, 0, wAfter, 1)
	if wRight == rightW {
		dst.CopyRect(w-wRight, y, r, 0, 0, wRight, 1)
		return
	}
	// Short of room, the right part keeps the marker and its rightmost
	// cells (the clock).
	start := w - wRight
	if st.Marker != "" {
		mw := min(vt.TextWidth(st.Marker)+1, wRight)
		dst.CopyRect(start, y, r, 0, 0, mw, 1)
		start += mw
	}
	if rest := w - start; rest > 0 {
		dst.CopyRect(start, y, r, rightW-rest, 0, rest, 1)
	}
}

// drawList draws width cells of the window list (listW wide, on c.list) at
// column offset: all of it when it fits, else a window around the focus
// (the current window's columns) with "<" and ">" marking hidden entries,
// as tmux's format_draw_list. It records where each entry landed for
// WindowAt.
func (c *Composer) drawList(dst *vt.Screen, y, offset, width, listW, focusStart, focusEnd int, base vt.Style) {
	start := 0
	if width < listW {
		if centre := focusStart + (focusEnd-focusStart)/2; centre >= width/2 {
			start = centre - width/2
		}
		start = min(start, listW-width)
		if start != 0 && width > 1 {
			dst.PutText(offset, y, offset+1, "<", base)
			offset++
			start++
			width--
		}
		if start+width < listW && width > 1 {
			dst.PutText(offset+width-1, y, offset+width, ">", base)
			width--
		}
	}
	width = max(width, 0)
	dst.CopyRect(offset, y, c.list, start, 0, width, 1)
	for _, s := range c.listSpans {
		if a, b := max(s.start, start), min(s.end, start+width); a < b {
			c.winSpans = append(c.winSpans, winSpan{s.index, offset + a - start, offset + b - start})
		}
	}
}

// scratch returns *sp as a one-row screen at least w wide, making or
// growing it as needed, so that status parts can be measured before they
// are placed.
func scratch(sp **vt.Screen, w int) *vt.Screen {
	if *sp == nil {
		*sp = vt.NewScreen(w, 1)
		(*sp).SetScrollbackLimit(0)
	} else if sw, _ := (*sp).Size(); sw < w {
		(*sp).Resize(w, 1)
	}
	return *sp
}

// putTail writes the end of text that fits in w cells at the start of row
// y, and returns the column after it.
func putTail(dst *vt.Screen, y, w int, text string, st vt.Style) int {
	// The longest tail that fits, by binary search over rune starts: a
	// tail's width only shrinks as it starts later, and a pasted answer
	// of some KB would cost a width walk per dropped rune on every frame.
	var starts []int
	for i := range text {
		starts = append(starts, i)
	}
	k := sort.Search(len(starts), func(k int) bool { return vt.TextWidth(text[starts[k]:]) <= w })
	if k < len(starts) {
		text = text[starts[k]:]
	} else {
		text = ""
	}
	return dst.PutText(0, y, w, text, st)
}
