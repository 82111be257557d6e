package mux

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/goshterm/gosh/mux/command"
	"github.com/goshterm/gosh/mux/input"
)

// Key bindings and the configuration file. As in tmux, the key tables
// and the prefix keys are the server's: bind-key changes what every
// client's keys do. Server.keys holds them as one immutable input.Keys;
// a change clones it, changes the copy and stores it, and each client's
// loop gives its input state the new set before its next key
// (syncKeys), so that a keystroke reads them without Server.mu.

var (
	_ command.KeyBinder    = (*env)(nil)
	_ command.PrefixSender = (*env)(nil)
)

// changeKeys applies f to a copy of the server's keys and publishes the
// copy if f succeeds. Commands run one at a time (cmdMu), so no change is
// lost between the load and the store.
func (s *Server) changeKeys(f func(k *input.Keys) error) error {
	k := s.keys.Load().Clone()
	if err := f(k); err != nil {
		return keysError(err)
	}
	s.keys.Store(k)
	return nil
}

// keysError words input's errors as tmux's: "unknown key: F13", "table
// foo doesn't exist".
func keysError(err error) error {
	msg := err.Error()
	if _, name, ok := strings.Cut(msg, "\n"); ok {
		switch {
		case errors.Is(err, input.ErrUnknownKey):
			return fmt.Errorf("unknown key: %s", name)
		case errors.Is(err, input.ErrNoTable):
			return fmt.Errorf("table %s doesn't exist", name)
		}
	}
	return err
}

// BindKey implements command.KeyBinder.
func (e *env) BindKey(b command.KeyBinding) error {
	return e.s.changeKeys(func(k *input.Keys) error {
		return k.Bind(b.Table, b.Key, input.Binding{Command: b.Command, Repeat: b.Repeat, Note: b.Note})
	})
}

// SetKeyNote implements command.KeyBinder.
func (e *env) SetKeyNote(table, key, note string) error {
	return e.s.changeKeys(func(k *input.Keys) error {
		name, err := input.KeyName(key)
		if err != nil {
			return err
		}
		b, ok := k.Tables[table][name]
		if !ok {
			// tmux ignores it; saying so keeps a typo from passing.
			return fmt.Errorf("key %s is not bound in table %s", name, table)
		}
		b.Note = note
		return k.Bind(table, name, b)
	})
}

// UnbindKey implements command.KeyBinder.
func (e *env) UnbindKey(table, key string) error {
	return e.s.changeKeys(func(k *input.Keys) error { return k.Unbind(table, key) })
}

// UnbindAll implements command.KeyBinder.
func (e *env) UnbindAll(table string) error {
	return e.s.changeKeys(func(k *input.Keys) error { return k.UnbindAll(table) })
}

// KeyBindings implements command.KeyLister: every table's bindings,
// sorted by table, then key as tmux sorts them.
func (e *env) KeyBindings() []command.KeyBinding {
	k := e.s.keys.Load()
	var out []command.KeyBinding
	for _, table := range k.TableNames() {
		start := len(out)
		for key, b := range k.Tables[table] {
			out = append(out, command.KeyBinding{Table: table, Key: key, Command: b.Command, Repeat: b.Repeat, Note: b.Note})
		}
		part := out[start:]
		sort.Slice(part, func(i, j int) bool { return input.KeyLess(part[i].Key, part[j].Key) })
	}
	return out
}

// KeyTable implements command.KeyLister.
func (e *env) KeyTable(name string) bool { return e.s.keys.Load().HasTable(name) }

// KeyName implements command.KeyLister.
func (e *env) KeyName(key string) (string, error) {
	name, err := input.KeyName(key)
	if err != nil {
		return "", keysError(err)
	}
	return name, nil
}

// PrefixKey implements command.KeyLister and command.PrefixSender.
func (e *env) PrefixKey(second bool) string {
	k := e.s.keys.Load()
	p := k.Prefix
	if second {
		p = k.Prefix2
	}
	if p == (input.Key{}) {
		return ""
	}
	return p.String()
}

// setPrefixLocked publishes a new prefix or prefix2 (set-option); value
// has passed checkOption. Requires Server.mu.
func (s *Server) setPrefixLocked(name, value string) {
	var key input.Key
	if value != "None" {
		key, _ = input.ParseKey(value)
	}
	_ = s.changeKeys(func(k *input.Keys) error {
		if name == "prefix2" {
			k.Prefix2 = key
		} else {
			k.Prefix = key
		}
		return nil
	})
}

