//go:build e2e

package integration

import (
	"context"
	"encoding/json"
	"errors"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gdamore/tcell/v2"

	"github.com/goshterm/gosh/cmd/gosh/internal/cli"
	"github.com/goshterm/gosh/cmd/gosh/internal/client"
	"github.com/goshterm/gosh/mux"
	"github.com/goshterm/gosh/mux/muxtest"
	"github.com/goshterm/gosh/plugins"
	"github.com/goshterm/gosh/predict"
	"github.com/goshterm/gosh/sdk"
	"github.com/goshterm/gosh/ssp"
)

// The predictor tests run the real tcell client (on a SimulationScreen)
// with the predict-prompt example plugin as its heuristic, against a real
// mux server whose pane plays a prompt and swallows what is typed without
// echoing it (raw mode, echo off, as a line editor or a password reader
// that draws nothing). The client's prediction statistics, written when it
// exits, say what the engine did with the keys.

// promptScript is a pane program that sets the pane's title (OSC 2) when
// title is not empty, shows prompt, reads one key without echo, then
// prints GOT. It runs as "reader", a copy of /bin/sh, so that the pane's
// foreground program is no shell the built-in heuristic knows.
func promptScript(t *testing.T, prompt, title string) string {
	t.Helper()
	b, err := os.ReadFile("/bin/sh")
	if err != nil {
		t.Fatal(err)
	}
	reader := filepath.Join(t.TempDir(), "reader")
	if err := os.WriteFile(reader, b, 0o755); err != nil {
		t.Fatal(err)
	}
	setTitle := ""
	if title != "" {
		setTitle = `printf '\\033]2;%s\\007' '` + title + `'; `
	}
	return "exec " + reader + ` -c "stty raw -echo; ` + setTitle + `printf '%s' '` + prompt + `'; dd bs=1 count=1 >/dev/null 2>&1; printf '\r\nGOT\r\n'; sleep 60"`
}

// simScreen serialises tcell's SimulationScreen's Show with the test's
// reads, as the client's own session tests do.
type simScreen struct {
	tcell.SimulationScreen
	mu *sync.Mutex
}

func (s simScreen) Init() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.SimulationScreen.Init()
}

func (s simScreen) Fini() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.SimulationScreen.Fini()
}

func (s simScreen) Show() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.SimulationScreen.Show()
}

func (s simScreen) Sync() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.SimulationScreen.Sync()
}

// SetTitle and title guard the simulation's title, which the client sets
// from its render goroutine.
func (s simScreen) SetTitle(title string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.SimulationScreen.SetTitle(title)
}

func (s simScreen) title() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.GetTitle()
}

func (s simScreen) text() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	cells, w, _ := s.GetContents()
	var b strings.Builder
	for i, c := range cells {
		if i > 0 && i%w == 0 {
			b.WriteByte('\n')
		}
		if len(c.Runes) > 0 {
			b.WriteRune(c.Runes[0])
		} else {
			b.WriteByte(' ')
		}
	}
	return b.String()
}

// predictorHost runs the predict-prompt plugin as a client would.
func predictorHost(t *testing.T) *plugins.Host {
	t.Helper()
	exe := buildPlugin(t, "./examples/plugins/predict-prompt", t.TempDir(), "gosh-plugin-predict-prompt")
	// The test's deadline is generous so that a loaded machine can't turn
	// the plugin's answer into "no answer" (the built-in heuristic); the
	// benchmark measures the real latency against the 5 ms default.
	h := plugins.Start(plugins.Config{Plugins: []plugins.Spec{{Name: "predict-prompt", Path: exe}},
		Only: sdk.KindPredictor, PredictTimeout: 5 * time.Second})
	t.Cleanup(func() { h.Close() })
	ctx, cancel := context.WithTimeout(context.Background(), pollDeadline)
	defer cancel()
	if err := h.Wait(ctx); err != nil {
		t.Fatal(err)
	}
	// Wait returns once the handshake is done; the state follows.
	waitFor(t, "predict-prompt running", func() bool { return h.Plugins()[0].State == plugins.StateRunning })
	if in := h.Plugins()[0]; in.Kind != sdk.KindPredictor {
		t.Fatalf("predict-prompt: %+v", in)
	}
	return h
}

// typeAtPrompt runs a client with heur (nil: the built-in heuristic) in
// mode against a pane that shows prompt, types one key when the prompt is
// on the client's screen, waits for the pane to have read it, and returns
// the client's prediction statistics.
func typeAtPrompt(t *testing.T, heur predict.Heuristic, mode predict.Mode, prompt string) predict.Stats {
	t.Helper()
	return typeAtTitledPrompt(t, heur, mode, prompt, "")
}

