package mux

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"fmt"
	"os"
	"reflect"
	"runtime"
	"strconv"
	"syscall"

	"golang.org/x/sys/unix"
)

// releaseCodePages asks the kernel to reclaim the daemon's own code and
// constant data: the read-only mappings of its executable, and the pages
// of its data mapping that were only read (madvise MADV_PAGEOUT, Linux
// 5.4).
//
// Why: gosh is one 24 MB binary, and starting it runs some 200 package
// initialisers spread over the whole code segment; the kernel maps the
// 64 KiB around each first touch, so a freshly started daemon has ~14 MiB
// of its binary resident that it will not run again (bench/mux: 14.2 MiB
// RssFile idle, 0 KiB of it referenced in the next 5 s of quiet). They are
// clean pages, reclaimable under pressure, but until then they are memory
// the daemon holds. PAGEOUT reclaims those only this process maps (a gosh
// client running the same binary keeps its own). The constant data it
// evicts; the code, on Linux 6.18, it unmaps but leaves in the page cache
// (an external posix_fadvise DONTNEED evicts it, and the next fault then
// reads 2 MiB of it back despite MADV_RANDOM), so for the code this moves
// clean, shared, reclaimable cache out of the daemon's count rather than
// freeing it. What the daemon runs next faults back in, from the page
// cache or the disk, on its first use. Called only after a quiet spell
// (memRelease), never per request.
//
// The kernel pages out file pages only for a process that owns the file
// or may write it (mm/madvise.c, can_do_file_pageout: otherwise it would
// be a side channel on shared pages), so a daemon run from a root-owned
// /usr/bin/gosh by another user keeps them; one run from the user's own
// copy (attach --install, ~/.local/bin) sheds them.
//
// It returns how many bytes of mappings it advised; an error means the
// maps could not be read (the advice itself is best effort: a kernel
// without PAGEOUT answers EINVAL and nothing changes). Every advice is
// given before it returns; the daemon uses releaseCodePagesLast instead.
func releaseCodePages() (int, error) {
	p, err := findCodePages()
	if err != nil {
		return 0, err
	}
	return p.release(func(r [2]uintptr) { advise(r, unix.MADV_PAGEOUT) }), nil
}

// releaseCodePagesLast is releaseCodePages for the daemon: it returns
// before the PAGEOUT advices, which a goroutine of its own gives, so that
// as little of the daemon's code as possible runs after them. What runs
// after an advice comes back, and not alone: the kernel keeps the
// executable's pages in the page cache (on Linux 6.18 PAGEOUT unmaps the
// code but does not evict it), and a fault maps the cached pages of the
// 64 KiB around the faulting one (fault-around). Returning through
// releaseCodePages, memRelease.fire and x/sys/unix's syscall stub brought
// four such windows back, 256 KiB of an idle daemon's ~0.9 MiB RssFile.
// The goroutine calls syscall.Syscall, which lies among the runtime's code
// that the daemon needs to go idle anyway, and its own page is left out of
// the advice: it returns through a page that is still there, and then only
// the runtime runs. It yields before each advice: a goroutine started on a
// P that was idle for the quiet spell inherits that P's stale time slice,
// and sysmon, waking for the release's timer, may find the slice 10 s old
// and preempt at once; the signal handler then looks the interrupted PC up
// in the pclntab, which brought 200-400 KiB of constant data back in about
// one run in three (bench/mux -v: binary r--p 208-412 KiB instead of 20).
// Gosched starts a fresh slice.
func releaseCodePagesLast() {
	p, err := findCodePages()
	if err != nil {
		return
	}
	var last [][2]uintptr
	pageOut := func() {
		for _, r := range last {
			runtime.Gosched() // a time slice of its own: see above
			syscall.Syscall(syscall.SYS_MADVISE, r[0], r[1]-r[0], unix.MADV_PAGEOUT)
		}
	}
	ps := uintptr(os.Getpagesize())
	own := reflect.ValueOf(pageOut).Pointer() &^ (ps - 1)
	p.release(func(r [2]uintptr) {
		last = append(last, without(r, [2]uintptr{own, own + 2*ps})...) // a closure is short: two pages hold it
	})
	go pageOut()
}

// without returns r less the range cut.
func without(r, cut [2]uintptr) [][2]uintptr {
	if cut[1] <= r[0] || cut[0] >= r[1] {
		return [][2]uintptr{r}
	}
	var out [][2]uintptr
	if r[0] < cut[0] {
		out = append(out, [2]uintptr{r[0], cut[0]})
	}
	if cut[1] < r[1] {
		out = append(out, [2]uintptr{cut[1], r[1]})
	}
	return out
}

// codePages are the ranges releaseCodePages advises.
type codePages struct {
	code [][2]uintptr // the executable's read-only mappings, adjacent ones merged
	data [][2]uintptr // the runs of its data mapping still the file's
}

// findCodePages works out every range before the first advice: code that
// runs between two advices faults its pages back in from the mappings
// already advised.
func findCodePages() (codePages, error) {
	var p codePages
	exe, err := os.Readlink("/proc/self/exe")
	if err != nil {
		return p, fmt.Errorf("release code pages: %w", err)
	}
	maps, err := os.ReadFile("/proc/self/maps")
	if err != nil {
		return p, fmt.Errorf("release code pages: %w", err)
	}
	sc := bufio.NewScanner(bytes.NewReader(maps))
	for sc.Scan() {
		if lo, hi, ok := readOnlyMappingOf(sc.Bytes(), exe); ok {
			if n := len(p.code); n > 0 && p.code[n-1][1] == lo {
				p.code[n-1][1] = hi // text and rodata: one advice
			} else {
				p.code = append(p.code, [2]uintptr{lo, hi})
			}
		} else if lo, hi, ok := dataMappingOf(sc.Bytes(), exe); ok {
			p.data = append(p.data, cleanDataPages(lo, hi)...)
		}
	}
	return p, nil
}

