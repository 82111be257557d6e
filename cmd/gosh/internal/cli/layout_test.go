package cli

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"
)

func TestLayoutApplyMissingFile(t *testing.T) {
	t.Setenv("GOSH_SOCKET_DIR", t.TempDir()+"/sockets")
	t.Setenv("GOSH", "")
	missing := filepath.Join(t.TempDir(), "nope.yaml")
	var out, errb bytes.Buffer
	code := Main(context.Background(), []string{"-L", "none", "layout", "apply", missing}, nil, &out, &errb)
	if code != 1 || errb.String() != "gosh: layout: open "+missing+": no such file or directory\n" {
		t.Errorf("apply of a missing file: exit %d, stderr %q", code, errb.String())
	}
	// nothing was started for it
	errb.Reset()
	if code := Main(context.Background(), []string{"-L", "none", "list-sessions"}, nil, &out, &errb); code != 1 || !strings.Contains(errb.String(), "no server running") {
		t.Errorf("after a failed apply: exit %d, %q", code, errb.String())
	}
}

func TestLayoutHelpListsSubcommands(t *testing.T) {
	var out, errb bytes.Buffer
	if code := Main(context.Background(), []string{"layout", "--help"}, nil, &out, &errb); code != 0 {
		t.Fatalf("layout --help: exit %d: %s", code, errb.String())
	}
	for _, want := range []string{"apply", "save"} {
		if !strings.Contains(out.String(), "  "+want+" ") {
			t.Errorf("layout --help lacks %s:\n%s", want, out.String())
		}
	}
}
