//go:build e2e

package integration

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/base32"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/goshterm/gosh/cmd/gosh/internal/testenv"
)

const totpSecret = "JBSWY3DPEHPK3PXP"

// fakeKey writes an SSH_USER_AUTH file (as sshd's ExposeAuthInfo does)
// for a random public key blob and returns the file and the key's
// SHA256 fingerprint, computed as ssh-keygen -l does.
func fakeKey(t *testing.T, dir, name string) (path, fingerprint string) {
	t.Helper()
	blob := make([]byte, 51)
	rand.Read(blob)
	sum := sha256.Sum256(blob)
	path = filepath.Join(dir, name)
	writeFile(t, path, "publickey ssh-ed25519 "+base64.StdEncoding.EncodeToString(blob)+"\n")
	return path, "SHA256:" + base64.RawStdEncoding.EncodeToString(sum[:])
}

// totpCode is RFC 6238's TOTP (HMAC-SHA1, 30 s, 6 digits) at time at.
func totpCode(t *testing.T, at time.Time) string {
	t.Helper()
	key, err := base32.StdEncoding.DecodeString(totpSecret)
	if err != nil {
		t.Fatal(err)
	}
	var msg [8]byte
	binary.BigEndian.PutUint64(msg[:], uint64(at.Unix()/30))
	m := hmac.New(sha1.New, key)
	m.Write(msg[:])
	sum := m.Sum(nil)
	off := sum[len(sum)-1] & 0xf
	n := binary.BigEndian.Uint32(sum[off:]) & 0x7fffffff
	return fmt.Sprintf("%06d", n%1000000)
}

// authDaemon starts a daemon with the auth-allowlist example plugin:
// "open" lets the local user in, "pair" lets key rw in and key ro watch,
// "secure" wants the user's TOTP code, and "closed" is shared with no one.
func authDaemon(t *testing.T) (d *goshDaemon, me string, roAuth, rwAuth string) {
	t.Helper()
	u, err := user.Current()
	if err != nil {
		t.Fatal(err)
	}
	cfg := t.TempDir()
	buildPlugin(t, "./examples/plugins/auth-allowlist", filepath.Join(cfg, "bin"), "gosh-plugin-auth-allowlist")
	roAuth, roFP := fakeKey(t, cfg, "ro.auth")
	rwAuth, rwFP := fakeKey(t, cfg, "rw.auth")
	policy := map[string]any{
		"sessions": map[string]any{
			"open":   map[string]any{"allow": []string{u.Username}},
			"pair":   map[string]any{"allow": []string{rwFP}, "read_only": []string{roFP}},
			"secure": map[string]any{"allow": []string{u.Username}, "totp": true},
		},
		"totp_secrets": map[string]string{u.Username: totpSecret},
	}
	b, _ := json.Marshal(policy)
	writeFile(t, filepath.Join(cfg, "allowlist.json"), string(b))
	writeFile(t, filepath.Join(cfg, "config.yaml"), `plugins:
  - name: allowlist
    path: bin/gosh-plugin-auth-allowlist
    kind: authorizer
    args: ["-config", "`+filepath.Join(cfg, "allowlist.json")+`"]
`)
	d = startGoshDaemon(t, cfg)
	for _, s := range []string{"open", "pair", "secure", "closed"} {
		d.newSession(s, "/")
	}
	return d, u.Username, roAuth, rwAuth
}

// sshEnv is what sshd puts in the environment of `gosh server attach`.
func sshEnv(authFile string) []string {
	return []string{"SSH_CONNECTION=192.0.2.7 50022 127.0.0.1 22", "SSH_USER_AUTH=" + authFile}
}

func TestPluginAuthAllowlist(t *testing.T) {
	d, me, roAuth, rwAuth := authDaemon(t)

	t.Run("allowed", func(t *testing.T) {
		c := d.attach("open")
		typeAndSee(t, c, "echo open-$((20+1))", "open-21")
	})

	t.Run("denied with its reason", func(t *testing.T) {
		reply, _, stderr, code := d.serverAttach("closed", "", sshEnv(rwAuth)...)
		if reply != nil || code == 0 {
			t.Fatalf("attach to an unshared session succeeded (exit %d)", code)
		}
		if want := `session "closed" is not shared`; !strings.Contains(stderr, want) {
			t.Fatalf("refusal says %q, want the authorizer's reason %q", stderr, want)
		}
		if !strings.Contains(stderr, "access denied") {
			t.Errorf("refusal %q does not say access denied", stderr)
		}
		// The refused attach left no client behind.
		if out, _, _ := d.gosh("", nil, "list-clients", "-t", "=closed"); strings.TrimSpace(out) != "" {
			t.Errorf("a refused attach is listed as a client: %q", out)
		}
	})

	t.Run("read-only cannot type", func(t *testing.T) {
		ro := d.attach("pair", sshEnv(roAuth)...)
		rw := d.attach("pair", sshEnv(rwAuth)...)
		// The watcher sees the session...
		waitFor(t, "the read-only client's frame to show the prompt", func() bool {
			return strings.Contains(screenText(ro), "$")
		})
		// ...but what it types reaches no pane, while the other client's
		// keys do. Two round trips of the writer's typing pass after the
		// watcher's keys were sent; the pane never sees them.
		ro.Type("echo from-ro-$((1+1))\r")
		typeAndSee(t, rw, "echo from-rw-$((2+2))", "from-rw-4")
		typeAndSee(t, rw, "echo again-rw-$((3+3))", "again-rw-6")
		for name, text := range map[string]string{"writer": screenText(rw), "watcher": screenText(ro)} {
			if strings.Contains(text, "from-ro") {
				t.Fatalf("the read-only client's keys reached the pane (%s's screen):\n%s", name, text)
			}
		}
		// The watcher still sees what the writer does.
		waitFor(t, "the watcher to see the writer's output", func() bool {
			return strings.Contains(screenText(ro), "again-rw-6")
		})
		out, _, _ := d.gosh("", nil, "list-clients", "-t", "=pair")
		if lines := strings.Split(strings.TrimSpace(out), "\n"); len(lines) != 2 || strings.Count(out, "(ro)") != 1 {
			t.Errorf("list-clients should show two clients, one read-only:\n%s", out)
		}
	})

	t.Run("TOTP answered right", func(t *testing.T) {
		code := totpCode(t, time.Now())
		reply, key, stderr, exit := d.serverAttach("secure", code+"\n")
		if reply == nil {
			t.Fatalf("the right TOTP code was refused: exit %d: %s", exit, stderr)
		}
		if want := "TOTP code for " + me; !strings.Contains(stderr, want) {
			t.Errorf("the prompt on stderr is %q, want it to ask %q", stderr, want)
		}
		c := connectReply(t, reply, key)
		typeAndSee(t, c, "echo secure-$((5*5))", "secure-25")
	})

	t.Run("TOTP answered wrong", func(t *testing.T) {
		wrong := wrongTOTP(t)
		reply, _, stderr, exit := d.serverAttach("secure", wrong+"\n")
		if reply != nil || exit == 0 {
			t.Fatalf("a wrong TOTP code attached")
		}
		if !strings.Contains(stderr, "wrong TOTP code") {
			t.Fatalf("refusal says %q, want \"wrong TOTP code\"", stderr)
		}
	})

	if log := d.log(); !strings.Contains(log, "attach refused") {
		t.Errorf("the daemon log does not record refusals:\n%s", log)
	}
}

