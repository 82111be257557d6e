package testenv

import (
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
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

// Main runs the tests and removes what BuildGosh built, then exits.
func Main(m *testing.M) {
	code := m.Run()
	if build.dir != "" {
		os.RemoveAll(build.dir)
	}
	os.Exit(code)
}
