// Command mux is issue 4's benchmark: gosh's multiplexer daemon beside a
// private tmux server in the same run — the daemon's memory idle and with
// 10 sessions × 4 panes of 10,000 lines of scrollback, the time to compose
// a 4-pane 200x60 frame, and the throughput of cat of 20 MB through a
// pane until the marker after it is on screen. Aim: memory no more than
// tmux's, throughput at least tmux's. See README.md.
//
// Run from the repository root: go run ./bench/mux
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

type config struct {
	gosh          string
	goshTags      string
	runs          int
	mb            int
	sessions      int
	panes         int
	lines         int
	fill          string
	goshEnv       string
	width, height int
	poll, settle  time.Duration
	touch         time.Duration
	only          map[string]bool
	perfDir       string
	benchtime     string
	benchCount    int
	verbose       bool
	keep          bool
}

// servers is every server this program started, stopped at exit by PID.
var (
	serversMu sync.Mutex
	servers   []*muxer
)

func track(m *muxer) *muxer {
	serversMu.Lock()
	defer serversMu.Unlock()
	servers = append(servers, m)
	return m
}

func stopAll() {
	serversMu.Lock()
	defer serversMu.Unlock()
	for _, m := range servers {
		m.stop()
	}
}

func main() {
	var cfg config
	var size, only string
	flag.StringVar(&cfg.gosh, "gosh", "", "a prebuilt gosh binary (default: build ./cmd/gosh)")
	flag.StringVar(&cfg.goshTags, "gosh-tags", "", "build tags for ./cmd/gosh (e.g. grpcnotrace); CGO_ENABLED from the environment applies too")
	flag.IntVar(&cfg.runs, "runs", 3, "timed cat runs per multiplexer (interleaved)")
	flag.IntVar(&cfg.mb, "mb", 20, "size of the cat file in MB (10^6 bytes)")
	flag.IntVar(&cfg.sessions, "sessions", 10, "sessions in the loaded memory scenario")
	flag.IntVar(&cfg.panes, "panes", 4, "panes per session in the loaded memory scenario")
	flag.IntVar(&cfg.lines, "lines", 10000, "lines of scrollback per pane (and history-limit) in the loaded scenario")
	flag.StringVar(&cfg.fill, "fill", "seq", "what fills the loaded panes: seq (seq 1 LINES: short lines) or text (LINES lines of the cat file's kind: about 80 columns, a quarter coloured)")
	flag.StringVar(&cfg.goshEnv, "gosh-env", "", "comma-separated `KEY=VALUE`s added to gosh's environment (e.g. GOGC=50), for experiments")
	flag.StringVar(&size, "size", "200x60", "window size for every session")
	flag.DurationVar(&cfg.poll, "poll", 5*time.Millisecond, "pause between capture-pane polls while waiting for the cat marker")
	flag.DurationVar(&cfg.settle, "settle", 12*time.Second, "wait before reading memory (gosh's daemon sheds its start-up pages after 10 s of quiet)")
	flag.DurationVar(&cfg.touch, "touch", 5*time.Second, "after reading memory, how long to watch which pages the quiet server references (0: skip)")
	flag.StringVar(&only, "only", "mem,compose,cat", "comma-separated parts to run")
	flag.StringVar(&cfg.perfDir, "perf", "", "after the timed runs, perf record each server during one more cat into `dir`")
	flag.StringVar(&cfg.benchtime, "benchtime", "1s", "go test -benchtime for BenchmarkCompose")
	flag.IntVar(&cfg.benchCount, "count", 3, "go test -count for BenchmarkCompose (the best is kept)")
	flag.BoolVar(&cfg.verbose, "v", false, "print every run")
	flag.BoolVar(&cfg.keep, "keep", false, "keep the temporary directory")
	flag.Parse()
	w, h, ok := strings.Cut(size, "x")
	cfg.width, _ = strconv.Atoi(w)
	cfg.height, _ = strconv.Atoi(h)
	if !ok || cfg.width < 20 || cfg.height < 10 || cfg.runs < 1 || (cfg.fill != "seq" && cfg.fill != "text") || cfg.mb < 1 || cfg.sessions < 1 || cfg.panes < 1 {
		fmt.Fprintln(os.Stderr, "bench/mux: bad flags")
		os.Exit(2)
	}
	cfg.only = map[string]bool{}
	for _, p := range strings.Split(only, ",") {
		cfg.only[strings.TrimSpace(p)] = true
	}

	sig := make(chan os.Signal, 1)
	signal.Notify(sig, os.Interrupt, syscall.SIGTERM)
	go func() {
		<-sig
		stopAll()
		os.Exit(130)
	}()
	err := run(&cfg)
	stopAll()
	if err != nil {
		fmt.Fprintln(os.Stderr, "bench/mux:", err)
		os.Exit(1)
	}
}

