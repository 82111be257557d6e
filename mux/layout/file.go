package layout

// Layout files: YAML that describes sessions, their windows and each
// window's panes, for "gosh layout apply FILE" and "gosh layout save".
//
//	session: dev                # one session per file…
//	root: ~/src/gosh            # default working directory of every pane
//	env: {EDITOR: vim}          # added to every pane's environment
//	windows:
//	  - name: editor
//	    focus: true             # the window selected after apply
//	    cwd: ./cmd              # relative to root
//	    layout:                 # a pane, or a split with panes
//	      split: horizontal     # side by side; vertical stacks them
//	      panes:
//	        - size: 60%         # along the split: 60% or 30 (cells);
//	          command: vim      #   unsized panes share what is left
//	          focus: true       # the pane selected in this window
//	        - split: vertical
//	          panes:
//	            - command: go test ./...
//	              cwd: ./vt
//	              env: {GOFLAGS: -race}
//	            - {}            # a plain shell
//	  - name: logs
//	    preset: tiled           # a select-layout name, over a flat list
//	    panes:
//	      - command: journalctl -f
//	      - command: htop
//
// or "sessions:" with a list of such session mappings. Unknown keys,
// wrong types and impossible values are errors naming the file, line and
// field; sizes are checked against the window when the file is applied
// ([WindowSpec.Build]).

import (
	"errors"
	"fmt"
	"maps"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// File is a parsed layout file.
type File struct {
	Sessions []SessionSpec
}

// SessionSpec is one session of a layout file.
type SessionSpec struct {
	Name    string
	Root    string            // default working directory; "~" is the user's home
	Env     map[string]string // added to every pane's environment
	Windows []WindowSpec
	Source  Source
}

// WindowSpec is one window: its name and the tree of its panes.
type WindowSpec struct {
	Name   string
	Focus  bool
	Cwd    string            // relative to the session's root
	Env    map[string]string // added to each pane's environment
	Preset Preset            // 0, or a select-layout applied after building
	Layout Node
	Source Source
}

// Node is a pane (Split is 0) or a split of two or more Children.
type Node struct {
	Split    Dir
	Size     Size // along the parent split; zero: an equal share of the rest
	Children []Node
	Pane     PaneSpec // a pane's facts; empty for a split
	Source   Source
}

// PaneSpec is what a pane runs.
type PaneSpec struct {
	Command string            // typed into the pane's shell once it is ready; "" for none
	Cwd     string            // relative to the window's cwd
	Env     map[string]string // added to the environment
	Focus   bool
}

// Source is where a value was read, for errors found after parsing. It is
// the zero Source for specs built in code, and MarshalFile ignores it.
type Source struct {
	File  string
	Line  int
	Field string // the path to the value, like windows[0].layout.panes[1]
}

// Error is a problem in a layout file. It prints as
// "FILE:LINE: FIELD: MESSAGE", the form editors jump to.
type Error struct {
	Source
	Msg string
}

func (e *Error) Error() string {
	var b strings.Builder
	if e.File != "" {
		b.WriteString(e.File)
		b.WriteString(":")
	}
	if e.Line > 0 {
		b.WriteString(strconv.Itoa(e.Line))
		b.WriteString(":")
	}
	if b.Len() > 0 {
		b.WriteString(" ")
	} else {
		b.WriteString("layout: ")
	}
	if e.Field != "" {
		b.WriteString(e.Field)
		b.WriteString(": ")
	}
	b.WriteString(e.Msg)
	return b.String()
}

// Bounds on what a file may hold, so that a hostile or broken file cannot
// make the parser do unbounded work (YAML aliases can expand
// exponentially).
const (
	maxFileNodes  = 20000
	maxFileDepth  = 64
	maxFileErrors = 20
)

// ParseFile reads a layout file. name is used in error messages only. The
// error, if any, joins every problem found (up to a bound), each an *Error.
func ParseFile(name string, data []byte) (*File, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, yamlError(name, err)
	}
	p := &fileParser{file: name}
	f := p.file_(&doc)
	if len(p.errs) > 0 {
		return nil, errors.Join(p.errs...)
	}
	return f, nil
}

