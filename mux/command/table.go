package command

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
)

// Command is one entry of the table: a tmux command.
type Command struct {
	Name  string
	Alias string
	// Flags is the getopt-like template ParseArgs takes.
	Flags string
	// Min and Max bound the positional arguments (Max < 0: unbounded).
	Min, Max int
	// Usage is the synopsis after the name, as in tmux(1).
	Usage string
	// StartServer says that the client starts the daemon when none runs
	// (tmux's CMD_STARTSERVER); the others report "no server running".
	StartServer bool
	Exec        Exec
}

// Errors that callers may test for.
var (
	// ErrUnknownCommand is wrapped by Run and Lookup for a name that
	// matches no command.
	ErrUnknownCommand = errors.New("unknown command")
	// ErrAmbiguousCommand is wrapped for a prefix that matches several.
	ErrAmbiguousCommand = errors.New("ambiguous command")
)

// Lookup finds a command by name, alias or unique name prefix (tmux allows
// "new-s" for new-session).
func Lookup(name string) (*Command, error) {
	var found []*Command
	for _, c := range Table() {
		if c.Name == name || c.Alias == name {
			return c, nil
		}
		if strings.HasPrefix(c.Name, name) {
			found = append(found, c)
		}
	}
	switch {
	case len(found) == 1 && name != "":
		return found[0], nil
	case len(found) > 1 && name != "":
		return nil, fmt.Errorf("%w: %s", ErrAmbiguousCommand, name)
	}
	return nil, fmt.Errorf("%w: %s", ErrUnknownCommand, name)
}

// Run looks up argv[0], parses the rest against its template and executes
// it. Parse errors read like tmux's: "command split-window: unknown flag -x"
// followed by the usage line.
func Run(ctx context.Context, env Env, argv []string) error {
	if len(argv) == 0 {
		return errors.New("no command")
	}
	c, err := Lookup(argv[0])
	if err != nil {
		return err
	}
	a, err := ParseArgs(c.Flags, argv[1:], c.Min, c.Max)
	if err != nil {
		return fmt.Errorf("command %s: %v\nusage: %s %s", c.Name, err, c.Name, c.Usage)
	}
	return c.Exec(ctx, env, a)
}

// Table returns every command, sorted by name. The slice is shared: don't
// modify it.
func Table() []*Command { return table }

var table []*Command

