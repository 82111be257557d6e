package server

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/netip"
	"os"
	"os/exec"
	"os/signal"
	"os/user"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"

	"golang.org/x/sys/unix"

	"github.com/goshterm/gosh/ssp"
	"github.com/goshterm/gosh/ssp/conn"
)

// childEnv marks the detached child of `gosh mosh-server new`. The child
// unsets it at once. Its value says nothing secret.
const childEnv = "GOSH_MOSH_SERVER_CHILD"

// The detached child's inherited descriptors (exec.Cmd.ExtraFiles start
// at 3).
const (
	childKeyFD    = 3 // read end of a pipe carrying the key, one line
	childSocketFD = 4 // the bound UDP socket
)

// IsMoshChild reports (once) whether this process is the detached child,
// and removes the marker from the environment.
func IsMoshChild() bool {
	if os.Getenv(childEnv) != "1" {
		return false
	}
	os.Unsetenv(childEnv)
	return true
}

// MoshServerNew is `gosh mosh-server new …` in the foreground process:
// bind, create the key, print the connect line, start the detached child
// and return. args start with "new".
func MoshServerNew(args []string, stdin *os.File, stdout, stderr io.Writer) error {
	o, err := ParseMoshArgs(args, stderr)
	if err != nil {
		return err
	}
	ip := o.bindAddr(os.Getenv("SSH_CONNECTION"), stderr)
	sock, err := conn.ListenUDP(ip, o.PortLow, o.PortHigh)
	if err != nil && ip.IsValid() {
		fmt.Fprintf(stderr, "mosh-server: could not bind %v: %v; binding to any interface\n", ip, err)
		sock, err = conn.ListenUDP(netip.Addr{}, o.PortLow, o.PortHigh)
	}
	if err != nil {
		return fmt.Errorf("mosh-server: could not bind a UDP port in %d:%d: %w", o.PortLow, o.PortHigh, err)
	}
	defer sock.Close()
	key, err := ssp.GenerateKey()
	if err != nil {
		return err
	}

	sockFile, err := sock.File()
	if err != nil {
		return fmt.Errorf("mosh-server: %w", err)
	}
	defer sockFile.Close()
	keyR, keyW, err := os.Pipe()
	if err != nil {
		return fmt.Errorf("mosh-server: %w", err)
	}
	defer keyR.Close()
	exe, err := os.Executable()
	if err != nil {
		keyW.Close()
		return fmt.Errorf("mosh-server: %w", err)
	}
	// The child gets the same argv (nothing secret in it), a marker in its
	// environment, and the key through the pipe.
	child := exec.Command(exe, os.Args[1:]...)
	child.Env = append(os.Environ(), childEnv+"=1")
	child.ExtraFiles = []*os.File{keyR, sockFile}
	child.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
	if o.Verbose > 0 {
		child.Stderr = os.Stderr
	}
	if err := child.Start(); err != nil {
		keyW.Close()
		return fmt.Errorf("mosh-server: start detached server: %w", err)
	}
	_, werr := io.WriteString(keyW, key.String()+"\n")
	keyW.Close()
	if werr != nil {
		return fmt.Errorf("mosh-server: hand the key to the detached server: %w", werr)
	}
	port := sock.LocalAddr().Port()
	if isTerminal(stdin) {
		// keep the line from being glued to typeahead, as mosh-server does
		fmt.Fprint(stdout, "\r\n")
	}
	fmt.Fprintf(stdout, "MOSH CONNECT %d %s\n", port, key)
	fmt.Fprintf(stderr, "\n[gosh mosh-server detached, pid = %d]\n", child.Process.Pid)
	child.Process.Release()
	return nil
}

