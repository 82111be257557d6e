package mux

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"os/user"
	"strconv"
	"time"

	"github.com/goshterm/gosh/mux/command"
	"github.com/goshterm/gosh/mux/compose"
	"github.com/goshterm/gosh/mux/pty"
)

// Hooks is how the daemon's extensions (the plugins package) see and gate
// attached clients. mux defines it with plain types and never imports the
// implementation, so that a plugin host, its SDK and go-plugin stay out of
// the multiplexer (deps_test.go); the daemon's wiring (cli) sets
// Config.Hooks. Every method must return promptly: Authorize and Answer run
// while the control socket waits, and ClientStatus on a client's loop.
type Hooks interface {
	// ClientStatus starts the status line of an attached client, drawn
	// from facts. wake asks the client to compose again (new segments, a
	// plugin went down); it never blocks and may be called from any
	// goroutine. The client calls Close when it detaches.
	ClientStatus(facts StatusFacts, wake func()) StatusSource
	// Authorize decides whether a terminal client may attach.
	Authorize(ctx context.Context, req AuthRequest) AuthDecision
	// Answer decides after a Challenge: challenge is the ChallengeID
	// Authorize returned (the daemon keeps it; the client never sees it),
	// answer what the user typed.
	Answer(ctx context.Context, req AuthRequest, challenge, answer string) AuthDecision
}

// PluginInfo is one plugin of the daemon, for list-plugins (and so `gosh
// plugin list`).
type PluginInfo = command.PluginInfo

// PluginLister is implemented by Hooks that run plugins: list-plugins
// reports what Plugins returns, a live snapshot (states, restart counts,
// last errors). It must return promptly. Hooks without it have no
// plugins to report.
type PluginLister interface {
	Plugins() []PluginInfo
}

// Plugins implements command.PluginLister for list-plugins.
func (e *env) Plugins() []command.PluginInfo {
	if l, ok := e.s.cfg.Hooks.(PluginLister); ok {
		return l.Plugins()
	}
	return nil
}

// StatusSource is one client's extra status line content.
type StatusSource interface {
	// Update gives the source new facts; the client calls it when they
	// change, with Event saying what happened.
	Update(facts StatusFacts)
	// Status returns the segments to show and a marker ("" when none),
	// without waiting: it is called on every composition.
	Status() (segs []compose.Segment, marker string)
	// Close releases the source.
	Close()
}

// StatusEvent says why a client's status facts changed.
type StatusEvent int

// The status events. EventNone is a change of facts without an event (a
// resize, a title): the source renders it at its next refresh.
const (
	EventNone        StatusEvent = iota
	EventPaneFocus               // another pane became active
	EventCwdChange               // the active pane's working directory changed
	EventCommandExit             // the active pane's foreground program returned to its shell
)

// StatusFacts is what a status line may be drawn from: the client's
// session, window and active pane.
type StatusFacts struct {
	SessionID, Session string
	Windows, Attached  int

	WindowID, WindowName string
	WindowIndex, Panes   int

	// PaneID is tmux's "%N"; X, Y, Width, Height the pane's rectangle in
	// the client's frame.
	PaneID                    string
	X, Y, Width, Height       int
	Echo, Canonical           bool
	Title, Program, Cwd       string
	Client, User, Term        string
	ClientWidth, ClientHeight int

	Event StatusEvent
}

// AuthRequest is an attach to authorise.
type AuthRequest struct {
	// User and UID are the local user asking: the daemon's owner, as the
	// control socket admits no one else (root aside).
	User string
	UID  int
	// SSHClient is the client's "host:port" when the attach came over
	// ssh (from $SSH_CONNECTION); SSHKey the public key's "SHA256:…"
	// fingerprint when sshd exposed it.
	SSHClient, SSHKey string
	// Session is the session's name.
	Session string
	// ReadOnly says the client asked to watch only (attach -r).
	ReadOnly bool
}

// AuthVerdict is an authorisation answer.
type AuthVerdict int

// The verdicts; the zero value denies, so a forgotten field fails closed.
const (
	AuthDeny AuthVerdict = iota
	AuthAllow
	AuthReadOnly
	AuthChallenge
)

// AuthDecision is a Hooks answer.
type AuthDecision struct {
	Verdict AuthVerdict
	// Reason is shown to the user on Deny.
	Reason string
	// Prompt, Echo and ChallengeID describe a Challenge: the question, whether
	// the client shows the answer as it is typed, and the id to pass to
	// Answer, which stays in the daemon.
	Prompt      string
	Echo        bool
	ChallengeID string
}

// AttachChallenge is the daemon's question to an attaching client, in
// Response.Challenge: the client asks its user Prompt and repeats the
// request with AttachRequest.Challenge set to Token and the answer.
type AttachChallenge struct {
	Token   string `json:"token"`
	Prompt  string `json:"prompt"`
	Echo    bool   `json:"echo,omitempty"`
	Session string `json:"session"`
}

