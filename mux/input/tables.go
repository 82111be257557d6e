package input

import (
	"errors"
	"maps"
	"sort"
	"unicode/utf8"
)

// Key tables, as tmux's: a table maps key names to bindings. "root" is
// looked up for every key (bind-key -n), "prefix" for the key after the
// prefix key, and any other table (bind-key -T NAME) after
// switch-client -T NAME. A table holds bindings only while it has one:
// unbinding its last key removes it, as tmux does.
const (
	TableRoot   = "root"
	TablePrefix = "prefix"
)

// Keys is what every client's keys are matched against: the prefix keys
// and the key tables. As in tmux, they are the server's, not a client's
// or a session's. A Keys given to a State (Config.Keys, SetKeys) must not
// change: to change one, Clone it, change the copy, and give the copy
// (the daemon publishes each new set for its clients' loops to pick up).
type Keys struct {
	// Prefix switches to the prefix table (tmux's prefix option); the
	// zero Key is none.
	Prefix Key
	// Prefix2 does the same (prefix2); zero, tmux's None, is none.
	Prefix2 Key
	// Tables are the key tables by name.
	Tables map[string]Bindings

	// rootBytes and rootRunes say which keys typing's fast path (Plain)
	// must leave to Feed because the root table binds them: the keys of
	// single bytes (characters, C0 controls, DEL) and unmodified
	// non-ASCII characters. Kept by rootChanged.
	rootBytes [utf8.RuneSelf]bool
	rootRunes map[rune]bool
}

// DefaultKeys returns tmux's defaults: prefix C-b, no prefix2, the
// default prefix table (DefaultBindings) and an empty root table.
func DefaultKeys() *Keys {
	return &Keys{Prefix: Key{Rune: 'b', Mods: ModCtrl},
		Tables: map[string]Bindings{TablePrefix: DefaultBindings()}}
}

// Clone returns a copy of k that may be changed without changing k.
func (k *Keys) Clone() *Keys {
	c := *k
	c.Tables = make(map[string]Bindings, len(k.Tables))
	for name, t := range k.Tables {
		c.Tables[name] = maps.Clone(t)
	}
	c.rootRunes = maps.Clone(k.rootRunes)
	return &c
}

// Errors of Bind and Unbind, worded as tmux's.
var (
	ErrUnknownKey = errors.New("unknown key")
	ErrNoTable    = errors.New("table doesn't exist")
)

// KeyName returns the name tables keep a key under: tmux's name for the
// key that name parses to ("^A" and "c-a" are "C-a", "f5" is "F5", " "
// is "Space"), so that a binding is found whichever way it was written.
func KeyName(name string) (string, error) {
	k, err := ParseKey(name)
	if err != nil || k == (Key{}) {
		return "", errors.Join(ErrUnknownKey, errors.New(name))
	}
	if k.Code == KeyNone && k.Rune == ' ' {
		k.Rune, k.Code = 0, KeySpace // what the parser makes of a space
	}
	return k.String(), nil
}

// Bind binds key (any name KeyName takes) in table to b, creating the
// table if needed.
func (k *Keys) Bind(table, key string, b Binding) error {
	name, err := KeyName(key)
	if err != nil {
		return err
	}
	t := k.Tables[table]
	if t == nil {
		t = Bindings{}
		k.Tables[table] = t
	}
	t[name] = b
	if table == TableRoot {
		k.rootChanged()
	}
	return nil
}

// Unbind removes key's binding from table; a key not bound is no error
// (tmux's unbind-key), but a table that does not exist is.
func (k *Keys) Unbind(table, key string) error {
	name, err := KeyName(key)
	if err != nil {
		return err
	}
	t, ok := k.Tables[table]
	if !ok {
		return errors.Join(ErrNoTable, errors.New(table))
	}
	delete(t, name)
	if len(t) == 0 {
		delete(k.Tables, table)
	}
	if table == TableRoot {
		k.rootChanged()
	}
	return nil
}

// UnbindAll removes every binding of table (unbind-key -a).
func (k *Keys) UnbindAll(table string) error {
	if _, ok := k.Tables[table]; !ok {
		return errors.Join(ErrNoTable, errors.New(table))
	}
	delete(k.Tables, table)
	if table == TableRoot {
		k.rootChanged()
	}
	return nil
}

// TableNames returns the tables' names, sorted as tmux lists them.
func (k *Keys) TableNames() []string {
	names := make([]string, 0, len(k.Tables))
	for name := range k.Tables {
		names = append(names, name)
	}
	sort.Strings(names)
	return names
}

// rootChanged recomputes which typed keys the root table takes from the
// fast path. A byte's key is found the way Feed finds it: its parsed
// key's name.
func (k *Keys) rootChanged() {
	root := k.Tables[TableRoot]
	k.rootBytes = [utf8.RuneSelf]bool{}
	k.rootRunes = nil
	for c := range utf8.RuneSelf {
		if c == 0x1b {
			continue // ESC never takes the fast path
		}
		ev, _ := parseEvent([]byte{byte(c)}, true)
		_, k.rootBytes[c] = root[ev.key.String()]
	}
	for name := range root {
		if r, n := utf8.DecodeRuneInString(name); r >= utf8.RuneSelf && n == len(name) {
			if k.rootRunes == nil {
				k.rootRunes = map[rune]bool{}
			}
			k.rootRunes[r] = true
		}
	}
}

// rootBinds reports whether the root table binds typed key ev, a key
// that Plain is looking at (no ESC).
func (k *Keys) rootBinds(ev event) bool {
	if len(ev.raw) == 1 && ev.raw[0] < utf8.RuneSelf {
		return k.rootBytes[ev.raw[0]]
	}
	return ev.key.Mods == 0 && ev.key.Code == KeyNone && k.rootRunes[ev.key.Rune]
}

// isPrefix reports whether key is one of the prefix keys.
func (k *Keys) isPrefix(key Key) bool {
	return key == k.Prefix || (k.Prefix2 != Key{} && key == k.Prefix2)
}
