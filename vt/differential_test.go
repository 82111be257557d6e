package vt_test

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/goshterm/gosh/vt"
	"github.com/goshterm/gosh/vt/vttest"
)

// The differential test: every stream of testdata/corpus (synthetic cases of
// each operation group and recordings of real programs, see its README) is
// fed to vt and to tmux, the reference emulator, on an 80x24 screen, and the
// final text and cursor must be the same.

const diffCols, diffRows = 80, 24

// knownDiffs lists the corpus files whose final screen legitimately differs
// between vt and tmux 3.3a, with the reason. A listed file is still rendered
// by both; the test fails if it starts to match (so the entry is removed).
var knownDiffs = map[string]string{}

// maxTmux bounds how many tmux servers the parallel subtests run at once:
// the machines have 2 cores shared with other work.
const maxTmux = 4

func TestDifferential(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "corpus", "*.vt"))
	if err != nil {
		t.Fatal(err)
	}
	// The corpus is committed; an empty glob means a broken checkout, and a
	// differential test over nothing would pass.
	if len(files) < 40 {
		t.Fatalf("corpus has %d streams, want at least 40", len(files))
	}
	sem := make(chan struct{}, maxTmux)
	for _, file := range files {
		name := strings.TrimSuffix(filepath.Base(file), ".vt")
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			stream, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			got, gx, gy := renderVT(stream, diffCols, diffRows)
			want, wx, wy := tmuxRender(t, sem, stream)
			diff := screenDiff(got, gx, gy, want, wx, wy)
			reason, known := knownDiffs[name]
			switch {
			case known && diff == "":
				t.Errorf("%s now matches tmux: remove it from knownDiffs (%s)", name, reason)
			case known:
				t.Logf("known difference (%s):\n%s", reason, diff)
			case diff != "":
				t.Errorf("vt and tmux differ on %s (- vt, + tmux):\n%s", file, diff)
			}
		})
	}
}

// tmuxRender runs vttest.TmuxRender holding one of the sem slots.
func tmuxRender(t *testing.T, sem chan struct{}, stream []byte) ([]string, int, int) {
	sem <- struct{}{}
	defer func() { <-sem }() // also on t.Skip/t.Fatal, which exit the goroutine
	return vttest.TmuxRender(t, stream, diffCols, diffRows)
}

// renderVT replays stream through a fresh vt.Screen and returns its rows as
// tmux's capture-pane prints them: each cell's text, an empty cell as a
// space, the second column of a wide character skipped, trailing blanks
// trimmed; and the cursor.
func renderVT(stream []byte, cols, rows int) (lines []string, cx, cy int) {
	s := vt.NewScreen(cols, rows)
	if _, err := s.Write(stream); err != nil {
		panic(fmt.Sprintf("vt: Write: %v", err)) // Write on a Screen never fails
	}
	lines = make([]string, rows)
	for y := range rows {
		var b strings.Builder
		for x := 0; x < cols; x++ {
			c := s.Cell(x, y)
			if c.Text == "" {
				b.WriteByte(' ')
			} else {
				b.WriteString(c.Text)
			}
			if c.Width == 2 {
				x++ // the wide character's second column
			}
		}
		lines[y] = strings.TrimRight(b.String(), " ")
	}
	cur := s.Cursor()
	return lines, cur.X, cur.Y
}

// screenDiff describes how two renderings differ, row by row, or returns "".
func screenDiff(got []string, gx, gy int, want []string, wx, wy int) string {
	var b strings.Builder
	for y := range max(len(got), len(want)) {
		var g, w string
		if y < len(got) {
			g = got[y]
		}
		if y < len(want) {
			w = want[y]
		}
		if g != w {
			fmt.Fprintf(&b, "row %2d - %q\n       + %q\n", y, g, w)
		}
	}
	if gx != wx || gy != wy {
		fmt.Fprintf(&b, "cursor - (%d,%d)\n       + (%d,%d)\n", gx, gy, wx, wy)
	}
	return b.String()
}

func TestScreenDiff(t *testing.T) {
	// The comparison itself must see a blank screen as different from a
	// drawn one, or a vt that rendered nothing would pass.
	blank := make([]string, diffRows)
	drawn := make([]string, diffRows)
	drawn[3] = "text"
	if screenDiff(blank, 0, 0, drawn, 0, 0) == "" {
		t.Error("a blank screen compares equal to a drawn one")
	}
	if screenDiff(drawn, 1, 0, drawn, 0, 0) == "" {
		t.Error("a different cursor compares equal")
	}
	if d := screenDiff(drawn, 4, 3, drawn, 4, 3); d != "" {
		t.Errorf("equal screens differ: %s", d)
	}
}

// TestCorpusReproducible regenerates the synthetic streams and the corpus
// README with the generator and checks that they equal the committed files,
// so the corpus is what its documented generator makes.
func TestCorpusReproducible(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the corpus generator")
	}
	dir := t.TempDir()
	out, err := exec.Command("go", "run", "./testdata/corpus/gen", dir).CombinedOutput()
	if err != nil {
		t.Fatalf("go run ./testdata/corpus/gen: %v\n%s", err, out)
	}
	generated, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(generated) < 30 {
		t.Fatalf("generator wrote %d files, want at least 30", len(generated))
	}
	for _, e := range generated {
		want, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		got, err := os.ReadFile(filepath.Join("testdata", "corpus", e.Name()))
		if err != nil {
			t.Errorf("%s: %v (run go run ./vt/testdata/corpus/gen and commit)", e.Name(), err)
			continue
		}
		if !bytes.Equal(got, want) {
			t.Errorf("testdata/corpus/%s differs from what the generator writes; regenerate with go run ./vt/testdata/corpus/gen", e.Name())
		}
	}
}
