package mux

import (
	"github.com/goshterm/gosh/mux/input"
	"github.com/goshterm/gosh/mux/layout"
	"github.com/goshterm/gosh/vt"
)

// inCopyMode reports whether the client shows p in copy mode. Requires
// Server.mu (or the loop).
func (c *client) inCopyMode(p *Pane) bool { return false }

// copyAction carries out a copy-mode action; it reports whether the frame
// changed.
func (c *client) copyAction(a input.Action, panes map[layout.PaneID]*Pane) bool { return false }

// paneScreen is what the client shows for p: its screen, or its copy-mode
// view. Requires Server.mu.
func (c *client) paneScreen(p *Pane) *vt.Screen { return p.Snapshot() }
