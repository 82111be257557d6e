package vt

// The scrollback is a ring of lines that scrolled off the top of the main
// buffer. Its slice is shared with clones copy-on-write (sbShared); the
// lines in it are never written in place except by collectTables, which
// copies shared ones first.

// ownScrollback makes s.sb.lines writable by s.
func (s *Screen) ownScrollback() {
	if s.sbShared {
		s.sb.lines = append([]*line(nil), s.sb.lines...)
		s.sbShared = false
	}
}

// pushScrollback appends l as the newest line, dropping the oldest when
// full. It returns the dropped line (for reuse when s owns it) or nil.
func (s *Screen) pushScrollback(l *line) *line {
	if s.sbLimit <= 0 {
		return l
	}
	s.ownScrollback()
	if len(s.sb.lines) < s.sbLimit {
		// Still growing: the ring is not yet wrapped (head == 0).
		if s.sb.head != 0 {
			s.normaliseScrollback()
		}
		s.sb.lines = append(s.sb.lines, l)
		s.sb.n = len(s.sb.lines)
		return nil
	}
	if s.sb.n < len(s.sb.lines) {
		// Fewer lines than slots (after a clear): append at the tail slot.
		s.sb.lines[(s.sb.head+s.sb.n)%len(s.sb.lines)] = l
		s.sb.n++
		return nil
	}
	old := s.sb.lines[s.sb.head]
	s.sb.lines[s.sb.head] = l
	s.sb.head = (s.sb.head + 1) % len(s.sb.lines)
	return old
}

// normaliseScrollback rotates the ring so that head is 0 and the slice
// holds exactly the lines.
func (s *Screen) normaliseScrollback() {
	s.setScrollback(s.scrollbackLines())
}

// sbLine returns scrollback line i (0 = oldest) or nil.
func (s *Screen) sbLine(i int) *line {
	if i < 0 || i >= s.sb.n {
		return nil
	}
	return s.sb.lines[(s.sb.head+i)%len(s.sb.lines)]
}

// scrollbackLines returns the scrollback, oldest first, as a new slice.
func (s *Screen) scrollbackLines() []*line {
	out := make([]*line, s.sb.n)
	for i := range out {
		out[i] = s.sbLine(i)
	}
	return out
}

// setScrollback replaces the scrollback with lines (oldest first), keeping
// the newest sbLimit of them.
func (s *Screen) setScrollback(lines []*line) {
	if len(lines) > s.sbLimit {
		lines = lines[len(lines)-s.sbLimit:]
	}
	s.sb = scrollback{lines: append([]*line(nil), lines...), n: len(lines)}
	s.sbShared = false
}
