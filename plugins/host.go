package plugins

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/hashicorp/go-hclog"
	"github.com/hashicorp/go-plugin"

	"github.com/goshterm/gosh/sdk"
)

// Config configures a Host. Zero durations take the defaults below.
type Config struct {
	// Plugins are the plugins to run, in order (Load returns them).
	Plugins []Spec
	// Only, when not KindUnknown, runs only plugins of that kind: specs
	// that name another kind are not started, and a plugin whose
	// handshake reveals another kind is stopped again (StateStopped, no
	// error). The client uses it to run predictors and nothing else.
	Only sdk.Kind
	// Logger receives go-plugin's own log and every line the plugins write
	// to stderr, under a sub-logger named after the plugin. nil discards.
	Logger hclog.Logger

	// PredictTimeout bounds a predictor call (default 5 ms): a later answer
	// is ignored and the caller uses its built-in heuristic.
	PredictTimeout time.Duration
	// StatusTimeout bounds a status call (default 500 ms): on timeout the
	// previous segments stay.
	StatusTimeout time.Duration
	// AuthTimeout bounds an authorizer call (default 5 s): on timeout the
	// attach is denied.
	AuthTimeout time.Duration
	// StartTimeout bounds start-up and handshake (default 10 s).
	StartTimeout time.Duration
	// MinRefresh is the shortest refresh interval a status plugin may ask
	// for (default 1 s).
	MinRefresh time.Duration

	// BackoffMin and BackoffMax bound the delay before a restart (defaults
	// 250 ms and 30 s); it doubles with each consecutive failure.
	BackoffMin, BackoffMax time.Duration
	// MaxFailures is how many consecutive failed starts or early crashes
	// make a plugin Failed for good (default 8). A plugin that ran for
	// HealthyAfter (default 30 s) before crashing starts counting afresh.
	MaxFailures  int
	HealthyAfter time.Duration
	// MaxTimeouts is how many consecutive timed-out calls make the host
	// treat a plugin as hung and restart it (default 3; predictors, with
	// their tight deadline, get 20 times as many).
	MaxTimeouts int
}

func (c *Config) setDefaults() {
	def := func(d *time.Duration, v time.Duration) {
		if *d <= 0 {
			*d = v
		}
	}
	def(&c.PredictTimeout, 5*time.Millisecond)
	def(&c.StatusTimeout, 500*time.Millisecond)
	def(&c.AuthTimeout, 5*time.Second)
	def(&c.StartTimeout, 10*time.Second)
	def(&c.MinRefresh, time.Second)
	def(&c.BackoffMin, 250*time.Millisecond)
	def(&c.BackoffMax, 30*time.Second)
	def(&c.HealthyAfter, 30*time.Second)
	if c.MaxFailures <= 0 {
		c.MaxFailures = 8
	}
	if c.MaxTimeouts <= 0 {
		c.MaxTimeouts = 3
	}
	if c.Logger == nil {
		c.Logger = hclog.NewNullLogger()
	}
}

// State is where a plugin is in its life.
//
//	Starting ──handshake ok──▶ Running ──crash / hang──▶ Restarting ──back-off──▶ Starting
//	    │                                                    │
//	    └── refused (not a plugin, wrong protocol or kind) ──┴── too many failures ──▶ Failed
type State int

// The states. Stopped follows Close.
const (
	StateStarting State = iota
	StateRunning
	StateRestarting
	StateFailed
	StateStopped
)

var stateNames = [...]string{"starting", "running", "restarting", "failed", "stopped"}

func (s State) String() string {
	if s >= 0 && int(s) < len(stateNames) {
		return stateNames[s]
	}
	return fmt.Sprintf("State(%d)", int(s))
}

// Info is a snapshot of one plugin, for `gosh plugin list`.
type Info struct {
	Name, Path string
	Kind       sdk.Kind
	Version    string // the plugin's own version, from the handshake
	State      State
	LastError  string
	Restarts   int
	PID        int
}

// Host runs plugins: it starts each one, learns its kind in the handshake,
// supervises it, and calls it with deadlines. Every method is safe for
// concurrent use and none blocks longer than its call's deadline on a
// misbehaving plugin.
//
// Lock order: Host.mu before proc.mu; nothing is held across a plugin call.
type Host struct {
	cfg    Config
	procs  []*proc
	ctx    context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup

	mu    sync.Mutex
	views map[*StatusView]struct{}
}

