package mux_test

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/goshterm/gosh/mux"
	"github.com/goshterm/gosh/mux/muxtest"
)

// shape is a window_layout string without its checksum and pane ids: the
// tree's shape and sizes, which two servers can share.
func shape(layout string) string {
	_, rest, _ := strings.Cut(layout, ",")
	return regexp.MustCompile(`(\d+x\d+,\d+,\d+),\d+`).ReplaceAllString(rest, "$1")
}

// windows lists a session's windows as "name shape" lines.
func windows(t *testing.T, s *mux.Server, session string) string {
	t.Helper()
	out := muxtest.MustRun(t, s, "list-windows", "-t", session, "-F", "#{window_name} #{window_layout}")
	var b strings.Builder
	for line := range strings.Lines(out) {
		name, l, _ := strings.Cut(strings.TrimSuffix(line, "\n"), " ")
		b.WriteString(name + " " + shape(l) + "\n")
	}
	return b.String()
}

// panePIDs maps pane ids to their processes' pids.
func panePIDs(t *testing.T, s *mux.Server, session string) map[string]string {
	t.Helper()
	out := muxtest.MustRun(t, s, "list-panes", "-s", "-t", session, "-F", "#{pane_id} #{pane_pid}")
	m := map[string]string{}
	for line := range strings.Lines(out) {
		id, pid, _ := strings.Cut(strings.TrimSpace(line), " ")
		m[id] = pid
	}
	return m
}

func apply(t *testing.T, s *mux.Server, file, content string, flags ...string) string {
	t.Helper()
	return muxtest.MustRun(t, s, append(append([]string{"apply-layout"}, flags...), file, content)...)
}

// waitLine waits until the pane shows a line that is exactly want (so a
// typed command's echo, which contains it, does not count).
func waitLine(t *testing.T, s *mux.Server, target, want string) string {
	t.Helper()
	var last string
	muxtest.Eventually(t, target+" to show the line "+want, func() bool {
		last, _ = muxtest.Run(s, "capture-pane", "-p", "-t", target)
		for line := range strings.Lines(last) {
			if strings.TrimRight(line, " \n") == want {
				return true
			}
		}
		return false
	})
	return last
}

// The scripted layout: two windows, four panes, each pane printing
// its own name; printf keeps the typed line from matching its output.
const scripted = `session: dev
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
              focus: true
            - command: printf '%s-%s\n' pane C
  - name: logs
    layout:
      command: printf '%s-%s\n' pane D
`

func TestLayoutFileMatchesCommands(t *testing.T) {
	// With commands.
	cmds := muxtest.NewServer(t)
	muxtest.MustRun(t, cmds, "new-session", "-d", "-s", "dev", "-n", "editor", "-x", "80", "-y", "24")
	muxtest.MustRun(t, cmds, "split-window", "-h", "-l", "32", "-t", "dev:editor")
	muxtest.MustRun(t, cmds, "split-window", "-v", "-l", "12", "-t", "dev:editor.1")
	muxtest.MustRun(t, cmds, "new-window", "-d", "-t", "dev", "-n", "logs")
	muxtest.MustRun(t, cmds, "select-pane", "-t", "dev:editor.1")

	// With a file.
	s := muxtest.NewServer(t)
	if out := apply(t, s, "dev.yaml", scripted); out != "" {
		t.Errorf("apply printed %q; only -n prints the plan", out)
	}
	if got, want := windows(t, s, "dev"), windows(t, cmds, "dev"); got != want {
		t.Errorf("layout file built\n%s\ncommands built\n%s", got, want)
	}
	if got := display(t, s, "dev", "#{window_name}.#{pane_index} #{session_windows} #{window_panes}"); got != "editor.1 2 3" {
		t.Errorf("focus and counts: %q, want editor.1 2 3", got)
	}
	for target, name := range map[string]string{"dev:editor.0": "A", "dev:editor.1": "B", "dev:editor.2": "C", "dev:logs.0": "D"} {
		out := waitLine(t, s, target, "pane-"+name)
		for _, other := range []string{"A", "B", "C", "D"} {
			if other != name && strings.Contains(out, "pane-"+other) {
				t.Errorf("%s shows pane-%s:\n%s", target, other, out)
			}
		}
	}
}

