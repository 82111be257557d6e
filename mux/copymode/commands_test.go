package copymode_test

import (
	"testing"

	"github.com/goshterm/gosh/mux/copymode"
	"github.com/goshterm/gosh/vt"
)

type cmd struct {
	name string
	n    int
	args []string
}

// run runs commands as send-keys -X does and returns what they copied.
func run(t *testing.T, m *copymode.Mode, cmds []cmd) (copied []string, done bool) {
	t.Helper()
	for _, c := range cmds {
		res, known := m.Command(c.name, c.n, c.args)
		if !known {
			t.Fatalf("command %q unknown", c.name)
		}
		if res.Copy {
			copied = append(copied, res.Text)
		}
		if res.Done {
			return copied, true
		}
	}
	return copied, false
}

// TestCommandsCopyAsTmux: the same send-keys -X script copies what tmux
// 3.3a copied (its buffers after the script, oldest first) in both key
// tables, and copy-selection-and-cancel ends copy mode.
func TestCommandsCopyAsTmux(t *testing.T) {
	script := []cmd{
		{name: "history-top"}, {name: "cursor-down"}, {name: "begin-selection"}, {name: "cursor-right", n: 3}, {name: "copy-selection"},
		{name: "search-backward", args: []string{"beta"}}, {name: "begin-selection"}, {name: "cursor-down"}, {name: "copy-selection-and-cancel"},
	}
	for _, c := range []struct {
		keys copymode.KeyTable
		want []string
	}{
		{copymode.Emacs, []string{"gam", "beta\ngamma "}},
		{copymode.Vi, []string{"gamm", "beta\ngamma d"}},
	} {
		s := vt.NewScreen(30, 6)
		s.WriteString("alpha beta\r\ngamma delta\r\nlast line\r\n")
		m := copymode.New(s, copymode.Config{Keys: c.keys})
		got, done := run(t, m, script)
		if len(got) != len(c.want) || !done {
			t.Fatalf("keys %d: copied %q (done %v), want %q and done", c.keys, got, done, c.want)
		}
		for i := range got {
			if got[i] != c.want[i] {
				t.Errorf("keys %d: copy %d = %q, want %q (tmux 3.3a)", c.keys, i, got[i], c.want[i])
			}
		}
	}
}

// TestCommandsMoveAndCancel: motions take a repeat count, cancel ends copy
// mode, and unknown commands (or missing arguments) are reported so that
// send-keys -X can ignore them as tmux does.
func TestCommandsMoveAndCancel(t *testing.T) {
	m := copymode.New(numbered(20, 5, 30), copymode.Config{Keys: copymode.Vi})
	top, _ := m.Cursor()
	m.Command("cursor-up", 3, nil)
	if l, _ := m.Cursor(); l != top-3 {
		t.Errorf("cursor-up -N 3: line %d, want %d", l, top-3)
	}
	m.Command("history-top", 1, nil)
	m.Command("cursor-right", 4, nil)
	if l, c := m.Cursor(); l != 0 || c != 4 {
		t.Errorf("history-top, cursor-right -N 4: %d,%d, want 0,4", l, c)
	}
	if _, known := m.Command("no-such-command", 1, nil); known {
		t.Error("an unknown command was known")
	}
	if _, known := m.Command("search-forward", 1, nil); known {
		t.Error("search-forward without its argument ran")
	}
	if res, _ := m.Command("cancel", 1, nil); !res.Done {
		t.Error("cancel did not end copy mode")
	}
}