// Start starts every plugin in cfg.Plugins in the background and returns at
// once; Wait reports when the handshakes are done.
func Start(cfg Config) *Host {
	cfg.setDefaults()
	ctx, cancel := context.WithCancel(context.Background())
	h := &Host{cfg: cfg, ctx: ctx, cancel: cancel, views: make(map[*StatusView]struct{})}
	for _, s := range cfg.Plugins {
		if cfg.Only != sdk.KindUnknown && s.Kind != sdk.KindUnknown && s.Kind != cfg.Only {
			continue
		}
		p := &proc{h: h, spec: s, kind: s.Kind, kick: make(chan struct{}, 1), wake: make(chan struct{}, 1), settled: make(chan struct{})}
		h.procs = append(h.procs, p)
	}
	for _, p := range h.procs {
		h.wg.Add(1)
		go func() {
			defer h.wg.Done()
			p.superviseLoop(ctx)
		}()
	}
	return h
}

// Wait blocks until every plugin has finished its first start (running,
// or restarting or failed after a first attempt), or ctx ends.
func (h *Host) Wait(ctx context.Context) error {
	for _, p := range h.procs {
		select {
		case <-p.settled:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	return nil
}

// Close stops every plugin and joins the host's goroutines. It is
// idempotent. A plugin in the middle of its handshake is waited for (at
// most StartTimeout), because go-plugin's start cannot be interrupted.
func (h *Host) Close() error {
	h.cancel()
	h.wg.Wait()
	return nil
}

// Plugins returns a snapshot of every plugin, in configuration order.
func (h *Host) Plugins() []Info {
	out := make([]Info, 0, len(h.procs))
	for _, p := range h.procs {
		out = append(out, p.info())
	}
	return out
}

// proc is one supervised plugin.
type proc struct {
	h    *Host
	spec Spec
	kick chan struct{} // a call saw the plugin go away or hang: check now
	wake chan struct{} // status: a view wants a refresh
	// settled is closed once the first start attempt has finished.
	settled    chan struct{}
	settleOnce sync.Once

	mu       sync.Mutex // guards the fields below
	state    State
	kind     sdk.Kind
	version  string
	lastErr  string
	restarts int
	pid      int
	impl     any           // sdk.Predictor, sdk.Status or sdk.Authorizer while running
	refresh  time.Duration // status: the declared interval
	timeouts int           // consecutive timed-out calls
	hung     bool
}

func (p *proc) info() Info {
	p.mu.Lock()
	defer p.mu.Unlock()
	return Info{Name: p.spec.Name, Path: p.spec.Path, Kind: p.kind, Version: p.version, State: p.state,
		LastError: p.lastErr, Restarts: p.restarts, PID: p.pid}
}

func (p *proc) setState(s State, err error) {
	p.mu.Lock()
	was := p.state
	p.state = s
	if err != nil {
		p.lastErr = err.Error()
	}
	if s != StateRunning {
		p.impl = nil
	}
	p.mu.Unlock()
	if was != s && s != StateStopped {
		p.h.viewsChanged(p)
	}
}

// running returns the plugin's implementation, or nil when it is not up.
func (p *proc) running() any {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.state != StateRunning {
		return nil
	}
	return p.impl
}

// errSkipped stops a plugin of a kind Config.Only excludes.
var errSkipped = errors.New("plugins: not the kind this host runs")

// permanentError is a start failure that retrying cannot fix.
type permanentError struct{ err error }

func (e *permanentError) Error() string { return e.err.Error() }
func (e *permanentError) Unwrap() error { return e.err }

// pollInterval is how often the supervisor checks that the plugin process
// is alive; go-plugin exposes exit only as Client.Exited. Calls that fail
// with Unavailable kick the supervisor sooner.
const pollInterval = 50 * time.Millisecond

func (p *proc) superviseLoop(ctx context.Context) {
	// Every start of this plugin forks from this goroutine (go-plugin's
	// Client starts the command synchronously), and the parent-death
	// signal (pluginProcAttr) follows the forking thread, not the process.
	// Lock the goroutine to its thread and never unlock: the runtime then
	// never hands the thread to another goroutine or retires it early, and
	// ends it only when this loop returns, after the plugin is killed.
	runtime.LockOSThread()
	defer p.settleOnce.Do(func() { close(p.settled) })
	if p.kind == sdk.KindStatus || p.spec.Kind == sdk.KindUnknown {
		// The status refresh loop idles harmlessly for other kinds, but
		// only start it when the plugin may be a status plugin.
		p.h.wg.Add(1)
		go func() {
			defer p.h.wg.Done()
			p.statusLoop(ctx)
		}()
	}
	log := p.h.cfg.Logger.Named(p.spec.Name)
	failures := 0
	for {
		client, err := p.start(ctx, log)
		// settle follows the state the attempt leads to, so that Wait's
		// callers see Running (or the failure), never Starting.
		settle := func() { p.settleOnce.Do(func() { close(p.settled) }) }
		if ctx.Err() != nil {
			if client != nil {
				client.Kill()
			}
			p.setState(StateStopped, nil)
			return
		}
		if errors.Is(err, errSkipped) {
			p.setState(StateStopped, nil)
			return
		}
		if err != nil {
			var perm *permanentError
			failures++
			if errors.As(err, &perm) || failures >= p.h.cfg.MaxFailures {
				log.Error("plugin failed", "error", err)
				p.setState(StateFailed, err)
				return
			}
			log.Warn("plugin start failed, will retry", "error", err)
			p.setState(StateRestarting, err)
			settle()
			if !p.sleep(ctx, failures) {
				p.setState(StateStopped, nil)
				return
			}
			continue
		}
		startedAt := time.Now()
		p.setState(StateRunning, nil)
		settle()
		p.h.markAll(p) // status: render every view with the fresh plugin
		p.signal()
		reason := p.watch(ctx, client)
		client.Kill()
		if ctx.Err() != nil {
			p.setState(StateStopped, nil)
			return
		}
		if time.Since(startedAt) >= p.h.cfg.HealthyAfter {
			failures = 0
		}
		failures++
		p.mu.Lock()
		p.restarts++
		p.mu.Unlock()
		log.Warn("plugin stopped, restarting", "reason", reason)
		if failures >= p.h.cfg.MaxFailures {
			p.setState(StateFailed, fmt.Errorf("plugins: %q: %s (%d times in a row; giving up)", p.spec.Name, reason, failures))
			return
		}
		p.setState(StateRestarting, fmt.Errorf("plugins: %q: %s", p.spec.Name, reason))
		p.signal() // status: show the marker now
		if !p.sleep(ctx, failures) {
			p.setState(StateStopped, nil)
			return
		}
	}
}

// watch waits until the plugin exits or hangs, or ctx ends, and says why.
func (p *proc) watch(ctx context.Context, client *plugin.Client) string {
	t := time.NewTicker(pollInterval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return "host closing"
		case <-t.C:
		case <-p.kick:
		}
		if client.Exited() {
			return "plugin exited"
		}
		p.mu.Lock()
		hung, n := p.hung, p.timeouts
		p.mu.Unlock()
		if hung {
			return fmt.Sprintf("plugin hung (%d calls in a row timed out)", n)
		}
	}
}

// sleep waits the back-off for the n-th consecutive failure; false if ctx
// ended first.
func (p *proc) sleep(ctx context.Context, n int) bool {
	d := backoff(p.h.cfg.BackoffMin, p.h.cfg.BackoffMax, n)
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
		return true
	}
}

