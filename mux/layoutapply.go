package mux

import (
	"errors"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/goshterm/gosh/mux/command"
	"github.com/goshterm/gosh/mux/layout"
)

// Applying a layout file (apply-layout, "gosh layout apply").
//
// An apply is planned in full before anything changes, so that an error
// anywhere in the file (a size that does not fit, a missing directory)
// changes nothing; the plan is what --dry-run prints. The rules:
//
//   - A session the file names is created when missing. The file's name
//     without its extension names a session the file leaves unnamed, so
//     that applying the same file twice finds the same session.
//   - In an existing session, windows are matched by explicit name (an
//     unnamed file window matches the automatically named window at the
//     same position). Missing windows are created. Windows the file does
//     not list are kept, as tmuxp and tmuxinator leave them; -k (--prune)
//     kills them.
//   - In a matched window the file's panes are matched to the window's by
//     start command, in pane order (a longest common subsequence), so that
//     adding a pane in the middle of a file keeps every other pane's
//     process. Leftover panes between two matches are paired in order and
//     kept; a kept pane whose command differs gets the file's command typed
//     if its shell is idle at a prompt, and is otherwise left running (the
//     plan says so: killing someone's editor is not a layout change). Panes
//     the file no longer lists are killed, and new ones started.
//   - The window's tree is then rebuilt from the file at the window's
//     current size: kept panes are resized, not restarted. A window whose
//     panes and sizes already match is left alone, zoom included.
//   - cwd and env apply when a pane starts; a kept pane keeps its process.
//   - focus selects the window and pane; without it an existing session's
//     selection is left alone and a new window selects its first pane.
//
// Startup commands are typed into the pane's shell, as tmux users expect
// (the command is in the shell's history, ^C leaves the shell, and the shell
// stays when the command ends). Running "$SHELL -c 'cmd; exec $SHELL'"
// instead would avoid waiting but lose all three. Typing is deferred until
// the shell is ready (see typeWhenReady in layoutready.go): tmuxinator and
// tmuxp type at once, and a slow rc file that reads the terminal, or a shell
// that flushes typeahead, loses or garbles the command.

// ApplyLayout implements command.Layouts.
func (e *env) ApplyLayout(o command.ApplyLayoutOptions) ([]string, error) {
	content := o.Content
	if content == nil {
		path := o.File
		if !filepath.IsAbs(path) && e.c.Cwd != "" {
			path = filepath.Join(e.c.Cwd, path)
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return nil, fmt.Errorf("apply-layout: %w", err)
		}
		content = b
	}
	f, err := layout.ParseFile(o.File, content)
	if err != nil {
		return nil, err
	}
	specs := f.Sessions
	if o.Session != "" {
		specs, err = pickSession(specs, o.Session)
		if err != nil {
			return nil, err
		}
	}
	for i := range specs {
		if specs[i].Name == "" {
			base := filepath.Base(o.File)
			specs[i].Name = strings.TrimSuffix(base, filepath.Ext(base))
		}
		specs[i].Name = command.SessionName(specs[i].Name)
	}

	s := e.s
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil, ErrServerClosed
	}
	a := &applier{s: s, cwd: e.c.Cwd, home: s.home(), o: o}
	var plans []*sessionPlan
	var lines []string
	for _, spec := range specs {
		sp, err := a.planSession(spec)
		if err != nil {
			return nil, err
		}
		plans = append(plans, sp)
		lines = append(lines, sp.lines...)
	}
	if o.DryRun {
		return lines, nil
	}
	for _, sp := range plans {
		if err := a.execSession(sp); err != nil {
			return lines, err
		}
	}
	return lines, nil
}

// pickSession selects the file's session called name, or renames the file's
// only session.
func pickSession(specs []layout.SessionSpec, name string) ([]layout.SessionSpec, error) {
	for _, s := range specs {
		if s.Name == name {
			return []layout.SessionSpec{s}, nil
		}
	}
	if len(specs) == 1 {
		specs[0].Name = name
		return specs, nil
	}
	return nil, fmt.Errorf("apply-layout: the file has no session %s", name)
}

// home is the panes' home directory, for "~" in layout files.
func (s *Server) home() string {
	for _, kv := range slices.Backward(s.cfg.Env) {
		if v, ok := strings.CutPrefix(kv, "HOME="); ok && v != "" {
			return v
		}
	}
	h, _ := os.UserHomeDir()
	return h
}

