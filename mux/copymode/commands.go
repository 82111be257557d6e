package copymode

import "strconv"

// command is one of tmux's copy-mode commands: what send-keys -X runs.
// run gets the repeat count (send-keys -N, at least 1) and the command's
// arguments.
type command struct {
	args int // arguments it needs
	run  func(m *Mode, n int, args []string) Result
}

// motion wraps a cursor motion that a repeat count repeats.
func motion(f func(m *Mode)) command {
	return command{run: func(m *Mode, n int, _ []string) Result {
		for range n {
			f(m)
		}
		return Result{}
	}}
}

// scroll wraps a view motion of d(m) lines per repeat; with cancel it
// leaves copy mode at the bottom, as tmux's *-and-cancel commands.
func scroll(d func(m *Mode) int, view, cancel bool) command {
	return command{run: func(m *Mode, n int, _ []string) Result {
		exit := m.cfg.ExitAtBottom
		if cancel {
			m.cfg.ExitAtBottom = true
		}
		defer func() { m.cfg.ExitAtBottom = exit }()
		var res Result
		for range n {
			if view {
				res = m.scrollView(d(m))
			} else {
				res = m.scrollBy(d(m))
			}
			if res.Done {
				break
			}
		}
		return res
	}}
}

func half(m *Mode) int { return max(m.height/2, 1) }

// copyCommand copies the selection; clear drops it afterwards, cancel
// leaves copy mode (tmux's copy-selection, -no-clear, -and-cancel).
func copyCommand(clear, cancel bool) command {
	return command{run: func(m *Mode, _ int, _ []string) Result {
		if cancel {
			return m.copyAndExit()
		}
		start, end, ok := m.selection()
		if !ok {
			return Result{}
		}
		res := Result{Copy: true, Text: m.text(start, end)}
		if clear {
			m.selecting = false
		}
		return res
	}}
}

// commands are tmux 3.3a's copy-mode commands (window-copy.c's
// window_copy_cmd_table) that this copy mode has, each doing what the key
// bound to it does here. The copy-pipe family copies without running a
// command.
var commands = map[string]command{
	"cancel": {run: func(*Mode, int, []string) Result { return Result{Done: true} }},
	"begin-selection": {run: func(m *Mode, _ int, _ []string) Result {
		m.anchor, m.selecting, m.lineSel = m.cur, true, false
		return Result{}
	}},
	"select-line": {run: func(m *Mode, _ int, _ []string) Result {
		m.anchor, m.selecting, m.lineSel = m.cur, true, true
		return Result{}
	}},
	"clear-selection": {run: func(m *Mode, _ int, _ []string) Result { m.selecting = false; return Result{} }},
	"other-end": {run: func(m *Mode, _ int, _ []string) Result {
		if m.selecting {
			m.anchor, m.cur = m.cur, m.anchor
			m.follow()
		}
		return Result{}
	}},
	"copy-selection":            copyCommand(true, false),
	"copy-selection-no-clear":   copyCommand(false, false),
	"copy-selection-and-cancel": copyCommand(true, true),
	"copy-pipe":                 copyCommand(true, false),
	"copy-pipe-no-clear":        copyCommand(false, false),
	"copy-pipe-and-cancel":      copyCommand(true, true),
	"cursor-up":                 motion(func(m *Mode) { m.moveLine(-1) }),
	"cursor-down":               motion(func(m *Mode) { m.moveLine(1) }),
	"cursor-left":               motion(func(m *Mode) { m.moveCol(-1) }),
	"cursor-right":              motion(func(m *Mode) { m.moveCol(1) }),
	"start-of-line":             motion(func(m *Mode) { m.setCol(0) }),
	"back-to-indentation":       motion(func(m *Mode) { m.setCol(m.firstNonBlank(m.cur.line)) }),
	"end-of-line":               motion((*Mode).endOfLine),
	"next-word":                 motion((*Mode).nextWord),
	"previous-word":             motion((*Mode).prevWord),
	"next-word-end":             motion((*Mode).wordEnd),
	"history-top":               motion(func(m *Mode) { m.goLine(0); m.setCol(0) }),
	"history-bottom":            motion(func(m *Mode) { m.goLine(m.Lines() - 1) }),
	"top-line":                  motion(func(m *Mode) { m.goLine(m.top) }),
	"middle-line":               motion(func(m *Mode) { m.goLine(m.top + min(m.height, m.Lines())/2) }),
	"bottom-line":               motion(func(m *Mode) { m.goLine(m.top + min(m.height, m.Lines()) - 1) }),
	"page-up":                   scroll(func(m *Mode) int { return -m.height }, false, false),
	"page-down":                 scroll(func(m *Mode) int { return m.height }, false, false),
	"page-down-and-cancel":      scroll(func(m *Mode) int { return m.height }, false, true),
	"halfpage-up":               scroll(func(m *Mode) int { return -half(m) }, false, false),
	"halfpage-down":             scroll(half, false, false),
	"halfpage-down-and-cancel":  scroll(half, false, true),
	"scroll-up":                 scroll(func(*Mode) int { return -1 }, true, false),
	"scroll-down":               scroll(func(*Mode) int { return 1 }, true, false),
	"scroll-down-and-cancel":    scroll(func(*Mode) int { return 1 }, true, true),
	"search-again":              {run: func(m *Mode, n int, _ []string) Result { m.searchAgain(m.lastFwd, n); return Result{} }},
	"search-reverse":            {run: func(m *Mode, n int, _ []string) Result { m.searchAgain(!m.lastFwd, n); return Result{} }},
	"search-forward":            {args: 1, run: searchCommand(true)},
	"search-backward":           {args: 1, run: searchCommand(false)},
	"search-forward-text":       {args: 1, run: searchCommand(true)},
	"search-backward-text":      {args: 1, run: searchCommand(false)},
	"goto-line": {args: 1, run: func(m *Mode, _ int, args []string) Result {
		// tmux counts lines up from the bottom of the history: 0 is
		// the top of the screen as it is.
		if l, err := strconv.Atoi(args[0]); err == nil && l >= 0 {
			m.goLine(m.hist - l)
		}
		return Result{}
	}},
}

func searchCommand(fwd bool) func(m *Mode, n int, args []string) Result {
	return func(m *Mode, n int, args []string) Result {
		if args[0] != "" {
			m.lastQuery, m.lastFwd = args[0], fwd
			m.search(m.lastQuery, fwd, n)
		}
		return Result{}
	}
}

// endOfLine is the End key of the mode's table: vi stops on the last
// character, emacs goes past it (so that C-a C-Space C-e takes the line).
func (m *Mode) endOfLine() {
	if m.cfg.Keys == Emacs {
		m.setCol(m.lineEnd(m.cur.line))
		return
	}
	m.setCol(max(m.lineEnd(m.cur.line)-1, 0))
}

// Command runs a tmux copy-mode command by name (send-keys -X name
// args…), n times for the commands a count repeats. known is false for a
// command this copy mode lacks or that lacks its argument, which tmux
// ignores.
func (m *Mode) Command(name string, n int, args []string) (res Result, known bool) {
	c, ok := commands[name]
	if !ok || len(args) < c.args {
		return Result{}, false
	}
	m.message, m.count, m.prompting = "", 0, false
	return c.run(m, max(n, 1), args), true
}
