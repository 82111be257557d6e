package input_test

import (
	"bytes"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/goshterm/gosh/mux/input"
	"github.com/goshterm/gosh/mux/layout"
	"github.com/goshterm/gosh/vt"
)

var t0 = time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)

// twoPanes is an 81x24 window split side by side:
//
//	0        39 40 41       80
//	│ pane 0   │ │ pane 1    │
func twoPanes(t testing.TB) *layout.Tree {
	tree := layout.New(81, 24, 0)
	if err := tree.Split(0, layout.Horizontal, 1, layout.Size{}, false); err != nil {
		t.Fatal(err)
	}
	return tree
}

// feed is Feed as the multiplexer calls it: after a binding's action it
// feeds the keys that followed in the same read again (TakePaused).
func feed(in *input.State, ctx *input.Context, b []byte, now time.Time) []input.Action {
	var out []input.Action
	for range len(b) + 1 {
		out = append(out, keep(in.Feed(ctx, b, now))...)
		if b = in.TakePaused(); len(b) == 0 {
			break
		}
	}
	return out
}

// keep copies actions, which the next Feed or Flush reuses.
func keep(as []input.Action) []input.Action {
	out := slices.Clone(as)
	for i := range out {
		out[i].Bytes = bytes.Clone(out[i].Bytes)
	}
	return out
}

// show formats actions compactly for comparison.
func show(as []input.Action) string {
	var out []string
	for _, a := range as {
		switch a.Kind {
		case input.Send:
			out = append(out, fmt.Sprintf("send %d %q", a.Pane, a.Bytes))
		case input.Command:
			out = append(out, "cmd "+a.Command)
		case input.CopyMode:
			out = append(out, fmt.Sprintf("copy-mode %d %s", a.Pane, a.Command))
		case input.CopyKey:
			out = append(out, fmt.Sprintf("copy-key %d %s", a.Pane, a.Key))
		case input.Focus:
			out = append(out, fmt.Sprintf("focus %d", a.Pane))
		case input.DragBorder:
			out = append(out, fmt.Sprintf("drag %+v to %d", a.Border, a.To))
		case input.Wheel:
			out = append(out, fmt.Sprintf("wheel %d %d", a.Pane, a.Lines))
		case input.Detach:
			out = append(out, "detach")
		case input.Click:
			out = append(out, fmt.Sprintf("click %d,%d", a.X, a.Y))
		}
	}
	return strings.Join(out, "; ")
}

