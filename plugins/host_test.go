package plugins

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha1"
	"encoding/binary"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/hashicorp/go-hclog"
	"go.uber.org/goleak"

	"github.com/goshterm/gosh/sdk"
)

func TestMain(m *testing.M) {
	if mode := os.Getenv(fixtureEnv); mode != "" {
		runFixture(mode)
		return
	}
	code := m.Run()
	if examplesDir != "" {
		os.RemoveAll(examplesDir)
	}
	if code == 0 {
		if err := goleak.Find(); err != nil {
			fmt.Fprintln(os.Stderr, "goleak:", err)
			code = 1
		}
	}
	os.Exit(code)
}

var (
	examplesOnce sync.Once
	examplesDir  string
	examplesErr  error
)

// buildExamples builds every plugin under examples/plugins into one
// temporary directory, once per test binary, as gosh-plugin-<dir>.
func buildExamples(t testing.TB) string {
	t.Helper()
	examplesOnce.Do(func() {
		examplesDir, examplesErr = os.MkdirTemp("", "gosh-plugins-examples")
		if examplesErr != nil {
			return
		}
		_, file, _, _ := runtime.Caller(0)
		root := filepath.Dir(filepath.Dir(file))
		for _, name := range []string{"status-sysinfo", "predict-prompt", "auth-allowlist"} {
			cmd := exec.Command("go", "build", "-o", filepath.Join(examplesDir, PluginPrefix+name), "./examples/plugins/"+name)
			cmd.Dir = root
			if out, err := cmd.CombinedOutput(); err != nil {
				examplesErr = fmt.Errorf("go build %s: %v\n%s", name, err, out)
				return
			}
		}
	})
	if examplesErr != nil {
		t.Fatal(examplesErr)
	}
	return examplesDir
}

// fixture returns a Spec that runs this test binary as a misbehaving plugin.
func fixture(t *testing.T, mode string) Spec {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	return Spec{Name: mode, Path: exe, Env: []string{fixtureEnv + "=" + mode, fixtureStateEnv + "=" + t.TempDir()}}
}

// testConfig has short back-offs so that restarts happen within a test.
func testConfig(specs ...Spec) Config {
	return Config{
		Plugins:        specs,
		PredictTimeout: 5 * time.Second, // functional tests: a slow -race run is not a fault
		StatusTimeout:  5 * time.Second,
		AuthTimeout:    5 * time.Second,
		BackoffMin:     20 * time.Millisecond,
		BackoffMax:     200 * time.Millisecond,
	}
}

func startHost(t *testing.T, cfg Config) *Host {
	t.Helper()
	h := Start(cfg)
	t.Cleanup(func() { h.Close() })
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := h.Wait(ctx); err != nil {
		t.Fatalf("plugins did not settle: %v", err)
	}
	return h
}

// eventually polls cond until it holds; the bound only stops a broken test
// from hanging, it is not a latency assertion.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for range 3000 {
		if cond() {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("never happened: %s", what)
}

func pluginInfo(h *Host, name string) Info {
	for _, in := range h.Plugins() {
		if in.Name == name {
			return in
		}
	}
	return Info{}
}

func texts(segs []sdk.Segment) []string {
	var out []string
	for _, s := range segs {
		out = append(out, s.Text)
	}
	return out
}

func hasText(segs []sdk.Segment, text string) bool {
	for _, s := range segs {
		if s.Text == text {
			return true
		}
	}
	return false
}

func hasMarker(segs []sdk.Segment) bool {
	for _, s := range segs {
		if strings.HasPrefix(s.Text, MarkerPrefix) {
			return true
		}
	}
	return false
}

