package mux

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/goshterm/gosh/mux/command"
	"github.com/goshterm/gosh/mux/input"
	"github.com/goshterm/gosh/vt"
)

// choose-tree (s, w), choose-client (D) and choose-buffer (=) show a list
// over the client's active pane; Up/Down (k/j, C-p/C-n), PPage/NPage,
// g/G move, Enter (or an item's digit) runs the template for the item,
// q, Escape and C-c leave. Unlike tmux's, the chooser belongs to the
// client that opened it (tmux makes it a mode of the pane, shown to every
// client), has no preview and no tree folding, and lists what existed
// when it opened.

// chooser is one client's open list. Guarded by Server.mu.
type chooser struct {
	pane     *Pane // drawn over
	items    []chooseItem
	sel, top int
	page     int // rows of the last drawing, for PPage and NPage
	template string
	menu     bool   // display-menu: items have keys; no digits, no j/k
	title    string // a menu's title, drawn above its items
	zoomed   bool   // the chooser zoomed its pane (-Z): unzoom on close
}

// closeChooserLocked closes c's chooser, unzooming the pane it zoomed
// (tmux leaves -Z's zoom with the mode).
func (s *Server) closeChooserLocked(c *client) {
	ch := s.choosers[c]
	delete(s.choosers, c)
	if ch == nil || !ch.zoomed {
		return
	}
	if w := ch.pane.window; w != nil && !ch.pane.removed {
		if z, ok := w.tree.Zoomed(); ok && z == paneID(ch.pane) {
			w.tree.Unzoom()
			w.applyLayoutLocked()
		}
	}
}

// chooseItem is one line of a chooser and the target its template gets;
// a menu item has its own key and command instead, and one with no
// command (a separator, a disabled item) cannot be chosen.
type chooseItem struct {
	label, target string
	key, run      string
}

var _ command.Chooser = (*env)(nil)

// Choose implements command.Chooser.
func (e *env) Choose(o command.ChooseOptions) error {
	s := e.s
	s.mu.Lock()
	defer s.mu.Unlock()
	c, err := e.clientLocked("")
	if err != nil {
		return err
	}
	ss := c.session
	if s.sessions[ss.id] != ss || ss.current == nil {
		return errors.New("no current client")
	}
	ch := &chooser{pane: ss.current.active, template: o.Template}
	switch o.Kind {
	case command.ChooseSessions, command.ChooseWindows:
		for _, o2 := range s.sessionsLocked() {
			attached := ""
			if n := s.attachedLocked(o2); n > 0 {
				attached = " (attached)"
			}
			ch.items = append(ch.items, chooseItem{
				label:  fmt.Sprintf("%s: %d windows%s", o2.name, len(o2.windows), attached),
				target: "$" + strconv.Itoa(o2.id) + ":"})
			if o2 == ss {
				ch.sel = len(ch.items) - 1
			}
			if o.Kind != command.ChooseWindows {
				continue
			}
			ws := o2.windowsLocked()
			if o.Find != nil {
				ws = slices.DeleteFunc(ws, func(w *Window) bool { return !windowMatchesLocked(w, o.Find) })
				if len(ws) == 0 {
					ch.items = ch.items[:len(ch.items)-1] // no session line without a match
					continue
				}
			}
			for i, w := range ws {
				branch := "├─> "
				if i == len(ws)-1 {
					branch = "└─> "
				}
				flag := ""
				if o2.current == w {
					flag = "*"
				}
				ch.items = append(ch.items, chooseItem{
					label:  fmt.Sprintf("%s%d: %s%s (%d panes)", branch, w.index, w.nameLocked(), flag, len(w.panes)),
					target: "@" + strconv.Itoa(w.id)})
				if o2 == ss && w == ss.current {
					ch.sel = len(ch.items) - 1
				}
			}
		}
	case command.ChooseClients:
		for _, ci := range e.listClientsLocked(nil) {
			ch.items = append(ch.items, chooseItem{
				label:  fmt.Sprintf("%s: %s [%dx%d %s]", ci.Name, s.sessions[ci.Session.Session].name, ci.Width, ci.Height, ci.Term),
				target: ci.Name})
		}
	case command.ChooseBuffers:
		for i := len(s.buffers) - 1; i >= 0; i-- {
			b := s.buffers[i]
			sample := strings.NewReplacer("\n", `\n`, "\r", `\r`, "\t", `\t`).Replace(b.Data)
			if len(sample) > 50 {
				sample = sample[:50]
			}
			ch.items = append(ch.items, chooseItem{
				label:  fmt.Sprintf("%s: %d bytes: \"%s\"", b.Name, len(b.Data), sample),
				target: b.Name})
		}
	}
	if o.Find != nil {
		// The session lines are only headings here: start on a window.
		if ch.sel = 0; len(ch.items) > 1 {
			ch.sel = 1
		}
		if len(ch.items) == 0 {
			return fmt.Errorf("no windows matching: %s", o.Find.Text)
		}
	}
	if len(ch.items) == 0 {
		return nil // tmux opens no empty chooser
	}
	if s.choosers == nil {
		s.choosers = map[*client]*chooser{}
	}
	for o := range s.choosers {
		if s.clients[o.id] != o || o == c {
			s.closeChooserLocked(o) // a client that detached with its chooser open, or c's last one
		}
	}
	if w := ch.pane.window; o.Zoom && w != nil && w.tree.Len() > 1 {
		if _, zoomed := w.tree.Zoomed(); !zoomed && w.tree.Zoom(paneID(ch.pane)) == nil {
			ch.zoomed = true
			w.applyLayoutLocked()
		}
	}
	s.choosers[c] = ch
	s.overlays.Store(true)
	return nil
}

