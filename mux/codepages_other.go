//go:build !linux

package mux

// The release of the daemon's code pages (codepages_linux.go) reads
// /proc/self/maps and /proc/self/pagemap and advises MADV_PAGEOUT, all
// Linux's; elsewhere a quiet daemon only returns its heap
// (debug.FreeOSMemory), and these do nothing.

// releaseCodePagesLast would shed the daemon's code pages.
func releaseCodePagesLast() {}

// restoreCodeReadahead would undo releaseCodePagesLast's advice.
func restoreCodeReadahead() {}
