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
// VmHWM, RssAnon, RssFile), in bytes.
type memory struct{ rss, hwm, anon, file int64 }

func readMemory(pid int) (memory, error) {
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return memory{}, err
	}
	defer f.Close()
	var m memory
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		k, v, ok := strings.Cut(sc.Text(), ":")
		if !ok {
			continue
		}
		var dst *int64
		switch k {
		case "VmRSS":
			dst = &m.rss
		case "VmHWM":
			dst = &m.hwm
		case "RssAnon":
			dst = &m.anon
		case "RssFile":
			dst = &m.file
		default:
			continue
		}
		kb, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
		if err != nil {
			return memory{}, fmt.Errorf("bench/mux: /proc/%d/status: %s: %w", pid, k, err)
		}
		*dst = kb << 10
	}
	if m.rss == 0 {
		return m, fmt.Errorf("bench/mux: no VmRSS in /proc/%d/status", pid)
	}
	return m, sc.Err()
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