// ChallengeReply is an attaching client's answer to an AttachChallenge.
type ChallengeReply struct {
	Token  string `json:"token"`
	Answer string `json:"answer"`
}

// ChallengeError is the error an attach returns when the authorizer wants
// the user to answer a question first; Handle turns it into
// Response.Challenge.
type ChallengeError struct{ Challenge AttachChallenge }

func (e *ChallengeError) Error() string {
	return "authorization required: " + e.Challenge.Prompt
}

// Challenge bookkeeping: a pending challenge waits this long for its
// answer, and at most maxChallenges wait at once (the oldest expire first),
// so that a client that never answers can't grow the daemon.
const (
	challengeTTL  = 2 * time.Minute
	maxChallenges = 64
)

// pendingChallenge is a challenge the daemon issued and awaits an answer
// to. The authorizer's id never leaves the daemon.
type pendingChallenge struct {
	id      string
	req     AuthRequest
	expires time.Time
	// fresh is the session new-session made for this client: it goes
	// when the answer is refused, or never comes.
	fresh *Session
}

// ErrAccessDenied is wrapped by the error of a refused attach.
var ErrAccessDenied = errors.New("access denied")

// authorize runs the hooks' authorisation for a terminal client about to
// attach to ss. It returns whether the client must be read-only; a refusal
// wraps ErrAccessDenied with the reason, and a challenge is a
// *ChallengeError. The caller holds cmdMu but not mu.
func (s *Server) authorize(ctx context.Context, ss *Session, req *AttachRequest) (readOnly bool, err error) {
	h := s.cfg.Hooks
	if h == nil {
		if req.Challenge != nil {
			return false, fmt.Errorf("%w: no challenge is pending", ErrAccessDenied)
		}
		return false, nil
	}
	s.mu.Lock()
	name := ss.name
	s.mu.Unlock()
	var d AuthDecision
	var ar AuthRequest
	if req.Challenge != nil {
		pc, ok := s.takeChallenge(req.Challenge.Token)
		if !ok {
			return false, fmt.Errorf("%w: the challenge expired or is unknown; attach again", ErrAccessDenied)
		}
		if pc.fresh != nil {
			defer func() {
				if err != nil {
					s.mu.Lock()
					s.dropNewSessionLocked(pc.fresh)
					s.mu.Unlock()
				}
			}()
		}
		if pc.req.Session != name {
			return false, fmt.Errorf("%w: the challenge was for session %s", ErrAccessDenied, pc.req.Session)
		}
		ar = pc.req
		d = h.Answer(ctx, ar, pc.id, req.Challenge.Answer)
	} else {
		ar = AuthRequest{User: currentUser(), UID: os.Getuid(), SSHClient: req.SSHClient, SSHKey: req.SSHKey,
			Session: name, ReadOnly: req.ReadOnly}
		d = h.Authorize(ctx, ar)
	}
	switch d.Verdict {
	case AuthAllow:
		return false, nil
	case AuthReadOnly:
		s.log.Info("attach read-only", "session", name, "ssh", ar.SSHClient, "reason", d.Reason)
		return true, nil
	case AuthChallenge:
		if req.Challenge != nil {
			return false, fmt.Errorf("%w: challenged twice", ErrAccessDenied)
		}
		tok, err := s.addChallenge(pendingChallenge{id: d.ChallengeID, req: ar})
		if err != nil {
			return false, err
		}
		return false, &ChallengeError{Challenge: AttachChallenge{Token: tok, Prompt: d.Prompt, Echo: d.Echo, Session: name}}
	}
	reason := d.Reason
	if reason == "" {
		reason = "refused by the authorizer"
	}
	s.log.Info("attach refused", "session", name, "ssh", ar.SSHClient, "reason", reason)
	return false, fmt.Errorf("%w: %s", ErrAccessDenied, reason)
}

// addChallenge stores pc under a fresh random token.
func (s *Server) addChallenge(pc pendingChallenge) (string, error) {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", err
	}
	tok := hex.EncodeToString(b[:])
	now := time.Now()
	pc.expires = now.Add(challengeTTL)
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.challenges == nil {
		s.challenges = map[string]pendingChallenge{}
	}
	for t, o := range s.challenges {
		if now.After(o.expires) {
			s.forgetChallengeLocked(t)
		}
	}
	for len(s.challenges) >= maxChallenges {
		var oldest string
		for t, o := range s.challenges {
			if oldest == "" || o.expires.Before(s.challenges[oldest].expires) {
				oldest = t
			}
		}
		s.forgetChallengeLocked(oldest)
	}
	s.challenges[tok] = pc
	return tok, nil
}

