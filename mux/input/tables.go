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
// switch-client -T NAME. Root and prefix always exist, empty or not; any
// other table exists while it has a binding: unbinding its last key
// removes it, as tmux does.
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
	return &c
}

// Errors of KeyName, Bind and Unbind, each joined with the name at fault
// on the next line (mux words them for the user as tmux does).
var (
	ErrUnknownKey = errors.New("input: unknown key")
	ErrNoTable    = errors.New("input: no such key table")
)

// KeyName returns the name tables keep a key under: tmux's name for the
// key that name parses to ("^A" and "c-a" are "C-a", "f5" is "F5", " "
// is "Space"), so that a binding is found whichever way it was written.
func KeyName(name string) (string, error) {
	k, err := ParseKey(name)
	if err != nil || k == (Key{}) {
		return "", errors.Join(ErrUnknownKey, errors.New(name))
	}
	switch {
	case k.Code == KeyNone && k.Rune == ' ':
		k.Rune, k.Code = 0, KeySpace // what the parser makes of a space
	case k.Code == KeyNone && k.Mods == ModCtrl:
		// A control key is the one byte a terminal sends for it, so it
		// goes under the name the parser gives that byte, as tmux
		// converts them: C-i is Tab, C-m Enter, C-[ Escape, C-@ and
		// C-2 C-Space, C-? BSpace. Else such a binding never matched.
		if c, ok := ctrlByte(k.Rune); ok {
			k = controlKey(c)
		}
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
		return noTable(table)
	}
	delete(t, name)
	if len(t) == 0 {
		delete(k.Tables, table)
	}
	return nil
}

// UnbindAll removes every binding of table (unbind-key -a).
func (k *Keys) UnbindAll(table string) error {
	if _, ok := k.Tables[table]; !ok {
		return noTable(table)
	}
	delete(k.Tables, table)
	return nil
}

// HasTable reports whether table exists: root and prefix always do.
func (k *Keys) HasTable(table string) bool {
	_, ok := k.Tables[table]
	return ok || table == TableRoot || table == TablePrefix
}

// noTable is Unbind's error for a table that is not there: none for root
// and prefix, which always exist.
func noTable(table string) error {
	if table == TableRoot || table == TablePrefix {
		return nil
	}
	return errors.Join(ErrNoTable, errors.New(table))
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

// isPrefix reports whether key is one of the prefix keys.
func (k *Keys) isPrefix(key Key) bool {
	return key == k.Prefix || (k.Prefix2 != Key{} && key == k.Prefix2)
}

// plainStops says which typed keys typing's fast path (Plain) must leave
// to Feed with a set of keys: the prefix keys and the keys the root table
// binds. A byte's key is found the way Feed finds it (its parsed key, and
// that key's name in the table).
type plainStops struct {
	bytes [utf8.RuneSelf]bool // ASCII bytes: characters, C0 controls, DEL, and ESC
	runes map[rune]bool       // unmodified non-ASCII characters
}

func newPlainStops(k *Keys) plainStops {
	var p plainStops
	root := k.Tables[TableRoot]
	p.bytes[0x1b] = true // ESC, and every sequence, takes the slow way
	for c := range utf8.RuneSelf {
		if c == 0x1b {
			continue
		}
		ev, _ := parseEvent([]byte{byte(c)}, true)
		_, bound := root[ev.key.String()]
		p.bytes[c] = bound || k.isPrefix(ev.key)
	}
	stopRune := func(key Key) {
		if key.Mods == 0 && key.Code == KeyNone && key.Rune >= utf8.RuneSelf {
			if p.runes == nil {
				p.runes = map[rune]bool{}
			}
			p.runes[key.Rune] = true
		}
	}
	stopRune(k.Prefix)
	stopRune(k.Prefix2)
	for name := range root {
		if r, n := utf8.DecodeRuneInString(name); n == len(name) {
			stopRune(Key{Rune: r})
		}
	}
	return p
}

// stopsRune reports whether a typed non-ASCII key (a character, or an
// invalid byte's RuneError) is one Plain must leave to Feed.
func (p *plainStops) stopsRune(k Key) bool {
	return p.runes != nil && k.Mods == 0 && k.Code == KeyNone && p.runes[k.Rune]
}