var yamlLine = regexp.MustCompile(`^yaml: line (\d+): `)

func yamlError(name string, err error) error {
	msg := err.Error()
	if m := yamlLine.FindStringSubmatch(msg); m != nil {
		line, _ := strconv.Atoi(m[1])
		return &Error{Source{File: name, Line: line}, strings.TrimPrefix(msg, m[0])}
	}
	return &Error{Source{File: name}, strings.TrimPrefix(msg, "yaml: ")}
}

type fileParser struct {
	file  string
	errs  []error
	nodes int
}

func (p *fileParser) errorf(n *yaml.Node, field, format string, args ...any) {
	if len(p.errs) >= maxFileErrors {
		return
	}
	line := 0
	if n != nil {
		line = n.Line
	}
	p.errs = append(p.errs, &Error{Source{p.file, line, field}, fmt.Sprintf(format, args...)})
}

func (p *fileParser) src(n *yaml.Node, field string) Source {
	return Source{File: p.file, Line: n.Line, Field: field}
}

// resolve follows aliases and counts nodes against maxFileNodes.
func (p *fileParser) resolve(n *yaml.Node) *yaml.Node {
	for i := 0; n != nil && n.Kind == yaml.AliasNode && i < 100; i++ {
		n = n.Alias
	}
	if n == nil || n.Kind == yaml.AliasNode {
		n = &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!null"}
	}
	p.nodes++
	if p.nodes == maxFileNodes {
		p.errorf(n, "", "file too large (more than %d values, counting aliases each time they are used)", maxFileNodes)
	}
	if p.nodes >= maxFileNodes {
		// Stop walking: every further value reads as empty.
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!null", Line: n.Line}
	}
	return n
}

// fields checks that n is a mapping with only the allowed keys, each once,
// and returns the values by key.
func (p *fileParser) fields(n *yaml.Node, field string, allowed ...string) map[string]*yaml.Node {
	n = p.resolve(n)
	out := map[string]*yaml.Node{}
	if n == nil || n.Kind != yaml.MappingNode {
		p.errorf(n, field, "must be a mapping, not %s", kindName(n))
		return out
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := p.resolve(n.Content[i]), n.Content[i+1]
		if k.Kind != yaml.ScalarNode {
			p.errorf(k, field, "keys must be plain words")
			continue
		}
		if !slices.Contains(allowed, k.Value) {
			p.errorf(k, join(field, k.Value), "unknown key (want one of %s)", strings.Join(allowed, ", "))
			continue
		}
		if out[k.Value] != nil {
			p.errorf(k, join(field, k.Value), "given twice")
			continue
		}
		out[k.Value] = v
	}
	return out
}

func join(field, key string) string {
	if field == "" {
		return key
	}
	return field + "." + key
}

func kindName(n *yaml.Node) string {
	if n == nil {
		return "nothing"
	}
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.ScalarNode:
		if n.Tag == "!!null" {
			return "empty"
		}
		return fmt.Sprintf("%q", n.Value)
	}
	return "an alias"
}

func (p *fileParser) str(n *yaml.Node, field string) string {
	n = p.resolve(n)
	if n.Kind != yaml.ScalarNode || n.Tag == "!!null" {
		p.errorf(n, field, "must be a string, not %s", kindName(n))
		return ""
	}
	return n.Value
}

// dir reads a directory, where a bare ~ (YAML's null) means the home
// directory, as the user meant.
func (p *fileParser) dir(n *yaml.Node, field string) string {
	if r := p.resolve(n); r.Kind == yaml.ScalarNode && r.Tag == "!!null" && r.Value == "~" {
		return "~"
	}
	return p.str(n, field)
}

