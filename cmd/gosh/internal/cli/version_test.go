package cli

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

func run(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = Main(context.Background(), args, strings.NewReader(""), &out, &errb)
	return code, out.String(), errb.String()
}

func TestVersionPrintsVersion(t *testing.T) {
	code, out, _ := run(t, "version")
	if code != 0 || !strings.HasPrefix(out, "gosh "+Version+" ") {
		t.Fatalf("gosh version = %d %q, want 0 and a line starting with %q", code, out, "gosh "+Version)
	}
}

func TestUnknownCommandFails(t *testing.T) {
	code, _, errOut := run(t, "no-such-command")
	if code == 0 || !strings.Contains(errOut, "no-such-command") {
		t.Fatalf("unknown command: code %d, stderr %q; want non-zero and the name", code, errOut)
	}
}
