package command

import (
	"context"
	"errors"
	"fmt"
	"io"
)

// This file holds switch-client ("(", ")", "L"), list-keys ("?") and
// clock-mode ("t").

// SwitchOptions configure switch-client.
type SwitchOptions struct {
	// Client names the client to switch (-c); "" is the client running
	// the command.
	Client string
	// Target is where to go (-t): its session, and its window and pane
	// when the target named them. Nil with Step or Last.
	Target *Ref
	// Step moves to the next (1, -n) or previous (-1, -p) session in
	// name order, wrapping around.
	Step int
	// Last goes back to the session the client was in before (-l).
	Last bool
	// Table is the key table the client's next key is looked up in
	// (-T): "prefix" as if the prefix key was pressed, or a table of
	// bind-key -T. With no other option the client stays where it is.
	Table string
}

// Switcher is implemented by an Env whose attached clients can move
// between sessions (switch-client).
type Switcher interface {
	SwitchClient(o SwitchOptions) error
}

func switchClient(_ context.Context, e Env, a *Args) error {
	sw, ok := e.(Switcher)
	if !ok {
		return errors.New("no current client")
	}
	o := SwitchOptions{Client: a.Value('c'), Last: a.Has('l'), Table: a.Value('T')}
	switch {
	case a.Has('n'):
		o.Step = 1
	case a.Has('p'):
		o.Step = -1
	case a.Has('t'):
		// A session, or a window or pane in one ("dev:2.1"); a lone
		// name is a session, as tmux reads switch-client's target.
		kind := KindPane
		if ParseTarget(a.Value('t'), KindPane).Lone {
			kind = KindSession
		}
		r, err := e.Find(a.Value('t'), kind)
		if err != nil {
			return err
		}
		o.Target = &r
	case a.Has('T'):
		if o.Table == "" {
			return errors.New("no key table")
		}
	case !o.Last:
		return errors.New("switch-client needs -t, -n, -p, -l or -T")
	}
	return sw.SwitchClient(o)
}

// KeyBinding is one key binding for list-keys.
type KeyBinding struct {
	Table   string // "prefix", "root" or a table of bind-key -T
	Key     string // tmux's key name: "%", "C-o", "M-Up"
	Command string
	Repeat  bool
	Note    string // what it does, for list-keys -N
}

// KeyLister is implemented by an Env that knows the key bindings.
type KeyLister interface {
	// KeyBindings returns every binding, sorted by table and key.
	KeyBindings() []KeyBinding
	// KeyTable reports whether a key table of that name exists.
	KeyTable(name string) bool
	// PrefixKey returns the prefix key's name (prefix2's with second),
	// "" when it is None.
	PrefixKey(second bool) string
	// KeyName returns the name a table keeps key under ("^A" is "C-a"),
	// or an error naming an unknown key.
	KeyName(key string) (string, error)
}

// bindKeyLine is how list-keys prints a binding (tmux writes its
// bind-key commands back).
func bindKeyLine(b KeyBinding) string {
	r := "   "
	if b.Repeat {
		r = "-r "
	}
	return fmt.Sprintf("bind-key %s-T %-10s %-20s %s", r, b.Table, quoteKeyName(b.Key), b.Command)
}

// quoteKeyName escapes the keys tmux's parser would take for syntax.
func quoteKeyName(k string) string {
	switch k {
	case `"`, "'", ";", "#", "{", "}", "$", "~", `\`:
		return `\` + k
	}
	return k
}

func listKeys(_ context.Context, e Env, a *Args) error {
	kl, ok := e.(KeyLister)
	if !ok {
		return errors.New("no key bindings")
	}
	table := a.Value('T')
	if a.Has('T') && !kl.KeyTable(table) {
		return fmt.Errorf("table %s doesn't exist", table)
	}
	// -N shows each key after what is typed before it: the prefix key
	// in the prefix table (or -P), nothing in root; without -T it lists
	// root's notes, then the prefix table's, as tmux's.
	keyPrefix := func(table string) string {
		switch {
		case a.Has('P'):
			return a.Value('P')
		case table == "prefix" && kl.PrefixKey(false) != "":
			return kl.PrefixKey(false) + " "
		}
		return ""
	}
	key := ""
	if len(a.Positional) == 1 {
		var err error
		if key, err = kl.KeyName(a.Positional[0]); err != nil {
			return err
		}
	}
	n := 0
	bs := listedBindings(kl.KeyBindings(), table, a.Has('N'))
	width := 0 // -N: keys padded to the widest listed, as tmux
	for _, b := range bs {
		if b.Note != "" && (key == "" || b.Key == key) {
			width = max(width, len(b.Key))
		}
	}
	for _, b := range bs {
		if key != "" && b.Key != key {
			continue
		}
		if a.Has('N') {
			// tmux lists only the keys with a note (bind-key -N).
			if b.Note == "" {
				continue
			}
			fmt.Fprintf(e.Stdout(), "%s%-*s %s\n", keyPrefix(b.Table), width, b.Key, b.Note)
		} else {
			io.WriteString(e.Stdout(), bindKeyLine(b)+"\n")
		}
		n++
		if a.Has('1') {
			break
		}
	}
	if n == 0 && key != "" {
		return fmt.Errorf("unknown key: %s", a.Positional[0])
	}
	return nil
}

// listedBindings are the bindings list-keys lists: table's, or every
// table's; with notes (-N) and no table, root's then the prefix table's,
// as tmux's.
func listedBindings(all []KeyBinding, table string, notes bool) []KeyBinding {
	tables := []string{table}
	switch {
	case notes && table == "":
		tables = []string{"root", "prefix"}
	case table == "":
		return all
	}
	var bs []KeyBinding
	for _, t := range tables {
		for _, b := range all {
			if b.Table == t {
				bs = append(bs, b)
			}
		}
	}
	return bs
}

// Clock is implemented by an Env that can show a clock over a pane on the
// client running the command (clock-mode).
type Clock interface {
	ClockMode(r Ref) error
}

func clockMode(_ context.Context, e Env, a *Args) error {
	r, err := e.Find(a.Value('t'), KindPane)
	if err != nil {
		return err
	}
	c, ok := e.(Clock)
	if !ok {
		return errors.New("no current client")
	}
	return c.ClockMode(r)
}
