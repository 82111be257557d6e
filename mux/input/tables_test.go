package input_test

import (
	"errors"
	"fmt"
	"testing"

	"github.com/goshterm/gosh/mux/input"
)

// keysWith returns the default keys changed by f.
func keysWith(t *testing.T, f func(k *input.Keys) error) *input.Keys {
	t.Helper()
	k := input.DefaultKeys()
	if err := f(k); err != nil {
		t.Fatal(err)
	}
	return k
}

// TestRootTable: a key the root table binds (bind-key -n) acts without
// the prefix, every time; other keys still reach the pane, and a pane in
// copy mode takes the key instead, as tmux's mode table replaces root.
func TestRootTable(t *testing.T) {
	k := keysWith(t, func(k *input.Keys) error {
		if err := k.Bind(input.TableRoot, "F5", input.Binding{Command: "new-window"}); err != nil {
			return err
		}
		return k.Bind(input.TableRoot, "^Y", input.Binding{Command: "next-window"})
	})
	in := input.New(input.Config{Keys: k})
	ctx := &input.Context{}
	if got, want := show(feed(in, ctx, []byte("a\x1b[15~b\x19\x1b[15~"), t0)), `send 0 "a"; cmd new-window; send 0 "b"; cmd next-window; cmd new-window`; got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
	// The prefix table is unchanged.
	if got := show(feed(in, ctx, []byte("\x02c"), t0)); got != "cmd new-window" {
		t.Errorf("prefix c: %s", got)
	}
	ctx.Panes = []input.PaneState{{ID: 0, CopyMode: true}}
	if got := show(feed(in, ctx, []byte("\x19"), t0)); got != "copy-key 0 C-y" {
		t.Errorf("C-y in copy mode: %s", got)
	}
}

// TestChangedPrefix: with prefix C-a the old prefix is an ordinary key,
// C-a C-a sends C-a (send-prefix sends the prefix in use), and prefix2
// works as a second prefix.
func TestChangedPrefix(t *testing.T) {
	k := input.DefaultKeys()
	k.Prefix = input.Key{Rune: 'a', Mods: input.ModCtrl}
	k.Prefix2 = input.Key{Code: input.KeyF12}
	in := input.New(input.Config{Keys: k})
	ctx := &input.Context{}
	cases := []struct{ in, want string }{
		{"\x01c", "cmd new-window"},
		{"\x02c", `send 0 "\x02c"`},
		{"\x01\x01", `send 0 "\x01"`},
		{"\x01\x02", `send 0 "\x01"`}, // the default C-b binding: send-prefix
		{"\x1b[24~n", "cmd next-window"},
		{"\x1b[24~\x1b[24~", `send 0 "\x1b[24~"`},
	}
	for _, c := range cases {
		if got := show(feed(in, ctx, []byte(c.in), t0)); got != c.want {
			t.Errorf("%q: got %s, want %s", c.in, got, c.want)
		}
	}
	if in.Plain([]byte("x\x01"), t0) || !in.Plain([]byte("x\x02"), t0) {
		t.Error("Plain does not follow the new prefix")
	}
}

// TestControlKeyNames: a control key bound by any of its names is the
// byte a terminal sends for it: C-@ (NUL) as a prefix and C-m (CR) in
// the root table.
func TestControlKeyNames(t *testing.T) {
	keys := keysWith(t, func(k *input.Keys) error {
		name, err := input.KeyName("C-@")
		if err != nil {
			return err
		}
		if k.Prefix, err = input.ParseKey(name); err != nil {
			return err
		}
		return k.Bind(input.TableRoot, "C-m", input.Binding{Command: "next-window"})
	})
	in := input.New(input.Config{Keys: keys})
	if got := show(feed(in, &input.Context{}, []byte("\x00c\r"), t0)); got != "cmd new-window; cmd next-window" {
		t.Errorf("C-@ c C-m: %s", got)
	}
	if in.Plain([]byte("\r"), t0) || in.Plain([]byte("\x00"), t0) {
		t.Error("Plain takes C-m or C-@, which are bound")
	}
}

