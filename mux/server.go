package mux

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net"
	"os"
	"sort"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/goshterm/gosh/mux/command"
	"github.com/goshterm/gosh/mux/input"
)

// Config configures a Server.
type Config struct {
	// Shell is the default command of new panes (default-shell); "" means
	// $SHELL, or /bin/sh.
	Shell string
	// Env is the base environment of new panes; nil means the daemon's.
	Env []string
	// Width and Height are the size of new sessions without -x/-y
	// (default 80x24, as tmux's default-size).
	Width, Height int
	// SocketPath is exported to panes in $GOSH, as tmux's $TMUX.
	SocketPath string
	// ConfigFile is a file of tmux commands (source-file) that RunDaemon
	// runs before it serves anyone: the gosh command passes
	// DefaultConfigFile. "" is none, and so is a file that does not
	// exist; a bad line is logged and shown to the first client to
	// attach, and the daemon runs on.
	ConfigFile string
	// Logger receives the daemon's log; nil discards it.
	Logger *slog.Logger
	// ExitEmpty makes the server done whenever a command leaves it with no
	// sessions (tmux's exit-empty), as a daemon started on demand wants.
	// Without it the server is done once its last session ends, so an
	// explicitly started idle server waits for its first session.
	ExitEmpty bool
	// Now is the clock for creation times and the status line's clock;
	// nil means time.Now.
	Now func() time.Time
	// Version is the gosh release the daemon reports to attaching clients.
	Version string
	// ClientConnectTimeout is how long an attach endpoint waits for its
	// client's first datagram before it is closed (default
	// ClientConnectTimeout).
	ClientConnectTimeout time.Duration
	// ClientIdleTimeout is how long an attached client may stay silent
	// before it is detached (default ClientIdleTimeout). Keep it long: a
	// laptop that sleeps must find its session where it left it.
	ClientIdleTimeout time.Duration
	// KillGrace is how long a hung-up pane program may run on before
	// SIGKILL (default KillGrace).
	KillGrace time.Duration
	// Hooks, when set, authorises attaches and adds to each client's
	// status line (the plugins host; see hooks.go).
	Hooks Hooks
	// Host, when set, serves a control connection whose request has
	// Request.Host: it runs the caller's terminal client in the daemon
	// (the gosh command sets it; mux knows no client). It owns c until it
	// returns and may keep it for the client's life; ctx ends when the
	// server closes. Without it such a request is refused (Code 1) and
	// the caller runs its client itself. link, when not nil, is the
	// client's in-memory socket to its endpoint and its early draw
	// (HostedLink); Host closes it.
	Host func(ctx context.Context, c *net.UnixConn, req *HostRequest, link *HostedLink)
}

// Server is the multiplexer: every session, window and pane. Create it
// with NewServer, drive it with Run (commands) and Serve (the control
// socket), and stop it with Close.
type Server struct {
	cfg Config
	log *slog.Logger

	cmdMu sync.Mutex // serialises commands; see the package doc for lock order

	mu       sync.Mutex // guards everything below
	sessions map[int]*Session
	windows  map[int]*Window
	panes    map[int]*Pane
	nextID   struct{ session, window, pane int }
	options  map[string]string // global options
	hadAny   bool              // a session has existed
	ending   string            // why the server ends (an Ending), once it does
	closed   bool
	clock    uint64 // activity counter: "most recently used" without wall time

	clients      map[int]*client  // attached clients, by id
	buffers      []command.Buffer // paste buffers, newest last (copy mode)
	nextBuffer   int
	nextClientID int
	challenges   map[string]pendingChallenge // attach challenges awaiting an answer, by token
	numbers      map[*client]*paneNumbers    // display-panes shown, by client
	lastSession  map[*client]*Session        // each client's previous session, for switch-client -l
	clockPanes   map[*Pane]bool              // panes in clock-mode
	choosers     map[*client]*chooser        // choose-tree and the like, by client (choose.go)
	marked       *Pane                       // select-pane -m's pane, or nil (marks.go)
	messages     messageLog                  // the messages shown on status lines (messages.go)
	optionsGen   uint64                      // bumped by each set-option (options.go)
	activeSeq    uint64                      // stamps Pane.activeAt (window.go)
	// overlays is set while numbers or clock panes may be up, so that
	// keystrokes skip Server.mu when none is (displaypanes.go).
	overlays atomic.Bool
	// keys are the prefix keys and key tables, the same for every client
	// (tmux's are the server's): replaced whole by bind-key, unbind-key
	// and set-option prefix, and read by each client's loop before its
	// keys, without Server.mu (bind.go).
	keys atomic.Pointer[input.Keys]
	// tables are switch-client -T's tables waiting for their clients'
	// loops, which alone touch their input states; tablesWaiting says
	// there are some, so that keystrokes skip Server.mu when none is.
	tables        map[*client]string
	tablesWaiting atomic.Bool
	// configErrors are the configuration file's errors not yet shown:
	// the first client to attach shows them (bind.go).
	configErrors []string

	done     chan struct{} // closed when the server has no more work
	doneOnce sync.Once
	wg       sync.WaitGroup // pane goroutines

	clientCtx  context.Context // cancelled by Close: attached clients end; carries s (ServerEnding)
	clientStop context.CancelFunc
	clientWG   sync.WaitGroup // client loops
}

