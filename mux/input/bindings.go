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
	// Note says what the binding does, for list-keys -N (prefix ?), as
	// tmux's bind-key -N.
	Note string
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
		"C-b":   {Command: "send-prefix", Note: "Send the prefix key to the pane"},
		"C-o":   {Command: "rotate-window", Note: "Rotate the panes forward"},
		"C-z":   {Command: "suspend-client", Note: "Suspend this client"},
		"Space": {Command: "next-layout", Note: "Switch to the next layout"},
		"!":     {Command: "break-pane", Note: "Move the pane into a new window"},
		`"`:     {Command: "split-window -v", Note: "Split the window top and bottom"},
		"#":     {Command: "list-buffers", Note: "List the paste buffers"},
		"$":     {Command: `command-prompt -I "#S" "rename-session -- '%%'"`, Note: "Rename this session"},
		"%":     {Command: "split-window -h", Note: "Split the window left and right"},
		"&":     {Command: `confirm-before -p "kill-window #W? (y/n)" kill-window`, Note: "Kill this window"},
		"(":     {Command: "switch-client -p", Note: "Switch to the previous session"},
		")":     {Command: "switch-client -n", Note: "Switch to the next session"},
		",":     {Command: `command-prompt -I "#W" "rename-window -- '%%'"`, Note: "Rename this window"},
		"-":     {Command: "delete-buffer", Note: "Delete the newest paste buffer"},
		"'":     {Command: `command-prompt -p index "select-window -t ':%%'"`, Note: "Select a window by index"},
		".":     {Command: `command-prompt "move-window -t '%%'"`, Note: "Move this window to another index"},
		"/":     {Command: `command-prompt -k -p key "list-keys -1N '%%'"`, Note: "Describe a key"},
		":":     {Command: "command-prompt", Note: "Run a command"},
		";":     {Command: "last-pane", Note: "Go to the previously active pane"},
		"<": {Command: `display-menu -T "#{window_index}:#{window_name}" ` +
			`"#{?#{>:#{session_windows},1},,-}Swap Left" l "swap-window -t :-" ` +
			`"#{?#{>:#{session_windows},1},,-}Swap Right" r "swap-window -t :+" '' ` +
			`Kill X kill-window '' ` +
			`Rename n "command-prompt -I '#W' \"rename-window -- '%%'\"" '' ` +
			`"New After" w "new-window -a" "New At End" W new-window`, Note: "Show the window menu"},
		">": {Command: `display-menu -T "#{pane_index} (#{pane_id})" ` +
			`"Horizontal Split" h "split-window -h" "Vertical Split" v "split-window -v" '' ` +
			`"#{?#{>:#{window_panes},1},,-}Swap Up" u "swap-pane -U" ` +
			`"#{?#{>:#{window_panes},1},,-}Swap Down" d "swap-pane -D" '' ` +
			`Kill X kill-pane '' ` +
			`"#{?#{>:#{window_panes},1},,-}#{?window_zoomed_flag,Unzoom,Zoom}" z "resize-pane -Z"`, Note: "Show the pane menu"},
		"0":       {Command: "select-window -t :=0", Note: "Go to window 0"},
		"1":       {Command: "select-window -t :=1", Note: "Go to window 1"},
		"2":       {Command: "select-window -t :=2", Note: "Go to window 2"},
		"3":       {Command: "select-window -t :=3", Note: "Go to window 3"},
		"4":       {Command: "select-window -t :=4", Note: "Go to window 4"},
		"5":       {Command: "select-window -t :=5", Note: "Go to window 5"},
		"6":       {Command: "select-window -t :=6", Note: "Go to window 6"},
		"7":       {Command: "select-window -t :=7", Note: "Go to window 7"},
		"8":       {Command: "select-window -t :=8", Note: "Go to window 8"},
		"9":       {Command: "select-window -t :=9", Note: "Go to window 9"},
		"?":       {Command: "list-keys -N", Note: "List the key bindings"},
		"D":       {Command: "choose-client -Z", Note: "Choose a client to detach"},
		"E":       {Command: "select-layout -E", Note: "Spread the panes out evenly"},
		"L":       {Command: "switch-client -l", Note: "Switch to the last session"},
		"[":       {Command: "copy-mode", Note: "Enter copy mode"},
		"]":       {Command: "paste-buffer -p", Note: "Paste the newest paste buffer"},
		"c":       {Command: "new-window", Note: "Create a window"},
		"d":       {Command: "detach-client", Note: "Detach this client"},
		"f":       {Command: `command-prompt "find-window -Z -- '%%'"`, Note: "Find a window by its text"},
		"i":       {Command: "display-message", Note: "Show window information"},
		"~":       {Command: "show-messages", Note: "Show the message log"},
		"l":       {Command: "last-window", Note: "Go to the previously current window"},
		"m":       {Command: "select-pane -m", Note: "Mark or unmark this pane"},
		"M":       {Command: "select-pane -M", Note: "Clear the marked pane"},
		"n":       {Command: "next-window", Note: "Go to the next window"},
		"o":       {Command: "select-pane -t :.+", Note: "Go to the next pane"},
		"p":       {Command: "previous-window", Note: "Go to the previous window"},
		"=":       {Command: "choose-buffer -Z", Note: "Choose a paste buffer"},
		"q":       {Command: "display-panes", Note: "Show the pane numbers"},
		"r":       {Command: "refresh-client", Note: "Redraw this client"},
		"s":       {Command: "choose-tree -Zs", Note: "Choose a session"},
		"t":       {Command: "clock-mode", Note: "Show a clock"},
		"w":       {Command: "choose-tree -Zw", Note: "Choose a window"},
		"x":       {Command: `confirm-before -p "kill-pane #P? (y/n)" kill-pane`, Note: "Kill this pane"},
		"z":       {Command: "resize-pane -Z", Note: "Zoom or unzoom this pane"},
		"{":       {Command: "swap-pane -U", Note: "Swap this pane with the one before"},
		"}":       {Command: "swap-pane -D", Note: "Swap this pane with the one after"},
		"PPage":   {Command: "copy-mode -u", Note: "Enter copy mode a page up"},
		"Up":      {Command: "select-pane -U", Repeat: true, Note: "Go to the pane above"},
		"Down":    {Command: "select-pane -D", Repeat: true, Note: "Go to the pane below"},
		"Left":    {Command: "select-pane -L", Repeat: true, Note: "Go to the pane on the left"},
		"Right":   {Command: "select-pane -R", Repeat: true, Note: "Go to the pane on the right"},
		"M-1":     {Command: "select-layout even-horizontal", Note: "Use the even-horizontal layout"},
		"M-2":     {Command: "select-layout even-vertical", Note: "Use the even-vertical layout"},
		"M-3":     {Command: "select-layout main-horizontal", Note: "Use the main-horizontal layout"},
		"M-4":     {Command: "select-layout main-vertical", Note: "Use the main-vertical layout"},
		"M-5":     {Command: "select-layout tiled", Note: "Use the tiled layout"},
		"M-n":     {Command: "next-window -a", Note: "Go to the next window with an alert"},
		"M-o":     {Command: "rotate-window -D", Note: "Rotate the panes backward"},
		"M-p":     {Command: "previous-window -a", Note: "Go to the previous window with an alert"},
		"C-Up":    {Command: "resize-pane -U", Repeat: true, Note: "Grow or shrink the pane upward by one"},
		"C-Down":  {Command: "resize-pane -D", Repeat: true, Note: "Grow or shrink the pane downward by one"},
		"C-Left":  {Command: "resize-pane -L", Repeat: true, Note: "Grow or shrink the pane leftward by one"},
		"C-Right": {Command: "resize-pane -R", Repeat: true, Note: "Grow or shrink the pane rightward by one"},
		"M-Up":    {Command: "resize-pane -U 5", Repeat: true, Note: "Move the pane's border up by 5"},
		"M-Down":  {Command: "resize-pane -D 5", Repeat: true, Note: "Move the pane's border down by 5"},
		"M-Left":  {Command: "resize-pane -L 5", Repeat: true, Note: "Move the pane's border left by 5"},
		"M-Right": {Command: "resize-pane -R 5", Repeat: true, Note: "Move the pane's border right by 5"},
	}
}