func TestLayoutSaveThenApply(t *testing.T) {
	s := muxtest.NewServer(t)
	muxtest.MustRun(t, s, "new-session", "-d", "-s", "w", "-n", "main", "-x", "120", "-y", "40", "-c", "/tmp")
	muxtest.MustRun(t, s, "split-window", "-h", "-p", "30", "-t", "w:main", "-c", "/")
	muxtest.MustRun(t, s, "split-window", "-v", "-l", "7", "-t", "w:main.0")
	muxtest.MustRun(t, s, "split-window", "-h", "-t", "w:main.2", "exec sleep 600")
	muxtest.MustRun(t, s, "new-window", "-t", "w")
	muxtest.MustRun(t, s, "split-window", "-v", "-t", "w:1")
	muxtest.MustRun(t, s, "select-pane", "-t", "w:main.1")
	before := windows(t, s, "w")
	focus := display(t, s, "w", "#{window_index}.#{pane_index}")
	const paneFormat = "#{window_index}.#{pane_index} #{pane_current_path} #{pane_current_command}"
	var panes string
	muxtest.Eventually(t, "sleep to start", func() bool {
		panes = muxtest.MustRun(t, s, "list-panes", "-s", "-t", "w", "-F", paneFormat)
		return strings.Contains(panes, " / sh\n") && strings.Contains(panes, " sleep\n")
	})

	saved := muxtest.MustRun(t, s, "save-layout", "-t", "w")
	for _, want := range []string{"session: w\n", "root: /tmp\n", "name: main\n", "command: exec sleep 600\n", "cwd: /\n", "focus: true\n", "%\n"} {
		if !strings.Contains(saved, want) {
			t.Errorf("saved file lacks %q:\n%s", want, saved)
		}
	}
	// Apply to a fresh server, and to this one after killing the session.
	fresh := mux.NewServer(mux.Config{Shell: "/bin/sh", Env: muxtest.Env, Width: 120, Height: 40})
	t.Cleanup(func() { fresh.Close() })
	muxtest.MustRun(t, s, "kill-session", "-t", "w")
	for name, srv := range map[string]*mux.Server{"fresh": fresh, "same": s} {
		apply(t, srv, "w.yaml", saved, "-x", "120", "-y", "40")
		if got := windows(t, srv, "w"); got != before {
			t.Errorf("%s: save then apply built\n%s\nwant\n%s\nfrom\n%s", name, got, before, saved)
		}
		if got := display(t, srv, "w", "#{window_index}.#{pane_index}"); got != focus {
			t.Errorf("%s: focus %s, want %s", name, got, focus)
		}
		var got string
		muxtest.Eventually(t, "the saved command to run", func() bool {
			got = muxtest.MustRun(t, srv, "list-panes", "-s", "-t", "w", "-F", paneFormat)
			return got == panes
		})
	}
}

