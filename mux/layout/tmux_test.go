package layout

import (
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// tmuxServer is a private tmux server (its own socket under a temp dir)
// used as the reference for layout arithmetic.
type tmuxServer struct {
	t    *testing.T
	sock string
}

func startTmux(t *testing.T, w, h int) *tmuxServer {
	t.Helper()
	if _, err := exec.LookPath("tmux"); err != nil {
		t.Skip("tmux not installed")
	}
	s := &tmuxServer{t: t, sock: filepath.Join(t.TempDir(), "tmux.sock")}
	s.run("-f", "/dev/null", "new-session", "-d", "-x", strconv.Itoa(w), "-y", strconv.Itoa(h), "cat")
	t.Cleanup(func() { exec.Command("tmux", "-S", s.sock, "kill-server").Run() })
	return s
}

func (s *tmuxServer) run(args ...string) string {
	s.t.Helper()
	cmd := exec.Command("tmux", append([]string{"-S", s.sock}, args...)...)
	cmd.Env = append(os.Environ(), "TMUX=")
	out, err := cmd.CombinedOutput()
	if err != nil {
		s.t.Fatalf("tmux %v: %v: %s", args, err, out)
	}
	return strings.TrimSpace(string(out))
}

func (s *tmuxServer) layout() string { return s.run("display-message", "-p", "#{window_layout}") }

// TestAgainstTmux replays random split-window, kill-pane, resize-pane,
// swap-pane and select-layout commands on a real tmux and on a Tree, and
// requires the same window_layout string after every command. The
// operations where gosh deliberately differs (proportional sharing when a
// split of the same orientation gains or loses cells) are avoided by only
// resizing and killing panes whose sibling on the gaining side is a pane.
func TestAgainstTmux(t *testing.T) {
	seed := rand.Uint64()
	t.Logf("seed %d", seed)
	r := rand.New(rand.NewPCG(seed, 1))
	s := startTmux(t, 80, 24)
	tr := New(80, 24, 0)
	if got, want := tr.String(), s.layout(); got != want {
		t.Fatalf("start: %s, tmux %s", got, want)
	}
	var log []string
	prev := tr.String()
	for range 60 {
		panes := tr.Panes()
		p := panes[r.IntN(len(panes))]
		target := fmt.Sprintf("%%%d", p)
		var cmd string
		switch op := r.IntN(10); {
		case op < 4:
			if len(panes) >= 12 {
				// More would not fit even-vertical in 24 rows, and tmux
				// then grows the window itself, where gosh leaves window
				// sizes to the daemon.
				continue
			}
			d, flag := Horizontal, "-h"
			if r.IntN(2) == 0 {
				d, flag = Vertical, "-v"
			}
			args := []string{"split-window", flag, "-d", "-P", "-F", "#{pane_id}", "-t", target}
			var size Size
			switch r.IntN(3) {
			case 1:
				size = Cells(r.IntN(30) + 1)
				args = append(args, "-l", strconv.Itoa(size.N))
			case 2:
				size = Percent(r.IntN(99) + 1)
				args = append(args, "-l", size.String())
			}
			before := r.IntN(3) == 0
			if before {
				args = append(args, "-b")
			}
			rect, _ := tr.Rect(p)
			ext := rect.W
			if d == Vertical {
				ext = rect.H
			}
			if ext < 3 {
				continue // tmux's message differs only in wording; covered elsewhere
			}
			if before && size.Of(ext, 0) > ext-2 {
				// tmux 3.3 computes the other pane's size in unsigned
				// arithmetic here, so an oversized -b pane wraps to 1
				// cell; gosh gives it the most it can have instead.
				continue
			}
			id := s.run(append(args, "cat")...)
			n, err := strconv.Atoi(strings.TrimPrefix(id, "%"))
			if err != nil {
				t.Fatalf("pane id %q", id)
			}
			cmd = strings.Join(args, " ")
			if err := tr.Split(p, d, PaneID(n), size, before); err != nil {
				t.Fatalf("%s: %v", cmd, err)
			}
		case op < 6:
			if w, h := tr.Size(); len(panes) == 1 || !plainSibling(tr, p) || w != 80 || h != 24 {
				// gosh shrinks an oversized layout back to the window at once.
				continue
			}
			cmd = "kill-pane -t " + target
			s.run("kill-pane", "-t", target)
			if err := tr.Remove(p); err != nil {
				t.Fatal(err)
			}
		case op < 8:
			side := Side(r.IntN(4) + 1)
			n := r.IntN(15) + 1
			if !plainResize(tr, p, side) {
				continue
			}
			flag := map[Side]string{Left: "-L", Right: "-R", Up: "-U", Down: "-D"}[side]
			cmd = fmt.Sprintf("resize-pane %s %d -t %s", flag, n, target)
			s.run("resize-pane", flag, "-t", target, strconv.Itoa(n))
			if _, err := tr.ResizePane(p, side, n); err != nil {
				t.Fatal(err)
			}
		case op < 9:
			q := panes[r.IntN(len(panes))]
			cmd = fmt.Sprintf("swap-pane -s %s -t %%%d", target, q)
			s.run("swap-pane", "-d", "-s", target, "-t", fmt.Sprintf("%%%d", q))
			if err := tr.Swap(p, q); err != nil {
				t.Fatal(err)
			}
		default:
			pr := Preset(r.IntN(5) + 1)
			cmd = "select-layout " + pr.String()
			s.run("select-layout", pr.String())
			if err := tr.Apply(pr); err != nil {
				t.Fatal(err)
			}
		}
		log = append(log, cmd)
		if got, want := tr.String(), s.layout(); got != want {
			t.Fatalf("after %q:\n was  %s\n got  %s\n tmux %s", log, prev, got, want)
		}
		prev = tr.String()
	}
}

// plainSibling reports whether removing p gives its space to a pane, where
// gosh and tmux agree cell for cell.
func plainSibling(tr *Tree, p PaneID) bool {
	n := tr.panes[p]
	i := n.index()
	o := i - 1
	if i == 0 {
		o = 1
	}
	return n.parent.children[o].kind == leaf
}

// plainResize reports whether resize-pane on p only moves cells between
// panes (not into splits that share them out).
func plainResize(tr *Tree, p PaneID, side Side) bool {
	lc := tr.panes[p]
	for lc.parent != nil && lc.parent.kind != splitKind(side.dir()) {
		lc = lc.parent
	}
	if lc.parent == nil {
		return true
	}
	for _, c := range lc.parent.children {
		if c.kind != leaf {
			return false
		}
	}
	return true
}