func (p *fileParser) boolean(n *yaml.Node, field string) bool {
	n = p.resolve(n)
	if n.Kind != yaml.ScalarNode || n.Tag != "!!bool" {
		p.errorf(n, field, "must be true or false, not %s", kindName(n))
		return false
	}
	return n.Value == "true" || n.Value == "True" || n.Value == "TRUE"
}

func (p *fileParser) list(n *yaml.Node, field string) []*yaml.Node {
	n = p.resolve(n)
	if n.Kind != yaml.SequenceNode {
		p.errorf(n, field, "must be a list, not %s", kindName(n))
		return nil
	}
	return n.Content
}

func (p *fileParser) env(n *yaml.Node, field string) map[string]string {
	n = p.resolve(n)
	if n.Kind != yaml.MappingNode {
		p.errorf(n, field, "must be a mapping of NAME: value, not %s", kindName(n))
		return nil
	}
	out := map[string]string{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := p.resolve(n.Content[i]), p.resolve(n.Content[i+1])
		if k.Kind != yaml.ScalarNode || k.Value == "" || strings.ContainsAny(k.Value, "=\x00") {
			p.errorf(k, field, "%s is not a variable name", kindName(k))
			continue
		}
		f := join(field, k.Value)
		if _, dup := out[k.Value]; dup {
			p.errorf(k, f, "given twice")
			continue
		}
		if v.Kind != yaml.ScalarNode || strings.Contains(v.Value, "\x00") {
			p.errorf(v, f, "must be a string, not %s", kindName(v))
			continue
		}
		out[k.Value] = v.Value
		if v.Tag == "!!null" {
			out[k.Value] = ""
		}
	}
	return out
}

func (p *fileParser) file_(doc *yaml.Node) *File {
	f := &File{}
	if doc.Kind == 0 || len(doc.Content) == 0 {
		p.errorf(doc, "", "empty file: want a session")
		return f
	}
	top := p.resolve(doc.Content[0])
	if top.Kind == yaml.MappingNode {
		for i := 0; i+1 < len(top.Content); i += 2 {
			if top.Content[i].Value == "sessions" {
				fs := p.fields(top, "", "sessions")
				for i, s := range p.list(fs["sessions"], "sessions") {
					f.Sessions = append(f.Sessions, p.session(s, fmt.Sprintf("sessions[%d]", i)))
				}
				if len(f.Sessions) == 0 && len(p.errs) == 0 {
					p.errorf(fs["sessions"], "sessions", "must list at least one session")
				}
				names := map[string]bool{}
				for _, s := range f.Sessions {
					if names[s.Name] && s.Name != "" {
						p.errorf(nil, s.Source.Field+".session", "%q names two sessions", s.Name)
					}
					names[s.Name] = true
				}
				return f
			}
		}
	}
	f.Sessions = []SessionSpec{p.session(top, "")}
	return f
}

func (p *fileParser) session(n *yaml.Node, field string) SessionSpec {
	fs := p.fields(n, field, "session", "root", "env", "windows")
	s := SessionSpec{Source: p.src(n, field)}
	if v := fs["session"]; v != nil {
		s.Name = p.str(v, join(field, "session"))
		if strings.ContainsAny(s.Name, ":.") {
			p.errorf(v, join(field, "session"), "%q: a session name cannot contain ':' or '.' (they separate tmux targets)", s.Name)
		}
	}
	if v := fs["root"]; v != nil {
		s.Root = p.dir(v, join(field, "root"))
	}
	if v := fs["env"]; v != nil {
		s.Env = p.env(v, join(field, "env"))
	}
	wf := join(field, "windows")
	if fs["windows"] == nil {
		p.errorf(n, wf, "missing: a session needs at least one window")
		return s
	}
	focused := 0
	for i, w := range p.list(fs["windows"], wf) {
		ws := p.window(w, fmt.Sprintf("%s[%d]", wf, i))
		if ws.Focus {
			focused++
			if focused == 2 {
				p.errorf(w, ws.Source.Field+".focus", "only one window can have focus")
			}
		}
		s.Windows = append(s.Windows, ws)
	}
	if len(s.Windows) == 0 && fs["windows"].Kind == yaml.SequenceNode {
		p.errorf(fs["windows"], wf, "must list at least one window")
	}
	return s
}

