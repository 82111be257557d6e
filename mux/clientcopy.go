package mux

import (
	"encoding/base64"
	"path"
	"slices"
	"strconv"
	"strings"

	"github.com/goshterm/gosh/mux/command"
	"github.com/goshterm/gosh/mux/copymode"
	"github.com/goshterm/gosh/mux/input"
	"github.com/goshterm/gosh/mux/layout"
	"github.com/goshterm/gosh/vt"
)

// Copy mode is kept per client, not per pane as in tmux: two people (or a
// phone and a laptop) attached to one session can each browse a pane's
// history without moving the other's view. The modes belong to the
// client's loop goroutine.

// maxBuffers bounds the daemon's paste buffers (tmux's buffer-limit).
const maxBuffers = 50

// inCopyMode reports whether the client shows p in copy mode.
func (c *client) inCopyMode(p *Pane) bool { return c.copy[p] != nil }

// copyAction carries out a copy-mode action; it reports whether the frame
// changed.
func (c *client) copyAction(a input.Action, panes map[layout.PaneID]*Pane) bool {
	p := panes[a.Pane]
	if p == nil {
		return false
	}
	m := c.copy[p]
	var res copymode.Result
	switch a.Kind {
	case input.CopyMode:
		if m == nil {
			m = c.enterCopyMode(p, false)
		}
		if strings.Contains(a.Command, "-u") {
			res = m.Key("PPage")
		}
	case input.CopyKey:
		if m == nil {
			return false
		}
		if line, ok := c.copyBinding(m, a.Key); ok {
			c.runBinding(line) // send-keys -X …: on this loop, this client's mode
			return true
		}
		if res = m.Key(a.Key.String()); res.Unbound {
			// Neither copy mode's table nor its own keys: tmux tries
			// the root table (bind -n M-Left select-pane -L), and a key
			// it does not bind either goes nowhere.
			if b, ok := c.keys.Keys().Tables[input.TableRoot][a.Key.String()]; ok {
				c.runBinding(b.Command)
			}
		}
	case input.Wheel:
		if m == nil {
			if a.Lines >= 0 {
				return false // nothing below the live screen
			}
			m = c.enterCopyMode(p, true)
		}
		res = m.Scroll(a.Lines)
	case input.SelectStart:
		if m == nil {
			m = c.enterCopyMode(p, false)
		}
		m.MouseSelect(a.X, a.Y)
	case input.SelectMove:
		if m == nil {
			return false
		}
		m.MouseExtend(a.X, a.Y)
	case input.SelectEnd:
		if m == nil {
			return false
		}
		res = m.CopyAndExit()
	}
	if res.Copy {
		c.copied(res.Text)
	}
	if res.Done {
		c.s.mu.Lock() // c.copy is written with Server.mu held (pane_in_mode)
		delete(c.copy, p)
		c.s.mu.Unlock()
	}
	return true
}

// Copy mode's key tables, as tmux's: a key typed on a pane in copy mode
// is looked up in the table mode-keys names (bind-key -T copy-mode-vi
// v send -X begin-selection), which replaces the root table there. A
// key the table does not bind keeps copy mode's own meaning: its fixed
// vi and emacs keys stand for tmux's default tables, which gosh's tables
// do not hold (unbind-key cannot take one away); a key without either
// runs the root table's binding, if any. While a search is being typed
// every key is its text, as in tmux's search prompt.
const (
	copyTableVi    = "copy-mode-vi"
	copyTableEmacs = "copy-mode"
)

// copyBinding returns the command line k is bound to in m's key table.
// Runs on the client's loop.
func (c *client) copyBinding(m *copymode.Mode, k input.Key) (string, bool) {
	if m.Prompting() {
		return "", false
	}
	table := copyTableEmacs
	if m.Keys() == copymode.Vi {
		table = copyTableVi
	}
	b, ok := c.keys.Keys().Tables[table][k.String()]
	return b.Command, ok
}

// enterCopyMode starts copy mode on a snapshot of p's screen.
func (c *client) enterCopyMode(p *Pane, exitAtBottom bool) *copymode.Mode {
	c.s.mu.Lock()
	defer c.s.mu.Unlock()
	return c.enterCopyModeLocked(p, exitAtBottom)
}

// enterCopyModeLocked is enterCopyMode with Server.mu held.
func (c *client) enterCopyModeLocked(p *Pane, exitAtBottom bool) *copymode.Mode {
	keys := copymode.Emacs
	if c.s.modeKeysLocked(p.window) == "vi" {
		keys = copymode.Vi
	}
	p.mu.Lock()
	m := copymode.New(p.screen, copymode.Config{Keys: keys, ExitAtBottom: exitAtBottom})
	p.mu.Unlock()
	if c.copy == nil {
		c.copy = map[*Pane]*copymode.Mode{}
	}
	c.copy[p] = m
	return m
}