// Errors.
var (
	// ErrServerClosed is returned by operations on a closed Server.
	ErrServerClosed = errors.New("mux: server closed")
)

// DefaultOptions are the options every server starts with (tmux's
// defaults for the options gosh knows).
var DefaultOptions = map[string]string{
	"remain-on-exit":   "off",
	"history-limit":    "2000",
	"base-index":       "0",
	"pane-base-index":  "0",
	"default-terminal": "xterm-256color",
	"automatic-rename": "on",
	"mouse":            "off",
	// display-panes: how long the numbers stay (ms) and their colours.
	"display-panes-time":          "1000",
	"display-panes-colour":        "blue",
	"display-panes-active-colour": "red",
	"clock-mode-colour":           "blue",
	"clock-mode-style":            "24",
	// Alerts (activity.go) and messages (messages.go), as tmux's.
	"monitor-bell":     "on",
	"monitor-activity": "off",
	"bell-action":      "any",
	"activity-action":  "other",
	"visual-bell":      "off",
	"visual-activity":  "off",
	"monitor-silence":  "0",
	"silence-action":   "other",
	"visual-silence":   "off",
	"display-time":     "750",
	"message-limit":    "100",
	// The prefix keys (bind.go): one for the whole server in gosh.
	"prefix":  "C-b",
	"prefix2": "None",
	// Server options stored but not acted on (options.go), at tmux's
	// defaults.
	"escape-time":  "10",
	"focus-events": "off",
}