// release advises the code mappings MADV_RANDOM and pages them out, and
// then the data runs, through pageOut. It returns the bytes advised.
func (p codePages) release(pageOut func(r [2]uintptr)) int {
	total := 0
	for _, r := range p.code {
		// MADV_RANDOM first: what the quiet daemon still touches (the
		// scheduler, timers, the collector's tables) then faults back in
		// one page at a time instead of with the file's read-around,
		// which brought back 0.3-0.8 MiB of the constant data alone.
		// restoreCodeReadahead undoes it once work resumes.
		advise(r, unix.MADV_RANDOM)
	}
	for _, r := range append(p.code[:len(p.code):len(p.code)], p.data...) {
		pageOut(r)
		total += int(r[1] - r[0])
	}
	return total
}

// restoreCodeReadahead gives the executable's read-only mappings back the
// kernel's default read-around (MADV_NORMAL), which releaseCodePages
// turned off: a daemon at work faults its code in faster in large reads.
func restoreCodeReadahead() {
	exe, err := os.Readlink("/proc/self/exe")
	if err != nil {
		return
	}
	maps, err := os.ReadFile("/proc/self/maps")
	if err != nil {
		return
	}
	sc := bufio.NewScanner(bytes.NewReader(maps))
	for sc.Scan() {
		if lo, hi, ok := readOnlyMappingOf(sc.Bytes(), exe); ok {
			advise([2]uintptr{lo, hi}, unix.MADV_NORMAL)
		}
	}
}

// advise calls madvise(2) on r and reports whether the kernel took it.
func advise(r [2]uintptr, advice int) bool {
	_, _, e := unix.Syscall(unix.SYS_MADVISE, r[0], r[1]-r[0], uintptr(advice))
	return e == 0
}

// cleanDataPages returns the runs of pages of the executable's writable
// data mapping [lo, hi) that are still the file's: initialised variables
// that start-up only read (~220 KiB of a fresh daemon's .data). Pages the
// program wrote are private copies, anonymous memory: PAGEOUT would push
// them to swap, so they are left out. /proc/self/pagemap tells which is
// which (bit 63: present; bit 61: file page; kernel
// Documentation/admin-guide/mm/pagemap.rst). A page read again faults back
// in from the file, unchanged since it was never written.
func cleanDataPages(lo, hi uintptr) [][2]uintptr {
	ps := uintptr(os.Getpagesize())
	f, err := os.Open("/proc/self/pagemap")
	if err != nil {
		return nil
	}
	defer f.Close()
	buf := make([]byte, 8*((hi-lo)/ps))
	if _, err := f.ReadAt(buf, int64(lo/ps)*8); err != nil {
		return nil
	}
	var out [][2]uintptr
	for _, r := range cleanFileRuns(buf) {
		out = append(out, [2]uintptr{lo + uintptr(r[0])*ps, lo + uintptr(r[1])*ps})
	}
	return out
}

// cleanFileRuns returns the [first, end) page index runs whose pagemap
// entries (8 bytes each, little-endian) say present and file-backed.
func cleanFileRuns(pagemap []byte) [][2]int {
	const present, file = 1 << 63, 1 << 61
	var runs [][2]int
	start := -1
	for i := 0; i*8+8 <= len(pagemap); i++ {
		e := binary.LittleEndian.Uint64(pagemap[i*8:])
		if e&present != 0 && e&file != 0 {
			if start < 0 {
				start = i
			}
			continue
		}
		if start >= 0 {
			runs = append(runs, [2]int{start, i})
			start = -1
		}
	}
	if start >= 0 {
		runs = append(runs, [2]int{start, len(pagemap) / 8})
	}
	return runs
}

// readOnlyMappingOf parses one /proc/PID/maps line ("lo-hi perms offset
// dev inode path") and reports the range when it maps path without write
// permission. Writable mappings (.data) hold the program's variables and
// go through releaseCleanDataPages instead.
func readOnlyMappingOf(line []byte, path string) (lo, hi uintptr, ok bool) {
	return mappingOf(line, path, '-')
}

// dataMappingOf reports the range when line maps path readable and
// writable: the executable's initialised data.
func dataMappingOf(line []byte, path string) (lo, hi uintptr, ok bool) {
	return mappingOf(line, path, 'w')
}

func mappingOf(line []byte, path string, w byte) (lo, hi uintptr, ok bool) {
	f := bytes.Fields(line)
	if len(f) < 6 || string(f[5]) != path || len(f) > 6 {
		return 0, 0, false
	}
	if len(f[1]) < 2 || f[1][0] != 'r' || f[1][1] != w {
		return 0, 0, false
	}
	r := bytes.SplitN(f[0], []byte("-"), 2)
	if len(r) != 2 {
		return 0, 0, false
	}
	l, err1 := strconv.ParseUint(string(r[0]), 16, 64)
	h, err2 := strconv.ParseUint(string(r[1]), 16, 64)
	if err1 != nil || err2 != nil || h <= l {
		return 0, 0, false
	}
	return uintptr(l), uintptr(h), true
}