func init() {
	table = []*Command{
		{Name: "new-session", Alias: "new", Flags: "AdDEPXc:e:F:n:s:t:x:y:", Max: -1, StartServer: true,
			Usage: "[-dP] [-c start-directory] [-e environment] [-F format] [-n window-name] [-s session-name] [-x width] [-y height] [shell-command]",
			Exec:  newSession},
		{Name: "start-server", Alias: "start", StartServer: true, Usage: "",
			Exec: func(context.Context, Env, *Args) error { return nil }},
		{Name: "kill-server", Usage: "", Exec: func(_ context.Context, e Env, _ *Args) error { return e.KillServer() }},
		{Name: "list-sessions", Alias: "ls", Flags: "F:f:", Usage: "[-F format]", Exec: listSessions},
		{Name: "has-session", Alias: "has", Flags: "t:", Usage: "[-t target-session]", Exec: hasSession},
		{Name: "kill-session", Flags: "at:", Usage: "[-a] [-t target-session]", Exec: killSession},
		{Name: "rename-session", Alias: "rename", Flags: "t:", Min: 1, Max: 1, Usage: "[-t target-session] new-name", Exec: renameSession},
		{Name: "new-window", Alias: "neww", Flags: "abdkPc:e:F:n:t:", Max: -1,
			Usage: "[-adP] [-c start-directory] [-e environment] [-F format] [-n window-name] [-t target-window] [shell-command]", Exec: newWindow},
		{Name: "select-window", Alias: "selectw", Flags: "lnpTt:", Usage: "[-lnp] [-t target-window]", Exec: selectWindow},
		{Name: "next-window", Alias: "next", Flags: "at:", Usage: "[-a] [-t target-session]", Exec: stepWindow("+")},
		{Name: "previous-window", Alias: "prev", Flags: "at:", Usage: "[-a] [-t target-session]", Exec: stepWindow("-")},
		{Name: "last-window", Alias: "last", Flags: "t:", Usage: "[-t target-session]", Exec: lastWindow},
		{Name: "kill-window", Alias: "killw", Flags: "at:", Usage: "[-a] [-t target-window]", Exec: killWindow},
		{Name: "rename-window", Alias: "renamew", Flags: "t:", Min: 1, Max: 1, Usage: "[-t target-window] new-name", Exec: renameWindow},
		{Name: "list-windows", Alias: "lsw", Flags: "aF:f:t:", Usage: "[-a] [-F format] [-t target-session]", Exec: listWindows},
		{Name: "split-window", Alias: "splitw", Flags: "bdfhIvPc:e:l:p:t:F:", Max: -1,
			Usage: "[-bdhvP] [-c start-directory] [-e environment] [-l size] [-p percentage] [-t target-pane] [-F format] [shell-command]", Exec: splitWindow},
		{Name: "select-pane", Alias: "selectp", Flags: "DLMRUmZT:t:", Usage: "[-DLMRUmZ] [-T title] [-t target-pane]", Exec: selectPane},
		{Name: "join-pane", Alias: "joinp", Flags: "bdfhvl:p:s:t:", Usage: "[-bdhv] [-l size] [-p percentage] [-s src-pane] [-t dst-pane]", Exec: joinPane},
		{Name: "move-pane", Alias: "movep", Flags: "bdfhvl:p:s:t:", Usage: "[-bdhv] [-l size] [-p percentage] [-s src-pane] [-t dst-pane]", Exec: joinPane},
		{Name: "resize-pane", Alias: "resizep", Flags: "DLRUZt:x:y:", Max: 1, Usage: "[-DLRUZ] [-x width] [-y height] [-t target-pane] [adjustment]", Exec: resizePane},
		{Name: "kill-pane", Alias: "killp", Flags: "at:", Usage: "[-a] [-t target-pane]", Exec: killPane},
		{Name: "swap-pane", Alias: "swapp", Flags: "dDUs:t:", Usage: "[-dDU] [-s src-pane] [-t dst-pane]", Exec: swapPane},
		{Name: "select-layout", Alias: "selectl", Flags: "Enopt:", Max: 1,
			Usage: "[-Enop] [-t target-pane] [even-horizontal|even-vertical|main-horizontal|main-vertical|tiled]", Exec: selectLayout},
		{Name: "next-layout", Alias: "nextl", Flags: "t:", Usage: "[-t target-window]", Exec: stepLayout(1)},
		{Name: "previous-layout", Alias: "prevl", Flags: "t:", Usage: "[-t target-window]", Exec: stepLayout(-1)},
		{Name: "rotate-window", Alias: "rotatew", Flags: "DUZt:", Usage: "[-DUZ] [-t target-window]", Exec: rotateWindow},
		{Name: "break-pane", Alias: "breakp", Flags: "abdPF:n:s:t:",
			Usage: "[-abdP] [-F format] [-n window-name] [-s src-pane] [-t dst-window]", Exec: breakPane},
		{Name: "swap-window", Alias: "swapw", Flags: "ds:t:", Usage: "[-d] [-s src-window] [-t dst-window]", Exec: swapWindow},
		{Name: "display-menu", Alias: "menu", Flags: "OT:x:y:", Min: 1, Max: -1,
			Usage: "[-T title] name key command ...", Exec: displayMenu},
		{Name: "move-window", Alias: "movew", Flags: "abdkrs:t:", Usage: "[-abdkr] [-s src-window] [-t dst-window]", Exec: moveWindow},
		{Name: "last-pane", Alias: "lastp", Flags: "Zt:", Usage: "[-Z] [-t target-window]", Exec: lastPane},
		{Name: "display-panes", Alias: "displayp", Flags: "bNd:t:", Max: 1,
			Usage: "[-bN] [-d duration] [-t target-client] [template]", Exec: displayPanes},
		{Name: "respawn-pane", Alias: "respawnp", Flags: "kc:e:t:", Max: -1,
			Usage: "[-k] [-c start-directory] [-e environment] [-t target-pane] [shell-command]", Exec: respawnPane},
		{Name: "respawn-window", Alias: "respawnw", Flags: "kc:e:t:", Max: -1,
			Usage: "[-k] [-c start-directory] [-e environment] [-t target-window] [shell-command]", Exec: respawnWindow},
		{Name: "list-panes", Alias: "lsp", Flags: "asF:f:t:", Usage: "[-as] [-F format] [-t target-window]", Exec: listPanes},
		{Name: "send-keys", Alias: "send", Flags: "lXN:t:", Max: -1, Usage: "[-lX] [-N repeat-count] [-t target-pane] key ...", Exec: sendKeys},
		{Name: "capture-pane", Alias: "capturep", Flags: "aeJNpqE:S:t:", Usage: "[-aeJNpq] [-E end-line] [-S start-line] [-t target-pane]", Exec: capturePane},
		{Name: "display-message", Alias: "display", Flags: "apc:d:F:t:", Max: 1,
			Usage: "[-ap] [-c target-client] [-d delay] [-t target-pane] [message]", Exec: displayMessage},
		{Name: "set-option", Alias: "set", Flags: "gsuwt:", Min: 1, Max: 2, Usage: "[-gsuw] [-t target] option [value]", Exec: setOption},
		{Name: "set-window-option", Alias: "setw", Flags: "gut:", Min: 1, Max: 2, Usage: "[-gu] [-t target-window] option [value]", Exec: setWindowOption},
		{Name: "show-options", Alias: "show", Flags: "Agqsvwt:", Max: 1, Usage: "[-Agqsvw] [-t target] [option]", Exec: showOptions},
		{Name: "show-window-options", Alias: "showw", Flags: "gvt:", Max: 1, Usage: "[-gv] [-t target-window] [option]", Exec: showWindowOptions},
		{Name: "show-messages", Alias: "showmsgs", Flags: "Jt:", Usage: "[-J] [-t target-client]", Exec: showMessages},
		{Name: "attach-session", Alias: "attach", Flags: "dErxc:t:", Usage: "[-dr] [-c working-directory] [-t target-session]", Exec: attachSession},
		{Name: "detach-client", Alias: "detach", Flags: "aPs:t:", Usage: "[-aP] [-s target-session] [-t target-client]", Exec: detachClient},
		{Name: "switch-client", Alias: "switchc", Flags: "EZlnpc:t:T:", Usage: "[-lnp] [-c target-client] [-t target-session] [-T key-table]", Exec: switchClient},
		{Name: "list-keys", Alias: "lsk", Flags: "1NP:T:", Max: 1, Usage: "[-1N] [-P prefix-string] [-T key-table] [key]", Exec: listKeys},
		{Name: "bind-key", Alias: "bind", Flags: "nrN:T:", Min: 1, Max: -1,
			Usage: "[-nr] [-T key-table] [-N note] key [command [argument ...]]", Exec: bindKey},
		{Name: "unbind-key", Alias: "unbind", Flags: "anqT:", Max: 1, Usage: "[-anq] [-T key-table] key", Exec: unbindKey},
		{Name: "send-prefix", Flags: "2t:", Usage: "[-2] [-t target-pane]", Exec: sendPrefix},
		{Name: "source-file", Alias: "source", Flags: "nqv", Min: 1, Max: -1, Usage: "[-nqv] path ...", Exec: sourceFile},
		{Name: "copy-mode", Flags: "equt:", Usage: "[-equ] [-t target-pane]", Exec: copyMode},
		{Name: "clock-mode", Flags: "t:", Usage: "[-t target-pane]", Exec: clockMode},
		{Name: "choose-tree", Flags: "NswZ", Max: 1, Usage: "[-NsZw] [template]", Exec: choose(ChooseSessions, ChooseTreeTemplate)},
		{Name: "choose-client", Flags: "NZ", Max: 1, Usage: "[-NZ] [template]", Exec: choose(ChooseClients, ChooseClientTemplate)},
		{Name: "choose-buffer", Flags: "NZ", Max: 1, Usage: "[-NZ] [template]", Exec: choose(ChooseBuffers, ChooseBufferTemplate)},
		{Name: "find-window", Alias: "findw", Flags: "CiNTZ", Min: 1, Max: 1, Usage: "[-CiNTZ] match-string", Exec: findWindow},
		{Name: "command-prompt", Flags: "kI:p:", Max: 1, Usage: "[-k] [-I inputs] [-p prompts] [template]", Exec: commandPrompt},
		{Name: "delete-buffer", Alias: "deleteb", Flags: "b:", Usage: "[-b buffer-name]", Exec: deleteBuffer},
		{Name: "suspend-client", Alias: "suspendc", Flags: "t:", Usage: "[-t target-client]", Exec: suspendClient},
		{Name: "refresh-client", Alias: "refresh", Flags: "t:", Usage: "[-t target-client]", Exec: refreshClient},
		{Name: "list-clients", Alias: "lsc", Flags: "F:f:t:", Usage: "[-F format] [-f filter] [-t target-session]", Exec: listClients},
		{Name: "paste-buffer", Alias: "pasteb", Flags: "dprb:s:t:", Usage: "[-dpr] [-b buffer-name] [-s separator] [-t target-pane]", Exec: pasteBuffer},
		{Name: "list-buffers", Alias: "lsb", Flags: "F:f:", Usage: "[-F format] [-f filter]", Exec: listBuffers},
		{Name: "list-plugins", Flags: "J", Usage: "[-J]", Exec: listPlugins},
		{Name: "list-commands", Alias: "lscm", Max: 1, Usage: "[command]", Exec: listCommands},
		{Name: "apply-layout", Flags: "knt:x:y:", Min: 1, Max: 2, StartServer: true, Usage: "[-kn] [-t session-name] [-x width] [-y height] file [content]", Exec: applyLayout},
		{Name: "save-layout", Flags: "t:", Usage: "[-t target-session]", Exec: saveLayout},
	}
	sort.Slice(table, func(i, j int) bool { return table[i].Name < table[j].Name })
}