// KeyLess orders key names as tmux sorts its key tables (list-keys): by
// key code, so C0 controls (C-b, C-o) and Space come before the other
// characters in code order, then the special keys (F1…F12, IC, DC, Home,
// End, NPage, PPage, BTab, Up, Down, Left, Right, keypad), and keys with
// modifiers after all of those, grouped M-, then C-, then S- (tmux's
// KEYC_META < KEYC_CTRL < KEYC_SHIFT flag bits).
func KeyLess(a, b string) bool {
	ka, kb := keyOrder(a), keyOrder(b)
	if ka != kb {
		return ka < kb
	}
	return a < b
}

// specialOrder is tmux's order of the special keys (key_code_table).
var specialOrder = map[Code]int{
	KeyF1: 1, KeyF2: 2, KeyF3: 3, KeyF4: 4, KeyF5: 5, KeyF6: 6, KeyF7: 7, KeyF8: 8, KeyF9: 9,
	KeyF10: 10, KeyF11: 11, KeyF12: 12, KeyInsert: 13, KeyDelete: 14, KeyHome: 15, KeyEnd: 16,
	KeyPageDown: 17, KeyPageUp: 18, KeyBackTab: 19, KeyUp: 20, KeyDown: 21, KeyLeft: 22, KeyRight: 23,
}

func keyOrder(name string) uint64 {
	k, err := ParseKey(name)
	if err != nil {
		return 1 << 62
	}
	var base uint64
	switch {
	case k.Code == KeySpace:
		base = ' '
	case k.Code == KeyEnter:
		base = '\r'
	case k.Code == KeyEscape:
		base = 0x1b
	case k.Code == KeyTab:
		base = '\t'
	case k.Code == KeyBackspace:
		base = 0x7f
	case k.Code != KeyNone:
		base = 1<<32 + uint64(specialOrder[k.Code])<<8 + uint64(k.Code)
	case k.Mods&ModCtrl != 0 && k.Rune >= '@' && k.Rune < 0x80:
		// C-b is the C0 control 0x02, not b with a flag.
		k.Mods &^= ModCtrl
		base = uint64(k.Rune) & 0x1f
	default:
		base = uint64(k.Rune)
	}
	var flags uint64
	if k.Mods&ModAlt != 0 {
		flags |= 1
	}
	if k.Mods&ModCtrl != 0 {
		flags |= 4
	}
	if k.Mods&ModShift != 0 {
		flags |= 8
	}
	return flags<<40 | base
}

// Lines lists the bindings as tmux's list-keys prints them, sorted by
// key: "bind-key -T prefix % split-window -h" (with -r for repeating
// ones).
func (b Bindings) Lines() []string {
	keys := make([]string, 0, len(b))
	for k := range b {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return KeyLess(keys[i], keys[j]) })
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
