package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/netip"
	"os"
	"strconv"

	"github.com/spf13/cobra"
	"golang.org/x/sys/unix"

	"github.com/goshterm/gosh/cmd/gosh/internal/client"
	"github.com/goshterm/gosh/cmd/gosh/internal/remote"
	"github.com/goshterm/gosh/mux"
	"github.com/goshterm/gosh/predict"
	"github.com/goshterm/gosh/ssp/conn"
)

func init() { extraCommands = append(extraCommands, newSSHAttachCmd) }

// sshAttachOptions are gosh attach's flags.
type sshAttachOptions struct {
	session, sshCmd, server, ports, predict, layout string
	ipv4, ipv6, install                             bool
	udpVia                                          string
}

// newSSHAttachCmd is `gosh attach [user@]host`: the everyday remote attach
// (issue 6). Without a host it attaches a local session, as tmux attach.
func newSSHAttachCmd() *cobra.Command {
	var o sshAttachOptions
	cmd := &cobra.Command{
		Use:   "attach [[user@]host] [-t SESSION] [--ssh CMD] [--server PATH] [-p PORT[:HIGH]] [--predict MODE] [--layout FILE] [-4|-6] [--install]",
		Short: "Attach a session on host over ssh, then continue over UDP (no host: a local session)",
		Long: `Runs your own ssh (so ~/.ssh/config, agents, ProxyJump and known_hosts apply) to start
"gosh server attach" on the host, which creates the session if missing and answers with a UDP
port and a fresh key; ssh then exits and the session continues over UDP. When no datagram gets
through within a few seconds, the same traffic goes through an ssh connection instead
("gosh server relay"), and the notice bar says which UDP ports to open.

--layout names a file on this machine: its content goes to the host on ssh's stdin
("gosh server attach --layout - --layout-size N") and builds the session when it is missing.`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 {
				argv := []string{"attach-session"}
				if o.session != "" {
					argv = append(argv, "-t", o.session)
				}
				return forwardAttach(cmd, argv, false)
			}
			return runSSHAttach(cmd, args[0], o)
		},
	}
	f := cmd.Flags()
	f.StringVarP(&o.session, "target", "t", "", "the `session` to attach (created if missing); default the most recent")
	f.StringVar(&o.sshCmd, "ssh", "ssh", "the ssh `command` to run, split like a shell would (e.g. \"ssh -p 2222 -i key\")")
	f.StringVar(&o.server, "server", "gosh", "the gosh `path` on the host")
	f.StringVarP(&o.ports, "port", "p", "", "UDP `port` or range LOW:HIGH on the host (default 60000:61000)")
	f.StringVar(&o.predict, "predict", "", "local echo `mode`: adaptive, always, never or experimental")
	f.StringVar(&o.layout, "layout", "", "create a missing session from this local layout `file` (its content is sent over ssh)")
	f.BoolVarP(&o.ipv4, "ipv4", "4", false, "use IPv4 only")
	f.BoolVarP(&o.ipv6, "ipv6", "6", false, "use IPv6 only")
	f.BoolVar(&o.install, "install", false, "if gosh is missing on the host, copy this binary to ~/.local/bin there")
	f.StringVar(&o.udpVia, "udp-via", "", "send the session's UDP to this `ip:port` (a UDP proxy or port forward) instead of host:port")
	f.MarkHidden("udp-via")
	cmd.MarkFlagsMutuallyExclusive("ipv4", "ipv6")
	return cmd
}