func (p *fileParser) window(n *yaml.Node, field string) WindowSpec {
	fs := p.fields(n, field, "name", "focus", "cwd", "env", "preset", "layout", "panes")
	w := WindowSpec{Source: p.src(n, field)}
	if v := fs["name"]; v != nil {
		w.Name = p.str(v, join(field, "name"))
	}
	if v := fs["focus"]; v != nil {
		w.Focus = p.boolean(v, join(field, "focus"))
	}
	if v := fs["cwd"]; v != nil {
		w.Cwd = p.dir(v, join(field, "cwd"))
	}
	if v := fs["env"]; v != nil {
		w.Env = p.env(v, join(field, "env"))
	}
	if v := fs["preset"]; v != nil {
		name := p.str(v, join(field, "preset"))
		pr, err := ParsePreset(name)
		if err != nil {
			p.errorf(v, join(field, "preset"), "%s", strings.TrimPrefix(err.Error(), "layout: "))
		}
		w.Preset = pr
	}
	switch l, ps := fs["layout"], fs["panes"]; {
	case l != nil && ps != nil:
		p.errorf(ps, join(field, "panes"), "give either layout or panes, not both")
	case l != nil:
		w.Layout = p.node(l, join(field, "layout"), 0)
		if !w.Layout.Size.IsZero() {
			// A size is a share of the parent split; the whole window has
			// none, and a saved file could not keep it.
			p.errorf(l, join(field, "layout.size"), "the window's whole layout takes no size; sizes go on the panes of a split")
		}
	case ps != nil:
		// A flat list for a preset to arrange: a side-by-side split,
		// which ApplyWith then rearranges.
		w.Layout = Node{Split: Horizontal, Source: p.src(ps, join(field, "panes"))}
		for i, c := range p.list(ps, join(field, "panes")) {
			cf := fmt.Sprintf("%s.panes[%d]", field, i)
			c := p.node(c, cf, 1)
			if c.Split != 0 || !c.Size.IsZero() {
				p.errorf(n, cf, "a window's panes list holds plain panes; use layout for splits and sizes")
			}
			w.Layout.Children = append(w.Layout.Children, c)
		}
		switch len(w.Layout.Children) {
		case 0:
			p.errorf(ps, join(field, "panes"), "must list at least one pane")
		case 1:
			w.Layout = w.Layout.Children[0]
		}
		if w.Preset == 0 {
			w.Preset = Tiled
		}
	default:
		w.Layout = Node{Source: p.src(n, field)}
	}
	if c := countFocus(w.Layout); c > 1 {
		p.errorf(n, field, "%d panes have focus; at most one can", c)
	}
	return w
}

func countFocus(n Node) int {
	c := 0
	if n.Pane.Focus {
		c++
	}
	for _, ch := range n.Children {
		c += countFocus(ch)
	}
	return c
}

