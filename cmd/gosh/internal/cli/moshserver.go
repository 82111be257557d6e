package cli

import (
	"fmt"
	"os"
	"slices"

	"github.com/spf13/cobra"

	"github.com/goshterm/gosh/cmd/gosh/internal/server"
)

func init() { extraCommands = append(extraCommands, newMoshServerCmd) }

const moshServerUsage = `Usage: gosh mosh-server [--private] new [-s] [-v] [-i LOCALADDR] [-p PORT[:PORT2]] [-c COLORS] [-l NAME=VALUE] [-- COMMAND...]

A drop-in for mosh-server 1.4 (mosh --server='gosh mosh-server' host): prints
MOSH CONNECT <port> <key> and exits, and the mosh client lands in a session of
the gosh daemon (started if needed): the one GOSH_SESSION names (created if
missing), else the most recently used one (created if there is none). Detach,
reattach with gosh attach, and several clients then work as with gosh attach.
A COMMAND after -- is ignored there: the session runs its own shell.

--private   serve one private terminal instead, as mosh-server does: detach
            and run COMMAND (or the login shell) in a pty of its own, gone
            when the client quits. Also for hosts where the daemon must not
            run.
`

// privateFlag asks gosh mosh-server for mosh-server's own behaviour, one
// pty per client, instead of a session of the daemon.
const privateFlag = "--private"

// newMoshServerCmd is `gosh mosh-server`. Flags are parsed by the server
// package exactly as mosh-server parses them (getopt style, unknown
// options not fatal), so cobra's parsing is off.
func newMoshServerCmd() *cobra.Command {
	return &cobra.Command{
		Use:                "mosh-server new [options] [-- COMMAND...]",
		Short:              "a mosh-compatible server for the stock mosh client",
		DisableFlagParsing: true,
		RunE: func(cmd *cobra.Command, args []string) error {
			args, private := cutPrivate(args)
			if server.IsMoshChild() { // re-executed by MoshServerNew, with --private
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
			if !private {
				return moshAttach(cmd, args, os.Getenv(moshSessionEnv))
			}
			stdin, _ := cmd.InOrStdin().(*os.File)
			return server.MoshServerNew(args, stdin, cmd.OutOrStdout(), cmd.ErrOrStderr())
		},
	}
}

// cutPrivate removes --private from the options (not from a COMMAND after
// --) and reports whether it was there. It may come before or after "new"
// (mosh --server='gosh mosh-server --private' puts it before).
func cutPrivate(args []string) ([]string, bool) {
	end := slices.Index(args, "--")
	if end < 0 {
		end = len(args)
	}
	i := slices.Index(args[:end], privateFlag)
	if i < 0 {
		return args, false
	}
	out := slices.Concat(args[:i], args[i+1:])
	out, _ = cutPrivate(out)
	return out, true
}