func TestKeys(t *testing.T) {
	plain := vt.Modes{}
	appCursor := vt.Modes{AppCursorKeys: true, AppKeypad: true}
	cases := []struct {
		name  string
		modes vt.Modes
		in    string
		want  string
	}{
		{"text", plain, "ls -l\r", `send 0 "ls -l\r"`},
		{"utf-8", plain, "héllo 中", `send 0 "héllo 中"`},
		{"split -h", plain, "\x02%", "cmd split-window -h"},
		{"split -v", plain, "\x02\"", "cmd split-window -v"},
		{"select-pane by CSI arrow", plain, "\x02\x1b[A", "cmd select-pane -U"},
		{"select-pane by SS3 arrow", plain, "\x02\x1bOD", "cmd select-pane -L"},
		{"next pane", plain, "\x02o", "cmd select-pane -t :.+"},
		{"zoom", plain, "\x02z", "cmd resize-pane -Z"},
		{"new window", plain, "\x02c", "cmd new-window"},
		{"next and previous window", plain, "\x02n\x02p", "cmd next-window; cmd previous-window"},
		{"window 7", plain, "\x027", "cmd select-window -t :=7"},
		{"detach", plain, "\x02d", "detach"},
		{"copy mode", plain, "\x02[", "copy-mode 0 copy-mode"},
		{"list keys", plain, "\x02?", "cmd list-keys -N"},
		{"C-b C-b sends C-b", plain, "a\x02\x02b", `send 0 "a\x02b"`},
		{"unbound key after prefix is dropped", plain, "\x02Ka", `send 0 "a"`},
		{"SS3 arrows to a normal-mode pane become CSI", plain, "\x1bOA\x1bOB\x1bOH", `send 0 "\x1b[A\x1b[B\x1b[H"`},
		{"CSI arrows to an app-cursor pane become SS3", appCursor, "\x1b[C\x1b[D", `send 0 "\x1bOC\x1bOD"`},
		{"modified arrows pass", appCursor, "\x1b[1;5A", `send 0 "\x1b[1;5A"`},
		{"keypad in numeric mode", plain, "\x1bOp\x1bOk\x1bOM", `send 0 "0+\r"`},
		{"keypad in application mode", appCursor, "\x1bOp\x1bOM", `send 0 "\x1bOp\x1bOM"`},
		{"function and editing keys pass", plain, "\x1bOP\x1b[15~\x1b[3~\x1b[Z", `send 0 "\x1bOP\x1b[15~\x1b[3~\x1b[Z"`},
		{"alt keys pass", plain, "\x1bx\x1b\x01", `send 0 "\x1bx\x1b\x01"`},
		{"unknown sequences pass", plain, "\x1b[?1;2c", `send 0 "\x1b[?1;2c"`},
		{"focus dropped when not asked", plain, "\x1b[Ia\x1b[O", `send 0 "a"`},
		{"focus forwarded when asked", vt.Modes{FocusEvents: true}, "\x1b[I", `send 0 "\x1b[I"`},
		{"paste stripped for a pane without 2004", plain, "\x1b[200~echo hi\r\x1b[201~", `send 0 "echo hi\r"`},
		{"paste kept for a pane with 2004", vt.Modes{BracketedPaste: true}, "\x1b[200~x\x1b[201~", `send 0 "\x1b[200~x\x1b[201~"`},
		{"prefix inside a paste is text", plain, "\x1b[200~\x02%\x1b[201~", `send 0 "\x02%"`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			in := input.New(input.Config{})
			ctx := &input.Context{Active: 0, Panes: []input.PaneState{{ID: 0, Modes: tc.modes}}}
			got := show(feed(in, ctx, []byte(tc.in), t0))
			if got != tc.want {
				t.Errorf("Feed(%q)\n got %s\nwant %s", tc.in, got, tc.want)
			}
		})
	}
}

func TestRepeat(t *testing.T) {
	in := input.New(input.Config{})
	ctx := &input.Context{}
	got := show(in.Feed(ctx, []byte("\x02\x1b[A"), t0))
	got += " | " + show(in.Feed(ctx, []byte("\x1b[B"), t0.Add(300*time.Millisecond)))
	got += " | " + show(in.Feed(ctx, []byte("\x1b[B"), t0.Add(700*time.Millisecond)))
	got += " | " + show(in.Feed(ctx, []byte("\x1b[A"), t0.Add(1500*time.Millisecond)))
	want := `cmd select-pane -U | cmd select-pane -D | cmd select-pane -D | send 0 "\x1b[A"`
	if got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
	// A key that does not repeat ends the repeat window and goes to the pane.
	in = input.New(input.Config{})
	got = show(feed(in, ctx, []byte("\x02\x1b[Aa\x1b[A"), t0))
	if want := `cmd select-pane -U; send 0 "a\x1b[A"`; got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}

