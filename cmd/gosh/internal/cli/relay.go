package cli

import (
	"github.com/spf13/cobra"

	"github.com/goshterm/gosh/cmd/gosh/internal/remote"
)

// `gosh server relay` hangs under `gosh server` (server.go), added here so
// that this command stays in its own file.
func init() {
	rootSetup = append(rootSetup, func(root *cobra.Command) {
		for _, c := range root.Commands() {
			if c.Name() == "server" {
				c.AddCommand(newServerRelayCmd())
			}
		}
	})
}

// newServerRelayCmd is `gosh server relay TARGET`, the host's end of the
// UDP-blocked fallback: `gosh attach` runs it over a second ssh connection
// and it bridges length-prefixed datagrams on stdin/stdout to the
// session's UDP endpoint (package remote, ServeRelay).
func newServerRelayCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "relay PORT|IP:PORT",
		Short: "Carry SSP datagrams between stdin/stdout and a session's UDP port (the fallback of gosh attach when UDP is blocked)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			target, err := remote.ParseRelayTarget(args[0])
			if err != nil {
				return err
			}
			return remote.ServeRelay(cmd.Context(), cmd.InOrStdin(), cmd.OutOrStdout(), target)
		},
	}
}
