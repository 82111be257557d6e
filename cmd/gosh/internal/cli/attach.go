package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/netip"
	"os"
	"strings"

	"github.com/spf13/cobra"
	"golang.org/x/sys/unix"

	"github.com/goshterm/gosh/cmd/gosh/internal/client"
	"github.com/goshterm/gosh/mux"
	"github.com/goshterm/gosh/ssp"
)

// Local attach: attach-session, new-session without -d, and gosh with no
// arguments ask the daemon for an SSP endpoint over the control socket and
// run the terminal client against it on loopback, the same path a remote
// attach takes (DESIGN.md §2). The key stays in this process's memory.

// RunClient runs the terminal front end against an attach endpoint until
// the user detaches or quits. It is a variable so that another front end
// (the tcell client of issue 5) can take its place.
var RunClient = func(ctx context.Context, in *os.File, out io.Writer, ep *mux.AttachReply) error {
	key, err := ssp.ParseKey(ep.Key)
	if err != nil {
		return err
	}
	heur, stop := startPredictors()
	defer stop()
	return client.Run(ctx, client.Config{Server: endpointAddr(ep.IP, ep.Port), Key: key, In: in, Out: out,
		Heuristic: heur})
}

// endpointAddr is an attach endpoint's address: loopback unless the
// daemon's reply named another address.
func endpointAddr(ip string, port int) netip.AddrPort {
	addr := netip.AddrFrom4([4]byte{127, 0, 0, 1})
	if a, err := netip.ParseAddr(ip); err == nil && !a.IsUnspecified() {
		addr = a.Unmap()
	}
	return netip.AddrPortFrom(addr, uint16(port))
}

// terminalFacts describes the terminal on in for an attach request; ok is
// false when in is not a terminal.
func terminalFacts(in io.Reader) (req *mux.AttachRequest, tty string, f *os.File, ok bool) {
	f, isFile := in.(*os.File)
	if !isFile {
		return nil, "", nil, false
	}
	ws, err := unix.IoctlGetWinsize(int(f.Fd()), unix.TIOCGWINSZ)
	if err != nil {
		return nil, "", nil, false
	}
	term := os.Getenv("TERM")
	colors := 8
	switch {
	case os.Getenv("COLORTERM") == "truecolor" || os.Getenv("COLORTERM") == "24bit":
		colors = 1 << 24
	case strings.Contains(term, "256color"):
		colors = 256
	}
	tty, _ = os.Readlink("/proc/self/fd/" + fmt.Sprint(f.Fd()))
	req = &mux.AttachRequest{Cols: int(ws.Col), Rows: int(ws.Row), Term: term, Colors: colors}
	// Someone who ssh'd in and runs gosh here is still an ssh attach to
	// the authorizer.
	req.SSHClient, req.SSHKey = sshFacts(os.Getenv)
	return req, tty, f, true
}

// nestedCheck refuses to attach from inside a pane of the same server, as
// tmux refuses to nest ("sessions should be nested with care").
func nestedCheck(path string) error {
	if g := os.Getenv("GOSH"); g != "" && strings.HasPrefix(g, path+",") {
		return errors.New("sessions should be nested with care, unset $GOSH to force")
	}
	return nil
}

// forwardAttach runs a command that may attach the client (attach-session,
// new-session): from a terminal it sends the terminal's facts and, when
// the daemon answers with an endpoint, runs the client. Without a terminal
// new-session just creates the session (as with -d).
func forwardAttach(cmd *cobra.Command, argv []string, startServer bool) error {
	req, tty, in, ok := terminalFacts(cmd.InOrStdin())
	if !ok {
		return forward(cmd, argv, startServer)
	}
	path, err := socketPath(cmd)
	if err != nil {
		return err
	}
	if err := nestedCheck(path); err != nil {
		return err
	}
	areq := mux.Request{Argv: argv, Attach: req, TTY: tty}
	resp, err := request(cmd, path, areq, startServer)
	if err != nil {
		return err
	}
	if resp, err = answerChallenges(cmd, path, areq, resp, in, cmd.ErrOrStderr()); err != nil {
		return err
	}
	fmt.Fprint(cmd.OutOrStdout(), resp.Stdout)
	if resp.Code != 0 {
		return &exitError{code: resp.Code, err: errors.New(resp.Stderr)}
	}
	if resp.Attach == nil {
		return nil
	}
	return runAttached(cmd, path, in, resp.Attach)
}

// request sends req, starting the daemon first when allowed and needed.
func request(cmd *cobra.Command, path string, req mux.Request, startServer bool) (mux.Response, error) {
	cwd, _ := os.Getwd()
	req.Cwd = cwd
	if g := os.Getenv("GOSH"); g != "" && strings.HasPrefix(g, path+",") {
		req.Env = map[string]string{"GOSH_PANE": os.Getenv("GOSH_PANE")}
	}
	ctx := cmd.Context()
	resp, err := mux.Do(ctx, path, req)
	if errors.Is(err, mux.ErrNoServer) && startServer {
		if err := startDaemon(cmd, path, true); err != nil {
			return mux.Response{}, err
		}
		resp, err = mux.Do(ctx, path, req)
	}
	return resp, err
}

// runAttached runs the client, in the daemon at path when it will host it
// (hosted.go), and says how it ended, as tmux does.
func runAttached(cmd *cobra.Command, path string, in *os.File, ep *mux.AttachReply) error {
	var hosted bool
	var err error
	if canHost(in, cmd.OutOrStdout()) {
		hosted, err = runHosted(cmd.Context(), path, in, cmd.OutOrStdout(), ep)
	}
	if !hosted {
		err = RunClient(cmd.Context(), in, cmd.OutOrStdout(), ep)
	}
	var ended serverEnded
	if errors.As(err, &ended) {
		fmt.Fprintf(cmd.OutOrStdout(), "[%s]\n", ended)
		return nil
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(cmd.OutOrStdout(), "[detached (from session %s)]\n", ep.Session)
	return nil
}

// errNotTerminal is tmux's answer when it has no terminal to attach.
var errNotTerminal = errors.New("open terminal failed: not a terminal")

// attachDefault is gosh with no arguments, like tmux with none: attach the
// most recently used session, or create one when there is none.
func attachDefault(cmd *cobra.Command) error {
	req, tty, in, ok := terminalFacts(cmd.InOrStdin())
	if !ok {
		return errNotTerminal // as tmux alone says, rather than a help page
	}
	path, err := socketPath(cmd)
	if err != nil {
		return err
	}
	if err := nestedCheck(path); err != nil {
		return err
	}
	resp, err := request(cmd, path, mux.Request{Argv: []string{"attach-session"}, Attach: req, TTY: tty}, false)
	if err != nil && !errors.Is(err, mux.ErrNoServer) {
		return err
	}
	if err != nil || (resp.Code != 0 && resp.Challenge == nil && !strings.HasPrefix(resp.Stderr, "access denied")) {
		// No server, or no session in it: make one.
		resp, err = request(cmd, path, mux.Request{Argv: []string{"new-session"}, Attach: req, TTY: tty}, true)
		if err != nil {
			return err
		}
	}
	if resp.Challenge != nil {
		areq := mux.Request{Argv: []string{"attach-session"}, Attach: req, TTY: tty}
		if resp, err = answerChallenges(cmd, path, areq, resp, in, cmd.ErrOrStderr()); err != nil {
			return err
		}
	}
	if resp.Code != 0 {
		return &exitError{code: resp.Code, err: errors.New(resp.Stderr)}
	}
	if resp.Attach == nil {
		return errors.New("the server did not attach this client")
	}
	return runAttached(cmd, path, in, resp.Attach)
}
