//go:build e2e

package cli_test

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// layoutShapes lists a session's windows as "name tree" lines, the tree
// without its checksum and pane ids.
func (g *goshEnv) layoutShapes(sock, session string) string {
	g.t.Helper()
	out := g.must("-L", sock, "list-windows", "-t", session, "-F", "#{window_name} #{window_layout}")
	ids := regexp.MustCompile(`(\d+x\d+,\d+,\d+),\d+`)
	var b strings.Builder
	for line := range strings.Lines(out) {
		name, l, _ := strings.Cut(strings.TrimSuffix(line, "\n"), " ")
		_, l, _ = strings.Cut(l, ",")
		b.WriteString(name + " " + ids.ReplaceAllString(l, "$1") + "\n")
	}
	return b.String()
}

func TestCLILayoutApplySave(t *testing.T) {
	g := newGoshEnv(t)
	dir := t.TempDir()
	file := filepath.Join(dir, "dev.yaml")
	const layoutFile = `session: dev
windows:
  - name: editor
    focus: true
    layout:
      split: horizontal
      panes:
        - size: 60%
          command: printf '%s-%s\n' pane A
        - split: vertical
          panes:
            - command: printf '%s-%s\n' pane B
            - command: printf '%s-%s\n' pane C
  - name: logs
    layout:
      command: printf '%s-%s\n' pane D
`
	if err := os.WriteFile(file, []byte(layoutFile), 0o644); err != nil {
		t.Fatal(err)
	}

	// A dry run against no server plans from nothing and creates nothing.
	out := g.must("-L", "lay", "layout", "apply", "--dry-run", file)
	if !strings.HasPrefix(out, "create session dev (80x24 in /)\ncreate window dev:editor\n") || strings.Count(out, "\nrun ") != 4 {
		t.Errorf("dry-run plan:\n%s", out)
	}
	eventually(t, "the dry run's server to exit", func() bool {
		_, _, code := g.run("-L", "lay", "has-session")
		return code == 1
	})

	g.must("-L", "lay", "layout", "apply", file)
	for target, name := range map[string]string{"dev:editor.0": "A", "dev:editor.1": "B", "dev:editor.2": "C", "dev:logs": "D"} {
		eventually(t, target+" output", func() bool {
			out, _, _ := g.run("-L", "lay", "capture-pane", "-p", "-t", target)
			return strings.Contains(out, "\npane-"+name+"\n")
		})
	}
	if out := g.must("-L", "lay", "layout", "apply", "-n", file); out != "keep dev:editor\nkeep dev:logs\n" {
		t.Errorf("plan for the unchanged file:\n%s", out)
	}

	// save, kill, apply: the same tree.
	before := g.layoutShapes("lay", "dev")
	saved := filepath.Join(dir, "saved.yaml")
	g.must("-L", "lay", "layout", "save", "-t", "dev", "-o", saved)
	if b, err := os.ReadFile(saved); err != nil || !strings.Contains(string(b), "command: printf '%s-%s\\n' pane D") {
		t.Fatalf("saved file: %v\n%s", err, b)
	}
	if out := g.must("-L", "lay", "layout", "save", "-t", "dev"); !strings.HasPrefix(out, "session: dev\n") {
		t.Errorf("save to stdout:\n%s", out)
	}
	g.must("-L", "lay", "new-session", "-d", "-s", "keepalive")
	g.must("-L", "lay", "kill-session", "-t", "dev")
	g.must("-L", "lay", "layout", "apply", saved)
	if got := g.layoutShapes("lay", "dev"); got != before {
		t.Errorf("save then apply:\n%s\nwant\n%s", got, before)
	}

	// A bad file: its name, line and field, and exit status 1.
	bad := filepath.Join(dir, "bad.yaml")
	os.WriteFile(bad, []byte("session: dev\nwindows:\n  - name: editor\n    layuot: {}\n"), 0o644)
	_, errs, code := g.run("-L", "lay", "layout", "apply", bad)
	if code != 1 || !strings.HasPrefix(errs, "gosh: "+bad+":4: windows[0].layuot: unknown key") {
		t.Errorf("bad file: exit %d, stderr %q", code, errs)
	}
	if _, errs, code := g.run("-L", "lay", "layout", "apply", filepath.Join(dir, "missing.yaml")); code != 1 || !strings.Contains(errs, "missing.yaml: no such file") {
		t.Errorf("missing file: exit %d, stderr %q", code, errs)
	}
}