type applier struct {
	s    *Server
	cwd  string // the client's directory: relative roots start here
	home string
	o    command.ApplyLayoutOptions
}

type sessionPlan struct {
	spec          layout.SessionSpec
	ss            *Session // nil: create it
	dir           string
	width, height int
	windows       []*windowPlan
	prune         []*Window
	lines         []string
}

type windowPlan struct {
	spec   layout.WindowSpec
	w      *Window // nil: create it
	target string  // "dev:editor", for the plan
	index  int     // a new window's index
	// panes are the file's panes in pane order; tree is the file's layout
	// with pane j as placeholder ID -1-j.
	panes   []*panePlan
	tree    *layout.Tree
	kill    []*Pane
	changed bool // the tree must be replaced
	focus   int  // the file pane with focus, or -1
	select_ bool // make this the session's current window
}

type panePlan struct {
	spec layout.PaneSpec
	p    *Pane // the kept pane, or nil: start one
	dir  string
	env  []string
	vars map[string]string // the file's additions in env, for save-layout
	run  bool              // type spec.Command once the shell is ready
}

func placeholder(j int) layout.PaneID { return layout.PaneID(-1 - j) }

func (a *applier) planSession(spec layout.SessionSpec) (*sessionPlan, error) {
	s := a.s
	sp := &sessionPlan{spec: spec}
	sp.ss, _ = s.findSessionLocked("=" + spec.Name)
	sp.dir = layout.JoinDir(a.home, a.cwd, spec.Root)
	if spec.Root != "" {
		if err := checkDir(sp.dir, spec.Source, "root"); err != nil {
			return nil, err
		}
	}
	if sp.ss == nil {
		sp.width, sp.height = a.o.Width, a.o.Height
		if sp.width <= 0 {
			sp.width = s.cfg.Width
		}
		if sp.height <= 0 {
			sp.height = s.cfg.Height
		}
		sp.width, sp.height = min(sp.width, layout.MaxSize), min(sp.height, layout.MaxSize)
		sp.lines = append(sp.lines, fmt.Sprintf("create session %s (%dx%d in %s)", spec.Name, sp.width, sp.height, sp.dir))
	} else {
		sp.width, sp.height = sp.ss.width, sp.ss.height
	}

	// Match the file's windows to the session's.
	matched := make([]*Window, len(spec.Windows))
	claimed := map[*Window]bool{}
	var existing []*Window
	if sp.ss != nil {
		existing = sp.ss.windowsLocked()
	}
	for i, ws := range spec.Windows {
		if ws.Name == "" {
			continue
		}
		for _, w := range existing {
			if !claimed[w] && w.name == ws.Name {
				matched[i], claimed[w] = w, true
				break
			}
		}
	}
	for i, ws := range spec.Windows {
		if ws.Name == "" && i < len(existing) && !claimed[existing[i]] && existing[i].name == "" {
			matched[i], claimed[existing[i]] = existing[i], true
		}
	}
	// New windows take the lowest free indexes, in file order.
	used := map[int]bool{}
	for _, w := range existing {
		used[w.index] = true
	}
	next := s.optionIntLocked(nil, "base-index")
	for i, ws := range spec.Windows {
		index := -1
		if matched[i] == nil {
			for used[next] {
				next++
			}
			index, used[next] = next, true
		}
		wp, err := a.planWindow(sp, ws, index, matched[i])
		if err != nil {
			return nil, err
		}
		sp.windows = append(sp.windows, wp)
	}
	for _, w := range existing {
		if claimed[w] {
			continue
		}
		t := spec.Name + ":" + windowLabel(w)
		if a.o.Prune {
			sp.prune = append(sp.prune, w)
			sp.lines = append(sp.lines, "kill window "+t)
		} else {
			sp.lines = append(sp.lines, fmt.Sprintf("keep %s (not in %s; --prune kills it)", t, a.o.File))
		}
	}
	return sp, nil
}

func windowLabel(w *Window) string {
	if w.name != "" {
		return w.name
	}
	return strconv.Itoa(w.index)
}

