// Command plugins measures what gosh's plugins cost (issue 7's benchmark):
//
//	go run ./bench/plugins [-n 20000] [-status-n 1000] [-v]   # from the repository root
//
// It builds the real example plugins (examples/plugins/predict-prompt and
// status-sysinfo) into a temporary directory, starts them with the plugin
// host (package plugins) exactly as gosh does, and reports:
//
//   - predictor round trip: one Host.Predict call to the predict-prompt
//     subprocess over go-plugin's gRPC, with gosh's default 5 ms deadline
//     (p50, p90, p99, p99.9, max, and how many calls missed the deadline).
//     Aim: p99 under 1 ms.
//   - status round trip: a StatusView.Update with a cwd-change event until
//     the view's OnChange says the new segments are in (the daemon's path:
//     the host's status loop wakes, calls Segments on the status-sysinfo
//     subprocess, which reads /proc/loadavg and .git/HEAD, and stores the
//     answer). The cwd alternates between two repositories on different
//     branches, so every event changes the segments.
//   - keystroke to screen, in process: a key typed at a shell prompt, from
//     the prediction engine receiving it (predict.Engine.NewUserInput) to
//     the overlay frame the client draws (Engine.Apply) holding the
//     character, with the built-in heuristic and with predict-prompt as the
//     heuristic (through the same adapter as the client's,
//     cli.pluginHeuristic, copied here because cli is internal to
//     cmd/gosh). It excludes tcell's drawing and the terminal, which cost
//     the same with and without a plugin.
//
// It is a benchmark: it asserts nothing. Samples are wall-clock times on a
// shared machine; compare p50s across runs and read p99s as "what a bad
// moment costs".
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"time"

	"github.com/goshterm/gosh/plugins"
	"github.com/goshterm/gosh/predict"
	"github.com/goshterm/gosh/sdk"
	"github.com/goshterm/gosh/vt"
)

func main() {
	n := flag.Int("n", 20000, "predictor calls and keystrokes to time")
	statusN := flag.Int("status-n", 1000, "status round trips to time")
	verbose := flag.Bool("v", false, "print progress to stderr")
	flag.Parse()
	logf := func(format string, a ...any) {
		if *verbose {
			fmt.Fprintf(os.Stderr, format+"\n", a...)
		}
	}

	dir, err := os.MkdirTemp("", "gosh-bench-plugins-")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	pp := build(dir, "predict-prompt")
	si := build(dir, "status-sysinfo")
	logf("built plugins in %s", dir)

	fmt.Printf("gosh plugin benchmark — %s/%s, %d CPUs, %s, load %s\n\n", runtime.GOOS, runtime.GOARCH, runtime.NumCPU(), runtime.Version(), loadavg())

	// Predictor round trip.
	h := start(plugins.Spec{Name: "predict-prompt", Path: pp}, sdk.KindPredictor)
	req := sdk.PredictRequest{Key: []byte("l"), Lines: []string{"total 0", "ann@box:~$ "}, CursorLine: 1, CursorCol: 11,
		Pane: sdk.Pane{Rect: sdk.Rect{Width: 80, Height: 24}, Program: "bash"}, SRTT: 80 * time.Millisecond}
	ctx := context.Background()
	for range 1000 { // warm up: connections, goroutines, the plugin's regexps
		h.Predict(ctx, req)
	}
	rtt := make([]time.Duration, 0, *n)
	misses := 0
	for range *n {
		t0 := time.Now()
		_, ok := h.Predict(ctx, req)
		rtt = append(rtt, time.Since(t0))
		if !ok {
			misses++
		}
	}
	row("predictor call (Host.Predict → predict-prompt)", rtt, fmt.Sprintf("%d of %d missed the 5 ms deadline", misses, *n))

	// Keystroke to screen, built-in heuristic vs the plugin.
	builtin := keystrokes(*n, nil)
	row("keystroke → overlay, built-in heuristic", builtin, "")
	withPlugin := keystrokes(*n, pluginHeuristic{host: h})
	row("keystroke → overlay, predict-prompt plugin", withPlugin, "")
	h.Close()

	// Status round trip.
	hs := start(plugins.Spec{Name: "sysinfo", Path: si, Args: []string{"-refresh", "1h"}}, sdk.KindStatus)
	repos := [2]string{repo(dir, "a", "main"), repo(dir, "b", "topic")}
	changed := make(chan struct{}, 1)
	v := hs.NewStatusView(sdk.StatusRequest{Session: sdk.Session{Name: "bench"}, Pane: sdk.Pane{ID: "%0", Cwd: repos[1]}})
	v.OnChange(func() {
		select {
		case changed <- struct{}{}:
		default:
		}
	})
	wait := func() bool {
		select {
		case <-changed:
			return true
		case <-time.After(5 * time.Second):
			return false
		}
	}
	wait() // the attach event's answer
	status := make([]time.Duration, 0, *statusN)
	lost := 0
	for i := range *statusN + 50 {
		r := sdk.StatusRequest{Session: sdk.Session{Name: "bench"}, Pane: sdk.Pane{ID: "%0", Cwd: repos[i%2]},
			Event: sdk.Event{Kind: sdk.EventCwdChange, PaneID: "%0"}}
		t0 := time.Now()
		v.Update(r)
		ok := wait()
		if i >= 50 { // the first 50 warm up
			if ok {
				status = append(status, time.Since(t0))
			} else {
				lost++
			}
		}
	}
	v.Close()
	hs.Close()
	row("status event → new segments (StatusView → status-sysinfo)", status, fmt.Sprintf("%d lost", lost))
}

