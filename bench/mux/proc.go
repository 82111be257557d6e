package main

import (
	"bufio"
	"fmt"
	"os"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// clockTicks is USER_HZ, the unit of utime and stime in /proc/PID/stat
// (proc(5)); it is 100 on every Linux architecture Go supports.
const clockTicks = 100

// procStat returns fields 3 onwards of /proc/PID/stat (the state at index
// 0), split after the command name, which may itself contain spaces and
// parentheses (proc(5)).
func procStat(pid int) ([]string, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return nil, err
	}
	s := string(b)
	i := strings.LastIndexByte(s, ')')
	if i < 0 {
		return nil, fmt.Errorf("bench/mux: malformed /proc/%d/stat", pid)
	}
	return strings.Fields(s[i+1:]), nil
}

// cpuTime is utime+stime (fields 14 and 15) of pid: all its threads, not
// its children (the panes' shells and cat are children and not counted).
func cpuTime(pid int) (time.Duration, error) {
	f, err := procStat(pid)
	if err != nil {
		return 0, err
	}
	if len(f) < 13 {
		return 0, fmt.Errorf("bench/mux: short /proc/%d/stat", pid)
	}
	ut, err1 := strconv.ParseInt(f[11], 10, 64)
	st, err2 := strconv.ParseInt(f[12], 10, 64)
	if err1 != nil || err2 != nil {
		return 0, fmt.Errorf("bench/mux: bad cpu fields in /proc/%d/stat", pid)
	}
	return time.Duration(ut+st) * time.Second / clockTicks, nil
}

// alive reports whether pid exists and is not a zombie (exited daemons
// linger as zombies on these machines: nothing reaps orphans).
func alive(pid int) bool {
	f, err := procStat(pid)
	return err == nil && len(f) > 0 && f[0] != "Z" && f[0] != "X"
}

// memory is a process's resident set now and at its peak, and the
// resident set's anonymous (heap, stacks) and file-backed (the binary's
// and libraries' pages) parts, from /proc/PID/status (proc(5): VmRSS,
// VmHWM, RssAnon, RssFile), in bytes. pss and uss come from
// /proc/PID/smaps_rollup: the proportional set size (each resident page
// divided by the number of processes mapping it, so a shared library's
// pages cost tmux only its share) and the unique set size
// (Private_Clean + Private_Dirty: what would be freed if the process
// ended). touched is what the process referenced during a quiet window
// after the other readings (see touchedMemory); 0 if not measured.
type memory struct {
	rss, hwm, anon, file, pss, uss, touched int64
	mappings                                string // residentByMapping, for -v
}

// readKB parses the "Key:   N kB" lines of a /proc file into the fields
// named in want.
func readKB(path string, want map[string]*int64) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		k, v, ok := strings.Cut(sc.Text(), ":")
		if !ok {
			continue
		}
		dst := want[k]
		if dst == nil {
			continue
		}
		kb, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
		if err != nil {
			return fmt.Errorf("bench/mux: %s: %s: %w", path, k, err)
		}
		*dst += kb << 10
	}
	return sc.Err()
}

func readMemory(pid int) (memory, error) {
	var m memory
	if err := readKB(fmt.Sprintf("/proc/%d/status", pid), map[string]*int64{
		"VmRSS": &m.rss, "VmHWM": &m.hwm, "RssAnon": &m.anon, "RssFile": &m.file,
	}); err != nil {
		return m, err
	}
	if m.rss == 0 {
		return m, fmt.Errorf("bench/mux: no VmRSS in /proc/%d/status", pid)
	}
	if err := readKB(fmt.Sprintf("/proc/%d/smaps_rollup", pid), map[string]*int64{
		"Pss": &m.pss, "Private_Clean": &m.uss, "Private_Dirty": &m.uss,
	}); err != nil {
		return m, err
	}
	m.mappings, _ = residentByMapping(pid)
	return m, nil
}

