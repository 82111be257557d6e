package mux

import (
	"cmp"
	"slices"
	"time"
)

// Session is a named set of windows with one current window. Its fields
// are guarded by Server.mu.
type Session struct {
	id       int
	name     string
	created  time.Time
	windows  map[int]*Window // by index
	current  *Window
	last     *Window // previous current window, for "!" and select-window -l
	options  map[string]string
	width    int
	height   int
	activity uint64
	cwd      string  // default directory of new windows and panes
	latest   *client // the client whose size the windows follow (window-size latest)
}

// ID returns the session's id (tmux's $n).
func (ss *Session) ID() int { return ss.id }

// windowsLocked returns the windows in index order.
func (ss *Session) windowsLocked() []*Window {
	return ss.appendWindowsLocked(make([]*Window, 0, len(ss.windows)))
}

// appendWindowsLocked is windowsLocked appending to dst, for a caller that
// reuses its slice (a client's frame).
func (ss *Session) appendWindowsLocked(dst []*Window) []*Window {
	n := len(dst)
	for _, w := range ss.windows {
		dst = append(dst, w)
	}
	slices.SortFunc(dst[n:], func(a, b *Window) int { return cmp.Compare(a.index, b.index) })
	return dst
}

// windowsStillLocked reports whether ws (appendWindowsLocked's answer a
// while ago) still lists ss's windows in index order, so that a client's
// frame need not list and sort them again: every window of ws is at its
// index in ss, the indexes rise, and there are as many as ss has.
func (ss *Session) windowsStillLocked(ws []*Window) bool {
	if len(ws) != len(ss.windows) {
		return false
	}
	for i, w := range ws {
		if ss.windows[w.index] != w || (i > 0 && ws[i-1].index >= w.index) {
			return false
		}
	}
	return true
}

// freeIndexLocked returns the lowest unused window index from base.
func (ss *Session) freeIndexLocked(base int) int {
	for i := base; ; i++ {
		if _, used := ss.windows[i]; !used {
			return i
		}
	}
}

// selectWindowLocked makes w current, remembering the previous one.
func (ss *Session) selectWindowLocked(w *Window) {
	if ss.current != w {
		windowSelectedLocked(ss.current, w) // activity.go: selecting clears the flags
		ss.last = ss.current
		ss.current = w
	}
}
