package cli

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// runIn is run with stdin.
func runIn(t *testing.T, stdin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = Main(context.Background(), args, strings.NewReader(stdin), &out, &errb)
	return code, out.String(), errb.String()
}

func TestDebugVTFromFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "stream.vt")
	stream := "hello\r\n\x1b[1;31mred\x1b[m wide 中文\x1b[3;5H"
	if err := os.WriteFile(path, []byte(stream), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := run(t, "debug", "vt", "--size", "20x3", "--cursor", "--attrs", path)
	if code != 0 {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
	want := "hello\n" +
		"red wide 中文\n" +
		"\n" +
		"attr 1 0-2 fg=1 bold\n" +
		"cursor 4 2\n"
	if out != want {
		t.Errorf("output\n%q\nwant\n%q", out, want)
	}
}

func TestDebugVTStdinDefaultSize(t *testing.T) {
	code, out, _ := runIn(t, "\x1b[24;80Hx", "debug", "vt", "--cursor")
	if code != 0 {
		t.Fatalf("exit %d", code)
	}
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	// 24 rows plus the cursor line; x in the last column of the last row.
	if len(lines) != 25 || lines[23] != strings.Repeat(" ", 79)+"x" || lines[24] != "cursor 79 23" {
		t.Errorf("default 80x24 output has %d lines, last rows %q", len(lines), lines[max(len(lines)-2, 0):])
	}
	code, out, _ = runIn(t, "a\tb", "debug", "vt", "--size", "10x1")
	if code != 0 || out != "a       b\n" {
		t.Errorf("without --cursor/--attrs: %d %q, want just the row", code, out)
	}
}

func TestDebugVTBadSize(t *testing.T) {
	for _, size := range []string{"80", "0x10", "axb", "80x", "10x99999"} {
		code, _, errOut := run(t, "debug", "vt", "--size", size)
		if code == 0 || !strings.Contains(errOut, "--size") {
			t.Errorf("--size %q: exit %d, stderr %q; want failure naming --size", size, code, errOut)
		}
	}
}

func TestDebugVTMissingFile(t *testing.T) {
	code, _, errOut := run(t, "debug", "vt", filepath.Join(t.TempDir(), "nope"))
	if code == 0 || !strings.Contains(errOut, "nope") {
		t.Errorf("missing file: exit %d, stderr %q", code, errOut)
	}
}
