// Package cli holds gosh's cobra command tree: one file per command.
// Cobra is used only here; commands write through cmd.OutOrStdout and
// cmd.ErrOrStderr so that tests can capture them.
package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"
)

// Version is the gosh release, set at link time with
// -ldflags "-X github.com/goshterm/gosh/cmd/gosh/internal/cli.Version=…".
var Version = "0.1.0-dev"

// exitError carries a specific exit status out of a command.
type exitError struct {
	code int
	err  error
	// quiet: the user has been told already; Main prints nothing.
	quiet bool
}

func (e *exitError) Error() string { return e.err.Error() }
func (e *exitError) Unwrap() error { return e.err }

// NewRoot builds the whole command tree.
func NewRoot() *cobra.Command {
	root := &cobra.Command{
		Use:           "gosh",
		Short:         "gosh is a mobile shell and a terminal multiplexer",
		Long:          "gosh keeps terminal sessions alive on a server (like tmux) and reaches them over a roaming,\nloss-tolerant UDP transport compatible with mosh.",
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.AddCommand(newVersionCmd())
	for _, add := range extraCommands {
		root.AddCommand(add())
	}
	for _, setup := range rootSetup {
		setup(root)
	}
	return root
}

// extraCommands lets each command file register itself, so that adding a
// command touches only its own file.
var extraCommands []func() *cobra.Command

// rootSetup lets a command file add global flags to the root (tmux-style
// -L/-S before the command name).
var rootSetup []func(root *cobra.Command)

// Main runs gosh with args and returns the process exit status.
func Main(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	root := NewRoot()
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error {
		// `gosh foo -t x`: the root parsed foo's flags as its own; name
		// the command, as tmux does, not the flag.
		if name := commandWord(args); c == root && name != "" {
			if found, _, ferr := root.Find([]string{name}); ferr != nil || found == root {
				return fmt.Errorf("unknown command %q for %q", name, root.CommandPath())
			}
		}
		return err
	})
	root.SetArgs(args)
	root.SetIn(stdin)
	root.SetOut(stdout)
	root.SetErr(stderr)
	err := root.ExecuteContext(ctx)
	if err == nil {
		return 0
	}
	var ee *exitError
	if errors.As(err, &ee) && ee.quiet {
		return ee.code
	}
	fmt.Fprintf(stderr, "gosh: %v\n", err)
	if ee != nil {
		return ee.code
	}
	return 1
}

// commandWord is the first argument that is neither a root flag (-L NAME,
// -S PATH, --socket-name=NAME …) nor its value: the command name.
func commandWord(args []string) string {
	for i := 0; i < len(args); i++ {
		switch a := args[i]; {
		case a == "-L" || a == "-S" || a == "--socket-name" || a == "--socket-path":
			i++
		case strings.HasPrefix(a, "-"):
		default:
			return a
		}
	}
	return ""
}
