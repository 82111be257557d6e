package mux

import (
	"os"
	"strconv"
	"strings"
	"testing"
)

// rssFileKiB reads RssFile from /proc/self/status.
func rssFileKiB(t *testing.T) int {
	t.Helper()
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(l, "RssFile:"); ok {
			n, err := strconv.Atoi(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")))
			if err != nil {
				t.Fatal(err)
			}
			return n
		}
	}
	t.Fatal("no RssFile in /proc/self/status")
	return 0
}

// The test binary's code pages leave its resident set, and the code still
// runs afterwards (it faults back in).
func TestReleaseCodePagesShrinksResidentSet(t *testing.T) {
	before := rssFileKiB(t)
	n, err := releaseCodePages()
	if err != nil {
		t.Fatal(err)
	}
	after := rssFileKiB(t)
	if n == 0 {
		t.Fatal("no read-only mapping of the executable found")
	}
	if after >= before-1024 {
		t.Errorf("RssFile %d KiB before, %d KiB after releasing %d bytes of mappings: want at least 1 MiB less", before, after, n)
	}
	if got := strconv.Itoa(42) + strings.Repeat("x", 2); got != "42xx" {
		t.Errorf("code after the release computed %q", got)
	}
}

func TestReadOnlyMappingOf(t *testing.T) {
	exe := "/usr/bin/gosh"
	for _, c := range []struct {
		line string
		ok   bool
		lo   uintptr
	}{
		{"00400000-00b33000 r-xp 00000000 08:01 123 /usr/bin/gosh", true, 0x400000},
		{"00b33000-0134a000 r--p 00733000 08:01 123 /usr/bin/gosh", true, 0xb33000},
		{"0134a000-013a0000 rw-p 00f4a000 08:01 123 /usr/bin/gosh", false, 0},
		{"7f00-7f10 r-xp 00000000 08:01 9 /usr/lib/libc.so.6", false, 0},
		{"00400000-00b33000 r-xp 00000000 08:01 123 /usr/bin/gosh (deleted)", false, 0},
		{"00400000-00b33000 r-xp", false, 0},
		{"zz-00b33000 r-xp 00000000 08:01 123 /usr/bin/gosh", false, 0},
		{"00b33000-00400000 r-xp 00000000 08:01 123 /usr/bin/gosh", false, 0},
	} {
		lo, _, ok := readOnlyMappingOf([]byte(c.line), exe)
		if ok != c.ok || lo != c.lo {
			t.Errorf("%q: got %#x %v, want %#x %v", c.line, lo, ok, c.lo, c.ok)
		}
	}
}