// checkDir reports a directory that does not exist as an error in the file.
func checkDir(dir string, src layout.Source, field string) error {
	fi, err := os.Stat(dir)
	if err == nil && fi.IsDir() {
		return nil
	}
	msg := "no such directory: " + dir
	if err == nil {
		msg = "not a directory: " + dir
	}
	if src.Field != "" {
		field = src.Field + "." + field
	}
	src.Field = field
	return &layout.Error{Source: src, Msg: msg}
}

// leaves returns the file's panes in pane order (the order Build numbers
// them in).
func leaves(n layout.Node, out []layout.Node) []layout.Node {
	if n.Split == 0 {
		return append(out, n)
	}
	for _, c := range n.Children {
		out = leaves(c, out)
	}
	return out
}

// planWindow plans the file's window ws: into the existing window w, or a
// new window at index.
func (a *applier) planWindow(sp *sessionPlan, ws layout.WindowSpec, index int, w *Window) (*windowPlan, error) {
	s := a.s
	wp := &windowPlan{spec: ws, w: w, index: index, focus: -1}
	label := ws.Name
	if label == "" {
		if w != nil {
			index = w.index
		}
		label = strconv.Itoa(index)
	}
	wp.target = sp.spec.Name + ":" + label
	width, height := sp.width, sp.height
	if w != nil {
		width, height = w.tree.WindowSize()
	}
	next := 0
	tree, _, err := ws.Build(width, height, func() layout.PaneID { next++; return placeholder(next - 1) })
	if err != nil {
		return nil, err
	}
	wp.tree = tree
	var lines []string
	for j, n := range leaves(ws.Layout, nil) {
		pp := &panePlan{spec: n.Pane}
		pp.dir = layout.JoinDir(a.home, a.cwd, sp.spec.Root, ws.Cwd, n.Pane.Cwd)
		switch {
		case n.Pane.Cwd != "":
			err = checkDir(pp.dir, n.Source, "cwd")
		case ws.Cwd != "":
			err = checkDir(pp.dir, ws.Source, "cwd")
		}
		if err != nil {
			return nil, err
		}
		pp.vars = mergeEnv(sp.spec.Env, ws.Env, n.Pane.Env)
		pp.env = paneEnv(s.cfg.Env, pp.vars)
		if n.Pane.Focus {
			wp.focus = j
		}
		wp.panes = append(wp.panes, pp)
	}
	base := s.optionIntLocked(w, "pane-base-index")
	order := tree.Panes() // placeholders, in the built tree's pane order
	paneIndex := func(j int) int { return slices.Index(order, placeholder(j)) + base }

	if w == nil {
		lines = append(lines, fmt.Sprintf("create window %s", wp.target))
		for j, pp := range wp.panes {
			r, _ := tree.Rect(placeholder(j))
			lines = append(lines, fmt.Sprintf("create pane %s.%d %dx%d in %s", wp.target, paneIndex(j), r.W, r.H, pp.dir))
			if pp.spec.Command != "" {
				pp.run = true
				lines = append(lines, fmt.Sprintf("run %s in %s.%d", quote(pp.spec.Command), wp.target, paneIndex(j)))
			}
		}
		wp.changed = true
	} else {
		old := w.panesLocked()
		pairs := matchPanes(old, wp.panes)
		kept := map[*Pane]bool{}
		for j, k := range pairs {
			if k >= 0 {
				wp.panes[j].p = old[k]
				kept[old[k]] = true
			}
		}
		for _, p := range old {
			if !kept[p] {
				wp.kill = append(wp.kill, p)
				lines = append(lines, fmt.Sprintf("kill pane %s.%d (%%%d)", wp.target, w.paneIndexLocked(p)+base, p.id))
			}
		}
		// The target tree with the kept panes' real ids, to compare.
		final := func(j int) layout.PaneID {
			if p := wp.panes[j].p; p != nil {
				return paneID(p)
			}
			return placeholder(j)
		}
		k := 0
		cmp, _, _ := ws.Build(width, height, func() layout.PaneID { k++; return final(k - 1) })
		wp.changed = len(wp.kill) > 0 || cmp.String() != w.tree.String()
		for j, pp := range wp.panes {
			t := fmt.Sprintf("%s.%d", wp.target, paneIndex(j))
			r, _ := tree.Rect(placeholder(j))
			if pp.p == nil {
				lines = append(lines, fmt.Sprintf("create pane %s %dx%d in %s", t, r.W, r.H, pp.dir))
				if pp.spec.Command != "" {
					pp.run = true
					lines = append(lines, fmt.Sprintf("run %s in %s", quote(pp.spec.Command), t))
				}
				continue
			}
			if wp.changed {
				if was, _ := w.tree.Rect(paneID(pp.p)); was.W != r.W || was.H != r.H || was.X != r.X || was.Y != r.Y {
					lines = append(lines, fmt.Sprintf("resize %s (%%%d) %dx%d at %d,%d to %dx%d at %d,%d", t, pp.p.id, was.W, was.H, was.X, was.Y, r.W, r.H, r.X, r.Y))
				}
			}
			switch {
			case pp.p.command == pp.spec.Command:
			case pp.spec.Command == "":
				lines = append(lines, fmt.Sprintf("keep %s (%%%d): it runs %s and the file gives no command", t, pp.p.id, quote(pp.p.command)))
			case shellIdle(pp.p):
				pp.run = true
				lines = append(lines, fmt.Sprintf("run %s in %s (%%%d, idle at its prompt)", quote(pp.spec.Command), t, pp.p.id))
			default:
				name, _ := pp.p.proc.Load().ForegroundName()
				lines = append(lines, fmt.Sprintf("keep %s (%%%d): busy running %s, not %s; kill the pane to start it afresh", t, pp.p.id, name, quote(pp.spec.Command)))
			}
		}
	}
	// Focus.
	if wp.focus >= 0 && (w == nil || w.active != wp.panes[wp.focus].p) {
		lines = append(lines, fmt.Sprintf("select pane %s.%d", wp.target, paneIndex(wp.focus)))
	}
	if ws.Focus && (sp.ss == nil || sp.ss.current != w || w == nil) {
		wp.select_ = true
		lines = append(lines, "select window "+wp.target)
	}
	if len(lines) == 0 {
		lines = []string{"keep " + wp.target}
	}
	sp.lines = append(sp.lines, lines...)
	return wp, nil
}