// takeChallenge removes and returns the pending challenge tok: an answer
// is accepted once.
func (s *Server) takeChallenge(tok string) (pendingChallenge, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	pc, ok := s.challenges[tok]
	if !ok {
		return pendingChallenge{}, false
	}
	if time.Now().After(pc.expires) {
		s.forgetChallengeLocked(tok)
		return pendingChallenge{}, false
	}
	delete(s.challenges, tok)
	return pc, true
}

// forgetChallengeLocked drops a challenge that will never be answered,
// and the session new-session made for it.
func (s *Server) forgetChallengeLocked(tok string) {
	pc := s.challenges[tok]
	delete(s.challenges, tok)
	if pc.fresh != nil {
		s.dropNewSessionLocked(pc.fresh)
	}
}

// markNewSessionChallenge records that challenge tok was issued for the
// attach of a session new-session just made.
func (s *Server) markNewSessionChallenge(tok string, ss *Session) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if pc, ok := s.challenges[tok]; ok {
		pc.fresh = ss
		s.challenges[tok] = pc
	}
}

// statusFactsLocked gathers the facts of c's status line; name is w's
// name as the frame shows it (nameLocked, read once per frame); active may
// be nil. The caller holds mu.
func (c *client) statusFactsLocked(ss *Session, w *Window, name string, active *Pane, x, y, wd, ht int) StatusFacts {
	ids := &c.factIDs
	if ids.session != ss {
		ids.session, ids.sessionID = ss, "$"+strconv.Itoa(ss.id)
	}
	if ids.window != w {
		ids.window, ids.windowID = w, "@"+strconv.Itoa(w.id)
	}
	f := StatusFacts{SessionID: ids.sessionID, Session: ss.name, Windows: len(ss.windows),
		Attached: c.s.attachedLocked(ss), WindowID: ids.windowID, WindowName: name,
		WindowIndex: w.index, Panes: len(w.panes), Client: c.name, Term: c.term,
		ClientWidth: c.cols, ClientHeight: c.rows}
	if active != nil {
		if ids.pane != active {
			ids.pane, ids.paneID = active, "%"+strconv.Itoa(active.id)
		}
		f.PaneID = ids.paneID
		f.X, f.Y, f.Width, f.Height = x, y, wd, ht
	}
	return f
}

// factIDs are the tmux ids ("$1", "@2", "%3") of the session, window and
// pane a client's status facts last named, kept with the object they
// name (ids never change), so that a frame with plugins builds none of
// the strings again.
type factIDs struct {
	session                     *Session
	window                      *Window
	pane                        *Pane
	sessionID, windowID, paneID string
}

// frameFacts are what the frame being composed read of its active pane's
// process: its foreground program and its termios, each read once per
// frame for the frame's own facts and the plugins' alike.
type frameFacts struct {
	program   string
	programOK bool
	tio       pty.Termios
	tioOK     bool
}

// paneFactsUnlocked adds what only the pane's process can say (termios,
// foreground program — as this frame read them — and cwd); it reads /proc,
// so no lock is held. The cwd is read each frame: a cd changes it within
// one foreground process group, so no key would tell a cached one stale.
func paneFactsUnlocked(f *StatusFacts, p *Pane, ff frameFacts) {
	if p == nil {
		return
	}
	f.Title = p.title()
	if ff.tioOK {
		f.Echo, f.Canonical = ff.tio.Echo, ff.tio.Canonical
	}
	if ff.programOK {
		f.Program = ff.program
	}
	if d, err := p.proc.Load().Cwd(); err == nil {
		f.Cwd = d
	}
}

// updateStatus compares the new facts with the last ones and tells the
// client's status source what changed, creating it on first use. It runs
// on the client's loop.
func (c *client) updateStatus(f StatusFacts) {
	h := c.s.cfg.Hooks
	if h == nil {
		return
	}
	if c.status == nil {
		f.User = currentUser()
		c.status = h.ClientStatus(f, c.poke)
		c.statusFacts = f
		c.basePrograms = map[string]string{f.PaneID: f.Program}
		return
	}
	f.User = c.statusFacts.User
	prev := c.statusFacts
	prev.Event, f.Event = EventNone, EventNone
	if f == prev {
		return
	}
	base, seen := c.basePrograms[f.PaneID]
	if !seen && f.Program != "" {
		c.basePrograms[f.PaneID] = f.Program
		base = f.Program
	}
	switch {
	case f.PaneID != prev.PaneID:
		f.Event = EventPaneFocus
	case f.Cwd != prev.Cwd:
		f.Event = EventCwdChange
	case f.Program != prev.Program && f.Program == base:
		f.Event = EventCommandExit
	}
	c.statusFacts = f
	c.status.Update(f)
}

func currentUser() string {
	if u, err := user.Current(); err == nil {
		return u.Username
	}
	return strconv.Itoa(os.Getuid())
}
