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

// windowSlot reads a -t dst-window of break-pane and move-window: a
// session and a window index in it when given ("dev:4", ":4", "4", "dev",
// "dev:name"), def's session by default, and -1 for the next free index.
// With -a or -b and no index, the slot is next to cur's window.
func windowSlot(e Env, a *Args, def, cur Ref) (dst Ref, index int, err error) {
	index = -1
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
					return Ref{}, 0, err
				}
				n, _ = strconv.Atoi(e.Vars(w)["window_index"])
			}
			index = n
		}
	}
	if (a.Has('a') || a.Has('b')) && index < 0 {
		index, _ = strconv.Atoi(e.Vars(cur)["window_index"])
	}
	dst = def
	if sess != "" {
		if dst, err = e.Find(sess+":", KindSession); err != nil {
			return Ref{}, 0, err
		}
	}
	return dst, index, nil
}

func breakPane(_ context.Context, e Env, a *Args) error {
	src, err := e.Find(a.Value('s'), KindPane)
	if err != nil {
		return err
	}
	o := BreakOptions{Name: a.Value('n'), After: a.Has('a'), Before: a.Has('b'), Detach: a.Has('d')}
	dst, index, err := windowSlot(e, a, src, src)
	if err != nil {
		return err
	}
	o.Index = index
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

// moveWindow is tmux's move-window: the window goes to another index or
// session; -r renumbers the session's windows from base-index instead.
func moveWindow(_ context.Context, e Env, a *Args) error {
	if a.Has('r') {
		r, err := e.Find(a.Value('t'), KindSession)
		if err != nil {
			return err
		}
		return e.RenumberWindows(r)
	}
	src, err := e.Find(a.Value('s'), KindWindow)
	if err != nil {
		return err
	}
	cur, err := e.Find("", KindSession)
	if err != nil {
		return err
	}
	dst, index, err := windowSlot(e, a, cur, src)
	if err != nil {
		return err
	}
	_, err = e.MoveWindow(src, dst, MoveOptions{Index: index, After: a.Has('a'), Before: a.Has('b'),
		Detach: a.Has('d'), Kill: a.Has('k')})
	return err
}

func swapWindow(_ context.Context, e Env, a *Args) error {
	src, err := e.Find(a.Value('s'), KindWindow)
	if m, ok := e.(Marker); ok && !a.Has('s') {
		if r, ok := m.MarkedPane(); ok {
			src, err = r, nil // the marked pane's window
		}
	}
	if err != nil {
		return err
	}
	dst, err := e.Find(a.Value('t'), KindWindow)
	if err != nil {
		return err
	}
	if src.Window == dst.Window {
		return nil
	}
	return e.SwapWindows(src, dst, a.Has('d'))
}

// Marker is implemented by an Env that keeps tmux's marked pane (select-pane
// -m), the default source of swap-pane, join-pane and swap-window.
type Marker interface {
	// MarkPane marks r's pane (on; marking the marked pane again unmarks
	// it) or clears the mark (off).
	MarkPane(r Ref, on bool) error
	// MarkedPane returns the marked pane, if any.
	MarkedPane() (Ref, bool)
}

// sourcePane is the -s of swap-pane and join-pane: given, else the marked
// pane, else the current pane (tmux's CMD_FIND_DEFAULT_MARKED).
func sourcePane(e Env, a *Args) (Ref, error) {
	if !a.Has('s') {
		if m, ok := e.(Marker); ok {
			if r, ok := m.MarkedPane(); ok {
				return r, nil
			}
		}
	}
	return e.Find(a.Value('s'), KindPane)
}

// joinPane is join-pane (and move-pane): the source pane leaves its window
// and splits the target pane, as split-window would with a new one.
func joinPane(_ context.Context, e Env, a *Args) error {
	src, err := sourcePane(e, a)
	if err != nil {
		return err
	}
	dst, err := e.Find(a.Value('t'), KindPane)
	if err != nil {
		return err
	}
	if src.Pane == dst.Pane {
		return errors.New("source and target panes must be different")
	}
	cells, pct, err := splitSize(a)
	if err != nil {
		return err
	}
	_, err = e.JoinPane(src, dst, SplitOptions{Horizontal: a.Has('h'), Before: a.Has('b'), Size: cells, Percent: pct, Detach: a.Has('d')})
	return err
}
