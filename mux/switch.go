package mux

import (
	"errors"
	"fmt"
	"strings"

	"github.com/goshterm/gosh/mux/command"
	"github.com/goshterm/gosh/vt"
)

// This file holds switch-client and clock-mode; list-keys is in bind.go.

var (
	_ command.Switcher  = (*env)(nil)
	_ command.KeyLister = (*env)(nil)
	_ command.Clock     = (*env)(nil)
)

// clientLocked finds the client a client command acts on: by name, or the
// attached client running the command.
func (e *env) clientLocked(name string) (*client, error) {
	s := e.s
	if name != "" {
		for _, c := range s.clients {
			if c.name == name && c.session != nil {
				return c, nil
			}
		}
		return nil, fmt.Errorf("can't find client: %s", name)
	}
	if c := e.c.attached; c != nil && c.session != nil && s.clients[c.id] == c {
		return c, nil
	}
	return nil, errors.New("no current client")
}

// SwitchClient implements command.Switcher.
func (e *env) SwitchClient(o command.SwitchOptions) error {
	s := e.s
	s.mu.Lock()
	defer s.mu.Unlock()
	c, err := e.clientLocked(o.Client)
	if err != nil {
		return err
	}
	if o.Table != "" {
		if err := s.setTableLocked(c, o.Table); err != nil {
			return err
		}
		if !o.Last && o.Step == 0 && o.Target == nil {
			return nil // -T alone: the client stays where it is
		}
	}
	cur := c.session
	var ss *Session
	switch {
	case o.Last:
		ss = s.lastSession[c]
		if ss == nil || s.sessions[ss.id] != ss {
			return errors.New("can't find last session")
		}
	case o.Step != 0:
		// Sessions in name order, as tmux's tree of sessions.
		list := s.sessionsLocked()
		for i, o2 := range list {
			if o2 == cur {
				ss = list[(i+o.Step+len(list))%len(list)]
			}
		}
		if ss == nil || ss == cur {
			if o.Step > 0 {
				return errors.New("can't find next session")
			}
			return errors.New("can't find previous session")
		}
	case o.Target != nil:
		var w *Window
		var p *Pane
		if ss, w, p, err = s.lookupLocked(*o.Target); err != nil {
			return err
		}
		ss.selectWindowLocked(w)
		w.selectPaneLocked(p)
	default:
		return errors.New("no target session")
	}
	s.switchClientLocked(c, ss)
	return nil
}

// switchClientLocked moves attached client c to session ss, remembering
// the one it leaves for switch-client -l. The session it leaves follows
// its next most recent client's size.
func (s *Server) switchClientLocked(c *client, ss *Session) {
	old := c.session
	if old != ss {
		if s.lastSession == nil {
			s.lastSession = map[*client]*Session{}
		}
		for o := range s.lastSession {
			if s.clients[o.id] != o {
				delete(s.lastSession, o) // detached meanwhile
			}
		}
		s.lastSession[c] = old
		c.session = ss
		if old != nil && old.latest == c {
			old.latest = nil
			var next *client
			for _, o := range s.clients {
				if o.session == old && (next == nil || o.activity > next.activity) {
					next = o
				}
			}
			if next != nil {
				old.latest = next
				s.resizeSessionLocked(old, next.cols, next.rows-statusRows)
			}
		}
		s.activateLocked(c)
	}
	s.touchLocked(ss)
	c.poke()
}

// Clock mode: as in tmux, a pane mode, so every client showing the pane
// sees the clock (the time in large digits, clock-mode-colour), until a
// key is pressed on a client whose active pane it is; that key is used
// up.

// ClockMode implements command.Clock.
func (e *env) ClockMode(r command.Ref) error {
	s := e.s
	s.mu.Lock()
	defer s.mu.Unlock()
	_, _, p, err := s.lookupLocked(r)
	if err != nil {
		return err
	}
	if s.clockPanes == nil {
		s.clockPanes = map[*Pane]bool{}
	}
	s.clockPanes[p] = true
	s.overlays.Store(true)
	s.wakeClientsLocked()
	return nil
}

// clockKeys ends clock mode on the client's active pane when a key
// arrives; it reports whether it did (and so used the key up). Requires
// Server.mu.
func (c *client) clockKeysLocked() bool {
	s := c.s
	for p := range s.clockPanes {
		if p.removed {
			delete(s.clockPanes, p) // closed in clock mode
		}
	}
	s.overlaysGoneLocked()
	ss := c.session
	if len(s.clockPanes) == 0 || ss == nil || s.sessions[ss.id] != ss || ss.current == nil {
		return false
	}
	p := ss.current.active
	if !s.clockPanes[p] {
		return false
	}
	delete(s.clockPanes, p)
	s.overlaysGoneLocked()
	s.wakeClientsLocked()
	return true
}

// drawClockLocked draws the clock over a pane screen in clock mode.
// Requires Server.mu.
func (s *Server) drawClockLocked(p *Pane, scr *vt.Screen, w, h int) {
	if p.removed {
		delete(s.clockPanes, p)
		s.overlaysGoneLocked()
		return
	}
	colour, ok := parseColour(s.optionLocked(p.window, "clock-mode-colour"))
	if !ok {
		colour = vt.IndexedColor(4)
	}
	now := s.cfg.Now()
	text := now.Format("15:04")
	if s.optionLocked(p.window, "clock-mode-style") == "12" {
		text = strings.TrimPrefix(now.Format("03:04"), "0") + " " + now.Format("PM")
	}
	scr.FillRect(0, 0, w, h, vt.Cell{})
	drawBig(scr, w, h, text, colour)
}

// drawBig draws text centred over a w×h area in large glyphs when it
// fits, else in plain text.
func drawBig(scr *vt.Screen, w, h int, text string, colour vt.Color) {
	if w < len(text)*6 || h < 6 {
		scr.PutText(max(w/2-len(text)/2, 0), h/2, w, text, vt.Style{Fg: colour})
		return
	}
	paintGlyphs(scr, w/2-3*len(text), h/2-3, w, text, colour)
}

// bigGlyph returns the 5x5 glyph of a digit or ':'.
func bigGlyph(ch byte) ([5]string, bool) {
	switch {
	case ch >= '0' && ch <= '9':
		return bigDigits[ch-'0'], true
	case ch == ':':
		return [5]string{".....", "..#..", ".....", "..#..", "....."}, true
	}
	return [5]string{}, false
}