// TestSetKeys: a State given new keys (bind-key, unbind-key) uses them
// from the next key on.
func TestSetKeys(t *testing.T) {
	in := input.New(input.Config{})
	ctx := &input.Context{}
	k := in.Keys().Clone()
	if err := k.Unbind(input.TablePrefix, "c"); err != nil {
		t.Fatal(err)
	}
	if err := k.Bind(input.TableRoot, "x", input.Binding{Command: "kill-pane"}); err != nil {
		t.Fatal(err)
	}
	if got := show(feed(in, ctx, []byte("\x02c"), t0)); got != "cmd new-window" {
		t.Errorf("before SetKeys, prefix c: %s", got)
	}
	in.SetKeys(k)
	if got := show(feed(in, ctx, []byte("\x02cx"), t0)); got != "cmd kill-pane" {
		t.Errorf("after SetKeys, prefix c x: %s, want c unbound and x bound", got)
	}
	if in.Plain([]byte("x"), t0) {
		t.Error("Plain(x) with x bound in root")
	}
}

// TestSetTable: switch-client -T opens a table for the next key only.
func TestSetTable(t *testing.T) {
	k := keysWith(t, func(k *input.Keys) error {
		return k.Bind("resize", "h", input.Binding{Command: "resize-pane -L", Repeat: true})
	})
	in := input.New(input.Config{Keys: k})
	ctx := &input.Context{}
	in.SetTable("resize")
	if in.Plain([]byte("h"), t0) || in.Table() != "resize" {
		t.Errorf("in table resize: Plain(h) or Table %q", in.Table())
	}
	if got := show(feed(in, ctx, []byte("h"), t0)); got != "cmd resize-pane -L" {
		t.Errorf("h in table resize: %s", got)
	}
	// -r: within the repeat time the table's key repeats.
	if got := show(feed(in, ctx, []byte("hx"), t0)); got != `cmd resize-pane -L; send 0 "x"` {
		t.Errorf("h x after a repeating binding: %s", got)
	}
	in.SetTable(input.TablePrefix)
	if !in.Prefixed() {
		t.Error("SetTable(prefix) is not Prefixed")
	}
	if got := show(feed(in, ctx, []byte("c"), t0)); got != "cmd new-window" {
		t.Errorf("c after SetTable(prefix): %s", got)
	}
}

// TestTableKeyOrder: with a table open (the prefix, or switch-client -T),
// a key is matched as tmux matches it: the prefix key opens the prefix
// table from any other table, even one that binds it; a key the open
// table does not bind runs the root table's binding; a key neither binds
// reaches no pane.
func TestTableKeyOrder(t *testing.T) {
	k := keysWith(t, func(k *input.Keys) error {
		if err := k.Bind(input.TableRoot, "F5", input.Binding{Command: "new-window"}); err != nil {
			return err
		}
		if err := k.Bind("mine", "C-b", input.Binding{Command: "kill-pane"}); err != nil {
			return err
		}
		return k.Bind("mine", "x", input.Binding{Command: "kill-window"})
	})
	in := input.New(input.Config{Keys: k})
	ctx := &input.Context{}
	cases := []struct {
		table, in, want string
	}{
		{input.TablePrefix, "\x1b[15~", "cmd new-window"},
		{input.TablePrefix, "gz", `send 0 "z"`},
		{"mine", "\x1b[15~", "cmd new-window"},
		{"mine", "gz", `send 0 "z"`},
		{"mine", "\x02c", "cmd new-window"},
		{"mine", "x", "cmd kill-window"},
	}
	for _, c := range cases {
		in.SetTable(c.table)
		if got := show(feed(in, ctx, []byte(c.in), t0)); got != c.want {
			t.Errorf("table %s, %q: got %s, want %s", c.table, c.in, got, c.want)
		}
	}
}

// TestSequenceBinding: a binding of several commands is one Command
// action, even when it starts with a command State would carry out
// itself.
func TestSequenceBinding(t *testing.T) {
	k := keysWith(t, func(k *input.Keys) error {
		return k.Bind(input.TablePrefix, "y", input.Binding{Command: `copy-mode \; send-keys -X cursor-up`})
	})
	in := input.New(input.Config{Keys: k})
	if got := show(feed(in, &input.Context{}, []byte("\x02y"), t0)); got != `cmd copy-mode \; send-keys -X cursor-up` {
		t.Errorf("got %s", got)
	}
}

