package mux

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/goshterm/gosh/mux/command"
	"github.com/goshterm/gosh/mux/compose"
	"github.com/goshterm/gosh/vt"
)

// display-panes (prefix q) numbers the panes of a client's window: each
// pane shows its index in large digits in its middle (small ones when the
// pane is too small) in display-panes-colour, the active pane's in
// display-panes-active-colour, with its size in the top right corner, as
// tmux 3 draws them. The numbers belong to one client, like tmux's
// overlay: other clients of the session see nothing. They go when
// display-panes-time has passed or a key is pressed; a key naming a pane's
// index (0–9, then a–z for 10–35) runs the template for that pane
// (select-pane by default) and is used up, any other key does what it
// always does.

// paneNumbers is one client's display-panes. Guarded by Server.mu.
type paneNumbers struct {
	until    time.Time // zero: until a key
	keys     bool      // a key may choose a pane (not -N)
	template string
	timer    *time.Timer // wakes the client to take the numbers down
}

var _ command.PaneNumbers = (*env)(nil)

// DisplayPanes implements command.PaneNumbers.
func (e *env) DisplayPanes(o command.DisplayPanesOptions) error {
	s := e.s
	s.mu.Lock()
	defer s.mu.Unlock()
	var c *client
	switch {
	case o.Client != "":
		for _, o2 := range s.clients {
			if o2.name == o.Client {
				c = o2
			}
		}
		if c == nil {
			return fmt.Errorf("can't find client: %s", o.Client)
		}
	case e.c.attached != nil:
		c = e.c.attached
	}
	if c == nil || c.session == nil || s.sessions[c.session.id] != c.session {
		return errors.New("no current client")
	}
	ms := o.Duration
	if ms < 0 {
		ms = s.optionIntLocked(c.session.current, "display-panes-time")
	}
	n := &paneNumbers{keys: !o.NoKeys, template: o.Template}
	if ms > 0 {
		d := time.Duration(ms) * time.Millisecond
		n.until = time.Now().Add(d)
		// A little after the deadline, so that the composition it wakes
		// sees the numbers expired.
		n.timer = time.AfterFunc(d+time.Millisecond, c.poke)
	}
	s.clearNumbersLocked(c)
	for o := range s.numbers {
		if s.clients[o.id] != o {
			s.clearNumbersLocked(o) // a client that detached meanwhile
		}
	}
	if s.numbers == nil {
		s.numbers = map[*client]*paneNumbers{}
	}
	s.numbers[c] = n
	s.overlays.Store(true)
	c.poke()
	return nil
}

// overlaysGoneLocked notes when no pane numbers or clocks are up any more.
func (s *Server) overlaysGoneLocked() {
	if len(s.numbers) == 0 && len(s.clockPanes) == 0 && len(s.choosers) == 0 {
		s.overlays.Store(false)
	}
}

// clearNumbersLocked takes c's pane numbers down.
func (s *Server) clearNumbersLocked(c *client) {
	if n := s.numbers[c]; n != nil {
		if n.timer != nil {
			n.timer.Stop()
		}
		delete(s.numbers, c)
		s.overlaysGoneLocked()
		c.poke()
	}
}

// numbersLocked returns c's pane numbers if they are up at now.
func (s *Server) numbersLocked(c *client, now time.Time) *paneNumbers {
	n := s.numbers[c]
	if n != nil && !n.until.IsZero() && !now.Before(n.until) {
		s.clearNumbersLocked(c)
		return nil
	}
	return n
}

