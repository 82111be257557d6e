//go:build e2e

package integration

import (
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// The fault plugins live in testdata/plugins and use only sdk (and
// go-plugin, to lie about the protocol version).
const faultPlugins = "./cmd/gosh/internal/integration/testdata/plugins/"

func TestPluginHungStatusLeavesFrameLoopAlone(t *testing.T) {
	cfg := t.TempDir()
	buildPlugin(t, faultPlugins+"hang", filepath.Join(cfg, "plugins"), "gosh-plugin-hang")
	d := startGoshDaemon(t, cfg)
	d.newSession("work", "/")
	c := d.attach("work")

	// Every status call times out; typing still echoes at once.
	typeAndSee(t, c, "echo alive-$((40+2))", "alive-42")
	// After calls in a row time out the host treats the plugin as hung,
	// restarts it, and the marker says so.
	waitStatus(t, c, "the hung plugin's marker", func(s string) bool { return strings.Contains(s, "plugin hang") })
	typeAndSee(t, c, "echo still-$((50+5))", "still-55")
	if log := d.log(); !strings.Contains(log, "plugin hung") {
		t.Errorf("the daemon log does not say the plugin hung:\n%s", log)
	}
}

func TestPluginRefusedPlugins(t *testing.T) {
	cfg := t.TempDir()
	dir := filepath.Join(cfg, "plugins")
	buildPlugin(t, faultPlugins+"badversion", dir, "gosh-plugin-badversion")
	buildPlugin(t, faultPlugins+"garbage", dir, "gosh-plugin-garbage")
	d := startGoshDaemon(t, cfg)

	const (
		versionMsg = `"badversion" speaks gosh plugin protocol 99, but this gosh speaks 1`
		garbageMsg = `"garbage" is not a gosh plugin`
	)
	t.Run("plugin list", func(t *testing.T) {
		// The daemon listens before the plugins' handshakes are over, and
		// gosh plugin list shows them "starting" until then: wait for
		// neither to be starting (a loaded machine takes a while).
		var out string
		waitFor(t, "gosh plugin list to show both plugins past their start", func() bool {
			o, stderr, code := d.gosh("", nil, "plugin", "list")
			if code != 0 {
				t.Fatalf("gosh plugin list: exit %d: %s", code, stderr)
			}
			out = o
			return !strings.Contains(out, "starting")
		})
		for _, want := range []string{versionMsg, garbageMsg} {
			if !strings.Contains(out, want) {
				t.Errorf("gosh plugin list does not say %q:\n%s", want, out)
			}
		}
		if strings.Count(out, "failed") < 2 {
			t.Errorf("gosh plugin list should show both plugins failed:\n%s", out)
		}
	})
	t.Run("daemon log", func(t *testing.T) {
		// The log's text handler quotes the message: look for the parts
		// without the plugin's quoted name.
		waitFor(t, "both refusals in the daemon log", func() bool {
			log := d.log()
			return strings.Contains(log, versionMsg[len(`"badversion" `):]) && strings.Contains(log, garbageMsg[len(`"garbage" `):]) &&
				strings.Contains(log, "plugin=badversion") && strings.Contains(log, "plugin=garbage")
		})
	})
	t.Run("daemon fine", func(t *testing.T) {
		d.newSession("work", "/")
		c := d.attach("work")
		typeAndSee(t, c, "echo fine-$((9*9))", "fine-81")
		for _, s := range []string{"should-never-show", "from-the-future", "garbage on stdout"} {
			if strings.Contains(screenText(c), s) {
				t.Errorf("a refused plugin's output reached the frame: %q\n%s", s, screenText(c))
			}
		}
	})
}

// A daemon killed with SIGKILL cannot stop its plugins; they must not
// outlive it (the host asks the kernel for a parent-death signal, and
// sdk.Serve watches its parent).
func TestPluginDiesWithKilledDaemon(t *testing.T) {
	d, exe := sysinfoDaemon(t)
	var pid int
	waitFor(t, "the plugin's process", func() bool { pid = d.pluginPID(exe); return pid != 0 })
	t.Cleanup(func() {
		if !exited(pid) {
			syscall.Kill(pid, syscall.SIGKILL)
		}
	})
	if err := d.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the SIGKILLed daemon's plugin to exit", func() bool { return exited(pid) })
}
