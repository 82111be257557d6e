package vt

import "unsafe"

// HistoryBytes is the memory the screen's lines take, in bytes: the
// scrollback's record chunks and position ring, and the main buffer's
// rows. It is gosh's counterpart of tmux's history_bytes (list-panes'
// ", N bytes"), which sums its own grid's cell and line storage
// (format_cb_history_bytes); the figures differ as the storage does.
func (s *Screen) HistoryBytes() int {
	n := len(s.sb.idx) * int(unsafe.Sizeof(uint64(0)))
	for _, c := range s.sb.chunks {
		n += len(c.buf)
	}
	row := s.cols*int(unsafe.Sizeof(cell{})) + int(unsafe.Sizeof(line{}))
	return n + len(s.main.rows)*row
}