// Default list formats, as tmux's (cmd-list-sessions.c, cmd-list-windows.c,
// cmd-list-panes.c); history_bytes counts gosh's storage, not tmux's.
const (
	ListSessionsFormat = "#{session_name}: #{session_windows} windows (created #{t:session_created})#{?session_attached, (attached),}"
	ListWindowsFormat  = "#{window_index}: #{window_name}#{window_flags} (#{window_panes} panes) [#{window_width}x#{window_height}] [layout #{window_layout}] #{window_id}#{?window_active, (active),}"
	ListPanesFormat    = "#{pane_index}: [#{pane_width}x#{pane_height}] [history #{history_size}/#{history_limit}, #{history_bytes} bytes] #{pane_id}#{?pane_active, (active),}"
)

func printf(e Env, format string, r Ref) {
	io.WriteString(e.Stdout(), Expand(format, e.Vars(r))+"\n")
}

func formatOr(a *Args, def string) string {
	if a.Has('F') {
		return a.Value('F')
	}
	return def
}

// filterOK applies a -f filter: the line is kept when the expanded filter
// is non-empty and not "0".
func filterOK(e Env, a *Args, r Ref) bool {
	if !a.Has('f') {
		return true
	}
	v := Expand(a.Value('f'), e.Vars(r))
	return v != "" && v != "0"
}

