package layout_test

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/goshterm/gosh/mux/layout"
)

// stripSources zeroes every Source, which records where a value was read
// and so differs between a file and its re-marshalled form.
func stripSources(f *layout.File) *layout.File {
	var node func(n *layout.Node)
	node = func(n *layout.Node) {
		n.Source = layout.Source{}
		for i := range n.Children {
			node(&n.Children[i])
		}
	}
	for i := range f.Sessions {
		s := &f.Sessions[i]
		s.Source = layout.Source{}
		for j := range s.Windows {
			s.Windows[j].Source = layout.Source{}
			node(&s.Windows[j].Layout)
		}
	}
	return f
}

func counter() func() layout.PaneID {
	n := layout.PaneID(-1)
	return func() layout.PaneID { n++; return n }
}

func TestExamplesParse(t *testing.T) {
	files, err := filepath.Glob("../../examples/layouts/*.yaml")
	if err != nil || len(files) < 3 {
		t.Fatalf("want the dev, monitoring and pair examples, found %v (%v)", files, err)
	}
	for _, path := range files {
		t.Run(filepath.Base(path), func(t *testing.T) {
			data, err := os.ReadFile(path)
			must(t, err)
			f, err := layout.ParseFile(filepath.Base(path), data)
			if err != nil {
				t.Fatal(err)
			}
			for _, s := range f.Sessions {
				for _, w := range s.Windows {
					for _, size := range [][2]int{{80, 24}, {200, 50}} {
						tr, specs, err := w.Build(size[0], size[1], counter())
						if err != nil {
							t.Errorf("%s/%s at %dx%d: %v", s.Name, w.Name, size[0], size[1], err)
							continue
						}
						if len(specs) != tr.Len() {
							t.Errorf("%d specs for %d panes", len(specs), tr.Len())
						}
						if ww, wh := tr.Size(); ww != size[0] || wh != size[1] {
							t.Errorf("%s built %dx%d", w.Name, ww, wh)
						}
					}
				}
			}
			out, err := layout.MarshalFile(f)
			must(t, err)
			back, err := layout.ParseFile("saved.yaml", out)
			if err != nil {
				t.Fatalf("re-reading the marshalled file: %v\n%s", err, out)
			}
			if !reflect.DeepEqual(stripSources(back), stripSources(f)) {
				t.Errorf("round trip differs:\n%s\n%+v\n%+v", out, back, f)
			}
		})
	}
}

func TestDevExample(t *testing.T) {
	data, err := os.ReadFile("../../examples/layouts/dev.yaml")
	must(t, err)
	f, err := layout.ParseFile("dev.yaml", data)
	must(t, err)
	s := f.Sessions[0]
	if s.Name != "dev" || s.Root != "~/src/gosh" || s.Env["EDITOR"] != "vim" || len(s.Windows) != 2 {
		t.Fatalf("session %+v", s)
	}
	w := s.Windows[0]
	if !w.Focus || w.Name != "editor" || w.Layout.Split != layout.Horizontal || w.Layout.Children[0].Size != layout.Percent(60) {
		t.Fatalf("window %+v", w)
	}
	tr, specs, err := w.Build(100, 30, counter())
	must(t, err)
	// 60% of the 99 columns left after the border is 59: vim | (tests / shell).
	want := []layout.PaneRect{
		{Pane: 0, Rect: layout.Rect{X: 0, Y: 0, W: 59, H: 30}},
		{Pane: 1, Rect: layout.Rect{X: 60, Y: 0, W: 40, H: 14}},
		{Pane: 2, Rect: layout.Rect{X: 60, Y: 15, W: 40, H: 15}},
	}
	if got := tr.Rects(); !reflect.DeepEqual(got, want) {
		t.Errorf("rects %+v", got)
	}
	if specs[0].Command != "vim" || !specs[0].Focus || specs[1].Cwd != "./vt" || specs[1].Env["GOFLAGS"] != "-race" || specs[2].Command != "" {
		t.Errorf("specs %+v", specs)
	}
	if got := layout.JoinDir("/home/u", s.Root, w.Cwd, specs[1].Cwd); got != "/home/u/src/gosh/vt" {
		t.Errorf("pane 1 starts in %q", got)
	}
}