// TestBindingPausesInput: keys typed right after a binding, in the same
// read, wait until its action is carried out (it may be copy mode, a
// prompt or pane numbers that they are meant for).
func TestBindingPausesInput(t *testing.T) {
	in := input.New(input.Config{})
	ctx := &input.Context{}
	if got := show(in.Feed(ctx, []byte("\x02[kk"), t0)); got != "copy-mode 0 copy-mode" {
		t.Errorf("prefix [ k k: %s, want copy mode alone first", got)
	}
	if d, ok := in.Deadline(); !ok || !d.Equal(t0.Add(input.DefaultEscapeTime)) {
		t.Errorf("paused keys have no deadline: %v %v", d, ok)
	}
	ctx.Panes = []input.PaneState{{ID: 0, CopyMode: true}}
	if got := show(in.Feed(ctx, in.TakePaused(), t0)); got != "copy-key 0 k; copy-key 0 k" {
		t.Errorf("the keys after copy-mode: %s, want them in copy mode", got)
	}
	if b := in.TakePaused(); b != nil {
		t.Errorf("TakePaused again: %q", b)
	}
	// A caller that never takes them gets them at the deadline.
	in = input.New(input.Config{})
	in.Feed(&input.Context{}, []byte("\x02%ls"), t0)
	if got := show(in.Flush(&input.Context{}, t0.Add(input.DefaultEscapeTime))); got != `send 0 "ls"` {
		t.Errorf("Flush of paused keys: %s", got)
	}
}

func TestConfirmKillPane(t *testing.T) {
	in := input.New(input.Config{})
	ctx := &input.Context{}
	if got := show(in.Feed(ctx, []byte("\x02x"), t0)); got != "" {
		t.Errorf("prefix x acted at once: %s", got)
	}
	if p := in.Prompt(); p != "kill-pane #P? (y/n)" {
		t.Errorf("prompt = %q", p)
	}
	if got := show(in.Feed(ctx, []byte("y"), t0)); got != "cmd kill-pane" {
		t.Errorf("y gave %s", got)
	}
	if in.Prompt() != "" {
		t.Error("prompt still shown")
	}
	in.Feed(ctx, []byte("\x02x"), t0)
	if got := show(in.Feed(ctx, []byte("nls"), t0)); got != `send 0 "ls"` {
		t.Errorf("n then ls gave %s", got)
	}
}

func TestCopyModeKeys(t *testing.T) {
	in := input.New(input.Config{})
	ctx := &input.Context{Active: 3, Panes: []input.PaneState{{ID: 3, CopyMode: true}}}
	got := show(in.Feed(ctx, []byte("k\x15\x1bv\x1b[A \r/\x02d"), t0))
	want := "copy-key 3 k; copy-key 3 C-u; copy-key 3 M-v; copy-key 3 Up; copy-key 3 Space; copy-key 3 Enter; copy-key 3 /; detach"
	if got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
	if got := show(in.Feed(ctx, []byte("\x1b[200~text\x1b[201~"), t0)); got != "" {
		t.Errorf("a paste in copy mode reached something: %s", got)
	}
}

func TestSplitAcrossFeeds(t *testing.T) {
	ctx := &input.Context{Panes: []input.PaneState{{ID: 0, Modes: vt.Modes{AppCursorKeys: true, BracketedPaste: true}}}}
	cases := []struct {
		name   string
		chunks []string
		want   string
	}{
		{"CSI arrow", []string{"\x1b", "[", "A"}, `send 0 "\x1bOA"`},
		{"SGR mouse report is never split", []string{"a\x1b[<0;5", ";3", "m"}, `send 0 "a"`},
		{"UTF-8", []string{"\xe4\xb8", "\xad"}, `send 0 "中"`},
		{"paste end marker", []string{"\x1b[200~ab\x1b[2", "01~c"}, `send 0 "\x1b[200~ab"; send 0 "\x1b[201~c"`},
		{"prefix then key", []string{"\x02", "%"}, "cmd split-window -h"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			in := input.New(input.Config{})
			var parts []string
			for i, c := range tc.chunks {
				if s := show(in.Feed(ctx, []byte(c), t0.Add(time.Duration(i)*time.Millisecond))); s != "" {
					parts = append(parts, s)
				}
			}
			if got := strings.Join(parts, "; "); got != tc.want {
				t.Errorf("got  %s\nwant %s", got, tc.want)
			}
		})
	}
}

