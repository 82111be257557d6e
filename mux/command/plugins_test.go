package command

import (
	"context"
	"encoding/json"
	"reflect"
	"strings"
	"testing"
)

// pluginEnv is a recEnv whose daemon runs plugins.
type pluginEnv struct {
	recEnv
	plugins []PluginInfo
}

func (e *pluginEnv) Plugins() []PluginInfo { return e.plugins }

// list-plugins prints what the daemon's plugin host reports: a line per
// plugin for people, JSON with -J for gosh plugin list, and an empty list
// (not an error) from a daemon without plugins.
func TestListPlugins(t *testing.T) {
	ps := []PluginInfo{
		{Name: "sysinfo", Kind: "status", Version: "0.1.0", State: "running", Restarts: 2, LastError: `plugins: "sysinfo": plugin exited`, PID: 4242},
		{Name: "allow", Kind: "authorizer", State: "failed", LastError: "boom"},
	}
	e := &pluginEnv{plugins: ps}
	if err := Run(context.Background(), e, []string{"list-plugins"}); err != nil {
		t.Fatal(err)
	}
	want := `sysinfo: status 0.1.0 running (restarts 2, pid 4242): plugins: "sysinfo": plugin exited` + "\n" +
		"allow: authorizer - failed (restarts 0, pid 0): boom\n"
	if got := e.out.String(); got != want {
		t.Errorf("list-plugins printed\n%s\nwant\n%s", got, want)
	}

	e.out.Reset()
	if err := Run(context.Background(), e, []string{"list-plugins", "-J"}); err != nil {
		t.Fatal(err)
	}
	var got []PluginInfo
	if err := json.Unmarshal(e.out.Bytes(), &got); err != nil || !reflect.DeepEqual(got, ps) {
		t.Errorf("list-plugins -J = %q (%v), want %+v", e.out.String(), err, ps)
	}

	plain := &recEnv{}
	if err := Run(context.Background(), plain, []string{"list-plugins", "-J"}); err != nil {
		t.Fatal(err)
	}
	if s := strings.TrimSpace(plain.out.String()); s != "[]" {
		t.Errorf("list-plugins -J without plugins = %q, want []", s)
	}
}
