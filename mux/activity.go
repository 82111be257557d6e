package mux

// Bell flags (tmux window_flags "!", monitor-bell on, the default): a
// window other than the session's current one whose panes rang the bell
// since it was last current is flagged until it is selected again. The
// baseline is Window.bellsSeen; the screens count bells
// (vt.Screen.BellCount), so nothing is added to the output path.

// windowBellLocked reports whether w shows the bell flag in ss and, when w
// is ss's current window, clears it. Called with the server lock held,
// which guards bellsSeen.
func windowBellLocked(ss *Session, w *Window) bool {
	var n uint64
	for _, p := range w.panes {
		p.mu.Lock()
		n += p.screen.BellCount()
		p.mu.Unlock()
	}
	if ss.current == w || n < w.bellsSeen { // current, or a ringing pane has gone
		w.bellsSeen = n
		return false
	}
	return n > w.bellsSeen
}
