package mux

import "sync"

// Bell flags (tmux window_flags "!", monitor-bell on, the default): a
// window other than the session's current one whose panes rang the bell
// since it was last current is flagged until it is selected again. The
// baseline is each window's panes' total bell count when it was last seen
// current; the screens count bells (vt.Screen.BellCount), so nothing is
// added to the output path.
var bellSeen = struct {
	sync.Mutex
	m map[*Window]uint64
}{m: map[*Window]uint64{}}

// windowBellLocked reports whether w shows the bell flag in ss and, when w
// is ss's current window, clears it. Called with the server lock held.
func windowBellLocked(ss *Session, w *Window) bool {
	var n uint64
	for _, p := range w.panes {
		p.mu.Lock()
		n += p.screen.BellCount()
		p.mu.Unlock()
	}
	bellSeen.Lock()
	defer bellSeen.Unlock()
	last, ok := bellSeen.m[w]
	if ss.current == w || !ok || n < last {
		bellSeen.m[w] = n
		return false
	}
	return n > last
}

// bellFlag is window_flags' "!" part for w in ss.
func bellFlag(ss *Session, w *Window) string {
	if windowBellLocked(ss, w) {
		return "!"
	}
	return ""
}