func dir(e Env, a *Args) string {
	if a.Has('c') {
		return a.Value('c')
	}
	return ""
}

func newSession(_ context.Context, e Env, a *Args) error {
	if a.Has('s') && a.Value('s') == "" {
		return errors.New("invalid session: ") // tmux: an empty -s is no name
	}
	if name := a.Value('s'); a.Has('A') && name != "" {
		// -A: attach-session when the session exists (-D detaching the
		// other clients), as tmux — `new -A -s main` attaches or creates.
		if r, err := e.Find("="+name, KindSession); err == nil {
			c, err := clients(e)
			if err != nil {
				return err
			}
			if !c.CanAttach() {
				return errors.New("open terminal failed: not a terminal")
			}
			return c.Attach(r, AttachOptions{DetachOthers: a.Has('D')})
		}
	}
	w, err := a.Int('x', 0)
	if err != nil {
		return err
	}
	h, err := a.Int('y', 0)
	if err != nil {
		return err
	}
	vars, err := envFlags(a)
	if err != nil {
		return err
	}
	r, err := e.NewSession(NewSessionOptions{Name: a.Value('s'), WindowName: a.Value('n'), Dir: dir(e, a),
		Width: w, Height: h, Command: a.Positional, Env: vars})
	if err != nil {
		return err
	}
	if a.Has('P') {
		printf(e, formatOr(a, "#{session_name}:"), r)
	}
	return attachAfterNew(e, a, r)
}

func listSessions(_ context.Context, e Env, a *Args) error {
	for _, r := range e.Sessions() {
		if filterOK(e, a, r) {
			printf(e, formatOr(a, ListSessionsFormat), r)
		}
	}
	return nil
}

func hasSession(_ context.Context, e Env, a *Args) error {
	_, err := e.Find(a.Value('t'), KindSession)
	return err
}

func killSession(_ context.Context, e Env, a *Args) error {
	r, err := e.Find(a.Value('t'), KindSession)
	if err != nil {
		return err
	}
	if !a.Has('a') {
		return e.KillSession(r)
	}
	for _, o := range e.Sessions() {
		if o.Session != r.Session {
			if err := e.KillSession(o); err != nil {
				return err
			}
		}
	}
	return nil
}

func renameSession(_ context.Context, e Env, a *Args) error {
	r, err := e.Find(a.Value('t'), KindSession)
	if err != nil {
		return err
	}
	return e.RenameSession(r, a.Positional[0])
}

