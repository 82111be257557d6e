package command

import (
	"context"
	"errors"
	"fmt"
	"strconv"
)

// This file holds the commands behind tmux's default bindings that
// rearrange a window: next-layout (Space), rotate-window (C-o, M-o),
// break-pane (!), last-pane (;), last-window (l) and display-panes (q).

// stepLayout is next-layout (step 1) and previous-layout (-1).
func stepLayout(step int) Exec {
	return func(_ context.Context, e Env, a *Args) error {
		r, err := e.Find(a.Value('t'), KindWindow)
		if err != nil {
			return err
		}
		return e.StepLayout(r, step)
	}
}

func rotateWindow(_ context.Context, e Env, a *Args) error {
	r, err := e.Find(a.Value('t'), KindWindow)
	if err != nil {
		return err
	}
	return e.RotateWindow(r, a.Has('D'), a.Has('Z'))
}

// BreakPaneFormat is what break-pane -P prints by default (tmux's
// BREAK_PANE_TEMPLATE).
const BreakPaneFormat = "#{session_name}:#{window_index}.#{pane_index}"

func breakPane(_ context.Context, e Env, a *Args) error {
	src, err := e.Find(a.Value('s'), KindPane)
	if err != nil {
		return err
	}
	o := BreakOptions{Name: a.Value('n'), Index: -1, After: a.Has('a'), Before: a.Has('b'), Detach: a.Has('d')}
	// The destination: a session, and a window index in it when given
	// ("dev:4", ":4", "4"); by default the source pane's session.
	sess := ""
	if a.Has('t') {
		t := ParseTarget(a.Value('t'), KindWindow)
		sess = t.Session
		win := t.Window
		if t.Lone {
			if _, err := strconv.Atoi(win); err != nil {
				sess, win = win, "" // a lone name is a session
			}
		}
		if win != "" {
			n, err := strconv.Atoi(win)
			if err != nil || n < 0 {
				// An existing window by name or id: its index.
				w, err := e.Find(a.Value('t'), KindWindow)
				if err != nil {
					return err
				}
				n, _ = strconv.Atoi(e.Vars(w)["window_index"])
			}
			o.Index = n
		}
	}
	if (o.After || o.Before) && o.Index < 0 {
		// -a/-b without an index: next to the current window.
		n, _ := strconv.Atoi(e.Vars(src)["window_index"])
		o.Index = n
	}
	dst := src
	if sess != "" {
		if dst, err = e.Find(sess+":", KindSession); err != nil {
			return err
		}
	}
	r, err := e.BreakPane(src, dst, o)
	if err != nil {
		return err
	}
	if a.Has('P') {
		printf(e, formatOr(a, BreakPaneFormat), r)
	}
	return nil
}

// lastPane selects the window's previously active pane (tmux's
// last-pane); -Z keeps the window zoomed.
func lastPane(_ context.Context, e Env, a *Args) error {
	w, err := e.Find(a.Value('t'), KindWindow)
	if err != nil {
		return err
	}
	p, err := e.Find("@"+strconv.Itoa(w.Window)+".!", KindPane)
	if err != nil {
		return errors.New("no last pane")
	}
	// tmux unzooms to change the active pane, and zooms the new one again
	// with -Z.
	zoomed := e.Vars(w)["window_zoomed_flag"] == "1"
	if zoomed {
		if err := e.ToggleZoom(w); err != nil {
			return err
		}
	}
	if err := e.SelectPane(p); err != nil {
		return err
	}
	if zoomed && a.Has('Z') {
		return e.ToggleZoom(p)
	}
	return nil
}

// lastWindow selects the session's previously current window.
func lastWindow(_ context.Context, e Env, a *Args) error {
	s, err := e.Find(a.Value('t'), KindSession)
	if err != nil {
		return err
	}
	w, err := e.Find("$"+strconv.Itoa(s.Session)+":!", KindWindow)
	if err != nil {
		return errors.New("no last window")
	}
	return e.SelectWindow(w)
}

// DisplayPanesOptions configure display-panes.
type DisplayPanesOptions struct {
	// Client names the client to show the numbers to (-t); "" is the
	// client running the command.
	Client string
	// Duration is how long the numbers stay, in milliseconds (-d): -1 for
	// the display-panes-time option, 0 until a key is pressed.
	Duration int
	// NoKeys leaves keys alone (-N): a digit does not choose a pane.
	NoKeys bool
	// Template is the command run for the chosen pane, with "%%" replaced
	// by its id ("%3"): tmux's default is select-pane -t '%%'.
	Template string
}

// DisplayPanesTemplate is display-panes' default command.
const DisplayPanesTemplate = "select-pane -t '%%'"

// PaneNumbers is implemented by an Env whose multiplexer can draw on its
// attached clients' frames (display-panes).
type PaneNumbers interface {
	// DisplayPanes shows each visible pane's index over it on a client
	// until the time is up or a key is pressed; a key naming an index
	// ("0"–"9", then "a"–"z" for 10–35) runs the template for that pane.
	DisplayPanes(o DisplayPanesOptions) error
}

func displayPanes(_ context.Context, e Env, a *Args) error {
	pn, ok := e.(PaneNumbers)
	if !ok {
		return errors.New("no current client")
	}
	o := DisplayPanesOptions{Client: a.Value('t'), Duration: -1, NoKeys: a.Has('N'), Template: DisplayPanesTemplate}
	if a.Has('d') {
		n, err := strconv.Atoi(a.Value('d'))
		if err != nil || n < 0 {
			return fmt.Errorf("delay %s invalid", a.Value('d'))
		}
		o.Duration = n
	}
	if len(a.Positional) == 1 {
		o.Template = a.Positional[0]
	}
	return pn.DisplayPanes(o)
}
