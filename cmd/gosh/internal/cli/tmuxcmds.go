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

// newTmuxCmd wraps one entry of mux/command's table. Flags are parsed by the
// daemon with the table's own parser (so key bindings and plugins share it),
// so cobra passes the arguments through untouched.
func newTmuxCmd(c *command.Command) *cobra.Command {
	cmd := &cobra.Command{
		Use:                c.Name + " " + c.Usage,
		Short:              "tmux-compatible " + c.Name,
		DisableFlagParsing: true,
		RunE: func(cmd *cobra.Command, args []string) error {
			return forward(cmd, append([]string{c.Name}, args...), c.StartServer)
		},
	}
	if c.Alias != "" {
		cmd.Aliases = []string{c.Alias}
	}
	return cmd
}
