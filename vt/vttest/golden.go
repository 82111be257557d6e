package vttest

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite golden files in testdata/ with the current output")

// Golden compares got with testdata/<TestName>/<subtest>.golden, the path
// derived from t.Name() (a test without subtests uses
// testdata/<TestName>.golden). With -update it writes got there instead.
func Golden(t testing.TB, got string) {
	t.Helper()
	path := GoldenPath(t.Name())
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatalf("vttest: %v", err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatalf("vttest: %v", err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("vttest: %v (run the test with -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("vttest: output differs from %s (run with -update to accept):\n--- got\n%s--- want\n%s", path, got, want)
	}
}

// GoldenPath maps a test name such as "TestX/sub case" to its golden file.
func GoldenPath(name string) string {
	name = strings.Map(func(r rune) rune {
		switch r {
		case ' ', ':', '*', '?', '"', '<', '>', '|', '\\':
			return '_'
		}
		return r
	}, name)
	return filepath.Join("testdata", filepath.FromSlash(name)+".golden")
}
