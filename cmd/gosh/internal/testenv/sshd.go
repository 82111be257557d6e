package testenv

import (
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// SSHD is an OpenSSH server on 127.0.0.1 with throw-away keys, accepting
// the current user with UserKey.
type SSHD struct {
	Port    int
	Dir     string // keys, config, log, pid file
	UserKey string // private key the client authenticates with
	User    string
}

// StartSSHD starts sshd (TESTING.md recipe) with pathDirs prepended to the
// PATH that remote commands see, LANG=C.UTF-8 (mosh-server refuses to
// run without a UTF-8 locale), and XDG_CONFIG_HOME an empty directory of
// its own: sshd gives remote commands a fresh environment, in which a
// daemon they start would otherwise read the developer's own gosh.conf
// and plugins (as Main does for local commands). It is stopped by its PID
// when the test ends.
func StartSSHD(t testing.TB, pathDirs ...string) *SSHD {
	t.Helper()
	sshd := RequireTool(t, "sshd")
	keygen := RequireTool(t, "ssh-keygen")
	RequireTool(t, "ssh")
	dir := t.TempDir()
	for _, k := range []string{"hostkey", "userkey"} {
		out, err := exec.Command(keygen, "-q", "-t", "ed25519", "-N", "", "-f", filepath.Join(dir, k)).CombinedOutput()
		if err != nil {
			t.Fatalf("testenv: ssh-keygen: %v\n%s", err, out)
		}
	}
	pub, err := os.ReadFile(filepath.Join(dir, "userkey.pub"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "authorized_keys"), pub, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll("/run/sshd", 0o755); err != nil {
		t.Logf("testenv: mkdir /run/sshd: %v", err)
	}
	u, err := user.Current()
	if err != nil {
		t.Fatal(err)
	}
	path := strings.Join(append(pathDirs, "/usr/local/bin", "/usr/bin", "/bin"), ":")
	confHome := filepath.Join(dir, "config")
	if err := os.Mkdir(confHome, 0o700); err != nil {
		t.Fatal(err)
	}
	s := &SSHD{Dir: dir, UserKey: filepath.Join(dir, "userkey"), User: u.Username}

	// A free port can be taken between probing and sshd's bind; retry.
	for attempt := 0; attempt < 5; attempt++ {
		s.Port = freeTCPPort(t)
		cfg := fmt.Sprintf(`Port %d
ListenAddress 127.0.0.1
HostKey %s/hostkey
AuthorizedKeysFile %s/authorized_keys
PidFile %s/sshd.pid
UsePAM no
StrictModes no
PermitRootLogin prohibit-password
PasswordAuthentication no
SetEnv PATH=%s LANG=C.UTF-8 XDG_CONFIG_HOME=%s
`, s.Port, dir, dir, dir, path, confHome)
		if err := os.WriteFile(filepath.Join(dir, "sshd_config"), []byte(cfg), 0o600); err != nil {
			t.Fatal(err)
		}
		os.Remove(filepath.Join(dir, "sshd.pid"))
		out, err := exec.Command(sshd, "-f", filepath.Join(dir, "sshd_config"), "-E", filepath.Join(dir, "log")).CombinedOutput()
		if err != nil {
			t.Fatalf("testenv: sshd: %v\n%s", err, out)
		}
		if pid := s.waitPID(); pid > 0 {
			t.Cleanup(func() { syscall.Kill(pid, syscall.SIGTERM) })
			if s.waitListening() {
				return s
			}
		}
	}
	t.Fatalf("testenv: sshd did not start; log:\n%s", s.Log())
	return nil
}

// waitPID waits for the daemon's pid file; 0 if it never appears (sshd
// exits early when its port is taken).
func (s *SSHD) waitPID() int {
	for end := time.Now().Add(5 * time.Second); time.Now().Before(end); time.Sleep(10 * time.Millisecond) {
		b, err := os.ReadFile(filepath.Join(s.Dir, "sshd.pid"))
		if err == nil {
			if pid, err := strconv.Atoi(strings.TrimSpace(string(b))); err == nil && pid > 0 {
				return pid
			}
		}
	}
	return 0
}

func (s *SSHD) waitListening() bool {
	for end := time.Now().Add(5 * time.Second); time.Now().Before(end); time.Sleep(10 * time.Millisecond) {
		c, err := net.Dial("tcp", s.Addr())
		if err == nil {
			c.Close()
			return true
		}
	}
	return false
}

func freeTCPPort(t testing.TB) int {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// Addr is host:port of the server.
func (s *SSHD) Addr() string { return net.JoinHostPort("127.0.0.1", strconv.Itoa(s.Port)) }

// Target is user@127.0.0.1.
func (s *SSHD) Target() string { return s.User + "@127.0.0.1" }

// SSHArgs are the ssh options that reach this server without prompts.
func (s *SSHD) SSHArgs() []string {
	return []string{"-p", strconv.Itoa(s.Port), "-i", s.UserKey,
		"-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null",
		"-o", "LogLevel=ERROR", "-o", "BatchMode=yes"}
}

// SSHCommand is "ssh" plus SSHArgs as one string, for mosh --ssh=….
func (s *SSHD) SSHCommand() string { return "ssh " + strings.Join(s.SSHArgs(), " ") }

// SSH returns a command running remoteArgs on the server through ssh.
func (s *SSHD) SSH(remoteArgs ...string) *exec.Cmd {
	args := append(s.SSHArgs(), s.Target())
	return exec.Command("ssh", append(args, remoteArgs...)...)
}

// Log returns sshd's log so far, for failure messages.
func (s *SSHD) Log() string {
	b, _ := os.ReadFile(filepath.Join(s.Dir, "log"))
	return string(b)
}
