package command

import (
	"context"
	"errors"
)

// CopyModeOptions configure copy-mode.
type CopyModeOptions struct {
	ExitAtBottom bool // -e: scrolling down to the bottom leaves copy mode
	PageUp       bool // -u: start one page up
	Quit         bool // -q: leave copy mode instead
}

// CopyModer is implemented by an Env whose panes have a copy mode that
// commands can drive (copy-mode, send-keys -X).
type CopyModer interface {
	// CopyMode shows r's pane in copy mode (or, with Quit, leaves it).
	CopyMode(r Ref, o CopyModeOptions) error
	// CopyModeCommand runs one of tmux's copy-mode commands (cancel,
	// begin-selection, copy-selection, cursor-up, search-forward TEXT …)
	// n times where a count repeats it, in r's pane's copy mode; it is
	// tmux's "not in a mode" error when the pane is in none.
	CopyModeCommand(r Ref, name string, n int, args []string) error
}

// copyModeCommand is send-keys -X: the first argument names a copy-mode
// command, the others are its arguments; none does nothing, as in tmux.
func copyModeCommand(e Env, r Ref, n int, argv []string) error {
	cm, ok := e.(CopyModer)
	if !ok {
		return errors.New("not in a mode")
	}
	if len(argv) == 0 {
		return nil
	}
	return cm.CopyModeCommand(r, argv[0], n, argv[1:])
}

func copyMode(_ context.Context, e Env, a *Args) error {
	cm, ok := e.(CopyModer)
	if !ok {
		return errors.New("copy-mode: not supported")
	}
	r, err := e.Find(a.Value('t'), KindPane)
	if err != nil {
		return err
	}
	return cm.CopyMode(r, CopyModeOptions{ExitAtBottom: a.Has('e'), PageUp: a.Has('u'), Quit: a.Has('q')})
}