// typeAtTitledPrompt is typeAtPrompt in a pane whose program sets its
// title first (when title is not empty); the key is typed once the title
// is on the client's terminal.
func typeAtTitledPrompt(t *testing.T, heur predict.Heuristic, mode predict.Mode, prompt, title string) predict.Stats {
	t.Helper()
	s := muxtest.NewServer(t)
	muxtest.MustRun(t, s, "new-session", "-d", "-s", "p", "-x", "80", "-y", "23", promptScript(t, prompt, title))
	resp := s.Handle(context.Background(), mux.Request{Version: mux.ProtocolVersion, Argv: []string{"attach-session", "-t", "p"},
		Attach: &mux.AttachRequest{Cols: 80, Rows: 24, Term: "xterm-256color"}})
	if resp.Code != 0 || resp.Attach == nil {
		t.Fatalf("attach: %s", resp.Stderr)
	}
	key, err := ssp.ParseKey(resp.Attach.Key)
	if err != nil {
		t.Fatal(err)
	}
	sim := simScreen{SimulationScreen: tcell.NewSimulationScreen("UTF-8"), mu: &sync.Mutex{}}
	sim.SetSize(80, 24)
	stats := filepath.Join(t.TempDir(), "stats.json")
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- client.Run(ctx, client.Config{Server: netip.AddrPortFrom(netip.MustParseAddr("127.0.0.1"), uint16(resp.Attach.Port)),
			Key: key, Screen: sim, Predict: mode, Heuristic: heur, StatsFile: stats})
	}()
	stopped := false
	stop := func() {
		if !stopped {
			stopped = true
			cancel()
			if err := <-done; err != nil && !errors.Is(err, context.Canceled) && !errors.Is(err, client.ErrUncleanShutdown) {
				t.Errorf("client: %v", err)
			}
		}
	}
	t.Cleanup(stop)

	waitFor(t, "the prompt on the client's screen", func() bool { return strings.Contains(sim.text(), prompt) })
	if title != "" {
		waitFor(t, "the pane's title on the client's terminal", func() bool { return sim.title() == title })
	}
	// The pane's facts (raw, no echo, the program) travel with the
	// frames: wait until the server sees the reader's terminal state.
	waitFor(t, "the pane's program", func() bool {
		out, _ := muxtest.Run(s, "display-message", "-p", "-t", "p", "#{pane_current_command}")
		return strings.TrimSpace(out) == "reader"
	})
	sim.InjectKey(tcell.KeyRune, 'x', tcell.ModNone)
	waitFor(t, "the pane to read the key", func() bool { return strings.Contains(sim.text(), "GOT") })
	stop()
	b, err := os.ReadFile(stats)
	if err != nil {
		t.Fatal(err)
	}
	var st predict.Stats
	if err := json.Unmarshal(b, &st); err != nil {
		t.Fatalf("stats %s: %v", b, err)
	}
	if st.Keys == 0 {
		t.Fatalf("the client's engine saw no key: %+v", st)
	}
	return st
}

func TestPluginPredictPromptPassword(t *testing.T) {
	h := predictorHost(t)
	// Control: at a raw, silent "Password:" line, the built-in heuristic
	// in mode always guesses the key (it can't tell a password reader
	// from a line editor).
	if st := typeAtPrompt(t, nil, predict.Always, "Password:"); st.Predicted == 0 {
		t.Fatalf("control: the built-in heuristic predicted nothing at the prompt (%+v); the test shows nothing", st)
	}
	// With the plugin nothing is guessed, even in mode always.
	if st := typeAtPrompt(t, cli.PluginHeuristic(h), predict.Always, "Password:"); st.Predicted != 0 || st.Shown != 0 {
		t.Fatalf("with predict-prompt a key typed after \"Password:\" was predicted: %+v", st)
	}
}

func TestPluginPredictPromptShellPrompt(t *testing.T) {
	h := predictorHost(t)
	// Control: the pane's program is not a shell gosh knows, so the
	// built-in heuristic waits for the server before showing its guess.
	if st := typeAtPrompt(t, nil, predict.Always, "ann@box:~$ "); st.Immediate != 0 {
		t.Fatalf("control: the built-in heuristic showed the first key at once: %+v", st)
	}
	// predict-prompt recognises the prompt: the first key is shown at once.
	st := typeAtPrompt(t, cli.PluginHeuristic(h), predict.Always, "ann@box:~$ ")
	if st.Immediate == 0 || st.Shown == 0 {
		t.Fatalf("with predict-prompt the first key after a shell prompt was not shown at once: %+v", st)
	}
}

// The pane's title travels from the server's frame through the client's
// engine to the predictor plugin: titlepredict predicts only under the
// title "predict-here".
func TestPluginPredictSeesPaneTitle(t *testing.T) {
	exe := buildPlugin(t, faultPlugins+"titlepredict", t.TempDir(), "gosh-plugin-titlepredict")
	h := plugins.Start(plugins.Config{Plugins: []plugins.Spec{{Name: "titlepredict", Path: exe}},
		Only: sdk.KindPredictor, PredictTimeout: 5 * time.Second})
	t.Cleanup(func() { h.Close() })
	waitFor(t, "titlepredict running", func() bool { return h.Plugins()[0].State == plugins.StateRunning })

	if st := typeAtTitledPrompt(t, cli.PluginHeuristic(h), predict.Always, "> ", "elsewhere"); st.Predicted != 0 {
		t.Fatalf("under another title the plugin's refusal was not followed: %+v", st)
	}
	if st := typeAtTitledPrompt(t, cli.PluginHeuristic(h), predict.Always, "> ", "predict-here"); st.Predicted == 0 {
		t.Fatalf("under the title \"predict-here\" the key was not predicted: the plugin did not see the title (%+v)", st)
	}
}
