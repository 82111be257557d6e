package plugins

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/goshterm/gosh/mux"
)

// An attach that starts the daemon reaches Authorize a moment after the
// plugins were launched: it must wait for the authorizer's handshake, not
// be refused because the plugin is still starting (regression: Wait used
// to return before the state said Running).
func TestMuxHooksFirstAttachWaitsForAuthorizer(t *testing.T) {
	bin := buildExamples(t)
	allow := filepath.Join(t.TempDir(), "allowlist.json")
	if err := os.WriteFile(allow, []byte(`{"sessions": {"pair": {"allow": ["ann"], "read_only": ["bob"]}}}`), 0o600); err != nil {
		t.Fatal(err)
	}
	for range 3 {
		h := Start(Config{Plugins: []Spec{{Name: "allow", Path: filepath.Join(bin, PluginPrefix+"auth-allowlist"),
			Args: []string{"-config", allow}}}})
		hooks := MuxHooks(h)
		ctx := context.Background()
		if d := hooks.Authorize(ctx, mux.AuthRequest{User: "ann", Session: "pair"}); d.Verdict != mux.AuthAllow {
			t.Fatalf("first attach of ann: %+v", d)
		}
		if d := hooks.Authorize(ctx, mux.AuthRequest{User: "bob", Session: "pair"}); d.Verdict != mux.AuthReadOnly {
			t.Fatalf("bob: %+v", d)
		}
		if d := hooks.Authorize(ctx, mux.AuthRequest{User: "eve", Session: "pair", SSHClient: "192.0.2.1:22"}); d.Verdict != mux.AuthDeny || d.Reason == "" {
			t.Fatalf("eve: %+v", d)
		}
		if in := h.Plugins()[0]; in.State != StateRunning {
			t.Fatalf("after Wait: %+v", in)
		}
		h.Close()
	}
}

// A status view made through the hooks turns mux facts into the request
// the plugin sees and its answer into compose segments.
func TestMuxHooksStatusRequest(t *testing.T) {
	req := toStatusRequest(mux.StatusFacts{SessionID: "$1", Session: "work", PaneID: "%3", Cwd: "/src", Program: "vim",
		Width: 40, Height: 10, Event: mux.EventCwdChange, Client: "client1", User: "ann"})
	if req.Session.Name != "work" || req.Pane.ID != "%3" || req.Pane.Cwd != "/src" || req.Pane.Program != "vim" ||
		req.Pane.Rect.Width != 40 || req.Event.Kind.String() != "cwd-change" || req.Event.PaneID != "%3" || req.Client.User != "ann" {
		t.Fatalf("toStatusRequest = %+v", req)
	}
}
