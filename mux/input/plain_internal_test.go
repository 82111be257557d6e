package input

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/goshterm/gosh/mux/layout"
	"github.com/goshterm/gosh/vt"
)

// plainT0 is the tests' clock's start.
var plainT0 = time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)

// plainState is the part of a State that Feed may change and that
// decides what later input does (not the scratch of out and arena).
type plainState struct {
	buf                                      string
	table, repeatTable                       string
	repeatUntil                              time.Time
	confirmCmd, prompt                       string
	cmdPrompt                                *CommandPrompt
	pause, paused                            bool
	pasting, pasteDrop, pasteMarked          bool
	pastePane                                layout.PaneID
	dragging, capturing, selecting, selMoved bool
	drag                                     layout.Border
	capture, selPane                         layout.PaneID
	captureOff, selRect                      layout.Rect
	selX, selY                               int
}

func plainStateOf(s *State) plainState {
	return plainState{buf: string(s.buf), table: s.table, repeatTable: s.repeatTable, repeatUntil: s.repeatUntil,
		confirmCmd: s.confirmCmd, prompt: s.prompt, cmdPrompt: s.cmdPrompt, pause: s.pause, paused: s.paused,
		pasting: s.pasting, pasteDrop: s.pasteDrop, pasteMarked: s.pasteMarked, pastePane: s.pastePane,
		dragging: s.dragging, capturing: s.capturing, selecting: s.selecting, selMoved: s.selMoved,
		drag: s.drag, capture: s.capture, selPane: s.selPane, captureOff: s.captureOff, selRect: s.selRect,
		selX: s.selX, selY: s.selY}
}

// plainBindings are the default bindings and a repeating binding on a
// plain key, as a user's bind-key -r could make: within the repeat time
// it acts without the prefix, so the key is not plain then.
func plainBindings() Bindings {
	b := DefaultBindings()
	b["k"] = Binding{Command: "select-pane -U", Repeat: true}
	return b
}

// plainKeys are key sets a user's configuration could make: root
// bindings (bind-key -n) on typed keys, a changed prefix and a prefix2,
// and a table of their own; each must keep its keys from the fast path.
func plainKeys(t *testing.T) []*Keys {
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	root := DefaultKeys()
	must(root.Bind(TablePrefix, "k", Binding{Command: "select-pane -U", Repeat: true}))
	must(root.Bind(TableRoot, "a", Binding{Command: "new-window"}))
	must(root.Bind(TableRoot, "é", Binding{Command: "next-window"}))
	must(root.Bind(TableRoot, "C-u", Binding{Command: "last-window"}))
	must(root.Bind(TableRoot, "Space", Binding{Command: "switch-client -T other"}))
	must(root.Bind(TableRoot, "Enter", Binding{Command: "select-pane -D", Repeat: true}))
	must(root.Bind("other", "y", Binding{Command: "kill-pane"}))

	prefixed := root.Clone()
	prefixed.Prefix = Key{Rune: 'a', Mods: ModCtrl}
	prefixed.Prefix2 = Key{Rune: 'x'}
	must(prefixed.Unbind(TableRoot, "a"))
	must(prefixed.Bind(TableRoot, "C-b", Binding{Command: "send-prefix"}))

	// A root table emptied again takes nothing from the fast path; a
	// character as prefix2 does.
	emptied := prefixed.Clone()
	must(emptied.UnbindAll(TableRoot))
	emptied.Prefix2 = Key{Rune: 'é'}
	return []*Keys{root, prefixed, emptied}
}

// TestPlainIsFeedSendingAsIs drives States with random input in random
// chunks, as a client's reads bring it, and checks Plain against Feed:
// whenever Plain says a chunk is plain, Feed of that chunk sends exactly
// those bytes to the active pane and nothing else, and leaves the state
// as it was, so that a caller that writes the chunk itself and skips
// Feed does the same. The alphabet has the prefix, ESC and the pieces of
// sequences, pastes and prompts, so every state Plain must refuse occurs.
// The key sets include root bindings and changed prefix keys (plainKeys),
// changed in mid-run as bind-key and set-option prefix do (SetKeys), and
// switch-client -T's tables (SetTable).
func TestPlainIsFeedSendingAsIs(t *testing.T) {
	alphabet := [][]byte{
		[]byte("a"), []byte("k"), []byte("y"), []byte("x"), []byte(" "), []byte("\r"), []byte("\x7f"), []byte("\x15"),
		[]byte("\x00"), []byte("\x02"), []byte("\x01"), []byte("\x1b"), []byte("["), []byte("A"), []byte("O"),
		[]byte("é"), []byte{0xc3}, []byte{0xa9}, []byte{0x9b}, []byte("\x1b[200~"), []byte("\x1b[201~"),
		[]byte("\x1b[A"), []byte("\x1bOx"), []byte("\x1b[<0;3;4M"), []byte("%"), []byte(":"), []byte("&"),
	}
	configs := []Config{
		{Bindings: plainBindings()},
		{Prefix: Key{Rune: 'a', Mods: ModCtrl}, Bindings: plainBindings()},
		{Prefix: Key{Rune: 'x'}, Bindings: plainBindings()}, // a character as the prefix
		{Prefix: Key{Rune: 'é'}, Bindings: plainBindings()},
	}
	keySets := plainKeys(t)
	for _, k := range keySets {
		configs = append(configs, Config{Keys: k})
	}
	plains := 0
	for ci, cfg := range configs {
		rng := rand.New(rand.NewPCG(uint64(ci), 1))
		for run := range 300 {
			s := New(cfg)
			now := plainT0
			modes := vt.Modes{AppCursorKeys: run%2 == 0, AppKeypad: run%3 == 0, BracketedPaste: run%5 == 0}
			ctx := func() *Context {
				return &Context{Active: 1, Panes: []PaneState{{ID: 0}, {ID: 1, Modes: modes}}}
			}
			for step := range 40 {
				var chunk []byte
				for range 1 + rng.IntN(4) {
					chunk = append(chunk, alphabet[rng.IntN(len(alphabet))]...)
				}
				now = now.Add(time.Duration(rng.IntN(700)) * time.Millisecond)
				if d, ok := s.Deadline(); ok && !now.Before(d) && rng.IntN(2) == 0 {
					s.Flush(ctx(), now)
					s.TakePaused()
				}
				if s.cmdPrompt == nil && rng.IntN(60) == 0 {
					s.StartPrompt(CommandPrompt{Template: "rename-window '%%'"})
				}
				if cfg.Keys != nil && rng.IntN(20) == 0 {
					s.SetKeys(keySets[rng.IntN(len(keySets))])
				}
				if rng.IntN(40) == 0 {
					s.SetTable([]string{TablePrefix, TableRoot, "other"}[rng.IntN(3)])
				}
				before := plainStateOf(s)
				plain := s.Plain(chunk, now)
				out := s.Feed(ctx(), chunk, now)
				if plain {
					plains++
					want := fmt.Sprintf("[{Send 1 %q}]", chunk)
					if got := showActions(out); got != want {
						t.Fatalf("config %d run %d step %d: Plain(%q) in state %+v, but Feed gives %s, want %s",
							ci, run, step, chunk, before, got, want)
					}
					if after := plainStateOf(s); after != before {
						t.Fatalf("config %d run %d step %d: Plain(%q), but Feed changed the state\nfrom %+v\nto   %+v",
							ci, run, step, chunk, before, after)
					}
				}
				s.TakePaused()
			}
		}
	}
	if plains < 2000 {
		t.Errorf("only %d plain chunks: the test checks too little", plains)
	}
}

