package client

import (
	"os"
	"strconv"
)

// inputFD is the descriptor the raw loop reads (external only; valid
// from the first Start to Close).
func (t *tty) inputFD() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.rawFD
}

// devicePath names the terminal device behind fd (Linux /proc), falling
// back to the controlling terminal.
func devicePath(fd int) string {
	if p, err := os.Readlink("/proc/self/fd/" + strconv.Itoa(fd)); err == nil && len(p) > 0 && p[0] == '/' {
		return p
	}
	return "/dev/tty"
}