func TestEscapeTimeout(t *testing.T) {
	in := input.New(input.Config{EscapeTime: 50 * time.Millisecond})
	ctx := &input.Context{}
	if got := in.Feed(ctx, []byte("\x1b"), t0); len(got) != 0 {
		t.Fatalf("a lone ESC acted at once: %s", show(got))
	}
	d, ok := in.Deadline()
	if !ok || !d.Equal(t0.Add(50*time.Millisecond)) {
		t.Fatalf("deadline = %v %v", d, ok)
	}
	if got := in.Flush(ctx, t0.Add(49*time.Millisecond)); len(got) != 0 {
		t.Errorf("flushed before the deadline: %s", show(got))
	}
	if got := show(in.Flush(ctx, d)); got != `send 0 "\x1b"` {
		t.Errorf("flush = %s", got)
	}
	if _, ok := in.Deadline(); ok {
		t.Error("deadline still set")
	}
	// An ESC before the prefix's key is Escape, so the prefix still works.
	in.Feed(ctx, []byte("\x02\x1b"), t0)
	if got := show(in.Flush(ctx, t0.Add(time.Second))); got != "" {
		t.Errorf("prefix + Escape: %s (no binding: nothing)", got)
	}
	// Half a paste end marker waits, however long, so the paste still ends.
	in = input.New(input.Config{})
	in.Feed(ctx, []byte("\x1b[200~abc\x1b[20"), t0)
	if _, ok := in.Deadline(); ok {
		t.Error("a deadline inside a paste")
	}
	if got := show(in.Feed(ctx, []byte("1~\x02d"), t0.Add(time.Minute))); got != "detach" {
		t.Errorf("after a late end marker: %s", got)
	}
	// A mouse report stalled past the escape time is dropped whole.
	in.Feed(ctx, []byte("\x1b[<0;1"), t0)
	if got := show(in.Flush(ctx, t0.Add(time.Second))); got != "" {
		t.Errorf("stalled report: %s", got)
	}
}

func TestMouse(t *testing.T) {
	tree := twoPanes(t)
	sgr := vt.Modes{Mouse: vt.MouseNormal, MouseEncoding: vt.MouseEncodingSGR}
	x10 := vt.Modes{Mouse: vt.MouseButton}
	cases := []struct {
		name  string
		modes [2]vt.Modes
		copy1 bool
		in    string
		want  string
	}{
		{"click on the active pane that asked, SGR", [2]vt.Modes{sgr}, false,
			"\x1b[<0;3;2M\x1b[<0;3;2m", `send 0 "\x1b[<0;3;2M\x1b[<0;3;2m"`},
		{"click on the other pane focuses it and is pane-relative", [2]vt.Modes{{}, sgr}, false,
			"\x1b[<0;45;10M", `focus 1; send 1 "\x1b[<0;4;10M"`},
		{"X10 input re-encoded as X10 for the pane", [2]vt.Modes{{}, x10}, false,
			"\x1b[M" + string([]byte{32, 33 + 42, 33 + 0}), "focus 1; send 1 \"\\x1b[M \\\"!\""},
		{"normal mode gets no motion", [2]vt.Modes{sgr}, false,
			"\x1b[<35;3;2M", ""},
		{"button mode gets drag motion after a press", [2]vt.Modes{x10}, false,
			"\x1b[<0;1;1M\x1b[<32;2;1M\x1b[<0;2;1m", "send 0 \"\\x1b[M !!\\x1b[M@\\\"!\\x1b[M#\\\"!\""},
		{"click on a pane that did not ask only focuses", [2]vt.Modes{}, false,
			"\x1b[<0;50;5M\x1b[<0;50;5m", "focus 1"},
		{"wheel over a pane that did not ask scrolls it", [2]vt.Modes{}, false,
			"\x1b[<64;50;5M\x1b[<65;5;5M", "wheel 1 -5; wheel 0 5"},
		{"wheel over a pane in copy mode scrolls even if it asked", [2]vt.Modes{{}, sgr}, true,
			"\x1b[<64;50;5M", "wheel 1 -5"},
		{"drag the border", [2]vt.Modes{}, false,
			"\x1b[<0;41;5M\x1b[<32;36;5M\x1b[<32;30;5M\x1b[<0;30;5m\x1b[<32;20;5M",
			"drag {Vertical:true X:40 Y:0 Len:24} to 35; drag {Vertical:true X:40 Y:0 Len:24} to 29"},
		{"a status line click is reported for the window list", [2]vt.Modes{sgr}, false,
			"\x1b[<0;10;25M\x1b[<0;10;25m\x1b[<2;10;25M", "click 9,24"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			in := input.New(input.Config{})
			ctx := &input.Context{Layout: tree, Active: 0, Panes: []input.PaneState{
				{ID: 0, Modes: tc.modes[0]}, {ID: 1, Modes: tc.modes[1], CopyMode: tc.copy1}}}
			if got := show(in.Feed(ctx, []byte(tc.in), t0)); got != tc.want {
				t.Errorf("got  %s\nwant %s", got, tc.want)
			}
			// The same with the layout loaded on demand.
			in = input.New(input.Config{})
			ctx = &input.Context{LoadLayout: func() *layout.Tree { return tree }, Active: 0, Panes: ctx.Panes}
			if got := show(in.Feed(ctx, []byte(tc.in), t0)); got != tc.want {
				t.Errorf("with LoadLayout: got  %s\nwant %s", got, tc.want)
			}
		})
	}
}