func showActions(as []Action) string {
	var b bytes.Buffer
	b.WriteString("[")
	for i, a := range as {
		if i > 0 {
			b.WriteString(" ")
		}
		switch a.Kind {
		case Send:
			fmt.Fprintf(&b, "{Send %d %q}", a.Pane, a.Bytes)
		default:
			fmt.Fprintf(&b, "{%d %q %q}", a.Kind, a.Command, a.Bytes)
		}
	}
	b.WriteString("]")
	return b.String()
}

// TestPlain names the cases: typing is plain; the prefix, sequences and
// every state that gives keys another meaning are not.
func TestPlain(t *testing.T) {
	ctx := &Context{Active: 0, Panes: []PaneState{{ID: 0}}}
	plain := []string{"x", "hello world", "\r", "\x7f", "\x15", "\t", "\x00", "é中", string([]byte{0x9b})}
	for _, b := range plain {
		if !New(Config{}).Plain([]byte(b), plainT0) {
			t.Errorf("Plain(%q) = false for a fresh state, want true", b)
		}
	}
	notPlain := []string{"", "\x02", "ab\x02", "\x1b", "a\x1b[A", "\x1bOp", string([]byte{0xc3})}
	for _, b := range notPlain {
		if New(Config{}).Plain([]byte(b), plainT0) {
			t.Errorf("Plain(%q) = true for a fresh state, want false", b)
		}
	}
	if New(Config{Prefix: Key{Rune: 'a', Mods: ModCtrl}}).Plain([]byte("\x01"), plainT0) {
		t.Error(`Plain("\x01") = true with prefix C-a`)
	}
	if !New(Config{Prefix: Key{Rune: 'a', Mods: ModCtrl}}).Plain([]byte("\x02"), plainT0) {
		t.Error(`Plain("\x02") = false with prefix C-a: C-b is an ordinary key then`)
	}

	states := []struct {
		name  string
		setup func(s *State) time.Time
	}{
		{"after the prefix", func(s *State) time.Time { s.Feed(ctx, []byte("\x02"), plainT0); return plainT0 }},
		{"after a lone ESC", func(s *State) time.Time { s.Feed(ctx, []byte("\x1b"), plainT0); return plainT0 }},
		{"in a confirm-before prompt", func(s *State) time.Time { s.Feed(ctx, []byte("\x02x"), plainT0); return plainT0 }},
		{"in a command prompt", func(s *State) time.Time {
			s.StartPrompt(CommandPrompt{Template: "rename-window '%%'"})
			return plainT0
		}},
		{"in a bracketed paste", func(s *State) time.Time { s.Feed(ctx, []byte("\x1b[200~"), plainT0); return plainT0 }},
		{"within the repeat time", func(s *State) time.Time {
			s.Feed(ctx, []byte("\x02k"), plainT0)
			return plainT0.Add(DefaultRepeatTime / 2)
		}},
		{"with keys left after a binding", func(s *State) time.Time { s.Feed(ctx, []byte("\x02%ab"), plainT0); return plainT0 }},
	}
	for _, st := range states {
		s := New(Config{Bindings: plainBindings()})
		now := st.setup(s)
		if s.Plain([]byte("k"), now) {
			t.Errorf("%s: Plain(%q) = true, want false", st.name, "k")
		}
	}
	// The repeat time over, a repeating key is plain again.
	s := New(Config{Bindings: plainBindings()})
	s.Feed(ctx, []byte("\x02k"), plainT0)
	if !s.Plain([]byte("k"), plainT0.Add(DefaultRepeatTime)) {
		t.Error("Plain(k) = false after the repeat time")
	}
}
