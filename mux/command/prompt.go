package command

import (
	"context"
	"errors"
	"fmt"
	"strings"
)

// This file holds command-prompt ($ , ' / :), delete-buffer (-) and
// refresh-client (r).

// PromptOptions configure command-prompt.
type PromptOptions struct {
	// Prompt is the label format (-p, expanded by the multiplexer); ""
	// for tmux's default, the template's command in parentheses.
	Prompt string
	// Input is the answer's starting text, a format (-I).
	Input string
	// Template is the command line run with the answer for "%%"; "" runs
	// the answer itself.
	Template string
	// Key takes one key's name as the answer (-k).
	Key bool
}

// Prompter is implemented by an Env whose client can be asked a question
// on its status line (command-prompt): only a client running a key
// binding.
type Prompter interface {
	CommandPrompt(o PromptOptions) error
}

func commandPrompt(_ context.Context, e Env, a *Args) error {
	p, ok := e.(Prompter)
	if !ok {
		return errors.New("no current client")
	}
	o := PromptOptions{Prompt: a.Value('p'), Input: a.Value('I'), Key: a.Has('k')}
	if len(a.Positional) == 1 {
		o.Template = a.Positional[0]
	}
	if o.Prompt == "" {
		// tmux: "(command) " for a template, ":" for a bare prompt.
		if name, _, _ := strings.Cut(strings.TrimSpace(o.Template), " "); name != "" {
			o.Prompt = "(" + name + ")"
		} else {
			o.Prompt = ":"
		}
	}
	if o.Prompt != ":" {
		o.Prompt += " "
	}
	return p.CommandPrompt(o)
}

func deleteBuffer(_ context.Context, e Env, a *Args) error {
	bs, err := buffers(e)
	if err != nil {
		return err
	}
	all := bs.Buffers()
	if !a.Has('b') {
		if len(all) == 0 {
			return errors.New("no buffer")
		}
		bs.DeleteBuffer(all[0].Name)
		return nil
	}
	for _, b := range all {
		if b.Name == a.Value('b') {
			bs.DeleteBuffer(b.Name)
			return nil
		}
	}
	return fmt.Errorf("unknown buffer: %s", a.Value('b'))
}

// Refresher is implemented by an Env whose attached clients can be told
// to draw their frame again (refresh-client).
type Refresher interface {
	Refresh(client string) error
}

func refreshClient(_ context.Context, e Env, a *Args) error {
	r, ok := e.(Refresher)
	if !ok {
		return errors.New("no current client")
	}
	return r.Refresh(a.Value('t'))
}

// errSuspend is suspend-client's answer: a gosh client runs on another
// machine, over SSP, and stops itself (its own escape key), not at the
// daemon's word.
var errSuspend = errors.New("suspend-client: a gosh client suspends itself: press Ctrl-^ Ctrl-Z")

func suspendClient(context.Context, Env, *Args) error { return errSuspend }