// syncBuffer is a bytes.Buffer for a logger written from several goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// The three examples, found in a plugins directory, each do their job
// through the host.
func TestExamplesThroughHost(t *testing.T) {
	bin := buildExamples(t)
	dir := t.TempDir()
	for _, name := range []string{"status-sysinfo", "predict-prompt", "auth-allowlist"} {
		if err := os.Symlink(filepath.Join(bin, PluginPrefix+name), filepath.Join(dir, PluginPrefix+name)); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(dir, "README"), []byte("not executable"), 0o644); err != nil {
		t.Fatal(err)
	}
	allow := filepath.Join(t.TempDir(), "allowlist.json")
	if err := os.WriteFile(allow, []byte(`{
		"sessions": {"pair": {"allow": ["ann"], "read_only": ["bob"]}, "secure": {"allow": ["ann"], "totp": true}},
		"totp_secrets": {"ann": "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"}
	}`), 0o600); err != nil {
		t.Fatal(err)
	}
	conf := filepath.Join(t.TempDir(), "config.yaml")
	if err := os.WriteFile(conf, fmt.Appendf(nil, "plugins:\n  - path: %s\n    kind: authorizer\n    args: [-config, %s]\n",
		filepath.Join(dir, PluginPrefix+"auth-allowlist"), allow), 0o644); err != nil {
		t.Fatal(err)
	}
	specs, err := Load(conf, dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(specs) != 3 {
		t.Fatalf("Load found %d plugins, want 3 (the README is not executable, the allowlist is listed once): %+v", len(specs), specs)
	}
	h := startHost(t, testConfig(specs...))
	for _, in := range h.Plugins() {
		if in.State != StateRunning || in.Version != "0.1.0" {
			t.Errorf("plugin %s: %v %q (%s)", in.Name, in.State, in.Version, in.LastError)
		}
	}
	want := map[string]sdk.Kind{"auth-allowlist": sdk.KindAuthorizer, "predict-prompt": sdk.KindPredictor, "status-sysinfo": sdk.KindStatus}
	for name, k := range want {
		if got := pluginInfo(h, name).Kind; got != k {
			t.Errorf("plugin %s: kind %v, want %v (learned from the handshake)", name, got, k)
		}
	}

	t.Run("status-sysinfo", func(t *testing.T) {
		repo := t.TempDir()
		if err := os.MkdirAll(filepath.Join(repo, ".git"), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(repo, ".git", "HEAD"), []byte("ref: refs/heads/trunk\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		v := h.NewStatusView(sdk.StatusRequest{Session: sdk.Session{Name: "s"}, Pane: sdk.Pane{Cwd: repo}})
		defer v.Close()
		eventually(t, "the git branch segment appears", func() bool { return hasText(v.Segments(), " trunk ") })
		segs := v.Segments()
		if len(segs) < 2 || hasMarker(segs) {
			t.Errorf("segments %q: want branch, load average and clock, no marker", texts(segs))
		}
		// A cwd change is an event: the branch goes away at once.
		v.Update(sdk.StatusRequest{Session: sdk.Session{Name: "s"}, Pane: sdk.Pane{Cwd: t.TempDir()}, Event: sdk.Event{Kind: sdk.EventCwdChange}})
		eventually(t, "the branch segment goes after cd", func() bool { return !hasText(v.Segments(), " trunk ") })
	})

	t.Run("predict-prompt", func(t *testing.T) {
		ctx := context.Background()
		p, ok := h.Predict(ctx, sdk.PredictRequest{Key: []byte("h"), Lines: []string{"[sudo] password for ann:"}, CursorCol: 25, Pane: sdk.Pane{Echo: true}})
		if !ok || p.Decision != sdk.DontPredict {
			t.Errorf("password prompt: %v %v, want dont-predict", p.Decision, ok)
		}
		p, ok = h.Predict(ctx, sdk.PredictRequest{Key: []byte("l"), Lines: []string{"ann@box:~$"}, CursorCol: 11, Pane: sdk.Pane{Echo: true}})
		if !ok || p.Decision != sdk.Predict {
			t.Errorf("shell prompt: %v %v, want predict", p.Decision, ok)
		}
	})

	t.Run("auth-allowlist", func(t *testing.T) {
		ctx := context.Background()
		d := h.Authorize(ctx, sdk.AuthRequest{User: "eve", Session: "pair"})
		if d.Verdict != sdk.Deny || d.Reason != `eve may not attach to session "pair"` {
			t.Errorf("stranger: %v %q", d.Verdict, d.Reason)
		}
		if d := h.Authorize(ctx, sdk.AuthRequest{User: "bob", Session: "pair"}); d.Verdict != sdk.ReadOnly {
			t.Errorf("read-only user: %v %q", d.Verdict, d.Reason)
		}
		if d := h.Authorize(ctx, sdk.AuthRequest{User: "ann", Session: "pair"}); d.Verdict != sdk.Allow {
			t.Errorf("allowed user: %v %q", d.Verdict, d.Reason)
		}
		req := sdk.AuthRequest{User: "ann", Session: "secure"}
		ch := h.Authorize(ctx, req)
		if ch.Verdict != sdk.Challenge || ch.Prompt != "TOTP code for ann: " {
			t.Fatalf("totp: %+v, want a challenge", ch)
		}
		wrong, err := h.Answer(ctx, sdk.ChallengeAnswer{Request: req, ChallengeID: ch.ChallengeID, Answer: "000000x"})
		if err != nil || wrong.Verdict != sdk.Deny || wrong.Reason != "wrong TOTP code" {
			t.Errorf("wrong code: %+v, %v", wrong, err)
		}
		right, err := h.Answer(ctx, sdk.ChallengeAnswer{Request: req, ChallengeID: ch.ChallengeID, Answer: totpNow([]byte("12345678901234567890"))})
		if err != nil || right.Verdict != sdk.Allow {
			t.Errorf("right code: %+v, %v", right, err)
		}
		if _, err := h.Answer(ctx, sdk.ChallengeAnswer{Request: req, ChallengeID: "forged", Answer: "1"}); err == nil {
			t.Error("a forged challenge id was accepted")
		}
	})
}

// totpNow is RFC 6238 with SHA-1, 30 s and 6 digits, written again here so
// that the test does not trust the plugin's own implementation.
func totpNow(key []byte) string {
	var msg [8]byte
	binary.BigEndian.PutUint64(msg[:], uint64(time.Now().Unix()/30))
	m := hmac.New(sha1.New, key)
	m.Write(msg[:])
	s := m.Sum(nil)
	o := s[19] & 15
	return fmt.Sprintf("%06d", (binary.BigEndian.Uint32(s[o:])&0x7fffffff)%1000000)
}

// A status plugin that exits or panics mid-call leaves its previous
// segments on the line with a marker, and is back after a back-off.
func TestStatusCrashRestarts(t *testing.T) {
	for _, mode := range []string{"status-exit", "status-panic"} {
		t.Run(mode, func(t *testing.T) {
			logs := &syncBuffer{}
			cfg := testConfig(fixture(t, mode))
			cfg.Logger = hclog.New(&hclog.LoggerOptions{Output: logs, Level: hclog.Debug})
			h := startHost(t, cfg)
			v := h.NewStatusView(sdk.StatusRequest{Session: sdk.Session{Name: "ok"}})
			defer v.Close()
			eventually(t, "first segments", func() bool { return hasText(v.Segments(), "gen 1") })

			v.Update(sdk.StatusRequest{Session: sdk.Session{Name: "fault"}, Event: sdk.Event{Kind: sdk.EventCommandExit}})
			eventually(t, "the crash is noticed", func() bool { return pluginInfo(h, mode).Restarts >= 1 })
			// While it is down, or once it is back, the old segments never vanish.
			segs := v.Segments()
			if !hasText(segs, "gen 1") && !hasText(segs, "gen 2") {
				t.Errorf("segments after crash %q lost the previous text", texts(segs))
			}
			eventually(t, "the restarted plugin renders", func() bool {
				s := v.Segments()
				return hasText(s, "gen 2") && !hasMarker(s)
			})
			in := pluginInfo(h, mode)
			if in.State != StateRunning || in.Restarts != 1 || !strings.Contains(in.LastError, "plugin exited") {
				t.Errorf("after restart: %+v", in)
			}
			if !strings.Contains(logs.String(), "generation 2 says hello") {
				t.Errorf("the plugin's stderr did not reach the host logger:\n%s", logs)
			}
		})
	}
}

// The marker is visible while the plugin is down: with a long back-off the
// window is wide enough to look at it.
func TestStatusMarkerWhileDown(t *testing.T) {
	cfg := testConfig(fixture(t, "status-exit"))
	cfg.BackoffMin, cfg.BackoffMax = time.Hour, time.Hour
	h := startHost(t, cfg)
	v := h.NewStatusView(sdk.StatusRequest{Session: sdk.Session{Name: "ok"}})
	defer v.Close()
	var changes atomic.Int32
	v.OnChange(func() { changes.Add(1) })
	eventually(t, "first segments", func() bool { return hasText(v.Segments(), "gen 1") })
	n := changes.Load()
	v.Update(sdk.StatusRequest{Session: sdk.Session{Name: "fault"}, Event: sdk.Event{Kind: sdk.EventPaneFocus}})
	eventually(t, "marker shown", func() bool { return hasMarker(v.Segments()) })
	eventually(t, "the daemon is told the plugin is down", func() bool { return changes.Load() > n })
	segs := v.Segments()
	if !hasText(segs, "gen 1") || !hasText(segs, MarkerPrefix+"status-exit restarting") {
		t.Errorf("segments %q: want the previous segment and the marker", texts(segs))
	}
}

// A status plugin that hangs keeps the previous segments; after
// MaxTimeouts calls in a row it is restarted.
func TestStatusHang(t *testing.T) {
	cfg := testConfig(fixture(t, "status-hang"))
	cfg.StatusTimeout = 100 * time.Millisecond
	cfg.MaxTimeouts = 2
	h := startHost(t, cfg)
	v := h.NewStatusView(sdk.StatusRequest{Session: sdk.Session{Name: "ok"}})
	defer v.Close()
	eventually(t, "first segments", func() bool { return hasText(v.Segments(), "gen 1") })
	fault := sdk.StatusRequest{Session: sdk.Session{Name: "fault"}, Event: sdk.Event{Kind: sdk.EventCommandExit}}
	v.Update(fault)
	eventually(t, "one call timed out", func() bool {
		pr := h.procs[0]
		pr.mu.Lock()
		defer pr.mu.Unlock()
		return pr.timeouts >= 1
	})
	if segs := v.Segments(); !hasText(segs, "gen 1") {
		t.Errorf("segments %q after a timeout: want the previous ones", texts(segs))
	}
	v.Update(fault)
	eventually(t, "the hung plugin is restarted", func() bool { return hasText(v.Segments(), "gen 2") })
	if in := pluginInfo(h, "status-hang"); !strings.Contains(in.LastError, "hung") {
		t.Errorf("last error %q does not say it hung", in.LastError)
	}
}

// A predictor that exits mid-call gives no answer (the client uses its
// built-in heuristic), answers nothing while down without blocking, and is
// back after the back-off.
func TestPredictorCrash(t *testing.T) {
	h := startHost(t, testConfig(fixture(t, "predict-exit")))
	ctx := context.Background()
	req := sdk.PredictRequest{Key: []byte("a"), Lines: []string{"$"}, Pane: sdk.Pane{Rect: sdk.Rect{Width: 80, Height: 24}}}
	p, ok := h.Predict(ctx, req)
	if !ok || p.Decision != sdk.DontPredict {
		t.Fatalf("Predict = %v, %v", p, ok)
	}
	// Garbage cells (outside the pane, an escape) are dropped.
	if len(p.Cells) != 1 || p.Cells[0] != (sdk.PredictedCell{Row: 0, Col: 0, Text: "x"}) {
		t.Errorf("cells %+v: want only the valid one", p.Cells)
	}
	crash := req
	crash.Key = []byte("!")
	if _, ok := h.Predict(ctx, crash); ok {
		t.Error("a crashed call answered")
	}
	eventually(t, "the predictor is back", func() bool {
		_, ok := h.Predict(ctx, req)
		return ok
	})
	if in := pluginInfo(h, "predict-exit"); in.Restarts != 1 || in.State != StateRunning {
		t.Errorf("after restart: %+v", in)
	}
}

// A predictor that hangs hits the deadline and the next key is answered.
func TestPredictorHang(t *testing.T) {
	cfg := testConfig(fixture(t, "predict-hang"))
	cfg.PredictTimeout = 50 * time.Millisecond
	h := startHost(t, cfg)
	ctx := context.Background()
	if _, ok := h.Predict(ctx, sdk.PredictRequest{Key: []byte("h")}); ok {
		t.Error("a hung call answered")
	}
	eventually(t, "the next key is answered", func() bool {
		p, ok := h.Predict(ctx, sdk.PredictRequest{Key: []byte("a")})
		return ok && p.Decision == sdk.DontPredict
	})
}

// Refusals name the plugin and say why, and do not stop the others.
func TestRefusals(t *testing.T) {
	dir := t.TempDir()
	script := filepath.Join(dir, "gosh-plugin-script")
	if err := os.WriteFile(script, []byte("#!/bin/sh\necho I am a shell script\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	wrongKind := fixture(t, "status-exit")
	wrongKind.Name, wrongKind.Kind = "wrong-kind", sdk.KindAuthorizer
	h := startHost(t, testConfig(
		fixture(t, "version"),
		fixture(t, "stdout-garbage"),
		Spec{Name: "script", Path: script},
		Spec{Name: "missing", Path: filepath.Join(dir, "nope")},
		wrongKind,
		fixture(t, "exit-at-start"),
		fixture(t, "status-garbage"),
	))
	tests := map[string]string{
		"version":        `"version" speaks gosh plugin protocol 99, but this gosh speaks 1`,
		"stdout-garbage": `"stdout-garbage" is not a gosh plugin: its first line of output was "hello, I am not a plugin"`,
		"script":         `"script" is not a gosh plugin: its first line of output was "I am a shell script"`,
		"missing":        `"missing"`,
		"wrong-kind":     `"wrong-kind" is a status plugin, but the config says authorizer`,
	}
	for name, want := range tests {
		in := pluginInfo(h, name)
		if in.State != StateFailed || !strings.Contains(in.LastError, want) {
			t.Errorf("%s: %v %q; want failed with %q", name, in.State, in.LastError, want)
		}
	}
	eventually(t, "a plugin dying at start gives up", func() bool { return pluginInfo(h, "exit-at-start").State == StateFailed })
	if in := pluginInfo(h, "exit-at-start"); !strings.Contains(in.LastError, "exited before") {
		t.Errorf("exit-at-start: %q", in.LastError)
	}
	// The well-behaved garbage writer still works: its escapes are stripped.
	v := h.NewStatusView(sdk.StatusRequest{})
	defer v.Close()
	eventually(t, "sanitised segments", func() bool { return hasText(v.Segments(), "]0;pwnedok[31m") })
	if len(v.Segments()) != 1 {
		t.Errorf("segments %q: the all-control segment should be dropped", texts(v.Segments()))
	}
}

// With no plugins the host answers at once: no prediction, allow, empty
// status line.
func TestNoPlugins(t *testing.T) {
	h := startHost(t, Config{})
	if _, ok := h.Predict(context.Background(), sdk.PredictRequest{}); ok {
		t.Error("Predict answered with no predictor")
	}
	if d := h.Authorize(context.Background(), sdk.AuthRequest{}); d.Verdict != sdk.Allow {
		t.Errorf("Authorize = %+v, want allow", d)
	}
	v := h.NewStatusView(sdk.StatusRequest{})
	if segs := v.Segments(); len(segs) != 0 {
		t.Errorf("segments %q", texts(segs))
	}
	v.Close()
}

// kill -9 of a running plugin: the host notices, restarts it after the
// back-off and the status line recovers, with the new process's PID.
func TestKill9(t *testing.T) {
	h := startHost(t, testConfig(fixture(t, "status-exit")))
	v := h.NewStatusView(sdk.StatusRequest{Session: sdk.Session{Name: "ok"}})
	defer v.Close()
	eventually(t, "first segments", func() bool { return hasText(v.Segments(), "gen 1") })
	var changes atomic.Int32
	v.OnChange(func() { changes.Add(1) })
	before := pluginInfo(h, "status-exit")
	if before.PID <= 0 {
		t.Fatalf("no pid: %+v", before)
	}
	if err := syscall.Kill(before.PID, syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	eventually(t, "the killed plugin is back", func() bool {
		in := pluginInfo(h, "status-exit")
		return in.State == StateRunning && in.Restarts == 1 && hasText(v.Segments(), "gen 2")
	})
	// Down, up, and the new segments: the daemon recomposes each time.
	eventually(t, "the daemon is told", func() bool { return changes.Load() >= 3 })
	if after := pluginInfo(h, "status-exit"); after.PID == before.PID {
		t.Errorf("same pid %d after restart", after.PID)
	}
}

// A client's host runs predictors only: others are stopped after the
// handshake, or not started when the config names their kind.
func TestOnlyKind(t *testing.T) {
	status := fixture(t, "status-exit")
	pinned := fixture(t, "status-exit")
	pinned.Name, pinned.Kind = "pinned", sdk.KindStatus
	cfg := testConfig(fixture(t, "predict-exit"), status, pinned)
	cfg.Only = sdk.KindPredictor
	h := startHost(t, cfg)
	infos := h.Plugins()
	if len(infos) != 2 {
		t.Fatalf("plugins %+v: the pinned status plugin should not be listed", infos)
	}
	if in := pluginInfo(h, "status-exit"); in.State != StateStopped || in.LastError != "" || in.Kind != sdk.KindStatus {
		t.Errorf("status plugin in a predictor host: %+v", in)
	}
	if _, ok := h.Predict(context.Background(), sdk.PredictRequest{Key: []byte("a")}); !ok {
		t.Error("the predictor does not answer")
	}
}