// runSSHAttach is gosh attach host.
func runSSHAttach(cmd *cobra.Command, target string, o sshAttachOptions) error {
	ctx := cmd.Context()
	stderr := cmd.ErrOrStderr()
	in, ok := cmd.InOrStdin().(*os.File)
	if !ok {
		return errors.New("attach: stdin must be a terminal")
	}
	argv, err := remote.SplitCommand(o.sshCmd)
	if err != nil {
		return err
	}
	if len(argv) == 0 {
		return errors.New("attach: --ssh is empty")
	}
	s := remote.SSH{Argv: argv, Target: target}
	if o.ipv4 {
		s.Family = 4
	} else if o.ipv6 {
		s.Family = 6
	}
	mode := predict.Adaptive
	if o.predict != "" {
		if mode, err = predict.ParseMode(o.predict); err != nil {
			return fmt.Errorf("attach: unknown prediction mode %q (want adaptive, always, never or experimental)", o.predict)
		}
	}
	lo, hi := uint16(mux.DefaultPortLow), uint16(mux.DefaultPortHigh)
	if o.ports != "" {
		if lo, hi, err = conn.ParsePortRange(o.ports); err != nil {
			return err
		}
	}
	var via netip.AddrPort
	if o.udpVia != "" {
		if via, err = netip.ParseAddrPort(o.udpVia); err != nil {
			return fmt.Errorf("attach: bad --udp-via %q", o.udpVia)
		}
	}

	// The address UDP goes to: the host as ssh resolves it (ssh -G), looked
	// up here (see package remote). The endpoint binds the matching
	// any-address so that the relay, which reaches it over the host's
	// loopback, gets through too. A host that does not resolve here may
	// still be reached by ssh (a
	// ProxyJump, a ProxyCommand): then the session runs on the relay
	// alone. If ssh cannot reach it either, its error is the message.
	ip, resolveErr := remote.Resolve(ctx, s)
	bind, relayHost := "0.0.0.0", "127.0.0.1"
	if resolveErr == nil && !ip.Is4() {
		bind, relayHost = "::", "::1"
	}
	serverArgs := []string{"-i", bind, "--client-version", Version}
	if o.session != "" {
		serverArgs = append(serverArgs, "-t", o.session)
	}
	if o.ports != "" {
		serverArgs = append(serverArgs, "-p", o.ports)
	}
	installArgs := serverArgs
	server := o.server
	// ssh's stdin is the terminal, so that an authorizer's challenge,
	// which gosh server attach asks on stderr, can be answered. With
	// --layout it starts with the local layout file's bytes.
	var sshIn io.Reader = in
	var stopLayout func()
	if o.layout != "" {
		content, err := os.ReadFile(o.layout)
		if err != nil {
			return fmt.Errorf("attach: --layout: %w", err)
		}
		serverArgs = append(serverArgs, "--layout", "-", "--layout-size", strconv.Itoa(len(content)), "--layout-name", o.layout)
		var r *os.File
		if r, stopLayout, err = layoutStdin(content, in); err != nil {
			return err
		}
		sshIn = r
	}
	c, err := remote.Attach(ctx, remote.AttachConfig{SSH: s, Server: server, Args: serverArgs, Stderr: stderr, Stdin: sshIn})
	if stopLayout != nil {
		stopLayout()
	}
	var re *remote.Error
	if err != nil && o.install && errors.As(err, &re) && re.Kind == remote.ErrNoGosh {
		fmt.Fprintf(stderr, "gosh: installing gosh %s on %s…\n", Version, target)
		if o.layout != "" {
			// The install's ssh carries the binary on stdin.
			fmt.Fprintf(stderr, "gosh: --layout is not applied on the attach that installs gosh; attach again with it to a new session\n")
		}
		c, server, err = remote.InstallAndAttach(ctx, remote.InstallConfig{SSH: s, Args: installArgs, Stderr: stderr})
	}
	if err != nil {
		return err
	}
	if err := remote.Compatible(target, Version, c.Version); err != nil {
		return err
	}

	udpAddr := netip.AddrPortFrom(ip, c.Port)
	notice := fmt.Sprintf("UDP blocked? on the slower ssh fallback; open UDP %s to %s", portRange(lo, hi), target)
	relayOnly := resolveErr != nil && !via.IsValid()
	if relayOnly {
		// Never sent to: the Fallback sends nothing over UDP.
		udpAddr = netip.AddrPortFrom(netip.IPv4Unspecified(), c.Port)
		notice = fmt.Sprintf("on the slower ssh fallback (no UDP: %v)", resolveErr)
	}
	if via.IsValid() {
		udpAddr = via
	}
	relayTarget := netip.AddrPortFrom(netip.MustParseAddr(relayHost), c.Port).String()
	fb := remote.NewFallback(remote.FallbackConfig{
		Server: udpAddr,
		StartRelay: func() (remote.Relay, error) {
			return remote.StartSSHRelay(context.WithoutCancel(ctx), s, server, relayTarget)
		},
		Notice:    notice,
		RelayOnly: relayOnly,
		Logger:    clientLogger(),
	})
	defer fb.Close()
	heur, stopPredictors := startPredictors()
	defer stopPredictors()
	err = client.Run(ctx, client.Config{Server: udpAddr, Key: c.Key, In: in, Out: cmd.OutOrStdout(), Predict: mode,
		Network: fb, Notice: fb.Notice, Heuristic: heur})
	if err == nil {
		fmt.Fprintf(stderr, "[detached from %s]\n", target)
	}
	return err
}

func portRange(lo, hi uint16) string {
	if lo == hi {
		return strconv.Itoa(int(lo))
	}
	return fmt.Sprintf("%d–%d", lo, hi)
}

// clientLogger logs the fallback's path changes to $GOSH_LOG when set (the
// terminal belongs to the client), else nowhere.
func clientLogger() *slog.Logger {
	p := os.Getenv("GOSH_LOG")
	if p == "" {
		return nil
	}
	f, err := os.OpenFile(p, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		return nil
	}
	return slog.New(slog.NewTextHandler(f, nil))
}

// layoutStdin is ssh's stdin for gosh attach --layout: a pipe carrying the
// local layout file's bytes (gosh server attach --layout - reads exactly
// that many), then what the user types at tty, which answers an
// authorizer's challenge. The terminal is read only when poll says it has
// input and only until stop, which returns once the forwarder is done, so
// no keystroke meant for the session is read away after ssh exits. stop
// also closes the pipe, so a write to an ssh that has exited fails rather
// than blocks.
func layoutStdin(content []byte, tty *os.File) (r *os.File, stop func(), err error) {
	r, w, err := os.Pipe()
	if err != nil {
		return nil, nil, fmt.Errorf("attach: --layout: %w", err)
	}
	done := make(chan struct{})
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		defer w.Close()
		if _, err := w.Write(content); err != nil {
			return
		}
		fd := int(tty.Fd())
		buf := make([]byte, 256)
		for {
			select {
			case <-done:
				return
			default:
			}
			fds := []unix.PollFd{{Fd: int32(fd), Events: unix.POLLIN}}
			n, err := unix.Poll(fds, 50)
			if err == unix.EINTR || (err == nil && n == 0) {
				continue
			}
			if err != nil || fds[0].Revents&unix.POLLIN == 0 {
				return // hung up or not pollable: nothing to forward
			}
			m, err := unix.Read(fd, buf)
			if err != nil || m <= 0 {
				return
			}
			if _, err := w.Write(buf[:m]); err != nil {
				return
			}
		}
	}()
	return r, func() {
		close(done)
		r.Close()
		<-finished
	}, nil
}