// backoff is min·2^(n-1), at most max.
func backoff(minD, maxD time.Duration, n int) time.Duration {
	d := minD
	for i := 1; i < n && d < maxD; i++ {
		d *= 2
	}
	return min(d, maxD)
}

var incompatibleRE = regexp.MustCompile(`Plugin version: (\d+), Client versions: \[([\d ]*)\]`)

// start launches the plugin, checks the handshake and learns its kind.
func (p *proc) start(ctx context.Context, log hclog.Logger) (*plugin.Client, error) {
	p.mu.Lock()
	p.state = StateStarting
	p.timeouts, p.hung = 0, false
	p.mu.Unlock()
	// Drain a stale kick from the previous run.
	select {
	case <-p.kick:
	default:
	}

	cmd := exec.Command(p.spec.Path, p.spec.Args...)
	cmd.Env = append(os.Environ(), p.spec.Env...)
	cmd.SysProcAttr = pluginProcAttr() // die with the host, even on kill -9
	client := plugin.NewClient(&plugin.ClientConfig{
		HandshakeConfig:  sdk.Handshake,
		VersionedPlugins: sdk.VersionedPlugins(),
		Cmd:              cmd,
		SkipHostEnv:      true, // cmd.Env has it, with Spec.Env taking precedence
		AllowedProtocols: []plugin.Protocol{plugin.ProtocolGRPC},
		StartTimeout:     p.h.cfg.StartTimeout,
		Logger:           log,
	})
	name := p.spec.Name
	rpc, err := client.Client()
	if err != nil {
		client.Kill()
		return nil, classifyStartError(name, err)
	}
	p.mu.Lock()
	if rc := client.ReattachConfig(); rc != nil {
		p.pid = rc.Pid
	}
	p.mu.Unlock()
	raw, err := rpc.Dispense(sdk.InfoPluginName)
	if err != nil {
		client.Kill()
		return nil, fmt.Errorf("plugins: %q: %w", name, err)
	}
	dctx, cancel := context.WithTimeout(ctx, p.h.cfg.StartTimeout)
	desc, err := raw.(sdk.Describer).Describe(dctx)
	cancel()
	if err != nil {
		client.Kill()
		return nil, fmt.Errorf("plugins: %q: describe: %w", name, err)
	}
	if desc.Kind == sdk.KindUnknown {
		client.Kill()
		return nil, &permanentError{fmt.Errorf("plugins: %q says it is no kind gosh knows", name)}
	}
	if only := p.h.cfg.Only; only != sdk.KindUnknown && desc.Kind != only {
		client.Kill()
		p.mu.Lock()
		p.kind, p.version = desc.Kind, desc.Version
		p.mu.Unlock()
		return nil, errSkipped
	}
	if p.spec.Kind != sdk.KindUnknown && desc.Kind != p.spec.Kind {
		client.Kill()
		return nil, &permanentError{fmt.Errorf("plugins: %q is a %v plugin, but the config says %v", name, desc.Kind, p.spec.Kind)}
	}
	raw, err = rpc.Dispense(sdk.PluginName(desc.Kind))
	if err != nil {
		client.Kill()
		return nil, fmt.Errorf("plugins: %q: %w", name, err)
	}
	var refresh time.Duration
	if desc.Kind == sdk.KindStatus {
		cctx, cancel := context.WithTimeout(ctx, p.h.cfg.StartTimeout)
		cfg, err := raw.(sdk.Status).Configure(cctx)
		cancel()
		if err != nil {
			client.Kill()
			return nil, fmt.Errorf("plugins: %q: configure: %w", name, err)
		}
		refresh = cfg.Refresh
		if refresh > 0 && refresh < p.h.cfg.MinRefresh {
			refresh = p.h.cfg.MinRefresh
		}
	}
	p.mu.Lock()
	p.kind, p.version, p.impl, p.refresh = desc.Kind, desc.Version, raw, refresh
	p.mu.Unlock()
	log.Debug("plugin running", "kind", desc.Kind, "version", desc.Version, "sdk", desc.SDKVersion)
	return client, nil
}