func TestKeyName(t *testing.T) {
	cases := map[string]string{"^A": "C-a", "c-A": "C-a", "f5": "F5", " ": "Space", "space": "Space",
		"M-x": "M-x", "%": "%", "é": "é", "C-Up": "C-Up",
		"C-i": "Tab", "C-m": "Enter", "C-[": "Escape", "C-@": "C-Space", "^@": "C-Space", "C-?": "BSpace",
		"C-h": "C-h", "C-\\": "C-\\", "KP0": "KP0", "S-a": "S-a"}
	for in, want := range cases {
		if got, err := input.KeyName(in); err != nil || got != want {
			t.Errorf("KeyName(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "None", "Foo", "X-a", "ab"} {
		if _, err := input.KeyName(bad); !errors.Is(err, input.ErrUnknownKey) {
			t.Errorf("KeyName(%q): %v, want ErrUnknownKey", bad, err)
		}
	}
	k := input.DefaultKeys()
	if err := k.Unbind("nosuch", "c"); !errors.Is(err, input.ErrNoTable) {
		t.Errorf("Unbind in a missing table: %v", err)
	}
	if err := k.UnbindAll(input.TablePrefix); err != nil || len(k.TableNames()) != 0 {
		t.Errorf("UnbindAll(prefix): %v, tables %v", err, k.TableNames())
	}
	// Root and prefix exist even empty; unbinding in them is no error.
	if !k.HasTable(input.TableRoot) || !k.HasTable(input.TablePrefix) || k.HasTable("nosuch") {
		t.Error("HasTable: root and prefix must exist, nosuch must not")
	}
	if err := k.UnbindAll(input.TableRoot); err != nil {
		t.Errorf("UnbindAll(root) of an empty root: %v", err)
	}
	if err := k.Unbind(input.TablePrefix, "c"); err != nil {
		t.Errorf("Unbind in an empty prefix table: %v", err)
	}
}

// BenchmarkPlain is typing's fast-path check for one typed key and for a
// line, with tmux's default keys and with a root table (bind-key -n)
// and prefix2 set, which Plain must look through.
func BenchmarkPlain(b *testing.B) {
	root := input.DefaultKeys()
	for _, key := range []string{"F5", "C-y", "é", "C-t"} {
		if err := root.Bind(input.TableRoot, key, input.Binding{Command: "new-window"}); err != nil {
			b.Fatal(err)
		}
	}
	root.Prefix2 = input.Key{Rune: 'a', Mods: input.ModCtrl}
	for _, k := range []struct {
		name string
		keys *input.Keys
	}{{"default", input.DefaultKeys()}, {"root", root}} {
		for _, chunk := range []string{"x", "echo hello world\r"} {
			b.Run(fmt.Sprintf("%s/%d", k.name, len(chunk)), func(b *testing.B) {
				in := input.New(input.Config{Keys: k.keys})
				typed := []byte(chunk)
				b.ReportAllocs()
				for b.Loop() {
					if !in.Plain(typed, t0) {
						b.Fatal("not plain")
					}
				}
			})
		}
	}
}

// TestKeysAllocateNothing: the work a key table adds to every typed key
// allocates nothing: typing's fast path (Plain) looking through the
// root table's stops, and a key's name looked up in the root table (a
// bound key, and an unbound one that goes to the pane).
func TestKeysAllocateNothing(t *testing.T) {
	k := keysWith(t, func(k *input.Keys) error {
		for _, key := range []string{"F5", "é", "C-y"} {
			if err := k.Bind(input.TableRoot, key, input.Binding{Command: "new-window"}); err != nil {
				return err
			}
		}
		return nil
	})
	in := input.New(input.Config{Keys: k})
	line := []byte("echo héllo\r")
	if n := testing.AllocsPerRun(100, func() { in.Plain(line, t0) }); n != 0 {
		t.Errorf("Plain(%q): %v allocations", line, n)
	}
	ctx := &input.Context{}
	for _, key := range []string{"\x1b[15~", "\x1b[16~"} {
		in.Feed(ctx, []byte(key), t0) // the arenas grow once
		if n := testing.AllocsPerRun(100, func() { in.Feed(ctx, []byte(key), t0) }); n != 0 {
			t.Errorf("Feed(%q): %v allocations", key, n)
		}
	}
}
