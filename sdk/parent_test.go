//go:build linux

package sdk_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/goshterm/gosh/sdk"
)

// A plugin whose host died without stopping it exits by itself. The host
// here is a shell that starts the plugin with the handshake's cookie, waits
// for its handshake line and exits, leaving the plugin to init.
func TestServeExitsWhenHostDies(t *testing.T) {
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	handshake := filepath.Join(t.TempDir(), "handshake")
	const script = `"$0" >"$1" 2>/dev/null </dev/null & pid=$!
i=0
while [ ! -s "$1" ] && [ $i -lt 1000 ]; do sleep 0.02; i=$((i+1)); done
echo $pid`
	host := exec.Command("/bin/sh", "-c", script, exe, handshake)
	host.Env = append(os.Environ(), serveFixtureEnv+"=1", sdk.Handshake.MagicCookieKey+"="+sdk.Handshake.MagicCookieValue)
	out, err := host.Output()
	if err != nil {
		t.Fatalf("host shell: %v", err)
	}
	pid, err := strconv.Atoi(strings.TrimSpace(string(out)))
	if err != nil {
		t.Fatalf("host shell printed %q", out)
	}
	t.Cleanup(func() {
		if !exited(pid) {
			syscall.Kill(pid, syscall.SIGKILL)
		}
	})
	if b, _ := os.ReadFile(handshake); !strings.HasPrefix(string(b), "1|1|unix|") {
		t.Fatalf("the plugin did not complete its handshake: stdout %q", b)
	}
	for range 1000 {
		if exited(pid) {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("plugin %d still runs after its host exited", pid)
}

// exited reports whether pid is gone or a zombie (an orphan nobody reaps
// stays one).
func exited(pid int) bool {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return true
	}
	s := string(b)
	i := strings.LastIndexByte(s, ')')
	return i < 0 || i+2 >= len(s) || s[i+2] == 'Z'
}