func newWindow(_ context.Context, e Env, a *Args) error {
	vars, err := envFlags(a)
	if err != nil {
		return err
	}
	o := WindowOptions{Name: a.Value('n'), Dir: dir(e, a), Index: -1, Detach: a.Has('d'), Command: a.Positional, Env: vars, Kill: a.Has('k')}
	sess := ""
	if a.Has('t') {
		t := ParseTarget(a.Value('t'), KindWindow)
		sess = t.Session
		if n, err := strconv.Atoi(t.Window); err == nil && n >= 0 {
			o.Index = n
		} else if t.Lone {
			sess = t.Window
		} else if t.Window != "" {
			// A window by name, @id or offset: its index, as tmux
			// (so -a and -b go next to it; without them it is in use).
			w, err := e.Find(a.Value('t'), KindWindow)
			if err != nil {
				return err
			}
			v := e.Vars(w)
			o.Index, _ = strconv.Atoi(v["window_index"])
			sess = v["session_id"]
		}
		if sess != "" {
			sess += ":"
		}
	}
	r, err := e.Find(sess, KindSession)
	if err != nil {
		return err
	}
	if a.Has('a') || a.Has('b') {
		// After (before) the target index, or the session's current
		// window.
		o.After, o.Before = a.Has('a'), !a.Has('a')
		if o.Index < 0 {
			o.Index, _ = strconv.Atoi(e.Vars(r)["window_index"])
		}
	}
	nr, err := e.NewWindow(r, o)
	if err != nil {
		return err
	}
	if a.Has('P') {
		printf(e, formatOr(a, "#{session_name}:#{window_index}.#{pane_index}"), nr)
	}
	return nil
}

// relative builds "session:+" style targets for -n/-p/-l.
func relative(a *Args, step string) string {
	t := ParseTarget(a.Value('t'), KindWindow)
	s := t.Session
	if t.Lone {
		s = t.Window
	}
	return s + ":" + step
}

func selectWindow(_ context.Context, e Env, a *Args) error {
	target := a.Value('t')
	switch {
	case a.Has('n'):
		target = relative(a, "+")
	case a.Has('p'):
		target = relative(a, "-")
	case a.Has('l'):
		target = relative(a, "!")
	}
	r, err := e.Find(target, KindWindow)
	if err != nil {
		return err
	}
	if v := e.Vars(r); a.Has('T') && v["window_active"] == "1" {
		// -T: selecting the current window goes to the last one instead.
		if l, err := e.Find(v["session_id"]+":!", KindWindow); err == nil {
			r = l
		}
	}
	return e.SelectWindow(r)
}

func stepWindow(step string) Exec {
	return func(_ context.Context, e Env, a *Args) error {
		if a.Has('a') {
			// -a moves to the next window with an alert (bell, activity,
			// silence), wrapping, as tmux's session_next(s, 1).
			r, err := e.Find(a.Value('t'), KindSession)
			if err != nil {
				return err
			}
			if w, ok := nextAlert(e, r, step == "+"); ok {
				return e.SelectWindow(w)
			}
			if step == "+" {
				return errors.New("no next window")
			}
			return errors.New("no previous window")
		}
		r, err := e.Find(relative(a, step), KindWindow)
		if err != nil {
			return err
		}
		return e.SelectWindow(r)
	}
}

// nextAlert is the window after (before, unless forward) s's current one,
// wrapping, that carries an alert flag.
func nextAlert(e Env, s Ref, forward bool) (Ref, bool) {
	ws := e.Windows(s)
	cur := -1
	for i, w := range ws {
		if e.Vars(w)["window_active"] == "1" {
			cur = i
		}
	}
	if cur < 0 {
		return Ref{}, false
	}
	for n := 1; n < len(ws); n++ {
		i := (cur + n) % len(ws)
		if !forward {
			i = (cur - n + len(ws)) % len(ws)
		}
		v := e.Vars(ws[i])
		if v["window_bell_flag"] == "1" || v["window_activity_flag"] == "1" || v["window_silence_flag"] == "1" {
			return ws[i], true
		}
	}
	return Ref{}, false
}

func killWindow(_ context.Context, e Env, a *Args) error {
	r, err := e.Find(a.Value('t'), KindWindow)
	if err != nil {
		return err
	}
	if !a.Has('a') {
		return e.KillWindow(r)
	}
	for _, o := range e.Windows(r) {
		if o.Window != r.Window {
			if err := e.KillWindow(o); err != nil {
				return err
			}
		}
	}
	return nil
}

func renameWindow(_ context.Context, e Env, a *Args) error {
	r, err := e.Find(a.Value('t'), KindWindow)
	if err != nil {
		return err
	}
	return e.RenameWindow(r, a.Positional[0])
}