// windowMatchesLocked reports whether a pane of w matches f
// (find-window): the window's name, a pane's title or its visible text.
// Requires Server.mu.
func windowMatchesLocked(w *Window, f *command.FindOptions) bool {
	has := func(s string) bool {
		if f.IgnoreCase {
			return strings.Contains(strings.ToLower(s), strings.ToLower(f.Text))
		}
		return strings.Contains(s, f.Text)
	}
	if f.Name && has(w.nameLocked()) {
		return true
	}
	for _, p := range w.panesLocked() {
		p.mu.Lock()
		title := p.screen.Title()
		text := ""
		if f.Content {
			text = capture(p.screen, command.CaptureOptions{Join: true})
		}
		p.mu.Unlock()
		if (f.Title && has(title)) || (f.Content && has(text)) {
			return true
		}
	}
	return false
}

// listClientsLocked is ListClients with Server.mu held.
func (e *env) listClientsLocked(r *command.Ref) []command.ClientInfo {
	s := e.s
	var out []command.ClientInfo
	for id := 1; id <= s.nextClientID; id++ {
		c := s.clients[id]
		if c == nil || c.session == nil || s.sessions[c.session.id] != c.session {
			continue
		}
		if r == nil || c.session.id == r.Session {
			out = append(out, command.ClientInfo{Name: c.name, Session: sessionRef(c.session), Width: c.cols,
				Height: c.rows, Term: c.term, ReadOnly: c.readOnly, Created: c.created.Unix()})
		}
	}
	return out
}

// chooseKeys gives keystrokes to c's chooser, if open, and reports whether
// it took them; it returns the command line the choice runs ("" for
// none). Requires Server.mu.
func (c *client) chooseKeysLocked(b []byte) (taken bool, run string) {
	s := c.s
	ch := s.choosers[c]
	if ch == nil {
		return false, ""
	}
	if ss := c.session; ch.pane.removed || ss == nil || ch.pane.window == nil || ch.pane.window != ss.current {
		// Its pane went, or the client shows another window now.
		s.closeChooserLocked(c)
		s.overlaysGoneLocked()
		return false, ""
	}
	page := max(ch.page-1, 1)
	for _, k := range input.DecodeKeys(b) {
		done := false
		name := k.String()
		if ch.menu {
			if i := slices.IndexFunc(ch.items, func(it chooseItem) bool { return it.key == name && it.run != "" }); i >= 0 {
				ch.sel, run, done = i, ch.items[i].run, true
			} else if name == "j" || name == "k" || name == "g" || name == "G" || (k.Rune >= '0' && k.Rune <= '9') {
				continue // a menu's keys are its items'
			}
		}
		switch name {
		case "Up", "k", "C-p":
			ch.sel--
		case "Down", "j", "C-n":
			ch.sel++
		case "PPage", "C-b":
			ch.sel -= page
		case "NPage", "C-f":
			ch.sel += page
		case "Home", "g":
			ch.sel = 0
		case "End", "G":
			ch.sel = len(ch.items) - 1
		case "Enter", "C-m":
			if it := ch.items[ch.sel]; ch.menu {
				run, done = it.run, it.run != ""
			} else {
				run, done = fillChoice(ch.template, it.target), true
			}
		case "q", "Escape", "C-c", "C-g":
			done = true
		default:
			if n := int(k.Rune - '0'); !ch.menu && k.Mods == 0 && n >= 0 && n <= 9 && n < len(ch.items) {
				run, done = fillChoice(ch.template, ch.items[n].target), true
			}
		}
		ch.sel = min(max(ch.sel, 0), len(ch.items)-1)
		if ch.menu {
			ch.sel = ch.selectable(ch.sel, name == "Up" || name == "C-p")
		}
		if done {
			s.closeChooserLocked(c)
			s.overlaysGoneLocked()
			break
		}
	}
	c.poke()
	return true, run
}