func run(cfg *config) error {
	if _, err := os.Stat("go.mod"); err != nil && cfg.gosh == "" {
		return fmt.Errorf("run from the repository root (no go.mod here)")
	}
	tmuxBin, err := exec.LookPath("tmux")
	if err != nil {
		return fmt.Errorf("tmux is needed (apt-get install -y tmux): %w", err)
	}
	dir, err := os.MkdirTemp("", "bench-mux-")
	if err != nil {
		return err
	}
	if cfg.keep {
		fmt.Fprintln(os.Stderr, "temporary directory:", dir)
	} else {
		defer os.RemoveAll(dir)
	}
	if cfg.gosh == "" {
		cfg.gosh = filepath.Join(dir, "gosh")
		args := []string{"build", "-o", cfg.gosh}
		if cfg.goshTags != "" {
			args = append(args, "-tags", cfg.goshTags)
		}
		build := exec.Command("go", append(args, "./cmd/gosh")...)
		if _, set := os.LookupEnv("CGO_ENABLED"); !set {
			// As the README builds it: static, no libc mapped.
			build.Env = append(os.Environ(), "CGO_ENABLED=0")
		}
		if out, err := build.CombinedOutput(); err != nil {
			return fmt.Errorf("go build ./cmd/gosh: %v\n%s", err, out)
		}
		// Written back, as an installed binary is: the daemon's start-up
		// page release takes dirty page-cache pages of a just-written file
		// far more easily than clean ones (RssFile 0.2-0.5 vs 0.9-2.3 MiB
		// idle), which would flatter gosh.
		if err := syncFile(cfg.gosh); err != nil {
			return err
		}
	}
	tag := strconv.Itoa(os.Getpid())
	bins := map[string]string{"gosh": cfg.gosh, "tmux": tmuxBin}
	newServer := func(kind, what string) (*muxer, error) {
		m, err := newMuxer(kind, bins[kind], dir, "bench-"+what+"-"+tag)
		if err != nil {
			return nil, err
		}
		if kind == "gosh" && cfg.goshEnv != "" {
			m.env = append(m.env, strings.Split(cfg.goshEnv, ",")...)
		}
		return track(m), nil
	}
	rep := report{cfg: cfg, load0: loadavg()}

	if cfg.only["mem"] {
		for _, kind := range []string{"gosh", "tmux"} {
			m, err := newServer(kind, "idle")
			if err != nil {
				return err
			}
			r, err := idleMemory(m, cfg.width, cfg.height, cfg.lines, cfg.settle, cfg.touch)
			if err != nil {
				return err
			}
			rep.idle[idx(kind)] = r
			logf(cfg, "%s idle: VmRSS %s VmHWM %s; %s", kind, mib(r.mem.rss), mib(r.mem.hwm), r.mem.mappings)
		}
		fill := "seq 1 " + strconv.Itoa(cfg.lines)
		if cfg.fill == "text" {
			file := filepath.Join(dir, "fill.txt")
			if _, err := writeData(file, cfg.lines*200); err != nil {
				return err
			}
			fill = "head -n " + strconv.Itoa(cfg.lines) + " " + file
		}
		for _, kind := range []string{"gosh", "tmux"} {
			m, err := newServer(kind, "loaded")
			if err != nil {
				return err
			}
			t0 := time.Now()
			r, err := loadedMemory(m, cfg.sessions, cfg.panes, cfg.lines, cfg.width, cfg.height, fill, cfg.settle, cfg.touch, cfg.verbose)
			if err != nil {
				return err
			}
			rep.loaded[idx(kind)] = r
			logf(cfg, "%s loaded: VmRSS %s VmHWM %s, server CPU %v, %v; %s", kind, mib(r.mem.rss), mib(r.mem.hwm), r.cpu, time.Since(t0).Round(time.Millisecond), r.mem.mappings)
		}
	}

	if cfg.only["compose"] {
		res, out, err := composeBench(cfg.benchtime, cfg.benchCount)
		if err != nil {
			return fmt.Errorf("%v\n%s", err, out)
		}
		rep.compose = res
		if cfg.verbose {
			fmt.Fprint(os.Stderr, out)
		}
	}

	if cfg.only["cat"] {
		file := filepath.Join(dir, "data.txt")
		n, err := writeData(file, cfg.mb*1000*1000)
		if err != nil {
			return err
		}
		rep.catBytes = n
		g, err := newServer("gosh", "cat")
		if err != nil {
			return err
		}
		t, err := newServer("tmux", "cat")
		if err != nil {
			return err
		}
		for _, m := range []*muxer{g, t} {
			if err := catServer(m, cfg.width, cfg.height); err != nil {
				return err
			}
			// An untimed warm-up: page cache, the shell, first-use tables.
			if _, err := catOnce(m, file, 100, cfg.poll); err != nil {
				return err
			}
		}
		for i := range cfg.runs {
			for k, m := range []*muxer{g, t} {
				r, err := catOnce(m, file, 1000+i, cfg.poll)
				if err != nil {
					return err
				}
				rep.cat[k] = append(rep.cat[k], r)
				logf(cfg, "%s cat run %d: %v (%.1f MB/s), in pane %v, server CPU %v", m.kind, i+1,
					r.wall.Round(time.Millisecond), mbps(n, r.wall), r.inPane.Round(time.Millisecond), r.cpu)
			}
		}
		if cfg.perfDir != "" {
			if err := os.MkdirAll(cfg.perfDir, 0o755); err != nil {
				return err
			}
			for _, m := range []*muxer{g, t} {
				txt, err := perfCat(m, file, 9000, cfg.poll, cfg.perfDir)
				if err != nil {
					return err
				}
				fmt.Fprintf(os.Stderr, "%s: perf report in %s\n", m.kind, txt)
			}
		}
		g.stop()
		t.stop()
	}
	rep.load1 = loadavg()
	rep.print(os.Stdout)
	return nil
}

