package command

import (
	"context"
	"encoding/json"
	"fmt"
)

// PluginInfo is one of the daemon's plugins as list-plugins reports it:
// the plugin host's live view (plain types, so that this package and mux
// need not know the host).
type PluginInfo struct {
	Name      string `json:"name"`
	Kind      string `json:"kind"`              // "status", "authorizer", …
	Version   string `json:"version,omitempty"` // the plugin's own, from its handshake
	State     string `json:"state"`             // "running", "restarting", "failed", …
	Restarts  int    `json:"restarts"`
	LastError string `json:"last_error,omitempty"`
	PID       int    `json:"pid,omitempty"` // the current or last process
}

// PluginLister is implemented by an Env whose daemon runs plugins. An Env
// without it has none.
type PluginLister interface {
	Plugins() []PluginInfo
}

// listPlugins is gosh's list-plugins (no tmux equivalent): one line per
// plugin the daemon runs, or with -J a JSON array, which `gosh plugin
// list` reads.
func listPlugins(_ context.Context, e Env, a *Args) error {
	ps := []PluginInfo{}
	if l, ok := e.(PluginLister); ok {
		ps = append(ps, l.Plugins()...)
	}
	if a.Has('J') {
		return json.NewEncoder(e.Stdout()).Encode(ps)
	}
	for _, p := range ps {
		line := fmt.Sprintf("%s: %s %s %s (restarts %d, pid %d)", p.Name, p.Kind, orDash(p.Version), p.State, p.Restarts, p.PID)
		if p.LastError != "" {
			line += ": " + p.LastError
		}
		fmt.Fprintln(e.Stdout(), line)
	}
	return nil
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