// checkKeyOption checks a prefix option's value: a key name or None.
func checkKeyOption(value string) (string, error) {
	if value == "None" || strings.EqualFold(value, "none") {
		return "None", nil
	}
	name, err := input.KeyName(value)
	if err != nil {
		return "", fmt.Errorf("bad key: %s", value)
	}
	return name, nil
}

// setTableLocked asks c's loop to look its next key up in table
// (switch-client -T). Requires Server.mu.
func (s *Server) setTableLocked(c *client, table string) error {
	if !s.keys.Load().HasTable(table) {
		return fmt.Errorf("table %s doesn't exist", table)
	}
	if s.tables == nil {
		s.tables = map[*client]string{}
	}
	s.tables[c] = table
	s.tablesWaiting.Store(true)
	return nil
}

// syncKeys gives the client's input state the server's keys, when they
// changed since its last key, and a table switch-client -T chose for it.
// Runs on the client's loop, before its input state reads a key.
func (c *client) syncKeys() {
	s := c.s
	if k := s.keys.Load(); k != c.keys.Keys() {
		c.keys.SetKeys(k)
	}
	if !s.tablesWaiting.Load() {
		return
	}
	s.mu.Lock()
	table, ok := s.tables[c]
	delete(s.tables, c)
	for o := range s.tables {
		if s.clients[o.id] != o {
			delete(s.tables, o) // detached meanwhile
		}
	}
	s.tablesWaiting.Store(len(s.tables) > 0)
	s.mu.Unlock()
	if ok {
		c.keys.SetTable(table)
	}
}

// runBinding runs a binding's command line: its commands one after
// another (a ";" between them, "\;" in a binding), stopping at the
// first that fails, as tmux does.
func (c *client) runBinding(line string) {
	cmds, err := command.ParseLine(line)
	if err != nil {
		c.showMessage(err.Error())
		return
	}
	for _, argv := range cmds {
		for _, one := range command.SplitSequence(argv) {
			if c.runCommand(one) != nil {
				return
			}
		}
	}
}

// DefaultConfigFile is the daemon's configuration file, as tmux's
// ~/.tmux.conf: $XDG_CONFIG_HOME/gosh/gosh.conf, or
// ~/.config/gosh/gosh.conf; "" when neither can be named.
func DefaultConfigFile() string {
	dir := os.Getenv("XDG_CONFIG_HOME")
	if dir == "" || !filepath.IsAbs(dir) {
		home, err := os.UserHomeDir()
		if err != nil || home == "" {
			return ""
		}
		dir = filepath.Join(home, ".config")
	}
	return filepath.Join(dir, "gosh", "gosh.conf")
}

// SourceConfig runs the configuration file at path, if there is one, as
// source-file would, with no client. A bad line stops nothing: each
// error ("gosh.conf:3: unknown command: foo") is logged, goes in the
// message log, and is shown on the status line of the first client to
// attach (tmux shows them in a pane then). It returns the errors.
func (s *Server) SourceConfig(path string) []error {
	if path == "" {
		return nil
	}
	if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
		return nil
	}
	s.cmdMu.Lock()
	e := &env{s: s, c: Client{Stdout: io.Discard, Cwd: filepath.Dir(path)}}
	errs := command.SourceFile(context.Background(), e, path, false, false)
	s.cmdMu.Unlock()
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, err := range errs {
		msg, _, _ := strings.Cut(err.Error(), "\n")
		s.log.Warn("configuration", "err", msg)
		s.addMessageLocked(msg)
		s.configErrors = append(s.configErrors, msg)
	}
	s.wakeClientsLocked()
	return errs
}

// showConfigErrorsLocked shows the configuration file's errors on c, the
// first client to attach since they were found: the first error, and how
// many more show-messages lists. Requires Server.mu.
func (c *client) showConfigErrorsLocked() {
	s := c.s
	if len(s.configErrors) == 0 {
		return
	}
	msg := s.configErrors[0]
	if n := len(s.configErrors) - 1; n > 0 {
		msg += fmt.Sprintf(" (and %d more: show-messages)", n)
	}
	s.configErrors = nil
	var w *Window
	if ss := c.session; ss != nil {
		w = ss.current
	}
	c.showMessageLocked(msg, max(s.optionIntLocked(w, "display-time"), 5000))
}
