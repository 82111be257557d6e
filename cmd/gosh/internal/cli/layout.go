package cli

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"github.com/spf13/cobra"
)

func init() { extraCommands = append(extraCommands, newLayoutCmd) }

// newLayoutCmd is `gosh layout apply|save`, over the daemon's apply-layout
// and save-layout commands. The file is read here, so that the daemon needs
// no access to it, and sent with its name, so that errors name it.
func newLayoutCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "layout",
		Short: "Create or update sessions from a YAML layout file, or save one",
		Long: "Layout files describe sessions: windows, nested splits with sizes, each pane's\n" +
			"command, cwd, env and focus (see examples/layouts). apply creates what is missing\n" +
			"and changes only what differs; save writes a session back.",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return cmd.Help() },
	}
	var dryRun, prune bool
	var session string
	var width, height int
	apply := &cobra.Command{
		Use:   "apply [--dry-run] [--prune] [-t session] FILE",
		Short: "Create or update the file's sessions (FILE - reads stdin)",
		Long: "Create or update the file's sessions. A missing session is created; in an existing\n" +
			"one, windows are matched by name and panes by command, new ones are started, panes\n" +
			"the file no longer lists are killed, and kept panes are resized in place. Windows\n" +
			"the file does not list are kept unless --prune. Startup commands are typed once\n" +
			"each pane's shell waits at its prompt.",
		Args: cobra.ExactArgs(1),
		ValidArgsFunction: func(_ *cobra.Command, args []string, _ string) ([]string, cobra.ShellCompDirective) {
			if len(args) == 0 {
				return []string{"yaml", "yml"}, cobra.ShellCompDirectiveFilterFileExt
			}
			return nil, cobra.ShellCompDirectiveNoFileComp
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			name := args[0]
			var content []byte
			var err error
			if name == "-" {
				name = "<stdin>"
				content, err = io.ReadAll(cmd.InOrStdin())
			} else {
				content, err = os.ReadFile(name)
			}
			if err != nil {
				return fmt.Errorf("layout: %w", err)
			}
			argv := []string{"apply-layout"}
			if dryRun {
				argv = append(argv, "-n")
			}
			if prune {
				argv = append(argv, "-k")
			}
			if session != "" {
				argv = append(argv, "-t", session)
			}
			if width > 0 {
				argv = append(argv, "-x", strconv.Itoa(width))
			}
			if height > 0 {
				argv = append(argv, "-y", strconv.Itoa(height))
			}
			argv = append(argv, "--", name, string(content))
			return forward(cmd, argv, true) // a dry run against no server plans from nothing
		},
	}
	apply.Flags().BoolVarP(&dryRun, "dry-run", "n", false, "print the plan, one line per action, and change nothing")
	apply.Flags().BoolVar(&prune, "prune", false, "kill the windows of applied sessions that the file does not list")
	apply.Flags().StringVarP(&session, "target", "t", "", "apply only the file's `session` of this name (or its only session, renamed)")
	apply.Flags().IntVarP(&width, "width", "x", 0, "width of new sessions (default 80)")
	apply.Flags().IntVarP(&height, "height", "y", 0, "height of new sessions (default 24)")

	var target, output string
	save := &cobra.Command{
		Use:   "save [-t session] [-o FILE]",
		Short: "Write a session as a layout file (to stdout by default)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			argv := []string{"save-layout"}
			if target != "" {
				argv = append(argv, "-t", target)
			}
			if output == "" || output == "-" {
				return forward(cmd, argv, false)
			}
			var out bytes.Buffer
			cmd.SetOut(&out)
			if err := forward(cmd, argv, false); err != nil {
				return err
			}
			if err := os.WriteFile(output, out.Bytes(), 0o644); err != nil {
				return fmt.Errorf("layout: %w", err)
			}
			return nil
		},
	}
	save.Flags().StringVarP(&target, "target", "t", "", "the `session` to save (default: the current one)")
	save.Flags().StringVarP(&output, "output", "o", "", "write to `FILE` instead of stdout")
	for _, c := range []*cobra.Command{apply, save} {
		_ = c.RegisterFlagCompletionFunc("target", completeSessions)
	}
	cmd.AddCommand(apply, save)
	return cmd
}

// completeSessions offers the running daemon's sessions, and nothing when
// none runs.
func completeSessions(cmd *cobra.Command, _ []string, toComplete string) ([]string, cobra.ShellCompDirective) {
	var out []string
	for _, s := range daemonTargets(cmd, "target-session") {
		if strings.HasPrefix(s, toComplete) {
			out = append(out, s)
		}
	}
	return out, cobra.ShellCompDirectiveNoFileComp
}
