package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/base64"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// memResult is one server's memory after a scenario.
type memResult struct {
	mem   memory
	cpu   time.Duration // the server's CPU from start to the measurement
	panes int
}

// idleMemory starts a server with one session of one pane (the default
// shell, /bin/sh) at width×height, waits for the prompt and settle, and
// reads the server's VmRSS and VmHWM.
func idleMemory(m *muxer, width, height, history int, settle, touch time.Duration) (memResult, error) {
	defer m.stop()
	if err := m.start(history, "new-session", "-d", "-s", "idle", "-x", strconv.Itoa(width), "-y", strconv.Itoa(height)); err != nil {
		return memResult{}, err
	}
	if err := m.waitPrompt("idle", 10*time.Second); err != nil {
		return memResult{}, err
	}
	time.Sleep(settle)
	return measure(m, 1, touch)
}

// loadedMemory starts a server with sessions sessions of panes panes each
// (split, then select-layout tiled, in a width×height window), runs fill
// (a command printing lines lines) in every pane, waits until every pane
// shows its end marker and holds at least lines lines of history,
// settles, and reads the server's memory.
func loadedMemory(m *muxer, sessions, panes, lines, width, height int, fill string, settle, touch time.Duration, verbose bool) (memResult, error) {
	defer m.stop()
	w, h := strconv.Itoa(width), strconv.Itoa(height)
	if err := m.start(lines, "new-session", "-d", "-s", "m0", "-x", w, "-y", h); err != nil {
		return memResult{}, err
	}
	var targets []string
	for s := range sessions {
		name := "m" + strconv.Itoa(s)
		if s > 0 {
			if _, err := m.run("new-session", "-d", "-s", name, "-x", w, "-y", h); err != nil {
				return memResult{}, err
			}
		}
		for range panes - 1 {
			if _, err := m.run("split-window", "-t", name); err != nil {
				return memResult{}, err
			}
		}
		if _, err := m.run("select-layout", "-t", name, "tiled"); err != nil {
			return memResult{}, err
		}
		for p := range panes {
			targets = append(targets, name+":0."+strconv.Itoa(p))
		}
	}
	for _, t := range targets {
		if _, err := m.run("send-keys", "-t", t, fill+"; echo FILL$((4000+1))", "Enter"); err != nil {
			return memResult{}, err
		}
	}
	for _, t := range targets {
		if _, err := m.waitLine(t, "FILL4001", 50*time.Millisecond, 2*time.Minute); err != nil {
			return memResult{}, err
		}
	}
	// Every pane must hold the whole output in its history (each line is
	// one row: the panes are wider than the lines).
	out, err := m.run("list-panes", "-a", "-F", "#{pane_id} #{pane_width}x#{pane_height} #{history_size}")
	if err != nil {
		return memResult{}, err
	}
	n := 0
	for l := range strings.Lines(out) {
		f := strings.Fields(l)
		if len(f) != 3 {
			continue
		}
		n++
		if hs, _ := strconv.Atoi(f[2]); hs < lines-height {
			return memResult{}, fmt.Errorf("%s: pane %s holds %s lines of history, want about %d", m.kind, f[0], f[2], lines)
		}
		if verbose && n == 1 {
			fmt.Fprintf(os.Stderr, "%s: first pane %s %s, history %s lines\n", m.kind, f[0], f[1], f[2])
		}
	}
	if n != sessions*panes {
		return memResult{}, fmt.Errorf("%s: %d panes, want %d", m.kind, n, sessions*panes)
	}
	time.Sleep(settle)
	return measure(m, n, touch)
}

// measure reads the server's memory and CPU time, then, unless touch is
// 0, what it references during touch more of quiet.
func measure(m *muxer, panes int, touch time.Duration) (memResult, error) {
	mem, err := readMemory(m.pid)
	if err != nil {
		return memResult{}, err
	}
	cpu, _ := cpuTime(m.pid)
	if touch > 0 {
		if mem.touched, err = touchedMemory(m.pid, touch); err != nil {
			return memResult{}, err
		}
	}
	return memResult{mem: mem, cpu: cpu, panes: panes}, nil
}

// catRun is one timed cat of the data file through a pane.
type catRun struct {
	wall   time.Duration // send-keys until the marker is on screen (polled)
	inPane time.Duration // from before cat to after it, timed by the shell
	cpu    time.Duration // the server's CPU over wall
}

// catServer starts a server with a single width×height pane for the
// throughput runs, with the default history-limit.
func catServer(m *muxer, width, height int) error {
	if err := m.start(0, "new-session", "-d", "-s", "cat", "-x", strconv.Itoa(width), "-y", strconv.Itoa(height)); err != nil {
		return err
	}
	return m.waitPrompt("cat", 10*time.Second)
}

// catOnce types "cat FILE; echo DONE<n>" (with the shell timing cat
// itself) into the pane and polls until the marker is on screen. The
// marker is printed only after cat's last byte went through the pty, and
// the multiplexer applies its pty's output in order, so seeing it means
// the whole file was parsed.
func catOnce(m *muxer, file string, n int, poll time.Duration) (catRun, error) {
	marker := "DONE" + strconv.Itoa(n)
	line := fmt.Sprintf("s=$(date +%%s%%N); cat %s; e=$(date +%%s%%N); echo DONE$((%d+1)) $(( (e-s)/1000 ))", file, n-1)
	cpu0, err := cpuTime(m.pid)
	if err != nil {
		return catRun{}, err
	}
	t0 := time.Now()
	if _, err := m.run("send-keys", "-t", "cat", line, "Enter"); err != nil {
		return catRun{}, err
	}
	got, err := m.waitLine("cat", marker+" ", poll, 5*time.Minute)
	wall := time.Since(t0)
	if err != nil {
		return catRun{}, err
	}
	cpu1, _ := cpuTime(m.pid)
	us, _ := strconv.ParseInt(strings.TrimPrefix(got, marker+" "), 10, 64)
	return catRun{wall: wall, inPane: time.Duration(us) * time.Microsecond, cpu: cpu1 - cpu0}, nil
}

