//go:build e2e

package cli_test

import (
	"os"
	"slices"
	"strings"
	"testing"
)

// The daemon runs with one P to save memory; a pane's program must still
// see the user's environment, not a GOMAXPROCS the user never set (it would
// slow every Go program run in a pane).
func TestPaneDoesNotInheritDaemonGOMAXPROCS(t *testing.T) {
	if _, ok := os.LookupEnv("GOMAXPROCS"); ok {
		t.Skip("GOMAXPROCS is set in the test's own environment")
	}
	g := newGoshEnv(t)
	g.must("-L", "procs", "new-session", "-d", "-s", "p", "-x", "80", "-y", "24")
	g.must("-L", "procs", "send-keys", "-t", "p", "echo procs=[${GOMAXPROCS-unset}]", "Enter")
	eventually(t, "pane output", func() bool {
		out, _, _ := g.run("-L", "procs", "capture-pane", "-p", "-t", "p")
		return strings.Contains(out, "\nprocs=[")
	})
	if out := g.must("-L", "procs", "capture-pane", "-p", "-t", "p"); !strings.Contains(out, "\nprocs=[unset]") {
		t.Errorf("pane sees GOMAXPROCS set:\n%s", out)
	}
	// The daemon itself got it from exec, before the runtime started:
	// switching later costs its idle memory a never-freed 0.5 MiB.
	pid := strings.TrimSpace(g.must("-L", "procs", "display-message", "-p", "#{pid}"))
	environ, err := os.ReadFile("/proc/" + pid + "/environ")
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(strings.Split(string(environ), "\x00"), "GOMAXPROCS=1") {
		t.Errorf("daemon %s was not started with GOMAXPROCS=1: %q", pid, environ)
	}
	g.must("-L", "procs", "kill-server")
}