// TestLoadLayoutOnlyForMouse: keys never load the layout (the daemon
// copies it under its lock for that); a mouse report loads it once.
func TestLoadLayoutOnlyForMouse(t *testing.T) {
	tree := twoPanes(t)
	loads := 0
	ctx := &input.Context{LoadLayout: func() *layout.Tree { loads++; return tree }}
	in := input.New(input.Config{})
	if got := show(in.Feed(ctx, []byte("ls -l\r\x1b[A"), t0)); got != `send 0 "ls -l\r\x1b[A"` {
		t.Errorf("keys: %s", got)
	}
	if loads != 0 {
		t.Errorf("keys loaded the layout %d times", loads)
	}
	if got := show(in.Feed(ctx, []byte("\x1b[<0;45;10M\x1b[<0;45;10m"), t0)); got != "focus 1" {
		t.Errorf("click on pane 1: %s", got)
	}
	if loads != 1 {
		t.Errorf("a click loaded the layout %d times, want 1", loads)
	}
}

// TestDragFollowsBorder: the daemon applies each DragBorder; the next one
// names the border where it now is.
func TestDragFollowsBorder(t *testing.T) {
	tree := twoPanes(t)
	in := input.New(input.Config{})
	ctx := &input.Context{Layout: tree}
	apply := func(as []input.Action) {
		for _, a := range as {
			if a.Kind == input.DragBorder {
				tree.DragBorder(a.Border, a.To)
			}
		}
	}
	apply(in.Feed(ctx, []byte("\x1b[<0;41;5M\x1b[<32;31;5M"), t0))
	as := in.Feed(ctx, []byte("\x1b[<32;26;5M"), t0)
	if got, want := show(as), "drag {Vertical:true X:30 Y:0 Len:24} to 25"; got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
	apply(as)
	if r, _ := tree.Rect(0); r.W != 25 {
		t.Errorf("pane 0 width after the drag = %d, want 25", r.W)
	}
}

