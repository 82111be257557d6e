package cli

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/goshterm/gosh/mux"
	"github.com/goshterm/gosh/mux/command"
	"github.com/goshterm/gosh/mux/layout"
)

func init() {
	for _, c := range command.Table() {
		extraCommands = append(extraCommands, func() *cobra.Command { return newTmuxCmd(c) })
	}
}

// attaches are the commands that attach a client from a terminal (see
// attach.go).
var attaches = map[string]bool{"attach-session": true, "new-session": true}

// newTmuxCmd wraps one entry of mux/command's table. Flags are parsed by the
// daemon with the table's own parser (so key bindings and plugins share it),
// so cobra passes the arguments through untouched; completion and help come
// from the table too, since cobra knows none of the flags.
func newTmuxCmd(c *command.Command) *cobra.Command {
	cmd := &cobra.Command{
		Use:                c.Name + " " + c.Usage,
		Short:              "tmux-compatible " + c.Name,
		DisableFlagParsing: true,
		RunE: func(cmd *cobra.Command, args []string) error {
			// tmux has no --help, and -h is split-window's horizontal
			// split, so only a leading --help asks for the usage.
			if len(args) > 0 && args[0] == "--help" {
				return tmuxHelp(cmd, c)
			}
			argv := append([]string{c.Name}, args...)
			if attaches[c.Name] {
				return forwardAttach(cmd, argv, c.StartServer)
			}
			return forward(cmd, argv, c.StartServer)
		},
		ValidArgsFunction: func(cmd *cobra.Command, args []string, toComplete string) ([]string, cobra.ShellCompDirective) {
			return completeTmux(cmd, c, args, toComplete)
		},
	}
	// gosh help CMD prints the table's usage, not cobra's flag list (whose
	// -h, --help would contradict split-window -h).
	cmd.SetHelpFunc(func(cmd *cobra.Command, _ []string) { _ = tmuxHelp(cmd, c) })
	// "attach" is left to `gosh attach [host]` (the ssh attach), whatever
	// tmux calls attach-session for short.
	if c.Alias != "" && c.Alias != "attach" {
		cmd.Aliases = []string{c.Alias}
	}
	return cmd
}

// tmuxHelp prints c's synopsis as tmux(1) and list-commands show it.
func tmuxHelp(cmd *cobra.Command, c *command.Command) error {
	w := cmd.OutOrStdout()
	fmt.Fprintf(w, "usage: %s %s\n", c.Name, c.Usage)
	if c.Alias != "" {
		fmt.Fprintf(w, "alias: %s\n", c.Alias)
	}
	fmt.Fprintf(w, "\ntmux-compatible %s: flags and targets (session:window.pane) are tmux's.\n", c.Name)
	return nil
}

// flagSpec is one flag of a command's usage line.
type flagSpec struct {
	letter byte
	arg    string // the value's name ("target-pane"), "" for a switch
}

// usageFlagRE matches a usage group: "[-dP]" or "[-t target-pane]".
var usageFlagRE = regexp.MustCompile(`\[-([A-Za-z]+)(?: ([a-z-]+))?\]`)

// usageFlags lists the flags c's usage line documents, in its order. The
// template may accept more (tmux's unimplemented ones); they are not offered.
func usageFlags(c *command.Command) []flagSpec {
	var out []flagSpec
	for _, m := range usageFlagRE.FindAllStringSubmatch(c.Usage, -1) {
		if m[2] != "" && len(m[1]) == 1 {
			out = append(out, flagSpec{letter: m[1][0], arg: m[2]})
			continue
		}
		for i := 0; i < len(m[1]); i++ {
			out = append(out, flagSpec{letter: m[1][i]})
		}
	}
	return out
}

// takesValue reports whether flag f takes a value in template.
func takesValue(template string, f byte) bool {
	k := strings.IndexByte(template, f)
	return k >= 0 && k+1 < len(template) && template[k+1] == ':'
}

