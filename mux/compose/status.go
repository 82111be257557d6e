package compose

import (
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

// clock returns t formatted, reusing the last string while the minute is
// the same.
func (c *Composer) clock(t time.Time) string {
	c.clockBuf = t.AppendFormat(c.clockBuf[:0], clockLayout)
	if string(c.clockBuf) != string(c.clockKey) || c.clockText == "" {
		c.clockKey = append(c.clockKey[:0], c.clockBuf...)
		c.clockText = string(c.clockBuf)
	}
	return c.clockText
}

// drawStatus draws the status line on row y. The left part (session,
// window list, left segments) has priority, as the window list is how the
// user navigates; the right part is laid out on a one-row scratch screen
// so that its exact width (wide characters, a title cut mid-character) is
// known, then placed against the right edge, losing its left end when
// space is short so that the clock stays longest.
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
	if st.Message != "" {
		dst.FillRect(0, y, w, 1, vt.Cell{Style: MessageStyle})
		dst.PutText(0, y, w, st.Message, MessageStyle)
		return
	}
	dst.FillRect(0, y, w, 1, vt.Cell{Style: base})

	// Right: marker, right segments, "title", clock.
	if c.right == nil {
		c.right = vt.NewScreen(w, 1)
		c.right.SetScrollbackLimit(0)
	} else if rw, _ := c.right.Size(); rw != w {
		c.right.Resize(w, 1)
	}
	r := c.right
	r.FillRect(0, 0, w, 1, vt.Cell{Style: base})
	x := 0
	if st.Marker != "" {
		x = r.PutText(x, 0, w, st.Marker, MarkerStyle)
		x = r.PutText(x, 0, w, " ", base)
	}
	for i := range st.Segments {
		if sg := &st.Segments[i]; sg.Align == AlignRight {
			x = r.PutText(x, 0, w, sg.Text, segStyle(sg.Style))
			x = r.PutText(x, 0, w, " ", base)
		}
	}
	title := st.PaneTitle
	if title == "" && active != nil && active.Screen != nil {
		title = active.Screen.Title()
	}
	x = r.PutText(x, 0, w, `"`, base)
	x = r.PutText(x, 0, x+titleLength, title, base)
	x = r.PutText(x, 0, w, `"`, base)
	if !st.Clock.IsZero() {
		x = r.PutText(x, 0, w, " ", base)
		x = r.PutText(x, 0, w, c.clock(st.Clock), base)
	}
	rightW := x

	// Left: [session], then the window list and left segments.
	x = dst.PutText(0, y, statusLeftLength, "[", base)
	x = dst.PutText(x, y, statusLeftLength, st.Session, base)
	x = dst.PutText(x, y, statusLeftLength, "] ", base)
	leftEnd := w // the marker, if any, is never overwritten
	if st.Marker != "" {
		leftEnd = w - min(vt.TextWidth(st.Marker)+2, rightW)
	}
	var fb [6]byte
	for i := range st.Windows {
		win := &st.Windows[i]
		if i > 0 {
			x = dst.PutText(x, y, leftEnd, " ", base)
		}
		start := x
		x = dst.PutText(x, y, leftEnd, itoa(win.Index), base)
		x = dst.PutText(x, y, leftEnd, ":", base)
		x = dst.PutText(x, y, leftEnd, win.Name, base)
		x = dst.PutText(x, y, leftEnd, windowFlags(win, &fb), base)
		if x > start {
			c.winSpans = append(c.winSpans, winSpan{win.Index, start, x})
		}
	}
	for i := range st.Segments {
		if sg := &st.Segments[i]; sg.Align == AlignLeft {
			x = dst.PutText(x, y, leftEnd, " ", base)
			x = dst.PutText(x, y, leftEnd, sg.Text, segStyle(sg.Style))
		}
	}
	// Place the right part after one blank; if it does not fit beside the
	// left part, it keeps the marker and its rightmost cells (the clock).
	budget := max(w-x-1, 0)
	if rightW <= budget {
		dst.CopyRect(w-rightW, y, r, 0, 0, rightW, 1)
		return
	}
	start := w - budget
	if st.Marker != "" {
		mw := min(vt.TextWidth(st.Marker)+1, budget)
		dst.CopyRect(start, y, r, 0, 0, mw, 1)
		start += mw
	}
	if rest := w - start; rest > 0 {
		dst.CopyRect(start, y, r, rightW-rest, 0, rest, 1)
	}
}