// build compiles examples/plugins/name into dir.
func build(dir, name string) string {
	out := filepath.Join(dir, plugins.PluginPrefix+name)
	cmd := exec.Command("go", "build", "-o", out, "./examples/plugins/"+name)
	cmd.Stderr = os.Stderr
	if err := cmd.Run(); err != nil {
		log.Fatalf("build %s (run from the repository root): %v", name, err)
	}
	return out
}

// start runs one plugin and waits for its handshake.
func start(s plugins.Spec, kind sdk.Kind) *plugins.Host {
	h := plugins.Start(plugins.Config{Plugins: []plugins.Spec{s}, Only: kind})
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := h.Wait(ctx); err != nil {
		log.Fatal(err)
	}
	// Wait returns once the handshake is done; the state follows.
	for end := time.Now().Add(10 * time.Second); h.Plugins()[0].State != plugins.StateRunning; time.Sleep(10 * time.Millisecond) {
		if in := h.Plugins()[0]; time.Now().After(end) || in.State == plugins.StateFailed {
			log.Fatalf("%s: %v: %s", in.Name, in.State, in.LastError)
		}
	}
	return h
}

// repo makes a directory that looks like a git work tree on branch.
func repo(dir, name, branch string) string {
	p := filepath.Join(dir, name)
	if err := os.MkdirAll(filepath.Join(p, ".git"), 0o755); err != nil {
		log.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(p, ".git", "HEAD"), []byte("ref: refs/heads/"+branch+"\n"), 0o644); err != nil {
		log.Fatal(err)
	}
	return p
}

// keystrokes times n keys typed at a bash prompt through a fresh engine
// each (the first key of a burst, the one a heuristic decides to show at
// once), from NewUserInput to an overlay holding the character. A key the
// overlay does not show is timed all the same and counted.
func keystrokes(n int, heur predict.Heuristic) []time.Duration {
	fb := vt.NewScreen(80, 24)
	fb.WriteString("\x1b[24;1Hann@box:~$ ")
	facts := predict.PaneFacts{Known: true, Rect: predict.Rect{W: 80, H: 24}, Program: "bash"}
	out := make([]time.Duration, 0, n)
	hidden := 0
	for i := range n + 1000 {
		e := predict.New(predict.Config{Mode: predict.Adaptive, Heuristic: heur})
		e.SetPane(facts)
		e.SetSRTT(80 * time.Millisecond)
		e.SetSendInterval(50 * time.Millisecond) // a slow link: adaptive mode draws guesses
		now := time.Now()
		t0 := time.Now()
		e.NewUserInput(now, []byte("l"), 1, fb)
		shown := e.Apply(fb).Cell(11, 23).Text == "l"
		d := time.Since(t0)
		if i >= 1000 {
			out = append(out, d)
			if !shown {
				hidden++
			}
		}
	}
	if hidden > 0 {
		fmt.Printf("  (%d of %d keys were not shown at once)\n", hidden, n)
	}
	return out
}

// row prints one measurement's quantiles in microseconds.
func row(what string, d []time.Duration, note string) {
	if len(d) == 0 {
		fmt.Printf("%-60s no samples %s\n", what, note)
		return
	}
	slices.Sort(d)
	q := func(p float64) float64 { return float64(d[int(p*float64(len(d)-1))]) / float64(time.Microsecond) }
	fmt.Printf("%-60s n=%-6d p50 %8.1f µs  p90 %8.1f  p99 %8.1f  p99.9 %8.1f  max %8.1f", what, len(d), q(0.5), q(0.9), q(0.99), q(0.999), q(1))
	if note != "" {
		fmt.Printf("  (%s)", note)
	}
	fmt.Println()
}

func loadavg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil || len(b) < 14 {
		return "?"
	}
	return string(b[:14])
}

// pluginHeuristic mirrors cmd/gosh/internal/cli's adapter from predictor
// plugins to predict.Heuristic (which bench cannot import): a plugin's
// Predict is shown at once, DontPredict skips, Reset resets, and no answer
// leaves the key to the built-in heuristic.
type pluginHeuristic struct{ host *plugins.Host }

func (p pluginHeuristic) Decide(k predict.KeyContext) predict.Decision {
	req := sdk.PredictRequest{Key: []byte(k.Key.Seq), Lines: k.Lines, CursorLine: k.Row, CursorCol: k.Col, SRTT: k.SRTT,
		Pane: sdk.Pane{Rect: sdk.Rect{X: k.Bounds.X, Y: k.Bounds.Y, Width: k.Bounds.W, Height: k.Bounds.H},
			Echo: k.Pane.Echo || !k.Pane.Known, Canonical: k.Pane.Canonical, Program: k.Pane.Program}}
	ans, ok := p.host.Predict(context.Background(), req)
	if !ok {
		return predict.Decision{}
	}
	switch ans.Decision {
	case sdk.Predict:
		return predict.Decision{Verdict: predict.Predict, Immediate: true}
	case sdk.DontPredict:
		return predict.Decision{Verdict: predict.Skip}
	case sdk.Reset:
		return predict.Decision{Verdict: predict.Reset}
	}
	return predict.Decision{}
}
