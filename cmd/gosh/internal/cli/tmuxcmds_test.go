package cli

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

func TestTmuxCommandsRegisteredAndCompleted(t *testing.T) {
	var out, errb bytes.Buffer
	if code := Main(context.Background(), []string{"completion", "bash"}, nil, &out, &errb); code != 0 {
		t.Fatalf("completion bash: exit %d: %s", code, errb.String())
	}
	if !strings.Contains(out.String(), "__start_gosh") {
		t.Errorf("bash completion script looks wrong:\n%.300s", out.String())
	}
	// The script asks the binary for candidates.
	out.Reset()
	if code := Main(context.Background(), []string{"__complete", "s"}, nil, &out, &errb); code != 0 {
		t.Fatalf("__complete: exit %d", code)
	}
	for _, name := range []string{"split-window", "send-keys", "select-pane", "server"} {
		if !strings.Contains(out.String(), name+"\t") {
			t.Errorf("completing s lacks %s:\n%s", name, out.String())
		}
	}
}

func TestTmuxCommandWithoutServer(t *testing.T) {
	dir := t.TempDir() + "/sockets"
	t.Setenv("GOSH_SOCKET_DIR", dir)
	t.Setenv("GOSH", "")
	var out, errb bytes.Buffer
	code := Main(context.Background(), []string{"-L", "none", "list-sessions"}, nil, &out, &errb)
	if code != 1 || errb.String() != "gosh: no server running on "+dir+"/none\n" {
		t.Errorf("ls with no server: exit %d, stderr %q", code, errb.String())
	}
}