func listWindows(_ context.Context, e Env, a *Args) error {
	var sessions []Ref
	if a.Has('a') {
		sessions = e.Sessions()
	} else {
		r, err := e.Find(a.Value('t'), KindSession)
		if err != nil {
			return err
		}
		sessions = []Ref{r}
	}
	def := ListWindowsFormat
	if a.Has('a') {
		def = "#{session_name}:" + def
	}
	for _, s := range sessions {
		for _, w := range e.Windows(s) {
			if filterOK(e, a, w) {
				printf(e, formatOr(a, def), w)
			}
		}
	}
	return nil
}

// size parses -l SIZE, which may be "N" cells or "N%".
func splitSize(a *Args) (cells, pct int, err error) {
	if a.Has('p') {
		pct, err = a.Int('p', 0)
		if err == nil && (pct <= 0 || pct >= 100) {
			err = fmt.Errorf("percentage %s too small or too large", a.Value('p'))
		}
		return 0, pct, err
	}
	if !a.Has('l') {
		return 0, 0, nil
	}
	v := a.Value('l')
	if p, ok := strings.CutSuffix(v, "%"); ok {
		pct, err = strconv.Atoi(p)
		if err != nil || pct <= 0 || pct >= 100 {
			return 0, 0, fmt.Errorf("percentage %s too small or too large", p)
		}
		return 0, pct, nil
	}
	cells, err = strconv.Atoi(v)
	if err != nil || cells <= 0 {
		return 0, 0, fmt.Errorf("size %s invalid", v)
	}
	return cells, 0, nil
}

func splitWindow(_ context.Context, e Env, a *Args) error {
	r, err := e.Find(a.Value('t'), KindPane)
	if err != nil {
		return err
	}
	cells, pct, err := splitSize(a)
	if err != nil {
		return err
	}
	vars, err := envFlags(a)
	if err != nil {
		return err
	}
	nr, err := e.SplitWindow(r, SplitOptions{Horizontal: a.Has('h'), Before: a.Has('b'), Size: cells, Percent: pct,
		Dir: dir(e, a), Detach: a.Has('d'), Command: a.Positional, Env: vars, Full: a.Has('f')})
	if err != nil {
		return err
	}
	if a.Has('P') {
		printf(e, formatOr(a, "#{session_name}:#{window_index}.#{pane_index}"), nr)
	}
	return nil
}

// envFlags reads the -e VARIABLE=value flags of new-session, new-window
// and split-window (tmux 3.0's -e); nil when there are none.
func envFlags(a *Args) (map[string]string, error) {
	var vars map[string]string
	for _, kv := range a.Values('e') {
		k, v, ok := strings.Cut(kv, "=")
		if !ok || k == "" {
			return nil, fmt.Errorf("invalid environment: %s", kv)
		}
		if vars == nil {
			vars = map[string]string{}
		}
		vars[k] = v
	}
	return vars, nil
}

// direction returns the direction flag given, if any.
func direction(a *Args) (Direction, bool) {
	for _, f := range []struct {
		c byte
		d Direction
	}{{'L', Left}, {'R', Right}, {'U', Up}, {'D', Down}} {
		if a.Has(f.c) {
			return f.d, true
		}
	}
	return 0, false
}

// PaneTitler is implemented by an Env whose panes' titles can be set
// (select-pane -T).
type PaneTitler interface {
	SetPaneTitle(r Ref, title string) error
}

func selectPane(_ context.Context, e Env, a *Args) error {
	r, err := e.Find(a.Value('t'), KindPane)
	if err != nil {
		return err
	}
	if a.Has('T') {
		// -T sets the pane's title (a format), as OSC 2 would, and
		// selects nothing (tmux).
		pt, ok := e.(PaneTitler)
		if !ok {
			return errors.New("no pane titles")
		}
		return pt.SetPaneTitle(r, Expand(a.Value('T'), e.Vars(r)))
	}
	if a.Has('m') || a.Has('M') {
		// -m marks the pane (or unmarks it if it is the marked one), -M
		// clears the mark; neither selects.
		m, ok := e.(Marker)
		if !ok {
			return errors.New("no marked pane support")
		}
		return m.MarkPane(r, a.Has('m'))
	}
	if d, ok := direction(a); ok {
		if r, err = e.Neighbor(r, d); err != nil {
			return err
		}
	}
	if zk, ok := e.(ZoomKeeper); ok && a.Has('Z') {
		return zk.SelectPaneKeepZoom(r)
	}
	return e.SelectPane(r)
}

