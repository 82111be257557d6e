package cli

import (
	"github.com/spf13/cobra"

	"github.com/goshterm/gosh/mux/command"
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
// so cobra passes the arguments through untouched.
func newTmuxCmd(c *command.Command) *cobra.Command {
	cmd := &cobra.Command{
		Use:                c.Name + " " + c.Usage,
		Short:              "tmux-compatible " + c.Name,
		DisableFlagParsing: true,
		RunE: func(cmd *cobra.Command, args []string) error {
			argv := append([]string{c.Name}, args...)
			if attaches[c.Name] {
				return forwardAttach(cmd, argv, c.StartServer)
			}
			return forward(cmd, argv, c.StartServer)
		},
	}
	// "attach" is left to `gosh attach [host]` (the ssh attach), whatever
	// tmux calls attach-session for short.
	if c.Alias != "" && c.Alias != "attach" {
		cmd.Aliases = []string{c.Alias}
	}
	return cmd
}
