package mux

import (
	"bytes"
	"encoding/binary"
	"os"
	"reflect"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
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
		{"0134a000-013a0000 rwxp 00f4a000 08:01 123 /usr/bin/gosh", false, 0},
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

// goldenTable is initialised data that the test reads but never writes:
// its page of the executable's data mapping stays the file's.
var goldenTable = [...]string{"alpha", "beta", "gamma"}

// exeMappings returns the /proc/self/smaps fields ("Rss:" → "12 kB",
// "VmFlags:" → "rd ex …") of each mapping of the test binary that match
// accepts, given the mapping's header line and the binary's path.
func exeMappings(t *testing.T, match func(line []byte, exe string) bool) []map[string]string {
	t.Helper()
	exe, err := os.Readlink("/proc/self/exe")
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile("/proc/self/smaps")
	if err != nil {
		t.Fatal(err)
	}
	var maps []map[string]string
	var cur map[string]string
	for _, l := range strings.Split(string(b), "\n") {
		f := strings.Fields(l)
		if len(f) >= 2 && strings.Contains(f[0], "-") && !strings.HasSuffix(f[0], ":") {
			cur = nil
			if match([]byte(l), exe) {
				cur = map[string]string{}
				maps = append(maps, cur)
			}
			continue
		}
		if cur != nil && len(f) >= 1 {
			cur[f[0]] = strings.TrimSpace(strings.TrimPrefix(l, f[0]))
		}
	}
	return maps
}

// kib parses an smaps size ("12 kB").
func kib(v string) int {
	n, _ := strconv.Atoi(strings.TrimSuffix(v, " kB"))
	return n
}

// dataMappingKiB returns the Private_Clean and Anonymous KiB of the test
// binary's writable mapping (its initialised data).
func dataMappingKiB(t *testing.T) (clean, anon int) {
	t.Helper()
	for _, m := range exeMappings(t, func(l []byte, exe string) bool { _, _, ok := dataMappingOf(l, exe); return ok }) {
		clean += kib(m["Private_Clean:"])
		anon += kib(m["Anonymous:"])
	}
	return clean, anon
}

// The data pages that were only read leave the resident set; the ones the
// program wrote (anonymous copies) stay, and every variable keeps its
// value.
func TestReleaseCodePagesShedsCleanDataPages(t *testing.T) {
	cleanBefore, _ := dataMappingKiB(t)
	if cleanBefore == 0 {
		t.Skip("no clean page in the data mapping to release")
	}
	// Goroutines that earlier tests left winding down may read the data
	// mapping right after the release and fault pages back in: a few
	// tries, each of which must release, tell that from a release that
	// does nothing.
	var cleanAfter, anonAfter int
	for range 3 {
		if _, err := releaseCodePages(); err != nil {
			t.Fatal(err)
		}
		if cleanAfter, anonAfter = dataMappingKiB(t); cleanAfter <= cleanBefore/2 {
			break
		}
	}
	if cleanAfter > cleanBefore/2 {
		t.Errorf("data mapping Private_Clean %d KiB before, %d KiB after: want the clean pages released", cleanBefore, cleanAfter)
	}
	if anonAfter == 0 {
		t.Errorf("data mapping has no anonymous pages left: written variables were paged out too")
	}
	if got := strings.Join(goldenTable[:], ","); got != "alpha,beta,gamma" {
		t.Errorf("initialised data after the release reads %q", got)
	}
}

func TestCleanFileRuns(t *testing.T) {
	const present, file = 1 << 63, 1 << 61
	entries := []uint64{present | file, present | file, present, 0, file, present | file, present | file | 1234}
	buf := make([]byte, 8*len(entries))
	for i, e := range entries {
		binary.LittleEndian.PutUint64(buf[i*8:], e)
	}
	got := cleanFileRuns(buf)
	want := [][2]int{{0, 2}, {5, 7}}
	if !slices.Equal(got, want) {
		t.Errorf("cleanFileRuns = %v, want %v", got, want)
	}
	if r := cleanFileRuns(buf[:7]); len(r) != 0 {
		t.Errorf("a partial entry gave runs %v", r)
	}
}

// exeCodeRandomRead reports whether the executable's code mapping carries
// the random-read advice ("rr" in its VmFlags, proc(5)).
func exeCodeRandomRead(t *testing.T) bool {
	t.Helper()
	m := exeMappings(t, func(l []byte, exe string) bool {
		return bytes.Contains(l, []byte(" r-xp ")) && bytes.HasSuffix(l, []byte(" "+exe))
	})
	if len(m) == 0 {
		t.Fatal("no code mapping of the executable in /proc/self/smaps")
	}
	return slices.Contains(strings.Fields(m[0]["VmFlags:"]), "rr")
}

// While shed, the code mapping reads one page per fault (what a quiet
// daemon touches stays small); restoring gives it the default read-around.
func TestReleaseCodePagesTurnsReadAroundOffUntilRestored(t *testing.T) {
	if _, err := releaseCodePages(); err != nil {
		t.Fatal(err)
	}
	if !exeCodeRandomRead(t) {
		t.Errorf("code mapping not advised MADV_RANDOM after the release")
	}
	restoreCodeReadahead()
	if exeCodeRandomRead(t) {
		t.Errorf("code mapping still advised MADV_RANDOM after the restore")
	}
}

// resident reports whether the page holding addr is mapped in
// (/proc/self/pagemap, bit 63).
func resident(t *testing.T, addr uintptr) bool {
	t.Helper()
	f, err := os.Open("/proc/self/pagemap")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var e [8]byte
	if _, err := f.ReadAt(e[:], int64(addr/uintptr(os.Getpagesize()))*8); err != nil {
		t.Fatal(err)
	}
	return binary.LittleEndian.Uint64(e[:])>>63 != 0
}

// touch reads the byte at addr through /proc/self/mem, which faults its
// page in.
func touch(t *testing.T, addr uintptr) {
	t.Helper()
	f, err := os.Open("/proc/self/mem")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var b [1]byte
	if _, err := f.ReadAt(b[:], int64(addr)); err != nil {
		t.Fatal(err)
	}
}

// The daemon's release gives its last advices from a goroutine of its own,
// so the code that asked for them (memRelease.fire) is not run again
// afterwards: its page stays out of the resident set, and so do the
// 64 KiB of neighbours a fault on it would map back in.
func TestMemReleaseLeavesItsOwnCodeOut(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1)) // as the daemon runs
	r := &memRelease{quiet: 10 * time.Millisecond, cycles: func() uint64 { return 0 }, release: func() {},
		code: releaseCodePagesLast, detached: func() bool { return true }}
	fire := reflect.ValueOf(r.fire).Pointer()
	touch(t, fire) // an earlier test's release may have paged it out
	if !resident(t, fire) {
		t.Fatal("memRelease.fire's page is not resident after reading it")
	}
	r.mu.Lock()
	r.timer = time.AfterFunc(r.quiet, r.fire)
	r.mu.Unlock()
	defer r.stop()
	waitFor(t, "the release", func() bool { return !resident(t, fire) })
	time.Sleep(50 * time.Millisecond)
	if resident(t, fire) {
		t.Errorf("memRelease.fire's page came back after the release")
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if !r.shed {
		t.Errorf("release did not record the shed")
	}
}

func TestWithout(t *testing.T) {
	for _, c := range []struct {
		r, cut [2]uintptr
		want   [][2]uintptr
	}{
		{[2]uintptr{10, 20}, [2]uintptr{30, 40}, [][2]uintptr{{10, 20}}},
		{[2]uintptr{10, 20}, [2]uintptr{0, 10}, [][2]uintptr{{10, 20}}},
		{[2]uintptr{10, 20}, [2]uintptr{12, 14}, [][2]uintptr{{10, 12}, {14, 20}}},
		{[2]uintptr{10, 20}, [2]uintptr{5, 14}, [][2]uintptr{{14, 20}}},
		{[2]uintptr{10, 20}, [2]uintptr{15, 25}, [][2]uintptr{{10, 15}}},
		{[2]uintptr{10, 20}, [2]uintptr{10, 20}, nil},
	} {
		if got := without(c.r, c.cut); !slices.Equal(got, c.want) {
			t.Errorf("without(%v, %v) = %v, want %v", c.r, c.cut, got, c.want)
		}
	}
}
