package cli

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"net/netip"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/goshterm/gosh/mux"
	"github.com/goshterm/gosh/ssp/conn"
)

// ConnectPrefix starts the one line `gosh server attach` prints:
//
//	GOSH CONNECT <port> <key> <server-version>
//
// the counterpart of mosh-server's "MOSH CONNECT <port> <key>".
const ConnectPrefix = "GOSH CONNECT"

// newServerAttachCmd is `gosh server attach`, what `gosh attach host` runs
// over ssh on the host (issue 6): start the daemon if needed, create the
// session if missing, open an endpoint, print the connect line and exit.
// The key is printed only on stdout, which ssh carries back to the client.
func newServerAttachCmd() *cobra.Command {
	var session, layoutFile, ports, ip, clientVersion string
	var layoutSize int
	var layoutName string
	cmd := &cobra.Command{
		Use:   "attach [-t SESSION] [--layout FILE] [-p PORT[:HIGH]] [-i IP]",
		Short: "Open an SSP endpoint to a session (creating it if missing) and print GOSH CONNECT <port> <key> <version>",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			path, err := socketPath(cmd)
			if err != nil {
				return err
			}
			req := &mux.AttachRequest{}
			if ports != "" {
				lo, hi, err := conn.ParsePortRange(ports)
				if err != nil {
					return err
				}
				req.PortLow, req.PortHigh = lo, hi
			}
			req.IP, err = serverBindIP(ip, os.Getenv("SSH_CONNECTION"))
			if err != nil {
				return err
			}
			req.SSHClient, req.SSHKey = sshFacts(os.Getenv)
			// With --layout -, stdin starts with the layout's bytes (gosh
			// attach sends the client's local file); what follows is the
			// user's answer to a challenge, read from the same buffer.
			stdin := cmd.InOrStdin()
			var layout []byte
			if layoutFile == "-" {
				if layoutSize < 0 || layoutSize > maxLayoutSize {
					return fmt.Errorf("--layout-size %d: want 0 to %d bytes", layoutSize, maxLayoutSize)
				}
				br := bufio.NewReader(stdin)
				layout = make([]byte, layoutSize)
				if _, err := io.ReadFull(br, layout); err != nil {
					return fmt.Errorf("--layout -: reading %d bytes from stdin: %w", layoutSize, err)
				}
				stdin = br
			}
			target := "=" + session
			if session == "" {
				target = ""
			}
			// Create the session unless it exists.
			has := []string{"has-session"}
			if target != "" {
				has = append(has, "-t", target)
			}
			// No daemon means no session: has-session must not start one,
			// since a daemon started on demand exits while it has no
			// session and could be gone before new-session arrives.
			resp, err := request(cmd, path, mux.Request{Argv: has}, false)
			if errors.Is(err, mux.ErrNoServer) {
				resp, err = mux.Response{Code: 1}, nil
			}
			if err != nil {
				return err
			}
			switch {
			case resp.Code == 0: // the session exists
			case layoutFile != "":
				if err := applyLayoutFile(cmd, path, layoutFile, layoutName, layout, session); err != nil {
					return err
				}
			default:
				argv := []string{"new-session", "-d"}
				if session != "" {
					argv = append(argv, "-s", session)
				}
				if home, err := os.UserHomeDir(); err == nil {
					argv = append(argv, "-c", home)
				}
				if resp, err = request(cmd, path, mux.Request{Argv: argv}, true); err != nil {
					return err
				}
				if resp.Code != 0 {
					return &exitError{code: resp.Code, err: errors.New(resp.Stderr)}
				}
			}
			attach := []string{"attach-session"}
			if target != "" {
				attach = append(attach, "-t", target)
			}
			areq := mux.Request{Argv: attach, Attach: req}
			resp, err = request(cmd, path, areq, false)
			if err != nil {
				return err
			}
			// An authorizer's challenge: ask on stderr, which ssh shows
			// the user, and read the answer from stdin.
			if resp, err = answerChallenges(cmd, path, areq, resp, stdin, cmd.ErrOrStderr()); err != nil {
				return err
			}
			if resp.Code != 0 {
				return &exitError{code: resp.Code, err: errors.New(resp.Stderr)}
			}
			if resp.Attach == nil {
				return errors.New("the server opened no endpoint")
			}
			fmt.Fprintf(cmd.OutOrStdout(), "%s %d %s %s\n", ConnectPrefix, resp.Attach.Port, resp.Attach.Key, resp.Attach.Version)
			return nil
		},
	}
	cmd.Flags().StringVarP(&session, "target", "t", "", "the session to attach (created if missing); default the most recent")
	cmd.Flags().StringVar(&layoutFile, "layout", "", "create a missing session from this layout `file` (- reads --layout-size bytes of it from stdin)")
	cmd.Flags().IntVar(&layoutSize, "layout-size", 0, "with --layout -, the layout's length in `bytes` at the start of stdin")
	cmd.Flags().StringVar(&layoutName, "layout-name", "stdin", "with --layout -, the `name` its errors give the file (the client's path)")
	cmd.Flags().StringVarP(&ports, "port", "p", "", "UDP `port` or range LOW:HIGH (default 60000:61000)")
	cmd.Flags().StringVarP(&ip, "ip", "i", "", "bind UDP to this `address` (default: the ssh connection's server address, else any)")
	// gosh attach sends its release; the client judges compatibility from
	// the version in the CONNECT line (remote.Compatible), so the server
	// only accepts it.
	cmd.Flags().StringVar(&clientVersion, "client-version", "", "the attaching client's gosh `version` (sent by gosh attach)")
	return cmd
}

// serverBindIP picks the endpoint's address as mosh-server -s does: an
// explicit -i, else the server side of $SSH_CONNECTION ("client-ip
// client-port server-ip server-port"), else any interface.
func serverBindIP(explicit, sshConnection string) (string, error) {
	if explicit != "" {
		a, err := netip.ParseAddr(explicit)
		if err != nil {
			return "", fmt.Errorf("bad address %q", explicit)
		}
		return a.String(), nil
	}
	if f := strings.Fields(sshConnection); len(f) == 4 {
		if a, err := netip.ParseAddr(f[2]); err == nil {
			return a.Unmap().String(), nil
		}
	}
	return "0.0.0.0", nil
}

// maxLayoutSize bounds a layout read from stdin: a layout file describes
// windows and panes, a few kilobytes; more is a mistake, not a layout.
const maxLayoutSize = 1 << 20

// applyLayoutFile creates a missing session from a layout file with the
// daemon's apply-layout, so that `gosh attach host --layout FILE` (issue 6)
// lands in the file's windows and panes. A file on the host is read here
// and its errors name it; with file "-" content is the layout gosh attach
// sent from the client, and its errors say name.
func applyLayoutFile(cmd *cobra.Command, path, file, name string, content []byte, session string) error {
	if file == "-" {
		file = name
	} else {
		var err error
		if content, err = os.ReadFile(file); err != nil {
			return fmt.Errorf("--layout: %w", err)
		}
	}
	argv := []string{"apply-layout"}
	if session != "" {
		argv = append(argv, "-t", session)
	}
	argv = append(argv, "--", file, string(content))
	resp, err := request(cmd, path, mux.Request{Argv: argv}, true)
	if err != nil {
		return err
	}
	if resp.Code != 0 {
		return &exitError{code: resp.Code, err: errors.New(strings.TrimSpace(resp.Stderr))}
	}
	return nil
}
