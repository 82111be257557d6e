package cli

import (
	"context"
	"fmt"
	"text/tabwriter"
	"time"

	"github.com/hashicorp/go-hclog"
	"github.com/spf13/cobra"

	"github.com/goshterm/gosh/plugins"
	"github.com/goshterm/gosh/predict"
	"github.com/goshterm/gosh/sdk"
)

func init() { extraCommands = append(extraCommands, newPluginCmd) }

func newPluginCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "plugin",
		Short: "Inspect gosh plugins",
		Args:  cobra.NoArgs,
	}
	cmd.AddCommand(newPluginListCmd())
	return cmd
}

// newPluginListCmd starts every configured plugin in this process, waits for
// the handshakes and prints what it learned. Once the daemon runs plugins
// itself, this asks the daemon instead, so that states and restart counts
// are the live ones.
func newPluginListCmd() *cobra.Command {
	var configPath, dir string
	var timeout time.Duration
	var verbose bool
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List plugins with their kind, version, state and last error",
		Long: "list finds plugins in the config file and the plugins directory, starts each one, checks its\n" +
			"handshake and prints its kind, version and state. Failed plugins show why.",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			specs, err := plugins.Load(configPath, dir)
			if err != nil {
				fmt.Fprintf(cmd.ErrOrStderr(), "gosh: %v\n", err)
			}
			if len(specs) == 0 {
				fmt.Fprintf(cmd.OutOrStdout(), "no plugins (config %s, directory %s)\n", configPath, dir)
				return nil
			}
			logger := hclog.NewNullLogger()
			if verbose {
				logger = hclog.New(&hclog.LoggerOptions{Name: "plugin", Output: cmd.ErrOrStderr(), Level: hclog.Debug})
			}
			h := plugins.Start(plugins.Config{Plugins: specs, Logger: logger, StartTimeout: timeout, MaxFailures: 1})
			defer h.Close()
			ctx, cancel := context.WithTimeout(cmd.Context(), timeout+time.Second)
			defer cancel()
			if err := h.Wait(ctx); err != nil {
				return fmt.Errorf("plugin: waiting for handshakes: %w", err)
			}
			tw := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "NAME\tKIND\tVERSION\tSTATE\tRESTARTS\tLAST ERROR")
			for _, in := range h.Plugins() {
				version := in.Version
				if version == "" {
					version = "-"
				}
				last := in.LastError
				if last == "" {
					last = "-"
				}
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%d\t%s\n", in.Name, in.Kind, version, in.State, in.Restarts, last)
			}
			return tw.Flush()
		},
	}
	defConfig, defDir := pluginPaths()
	cmd.Flags().StringVar(&configPath, "config", defConfig, "config file listing plugins (default dir: $"+ConfigDirEnv+")")
	cmd.Flags().StringVar(&dir, "dir", defDir, "plugins directory")
	cmd.Flags().DurationVar(&timeout, "timeout", 10*time.Second, "how long to wait for each plugin's handshake")
	cmd.Flags().BoolVarP(&verbose, "verbose", "v", false, "print the plugins' logs to stderr")
	return cmd
}

// startPredictors starts the predictor plugins of the user's config file
// and plugins directory for a client process, in the background, and
// returns the heuristic to put in client.Config.Heuristic and a stop
// function to call when the client ends. With no plugins it returns a nil
// heuristic (the built-in one is used) and a no-op. Keys typed before a
// plugin's handshake completes get the built-in heuristic. Plugin logs are
// discarded: the client's terminal belongs to tcell.
func startPredictors() (predict.Heuristic, func()) {
	specs, _ := plugins.Load(pluginPaths())
	if len(specs) == 0 {
		return nil, func() {}
	}
	h := plugins.Start(plugins.Config{Plugins: specs, Only: sdk.KindPredictor})
	return pluginHeuristic{host: h}, func() { h.Close() }
}

// pluginHeuristic lets predictor plugins decide for the client's prediction
// engine: set predict.Config.Heuristic to it when the host has a predictor.
// A plugin that has no opinion, is down or misses its 5 ms deadline yields
// NoAnswer, and the engine asks predict.Builtin; whatever the plugin says,
// the engine keeps its own safety rules.
type pluginHeuristic struct{ host *plugins.Host }

var _ predict.Heuristic = pluginHeuristic{}

func (p pluginHeuristic) Decide(k predict.KeyContext) predict.Decision {
	req := sdk.PredictRequest{
		Key:        []byte(k.Key.Seq),
		Lines:      k.Lines,
		CursorLine: k.Row,
		CursorCol:  k.Col,
		SRTT:       k.SRTT,
		Pane: sdk.Pane{
			Rect:      sdk.Rect{X: k.Bounds.X, Y: k.Bounds.Y, Width: k.Bounds.W, Height: k.Bounds.H},
			Echo:      k.Pane.Echo || !k.Pane.Known,
			Canonical: k.Pane.Canonical,
			Program:   k.Pane.Program,
		},
	}
	ans, ok := p.host.Predict(context.Background(), req)
	if !ok {
		return predict.Decision{}
	}
	switch ans.Decision {
	case sdk.Predict:
		d := predict.Decision{Verdict: predict.Predict, Immediate: true}
		if len(ans.Cells) > 0 {
			top := k.Cursor.Y - k.Row // screen row of Lines[0]
			for _, c := range ans.Cells {
				d.Cells = append(d.Cells, predict.CellEdit{X: k.Bounds.X + c.Col, Y: top + c.Row, Text: c.Text})
			}
			last := d.Cells[len(d.Cells)-1]
			d.MoveCursor, d.Cursor = true, predict.Point{X: last.X + 1, Y: last.Y}
		}
		return d
	case sdk.DontPredict:
		return predict.Decision{Verdict: predict.Skip}
	case sdk.Reset:
		return predict.Decision{Verdict: predict.Reset}
	}
	return predict.Decision{}
}
