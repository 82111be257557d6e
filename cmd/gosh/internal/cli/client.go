package cli

import (
	"errors"
	"fmt"
	"net/netip"
	"os"
	"strconv"

	"github.com/spf13/cobra"

	"github.com/goshterm/gosh/cmd/gosh/internal/client"
	"github.com/goshterm/gosh/predict"
	"github.com/goshterm/gosh/ssp"
)

func init() { extraCommands = append(extraCommands, newClientCmd) }

// clientOptions are the prediction settings of `gosh client`, from flags
// and mosh's environment variables.
type clientOptions struct {
	mode      predict.Mode
	overwrite bool
	escape    client.EscapeKey
}

// parseClientEnv reads MOSH_PREDICTION_DISPLAY, MOSH_PREDICTION_OVERWRITE
// and MOSH_ESCAPE_KEY as mosh-client does (mosh-protocol.md §9.5, §10);
// flag, when not empty, is --predict and wins over the environment. An
// unknown mode is an error, as in mosh ("Unknown prediction mode").
func parseClientEnv(getenv func(string) (string, bool), flag string, overwriteFlag bool) (clientOptions, error) {
	o := clientOptions{mode: predict.Adaptive, overwrite: overwriteFlag}
	name, set := getenv("MOSH_PREDICTION_DISPLAY")
	if flag != "" {
		name, set = flag, true
	}
	if set {
		m, err := predict.ParseMode(name)
		if err != nil {
			return o, fmt.Errorf("client: unknown prediction mode %q (want adaptive, always, never or experimental)", name)
		}
		o.mode = m
	}
	if v, _ := getenv("MOSH_PREDICTION_OVERWRITE"); v == "yes" {
		o.overwrite = true
	}
	o.escape = client.ParseEscapeKey(getenv("MOSH_ESCAPE_KEY"))
	return o, nil
}

// newClientCmd is `gosh client IP PORT`, mosh-client's equivalent. The key
// comes from MOSH_KEY or GOSH_KEY and is removed from the environment
// before anything else happens, so no child or /proc reader sees it.
func newClientCmd() *cobra.Command {
	var predictFlag, statsFile string
	var overwrite bool
	cmd := &cobra.Command{
		Use:   "client IP PORT",
		Short: "connect to a gosh or mosh server (key in MOSH_KEY or GOSH_KEY)",
		Long: "connect to a gosh or mosh server (key in MOSH_KEY or GOSH_KEY)\n\n" +
			"Ctrl-^ . quits, Ctrl-^ Ctrl-Z suspends, Ctrl-^ ^ sends Ctrl-^.\n" +
			"Environment: MOSH_PREDICTION_DISPLAY, MOSH_PREDICTION_OVERWRITE=yes, MOSH_ESCAPE_KEY.",
		Args: cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			keyText := os.Getenv("GOSH_KEY")
			if keyText == "" {
				keyText = os.Getenv("MOSH_KEY")
			}
			os.Unsetenv("GOSH_KEY")
			os.Unsetenv("MOSH_KEY")
			if keyText == "" {
				return errors.New("client: MOSH_KEY (or GOSH_KEY) environment variable not found")
			}
			key, err := ssp.ParseKey(keyText)
			if err != nil {
				return err
			}
			opts, err := parseClientEnv(os.LookupEnv, predictFlag, overwrite)
			if err != nil {
				return err
			}
			ip, err := netip.ParseAddr(args[0])
			if err != nil {
				return fmt.Errorf("client: IP must be a numeric address: %q", args[0])
			}
			port, err := strconv.ParseUint(args[1], 10, 16)
			if err != nil || port == 0 {
				return fmt.Errorf("client: bad port %q", args[1])
			}
			in, ok := cmd.InOrStdin().(*os.File)
			if !ok {
				return client.ErrNotTerminal
			}
			heur, stopPredictors := startPredictors()
			defer stopPredictors()
			err = client.Run(cmd.Context(), client.Config{
				Heuristic: heur,
				Server:    netip.AddrPortFrom(ip.Unmap(), uint16(port)), Key: key, In: in, Out: cmd.OutOrStdout(),
				Predict: opts.mode, PredictOverwrite: opts.overwrite, Escape: opts.escape,
				StatsFile: statsFile,
			})
			fmt.Fprintln(cmd.ErrOrStderr(), "[gosh is exiting.]")
			return err
		},
	}
	cmd.Flags().StringVar(&predictFlag, "predict", "", "local echo: adaptive (default), always, never or experimental")
	cmd.Flags().BoolVar(&overwrite, "predict-overwrite", false, "predicted characters overwrite instead of inserting")
	cmd.Flags().StringVar(&statsFile, "stats", "", "write prediction statistics (JSON) to `FILE` on exit")
	return cmd
}