func (p *fileParser) node(n *yaml.Node, field string, depth int) Node {
	if depth > maxFileDepth || p.nodes > maxFileNodes {
		p.errorf(n, field, "layout too large or nested too deeply")
		return Node{}
	}
	n = p.resolve(n)
	if n.Kind == yaml.ScalarNode && n.Tag == "!!null" {
		return Node{Source: p.src(n, field)} // "- " alone: a plain pane
	}
	fs := p.fields(n, field, "split", "size", "panes", "command", "cwd", "env", "focus")
	out := Node{Source: p.src(n, field)}
	if v := fs["size"]; v != nil {
		f := join(field, "size")
		v = p.resolve(v)
		if v.Kind != yaml.ScalarNode {
			p.errorf(v, f, "must be a percentage like 60%% or a cell count like 30, not %s", kindName(v))
		} else if s, err := ParseSize(v.Value); err != nil {
			p.errorf(v, f, "%q must be a percentage like 60%% or a cell count like 30", v.Value)
		} else {
			out.Size = s
		}
	}
	sv, pv := fs["split"], fs["panes"]
	if sv == nil && pv == nil {
		if v := fs["command"]; v != nil {
			out.Pane.Command = p.str(v, join(field, "command"))
		}
		if v := fs["cwd"]; v != nil {
			out.Pane.Cwd = p.dir(v, join(field, "cwd"))
		}
		if v := fs["env"]; v != nil {
			out.Pane.Env = p.env(v, join(field, "env"))
		}
		if v := fs["focus"]; v != nil {
			out.Pane.Focus = p.boolean(v, join(field, "focus"))
		}
		return out
	}
	for _, k := range []string{"command", "cwd", "env", "focus"} {
		if v := fs[k]; v != nil {
			p.errorf(v, join(field, k), "a split has no %s; put it on one of its panes", k)
		}
	}
	if sv == nil {
		p.errorf(n, join(field, "split"), "missing: a split needs split: horizontal or split: vertical")
	} else {
		switch d := p.str(sv, join(field, "split")); d {
		case "horizontal", "h":
			out.Split = Horizontal
		case "vertical", "v":
			out.Split = Vertical
		default:
			p.errorf(sv, join(field, "split"), "%q must be horizontal (side by side) or vertical (stacked)", d)
		}
	}
	if pv == nil {
		p.errorf(n, join(field, "panes"), "missing: a split needs at least two panes")
		return out
	}
	for i, c := range p.list(pv, join(field, "panes")) {
		out.Children = append(out.Children, p.node(c, fmt.Sprintf("%s.panes[%d]", field, i), depth+1))
	}
	if len(out.Children) < 2 && pv.Kind == yaml.SequenceNode {
		p.errorf(pv, join(field, "panes"), "a split needs at least two panes, not %d", len(out.Children))
	}
	return out
}

// Build makes the window's layout tree at width x height, calling newID for
// each pane in pane order, and returns each pane's facts. Sizes are
// resolved per split: cells as given, percentages of the split's size less
// its borders, and unsized panes share the rest evenly (the last taking
// the remainder, as tmux's even layouts do); when every pane is sized the
// last takes whatever is left. Sizes that cannot fit give an *Error naming
// the field. A Preset, if set, is applied last.
func (w WindowSpec) Build(width, height int, newID func() PaneID) (*Tree, map[PaneID]PaneSpec, error) {
	width, height = clampSize(width), clampSize(height)
	b := &builder{specs: map[PaneID]PaneSpec{}, newID: newID, t: &Tree{w: width, h: height, panes: map[PaneID]*node{}}}
	root := b.node(w.Layout, nil)
	if b.err == nil {
		b.err = b.size(w.Layout, root, width, height)
	}
	if b.err != nil {
		return nil, nil, b.err
	}
	b.t.root = root
	root.place(0, 0)
	if w.Preset != 0 {
		if err := b.t.Apply(w.Preset); err != nil {
			return nil, nil, err
		}
	}
	return b.t, b.specs, nil
}

type builder struct {
	t     *Tree
	specs map[PaneID]PaneSpec
	newID func() PaneID
	err   error
}

func (b *builder) node(n Node, parent *node) *node {
	if n.Split == 0 {
		id := b.newID()
		if b.t.panes[id] != nil && b.err == nil {
			b.err = fmt.Errorf("%w: %d (newID returned it twice)", ErrDuplicatePane, id)
		}
		out := &node{parent: parent, kind: leaf, pane: id}
		b.t.panes[id] = out
		b.specs[id] = n.Pane
		return out
	}
	out := &node{parent: parent, kind: splitKind(n.Split)}
	for _, c := range n.Children {
		out.children = append(out.children, b.node(c, out))
	}
	if len(out.children) < 2 && b.err == nil {
		b.err = &Error{n.Source, "a split needs at least two panes"}
	}
	return out
}