func TestLayoutReapply(t *testing.T) {
	s := muxtest.NewServer(t)
	apply(t, s, "dev.yaml", scripted)
	waitLine(t, s, "dev:logs", "pane-D")
	pids := panePIDs(t, s, "dev")
	layoutBefore := windows(t, s, "dev")

	// Unchanged: the plan keeps everything, and applying changes nothing.
	plan := apply(t, s, "dev.yaml", scripted, "-n")
	if plan != "keep dev:editor\nkeep dev:logs\n" {
		t.Errorf("plan for an unchanged file:\n%s", plan)
	}
	apply(t, s, "dev.yaml", scripted)
	if got := panePIDs(t, s, "dev"); !mapsEqual(got, pids) {
		t.Errorf("re-apply changed panes: %v, was %v", got, pids)
	}

	// A pane added between B and C, and a window the file doesn't list.
	muxtest.MustRun(t, s, "new-window", "-d", "-t", "dev", "-n", "scratch")
	changed := strings.Replace(scripted, "            - command: printf '%s-%s\\n' pane C\n",
		"            - command: printf '%s-%s\\n' pane E\n            - command: printf '%s-%s\\n' pane C\n", 1)
	if changed == scripted {
		t.Fatal("test file edit did not apply")
	}
	plan = apply(t, s, "dev.yaml", changed, "-n")
	for _, want := range []string{"create pane dev:editor.2 ", "run 'printf '\\''%s-%s\\n'\\'' pane E' in dev:editor.2\n", "keep dev:logs\n", "keep dev:scratch (not in dev.yaml; --prune kills it)\n"} {
		if !strings.Contains(plan, want) {
			t.Errorf("plan lacks %q:\n%s", want, plan)
		}
	}
	if strings.Contains(plan, "\nkill") || strings.HasPrefix(plan, "kill") {
		t.Errorf("plan kills something:\n%s", plan)
	}
	if got := windows(t, s, "dev"); !strings.HasPrefix(got, layoutBefore) {
		t.Errorf("dry run changed the layout:\n%s", got)
	}
	apply(t, s, "dev.yaml", changed)
	got := panePIDs(t, s, "dev")
	if len(got) != len(pids)+2 {
		t.Errorf("after adding a pane (and a window): %d panes, want %d", len(got), len(pids)+2)
	}
	for id, pid := range pids {
		if got[id] != pid {
			t.Errorf("pane %s: pid %s, was %s", id, got[id], pid)
		}
	}
	waitLine(t, s, "dev:editor.2", "pane-E")
	if out := muxtest.MustRun(t, s, "capture-pane", "-p", "-t", "dev:editor.3"); !strings.Contains(out, "pane-C") {
		t.Errorf("pane C moved or was restarted:\n%s", out)
	}
	if plan := apply(t, s, "dev.yaml", changed, "-n"); plan != "keep dev:editor\nkeep dev:logs\nkeep dev:scratch (not in dev.yaml; --prune kills it)\n" {
		t.Errorf("plan after applying:\n%s", plan)
	}

	// Back to the old file, with --prune: E and scratch go, the rest stay.
	plan = apply(t, s, "dev.yaml", scripted, "-k", "-n")
	for _, want := range []string{"kill pane dev:editor.2 (%", "kill window dev:scratch\n"} {
		if !strings.Contains(plan, want) {
			t.Errorf("pruning plan lacks %q:\n%s", want, plan)
		}
	}
	apply(t, s, "dev.yaml", scripted, "-k")
	if got := windows(t, s, "dev"); got != layoutBefore {
		t.Errorf("after pruning:\n%s\nwant\n%s", got, layoutBefore)
	}
	if got := panePIDs(t, s, "dev"); !mapsEqual(got, pids) {
		t.Errorf("after pruning: %v, want %v", got, pids)
	}
}

func mapsEqual(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

func TestLayoutFileErrors(t *testing.T) {
	s := muxtest.NewServer(t)
	for _, tc := range []struct{ name, file, err string }{
		{"unknown key", "session: x\nwindows:\n  - name: a\n    layuot: {}\n", "bad.yaml:4: windows[0].layuot: unknown key"},
		{"size too big", "session: x\nwindows:\n  - layout:\n      split: horizontal\n      panes:\n        - size: 200\n        - {}\n",
			"bad.yaml:4: windows[0].layout.panes: sizes add up to 201 columns but only 79 are available"},
		{"missing cwd", "session: x\nwindows:\n  - layout:\n      cwd: /no/such/dir\n",
			"bad.yaml:4: windows[0].layout.cwd: no such directory: /no/such/dir"},
	} {
		_, err := muxtest.Run(s, "apply-layout", "bad.yaml", tc.file)
		if err == nil || !strings.HasPrefix(err.Error(), tc.err) {
			t.Errorf("%s: err %v, want %q…", tc.name, err, tc.err)
		}
	}
	if out := muxtest.MustRun(t, s, "list-sessions"); out != "" {
		t.Errorf("a bad file created sessions:\n%s", out)
	}
}

// A shell whose start-up takes a second and, like an rc file that runs a
// program reading the terminal, swallows whatever was typed meanwhile: a
// command typed at once (as tmuxinator and tmuxp do) is lost. With bash the
// command is also in the shell's history, which is why gosh types it rather
// than running it with "$SHELL -c".
func TestLayoutCommandWaitsForSlowShell(t *testing.T) {
	const slowRC = "sleep 1\ntimeout --foreground 0.5 cat >/dev/null\n"
	for _, tc := range []struct{ name, shell string }{
		{"sh", "/bin/sh"},
		{"bash", "/bin/bash"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := os.Stat(tc.shell); err != nil {
				t.Skip(err)
			}
			dir := t.TempDir()
			rc := filepath.Join(dir, "rc")
			wrapper := filepath.Join(dir, "slowsh")
			script := "#!/bin/sh\n. " + rc + "\nexec /bin/sh\n"
			if tc.name == "bash" {
				script = "#!/bin/sh\nexec /bin/bash --rcfile " + rc + " -i\n"
			}
			if err := os.WriteFile(rc, []byte(slowRC), 0o644); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(wrapper, []byte(script), 0o755); err != nil {
				t.Fatal(err)
			}
			env := append(append([]string{}, muxtest.Env...), "HISTFILE="+filepath.Join(dir, "history"))
			s := mux.NewServer(mux.Config{Shell: wrapper, Env: env})
			t.Cleanup(func() { s.Close() })
			apply(t, s, "slow.yaml", "session: slow\nwindows:\n  - layout:\n      command: printf '%s\\n' started-late\n")
			waitLine(t, s, "slow", "started-late")
			if tc.name == "bash" {
				muxtest.MustRun(t, s, "send-keys", "-t", "slow", "history", "Enter")
				muxtest.WaitCapture(t, s, "slow", "    1  printf '%s\\n' started-late\n")
			}
		})
	}
}

