package cli

import (
	"errors"
	"fmt"
	"net/netip"
	"os"
	"strconv"

	"github.com/spf13/cobra"

	"github.com/goshterm/gosh/cmd/gosh/internal/client"
	"github.com/goshterm/gosh/ssp"
)

func init() { extraCommands = append(extraCommands, newClientCmd) }

// newClientCmd is `gosh client IP PORT`, mosh-client's equivalent. The key
// comes from MOSH_KEY or GOSH_KEY and is removed from the environment
// before anything else happens, so no child or /proc reader sees it.
func newClientCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "client IP PORT",
		Short: "connect to a gosh or mosh server (key in MOSH_KEY or GOSH_KEY)",
		Args:  cobra.ExactArgs(2),
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
				return errors.New("client: stdin must be a terminal")
			}
			err = client.Run(cmd.Context(), client.Config{
				Server: netip.AddrPortFrom(ip.Unmap(), uint16(port)), Key: key, In: in, Out: cmd.OutOrStdout(),
			})
			fmt.Fprintln(cmd.ErrOrStderr(), "[gosh is exiting.]")
			return err
		},
	}
}
