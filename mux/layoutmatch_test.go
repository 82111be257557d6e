package mux

import (
	"slices"
	"strings"
	"testing"

	"github.com/goshterm/gosh/mux/layout"
)

func matchCase(old, file string) []int {
	var ps []*Pane
	for _, c := range strings.Split(old, ",") {
		ps = append(ps, &Pane{command: strings.TrimSpace(c)})
	}
	var fs []*panePlan
	for _, c := range strings.Split(file, ",") {
		fs = append(fs, &panePlan{spec: layout.PaneSpec{Command: strings.TrimSpace(c)}})
	}
	return matchPanes(ps, fs)
}

// Each case is the window's panes' start commands, the file's, and which
// old pane each file pane keeps (-1: a new pane).
func TestMatchPanes(t *testing.T) {
	for _, tc := range []struct {
		name, old, file string
		want            []int
	}{
		{"same", "vim,make,", "vim,make,", []int{0, 1, 2}},
		{"added in the middle", "vim,make,", "vim,top,make,", []int{0, -1, 1, 2}},
		{"added at the end", ",", ",,", []int{0, 1, -1}},
		{"removed from the middle", "vim,top,make", "vim,make", []int{0, 2}},
		{"command changed in place", "vim,make,", "nvim,make,", []int{0, 1, 2}},
		{"changed and added", "vim,", "nvim,htop,", []int{0, -1, 1}},
		{"moved: the rest stays", "a,b,c", "b,c,a", []int{1, 2, -1}},
		{"nothing in common", "a,b", "c,d,e", []int{0, 1, -1}},
	} {
		if got := matchCase(tc.old, tc.file); !slices.Equal(got, tc.want) {
			t.Errorf("%s: %s -> %s: got %v, want %v", tc.name, tc.old, tc.file, got, tc.want)
		}
	}
}

// FuzzMatchPanes checks matchPanes' contract on any command lists: one
// answer per file pane, and every old pane kept at most once, in order (so
// the kept panes keep their relative places in the tree).
func FuzzMatchPanes(f *testing.F) {
	f.Add("vim,make,", "vim,top,make,")
	f.Add("a,b,c", "c,b,a")
	f.Fuzz(func(t *testing.T, old, file string) {
		if len(old) > 200 || len(file) > 200 {
			return
		}
		got := matchCase(old, file)
		if len(got) != len(strings.Split(file, ",")) {
			t.Fatalf("%d results for %d file panes", len(got), len(strings.Split(file, ",")))
		}
		last := -1
		for _, k := range got {
			if k < 0 {
				continue
			}
			if k <= last || k >= len(strings.Split(old, ",")) {
				t.Fatalf("%q -> %q: %v is not an increasing match", old, file, got)
			}
			last = k
		}
	})
}
