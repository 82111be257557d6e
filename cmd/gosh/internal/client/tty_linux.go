package client

// inputFD is the descriptor the raw loop reads (external only; valid
// from the first Start to Close).
func (t *tty) inputFD() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.rawFD
}