func idx(kind string) int {
	if kind == "gosh" {
		return 0
	}
	return 1
}

func logf(cfg *config, format string, args ...any) {
	if cfg.verbose {
		fmt.Fprintf(os.Stderr, format+"\n", args...)
	}
}

func loadavg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "?"
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "?"
	}
	return strings.Join(f[:3], " ")
}

func mib(b int64) string {
	if b < 1<<20 {
		return fmt.Sprintf("%d KiB", b>>10)
	}
	return fmt.Sprintf("%.1f MiB", float64(b)/(1<<20))
}

func mbps(n int, d time.Duration) float64 { return float64(n) / 1e6 / d.Seconds() }

// report collects a run's results; index 0 is gosh, 1 tmux.
type report struct {
	cfg          *config
	load0, load1 string
	idle, loaded [2]memResult
	compose      []composeResult
	catBytes     int
	cat          [2][]catRun
}

func (r *report) print(w *os.File) {
	cfg := r.cfg
	fmt.Fprintf(w, "%s, %s, %d CPUs, %s, %s, load average %s → %s\n\n", time.Now().Format("2006-01-02"),
		cpuModel(), runtime.NumCPU(), runtime.Version(), tmuxVersion(), r.load0, r.load1)
	fmt.Fprintln(w, "| measure | gosh | tmux | gosh/tmux | aim |")
	fmt.Fprintln(w, "|---|---:|---:|---:|---|")
	var verdicts []string
	if r.idle[0].mem.rss > 0 {
		row := func(name string, g, t int64, aim bool) {
			ratio := float64(g) / float64(t)
			a := ""
			if aim {
				a = "≤ 1"
				if ratio > 1 {
					a += fmt.Sprintf(" — **missed** (%.1fx)", ratio)
				} else {
					a += " — met"
				}
			}
			rs := fmt.Sprintf("%.2f", ratio)
			if t == 0 {
				rs = "–"
			}
			fmt.Fprintf(w, "| %s | %s | %s | %s | %s |\n", name, mib(g), mib(t), rs, a)
			if aim && ratio > 1 {
				verdicts = append(verdicts, fmt.Sprintf("%s: gosh uses %.1fx tmux's", name, ratio))
			}
		}
		row("daemon VmRSS, 1 session × 1 pane idle", r.idle[0].mem.rss, r.idle[1].mem.rss, true)
		row("daemon VmHWM, 1 session × 1 pane idle", r.idle[0].mem.hwm, r.idle[1].mem.hwm, false)
		row("… of which RssAnon (heap, stacks)", r.idle[0].mem.anon, r.idle[1].mem.anon, false)
		row("… of which RssFile (binary, libraries)", r.idle[0].mem.file, r.idle[1].mem.file, false)
		row("daemon PSS (shared pages split among their users), idle", r.idle[0].mem.pss, r.idle[1].mem.pss, false)
		row("daemon USS (Private_Clean + Private_Dirty), idle", r.idle[0].mem.uss, r.idle[1].mem.uss, false)
		if cfg.touch > 0 {
			row(fmt.Sprintf("… binary and anonymous pages it referenced in the next %v (quiet)", cfg.touch), r.idle[0].mem.touched, r.idle[1].mem.touched, false)
		}
		loaded := fmt.Sprintf("%d sessions × %d panes × %d lines (%s)", cfg.sessions, cfg.panes, cfg.lines, cfg.fill)
		row("daemon VmRSS, "+loaded, r.loaded[0].mem.rss, r.loaded[1].mem.rss, true)
		row("daemon VmHWM, "+loaded, r.loaded[0].mem.hwm, r.loaded[1].mem.hwm, false)
		row("… of which RssAnon (heap, stacks)", r.loaded[0].mem.anon, r.loaded[1].mem.anon, false)
		row("daemon PSS, loaded", r.loaded[0].mem.pss, r.loaded[1].mem.pss, false)
		row("daemon USS, loaded", r.loaded[0].mem.uss, r.loaded[1].mem.uss, false)
		if cfg.touch > 0 {
			row(fmt.Sprintf("… binary and anonymous pages it referenced in the next %v (quiet)", cfg.touch), r.loaded[0].mem.touched, r.loaded[1].mem.touched, false)
		}
		per := func(i int) int64 {
			return (r.loaded[i].mem.rss - r.idle[i].mem.rss) / int64(max(1, r.loaded[i].panes))
		}
		g, t := per(0), per(1)
		fmt.Fprintf(w, "| per loaded pane (loaded − idle RSS) / %d | %.0f KiB | %.0f KiB | %.2f | |\n",
			r.loaded[0].panes, float64(g)/1024, float64(t)/1024, float64(g)/float64(t))
		fmt.Fprintf(w, "| server CPU to create and fill the loaded scenario | %.2f s | %.2f s | %.2f | |\n",
			r.loaded[0].cpu.Seconds(), r.loaded[1].cpu.Seconds(), r.loaded[0].cpu.Seconds()/r.loaded[1].cpu.Seconds())
	}
	for _, c := range r.compose {
		extra := ""
		if c.allocs != "" {
			extra = fmt.Sprintf(" (%s B, %s allocs)", c.bytes, c.allocs)
		}
		fmt.Fprintf(w, "| compose 4-pane 200x60 frame, %s | %.1f µs%s | n/a | | |\n", c.name, c.ns/1000, extra)
	}
	if len(r.cat[0]) > 0 {
		label := fmt.Sprintf("cat %.0f MB to the marker", float64(r.catBytes)/1e6)
		best := func(i int) time.Duration {
			return slices.MinFunc(r.cat[i], func(a, b catRun) int { return int(a.wall - b.wall) }).wall
		}
		med := func(i int, f func(catRun) time.Duration) time.Duration {
			ds := make([]time.Duration, len(r.cat[i]))
			for j, c := range r.cat[i] {
				ds[j] = f(c)
			}
			slices.Sort(ds)
			return ds[len(ds)/2]
		}
		wall := func(c catRun) time.Duration { return c.wall }
		in := func(c catRun) time.Duration { return c.inPane }
		cpu := func(c catRun) time.Duration { return c.cpu }
		tput := func(name string, g, t time.Duration, aim bool) {
			gm, tm := mbps(r.catBytes, g), mbps(r.catBytes, t)
			a := ""
			if aim {
				a = "≥ 1"
				if gm < tm {
					a += fmt.Sprintf(" — **missed** (%.2fx)", gm/tm)
					verdicts = append(verdicts, fmt.Sprintf("%s: gosh moves %.2fx tmux's MB/s", name, gm/tm))
				} else {
					a += " — met"
				}
			}
			fmt.Fprintf(w, "| %s | %.1f MB/s | %.1f MB/s | %.2f | %s |\n", name, gm, tm, gm/tm, a)
		}
		tput(label+", best of "+strconv.Itoa(len(r.cat[0])), best(0), best(1), true)
		tput(label+", median", med(0, wall), med(1, wall), true)
		tput("cat as timed inside the pane, median", med(0, in), med(1, in), false)
		gc, tc := med(0, cpu), med(1, cpu)
		fmt.Fprintf(w, "| server CPU per cat run, median | %.2f s | %.2f s | %.2f | |\n", gc.Seconds(), tc.Seconds(), gc.Seconds()/tc.Seconds())
	}
	fmt.Fprintln(w)
	if len(verdicts) == 0 {
		fmt.Fprintln(w, "Verdict: the aim (memory no more than tmux's, throughput at least tmux's) is met.")
	} else {
		fmt.Fprintln(w, "Verdict: the aim (memory no more than tmux's, throughput at least tmux's) is missed —")
		for _, v := range verdicts {
			fmt.Fprintln(w, "-", v)
		}
	}
}

func cpuModel() string {
	b, err := os.ReadFile("/proc/cpuinfo")
	if err != nil {
		return "unknown CPU"
	}
	for l := range strings.Lines(string(b)) {
		if k, v, ok := strings.Cut(l, ":"); ok && strings.TrimSpace(k) == "model name" {
			return strings.TrimSpace(v)
		}
	}
	return "unknown CPU"
}

func tmuxVersion() string {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, "tmux", "-V").Output()
	if err != nil {
		return "tmux ?"
	}
	return strings.TrimSpace(string(out))
}

// syncFile writes path's dirty pages back to the disk (fsync).
func syncFile(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	return f.Sync()
}
