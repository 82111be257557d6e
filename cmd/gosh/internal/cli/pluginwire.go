package cli

import (
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"
	"golang.org/x/sys/unix"

	"github.com/goshterm/gosh/mux"
	"github.com/goshterm/gosh/plugins"
	"github.com/goshterm/gosh/predict"
	"github.com/goshterm/gosh/sdk"
)

// Plugin wiring: the daemon runs the status and authorizer plugins and
// hands them to mux as mux.Hooks; attaching clients carry the ssh facts an
// authorizer needs and answer its challenge.

// ConfigDirEnv overrides the directory holding config.yaml and plugins/
// (default ~/.config/gosh), so that tests and unusual setups can point
// gosh at their own plugins.
const ConfigDirEnv = "GOSH_CONFIG_DIR"

// pluginPaths returns the config file and plugins directory to load
// plugins from.
func pluginPaths() (configPath, dir string) {
	if d := os.Getenv(ConfigDirEnv); d != "" {
		return filepath.Join(d, "config.yaml"), filepath.Join(d, "plugins")
	}
	return plugins.DefaultConfigPath(), plugins.DefaultDir()
}

// startDaemonPlugins starts the daemon's plugins (everything but
// predictors, which run beside clients), logging into log. It returns nil
// hooks when there are no plugins.
func startDaemonPlugins(log *slog.Logger) (mux.Hooks, func()) {
	cfgPath, dir := pluginPaths()
	specs, err := plugins.Load(cfgPath, dir)
	if err != nil {
		log.Warn("plugins: loading the plugin list", "err", err)
	}
	if len(specs) == 0 {
		return nil, func() {}
	}
	var daemonSpecs []plugins.Spec
	for _, s := range specs {
		if s.Kind != sdk.KindPredictor { // predictors run beside clients
			daemonSpecs = append(daemonSpecs, s)
		}
	}
	h := plugins.Start(plugins.Config{Plugins: daemonSpecs, Logger: plugins.HCLog(log)})
	names := make([]string, len(daemonSpecs))
	for i, s := range daemonSpecs {
		names[i] = s.Name
	}
	log.Info("plugins starting", "plugins", strings.Join(names, ","))
	return plugins.MuxHooks(h), func() { h.Close() }
}

// sshFacts returns the ssh connection an attach came through, from the
// environment sshd gives the command it runs: the client's "host:port"
// ($SSH_CONNECTION is "client-ip client-port server-ip server-port") and,
// when sshd runs with ExposeAuthInfo yes, the SHA256 fingerprint of the
// public key that authenticated ($SSH_USER_AUTH names a file of lines
// "publickey <type> <base64 blob>"; sshd(8), AUTHENTICATION section).
func sshFacts(getenv func(string) string) (client, key string) {
	if f := strings.Fields(getenv("SSH_CONNECTION")); len(f) == 4 {
		client = joinHostPort(f[0], f[1])
	}
	if p := getenv("SSH_USER_AUTH"); p != "" {
		if b, err := os.ReadFile(p); err == nil {
			key = userAuthFingerprint(string(b))
		}
	}
	return client, key
}

func joinHostPort(h, p string) string {
	if strings.Contains(h, ":") {
		return "[" + h + "]:" + p
	}
	return h + ":" + p
}

// userAuthFingerprint returns the fingerprint of the last public key in an
// SSH_USER_AUTH file (the one that completed authentication), in
// ssh-keygen -l's "SHA256:<unpadded base64>" form (RFC 4716 §4 defines
// the blob; OpenSSH's fingerprint hashes it).
func userAuthFingerprint(content string) string {
	fp := ""
	for line := range strings.Lines(content) {
		f := strings.Fields(line)
		if len(f) < 3 || f[0] != "publickey" {
			continue
		}
		blob, err := base64.StdEncoding.DecodeString(f[2])
		if err != nil {
			continue
		}
		sum := sha256.Sum256(blob)
		fp = "SHA256:" + base64.RawStdEncoding.EncodeToString(sum[:])
	}
	return fp
}

// answerChallenges repeats an attach while the daemon answers with a
// challenge: it asks the user the prompt on tty (or reads a line from in
// when in is not a terminal) and sends the answer with attach-session -t
// for the challenged session. At most one round: a second challenge is
// the daemon's refusal.
func answerChallenges(cmd *cobra.Command, path string, req mux.Request, resp mux.Response, in io.Reader, promptOut io.Writer) (mux.Response, error) {
	if resp.Challenge == nil {
		return resp, nil
	}
	ch := resp.Challenge
	ans, err := askUser(in, promptOut, ch.Prompt, ch.Echo)
	if err != nil {
		return resp, fmt.Errorf("authorization: %w", err)
	}
	a := *req.Attach
	a.Challenge = &mux.ChallengeReply{Token: ch.Token, Answer: ans}
	req.Attach = &a
	req.Argv = []string{"attach-session", "-t", "=" + ch.Session}
	resp, err = request(cmd, path, req, false)
	if err != nil {
		return resp, err
	}
	if resp.Challenge != nil {
		return resp, errors.New("access denied: challenged twice")
	}
	return resp, nil
}

// askUser prints prompt to out and reads one line from in, with the
// terminal's echo off when in is a terminal and echo is false.
func askUser(in io.Reader, out io.Writer, prompt string, echo bool) (string, error) {
	if prompt == "" {
		prompt = "answer: "
	}
	fmt.Fprint(out, prompt)
	if f, ok := in.(*os.File); ok && !echo {
		if t, err := unix.IoctlGetTermios(int(f.Fd()), ioctlGetTermios); err == nil {
			off := *t
			off.Lflag &^= unix.ECHO
			if unix.IoctlSetTermios(int(f.Fd()), ioctlSetTermios, &off) == nil {
				defer func() {
					_ = unix.IoctlSetTermios(int(f.Fd()), ioctlSetTermios, t)
					fmt.Fprintln(out)
				}()
			}
		}
	}
	// Read byte by byte: a buffered reader could swallow what follows the
	// line, which belongs to whoever reads in next.
	var b strings.Builder
	var one [1]byte
	for b.Len() < 1024 {
		n, err := in.Read(one[:])
		if n == 1 {
			if one[0] == '\n' {
				break
			}
			b.WriteByte(one[0])
			continue
		}
		if err != nil {
			if b.Len() > 0 && errors.Is(err, io.EOF) {
				break
			}
			return "", fmt.Errorf("reading the answer: %w", err)
		}
	}
	return strings.TrimRight(b.String(), "\r"), nil
}

// PluginHeuristic is the prediction heuristic a client gets from the
// predictor plugins of h (what startPredictors puts in client.Config), for
// tests and benchmarks that run a client engine against real plugins.
func PluginHeuristic(h *plugins.Host) predict.Heuristic { return pluginHeuristic{host: h} }