func TestFileErrors(t *testing.T) {
	tests := []struct {
		name, yaml, want string
	}{
		{"bad size", `
session: dev
windows:
  - layout:
      split: horizontal
      panes:
        - size: 60x
        - {}
`, `dev.yaml:7: windows[0].layout.panes[0].size: "60x" must be a percentage like 60% or a cell count like 30`},
		{"unknown key", `
session: dev
windows:
  - name: a
    comand: vim
`, `dev.yaml:5: windows[0].comand: unknown key (want one of name, focus, cwd, env, preset, layout, panes)`},
		{"split of one", `
session: dev
windows:
  - layout:
      split: vertical
      panes:
        - command: top
`, `dev.yaml:7: windows[0].layout.panes: a split needs at least two panes, not 1`},
		{"bad direction", `
session: dev
windows:
  - layout: {split: sideways, panes: [{}, {}]}
`, `dev.yaml:4: windows[0].layout.split: "sideways" must be horizontal (side by side) or vertical (stacked)`},
		{"command on a split", `
session: dev
windows:
  - layout: {split: h, command: vim, panes: [{}, {}]}
`, `dev.yaml:4: windows[0].layout.command: a split has no command; put it on one of its panes`},
		{"two focused windows", `
session: dev
windows:
  - focus: true
  - focus: true
`, `dev.yaml:5: windows[1].focus: only one window can have focus`},
		{"focus not bool", `
session: dev
windows:
  - focus: yes please
`, `dev.yaml:4: windows[0].focus: must be true or false, not "yes please"`},
		{"two focused panes", `
session: dev
windows:
  - layout: {split: h, panes: [{focus: true}, {focus: true}]}
`, `dev.yaml:4: windows[0]: 2 panes have focus; at most one can`},
		{"no windows", `
session: dev
`, `dev.yaml:2: windows: missing: a session needs at least one window`},
		{"env not a mapping", `
session: dev
env: [A, B]
windows: [{}]
`, `dev.yaml:3: env: must be a mapping of NAME: value, not a list`},
		{"duplicate key", `
session: dev
session: prod
windows: [{}]
`, `dev.yaml:3: session: given twice`},
		{"layout and panes", `
session: dev
windows:
  - layout: {}
    panes: [{}]
`, `dev.yaml:5: windows[0].panes: give either layout or panes, not both`},
		{"size on the whole layout", `
session: dev
windows:
  - layout:
      size: 1
`, `dev.yaml:5: windows[0].layout.size: the window's whole layout takes no size; sizes go on the panes of a split`},
		{"unknown preset", `
session: dev
windows:
  - preset: spiral
    panes: [{}, {}]
`, `dev.yaml:4: windows[0].preset: unknown layout "spiral" (want even-horizontal, even-vertical, main-horizontal, main-vertical or tiled)`},
		{"yaml syntax", "session: dev\nwindows:\n  - name: [\n", `dev.yaml:3: did not find expected node content`},
		{"target characters in name", `
session: a:b
windows: [{}]
`, `dev.yaml:2: session: "a:b": a session name cannot contain ':' or '.' (they separate tmux targets)`},
		{"empty", ``, `dev.yaml: empty file: want a session`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := layout.ParseFile("dev.yaml", []byte(tt.yaml)) // line 1 is blank
			if err == nil {
				t.Fatal("no error")
			}
			first := strings.SplitN(err.Error(), "\n", 2)[0]
			if first != tt.want {
				t.Errorf("got  %s\nwant %s", first, tt.want)
			}
			var fe *layout.Error
			if !errors.As(err, &fe) || fe.File != "dev.yaml" {
				t.Errorf("not an *Error naming the file: %#v", err)
			}
		})
	}
}

func TestBuildErrors(t *testing.T) {
	tests := []struct {
		name, yaml, want string
		w, h             int
	}{
		{"cells too many", `
session: dev
windows:
  - layout:
      split: horizontal
      panes:
        - size: 30
        - size: 30
        - {}
`, `dev.yaml:5: windows[0].layout.panes: sizes add up to 61 columns but only 38 are available`, 40, 10},
		{"percent leaves nothing", `
session: dev
windows:
  - layout:
      split: vertical
      panes:
        - size: 100%
        - {}
`, `dev.yaml:5: windows[0].layout.panes: sizes add up to 24 rows but only 23 are available`, 80, 24},
		{"nested split too small", `
session: dev
windows:
  - layout:
      split: horizontal
      panes:
        - size: 2
          split: horizontal
          panes: [{}, {}]
        - {}
`, `dev.yaml:7: windows[0].layout.panes[0].size: 2 is 2 columns here but this needs at least 3`, 40, 10},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := layout.ParseFile("dev.yaml", []byte(tt.yaml)) // line 1 is blank
			must(t, err)
			_, _, err = f.Sessions[0].Windows[0].Build(tt.w, tt.h, counter())
			if err == nil || err.Error() != tt.want {
				t.Errorf("got  %v\nwant %s", err, tt.want)
			}
		})
	}
}

func TestAllSizedLastTakesRest(t *testing.T) {
	f, err := layout.ParseFile("x.yaml", []byte("session: x\nwindows:\n  - layout: {split: h, panes: [{size: 10}, {size: 10}]}\n"))
	must(t, err)
	tr, _, err := f.Sessions[0].Windows[0].Build(50, 5, counter())
	must(t, err)
	if r, _ := tr.Rect(1); r.W != 39 {
		t.Errorf("last pane %d columns, want the 39 left", r.W)
	}
}

