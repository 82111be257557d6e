// Package command is gosh's table of tmux-compatible commands: names,
// aliases, flag templates, usage lines and what each one does, written
// against Env, an interface the multiplexer implements. The same table and
// parser serve the control socket (and so the CLI), key bindings and
// plugins, as tmux's cmd-*.c entries do.
//
// The package is a leaf: it imports nothing of gosh. Besides the table it
// holds the small languages tmux commands use, each with its own parser and
// fuzz target:
//
//   - flag templates ("dc:s:t:", getopt(3)-like; tmux arguments.c),
//   - targets ("session:window.pane", "%id", "@id", "$id"; tmux(1) COMMANDS),
//   - key names ("Enter", "C-c", "M-x", "Up", "F1"; tmux(1) KEY BINDINGS),
//     encoded as xterm sends them (xterm ctlseqs "PC-Style Function Keys"),
//   - formats ("#{session_name}", "#{?pane_active,*,}"; tmux(1) FORMATS),
//   - command lines and configuration files ("bind x neww \; splitw # c",
//     continued lines; tmux(1) COMMAND PARSING AND EXECUTION), which
//     source-file and the daemon's gosh.conf run (parse.go, bind.go).
package command