// residentByMapping sums pid's resident KiB (the Rss and Anonymous lines
// of /proc/PID/smaps) by kind of mapping — its executable's code (r-xp),
// constant data (r--p) and data (rw-p), anonymous mappings (the heap and
// runtime metadata, stacks), libraries — and counts its threads: where an
// idle server's resident set is, and what varies from run to run.
func residentByMapping(pid int) (string, error) {
	exe, err := os.Readlink(fmt.Sprintf("/proc/%d/exe", pid))
	if err != nil {
		return "", err
	}
	f, err := os.Open(fmt.Sprintf("/proc/%d/smaps", pid))
	if err != nil {
		return "", err
	}
	defer f.Close()
	type sum struct{ rss, anon, n, max int64 }
	kinds := []string{"binary r-xp", "binary r--p", "binary rw-p", "anonymous", "libraries"}
	sums := map[string]*sum{}
	for _, k := range kinds {
		sums[k] = &sum{}
	}
	var cur *sum
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) >= 5 && strings.Contains(fields[0], "-") && !strings.HasSuffix(fields[0], ":") {
			path := ""
			if len(fields) >= 6 {
				path = fields[5]
			}
			switch {
			case path == exe:
				cur = sums["binary "+fields[1]]
			case path == "" || path == "[heap]" || path == "[stack]":
				cur = sums["anonymous"]
			case strings.HasPrefix(path, "["): // [vdso], [vvar]: the kernel's
				cur = nil
			default:
				cur = sums["libraries"]
			}
			if cur != nil {
				cur.n++
			}
			continue
		}
		if cur == nil || len(fields) < 2 || (fields[0] != "Rss:" && fields[0] != "Anonymous:") {
			continue
		}
		kb, _ := strconv.ParseInt(fields[1], 10, 64)
		if fields[0] == "Rss:" {
			cur.rss += kb
			cur.max = max(cur.max, kb)
		} else {
			cur.anon += kb
		}
	}
	if err := sc.Err(); err != nil {
		return "", err
	}
	tasks, _ := os.ReadDir(fmt.Sprintf("/proc/%d/task", pid))
	var b strings.Builder
	fmt.Fprintf(&b, "%d threads", len(tasks))
	for _, k := range kinds {
		if s := sums[k]; s != nil && s.n > 0 {
			fmt.Fprintf(&b, "; %s %d KiB", k, s.rss)
			if s.anon > 0 && s.anon != s.rss {
				fmt.Fprintf(&b, " (%d anonymous)", s.anon)
			}
			if k == "anonymous" {
				fmt.Fprintf(&b, " in %d mappings, largest %d", s.n, s.max)
			}
		}
	}
	return b.String(), nil
}

// touchedMemory clears the referenced bits of pid's pages (writing 1 to
// /proc/PID/clear_refs, proc(5)), waits d, and returns how much of its
// own executable's and its anonymous (heap, stack) resident memory it
// referenced meanwhile (the Referenced lines of /proc/PID/smaps): the
// working set of a quiet server, as opposed to what start-up left mapped.
// Shared libraries are left out: a page of libc is reported referenced
// when any process touched it, which would credit the server with the
// whole machine's use of libc (and, for tmux, leaves out its own use of
// libc and libevent).
func touchedMemory(pid int, d time.Duration) (int64, error) {
	exe, err := os.Readlink(fmt.Sprintf("/proc/%d/exe", pid))
	if err != nil {
		return 0, err
	}
	if err := os.WriteFile(fmt.Sprintf("/proc/%d/clear_refs", pid), []byte("1"), 0); err != nil {
		return 0, err
	}
	time.Sleep(d)
	f, err := os.Open(fmt.Sprintf("/proc/%d/smaps", pid))
	if err != nil {
		return 0, err
	}
	defer f.Close()
	var ref int64
	own := false
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		fields := strings.Fields(line)
		if len(fields) >= 5 && strings.Contains(fields[0], "-") && !strings.HasSuffix(fields[0], ":") {
			// A mapping's header: range perms offset dev inode [path].
			path := ""
			if len(fields) >= 6 {
				path = fields[5]
			}
			own = path == "" || path == exe || path == "[heap]" || path == "[stack]"
			continue
		}
		if !own || !strings.HasPrefix(line, "Referenced:") {
			continue
		}
		kb, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(strings.TrimPrefix(line, "Referenced:")), " kB"), 10, 64)
		if err != nil {
			return 0, fmt.Errorf("bench/mux: /proc/%d/smaps: %w", pid, err)
		}
		ref += kb << 10
	}
	return ref, sc.Err()
}

// stopPID ends a process this program started (or whose PID a server it
// started reported): SIGTERM, then SIGKILL if it is still alive after a
// second.
func stopPID(pid int) {
	if pid <= 0 || !alive(pid) {
		return
	}
	syscall.Kill(pid, syscall.SIGTERM)
	for range 100 {
		if !alive(pid) {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	syscall.Kill(pid, syscall.SIGKILL)
}