// The example files plan cleanly (their directories made to exist under a
// fake home), and the daemon reads a file itself when no content comes
// with it, as a key binding's apply-layout does.
func TestLayoutExamplesPlan(t *testing.T) {
	home := t.TempDir()
	for _, d := range []string{"src/gosh/vt", "src/project"} {
		if err := os.MkdirAll(filepath.Join(home, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	env := append([]string{}, muxtest.Env...)
	env = append(env, "HOME="+home)
	s := mux.NewServer(mux.Config{Shell: "/bin/sh", Env: env})
	t.Cleanup(func() { s.Close() })
	files, err := filepath.Glob("../examples/layouts/*.yaml")
	if err != nil || len(files) < 3 {
		t.Fatalf("examples: %v %v", files, err)
	}
	for _, f := range files {
		abs, _ := filepath.Abs(f)
		plan := muxtest.MustRun(t, s, "apply-layout", "-n", abs)
		if !strings.HasPrefix(plan, "create session ") || !strings.Contains(plan, "\nrun '") {
			t.Errorf("%s: plan\n%s", f, plan)
		}
		if f == "../examples/layouts/dev.yaml" && !strings.Contains(plan, "in "+home+"/src/gosh/vt\nrun 'go test ./...' in dev:editor.1\n") {
			t.Errorf("dev.yaml: the test pane's directory or command is wrong:\n%s", plan)
		}
	}
	if out := muxtest.MustRun(t, s, "list-sessions"); out != "" {
		t.Errorf("dry runs created sessions:\n%s", out)
	}
}

// -t picks one session of a file, or renames a file's only session; a file
// without a session name is named after the file; unnamed windows match by
// position on a re-apply.
func TestLayoutSessionTarget(t *testing.T) {
	s := muxtest.NewServer(t)
	apply(t, s, "dev.yaml", scripted, "-t", "dev2")
	if got := muxtest.MustRun(t, s, "list-sessions", "-F", "#{session_name}"); got != "dev2\n" {
		t.Errorf("sessions after -t dev2: %q", got)
	}
	two := "sessions:\n  - session: one\n    windows: [{}]\n  - session: two\n    windows: [{}, {}]\n"
	apply(t, s, "two.yaml", two, "-t", "two")
	if got := muxtest.MustRun(t, s, "list-sessions", "-F", "#{session_name} #{session_windows}"); got != "dev2 2\ntwo 2\n" {
		t.Errorf("sessions after -t two: %q", got)
	}
	if _, err := muxtest.Run(s, "apply-layout", "-t", "three", "two.yaml", two); err == nil || err.Error() != "apply-layout: the file has no session three" {
		t.Errorf("-t three: %v", err)
	}
	noName := "windows:\n  - {}\n  - layout: {split: vertical, panes: [{}, {}]}\n"
	apply(t, s, "/some/dir/scratch.yml", noName)
	if got := display(t, s, "scratch:1", "#{window_panes}"); got != "2" {
		t.Errorf("scratch:1 has %s panes", got)
	}
	pids := panePIDs(t, s, "scratch")
	if plan := apply(t, s, "/some/dir/scratch.yml", noName, "-n"); plan != "keep scratch:0\nkeep scratch:1\n" {
		t.Errorf("re-apply of unnamed windows:\n%s", plan)
	}
	apply(t, s, "/some/dir/scratch.yml", noName)
	if got := panePIDs(t, s, "scratch"); !mapsEqual(got, pids) {
		t.Errorf("re-apply restarted panes: %v, was %v", got, pids)
	}
}

// A kept pane whose command changed gets the new one typed when its shell
// is idle, and is left alone while it runs something.
func TestLayoutChangedCommand(t *testing.T) {
	s := muxtest.NewServer(t)
	file := func(a, b string) string {
		return "session: c\nwindows:\n  - layout:\n      split: horizontal\n      panes:\n        - command: " + a + "\n        - command: " + b + "\n"
	}
	apply(t, s, "c.yaml", file(`printf '%s\n' first`, "sleep 600"))
	waitLine(t, s, "c:0.0", "first")
	muxtest.Eventually(t, "sleep to run", func() bool { return display(t, s, "c:0.1", "#{pane_current_command}") == "sleep" })
	pids := panePIDs(t, s, "c")

	changed := file(`printf '%s\n' second`, "sleep 700")
	var plan string
	// The first pane's shell is idle once printf is done; poll for it.
	muxtest.Eventually(t, "a plan that reruns the idle pane", func() bool {
		plan = apply(t, s, "c.yaml", changed, "-n")
		return strings.Contains(plan, `(%0, idle at its prompt)`)
	})
	if want := "run 'printf '\\''%s\\n'\\'' second' in c:0.0 (%0, idle at its prompt)\nkeep c:0.1 (%1): busy running sleep, not 'sleep 700'; kill the pane to start it afresh\n"; plan != want {
		t.Errorf("plan:\n%s\nwant:\n%s", plan, want)
	}
	apply(t, s, "c.yaml", changed)
	waitLine(t, s, "c:0.0", "second")
	if got := panePIDs(t, s, "c"); !mapsEqual(got, pids) {
		t.Errorf("panes restarted: %v, was %v", got, pids)
	}
	if got := display(t, s, "c:0.0", "#{pane_start_command}"); got != `printf '%s\n' second` {
		t.Errorf("pane_start_command = %q", got)
	}
}

// envFile sets env at each level; the second pane overrides the session's.
const envFile = `session: e
env: {LEVEL: session}
windows:
  - name: one
    env: {WIN: w1}
    layout:
      split: horizontal
      panes:
        - env: {FOO: bar}
        - env: {FOO: baz, LEVEL: pane}
`

func TestLayoutSaveKeepsEnv(t *testing.T) {
	s := muxtest.NewServer(t)
	apply(t, s, "e.yaml", envFile, "-x", "80", "-y", "24")
	// split-window -e adds to the new pane's environment too
	muxtest.MustRun(t, s, "split-window", "-v", "-e", "EXTRA=x=1", "-t", "e:one.1")
	if _, err := muxtest.Run(s, "split-window", "-e", "NOEQUALS", "-t", "e:one.0"); err == nil || err.Error() != "invalid environment: NOEQUALS" {
		t.Errorf("split-window -e NOEQUALS: %v", err)
	}
	saved := muxtest.MustRun(t, s, "save-layout", "-t", "e")
	for _, want := range []string{"env: {FOO: bar, LEVEL: session, WIN: w1}\n", "env: {FOO: baz, LEVEL: pane, WIN: w1}\n", "env: {EXTRA: x=1}\n"} {
		if !strings.Contains(saved, want) {
			t.Errorf("saved file lacks %q:\n%s", want, saved)
		}
	}
	if strings.Contains(saved, "PATH") || strings.Contains(saved, "GOSH") {
		t.Errorf("saved file repeats the inherited environment:\n%s", saved)
	}
	// applying the saved file elsewhere starts each pane with the same additions
	fresh := muxtest.NewServer(t)
	apply(t, fresh, "e.yaml", saved, "-x", "80", "-y", "24")
	want := map[string]string{"e:one.0": "v=session/w1/bar/", "e:one.1": "v=pane/w1/baz/", "e:one.2": "v=///x=1"}
	for target, line := range want {
		waitLine(t, fresh, target, "$") // typed before the prompt, the output would follow it on its line
		muxtest.MustRun(t, fresh, "send-keys", "-t", target, `echo "v=$LEVEL/$WIN/$FOO/$EXTRA"`, "Enter")
		waitLine(t, fresh, target, line)
	}
}
