package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/hashicorp/go-hclog"
	"github.com/spf13/cobra"

	"github.com/goshterm/gosh/mux"
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

// newPluginListCmd shows the live plugins of the running daemon (asked
// with list-plugins over the control socket), so that states, restart
// counts and last errors are the daemon's own. With no daemon, with
// --local, or when --config or --dir name other plugins, it starts every
// configured plugin in this process instead, waits for the handshakes and
// prints what it learned. The first line says which it did.
func newPluginListCmd() *cobra.Command {
	var configPath, dir string
	var timeout time.Duration
	var verbose, local bool
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List plugins with their kind, version, state and last error",
		Long: "list shows the plugins the gosh server runs, as it sees them now: kind, version, state, restarts,\n" +
			"process and last error. Predictors run beside each client, not in the server: --local probes them.\n" +
			"With no server running (or --local), list finds plugins in the config file and the plugins\n" +
			"directory, starts each one, checks its handshake and prints what it learned.",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			out := cmd.OutOrStdout()
			why := "--local"
			switch {
			case cmd.Flags().Changed("config") || cmd.Flags().Changed("dir"):
				why = "--config or --dir given"
			case !local:
				path, err := socketPath(cmd)
				if err != nil {
					return err
				}
				ps, err := daemonPlugins(cmd, path, timeout)
				if err == nil {
					if len(ps) == 0 {
						fmt.Fprintf(out, "no plugins in the gosh server on %s\n", path)
					} else {
						fmt.Fprintf(out, "plugins of the gosh server on %s:\n", path)
						if err := printPlugins(out, ps, true); err != nil {
							return err
						}
					}
					if n := predictorSpecs(configPath, dir); n > 0 {
						fmt.Fprintf(out, "%d predictor plugin(s) run beside each client, not in the server: gosh plugin list --local probes them\n", n)
					}
					return nil
				}
				if !errors.Is(err, mux.ErrNoServer) {
					return err
				}
				why = "no gosh server running on " + path
			}
			specs, err := plugins.Load(configPath, dir)
			if err != nil {
				fmt.Fprintf(cmd.ErrOrStderr(), "gosh: %v\n", err)
			}
			if len(specs) == 0 {
				fmt.Fprintf(out, "no plugins (config %s, directory %s)\n", configPath, dir)
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
			fmt.Fprintf(out, "plugins probed by this command (%s):\n", why)
			return printPlugins(out, plugins.MuxHooks(h).(mux.PluginLister).Plugins(), false)
		},
	}
	defConfig, defDir := pluginPaths()
	cmd.Flags().StringVar(&configPath, "config", defConfig, "config file listing plugins (default dir: $"+ConfigDirEnv+"); implies --local")
	cmd.Flags().StringVar(&dir, "dir", defDir, "plugins directory; implies --local")
	cmd.Flags().DurationVar(&timeout, "timeout", 10*time.Second, "how long to wait for the server, or for each plugin's handshake")
	cmd.Flags().BoolVarP(&verbose, "verbose", "v", false, "print the plugins' logs to stderr (with --local)")
	cmd.Flags().BoolVar(&local, "local", false, "start the plugins in this process instead of asking the server")
	return cmd
}

// daemonPlugins asks the daemon on path for its plugins (list-plugins -J).
// It wraps mux.ErrNoServer when no daemon runs there.
func daemonPlugins(cmd *cobra.Command, path string, timeout time.Duration) ([]mux.PluginInfo, error) {
	ctx, cancel := context.WithTimeout(cmd.Context(), timeout)
	defer cancel()
	resp, err := mux.Do(ctx, path, mux.Request{Argv: []string{"list-plugins", "-J"}})
	if err != nil {
		return nil, err
	}
	if resp.Code != 0 {
		return nil, fmt.Errorf("plugin: the gosh server on %s does not list its plugins (%s); --local probes them here", path, strings.TrimSpace(resp.Stderr))
	}
	var ps []mux.PluginInfo
	if err := json.Unmarshal([]byte(resp.Stdout), &ps); err != nil {
		return nil, fmt.Errorf("plugin: the server's plugin list: %w", err)
	}
	return ps, nil
}

// predictorSpecs counts the configured plugins pinned as predictors, which
// the daemon does not run.
func predictorSpecs(configPath, dir string) int {
	specs, _ := plugins.Load(configPath, dir)
	n := 0
	for _, s := range specs {
		if s.Kind == sdk.KindPredictor {
			n++
		}
	}
	return n
}

// printPlugins prints ps as a table; pid says whether the PID column
// means anything (a probe's processes are gone when it prints).
func printPlugins(w io.Writer, ps []mux.PluginInfo, pid bool) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	head := "NAME\tKIND\tVERSION\tSTATE\tRESTARTS\t"
	if pid {
		head += "PID\t"
	}
	fmt.Fprintln(tw, head+"LAST ERROR")
	dash := func(s string) string {
		if s == "" {
			return "-"
		}
		return s
	}
	for _, p := range ps {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%d\t", p.Name, p.Kind, dash(p.Version), p.State, p.Restarts)
		if pid {
			if p.PID > 0 {
				fmt.Fprintf(tw, "%d\t", p.PID)
			} else {
				fmt.Fprint(tw, "-\t")
			}
		}
		fmt.Fprintln(tw, dash(p.LastError))
	}
	return tw.Flush()
}

// havePredictors reports whether predictor plugins are configured: the
// client must then run in the gosh process, which starts them.
// Any configured plugin counts, as startPredictors starts them all and
// keeps the predictors.
func havePredictors() bool {
	specs, _ := plugins.Load(pluginPaths())
	return len(specs) > 0
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
			Title:     k.Pane.Title,
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
