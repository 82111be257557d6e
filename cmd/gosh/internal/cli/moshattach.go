package cli

import (
	"errors"
	"fmt"
	"net/netip"
	"os"

	"github.com/spf13/cobra"
	"golang.org/x/sys/unix"

	"github.com/goshterm/gosh/cmd/gosh/internal/server"
	"github.com/goshterm/gosh/mux"
)

// moshSessionEnv names the gosh session that `gosh mosh-server new` puts
// a stock mosh client in. Set on the host (or on the remote command line:
// mosh --server='GOSH_SESSION=work gosh mosh-server' host), it picks that
// session of the daemon, created if missing; unset, the client lands in
// the most recently used session, as gosh alone does.
const moshSessionEnv = "GOSH_SESSION"

// moshAttach is `gosh mosh-server new` without --private (issues 3 and 6):
// the daemon, started if needed, opens an endpoint for a session and the
// stock mosh client gets it as "MOSH CONNECT <port> <key>" (the frames are
// mosh-compatible, DESIGN.md §3), so detach, reattach and several clients
// work as with gosh attach. session "" means the most recent one, created
// when there is none. mosh-server's -i, -s, -p and -c are honoured; a
// command after -- is not (the session runs the daemon's shell).
func moshAttach(cmd *cobra.Command, args []string, session string) error {
	stderr := cmd.ErrOrStderr()
	o, err := server.ParseMoshArgs(args, stderr)
	if err != nil {
		return err
	}
	if len(o.Command) > 0 {
		fmt.Fprintf(stderr, "mosh-server: ignoring the command %q, the gosh session runs its own shell (--private runs it)\n", o.Command)
	}
	path, err := socketPath(cmd)
	if err != nil {
		return err
	}
	req := &mux.AttachRequest{PortLow: o.PortLow, PortHigh: o.PortHigh, Term: o.Term(), Colors: o.Colors}
	switch {
	case o.BindIP.IsValid():
		req.IP = o.BindIP.String()
	case o.BindSSH:
		if req.IP, err = serverBindIP("", os.Getenv("SSH_CONNECTION")); err != nil {
			return err
		}
	default:
		req.IP = netip.IPv4Unspecified().String()
	}
	var target []string // the most recent session
	if session != "" {
		target = []string{"-t", "=" + session}
	}
	// No daemon means no session: has-session must not start one, since a
	// daemon started on demand exits as soon as a command leaves it with
	// no session, and new-session could then reach it while it closes
	// ("connection reset by peer"). new-session starts it.
	resp, err := request(cmd, path, mux.Request{Argv: append([]string{"has-session"}, target...)}, false)
	if errors.Is(err, mux.ErrNoServer) {
		resp, err = mux.Response{Code: 1}, nil
	}
	if err != nil {
		return err
	}
	if resp.Code != 0 {
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
	resp, err = request(cmd, path, mux.Request{Argv: append([]string{"attach-session"}, target...), Attach: req}, false)
	if err != nil {
		return err
	}
	if resp.Code != 0 {
		return &exitError{code: resp.Code, err: errors.New(resp.Stderr)}
	}
	if resp.Attach == nil {
		return errors.New("mosh-server: the gosh server opened no endpoint")
	}
	if f, ok := cmd.InOrStdin().(*os.File); ok {
		if _, err := unix.IoctlGetTermios(int(f.Fd()), ioctlGetTermios); err == nil {
			fmt.Fprint(cmd.OutOrStdout(), "\r\n") // as mosh-server: not glued to typeahead
		}
	}
	fmt.Fprintf(cmd.OutOrStdout(), "MOSH CONNECT %d %s\n", resp.Attach.Port, resp.Attach.Key)
	fmt.Fprintf(stderr, "\n[gosh mosh-server: attached to gosh session %s]\n", resp.Attach.Session)
	return nil
}
