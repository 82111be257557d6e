package command

import (
	"context"
	"errors"
	"fmt"
)

// ChooseKind is what a chooser lists.
type ChooseKind int

// The choosers: choose-tree -s (sessions), choose-tree -w (sessions and
// their windows), choose-client and choose-buffer.
const (
	ChooseSessions ChooseKind = iota
	ChooseWindows
	ChooseClients
	ChooseBuffers
)

// ChooseOptions configure a chooser.
type ChooseOptions struct {
	Kind ChooseKind
	// Template is the command run for the chosen item, "%%" replaced by
	// its target (a session, window, client or buffer name).
	Template string
	// Find, when set, lists only the windows with a pane whose name
	// (window name), title or visible text contains it (find-window).
	Find *FindOptions
	// Zoom zooms the pane the chooser is drawn over while it is open
	// (-Z), as tmux does, so that the list has the whole window.
	Zoom bool
}

// FindOptions select find-window's matches.
type FindOptions struct {
	Text                 string
	Name, Title, Content bool // what to search; all when none is set
	IgnoreCase           bool
}

// findWindow is tmux's find-window: a chooser of the windows that match.
func findWindow(_ context.Context, e Env, a *Args) error {
	ch, ok := e.(Chooser)
	if !ok {
		return errors.New("no current client")
	}
	f := &FindOptions{Text: a.Positional[0], Name: a.Has('N'), Title: a.Has('T'), Content: a.Has('C'), IgnoreCase: a.Has('i')}
	if !f.Name && !f.Title && !f.Content {
		f.Name, f.Title, f.Content = true, true, true
	}
	return ch.Choose(ChooseOptions{Kind: ChooseWindows, Template: ChooseTreeTemplate, Find: f, Zoom: a.Has('Z')})
}

// Chooser is implemented by an Env whose client can pick from a list
// (choose-tree, choose-client, choose-buffer): only a client running a
// key binding.
type Chooser interface {
	Choose(o ChooseOptions) error
}

// tmux's default templates (CHOOSE_TREE_TEMPLATE and its siblings).
const (
	ChooseTreeTemplate   = "switch-client -t '%%'"
	ChooseClientTemplate = "detach-client -t '%%'"
	ChooseBufferTemplate = "paste-buffer -p -b '%%'"
)

func choose(kind ChooseKind, template string) Exec {
	return func(_ context.Context, e Env, a *Args) error {
		ch, ok := e.(Chooser)
		if !ok {
			return errors.New("no current client")
		}
		o := ChooseOptions{Kind: kind, Template: template, Zoom: a.Has('Z')}
		if kind == ChooseSessions && a.Has('w') {
			o.Kind = ChooseWindows
		}
		if len(a.Positional) == 1 {
			o.Template = a.Positional[0]
		}
		return ch.Choose(o)
	}
}

// MenuItem is one entry of display-menu.
type MenuItem struct {
	Name, Key, Command string
}

// Menu is implemented by an Env whose client can be shown a menu
// (display-menu): only a client running a key binding.
type Menu interface {
	// DisplayMenu shows items under title (both formats, expanded for
	// the client's current pane); a separator ("" name) or a name
	// starting with "-" (disabled) is shown but cannot be chosen.
	DisplayMenu(title string, items []MenuItem) error
}

// displayMenu reads tmux's triples: name key command, or a lone "" for a
// separator.
func displayMenu(_ context.Context, e Env, a *Args) error {
	m, ok := e.(Menu)
	if !ok {
		return errors.New("no current client")
	}
	var items []MenuItem
	for p := a.Positional; len(p) > 0; {
		if p[0] == "" {
			items = append(items, MenuItem{})
			p = p[1:]
			continue
		}
		if len(p) < 3 {
			return fmt.Errorf("not enough arguments for menu item %q", p[0])
		}
		items = append(items, MenuItem{Name: p[0], Key: p[1], Command: p[2]})
		p = p[3:]
	}
	return m.DisplayMenu(a.Value('T'), items)
}