func axisName(d Dir) string {
	if d == Horizontal {
		return "columns"
	}
	return "rows"
}

// size gives out (built from n) the size w x h and sizes its children from
// n's requests.
func (b *builder) size(n Node, out *node, w, h int) error {
	out.w, out.h = w, h
	if out.kind == leaf {
		return nil
	}
	if mw, mh := out.min(Horizontal), out.min(Vertical); w < mw || h < mh {
		return &Error{n.Source, fmt.Sprintf("needs at least %dx%d cells but has %dx%d", mw, mh, w, h)}
	}
	d := n.Split
	ext := out.extent(d)
	avail := ext - (len(out.children) - 1)
	sizes := make([]int, len(out.children))
	used, unsized := 0, 0
	for i, c := range n.Children {
		if c.Size.IsZero() {
			unsized++
			continue
		}
		sizes[i] = c.Size.Of(avail, 0)
		if m := out.children[i].min(d); sizes[i] < m {
			return &Error{fieldSource(c.Source, "size"), fmt.Sprintf("%v is %d %s here but this needs at least %d", c.Size, sizes[i], axisName(d), m)}
		}
		used += sizes[i]
	}
	rest := avail - used
	if rest < 0 || (unsized > 0 && rest < unsized) {
		return &Error{fieldSource(n.Source, "panes"), fmt.Sprintf("sizes add up to %d %s but only %d are available", used+unsized, axisName(d), avail)}
	}
	if unsized > 0 {
		each := rest / unsized
		k := 0
		for i, c := range n.Children {
			if c.Size.IsZero() {
				k++
				sizes[i] = each
				if k == unsized {
					sizes[i] = rest - each*(unsized-1)
				}
			}
		}
	} else {
		sizes[len(sizes)-1] += rest
	}
	for i, c := range n.Children {
		cw, ch := sizes[i], h
		if d == Vertical {
			cw, ch = w, sizes[i]
		}
		if m := out.children[i].min(d); sizes[i] < m {
			return &Error{c.Source, fmt.Sprintf("gets %d %s but needs at least %d", sizes[i], axisName(d), m)}
		}
		if err := b.size(c, out.children[i], cw, ch); err != nil {
			return err
		}
	}
	return nil
}

func fieldSource(s Source, key string) Source {
	s.Field = join(s.Field, key)
	return s
}

// SaveWindow describes t as a window for a layout file: every split's
// children sized in cells except the last, which takes the rest, so that
// building it at t's size reproduces t exactly. pane supplies each pane's
// facts (command, cwd, env, focus).
func SaveWindow(name string, t *Tree, pane func(PaneID) PaneSpec) WindowSpec {
	var save func(n *node, last bool) Node
	save = func(n *node, last bool) Node {
		var out Node
		if n.parent != nil && !last {
			out.Size = Cells(n.extent(n.parent.kind.dir()))
		}
		if n.kind == leaf {
			out.Pane = pane(n.pane)
			return out
		}
		out.Split = n.kind.dir()
		for i, c := range n.children {
			out.Children = append(out.Children, save(c, i == len(n.children)-1))
		}
		return out
	}
	return WindowSpec{Name: name, Layout: save(t.root, true)}
}

// MarshalFile writes f as YAML that ParseFile reads back to the same File
// (Sources aside). A single session is written in the short form.
func MarshalFile(f *File) ([]byte, error) {
	var doc *yaml.Node
	if len(f.Sessions) == 1 {
		doc = sessionNode(f.Sessions[0])
	} else {
		list := &yaml.Node{Kind: yaml.SequenceNode}
		for _, s := range f.Sessions {
			list.Content = append(list.Content, sessionNode(s))
		}
		doc = mapping("sessions", list)
	}
	out, err := yaml.Marshal(doc)
	if err != nil {
		return nil, fmt.Errorf("layout: %w", err)
	}
	return out, nil
}