// RunMoshChild is the detached server: it takes the key and socket from
// the parent and serves one session until it ends. args start with "new".
func RunMoshChild(ctx context.Context, args []string) error {
	signal.Ignore(syscall.SIGHUP, syscall.SIGPIPE)
	singleProc()
	keyFile := os.NewFile(childKeyFD, "key")
	line, err := bufio.NewReader(keyFile).ReadString('\n')
	keyFile.Close()
	if err != nil {
		return fmt.Errorf("mosh-server: read key from parent: %w", err)
	}
	key, err := ssp.ParseKey(strings.TrimSpace(line))
	if err != nil {
		return err
	}
	sockFile := os.NewFile(childSocketFD, "udp")
	pc, err := net.FilePacketConn(sockFile)
	sockFile.Close()
	if err != nil {
		return fmt.Errorf("mosh-server: inherited socket: %w", err)
	}
	udp, ok := pc.(*net.UDPConn)
	if !ok {
		pc.Close()
		return errors.New("mosh-server: inherited socket is not UDP")
	}
	o, err := ParseMoshArgs(args, io.Discard)
	if err != nil {
		udp.Close()
		return err
	}
	var log *slog.Logger
	if o.Verbose > 0 {
		log = slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))
	} else {
		devnull, err := os.OpenFile(os.DevNull, os.O_RDWR, 0)
		if err == nil {
			for _, fd := range []int{0, 1, 2} {
				unix.Dup2(int(devnull.Fd()), fd)
			}
			devnull.Close()
		}
	}
	cmd := programCommand(o)
	err = Serve(ctx, SessionConfig{Conn: conn.NewUDPConn(udp), Key: key, Cmd: cmd, Logger: log})
	if log != nil {
		log.Debug("exiting", "err", err)
	}
	return err
}

// programCommand builds the pty program as mosh-server does (§1.5 step 6):
// COMMAND via PATH, else the login shell with argv[0] "-" + its base name;
// TERM from -c; NCURSES_NO_UTF8_ACS=1; STY unset; in $HOME.
func programCommand(o MoshOptions) *exec.Cmd {
	var cmd *exec.Cmd
	if len(o.Command) > 0 {
		cmd = exec.Command(o.Command[0], o.Command[1:]...)
	} else {
		sh := loginShell()
		cmd = exec.Command(sh)
		cmd.Args = []string{"-" + filepath.Base(sh)}
	}
	home, _ := os.UserHomeDir()
	if home == "" {
		if u, err := user.Current(); err == nil {
			home = u.HomeDir
		}
	}
	env := make([]string, 0, len(os.Environ())+4)
	for _, kv := range os.Environ() {
		name, _, _ := strings.Cut(kv, "=")
		switch name {
		case "TERM", "STY", "NCURSES_NO_UTF8_ACS", "PWD", "MOSH_KEY", "GOSH_KEY":
			continue
		}
		env = append(env, kv)
	}
	env = append(env, "TERM="+o.Term(), "NCURSES_NO_UTF8_ACS=1")
	if !utf8Locale(env) {
		// mosh-server applies -l values only when the native locale is
		// not UTF-8 (§1.4).
		env = append(env, o.Locale...)
	}
	if home != "" {
		cmd.Dir = home
		env = append(env, "PWD="+home)
	}
	cmd.Env = env
	return cmd
}

// utf8Locale reports whether the locale variables in env (LC_ALL, then
// LC_CTYPE, then LANG, as setlocale(3) consults them) name UTF-8.
func utf8Locale(env []string) bool {
	vals := map[string]string{}
	for _, kv := range env {
		if name, v, ok := strings.Cut(kv, "="); ok {
			vals[name] = v
		}
	}
	for _, name := range []string{"LC_ALL", "LC_CTYPE", "LANG"} {
		if v := vals[name]; v != "" {
			v = strings.ToLower(v)
			return strings.Contains(v, "utf-8") || strings.Contains(v, "utf8")
		}
	}
	return false
}

// loginShell is $SHELL, else the passwd entry's shell, else /bin/sh.
func loginShell() string {
	if sh := os.Getenv("SHELL"); sh != "" {
		return sh
	}
	if u, err := user.Current(); err == nil {
		if b, err := os.ReadFile("/etc/passwd"); err == nil {
			for l := range strings.SplitSeq(string(b), "\n") {
				f := strings.Split(l, ":")
				if len(f) >= 7 && f[0] == u.Username && f[6] != "" {
					return f[6]
				}
			}
		}
	}
	return "/bin/sh"
}

func isTerminal(f *os.File) bool {
	if f == nil {
		return false
	}
	_, err := unix.IoctlGetTermios(int(f.Fd()), ioctlGetTermios)
	return err == nil
}

// singleProc runs the detached session on one P unless GOMAXPROCS is set.
// Its work is a chain of handoffs (transport, pty reader and writer, the
// session loop), each short and never parallel with the others while the
// user types; with more Ps every handoff wakes an idle thread (futex,
// spinning, sysmon) to run it, which made the server's context switches
// 10–20x mosh-server's for typing. On one P a handoff is a switch inside one
// thread. The cost is no overlap of the screen parser and the crypto during
// an output flood, when the frame rate, not CPU, bounds the work
// (docs/performance.md "transport: gosh vs mosh").
func singleProc() {
	if os.Getenv("GOMAXPROCS") == "" {
		runtime.GOMAXPROCS(1)
	}
}