// selectable returns the menu item nearest i that can be chosen, looking
// up first when up is set, else down first; a separator or a disabled
// item is passed over.
func (ch *chooser) selectable(i int, up bool) int {
	d := 1
	if up {
		d = -1
	}
	for _, dir := range []int{d, -d} {
		for j := i; j >= 0 && j < len(ch.items); j += dir {
			if ch.items[j].run != "" {
				return j
			}
		}
	}
	return i
}

// fillChoice puts target into template for "%%" and "%1", quoted for '…'.
func fillChoice(template, target string) string {
	q := strings.ReplaceAll(target, `'`, `'\''`)
	return strings.ReplaceAll(strings.ReplaceAll(template, "%%", q), "%1", q)
}

// drawChooserLocked draws c's chooser over its pane's screen, a w×h cell.
// Requires Server.mu.
func (c *client) drawChooserLocked(ch *chooser, scr *vt.Screen, w, h int) {
	scr.FillRect(0, 0, w, h, vt.Cell{})
	if h <= 0 {
		return
	}
	ch.page = h
	if ch.sel < ch.top {
		ch.top = ch.sel
	} else if ch.sel >= ch.top+h {
		ch.top = ch.sel - h + 1
	}
	sel := vt.Style{Fg: vt.IndexedColor(0), Bg: vt.IndexedColor(3)} // tmux's mode-style
	if ch.menu {
		drawMenu(ch, scr, w, h, sel)
		return
	}
	for y := 0; y < h && ch.top+y < len(ch.items); y++ {
		i := ch.top + y
		key := "    "
		if i < 10 {
			key = "(" + strconv.Itoa(i) + ") "
		}
		st := vt.Style{}
		if i == ch.sel {
			st = sel
			scr.FillRect(0, y, w, 1, vt.Cell{Text: " ", Width: 1, Style: sel})
		}
		scr.PutText(0, y, w, key+ch.items[i].label, st)
	}
}

// drawMenu draws a display-menu: the title, then each item with its key
// on the right ("Swap Left      (l)"), separators as a rule, disabled
// items dim.
func drawMenu(ch *chooser, scr *vt.Screen, w, h int, sel vt.Style) {
	y0 := 0
	if ch.title != "" {
		scr.PutText(max((w-len(ch.title))/2, 0), 0, w, ch.title, vt.Style{Attrs: vt.Bold})
		y0 = 1
	}
	if ch.sel < ch.top {
		ch.top = ch.sel
	} else if rows := h - y0; rows > 0 && ch.sel >= ch.top+rows {
		ch.top = ch.sel - rows + 1
	}
	for y := y0; y < h && ch.top+y-y0 < len(ch.items); y++ {
		i := ch.top + y - y0
		it := ch.items[i]
		if it.label == "" {
			scr.PutText(0, y, w, strings.Repeat("─", w), vt.Style{})
			continue
		}
		st := vt.Style{}
		switch {
		case it.run == "":
			st.Attrs = vt.Dim
		case i == ch.sel:
			st = sel
			scr.FillRect(0, y, w, 1, vt.Cell{Text: " ", Width: 1, Style: sel})
		}
		scr.PutText(1, y, w, it.label, st)
		if it.key != "" {
			k := "(" + it.key + ")"
			scr.PutText(max(w-len(k)-1, 0), y, w, k, st)
		}
	}
}

var _ command.Menu = (*env)(nil)

// DisplayMenu implements command.Menu: the menu is a chooser whose items
// run their own commands.
func (e *env) DisplayMenu(title string, items []command.MenuItem) error {
	s := e.s
	s.mu.Lock()
	defer s.mu.Unlock()
	c, err := e.clientLocked("")
	if err != nil {
		return err
	}
	ss := c.session
	if s.sessions[ss.id] != ss || ss.current == nil {
		return errors.New("no current client")
	}
	v := s.varsLocked(ref(ss.current.active))
	ch := &chooser{pane: ss.current.active, menu: true, title: command.Expand(title, v), sel: -1}
	for _, it := range items {
		name := command.Expand(it.Name, v)
		run := it.Command
		if disabled, ok := strings.CutPrefix(name, "-"); ok {
			name, run = disabled, ""
		}
		ch.items = append(ch.items, chooseItem{label: name, key: it.Key, run: run})
		if ch.sel < 0 && run != "" {
			ch.sel = len(ch.items) - 1
		}
	}
	if ch.sel < 0 {
		return nil // nothing to choose
	}
	if s.choosers == nil {
		s.choosers = map[*client]*chooser{}
	}
	s.choosers[c] = ch
	s.overlays.Store(true)
	return nil
}
