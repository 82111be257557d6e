package mux

import (
	"errors"

	"github.com/goshterm/gosh/mux/command"
	"github.com/goshterm/gosh/mux/input"
)

var (
	_ command.Prompter  = (*env)(nil)
	_ command.Refresher = (*env)(nil)
)

// CommandPrompt implements command.Prompter. Only a client running a key
// binding can be asked: the command then runs on that client's loop,
// which owns its input state.
func (e *env) CommandPrompt(o command.PromptOptions) error {
	s := e.s
	s.mu.Lock()
	c, err := e.clientLocked("")
	if err != nil {
		s.mu.Unlock()
		return err
	}
	ss := c.session
	if s.sessions[ss.id] != ss || ss.current == nil {
		s.mu.Unlock()
		return errors.New("no current client")
	}
	v := s.varsLocked(ref(ss.current.active))
	p := input.CommandPrompt{Label: command.Expand(o.Prompt, v), Input: command.Expand(o.Input, v),
		Template: o.Template, Key: o.Key}
	s.mu.Unlock()
	c.keys.StartPrompt(p)
	return nil
}

// Refresh implements command.Refresher: the client composes its frame
// again (SSP keeps the terminal's copy in step, so that is all tmux's
// redraw needs here).
func (e *env) Refresh(name string) error {
	s := e.s
	s.mu.Lock()
	defer s.mu.Unlock()
	c, err := e.clientLocked(name)
	if err != nil {
		return err
	}
	c.poke()
	return nil
}