// ZoomKeeper is implemented by an Env that can select a pane of a zoomed
// window keeping it zoomed (select-pane -Z); SelectPane unzooms.
type ZoomKeeper interface {
	SelectPaneKeepZoom(r Ref) error
}

func resizePane(_ context.Context, e Env, a *Args) error {
	r, err := e.Find(a.Value('t'), KindPane)
	if err != nil {
		return err
	}
	if a.Has('Z') {
		return e.ToggleZoom(r)
	}
	n := 1
	if len(a.Positional) == 1 {
		if n, err = strconv.Atoi(a.Positional[0]); err != nil || n < 0 {
			return fmt.Errorf("adjustment %s invalid", a.Positional[0])
		}
	}
	if d, ok := direction(a); ok {
		return e.ResizePane(r, d, n)
	}
	for _, flag := range []byte{'x', 'y'} {
		if !a.Has(flag) {
			continue
		}
		want, err := a.Int(flag, 0)
		if err != nil || want < 1 {
			return fmt.Errorf("-%c %s invalid", flag, a.Value(flag))
		}
		if err := e.ResizePaneTo(r, flag == 'x', want); err != nil {
			return err
		}
	}
	return nil
}

func killPane(_ context.Context, e Env, a *Args) error {
	r, err := e.Find(a.Value('t'), KindPane)
	if err != nil {
		return err
	}
	if !a.Has('a') {
		return e.KillPane(r)
	}
	for _, o := range e.Panes(r) {
		if o.Pane != r.Pane {
			if err := e.KillPane(o); err != nil {
				return err
			}
		}
	}
	return nil
}

func swapPane(_ context.Context, e Env, a *Args) error {
	dst, err := e.Find(a.Value('t'), KindPane)
	if err != nil {
		return err
	}
	if a.Has('U') || a.Has('D') {
		panes := e.Panes(dst)
		for i, p := range panes {
			if p.Pane != dst.Pane {
				continue
			}
			step := 1
			if a.Has('U') {
				step = len(panes) - 1
			}
			src := panes[(i+step)%len(panes)]
			return e.SwapPanes(src, dst, a.Has('d'))
		}
		return nil
	}
	src, err := sourcePane(e, a)
	if err != nil {
		return err
	}
	if src.Pane == dst.Pane {
		return nil
	}
	return e.SwapPanes(src, dst, a.Has('d'))
}

// selectLayout is tmux's select-layout: a preset by name, the window's last
// preset again with no name, -n/-p the next or previous one, -E spread
// the cells around the target pane evenly, -o undo the last change.
func selectLayout(_ context.Context, e Env, a *Args) error {
	r, err := e.Find(a.Value('t'), KindPane)
	if err != nil {
		return err
	}
	switch {
	case a.Has('n'):
		return e.StepLayout(r, 1)
	case a.Has('p'):
		return e.StepLayout(r, -1)
	case a.Has('E'):
		return e.SpreadLayout(r)
	case a.Has('o'):
		return e.UndoLayout(r)
	}
	name := ""
	if len(a.Positional) == 1 {
		name = a.Positional[0]
	}
	return e.SelectLayout(r, name)
}

func listPanes(_ context.Context, e Env, a *Args) error {
	var windows []Ref
	switch {
	case a.Has('a'):
		for _, s := range e.Sessions() {
			windows = append(windows, e.Windows(s)...)
		}
	case a.Has('s'):
		r, err := e.Find(a.Value('t'), KindSession)
		if err != nil {
			return err
		}
		windows = e.Windows(r)
	default:
		r, err := e.Find(a.Value('t'), KindWindow)
		if err != nil {
			return err
		}
		windows = []Ref{r}
	}
	def := ListPanesFormat
	switch {
	case a.Has('a'):
		def = "#{session_name}:#{window_index}." + def
	case a.Has('s'):
		def = "#{window_index}." + def
	}
	for _, w := range windows {
		for _, p := range e.Panes(w) {
			if filterOK(e, a, p) {
				printf(e, formatOr(a, def), p)
			}
		}
	}
	return nil
}

func sendKeys(_ context.Context, e Env, a *Args) error {
	r, err := e.Find(a.Value('t'), KindPane)
	if err != nil {
		return err
	}
	n, err := a.Int('N', 1)
	if err != nil || n < 1 || n > 10000 {
		return fmt.Errorf("repeat count %s invalid", a.Value('N'))
	}
	if a.Has('X') {
		return copyModeCommand(e, r, n, a.Positional)
	}
	b := EncodeKeys(a.Positional, a.Has('l'), e.KeyModes(r))
	for range n {
		if err := e.Send(r, b); err != nil {
			return err
		}
	}
	return nil
}