func TestEncodeMouse(t *testing.T) {
	press := input.Mouse{Action: input.MousePress, Button: input.ButtonLeft, X: 4, Y: 9}
	release := input.Mouse{Action: input.MouseRelease, Button: input.ButtonLeft, X: 4, Y: 9}
	far := input.Mouse{Action: input.MousePress, Button: input.ButtonRight, X: 300, Y: 2, Mods: input.ModCtrl}
	cases := []struct {
		m    input.Mouse
		mode vt.MouseMode
		enc  vt.MouseEncoding
		want string
	}{
		{press, vt.MouseNormal, vt.MouseEncodingSGR, "\x1b[<0;5;10M"},
		{release, vt.MouseNormal, vt.MouseEncodingSGR, "\x1b[<0;5;10m"},
		{press, vt.MouseNormal, vt.MouseEncodingDefault, "\x1b[M %*"},
		{release, vt.MouseNormal, vt.MouseEncodingDefault, "\x1b[M#%*"},
		{release, vt.MouseX10, vt.MouseEncodingDefault, ""},
		{press, vt.MouseNormal, vt.MouseEncodingURXVT, "\x1b[32;5;10M"},
		{far, vt.MouseNormal, vt.MouseEncodingDefault, ""},
		{far, vt.MouseNormal, vt.MouseEncodingUTF8, "\x1b[M2" + string(rune(301+32)) + "#"},
		{far, vt.MouseNormal, vt.MouseEncodingSGR, "\x1b[<18;301;3M"},
		{press, vt.MouseNone, vt.MouseEncodingSGR, ""},
	}
	for _, tc := range cases {
		if got := string(input.EncodeMouse(tc.m, tc.mode, tc.enc)); got != tc.want {
			t.Errorf("EncodeMouse(%+v, %d, %d) = %q, want %q", tc.m, tc.mode, tc.enc, got, tc.want)
		}
	}
}

func TestKeyNames(t *testing.T) {
	for _, name := range []string{"C-b", "M-x", "C-M-Up", "S-F5", "Enter", "%", "Space", "C-Space", "KP5", "BTab", "PPage", "中"} {
		k, err := input.ParseKey(name)
		if err != nil {
			t.Errorf("ParseKey(%q): %v", name, err)
			continue
		}
		if k.String() != name {
			t.Errorf("ParseKey(%q).String() = %q", name, k.String())
		}
	}
	if k, _ := input.ParseKey("^B"); k != (input.Key{Rune: 'b', Mods: input.ModCtrl}) {
		t.Errorf("^B = %+v", k)
	}
	if _, err := input.ParseKey("X-y"); err == nil {
		t.Error("X-y parsed")
	}
	// A custom prefix from a key name.
	k, _ := input.ParseKey("C-a")
	in := input.New(input.Config{Prefix: k})
	if got := show(feed(in, &input.Context{}, []byte("\x02\x01%\x01\x01"), t0)); got != `send 0 "\x02"; cmd split-window -h; send 0 "\x01"` {
		t.Errorf("C-a prefix: %s", got)
	}
}

func TestBindingsLines(t *testing.T) {
	lines := input.DefaultBindings().Lines()
	joined := strings.Join(lines, "\n")
	for _, want := range []string{"bind-key    -T prefix % split-window -h", `bind-key    -T prefix \" split-window -v`, "bind-key -r -T prefix Up select-pane -U"} {
		if !strings.Contains(joined, want) {
			t.Errorf("list-keys lacks %q", want)
		}
	}
}

func BenchmarkFeed(b *testing.B) {
	tree := twoPanes(b)
	ctx := &input.Context{Layout: tree, Panes: []input.PaneState{{ID: 0, Modes: vt.Modes{Mouse: vt.MouseAny, MouseEncoding: vt.MouseEncodingSGR}}, {ID: 1}}}
	chunk := []byte(strings.Repeat("hello world \x1b[A\x1bOB\x1b[<32;10;5M\xe4\xb8\xad\r", 40))
	in := input.New(input.Config{})
	b.SetBytes(int64(len(chunk)))
	b.ReportAllocs()
	for b.Loop() {
		in.Feed(ctx, chunk, t0)
	}
}
