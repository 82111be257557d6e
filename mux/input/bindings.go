package input

import (
	"sort"
	"strings"
)

// Binding is what a key does after the prefix: a command line for the
// command table (tmux syntax, e.g. "split-window -h"), and whether it
// repeats: within RepeatTime of a repeating binding, another repeating
// key acts without the prefix again (tmux bind-key -r).
type Binding struct {
	Command string
	Repeat  bool
}

// Bindings maps key names (Key.String: "%", "C-b", "Up", "M-1") to what
// they do after the prefix key.
//
// Three command lines are handled by State itself rather than returned
// as Command actions, because they concern this client's input:
//
//	send-prefix                 the prefix key's bytes go to the pane
//	detach-client               a Detach action
//	copy-mode                   a CopyMode action (enter copy mode)
//	confirm-before [-p P] CMD   ask "P" (default "CMD? (y/n)"), shown by
//	                            Prompt; y runs CMD, any other key cancels
type Bindings map[string]Binding

// DefaultBindings returns tmux 3's default prefix table, minus
// customize-mode (C) and refresh-client's panning (DC,
// S-arrows). The menus (<, >) lack tmux's items for marks, respawning and
// the mouse, and C-z (suspend-client) says how a gosh
// client suspends itself instead. mux's TestDefaultBindingsRun keeps every
// binding runnable. command-prompt templates are written as a quoted
// argument, tmux's older form, since gosh's command lines have no { }
// blocks.
func DefaultBindings() Bindings {
	return Bindings{
		"C-b":   {Command: "send-prefix"},
		"C-o":   {Command: "rotate-window"},
		"C-z":   {Command: "suspend-client"},
		"Space": {Command: "next-layout"},
		"!":     {Command: "break-pane"},
		`"`:     {Command: "split-window -v"},
		"#":     {Command: "list-buffers"},
		"$":     {Command: `command-prompt -I "#S" "rename-session -- '%%'"`},
		"%":     {Command: "split-window -h"},
		"&":     {Command: `confirm-before -p "kill-window #W? (y/n)" kill-window`},
		"(":     {Command: "switch-client -p"},
		")":     {Command: "switch-client -n"},
		",":     {Command: `command-prompt -I "#W" "rename-window -- '%%'"`},
		"-":     {Command: "delete-buffer"},
		"'":     {Command: `command-prompt -p index "select-window -t ':%%'"`},
		".":     {Command: `command-prompt "move-window -t '%%'"`},
		"/":     {Command: `command-prompt -k -p key "list-keys -1N '%%'"`},
		":":     {Command: "command-prompt"},
		";":     {Command: "last-pane"},
		"<": {Command: `display-menu -T "#{window_index}:#{window_name}" ` +
			`"#{?#{>:#{session_windows},1},,-}Swap Left" l "swap-window -t :-" ` +
			`"#{?#{>:#{session_windows},1},,-}Swap Right" r "swap-window -t :+" '' ` +
			`Kill X kill-window '' ` +
			`Rename n "command-prompt -I '#W' \"rename-window -- '%%'\"" '' ` +
			`"New After" w "new-window -a" "New At End" W new-window`},
		">": {Command: `display-menu -T "#{pane_index} (#{pane_id})" ` +
			`"Horizontal Split" h "split-window -h" "Vertical Split" v "split-window -v" '' ` +
			`"#{?#{>:#{window_panes},1},,-}Swap Up" u "swap-pane -U" ` +
			`"#{?#{>:#{window_panes},1},,-}Swap Down" d "swap-pane -D" '' ` +
			`Kill X kill-pane '' ` +
			`"#{?#{>:#{window_panes},1},,-}#{?window_zoomed_flag,Unzoom,Zoom}" z "resize-pane -Z"`},
		"0":       {Command: "select-window -t :=0"},
		"1":       {Command: "select-window -t :=1"},
		"2":       {Command: "select-window -t :=2"},
		"3":       {Command: "select-window -t :=3"},
		"4":       {Command: "select-window -t :=4"},
		"5":       {Command: "select-window -t :=5"},
		"6":       {Command: "select-window -t :=6"},
		"7":       {Command: "select-window -t :=7"},
		"8":       {Command: "select-window -t :=8"},
		"9":       {Command: "select-window -t :=9"},
		"?":       {Command: "list-keys -N"},
		"D":       {Command: "choose-client -Z"},
		"E":       {Command: "select-layout -E"},
		"L":       {Command: "switch-client -l"},
		"[":       {Command: "copy-mode"},
		"]":       {Command: "paste-buffer -p"},
		"c":       {Command: "new-window"},
		"d":       {Command: "detach-client"},
		"f":       {Command: `command-prompt "find-window -Z -- '%%'"`},
		"i":       {Command: "display-message"},
		"~":       {Command: "show-messages"},
		"l":       {Command: "last-window"},
		"m":       {Command: "select-pane -m"},
		"M":       {Command: "select-pane -M"},
		"n":       {Command: "next-window"},
		"o":       {Command: "select-pane -t :.+"},
		"p":       {Command: "previous-window"},
		"=":       {Command: "choose-buffer -Z"},
		"q":       {Command: "display-panes"},
		"r":       {Command: "refresh-client"},
		"s":       {Command: "choose-tree -Zs"},
		"t":       {Command: "clock-mode"},
		"w":       {Command: "choose-tree -Zw"},
		"x":       {Command: `confirm-before -p "kill-pane #P? (y/n)" kill-pane`},
		"z":       {Command: "resize-pane -Z"},
		"{":       {Command: "swap-pane -U"},
		"}":       {Command: "swap-pane -D"},
		"PPage":   {Command: "copy-mode -u"},
		"Up":      {Command: "select-pane -U", Repeat: true},
		"Down":    {Command: "select-pane -D", Repeat: true},
		"Left":    {Command: "select-pane -L", Repeat: true},
		"Right":   {Command: "select-pane -R", Repeat: true},
		"M-1":     {Command: "select-layout even-horizontal"},
		"M-2":     {Command: "select-layout even-vertical"},
		"M-3":     {Command: "select-layout main-horizontal"},
		"M-4":     {Command: "select-layout main-vertical"},
		"M-5":     {Command: "select-layout tiled"},
		"M-n":     {Command: "next-window -a"},
		"M-o":     {Command: "rotate-window -D"},
		"M-p":     {Command: "previous-window -a"},
		"C-Up":    {Command: "resize-pane -U", Repeat: true},
		"C-Down":  {Command: "resize-pane -D", Repeat: true},
		"C-Left":  {Command: "resize-pane -L", Repeat: true},
		"C-Right": {Command: "resize-pane -R", Repeat: true},
		"M-Up":    {Command: "resize-pane -U 5", Repeat: true},
		"M-Down":  {Command: "resize-pane -D 5", Repeat: true},
		"M-Left":  {Command: "resize-pane -L 5", Repeat: true},
		"M-Right": {Command: "resize-pane -R 5", Repeat: true},
	}
}