// modeKeysLocked is tmux's mode-keys: the option when set, else vi when
// $VISUAL or $EDITOR names a vi, else emacs.
func (s *Server) modeKeysLocked(w *Window) string {
	if v := s.optionLocked(w, "mode-keys"); v != "" {
		return v
	}
	return modeKeysFromEnv(s.cfg.Env)
}

// modeKeysFromEnv is tmux's default for mode-keys (tmux.c main): vi when
// the editor — $VISUAL if set, else $EDITOR — has "vi" in its base name,
// else emacs.
func modeKeysFromEnv(env []string) string {
	vars := map[string]string{}
	for _, kv := range env {
		if k, v, ok := strings.Cut(kv, "="); ok && (k == "VISUAL" || k == "EDITOR") {
			vars[k] = v
		}
	}
	editor, ok := vars["VISUAL"]
	if !ok {
		editor = vars["EDITOR"]
	}
	if strings.Contains(path.Base(editor), "vi") {
		return "vi"
	}
	return "emacs"
}

// copied stores a copy-mode selection in the daemon's paste buffers and
// puts it on the client's clipboard (OSC 52 in the frame).
func (c *client) copied(text string) {
	if text == "" {
		return
	}
	c.s.mu.Lock()
	c.copiedLocked(text)
	c.s.mu.Unlock()
}

// copiedLocked is copied with Server.mu held.
func (c *client) copiedLocked(text string) {
	if text == "" {
		return
	}
	s := c.s
	s.buffers = append(s.buffers, command.Buffer{Name: "buffer" + strconv.Itoa(s.nextBuffer), Data: text})
	s.nextBuffer++
	if len(s.buffers) > maxBuffers {
		s.buffers = s.buffers[len(s.buffers)-maxBuffers:]
	}
	c.clipboard = base64.StdEncoding.EncodeToString([]byte(text))
}

// paneScreen is what the client shows for p in a w×h cell: its screen,
// or its copy-mode view. Requires Server.mu; runs on the loop.
func (c *client) paneScreen(p *Pane, w, h int) (scr *vt.Screen, frozen bool) {
	if m := c.copy[p]; m != nil {
		return m.View(w, h), false // redrawn in place by the next View
	}
	return c.snaps.take(p), true
}

// snapshots recycles the Pane.Snapshot clones a client's frames are drawn
// from (a Screen struct and its slices per frame, ~1 KB): a snapshot that
// compose K took is kept by the Composer until compose K+1 replaces it
// (compose.Pane.Frozen, for vt.Screen.SameRow) and by the frame spec's
// reused slice, and used by nothing else, so from compose K+2 on it is
// retired and a new snapshot is cloned into it (vt.Screen.CloneInto).
// Only the struct and its slices are reused, never the rows, which the
// pane and other clones share copy-on-write.
type snapshots struct {
	cur, prev []*vt.Screen // taken by this compose and by the last
	free      []*vt.Screen // retired
}

// maxFreeSnapshots bounds the retired snapshots kept: a frame shows a
// handful of panes.
const maxFreeSnapshots = 8

// next starts a compose: the last compose's snapshots are still held,
// the ones before are retired.
func (s *snapshots) next() {
	for _, scr := range s.prev {
		if len(s.free) < maxFreeSnapshots {
			s.free = append(s.free, scr)
		}
	}
	clear(s.prev)
	s.prev, s.cur = s.cur, s.prev[:0]
}

// take snapshots p, into a retired snapshot when there is one.
func (s *snapshots) take(p *Pane) *vt.Screen {
	var old *vt.Screen
	if n := len(s.free); n > 0 {
		old = s.free[n-1]
		s.free[n-1] = nil
		s.free = s.free[:n-1]
	}
	scr := p.SnapshotInto(old)
	s.cur = append(s.cur, scr)
	return scr
}

// forgetRemovedLocked drops the copy modes of panes that are gone.
// Requires Server.mu; runs on the loop.
func (c *client) forgetRemovedLocked() {
	for p := range c.copy {
		if p.removed {
			delete(c.copy, p)
		}
	}
}

var _ command.Buffers = (*env)(nil)

// Buffers implements command.Buffers.
func (e *env) Buffers() []command.Buffer {
	e.s.mu.Lock()
	defer e.s.mu.Unlock()
	out := make([]command.Buffer, len(e.s.buffers))
	for i, b := range e.s.buffers {
		out[len(out)-1-i] = b
	}
	return out
}

// DeleteBuffer implements command.Buffers.
func (e *env) DeleteBuffer(name string) {
	e.s.mu.Lock()
	defer e.s.mu.Unlock()
	e.s.buffers = slices.DeleteFunc(e.s.buffers, func(b command.Buffer) bool { return b.Name == name })
}