func TestPresetWindow(t *testing.T) {
	data, err := os.ReadFile("../../examples/layouts/monitoring.yaml")
	must(t, err)
	f, err := layout.ParseFile("monitoring.yaml", data)
	must(t, err)
	w := f.Sessions[0].Windows[0]
	if w.Preset != layout.Tiled {
		t.Fatalf("preset %v", w.Preset)
	}
	tr, specs, err := w.Build(80, 24, counter())
	must(t, err)
	want := "79d7,80x24,0,0[80x11,0,0{39x11,0,0,0,40x11,40,0,1},80x12,0,12{39x12,0,12,2,40x12,40,12,3}]"
	if got := tr.String(); got != withSum(want[5:]) {
		t.Errorf("tiled window %s", got)
	}
	if specs[0].Command != "top" || specs[3].Command != "vmstat 5" {
		t.Errorf("specs %+v", specs)
	}
}

func TestSaveThenApplyReproducesTree(t *testing.T) {
	tr := layout.New(120, 40, 10)
	must(t, tr.Split(10, layout.Horizontal, 11, layout.Percent(30), false))
	must(t, tr.Split(10, layout.Vertical, 12, layout.Cells(7), false))
	must(t, tr.Split(11, layout.Vertical, 13, layout.Size{}, true))
	must(t, tr.Split(13, layout.Horizontal, 14, layout.Size{}, false))
	tr.ResizePane(12, layout.Up, 5)
	facts := map[layout.PaneID]layout.PaneSpec{
		10: {Command: "vim", Focus: true},
		11: {Cwd: "/tmp", Env: map[string]string{"A": "1"}},
		13: {Command: "htop"},
	}
	w := layout.SaveWindow("main", tr, func(p layout.PaneID) layout.PaneSpec { return facts[p] })
	out, err := layout.MarshalFile(&layout.File{Sessions: []layout.SessionSpec{{Name: "s", Windows: []layout.WindowSpec{w}}}})
	must(t, err)
	f, err := layout.ParseFile("saved.yaml", out)
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	// Build with the same IDs, in pane order.
	ids := tr.Panes()
	i := -1
	back, specs, err := f.Sessions[0].Windows[0].Build(120, 40, func() layout.PaneID { i++; return ids[i] })
	must(t, err)
	if back.String() != tr.String() {
		t.Errorf("rebuilt %s\nfrom    %s\nvia\n%s", back, tr, out)
	}
	for _, p := range ids {
		if !reflect.DeepEqual(specs[p], facts[p]) {
			t.Errorf("pane %d: %+v, want %+v", p, specs[p], facts[p])
		}
	}
}

func TestJoinDir(t *testing.T) {
	tests := []struct {
		dirs []string
		want string
	}{
		{nil, ""},
		{[]string{"", "", ""}, ""},
		{[]string{"~/src", "gosh", "./vt"}, "/home/u/src/gosh/vt"},
		{[]string{"~", "", "/etc"}, "/etc"},
		{[]string{"", "rel"}, "rel"},
		{[]string{"/a", "../b"}, "/b"},
	}
	for _, tt := range tests {
		if got := layout.JoinDir("/home/u", tt.dirs...); got != tt.want {
			t.Errorf("JoinDir(%q) = %q, want %q", tt.dirs, got, tt.want)
		}
	}
}

func FuzzParseFile(f *testing.F) {
	for _, name := range []string{"dev", "monitoring", "pair"} {
		data, err := os.ReadFile("../../examples/layouts/" + name + ".yaml")
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte("a: &a [*a, *a]\nsession: *a\n"))
	f.Add([]byte("session: x\nwindows:\n  - layout: {split: v, panes: [{size: 1}, {size: 99%}]}\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		file, err := layout.ParseFile("f.yaml", data)
		if err != nil {
			return
		}
		for _, s := range file.Sessions {
			for _, w := range s.Windows {
				if tr, specs, err := w.Build(80, 24, counter()); err == nil && len(specs) != tr.Len() {
					t.Fatalf("%d specs for %d panes", len(specs), tr.Len())
				}
			}
		}
		out, err := layout.MarshalFile(file)
		if err != nil {
			t.Fatal(err)
		}
		back, err := layout.ParseFile("f.yaml", out)
		if err != nil {
			t.Fatalf("re-reading %q: %v", out, err)
		}
		if !reflect.DeepEqual(stripSources(back), stripSources(file)) {
			t.Fatalf("round trip of %q via %q", data, out)
		}
	})
}

func TestAliasBomb(t *testing.T) {
	// Each level doubles what an unbounded walk would visit: 2^30 panes.
	var b strings.Builder
	b.WriteString("session: s\nwindows:\n  - name: a0\n    layout: &a0 {split: h, panes: [{}, {}]}\n")
	for i := 1; i <= 30; i++ {
		fmt.Fprintf(&b, "  - name: a%d\n    layout: &a%d {split: h, panes: [*a%d, *a%d]}\n", i, i, i-1, i-1)
	}
	_, err := layout.ParseFile("bomb.yaml", []byte(b.String()))
	if err == nil || !strings.Contains(err.Error(), "too large") {
		t.Fatalf("want a size error, got %v", err)
	}
}