// matchPanes pairs the file's panes with a window's: out[j] is the index in
// old of the pane kept for file pane j, or -1 for a new pane. Panes with
// equal start commands are matched in order (a longest common
// subsequence); between two matches the leftovers are paired in order.
func matchPanes(old []*Pane, file []*panePlan) []int {
	n, m := len(old), len(file)
	out := make([]int, m)
	for j := range out {
		out[j] = -1
	}
	if n*m > 1<<20 {
		for j := range min(n, m) {
			out[j] = j
		}
		return out
	}
	// lcs[i][j] is the LCS length of old[i:] and file[j:].
	lcs := make([][]int, n+1)
	for i := range lcs {
		lcs[i] = make([]int, m+1)
	}
	for i := n - 1; i >= 0; i-- {
		for j := m - 1; j >= 0; j-- {
			if old[i].command == file[j].spec.Command {
				lcs[i][j] = lcs[i+1][j+1] + 1
			} else {
				lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
			}
		}
	}
	i, j := 0, 0
	gi, gj := 0, 0 // the start of the current gap
	pairGap := func(ei, ej int) {
		for k := 0; gi+k < ei && gj+k < ej; k++ {
			out[gj+k] = gi + k
		}
	}
	for i < n && j < m {
		switch {
		case old[i].command == file[j].spec.Command:
			pairGap(i, j)
			out[j] = i
			i, j = i+1, j+1
			gi, gj = i, j
		case lcs[i+1][j] >= lcs[i][j+1]:
			i++
		default:
			j++
		}
	}
	pairGap(n, m)
	return out
}

// mergeEnv merges the session's, window's and pane's additions to the
// environment (later ones win); nil when there are none.
func mergeEnv(adds ...map[string]string) map[string]string {
	var merged map[string]string
	for _, add := range adds {
		if len(add) > 0 && merged == nil {
			merged = map[string]string{}
		}
		maps.Copy(merged, add)
	}
	return merged
}

// paneEnv is the environment of a new pane: the server's, then vars
// (after the server's, so they win, as exec's last duplicate does).
func paneEnv(base []string, vars map[string]string) []string {
	out := slices.Clip(base)
	for _, k := range slices.Sorted(maps.Keys(vars)) {
		out = append(out, k+"="+vars[k])
	}
	return out
}

