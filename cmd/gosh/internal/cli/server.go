package cli

import (
	"errors"
	"fmt"
	"log/slog"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/spf13/cobra"
	"golang.org/x/sys/unix"

	"github.com/goshterm/gosh/cmd/gosh/internal/client"
	"github.com/goshterm/gosh/mux"
)

func init() {
	extraCommands = append(extraCommands, newServerCmd)
	rootSetup = append(rootSetup, func(root *cobra.Command) {
		// tmux takes -L and -S before the command name (tmux -L test ls);
		// TraverseChildren lets the root parse them there while each tmux
		// command keeps its own flag parser (mux/command).
		root.TraverseChildren = true
		// Traverse, unlike Find, does not reject an unknown command name
		// on a root that runs nothing; do it here unless the root runs
		// something of its own.
		if root.Run == nil && root.RunE == nil {
			root.Args = cobra.ArbitraryArgs
			root.RunE = func(cmd *cobra.Command, args []string) error {
				if len(args) > 0 {
					return fmt.Errorf("unknown command %q for %q", args[0], cmd.CommandPath())
				}
				return attachDefault(cmd) // like tmux alone: attach or create a session
			}
		}
		root.PersistentFlags().StringP("socket-name", "L", "", "use the control socket called `name` in the socket directory (tmux -L)")
		root.PersistentFlags().StringP("socket-path", "S", "", "use the control socket at `path` (tmux -S)")
		root.PersistentFlags().StringP("config", "f", "", "a server this command starts runs `file` instead of the default configuration file (tmux -f)")
	})
}

// daemonStartTimeout bounds how long a client waits for a daemon it started
// to listen.
const daemonStartTimeout = 10 * time.Second

func newServerCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "server",
		Short: "Start or run the multiplexer daemon",
		Args:  cobra.NoArgs,
		RunE:  func(cmd *cobra.Command, _ []string) error { return cmd.Help() },
	}
	start := &cobra.Command{
		Use:   "start",
		Short: "Start the daemon in the background unless it runs (it stays until kill-server or its last session ends)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			path, err := socketPath(cmd)
			if err != nil {
				return err
			}
			if alive(path) {
				return nil
			}
			return startDaemon(cmd, path, false)
		},
	}
	var exitEmpty bool
	daemon := &cobra.Command{
		Use:    "daemon",
		Short:  "Run the daemon in the foreground (what start runs)",
		Hidden: true,
		Args:   cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			closeInheritedFiles()
			// One P: the daemon's work is a few goroutines that mostly
			// wait. startDaemon sets it from exec (daemonEnv), and the
			// variable goes now that the runtime has read it, so that
			// panes and plugins see the user's environment. The call is
			// for a daemon started some other way (a no-op after
			// daemonEnv): resizing costs what daemonEnv avoids, but one
			// P still saves the second P's mcache and idle thread.
			dropDaemonEnv()
			runtime.GOMAXPROCS(1)
			path, err := socketPath(cmd)
			if err != nil {
				return err
			}
			logf, err := os.OpenFile(path+".log", os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
			if err != nil {
				return err
			}
			defer logf.Close()
			conf, err := daemonConfigFile(cmd)
			if err != nil {
				return err
			}
			env := paneEnv(os.Environ())
			log := slog.New(slog.NewTextHandler(logf, nil))
			hooks, stopPlugins := startDaemonPlugins(log)
			defer stopPlugins()
			return mux.RunDaemon(cmd.Context(), mux.Config{SocketPath: path, Env: env, ExitEmpty: exitEmpty,
				Version: Version, Logger: log, Hooks: hooks, Host: hostClients(log, client.Run),
				ConfigFile: conf})
		},
	}
	daemon.Flags().BoolVar(&exitEmpty, "exit-empty", false, "exit whenever no sessions remain (on-demand start)")
	cmd.AddCommand(start, daemon, newServerAttachCmd())
	return cmd
}