// pickPane gives the client's keystrokes to display-panes first, while
// the numbers are up: a key naming a pane index runs the template for
// that pane and is used up; any key takes the numbers down. It returns
// the bytes left for the input state machine. Runs on the client's loop.
func (c *client) pickPane(b []byte) []byte {
	if len(b) == 0 || !c.s.overlays.Load() {
		return b
	}
	if _, pending := c.keys.Deadline(); pending {
		return b // the byte continues an escape sequence (M-1, a mouse report)
	}
	s := c.s
	s.mu.Lock()
	if !c.readOnly && c.clockKeysLocked() {
		s.mu.Unlock()
		return nil // the key that ends clock mode is used up (switch.go)
	}
	if taken, run := c.chooseKeysLocked(b); taken {
		s.mu.Unlock()
		c.runBinding(run)
		return nil // a chooser takes every key (choose.go)
	}
	n := s.numbersLocked(c, time.Now())
	if n == nil {
		s.mu.Unlock()
		return b
	}
	s.clearNumbersLocked(c)
	index := -1
	switch ch := b[0]; {
	case ch >= '0' && ch <= '9':
		index = int(ch - '0')
	case ch >= 'a' && ch <= 'z':
		index = 10 + int(ch-'a')
	}
	if !n.keys || index < 0 || c.readOnly {
		s.mu.Unlock()
		return b
	}
	var line string
	if ss := c.session; ss != nil && s.sessions[ss.id] == ss && ss.current != nil {
		w := ss.current
		ps := w.panesLocked()
		if i := index - s.optionIntLocked(w, "pane-base-index"); i >= 0 && i < len(ps) {
			id := "%" + strconv.Itoa(ps[i].id)
			line = strings.ReplaceAll(strings.ReplaceAll(n.template, "%%", id), "%1", id)
			if _, zoomed := w.tree.Zoomed(); zoomed {
				w.tree.Unzoom() // tmux unzooms before running the template
				w.applyLayoutLocked()
			}
		}
	}
	s.mu.Unlock()
	c.runBinding(line)
	return b[1:]
}

// drawNumbersLocked draws what the multiplexer shows over the panes of
// spec (the panes of w, laid out by compose): clock mode's clock
// (switch.go) and c's pane numbers, if up. Requires Server.mu; runs on the
// loop, which owns the screens in spec.
func (c *client) drawNumbersLocked(spec *compose.FrameSpec, w *Window, now time.Time) {
	s := c.s
	if !s.overlays.Load() {
		return // no clock, chooser or pane numbers anywhere: most frames
	}
	if len(s.clockPanes) > 0 {
		k := 0
		for _, r := range w.tree.Rects() {
			p := w.panes[int(r.Pane)]
			if p == nil {
				continue
			}
			if k < len(spec.Panes) && s.clockPanes[p] && spec.Panes[k].Screen != nil {
				scr := spec.Panes[k].Screen
				s.drawClockLocked(p, scr, min(r.W, scrWidth(scr)), min(r.H, scrHeight(scr)))
			}
			k++
		}
	}
	if ch := s.choosers[c]; ch != nil {
		k := 0
		for _, r := range w.tree.Rects() {
			p := w.panes[int(r.Pane)]
			if p == nil {
				continue
			}
			if k < len(spec.Panes) && p == ch.pane && spec.Panes[k].Screen != nil {
				scr := spec.Panes[k].Screen
				c.drawChooserLocked(ch, scr, min(r.W, scrWidth(scr)), min(r.H, scrHeight(scr)))
			}
			k++
		}
	}
	if s.numbersLocked(c, now) == nil {
		return
	}
	colour, _ := parseColour(s.optionLocked(w, "display-panes-colour"))
	activeColour, _ := parseColour(s.optionLocked(w, "display-panes-active-colour"))
	base := s.optionIntLocked(w, "pane-base-index")
	k := 0
	for _, r := range w.tree.Rects() {
		p := w.panes[int(r.Pane)]
		if p == nil {
			continue
		}
		if k >= len(spec.Panes) {
			return
		}
		scr := spec.Panes[k].Screen
		k++
		if scr == nil {
			continue
		}
		col := colour
		if p == w.active {
			col = activeColour
		}
		drawPaneNumber(scr, min(r.W, scrWidth(scr)), min(r.H, scrHeight(scr)), w.paneIndexLocked(p)+base, col)
	}
}

func scrWidth(s *vt.Screen) int  { w, _ := s.Size(); return w }
func scrHeight(s *vt.Screen) int { _, h := s.Size(); return h }