func scalar(s string) *yaml.Node { return &yaml.Node{Kind: yaml.ScalarNode, Value: s, Tag: "!!str"} }

func mapping(kv ...any) *yaml.Node {
	m := &yaml.Node{Kind: yaml.MappingNode}
	for i := 0; i+1 < len(kv); i += 2 {
		var v *yaml.Node
		switch x := kv[i+1].(type) {
		case string:
			if x == "" {
				continue
			}
			v = scalar(x)
		case bool:
			if !x {
				continue
			}
			v = &yaml.Node{Kind: yaml.ScalarNode, Value: "true", Tag: "!!bool"}
		case map[string]string:
			if x == nil {
				continue
			}
			v = &yaml.Node{Kind: yaml.MappingNode, Style: yaml.FlowStyle}
			for _, k := range slices.Sorted(maps.Keys(x)) {
				v.Content = append(v.Content, scalar(k), scalar(x[k]))
			}
		case *yaml.Node:
			if x == nil {
				continue
			}
			v = x
		}
		m.Content = append(m.Content, scalar(kv[i].(string)), v)
	}
	return m
}

func sessionNode(s SessionSpec) *yaml.Node {
	ws := &yaml.Node{Kind: yaml.SequenceNode}
	for _, w := range s.Windows {
		ws.Content = append(ws.Content, windowNode(w))
	}
	return mapping("session", s.Name, "root", s.Root, "env", s.Env, "windows", ws)
}

func windowNode(w WindowSpec) *yaml.Node {
	preset := ""
	if w.Preset != 0 {
		preset = w.Preset.String()
	}
	var layout, panes *yaml.Node
	flat := w.Preset != 0 && w.Layout.Split == Horizontal
	for _, c := range w.Layout.Children {
		flat = flat && c.Split == 0 && c.Size.IsZero()
	}
	switch {
	case flat:
		panes = &yaml.Node{Kind: yaml.SequenceNode}
		for _, c := range w.Layout.Children {
			panes.Content = append(panes.Content, nodeNode(c))
		}
	case w.Layout.Split != 0 || !isEmptyPane(w.Layout.Pane):
		layout = nodeNode(w.Layout)
	}
	return mapping("name", w.Name, "focus", w.Focus, "cwd", w.Cwd, "env", w.Env,
		"preset", preset, "layout", layout, "panes", panes)
}

func isEmptyPane(p PaneSpec) bool {
	return p.Command == "" && p.Cwd == "" && p.Env == nil && !p.Focus
}

func nodeNode(n Node) *yaml.Node {
	if n.Split == 0 {
		m := mapping("size", n.Size.String(), "command", n.Pane.Command, "cwd", n.Pane.Cwd,
			"env", n.Pane.Env, "focus", n.Pane.Focus)
		if len(m.Content) == 0 {
			m.Style = yaml.FlowStyle // {}
		}
		return m
	}
	panes := &yaml.Node{Kind: yaml.SequenceNode}
	for _, c := range n.Children {
		panes.Content = append(panes.Content, nodeNode(c))
	}
	return mapping("split", n.Split.String(), "size", n.Size.String(), "panes", panes)
}

// JoinDir resolves a pane's working directory from the session's root, the
// window's cwd and the pane's cwd, each relative to the one before; "~" and
// "~/…" are relative to home. It returns "" when all are empty (the
// daemon's default applies).
func JoinDir(home string, dirs ...string) string {
	out := ""
	for _, d := range dirs {
		switch {
		case d == "":
			continue
		case d == "~":
			d = home
		case strings.HasPrefix(d, "~/"):
			d = filepath.Join(home, d[2:])
		}
		if filepath.IsAbs(d) || out == "" {
			out = filepath.Clean(d)
		} else {
			out = filepath.Join(out, d)
		}
	}
	return out
}