// closeInheritedFiles closes descriptors above stderr that the daemon
// inherited without close-on-exec from whoever started the first client, as
// tmux's closefrom does: otherwise every pane would hold them too, and a
// caller waiting for a pipe to close would wait for the daemon's lifetime.
// Descriptors Go opened are close-on-exec and stay.
func closeInheritedFiles() {
	entries, err := os.ReadDir(fdDir)
	if err != nil {
		return
	}
	for _, e := range entries {
		fd, err := strconv.Atoi(e.Name())
		if err != nil || fd <= 2 {
			continue
		}
		if flags, err := unix.FcntlInt(uintptr(fd), unix.F_GETFD, 0); err == nil && flags&unix.FD_CLOEXEC == 0 {
			unix.Close(fd)
		}
	}
}

// socketPath resolves -L/-S, then the socket of the gosh pane the client
// runs in ($GOSH, like $TMUX), then the default socket.
func socketPath(cmd *cobra.Command) (string, error) {
	name, path := "", ""
	if f := cmd.Flags().Lookup("socket-name"); f != nil {
		name = f.Value.String()
	}
	if f := cmd.Flags().Lookup("socket-path"); f != nil {
		path = f.Value.String()
	}
	if name == "" && path == "" {
		if g := os.Getenv("GOSH"); g != "" {
			path, _, _ = strings.Cut(g, ",")
		}
	}
	return mux.SocketPath(name, path)
}

// alive reports whether a daemon answers on path.
func alive(path string) bool {
	c, err := net.Dial("unix", path)
	if err != nil {
		return false
	}
	c.Close()
	return true
}

// startDaemon runs "gosh -S path [-f file] server daemon" detached (its
// own session, no terminal, output to the log beside the socket) and waits
// until it listens. cmd's -f, checked here, names the file the daemon runs
// instead of the default configuration file.
func startDaemon(cmd *cobra.Command, path string, exitEmpty bool) error {
	ctx := cmd.Context()
	conf, err := configFlag(cmd)
	if err != nil {
		return err
	}
	exe, err := os.Executable()
	if err != nil {
		return fmt.Errorf("cannot find the gosh binary to start the server: %w", err)
	}
	args := []string{"-S", path}
	if conf != "" {
		args = append(args, "-f", conf)
	}
	args = append(args, "server", "daemon")
	if exitEmpty {
		args = append(args, "--exit-empty")
	}
	devnull, err := os.OpenFile(os.DevNull, os.O_RDWR, 0)
	if err != nil {
		return err
	}
	defer devnull.Close()
	c := exec.Command(exe, args...)
	c.Env = daemonEnv(os.Environ())
	c.Stdin, c.Stdout, c.Stderr = devnull, devnull, devnull
	c.Dir = "/"
	c.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
	if err := c.Start(); err != nil {
		return fmt.Errorf("starting server: %w", err)
	}
	exited := make(chan error, 1)
	go func() { exited <- c.Wait() }() // reap it if it ends while we live
	deadline := time.NewTimer(daemonStartTimeout)
	defer deadline.Stop()
	tick := time.NewTicker(10 * time.Millisecond)
	defer tick.Stop()
	for {
		if alive(path) {
			return nil
		}
		select {
		case err := <-exited:
			if alive(path) {
				return nil // another client's daemon won the race
			}
			return fmt.Errorf("server exited at start (%v); see %s.log", err, path)
		case <-deadline.C:
			return fmt.Errorf("server did not start within %v; see %s.log", daemonStartTimeout, path)
		case <-ctx.Done():
			return ctx.Err()
		case <-tick.C:
		}
	}
}

// configFlag returns -f's file as an absolute path (the daemon runs in
// "/"), or "" without -f. As tmux's -f, it is for a server this command
// starts; a file that cannot be read is an error naming it here, before
// any server starts, rather than a line in a log nobody reads.
func configFlag(cmd *cobra.Command) (string, error) {
	f := cmd.Flags().Lookup("config")
	if f == nil || f.Value.String() == "" {
		return "", nil
	}
	path, err := filepath.Abs(f.Value.String())
	if err != nil {
		return "", fmt.Errorf("configuration file %s: %w", f.Value.String(), err)
	}
	file, err := os.Open(path)
	if err != nil {
		return "", fmt.Errorf("configuration file %s: %w", path, unwrapPathError(err))
	}
	defer file.Close()
	if fi, err := file.Stat(); err == nil && fi.IsDir() {
		return "", fmt.Errorf("configuration file %s: is a directory", path)
	}
	return path, nil
}

