//go:build e2e

package integration

import (
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
)

// sysinfoDaemon starts a daemon with the status-sysinfo example plugin
// (refresh 1 s, clock with seconds) and returns it with the plugin's path.
func sysinfoDaemon(t *testing.T) (*goshDaemon, string) {
	t.Helper()
	cfg := t.TempDir()
	exe := buildPlugin(t, "./examples/plugins/status-sysinfo", filepath.Join(cfg, "bin"), "gosh-plugin-sysinfo")
	writeFile(t, filepath.Join(cfg, "config.yaml"), `plugins:
  - name: sysinfo
    path: bin/gosh-plugin-sysinfo
    kind: status
    args: ["-refresh", "1s", "-clock", "clk=15:04:05"]
`)
	return startGoshDaemon(t, cfg), exe
}

// gitRepo makes a directory that looks like a git work tree on branch.
func gitRepo(t *testing.T, branch string) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "repo")
	writeFile(t, filepath.Join(dir, ".git", "HEAD"), "ref: refs/heads/"+branch+"\n")
	return dir
}

var (
	clockRE = regexp.MustCompile(`clk=\d\d:\d\d:\d\d`)
	loadRE  = regexp.MustCompile(`\d+\.\d\d`)
)

func TestPluginStatusSysinfoSegmentsInFrame(t *testing.T) {
	d, _ := sysinfoDaemon(t)
	repo := gitRepo(t, "feature-x")
	d.newSession("work", "/")
	c := d.attach("work")

	// The clock and the load average come with the first answer.
	row := waitStatus(t, c, "the plugin's clock and load", func(s string) bool {
		return clockRE.MatchString(s) && loadRE.MatchString(s)
	})
	if strings.Contains(row, "feature-x") {
		t.Fatalf("the status line shows a git branch before the pane is in a repository: %q", row)
	}
	// cd into the repository: the cwd change brings the branch.
	c.Type("cd " + repo + "\r")
	waitStatus(t, c, "the git branch of the pane's cwd", func(s string) bool { return strings.Contains(s, "feature-x") })
	// Leaving it takes the branch away again.
	c.Type("cd /\r")
	waitStatus(t, c, "no git branch after leaving the repository", func(s string) bool {
		return !strings.Contains(s, "feature-x") && clockRE.MatchString(s)
	})
	// The clock ticks on the plugin's own refresh interval.
	first := clockRE.FindString(statusRow(c))
	waitStatus(t, c, "the plugin's clock to tick", func(s string) bool {
		m := clockRE.FindString(s)
		return m != "" && m != first
	})
}

func TestPluginStatusKilledPluginRestarts(t *testing.T) {
	d, exe := sysinfoDaemon(t)
	repo := gitRepo(t, "kill-me")
	d.newSession("work", repo)
	c := d.attach("work")
	waitStatus(t, c, "the branch segment", func(s string) bool { return strings.Contains(s, "kill-me") })

	var pid int
	waitFor(t, "the plugin's process", func() bool { pid = d.pluginPID(exe); return pid != 0 })
	if err := syscall.Kill(pid, syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	// The marker shows while the plugin is down or restarting.
	waitStatus(t, c, "the plugin-down marker", func(s string) bool { return strings.Contains(s, "plugin sysinfo") })
	// The session keeps running: typing reaches the shell.
	typeAndSee(t, c, "echo typed-$((6*7))", "typed-42")
	// After the back-off the plugin is back: a new process, no marker, and
	// its segments.
	waitStatus(t, c, "the plugin back without its marker", func(s string) bool {
		return !strings.Contains(s, "plugin sysinfo") && strings.Contains(s, "kill-me") && clockRE.MatchString(s)
	})
	if np := d.pluginPID(exe); np == 0 || np == pid {
		t.Fatalf("plugin process after restart: pid %d (killed %d)", np, pid)
	}
	if !strings.Contains(d.log(), "plugin stopped, restarting") {
		t.Errorf("the daemon log does not record the restart:\n%s", d.log())
	}
}

var sysinfoListRE = regexp.MustCompile(`(?m)^sysinfo\s+status\s+\S+\s+(\w+)\s+(\d+)\s+(\d+|-)\s+(.*)$`)

// gosh plugin list asks the running daemon, so that it shows the daemon's
// own plugin processes, their restarts and why they last went down.
func TestPluginListShowsDaemonPlugins(t *testing.T) {
	d, exe := sysinfoDaemon(t)
	var pid int
	waitFor(t, "the plugin's process", func() bool { pid = d.pluginPID(exe); return pid != 0 })
	list := func() (out string, m []string) {
		t.Helper()
		out, stderr, code := d.gosh("", nil, "plugin", "list")
		if code != 0 {
			t.Fatalf("gosh plugin list: exit %d: %s", code, stderr)
		}
		return out, sysinfoListRE.FindStringSubmatch(out)
	}
	// The process exists before its handshake is over; until then the
	// list shows it "starting".
	var out string
	var m []string
	waitFor(t, "gosh plugin list to show the plugin past its start", func() bool {
		out, m = list()
		return m == nil || m[1] != "starting"
	})
	if !strings.HasPrefix(out, "plugins of the gosh server on "+d.sock+":\n") {
		t.Fatalf("gosh plugin list does not say it shows the server's plugins:\n%s", out)
	}
	if m == nil || m[1] != "running" || m[2] != "0" || m[3] != strconv.Itoa(pid) {
		t.Fatalf("gosh plugin list should show sysinfo running, never restarted, as the daemon's pid %d:\n%s", pid, out)
	}

	if err := syscall.Kill(pid, syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "gosh plugin list to show the restart and its reason", func() bool {
		out, m = list()
		return m != nil && m[2] != "0" && strings.Contains(m[4], "plugin exited")
	})
	waitFor(t, "gosh plugin list to show the new process", func() bool {
		out, m = list()
		np := d.pluginPID(exe)
		return m != nil && m[1] == "running" && np != 0 && np != pid && m[3] == strconv.Itoa(np)
	})
	if !strings.Contains(m[4], "plugin exited") {
		t.Errorf("the last error is gone once the plugin is back:\n%s", out)
	}
}
