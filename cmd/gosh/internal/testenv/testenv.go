package testenv

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// RequireTool returns the path of the named program, looking in $PATH and
// then /usr/sbin and /sbin (where sshd lives). If it is missing the test is
// skipped, or fails when the CI environment variable is set.
func RequireTool(t testing.TB, name string) string {
	t.Helper()
	if p, err := exec.LookPath(name); err == nil {
		return p
	}
	for _, dir := range []string{"/usr/sbin", "/sbin"} {
		p := filepath.Join(dir, name)
		if fi, err := os.Stat(p); err == nil && fi.Mode()&0o111 != 0 {
			return p
		}
	}
	if os.Getenv("CI") != "" {
		t.Fatalf("testenv: %s is required in CI but not installed", name)
	}
	t.Skipf("testenv: %s not installed", name)
	return ""
}

var build struct {
	once sync.Once
	dir  string
	path string
	out  []byte
	err  error
}

// BuildGosh builds the gosh binary once per test binary and returns its
// path. The directory is removed by Main; tests that use BuildGosh should
// have `func TestMain(m *testing.M) { testenv.Main(m) }`.
func BuildGosh(t testing.TB) string {
	t.Helper()
	build.once.Do(func() {
		build.dir, build.err = os.MkdirTemp("", "gosh-testbin-")
		if build.err != nil {
			return
		}
		build.path = filepath.Join(build.dir, "gosh")
		cmd := exec.Command("go", "build", "-o", build.path, "github.com/goshterm/gosh/cmd/gosh")
		build.out, build.err = cmd.CombinedOutput()
	})
	if build.err != nil {
		t.Fatalf("testenv: build gosh: %v\n%s", build.err, build.out)
	}
	return build.path
}

// Main runs the tests with a configuration directory of their own (see
// hideUserConfig), removes what BuildGosh built, then exits.
func Main(m *testing.M) {
	conf, err := hideUserConfig()
	if err != nil {
		fmt.Fprintln(os.Stderr, "testenv:", err)
		os.Exit(2)
	}
	code := m.Run()
	os.RemoveAll(conf)
	if build.dir != "" {
		os.RemoveAll(build.dir)
	}
	os.Exit(code)
}

// hideUserConfig points XDG_CONFIG_HOME at a new empty directory for the
// whole test binary and returns it. The daemon runs
// $XDG_CONFIG_HOME/gosh/gosh.conf and loads the plugins configured there;
// every gosh a test runs inherits this environment (and the daemons those
// start), so a developer's own key bindings, options or plugins cannot
// change a result. A test about the configuration sets its own directory
// with t.Setenv.
func hideUserConfig() (string, error) {
	dir, err := os.MkdirTemp("", "gosh-testconfig-")
	if err != nil {
		return "", err
	}
	return dir, os.Setenv("XDG_CONFIG_HOME", dir)
}

// DescendantWithExe waits up to DefaultWait for a process running exe
// under rootPID (rootPID itself included) and returns the first one,
// breadth first, so that a child it started (a daemon) comes after it.
func DescendantWithExe(t testing.TB, rootPID int, exe string) int {
	t.Helper()
	for end := time.Now().Add(DefaultWait); time.Now().Before(end); time.Sleep(50 * time.Millisecond) {
		queue := []int{rootPID}
		for n := 0; len(queue) > 0 && n < 100; n++ {
			pid := queue[0]
			queue = queue[1:]
			if got, err := os.Readlink(fmt.Sprintf("/proc/%d/exe", pid)); err == nil && got == exe {
				return pid
			}
			b, _ := os.ReadFile(fmt.Sprintf("/proc/%d/task/%d/children", pid, pid))
			for _, f := range strings.Fields(string(b)) {
				if c, err := strconv.Atoi(f); err == nil {
					queue = append(queue, c)
				}
			}
		}
	}
	t.Fatalf("no %s under pid %d", exe, rootPID)
	return 0
}