// Lines lists the bindings as tmux's list-keys prints them, sorted by
// key: "bind-key -T prefix % split-window -h" (with -r for repeating
// ones).
func (b Bindings) Lines() []string {
	keys := make([]string, 0, len(b))
	for k := range b {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	out := make([]string, 0, len(keys))
	for _, k := range keys {
		bd := b[k]
		r := "   "
		if bd.Repeat {
			r = "-r "
		}
		out = append(out, "bind-key "+r+"-T prefix "+quoteKey(k)+" "+bd.Command)
	}
	return out
}

func quoteKey(k string) string {
	switch k {
	case `"`, "'", ";", "#", "{", "}", "$", "~", `\`:
		return `\` + k
	}
	return k
}

// parseConfirm splits `confirm-before [-p "PROMPT"] CMD`; ok is false for
// any other command line.
func parseConfirm(cmd string) (prompt, run string, ok bool) {
	rest, ok := strings.CutPrefix(cmd, "confirm-before ")
	if !ok {
		return "", "", false
	}
	rest = strings.TrimSpace(rest)
	if p, ok := strings.CutPrefix(rest, "-p "); ok {
		p = strings.TrimSpace(p)
		if len(p) > 0 && (p[0] == '"' || p[0] == '\'') {
			if end := strings.IndexByte(p[1:], p[0]); end >= 0 {
				prompt, rest = p[1:1+end], strings.TrimSpace(p[2+end:])
			}
		} else if sp := strings.IndexByte(p, ' '); sp > 0 {
			prompt, rest = p[:sp], strings.TrimSpace(p[sp:])
		}
	}
	if rest == "" {
		return "", "", false
	}
	if prompt == "" {
		prompt = rest + "? (y/n)"
	}
	return prompt, rest, true
}
