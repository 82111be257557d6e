package cli

import (
	"fmt"
	"os"
	"slices"

	"github.com/spf13/cobra"

	"github.com/goshterm/gosh/cmd/gosh/internal/server"
)

func init() { extraCommands = append(extraCommands, newMoshServerCmd) }

const moshServerUsage = `Usage: gosh mosh-server new [-s] [-v] [-i LOCALADDR] [-p PORT[:PORT2]] [-c COLORS] [-l NAME=VALUE] [-- COMMAND...]

A drop-in for mosh-server 1.4: prints MOSH CONNECT <port> <key>, detaches,
and serves one terminal to a mosh client (e.g. mosh --server='gosh mosh-server').
`

// newMoshServerCmd is `gosh mosh-server`. Flags are parsed by the server
// package exactly as mosh-server parses them (getopt style, unknown
// options not fatal), so cobra's parsing is off.
func newMoshServerCmd() *cobra.Command {
	return &cobra.Command{
		Use:                "mosh-server new [options] [-- COMMAND...]",
		Short:              "a mosh-compatible server for the stock mosh client",
		DisableFlagParsing: true,
		RunE: func(cmd *cobra.Command, args []string) error {
			if server.IsMoshChild() {
				return server.RunMoshChild(cmd.Context(), args)
			}
			if slices.Contains(args, "--help") || slices.Contains(args, "-h") {
				fmt.Fprint(cmd.OutOrStdout(), moshServerUsage)
				return nil
			}
			if slices.Contains(args, "--version") {
				fmt.Fprintf(cmd.OutOrStdout(), "gosh mosh-server (gosh %s), compatible with mosh 1.4\n", Version)
				return nil
			}
			if s := os.Getenv(moshSessionEnv); s != "" {
				return moshAttach(cmd, args, s)
			}
			stdin, _ := cmd.InOrStdin().(*os.File)
			return server.MoshServerNew(args, stdin, cmd.OutOrStdout(), cmd.ErrOrStderr())
		},
	}
}