// quote writes a command for the plan in shell single quotes.
func quote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

func (a *applier) execSession(sp *sessionPlan) error {
	s := a.s
	ss := sp.ss
	if ss == nil {
		s.nextID.session++
		ss = &Session{id: s.nextID.session - 1, name: sp.spec.Name, created: s.cfg.Now(), windows: map[int]*Window{},
			options: map[string]string{}, width: sp.width, height: sp.height, cwd: sp.dir}
	}
	var first *Window
	for _, wp := range sp.windows {
		if wp.w == nil {
			w, err := a.newWindowLocked(ss, wp.index, wp)
			if err != nil {
				if sp.ss == nil {
					for _, w := range ss.windowsLocked() {
						s.removeWindowLocked(w)
					}
				}
				return fmt.Errorf("apply-layout: create window %s: %w", wp.target, err)
			}
			wp.w = w
		} else if err := a.reshapeLocked(wp); err != nil {
			return fmt.Errorf("apply-layout: %s: %w", wp.target, err)
		}
		if first == nil {
			first = wp.w
		}
		if wp.select_ {
			ss.selectWindowLocked(wp.w)
		}
	}
	if sp.ss == nil {
		if ss.current == nil {
			ss.current = first
		}
		s.sessions[ss.id] = ss
		s.hadAny = true
		s.touchLocked(ss)
		s.log.Info("session created from layout", "name", ss.name, "file", a.o.File)
	}
	for _, w := range sp.prune {
		s.removeWindowLocked(w)
	}
	return nil
}

// startPanesLocked starts the file's new panes at their places in wp.tree.
func (a *applier) startPanesLocked(wp *windowPlan) error {
	s := a.s
	for j, pp := range wp.panes {
		if pp.p != nil {
			continue
		}
		r, _ := wp.tree.Rect(placeholder(j))
		p, err := s.startPaneLocked(s.paneArgv(nil), pp.dir, pp.env, r.W, r.H)
		if err != nil {
			for _, q := range wp.panes[:j] {
				if q.p != nil && q.p.window == nil {
					s.removePaneLocked(q.p)
					q.p = nil
				}
			}
			return err
		}
		if pp.run {
			p.command = pp.spec.Command
		}
		p.env = pp.vars
		pp.p = p
	}
	return nil
}

// finalTree builds the window's tree with the panes' real ids.
func (wp *windowPlan) finalTree() *layout.Tree {
	width, height := wp.tree.WindowSize()
	k := 0
	t, _, _ := wp.spec.Build(width, height, func() layout.PaneID { k++; return paneID(wp.panes[k-1].p) })
	return t
}

func (a *applier) newWindowLocked(ss *Session, index int, wp *windowPlan) (*Window, error) {
	s := a.s
	if err := a.startPanesLocked(wp); err != nil {
		return nil, err
	}
	s.nextID.window++
	w := &Window{id: s.nextID.window - 1, index: index, name: wp.spec.Name, session: ss,
		tree: wp.finalTree(), panes: map[int]*Pane{}, options: map[string]string{}}
	for _, pp := range wp.panes {
		pp.p.window = w
		w.panes[pp.p.id] = pp.p
	}
	w.active = wp.panes[0].p
	if wp.focus >= 0 {
		w.active = wp.panes[wp.focus].p
	}
	ss.windows[index] = w
	s.windows[w.id] = w
	w.applyLayoutLocked()
	a.typeCommandsLocked(wp)
	return w, nil
}

// reshapeLocked brings an existing window to the file's layout.
func (a *applier) reshapeLocked(wp *windowPlan) error {
	s, w := a.s, wp.w
	if wp.changed {
		if err := a.startPanesLocked(wp); err != nil {
			return err
		}
		w.tree.Unzoom()
		w.tree = wp.finalTree()
		for _, pp := range wp.panes {
			if pp.p.window == nil {
				pp.p.window = w
				w.panes[pp.p.id] = pp.p
			}
		}
		for _, p := range wp.kill {
			s.removePaneLocked(p)
		}
		w.applyLayoutLocked()
	}
	for _, pp := range wp.panes {
		if pp.run {
			pp.p.command = pp.spec.Command
		}
	}
	if wp.focus >= 0 {
		w.selectPaneLocked(wp.panes[wp.focus].p)
	}
	a.typeCommandsLocked(wp)
	return nil
}

