//go:build linux

package plugins

import (
	"bufio"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// A host killed with SIGKILL cannot close its plugins; the kernel's
// parent-death signal must. The plugin here is served without sdk.Serve's
// own watch on its parent, so nothing else would stop it.
func TestPluginDiesWithHost(t *testing.T) {
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	host := exec.Command(exe)
	host.Env = append(os.Environ(), fixtureEnv+"=host")
	host.Stderr = os.Stderr
	out, err := host.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := host.Start(); err != nil {
		t.Fatal(err)
	}
	hostDone := make(chan struct{})
	go func() { host.Wait(); close(hostDone) }()
	var pid int
	t.Cleanup(func() {
		host.Process.Kill()
		<-hostDone
		if pid > 0 && !procExited(pid) {
			syscall.Kill(pid, syscall.SIGKILL)
		}
	})

	line := make(chan string, 1)
	go func() {
		s, _ := bufio.NewReader(out).ReadString('\n')
		line <- s
	}()
	select {
	case s := <-line:
		pid, err = strconv.Atoi(strings.TrimSpace(s))
		if err != nil || pid <= 0 {
			t.Fatalf("the host fixture printed %q, not its plugin's pid", s)
		}
	case <-time.After(time.Minute):
		t.Fatal("the host fixture never reported its plugin")
	}
	if procExited(pid) || parentPID(pid) != host.Process.Pid {
		t.Fatalf("plugin %d is not a live child of the host %d", pid, host.Process.Pid)
	}

	if err := host.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	<-hostDone
	eventually(t, "the plugin of a SIGKILLed host to die", func() bool { return procExited(pid) })
}

// procExited reports whether pid is gone or a zombie (an orphan nobody
// reaps stays a zombie).
func procExited(pid int) bool {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return true
	}
	s := string(b)
	i := strings.LastIndexByte(s, ')')
	return i < 0 || i+2 >= len(s) || s[i+2] == 'Z'
}

// parentPID is pid's parent, from /proc/pid/stat, or -1.
func parentPID(pid int) int {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return -1
	}
	s := string(b)
	i := strings.LastIndexByte(s, ')')
	if i < 0 {
		return -1
	}
	f := strings.Fields(s[i+1:])
	if len(f) < 2 {
		return -1
	}
	n, _ := strconv.Atoi(f[1])
	return n
}
