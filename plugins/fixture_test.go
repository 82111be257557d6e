package plugins

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/hashicorp/go-plugin"

	"github.com/goshterm/gosh/sdk"
)

// Misbehaving plugins for the fault tests. The test binary re-executes
// itself as a plugin (go-plugin's helperProcess pattern) when
// fixtureEnv names a mode, so that each fault is a real subprocess.
const (
	fixtureEnv      = "GOSH_PLUGINS_FIXTURE"
	fixtureStateEnv = "GOSH_PLUGINS_FIXTURE_STATE" // a directory shared across restarts
)

// generation counts the fixture's starts in the state directory, so that a
// fault can happen in the first life only.
func generation() int {
	dir := os.Getenv(fixtureStateEnv)
	if dir == "" {
		return 1
	}
	p := filepath.Join(dir, "generation")
	b, _ := os.ReadFile(p)
	n, _ := strconv.Atoi(string(b))
	n++
	_ = os.WriteFile(p, []byte(strconv.Itoa(n)), 0o644)
	return n
}

func runFixture(mode string) {
	gen := generation()
	fmt.Fprintf(os.Stderr, "fixture %s generation %d says hello\n", mode, gen)
	switch mode {
	case "status-exit", "status-panic", "status-hang", "status-garbage":
		sdk.Serve("fixture", &statusFixture{mode: mode, gen: gen})
	case "predict-exit", "predict-hang":
		sdk.Serve("fixture", &predictFixture{mode: mode, gen: gen})
	case "stdout-garbage":
		fmt.Println("hello, I am not a plugin")
		sdk.Serve("fixture", &predictFixture{mode: mode, gen: gen})
	case "version":
		set, _ := sdk.PluginSet("fixture", &predictFixture{mode: mode, gen: gen})
		hs := sdk.Handshake
		hs.ProtocolVersion = 99
		plugin.Serve(&plugin.ServeConfig{
			HandshakeConfig:  hs,
			VersionedPlugins: map[int]plugin.PluginSet{99: set},
			GRPCServer:       plugin.DefaultGRPCServer,
		})
	case "status-nowatch":
		// Served by go-plugin directly, without sdk.Serve's watch on its
		// parent: only the host's parent-death signal can stop it.
		set, _ := sdk.PluginSet("fixture", &statusFixture{mode: mode, gen: gen})
		plugin.Serve(&plugin.ServeConfig{
			HandshakeConfig:  sdk.Handshake,
			VersionedPlugins: map[int]plugin.PluginSet{sdk.ProtocolVersion: set},
			GRPCServer:       plugin.DefaultGRPCServer,
		})
	case "host":
		runHostFixture()
	case "exit-at-start":
		os.Exit(2)
	}
	os.Exit(0)
}

// runHostFixture is a host process for TestPluginDiesWithHost: it runs
// one status-nowatch plugin, prints the plugin's PID on stdout and waits
// to be killed (at most an hour).
func runHostFixture() {
	exe, err := os.Executable()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	h := Start(Config{Plugins: []Spec{{Name: "orphan", Path: exe, Env: []string{fixtureEnv + "=status-nowatch"}}}})
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := h.Wait(ctx); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	in := h.Plugins()[0]
	if in.State != StateRunning {
		fmt.Fprintf(os.Stderr, "plugin not running: %+v\n", in)
		os.Exit(1)
	}
	fmt.Println(in.PID)
	time.Sleep(time.Hour)
	os.Exit(0)
}

type statusFixture struct {
	mode string
	gen  int
}

func (f *statusFixture) Configure(context.Context) (sdk.StatusConfig, error) {
	return sdk.StatusConfig{}, nil
}

func (f *statusFixture) Segments(_ context.Context, req sdk.StatusRequest) ([]sdk.Segment, error) {
	if req.Session.Name == "fault" && f.gen == 1 {
		switch f.mode {
		case "status-exit":
			os.Exit(3)
		case "status-panic":
			panic("fixture panics mid-call")
		case "status-hang":
			time.Sleep(time.Hour)
		}
	}
	if f.mode == "status-garbage" {
		fmt.Println("\x1b[2Jgarbage on stdout")
		fmt.Fprintln(os.Stderr, "\x00\xffgarbage on stderr")
		return []sdk.Segment{{Text: "\x1b]0;pwned\x07ok\x1b[31m\u009b"}, {Text: "\x00\x01"}}, nil
	}
	return []sdk.Segment{{Text: fmt.Sprintf("gen %d", f.gen)}}, nil
}

type predictFixture struct {
	mode string
	gen  int
}

func (f *predictFixture) Predict(_ context.Context, req sdk.PredictRequest) (sdk.Prediction, error) {
	switch string(req.Key) {
	case "!":
		if f.mode == "predict-exit" && f.gen == 1 {
			os.Exit(3)
		}
	case "h":
		if f.mode == "predict-hang" {
			time.Sleep(time.Hour)
		}
	}
	return sdk.Prediction{Decision: sdk.DontPredict, Cells: []sdk.PredictedCell{
		{Row: 0, Col: 0, Text: "x"},
		{Row: 500, Col: 0, Text: "outside"},
		{Row: 0, Col: 1, Text: "\x1b"},
	}}, nil
}