// bigDigits are the 5x5 digits display-panes and clock-mode draw, one
// string per row, '#' for a filled cell.
var bigDigits = [10][5]string{
	{"#####", "#...#", "#...#", "#...#", "#####"},
	{"....#", "....#", "....#", "....#", "....#"},
	{"#####", "....#", "#####", "#....", "#####"},
	{"#####", "....#", "#####", "....#", "#####"},
	{"#...#", "#...#", "#####", "....#", "....#"},
	{"#####", "#....", "#####", "....#", "#####"},
	{"#####", "#....", "#####", "#...#", "#####"},
	{"#####", "....#", "....#", "....#", "....#"},
	{"#####", "#...#", "#####", "#...#", "#####"},
	{"#####", "#...#", "#####", "....#", "#####"},
}

// drawPaneNumber draws index over a w×h pane screen in colour: large
// digits centred when they fit (6 columns a digit, 5 rows), with the
// pane's size in the top right corner when there is room above them, else
// the number in plain text in the middle. Indexes 10–35 also show the key
// that chooses them (a–z).
func drawPaneNumber(scr *vt.Screen, w, h, index int, colour vt.Color) {
	num := strconv.Itoa(index)
	key := ""
	if index >= 10 && index < 36 {
		key = string(rune('a' + index - 10))
	}
	text := vt.Style{Fg: colour}
	cx, cy := w/2, h/2
	if w < len(num)*6 || h < 5 {
		label := num
		if key != "" && w >= len(num)+len(key)+1 {
			label += " " + key
		}
		scr.PutText(max(cx-len(label)/2, 0), cy, w, label, text)
		return
	}
	y0 := cy - 2
	paintGlyphs(scr, cx-len(num)*3, y0, w, num, colour)
	if h <= 6 {
		return
	}
	if size := strconv.Itoa(w) + "x" + strconv.Itoa(h); w >= len(size) {
		scr.PutText(w-len(size), 0, w, size, text)
	}
	if key != "" {
		scr.PutText(max(cx+len(num)*3-len(key)-1, 0), y0+5, w, key, text)
	}
}

// paintGlyphs draws text in 5x5 glyphs 6 columns apart from (x0, y0),
// filled cells in colour's background; a character without a glyph is
// written small in its place. Columns from maxX on are left alone.
func paintGlyphs(scr *vt.Screen, x0, y0, maxX int, text string, colour vt.Color) {
	block := vt.Cell{Text: " ", Width: 1, Style: vt.Style{Bg: colour}}
	for i := range len(text) {
		g, ok := bigGlyph(text[i])
		if !ok {
			scr.PutText(x0+i*6, y0+2, maxX, text[i:i+1], vt.Style{Fg: colour})
			continue
		}
		for row, line := range g {
			for col := range len(line) {
				if x := x0 + i*6 + col; line[col] == '#' && x < maxX {
					scr.SetCell(x, y0+row, block)
				}
			}
		}
	}
}

// colourNames are tmux's colour names for the first eight palette entries.
var colourNames = []string{"black", "red", "green", "yellow", "blue", "magenta", "cyan", "white"}

// parseColour reads a tmux colour: a name ("red", "brightred"),
// "colourN"/"colorN", "#rrggbb", or "default".
func parseColour(s string) (vt.Color, bool) {
	s = strings.ToLower(s)
	if s == "default" {
		return vt.DefaultColor, true
	}
	for i, n := range colourNames {
		switch s {
		case n:
			return vt.IndexedColor(uint8(i)), true
		case "bright" + n:
			return vt.IndexedColor(uint8(i + 8)), true
		}
	}
	for _, p := range []string{"colour", "color"} {
		if v, ok := strings.CutPrefix(s, p); ok {
			if n, err := strconv.Atoi(v); err == nil && n >= 0 && n <= 255 {
				return vt.IndexedColor(uint8(n)), true
			}
		}
	}
	if len(s) == 7 && s[0] == '#' {
		if v, err := strconv.ParseUint(s[1:], 16, 32); err == nil {
			return vt.RGBColor(uint8(v>>16), uint8(v>>8), uint8(v)), true
		}
	}
	return 0, false
}
