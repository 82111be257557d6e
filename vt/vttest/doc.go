// Package vttest helps test code that uses package vt: Dump renders a
// Screen as stable, diffable text; Golden compares text with a golden file
// (rewritten with -update); TmuxRender runs a stream through tmux as a
// reference emulator.
package vttest