// unwrapPathError drops an *os.PathError's operation and path, which the
// caller's message names already.
func unwrapPathError(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// daemonConfigFile is the file the daemon runs at start: -f's (which must
// be readable), else $XDG_CONFIG_HOME/gosh/gosh.conf if it exists.
func daemonConfigFile(cmd *cobra.Command) (string, error) {
	conf, err := configFlag(cmd)
	if err != nil || conf != "" {
		return conf, err
	}
	return mux.DefaultConfigFile(), nil
}

// daemonOneP marks a daemon environment whose GOMAXPROCS=1 daemonEnv
// added, so that dropDaemonEnv takes both out again.
const daemonOneP = "GOSH_DAEMON_ONE_P"

// daemonEnv is the environment startDaemon gives the daemon: the client's,
// plus GOMAXPROCS=1 unless the user set GOMAXPROCS. The runtime then
// starts with one P. Switching to one P later (runtime.GOMAXPROCS in the
// daemon) stops the world and flushes the second P's cached spans into
// the heap's central lists, whose first use allocates their never-freed
// bookkeeping: 0.45-0.65 MiB of an idle daemon's 2.7-2.9 MiB of anonymous
// memory, varying with how much start-up ran on the second P
// (bench/mux: idle RssAnon 2.7-2.9 MiB switched, 2.27-2.30 from exec).
// A user's GOMAXPROCS is left for the panes to inherit; the daemon still
// runs with one P (runtime.GOMAXPROCS(1) at its start), paying that switch.
func daemonEnv(environ []string) []string {
	for _, kv := range environ {
		if strings.HasPrefix(kv, "GOMAXPROCS=") {
			return environ
		}
	}
	return append(environ[:len(environ):len(environ)], "GOMAXPROCS=1", daemonOneP+"=1")
}

// dropDaemonEnv takes the GOMAXPROCS that daemonEnv added out of the
// daemon's environment: the runtime read it at start, and what the daemon
// starts (panes, plugins) inherits the rest.
func dropDaemonEnv() {
	if _, ok := os.LookupEnv(daemonOneP); ok {
		os.Unsetenv("GOMAXPROCS")
		os.Unsetenv(daemonOneP)
	}
}

// paneEnv is the environment the daemon gives its panes: its own without
// the pane variables of the client that started it.
func paneEnv(environ []string) []string {
	env := make([]string, 0, len(environ))
	for _, kv := range environ {
		if !strings.HasPrefix(kv, "GOSH=") && !strings.HasPrefix(kv, "GOSH_PANE=") {
			env = append(env, kv)
		}
	}
	return env
}

// forward sends one tmux command to the daemon, starting it first when the
// command may start a server (new-session, start-server) and none runs.
func forward(cmd *cobra.Command, argv []string, startServer bool) error {
	path, err := socketPath(cmd)
	if err != nil {
		return err
	}
	cwd, _ := os.Getwd()
	req := mux.Request{Argv: argv, Cwd: cwd}
	if g := os.Getenv("GOSH"); g != "" && strings.HasPrefix(g, path+",") {
		req.Env = map[string]string{"GOSH_PANE": os.Getenv("GOSH_PANE")}
	}
	ctx := cmd.Context()
	resp, err := mux.Do(ctx, path, req)
	if errors.Is(err, mux.ErrNoServer) && startServer {
		if err := startDaemon(cmd, path, true); err != nil {
			return err
		}
		resp, err = mux.Do(ctx, path, req)
	}
	if err != nil {
		return err
	}
	fmt.Fprint(cmd.OutOrStdout(), resp.Stdout)
	if resp.Code != 0 {
		return &exitError{code: resp.Code, err: errors.New(resp.Stderr)}
	}
	return nil
}
