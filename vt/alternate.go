package vt

// HiddenMain returns, while the alternate screen is in use (modes 47,
// 1047, 1049), a copy of the screen showing the main buffer that the
// full-screen program hides, with no scrollback; ok is false when the
// main buffer is the one showing. It is what tmux calls the pane's
// alternate screen (its saved grid, which holds no history): what
// capture-pane -a prints. The copy shares rows with s as Clone does, so
// it is cheap, and like Clone it must be called by s's user.
func (s *Screen) HiddenMain() (main *Screen, ok bool) {
	if !s.modes.AltScreen {
		return nil, false
	}
	c := s.Clone()
	c.cur = &c.main
	c.modes.AltScreen = false
	c.alt.rows = nil
	// The main buffer's own cursor was saved on entry (1049) or is
	// wherever the program left it (47, 1047).
	if sv := c.main.saved; sv.valid {
		c.x, c.y, c.wrapNext = sv.x, sv.y, sv.wrapNext
	}
	c.sb = scrollback{}
	c.sbShared = false
	return c, true
}