// TestPluginAuthTOTPOverSSH is the whole path a user takes: gosh attach
// host through a real sshd, the host's daemon (started on demand) runs the
// auth-allowlist plugin, and the TOTP prompt appears on the user's
// terminal, where the answer is typed.
func TestPluginAuthTOTPOverSSH(t *testing.T) {
	u, err := user.Current()
	if err != nil {
		t.Fatal(err)
	}
	gosh := testenv.BuildGosh(t)
	killOwnBinary(t, gosh)
	cfg := t.TempDir()
	buildPlugin(t, "./examples/plugins/auth-allowlist", filepath.Join(cfg, "bin"), "gosh-plugin-auth-allowlist")
	b, _ := json.Marshal(map[string]any{
		"sessions":     map[string]any{"secure": map[string]any{"allow": []string{u.Username}, "totp": true}},
		"totp_secrets": map[string]string{u.Username: totpSecret},
	})
	writeFile(t, filepath.Join(cfg, "allowlist.json"), string(b))
	writeFile(t, filepath.Join(cfg, "config.yaml"), `plugins:
  - name: allowlist
    path: bin/gosh-plugin-auth-allowlist
    kind: authorizer
    args: ["-config", "`+filepath.Join(cfg, "allowlist.json")+`"]
`)
	h := &remoteHost{gosh: gosh, sshd: testenv.StartSSHD(t, dirOf(gosh)), dir: t.TempDir()}
	sockets := filepath.Join(h.dir, "sockets")
	h.server = filepath.Join(h.dir, "gosh-server")
	wrapper := fmt.Sprintf("#!/bin/sh\nexport GOSH_SOCKET_DIR=%s GOSH_CONFIG_DIR=%s\nexec %s \"$@\"\n",
		testenv.ShellQuote(sockets), testenv.ShellQuote(cfg), testenv.ShellQuote(gosh))
	writeFile(t, h.server, wrapper)
	if err := os.Chmod(h.server, 0o755); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cmd := exec.Command(gosh, "kill-server")
		cmd.Env = append(os.Environ(), "GOSH_SOCKET_DIR="+sockets)
		cmd.Run()
	})

	// A wrong code: refused with the authorizer's reason, back at the shell.
	x := shellTmux(t)
	x.Type(quoteArgv(h.attachArgv("-t", "secure")) + "\n")
	if !x.TryWaitUntil(func(s string) bool { return strings.Contains(s, "TOTP code for "+u.Username) }) {
		t.Fatalf("no prompt; screen:\n%s", x.Capture())
	}
	x.Type(wrongTOTP(t) + "\n")
	x.WaitFor("wrong TOTP code")
	waitPrompt(t, x)

	// The right code: attached.
	x.Type("clear; " + quoteArgv(h.attachArgv("-t", "secure")) + "\n")
	x.WaitFor("TOTP code for " + u.Username)
	x.Type(totpCode(t, time.Now()) + "\n")
	x.WaitFor("[secure]") // the session's status line
	waitPrompt(t, x)
	run(t, x, "echo totp-$((6*7))", "totp-42")
	if t.Failed() {
		t.Log(h.sshd.Log())
	}
}

// wrongTOTP returns a code that is valid in no step around now.
func wrongTOTP(t *testing.T) string {
	t.Helper()
	valid := map[string]bool{}
	now := time.Now()
	for s := -3; s <= 3; s++ {
		valid[totpCode(t, now.Add(time.Duration(s)*30*time.Second))] = true
	}
	for i := 0; ; i++ {
		if c := fmt.Sprintf("%06d", (123457*(i+1))%1000000); !valid[c] {
			return c
		}
	}
}