// perfCat records the server with perf during one extra (untimed) cat run
// and writes perf's report beside the data: KIND.perf.data and
// KIND.perf.txt in dir.
func perfCat(m *muxer, file string, n int, poll time.Duration, dir string) (string, error) {
	data := filepath.Join(dir, m.kind+".perf.data")
	rec := exec.Command("perf", "record", "-F", "999", "-g", "-p", strconv.Itoa(m.pid), "-o", data)
	var errb bytes.Buffer
	rec.Stdout, rec.Stderr = &errb, &errb
	if err := rec.Start(); err != nil {
		return "", fmt.Errorf("perf record: %w", err)
	}
	time.Sleep(300 * time.Millisecond) // let perf attach
	_, runErr := catOnce(m, file, n, poll)
	rec.Process.Signal(syscall.SIGINT)
	rec.Wait() // perf exits by the signal; the data file tells whether it recorded
	if fi, err := os.Stat(data); runErr == nil && (err != nil || fi.Size() == 0) {
		runErr = fmt.Errorf("perf record wrote nothing: %s", errb.String())
	}
	if runErr != nil {
		return "", runErr
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	rep, err := exec.CommandContext(ctx, "perf", "report", "-i", data, "--stdio", "--no-children",
		"--sort", "symbol", "-g", "none", "--percent-limit", "1").Output()
	if err != nil {
		return "", fmt.Errorf("perf report: %w", err)
	}
	txt := filepath.Join(dir, m.kind+".perf.txt")
	return txt, os.WriteFile(txt, rep, 0o644)
}

// writeData writes about size bytes of terminal output to path, the same
// bytes every time: 76-column base64 lines of seeded pseudo-random bytes
// (incompressible, like head -c N /dev/urandom | base64), every fourth of
// them cut into words in 16-, 256- and 24-bit colours with an SGR reset
// at the end, as in coloured ls, grep or compiler output. It returns the
// exact size written.
func writeData(path string, size int) (int, error) {
	f, err := os.Create(path)
	if err != nil {
		return 0, err
	}
	w := bufio.NewWriter(f)
	rng := rand.New(rand.NewPCG(20, 26))
	raw := make([]byte, 57)
	enc := make([]byte, base64.StdEncoding.EncodedLen(len(raw)))
	var line []byte
	total := 0
	for i := 0; ; i++ {
		for j := range raw {
			raw[j] = byte(rng.Uint32())
		}
		base64.StdEncoding.Encode(enc, raw)
		line = line[:0]
		if i%4 == 3 {
			for k := 0; k < len(enc); k += 12 {
				switch k / 12 % 3 {
				case 0:
					line = fmt.Appendf(line, "\x1b[1;3%dm", rng.IntN(8))
				case 1:
					line = fmt.Appendf(line, "\x1b[38;5;%dm", rng.IntN(256))
				default:
					line = fmt.Appendf(line, "\x1b[38;2;%d;%d;%dm", rng.IntN(256), rng.IntN(256), rng.IntN(256))
				}
				line = append(line, enc[k:min(k+12, len(enc))]...)
				line = append(line, ' ')
			}
			line = append(line, "\x1b[m"...)
		} else {
			line = append(line, enc...)
		}
		line = append(line, '\n')
		if total+len(line) > size && total > 0 {
			break
		}
		w.Write(line)
		total += len(line)
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return 0, err
	}
	return total, f.Close()
}

// composeResult is one sub-benchmark of mux/compose's BenchmarkCompose.
type composeResult struct {
	name          string
	ns            float64
	bytes, allocs string
}

var benchLine = regexp.MustCompile(`^BenchmarkCompose/(\S+?)(?:-\d+)?\s+\d+\s+([\d.]+) ns/op(?:\s+(\d+) B/op\s+(\d+) allocs/op)?`)

// composeBench runs the compose package's own benchmark (a 4-pane 200x60
// frame: 200x59 of panes, borders and a status line) count times and
// keeps each sub-benchmark's best.
func composeBench(benchtime string, count int) ([]composeResult, string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	c := exec.CommandContext(ctx, "go", "test", "-run", "^$", "-bench", "^BenchmarkCompose$", "-benchmem",
		"-benchtime", benchtime, "-count", strconv.Itoa(count), "./mux/compose")
	out, err := c.CombinedOutput()
	if err != nil {
		return nil, string(out), fmt.Errorf("go test -bench Compose: %v", err)
	}
	var res []composeResult
	for l := range strings.Lines(string(out)) {
		mm := benchLine.FindStringSubmatch(strings.TrimSpace(l))
		if mm == nil {
			continue
		}
		ns, _ := strconv.ParseFloat(mm[2], 64)
		i := slices.IndexFunc(res, func(r composeResult) bool { return r.name == mm[1] })
		if i < 0 {
			res = append(res, composeResult{name: mm[1], ns: ns, bytes: mm[3], allocs: mm[4]})
		} else if ns < res[i].ns {
			res[i].ns = ns
		}
	}
	if len(res) == 0 {
		return nil, string(out), fmt.Errorf("no BenchmarkCompose results in go test output")
	}
	return res, string(out), nil
}
