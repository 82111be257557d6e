package layout_test

import (
	"testing"

	"github.com/goshterm/gosh/mux/layout"
)

// fourPanes is the benchmark layout: 200x60, four panes.
func fourPanes(b *testing.B) *layout.Tree {
	tr := layout.New(200, 60, 0)
	for i, d := range []layout.Dir{layout.Horizontal, layout.Vertical, layout.Vertical} {
		if err := tr.Split(layout.PaneID(i), d, layout.PaneID(i+1), layout.Size{}, false); err != nil {
			b.Fatal(err)
		}
	}
	return tr
}

// BenchmarkComposeGeometry is what the composer asks of the tree per frame:
// every pane's rect and every border cell's glyph arms.
func BenchmarkComposeGeometry(b *testing.B) {
	tr := fourPanes(b)
	b.ReportAllocs()
	for b.Loop() {
		n := 0
		for _, r := range tr.Rects() {
			n += r.W
		}
		for _, bd := range tr.Borders() {
			bd.Cells(func(x, y int) { n += int(tr.ArmsAt(x, y)) })
		}
		if n == 0 {
			b.Fatal("nothing drawn")
		}
	}
}

func BenchmarkSplitRemove(b *testing.B) {
	tr := fourPanes(b)
	b.ReportAllocs()
	for b.Loop() {
		if err := tr.Split(2, layout.Horizontal, 9, layout.Size{}, false); err != nil {
			b.Fatal(err)
		}
		if err := tr.Remove(9); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkResize(b *testing.B) {
	tr := fourPanes(b)
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		i++
		tr.Resize(150+i%100, 40+i%30)
	}
}