// typeCommandsLocked starts, for each pane with a command to run, a
// goroutine that types it once the pane's shell is ready.
func (a *applier) typeCommandsLocked(wp *windowPlan) {
	for _, pp := range wp.panes {
		if pp.run {
			a.s.wg.Add(1)
			go a.s.typeWhenReady(pp.p, pp.spec.Command)
		}
	}
}

// errNoSession is returned by SaveLayout for a session that has gone.
var errNoSession = errors.New("save-layout: no such session")

// SaveLayout implements command.Layouts: r's session as a layout file.
// Sizes are percentages where a whole percentage gives exactly the pane's
// cells at the window's size, else cells, so that applying the file at the
// same size rebuilds the same tree and at another size scales what it can.
// A pane's command is the one it was started with (by a layout file or
// split-window), else the foreground program's command line if that is not
// the shell; its cwd is the foreground program's, relative to the
// session's directory. Its env is what was added to the daemon's
// environment when it started (the file's env, or -e), merged from the
// session, window and pane levels; variables the program set later are not
// visible to the daemon and not saved.
func (e *env) SaveLayout(r command.Ref) ([]byte, error) {
	s := e.s
	s.mu.Lock()
	ss := s.sessions[r.Session]
	if ss == nil {
		s.mu.Unlock()
		return nil, errNoSession
	}
	spec := layout.SessionSpec{Name: ss.name, Root: ss.cwd}
	for _, w := range ss.windowsLocked() {
		multi := len(w.panes) > 1
		ws := layout.SaveWindow(w.name, w.tree, func(id layout.PaneID) layout.PaneSpec {
			p := w.panes[int(id)]
			if p == nil {
				return layout.PaneSpec{}
			}
			return layout.PaneSpec{Command: savedCommand(p), Cwd: savedCwd(p, ss.cwd), Env: maps.Clone(p.env), Focus: multi && w.active == p}
		})
		ws.Focus = ss.current == w
		tw, th := w.tree.Size()
		percentages(&ws.Layout, tw, th)
		spec.Windows = append(spec.Windows, ws)
	}
	s.mu.Unlock()
	return layout.MarshalFile(&layout.File{Sessions: []layout.SessionSpec{spec}})
}

// savedCommand is what a saved file should run in p.
func savedCommand(p *Pane) string {
	if p.command != "" {
		return p.command
	}
	proc := p.proc.Load()
	pg, err := proc.ForegroundPgrp()
	if err != nil || pg == proc.Pid() || pg <= 0 {
		return ""
	}
	b, err := os.ReadFile(filepath.Join("/proc", strconv.Itoa(pg), "cmdline"))
	if err != nil {
		return ""
	}
	args := strings.Split(strings.TrimSuffix(string(b), "\x00"), "\x00")
	for i, a := range args {
		if a == "" || strings.ContainsAny(a, " \t\n'\"\\$`;&|<>()*?[]#~{}!") {
			args[i] = quote(a)
		}
	}
	return strings.Join(args, " ")
}

func savedCwd(p *Pane, root string) string {
	d, err := p.proc.Load().Cwd()
	if err != nil || d == root {
		return ""
	}
	if root != "" {
		if rel, err := filepath.Rel(root, d); err == nil && !strings.HasPrefix(rel, "..") {
			return "./" + rel
		}
	}
	return d
}

// percentages turns each sized child's cells into the whole percentage
// that Build resolves to the same cells, where there is one.
func percentages(n *layout.Node, w, h int) {
	if n.Split == 0 {
		return
	}
	ext, across := w, h
	if n.Split == layout.Vertical {
		ext, across = h, w
	}
	avail := ext - (len(n.Children) - 1)
	used := 0
	for i := range n.Children {
		c := &n.Children[i]
		size := c.Size.N
		if c.Size.IsZero() {
			size = avail - used
		}
		used += size
		if !c.Size.IsZero() && !c.Size.Percent && avail > 0 {
			for pct := 1; pct <= 100; pct++ {
				if avail*pct/100 == size {
					c.Size = layout.Percent(pct)
					break
				}
			}
		}
		if n.Split == layout.Vertical {
			percentages(c, across, size)
		} else {
			percentages(c, size, across)
		}
	}
}