// classifyStartError turns go-plugin's start errors into messages that name
// the plugin and say what to do; refusals that retrying cannot fix are
// permanent.
func classifyStartError(name string, err error) error {
	msg := err.Error()
	switch {
	case strings.Contains(msg, "incompatible API version"):
		theirs, ours := "?", fmt.Sprint(sdk.ProtocolVersion)
		if m := incompatibleRE.FindStringSubmatch(msg); m != nil {
			theirs, ours = m[1], m[2]
		}
		return &permanentError{fmt.Errorf("plugins: %q speaks gosh plugin protocol %s, but this gosh speaks %s: rebuild the plugin with a matching sdk or upgrade gosh", name, theirs, ours)}
	case strings.Contains(msg, "Failed to read any lines from plugin's stdout"):
		return fmt.Errorf("plugins: %q exited before the handshake", name)
	case strings.Contains(msg, "Unrecognized remote plugin message"):
		first, _, _ := strings.Cut(strings.TrimPrefix(msg, "Unrecognized remote plugin message: "), "\n")
		return &permanentError{fmt.Errorf("plugins: %q is not a gosh plugin: its first line of output was %q, not a go-plugin handshake", name, truncate(first, 80))}
	case strings.Contains(msg, "incompatible core API version"):
		return &permanentError{fmt.Errorf("plugins: %q: %v", name, err)}
	case errors.Is(err, exec.ErrNotFound), errors.Is(err, os.ErrNotExist), errors.Is(err, os.ErrPermission):
		return &permanentError{fmt.Errorf("plugins: %q: %w", name, err)}
	}
	return fmt.Errorf("plugins: %q: %w", name, err)
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}

// signal wakes the status loop.
func (p *proc) signal() {
	select {
	case p.wake <- struct{}{}:
	default:
	}
}

// callDone records a call's outcome: timeouts in a row mark the plugin hung,
// any other error makes the supervisor check on the process at once.
func (p *proc) callDone(err error, limit int) {
	p.mu.Lock()
	switch {
	case err == nil:
		p.timeouts = 0
	case errors.Is(err, context.DeadlineExceeded) || isDeadline(err):
		p.timeouts++
		if p.timeouts >= limit {
			p.hung = true
		}
	}
	p.mu.Unlock()
	if err != nil {
		select {
		case p.kick <- struct{}{}:
		default:
		}
	}
}
