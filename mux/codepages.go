package mux

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"strconv"

	"golang.org/x/sys/unix"
)

// releaseCodePages asks the kernel to reclaim the daemon's own code and
// constant data: the read-only mappings of its executable
// (madvise MADV_PAGEOUT, Linux 5.4).
//
// Why: gosh is one 24 MB binary, and starting it runs some 200 package
// initialisers spread over the whole code segment; the kernel maps the
// 64 KiB around each first touch, so a freshly started daemon has ~14 MiB
// of its binary resident that it will not run again (bench/mux: 14.2 MiB
// RssFile idle, 0 KiB of it referenced in the next 5 s of quiet). They are
// clean pages, reclaimable under pressure, but until then they are memory
// the daemon holds. PAGEOUT reclaims those only this process maps (a gosh
// client running the same binary keeps its own), so this frees memory
// rather than just moving it out of the daemon's count; what the daemon
// runs next faults back in, from the page cache or the disk, on its first
// use. Called only after a quiet spell (memRelease), never per request.
//
// It returns how many bytes of mappings it advised; an error means the
// maps could not be read (the advice itself is best effort: a kernel
// without PAGEOUT answers EINVAL and nothing changes).
func releaseCodePages() (int, error) {
	exe, err := os.Readlink("/proc/self/exe")
	if err != nil {
		return 0, fmt.Errorf("release code pages: %w", err)
	}
	maps, err := os.ReadFile("/proc/self/maps")
	if err != nil {
		return 0, fmt.Errorf("release code pages: %w", err)
	}
	total := 0
	sc := bufio.NewScanner(bytes.NewReader(maps))
	for sc.Scan() {
		lo, hi, ok := readOnlyMappingOf(sc.Bytes(), exe)
		if !ok {
			continue
		}
		if _, _, e := unix.Syscall(unix.SYS_MADVISE, lo, hi-lo, unix.MADV_PAGEOUT); e == 0 {
			total += int(hi - lo)
		}
	}
	return total, nil
}

// readOnlyMappingOf parses one /proc/PID/maps line ("lo-hi perms offset
// dev inode path") and reports the range when it maps path without write
// permission. Writable mappings (.data, .bss) hold the program's variables
// and are never advised.
func readOnlyMappingOf(line []byte, path string) (lo, hi uintptr, ok bool) {
	f := bytes.Fields(line)
	if len(f) < 6 || string(f[5]) != path || len(f) > 6 {
		return 0, 0, false
	}
	if len(f[1]) < 2 || f[1][0] != 'r' || f[1][1] != '-' {
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