// lineArg parses a -S/-E value: a number or "-" (history start / visible end).
func lineArg(a *Args, f byte) (n int, dash, ok bool, err error) {
	if !a.Has(f) {
		return 0, false, false, nil
	}
	v := a.Value(f)
	if v == "-" {
		return 0, true, true, nil
	}
	n, err = strconv.Atoi(v)
	if err != nil {
		return 0, false, false, fmt.Errorf("-%c %s invalid", f, v)
	}
	return n, false, true, nil
}

func capturePane(_ context.Context, e Env, a *Args) error {
	if !a.Has('p') {
		return errors.New("capture-pane: paste buffers are not supported yet; use -p")
	}
	r, err := e.Find(a.Value('t'), KindPane)
	if err != nil {
		return err
	}
	var o CaptureOptions
	if o.Start, o.StartHistory, o.HasStart, err = lineArg(a, 'S'); err != nil {
		return err
	}
	if o.End, o.EndVisible, o.HasEnd, err = lineArg(a, 'E'); err != nil {
		return err
	}
	o.Escapes, o.Join, o.PreserveTrailing = a.Has('e'), a.Has('J'), a.Has('N')
	o.Alternate, o.IgnoreMissingAlter = a.Has('a'), a.Has('q')
	s, err := e.Capture(r, o)
	if err != nil {
		return err
	}
	io.WriteString(e.Stdout(), s)
	return nil
}

func displayMessage(_ context.Context, e Env, a *Args) error {
	r, err := e.Find(a.Value('t'), KindPane)
	if err != nil {
		return err
	}
	if a.Has('a') {
		// -a lists the format variables and their values, as tmux's.
		vars := e.Vars(r)
		names := make([]string, 0, len(vars))
		for k := range vars {
			names = append(names, k)
		}
		sort.Strings(names)
		for _, k := range names {
			fmt.Fprintf(e.Stdout(), "%s=%s\n", k, vars[k])
		}
		return nil
	}
	f := formatOr(a, "")
	if len(a.Positional) == 1 {
		f = a.Positional[0]
	}
	if f == "" {
		f = "[#{session_name}] #{window_index}:#{window_name}, current pane #{pane_index}"
	}
	msg := Expand(f, e.Vars(r))
	if m, ok := e.(Messages); ok && !a.Has('p') {
		delay := -1
		if a.Has('d') {
			if delay, err = a.Int('d', -1); err != nil || delay < 0 {
				return fmt.Errorf("delay %s", invalidOrTooSmall(a.Value('d')))
			}
		}
		// On a client's status line, as tmux; without a client to show
		// it on, it goes to stdout as with -p.
		if shown, err := m.DisplayMessage(r, a.Value('c'), msg, delay); err != nil || shown {
			return err
		}
	}
	io.WriteString(e.Stdout(), msg+"\n")
	return nil
}

// invalidOrTooSmall says what is wrong with a number argument, as tmux's
// strtonum messages do.
func invalidOrTooSmall(v string) string {
	if _, err := strconv.Atoi(v); err != nil {
		return "invalid"
	}
	return "too small"
}

func setOption(_ context.Context, e Env, a *Args) error {
	var r Ref
	// -s (server options, tmux's escape-time or default-terminal) sets
	// globally: no target to find, so a configuration read before any
	// session exists can set them without -g.
	global := a.Has('g') || a.Has('s')
	if !global {
		var err error
		kind := KindSession
		if a.Has('w') {
			kind = KindWindow
		}
		if r, err = e.Find(a.Value('t'), kind); err != nil {
			return err
		}
	}
	value := ""
	if len(a.Positional) == 2 {
		value = a.Positional[1]
	} else if !a.Has('u') {
		// A flag option given no value toggles, as tmux's; an Env that
		// can't toggle turns it on.
		if t, ok := e.(OptionToggler); ok {
			return t.ToggleOption(r, global, a.Positional[0])
		}
		value = "on"
	}
	return e.SetOption(r, global, a.Positional[0], value)
}

func listCommands(_ context.Context, e Env, a *Args) error {
	for _, c := range Table() {
		if len(a.Positional) == 1 && c.Name != a.Positional[0] && c.Alias != a.Positional[0] {
			continue
		}
		name := c.Name
		if c.Alias != "" {
			name += " (" + c.Alias + ")"
		}
		fmt.Fprintf(e.Stdout(), "%s %s\n", name, c.Usage)
	}
	return nil
}
