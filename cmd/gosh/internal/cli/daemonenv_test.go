package cli

import (
	"os"
	"slices"
	"testing"
)

// A daemon that startDaemon starts gets GOMAXPROCS=1 from exec, unless the
// user chose a GOMAXPROCS: then that stands, for the daemon and its panes.
func TestDaemonEnvAddsOneP(t *testing.T) {
	got := daemonEnv([]string{"HOME=/h", "TERM=xterm"})
	if !slices.Contains(got, "GOMAXPROCS=1") || !slices.Contains(got, daemonOneP+"=1") {
		t.Errorf("daemonEnv without GOMAXPROCS = %q, want GOMAXPROCS=1 and the marker added", got)
	}
	user := []string{"HOME=/h", "GOMAXPROCS=4"}
	if got := daemonEnv(user); !slices.Equal(got, user) {
		t.Errorf("daemonEnv with the user's GOMAXPROCS = %q, want it unchanged", got)
	}
}

// The daemon takes out what daemonEnv added, and only that.
func TestDropDaemonEnv(t *testing.T) {
	t.Setenv("GOMAXPROCS", "1")
	t.Setenv(daemonOneP, "1")
	dropDaemonEnv()
	for _, k := range []string{"GOMAXPROCS", daemonOneP} {
		if v, ok := os.LookupEnv(k); ok {
			t.Errorf("%s=%s still set after dropDaemonEnv", k, v)
		}
	}
	t.Setenv("GOMAXPROCS", "4") // the user's: no marker
	dropDaemonEnv()
	if v := os.Getenv("GOMAXPROCS"); v != "4" {
		t.Errorf("the user's GOMAXPROCS became %q, want 4", v)
	}
}