// completeTmux completes a tmux command's arguments as ParseArgs will read
// them: flag names from the usage line, a flag's value (targets from the
// running daemon, directories for -c), then the positional arguments.
func completeTmux(cmd *cobra.Command, c *command.Command, args []string, toComplete string) ([]string, cobra.ShellCompDirective) {
	positional := 0
	var pending byte // a flag whose value is toComplete
	for i := 0; i < len(args); i++ {
		s := args[i]
		if positional > 0 || s == "--" || len(s) < 2 || s[0] != '-' {
			positional++
			continue
		}
		for j := 1; j < len(s); j++ {
			if takesValue(c.Flags, s[j]) {
				if j == len(s)-1 {
					if i+1 < len(args) {
						i++ // the value is the next argument
					} else {
						pending = s[j]
					}
				}
				break
			}
		}
	}
	if pending != 0 {
		return completeFlagValue(cmd, c, pending, "", toComplete)
	}
	if positional == 0 && strings.HasPrefix(toComplete, "-") {
		// "-tdev:" is a value attached to its flag
		if len(toComplete) > 2 && takesValue(c.Flags, toComplete[1]) {
			return completeFlagValue(cmd, c, toComplete[1], toComplete[:2], toComplete[2:])
		}
		var out []string
		for _, f := range usageFlags(c) {
			name := "-" + string(f.letter)
			if !strings.HasPrefix(name, toComplete) || slices.Contains(args, name) {
				continue
			}
			if f.arg != "" {
				name += "\t" + f.arg
			}
			out = append(out, name)
		}
		return out, cobra.ShellCompDirectiveNoFileComp
	}
	switch c.Name {
	case "select-layout":
		if positional == 0 {
			var out []string
			for p := layout.EvenHorizontal; p <= layout.Tiled; p++ {
				if strings.HasPrefix(p.String(), toComplete) {
					out = append(out, p.String())
				}
			}
			return out, cobra.ShellCompDirectiveNoFileComp
		}
	case "apply-layout":
		if positional == 0 {
			return nil, cobra.ShellCompDirectiveDefault // the layout file
		}
	case "new-session", "new-window", "split-window":
		return nil, cobra.ShellCompDirectiveDefault // a shell command's words
	}
	return nil, cobra.ShellCompDirectiveNoFileComp
}

// completeFlagValue completes the value of flag f (after prefix, "-t" when
// attached to it).
func completeFlagValue(cmd *cobra.Command, c *command.Command, f byte, prefix, toComplete string) ([]string, cobra.ShellCompDirective) {
	if f == 'c' {
		return nil, cobra.ShellCompDirectiveFilterDirs
	}
	var arg string
	for _, s := range usageFlags(c) {
		if s.letter == f {
			arg = s.arg
		}
	}
	if !targetKinds[arg] {
		// a new name (new-session -s session-name), a size, a format
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	var out []string
	for _, t := range daemonTargets(cmd, arg) {
		if strings.HasPrefix(t, toComplete) {
			out = append(out, prefix+t)
		}
	}
	return out, cobra.ShellCompDirectiveNoFileComp
}

// targetKinds are the usage names of flag values that name something
// that exists, so that the daemon can suggest them.
var targetKinds = map[string]bool{"target-session": true, "target-window": true, "target-pane": true,
	"src-pane": true, "dst-pane": true, "src-window": true, "dst-window": true, "target-client": true, "target": true}

// completeTimeout bounds the questions a completion asks the daemon: a
// shell waits on them.
const completeTimeout = 2 * time.Second

// daemonTargets asks the running daemon, if any, for the targets a flag
// documented as kind accepts: sessions for a target-session; also
// session:window for a target-window; also session:window.pane for panes
// (and set-option's plain "target"); client names for a target-client. With
// no daemon there is nothing to suggest, and none is started.
func daemonTargets(cmd *cobra.Command, kind string) []string {
	path, err := socketPath(cmd)
	if err != nil || !alive(path) {
		return nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), completeTimeout)
	defer cancel()
	ask := func(argv ...string) []string {
		resp, err := mux.Do(ctx, path, mux.Request{Argv: argv, Cwd: "/"})
		if err != nil || resp.Code != 0 {
			return nil
		}
		return strings.Fields(resp.Stdout)
	}
	if kind == "target-client" {
		return ask("list-clients", "-F", "#{client_name}")
	}
	out := ask("list-sessions", "-F", "#{session_name}")
	if kind == "target-session" {
		return out
	}
	out = append(out, ask("list-windows", "-a", "-F", "#{session_name}:#{window_index}")...)
	if kind == "target-window" || kind == "src-window" || kind == "dst-window" {
		return out
	}
	return append(out, ask("list-panes", "-a", "-F", "#{session_name}:#{window_index}.#{pane_index}")...)
}