// NewServer returns an empty server.
func NewServer(cfg Config) *Server {
	if cfg.Shell == "" {
		cfg.Shell = os.Getenv("SHELL")
		if cfg.Shell == "" {
			cfg.Shell = "/bin/sh"
		}
	}
	if cfg.Env == nil {
		cfg.Env = os.Environ()
	}
	if cfg.Width <= 0 || cfg.Height <= 0 {
		cfg.Width, cfg.Height = 80, 24
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	log := cfg.Logger
	if log == nil {
		log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if cfg.Version == "" {
		cfg.Version = "dev"
	}
	if cfg.ClientConnectTimeout <= 0 {
		cfg.ClientConnectTimeout = ClientConnectTimeout
	}
	if cfg.ClientIdleTimeout <= 0 {
		cfg.ClientIdleTimeout = ClientIdleTimeout
	}
	if cfg.KillGrace <= 0 {
		cfg.KillGrace = KillGrace
	}
	s := &Server{cfg: cfg, log: log,
		sessions: map[int]*Session{}, windows: map[int]*Window{}, panes: map[int]*Pane{},
		options: map[string]string{}, clients: map[int]*client{}, done: make(chan struct{})}
	s.clientCtx, s.clientStop = context.WithCancel(context.WithValue(context.Background(), serverKey{}, s))
	for k, v := range DefaultOptions {
		s.options[k] = v
	}
	s.keys.Store(input.DefaultKeys())
	// As tmux at start-up: mode-keys is vi when $VISUAL or $EDITOR names
	// a vi, so that show-options says which table copy mode uses.
	s.options["mode-keys"] = modeKeysFromEnv(cfg.Env)
	return s
}

// Done is closed when the server has nothing left to do: kill-server ran,
// or the last session ended. The daemon exits then.
func (s *Server) Done() <-chan struct{} { return s.done }

func (s *Server) finish() { s.doneOnce.Do(func() { close(s.done) }) }

// Why a server ends, in tmux's words: an attached tmux client prints them
// in brackets as it exits (tmux 3.3a, client.c client_exit_message).
const (
	EndingServerExited = "server exited" // kill-server, or the daemon stopped
	EndingExited       = "exited"        // the last session ended
)

type serverKey struct{}

// endLocked records why the server ends; the first reason stays, so a
// kill-server that ends the last session is "server exited". It must run
// before any client is told to go, so that a client's end finds it.
func (s *Server) endLocked(why string) {
	if s.ending == "" {
		s.ending = why
	}
}

// ServerEnding says why the server that gave ctx (the context of a Host
// call) is ending — EndingServerExited or EndingExited — or "" while it
// is not. A hosted client that ended because its server ends reads it to
// say so, as tmux's client does, rather than "detached".
func ServerEnding(ctx context.Context) string {
	s, ok := ctx.Value(serverKey{}).(*Server)
	if !ok {
		return ""
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.ending
}

// Close detaches every client, kills every pane and waits for their
// goroutines. It is idempotent.
func (s *Server) Close() error {
	// Mark the server closed first, so that no client attaches while
	// the attached ones are told to go.
	s.mu.Lock()
	s.closed = true
	s.endLocked(EndingServerExited)
	s.mu.Unlock()
	s.clientStop()
	s.clientWG.Wait()
	s.mu.Lock()
	var panes []*Pane
	for _, p := range s.panes {
		panes = append(panes, p)
	}
	s.sessions, s.windows, s.panes = map[int]*Session{}, map[int]*Window{}, map[int]*Pane{}
	s.mu.Unlock()
	for _, p := range panes {
		p.kill()
	}
	s.wg.Wait()
	s.finish()
	return nil
}

// Sessions returns the sessions sorted by name.
func (s *Server) Sessions() []*Session {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.sessionsLocked()
}

func (s *Server) sessionsLocked() []*Session {
	out := make([]*Session, 0, len(s.sessions))
	for _, ss := range s.sessions {
		out = append(out, ss)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].name < out[j].name })
	return out
}

// Pane returns the pane with id n (tmux's %n), or nil.
func (s *Server) Pane(id int) *Pane {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.panes[id]
}

// touchLocked records that ss was just used, for "the current session".
func (s *Server) touchLocked(ss *Session) {
	s.clock++
	ss.activity = s.clock
}

// mostRecentLocked returns the most recently used session, or nil.
func (s *Server) mostRecentLocked() *Session {
	var best *Session
	for _, ss := range s.sessions {
		if best == nil || ss.activity > best.activity || (ss.activity == best.activity && ss.id > best.id) {
			best = ss
		}
	}
	return best
}

// option looks an option up on the window, then its session, then
// globally.
func (s *Server) optionLocked(w *Window, name string) string {
	if w != nil {
		if v, ok := w.options[name]; ok {
			return v
		}
		if v, ok := w.session.options[name]; ok {
			return v
		}
	}
	return s.options[name]
}

func (s *Server) optionIntLocked(w *Window, name string) int {
	n, _ := strconv.Atoi(s.optionLocked(w, name))
	return n
}

// sessionEndedLocked removes ss and, if it was the last, ends the server.
func (s *Server) removeSessionLocked(ss *Session) {
	delete(s.sessions, ss.id)
	if len(s.sessions) == 0 && (s.hadAny || s.cfg.ExitEmpty) {
		s.endLocked(EndingExited)
		s.finish()
	}
}
