package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// clockTicks is USER_HZ, the unit of utime and stime in /proc/PID/stat
// (proc(5)); it is 100 on every Linux architecture Go supports.
const clockTicks = 100

// procStat returns fields 3 onwards of /proc/PID/stat (field 3, the
// state, at index 0), split after the command name, which may itself
// contain spaces and parentheses (proc(5)).
func procStat(pid int) ([]string, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return nil, err
	}
	s := string(b)
	i := strings.LastIndexByte(s, ')')
	if i < 0 {
		return nil, fmt.Errorf("bench/ssp: malformed /proc/%d/stat", pid)
	}
	return strings.Fields(s[i+1:]), nil
}

// cpuTime is utime+stime (fields 14 and 15) of pid: all its threads, not
// its children.
func cpuTime(pid int) (time.Duration, error) {
	f, err := procStat(pid)
	if err != nil {
		return 0, err
	}
	if len(f) < 13 {
		return 0, fmt.Errorf("bench/ssp: short /proc/%d/stat", pid)
	}
	ut, err1 := strconv.ParseInt(f[11], 10, 64)
	st, err2 := strconv.ParseInt(f[12], 10, 64)
	if err1 != nil || err2 != nil {
		return 0, fmt.Errorf("bench/ssp: bad cpu fields in /proc/%d/stat", pid)
	}
	return time.Duration(ut+st) * time.Second / clockTicks, nil
}

// onCPU is the time pid's live threads have spent on a CPU, in
// nanoseconds: the first field of /proc/PID/task/*/schedstat (the
// scheduler's own accounting, kernel docs sched-stats.rst), summed. Unlike
// utime and stime it is not sampled at clock ticks, so the few
// milliseconds that typing costs are measured, not rounded to 10 ms.
// Exited threads are not counted (a Go server's threads do not exit).
func onCPU(pid int) time.Duration {
	sts, _ := filepath.Glob(fmt.Sprintf("/proc/%d/task/*/schedstat", pid))
	var ns int64
	for _, st := range sts {
		b, err := os.ReadFile(st)
		if err != nil {
			continue
		}
		if f := strings.Fields(string(b)); len(f) > 0 {
			v, _ := strconv.ParseInt(f[0], 10, 64)
			ns += v
		}
	}
	return time.Duration(ns)
}

// ctxSwitches is the sum of voluntary and involuntary context switches of
// pid's live threads (/proc/PID/task/*/status, proc(5)): roughly how often
// the server went to sleep and was woken. Exited threads are not counted.
func ctxSwitches(pid int) uint64 {
	sts, _ := filepath.Glob(fmt.Sprintf("/proc/%d/task/*/status", pid))
	var n uint64
	for _, st := range sts {
		b, err := os.ReadFile(st)
		if err != nil {
			continue
		}
		for _, l := range strings.Split(string(b), "\n") {
			if k, v, ok := strings.Cut(l, ":"); ok && strings.HasSuffix(k, "ctxt_switches") {
				c, _ := strconv.ParseUint(strings.TrimSpace(v), 10, 64)
				n += c
			}
		}
	}
	return n
}

// alive reports whether pid exists and is not a zombie (exited daemons
// linger as zombies on these machines: nothing reaps orphans).
func alive(pid int) bool {
	f, err := procStat(pid)
	return err == nil && len(f) > 0 && f[0] != "Z" && f[0] != "X"
}

// children lists the live processes whose parent is pid.
func children(pid int) []int {
	ents, _ := filepath.Glob("/proc/[0-9]*/stat")
	var out []int
	for _, e := range ents {
		c, err := strconv.Atoi(filepath.Base(filepath.Dir(e)))
		if err != nil {
			continue
		}
		f, err := procStat(c)
		if err != nil || len(f) < 2 {
			continue
		}
		if pp, _ := strconv.Atoi(f[1]); pp == pid && f[0] != "Z" {
			out = append(out, c)
		}
	}
	return out
}

// procs is every process this program started (directly or as a daemon
// it learnt the PID of), so that each is stopped by its PID at the end,
// also on failure or interrupt.
var procs struct {
	mu   sync.Mutex
	pids []int
	why  map[int]string
}

func track(pid int, what string) {
	if pid <= 0 {
		return
	}
	procs.mu.Lock()
	defer procs.mu.Unlock()
	if procs.why == nil {
		procs.why = map[int]string{}
	}
	if _, ok := procs.why[pid]; ok {
		return
	}
	procs.pids = append(procs.pids, pid)
	procs.why[pid] = what
}

// stopAll stops every tracked process, newest first: SIGTERM, a bounded
// wait, then SIGKILL.
func stopAll() {
	procs.mu.Lock()
	pids := procs.pids
	procs.pids = nil
	procs.why = nil
	procs.mu.Unlock()
	for i := len(pids) - 1; i >= 0; i-- {
		stop(pids[i])
	}
}

func stop(pid int) {
	if !alive(pid) {
		return
	}
	syscall.Kill(pid, syscall.SIGTERM)
	for end := time.Now().Add(2 * time.Second); time.Now().Before(end); time.Sleep(20 * time.Millisecond) {
		if !alive(pid) {
			return
		}
	}
	syscall.Kill(pid, syscall.SIGKILL)
}
