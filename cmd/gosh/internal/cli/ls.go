package cli

import (
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/goshterm/gosh/cmd/gosh/internal/remote"
)

func init() {
	extraCommands = append(extraCommands, newLsCmd)
	// `ls` is this command (local or remote); take it from list-sessions'
	// tmux aliases so that cobra finds this one.
	rootSetup = append(rootSetup, func(root *cobra.Command) {
		for _, c := range root.Commands() {
			if c.Name() == "list-sessions" {
				c.Aliases = slices.DeleteFunc(c.Aliases, func(a string) bool { return a == "ls" })
			}
		}
	})
}

// newLsCmd is `gosh ls [[user@]host] [--ssh CMD] [--server PATH] [-4|-6]
// [-F FORMAT]`: list-sessions here, or on host over ssh. Flags are parsed
// here, so that list-sessions' own flags pass through to the daemon.
func newLsCmd() *cobra.Command {
	return &cobra.Command{
		Use:                "ls [[user@]host] [--ssh CMD] [--server PATH] [-F format]",
		Short:              "List sessions, here or on host over ssh",
		DisableFlagParsing: true,
		RunE: func(cmd *cobra.Command, args []string) error {
			host, sshCmd, server, family, rest, help := parseLsArgs(args)
			if help {
				return cmd.Help()
			}
			if host == "" {
				return forward(cmd, append([]string{"list-sessions"}, rest...), false)
			}
			argv, err := remote.SplitCommand(sshCmd)
			if err != nil {
				return err
			}
			s := remote.SSH{Argv: argv, Target: host, Family: family}
			return remote.RunLines(cmd.Context(), s, server, append([]string{"list-sessions"}, rest...), cmd.OutOrStdout(), cmd.ErrOrStderr())
		},
	}
}

// parseLsArgs separates gosh ls's own options from list-sessions' (-F,
// -f take a value).
func parseLsArgs(args []string) (host, sshCmd, server string, family int, rest []string, help bool) {
	sshCmd, server = "ssh", "gosh"
	for i := 0; i < len(args); i++ {
		a := args[i]
		next := func() string {
			if i+1 < len(args) {
				i++
				return args[i]
			}
			return ""
		}
		switch {
		case a == "-h" || a == "--help":
			help = true
		case a == "--ssh":
			sshCmd = next()
		case strings.HasPrefix(a, "--ssh="):
			sshCmd = strings.TrimPrefix(a, "--ssh=")
		case a == "--server":
			server = next()
		case strings.HasPrefix(a, "--server="):
			server = strings.TrimPrefix(a, "--server=")
		case a == "-4":
			family = 4
		case a == "-6":
			family = 6
		case a == "-F" || a == "-f":
			rest = append(rest, a, next())
		case strings.HasPrefix(a, "-"):
			rest = append(rest, a)
		case host == "":
			host = a
		default:
			rest = append(rest, a)
		}
	}
	return
}
