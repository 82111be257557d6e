package sdk

import (
	"fmt"
	"time"
)

// Kind is the kind of a plugin: what the host calls it for.
type Kind int

// The plugin kinds. KindUnknown is what a host reports for an executable it
// has not (yet) talked to.
const (
	KindUnknown Kind = iota
	KindPredictor
	KindStatus
	KindAuthorizer
)

var kindNames = [...]string{"unknown", "predictor", "status", "authorizer"}

func (k Kind) String() string {
	if k >= 0 && int(k) < len(kindNames) {
		return kindNames[k]
	}
	return fmt.Sprintf("Kind(%d)", int(k))
}

// ParseKind returns the Kind named s ("predictor", "status", "authorizer").
func ParseKind(s string) (Kind, error) {
	for i, n := range kindNames {
		if n == s && i != 0 {
			return Kind(i), nil
		}
	}
	return KindUnknown, fmt.Errorf("sdk: unknown plugin kind %q (want predictor, status or authorizer)", s)
}

// Rect is a rectangle of cells in the client's frame, origin top left.
type Rect struct {
	X, Y, Width, Height int
}

// Pane holds the facts about a pane that plugins may use.
type Pane struct {
	// ID is tmux's pane id, such as "%3".
	ID string
	// Rect is where the pane sits in the client's frame.
	Rect Rect
	// Echo and Canonical are the pty's termios ECHO and ICANON flags. A
	// canonical pane without echo is almost certainly reading a password.
	Echo, Canonical bool
	// Title is the pane title set by the program (OSC 0/2).
	Title string
	// Program is the name of the pane's foreground process, "" when unknown.
	Program string
	// Cwd is the foreground process's working directory, "" when unknown.
	Cwd string
}

// ---- Predictor ----

// PredictRequest is one keystroke the user typed, with the client's view of
// the screen around the cursor.
type PredictRequest struct {
	// Key is the keystroke exactly as the terminal sends it ("a", "\r",
	// "\x7f", "\x1b[D").
	Key []byte
	// Lines are the replica's rows around the cursor, top to bottom, as plain
	// text with trailing blanks trimmed.
	Lines []string
	// CursorLine indexes Lines: the row the cursor is on. CursorCol is the
	// cursor's column in cells, relative to the pane.
	CursorLine, CursorCol int
	// Pane is the active pane.
	Pane Pane
	// SRTT is the link's smoothed round-trip time (RFC 6298).
	SRTT time.Duration
}

// PredictDecision is a predictor's answer for one keystroke.
type PredictDecision int

// The decisions. The zero value, Defer, leaves the keystroke to the client's
// built-in heuristic, which is also what happens when a plugin is slow, down
// or returns an error.
const (
	Defer       PredictDecision = iota // no opinion
	Predict                            // show predictions now, confidently
	DontPredict                        // never show this keystroke speculatively
	Reset                              // drop outstanding predictions, start a new epoch
)

var decisionNames = [...]string{"defer", "predict", "dont-predict", "reset"}

func (d PredictDecision) String() string {
	if d >= 0 && int(d) < len(decisionNames) {
		return decisionNames[d]
	}
	return fmt.Sprintf("PredictDecision(%d)", int(d))
}

// PredictedCell is one cell a predictor asks the client to show.
type PredictedCell struct {
	// Row indexes PredictRequest.Lines (CursorLine is the cursor's row);
	// Col counts cells from the pane's left edge, as CursorCol does. Cells
	// outside Lines or the pane are ignored.
	Row, Col int
	// Text is one width-1 character; "" or " " shows a blank.
	Text string
}

// Prediction is a predictor's answer. Cells is optional: when it is empty
// and Decision is Predict, the client predicts the keystroke's effect itself;
// when given, the cells are shown instead and the cursor after the last one.
type Prediction struct {
	Decision PredictDecision
	Cells    []PredictedCell
}

// ---- Status ----

// Session describes the client's session.
type Session struct {
	ID, Name string
	Windows  int
	Attached int // clients attached
}

// Window describes the session's current window.
type Window struct {
	ID    string
	Index int
	Name  string
	Panes int
}

// Client describes the attached client the status line is drawn for.
type Client struct {
	ID, User      string
	Width, Height int
	Term          string
}

// EventKind says why the host asks a status plugin for segments.
type EventKind int

// The events. EventTick is the plugin's own refresh interval.
const (
	EventTick EventKind = iota
	EventPaneFocus
	EventCwdChange
	EventCommandExit
	EventAttach
)

var eventNames = [...]string{"tick", "pane-focus", "cwd-change", "command-exit", "attach"}

func (e EventKind) String() string {
	if e >= 0 && int(e) < len(eventNames) {
		return eventNames[e]
	}
	return fmt.Sprintf("EventKind(%d)", int(e))
}

// Event is what happened.
type Event struct {
	Kind       EventKind
	PaneID     string
	ExitStatus int // for EventCommandExit
	Time       time.Time
}

// StatusRequest holds the facts a status plugin renders.
type StatusRequest struct {
	Session Session
	Window  Window
	Pane    Pane
	Client  Client
	Event   Event
}

// ColorType says how to read Color.Value.
type ColorType int

// The colour types.
const (
	ColorDefault ColorType = iota // the status line's default colour
	ColorIndexed                  // Value is a 256-colour palette index
	ColorRGB                      // Value is 0xRRGGBB
)

// Color is a segment colour. The zero value is the default colour.
type Color struct {
	Type  ColorType
	Value uint32
}

// Indexed returns palette colour n (0–255).
func Indexed(n uint8) Color { return Color{Type: ColorIndexed, Value: uint32(n)} }

// RGB returns a 24-bit colour.
func RGB(r, g, b uint8) Color {
	return Color{Type: ColorRGB, Value: uint32(r)<<16 | uint32(g)<<8 | uint32(b)}
}

// Attr is a set of text attributes.
type Attr uint32

// The attributes, as SGR names them (ECMA-48 §8.3.117).
const (
	AttrBold Attr = 1 << iota
	AttrDim
	AttrItalic
	AttrUnderline
	AttrReverse
	AttrBlink
)

// Align says which end of the status line a segment belongs to.
type Align int

// The alignments.
const (
	AlignLeft Align = iota
	AlignRight
)

// Segment is a styled piece of the status line.
type Segment struct {
	Text   string
	FG, BG Color
	Attrs  Attr
	Align  Align
}

// StatusConfig is what a status plugin declares once after start.
type StatusConfig struct {
	// Refresh is how often the host asks for segments without an event.
	// Zero means only on events. Hosts enforce a minimum (one second in gosh).
	Refresh time.Duration
}

// ---- Authorizer ----

// Access is what a client asks for.
type Access int

// The accesses.
const (
	AccessReadWrite Access = iota
	AccessReadOnly         // watch only: input is dropped
)

func (a Access) String() string {
	switch a {
	case AccessReadWrite:
		return "read-write"
	case AccessReadOnly:
		return "read-only"
	}
	return fmt.Sprintf("Access(%d)", int(a))
}

// SSHConn holds what the host knows about the ssh connection an attach came
// through. Both fields are empty for a local attach.
type SSHConn struct {
	// ClientAddr is the client's "host:port", from SSH_CONNECTION.
	ClientAddr string
	// KeyFingerprint is the public key's "SHA256:…" fingerprint when sshd
	// exposes it (ExposeAuthInfo / SSH_USER_AUTH), else "".
	KeyFingerprint string
}

// AuthRequest is one attach to authorise.
type AuthRequest struct {
	User    string // the local user asking
	UID     int
	SSH     SSHConn
	Session string // the session's name
	Access  Access
}

// Verdict is an authorizer's answer.
type Verdict int

// The verdicts. The zero value denies, so that a forgotten field fails
// closed.
const (
	Deny Verdict = iota
	Allow
	ReadOnly  // attach, but drop the client's input
	Challenge // ask the user AuthDecision.Prompt and call Answer with the reply
)

var verdictNames = [...]string{"deny", "allow", "read-only", "challenge"}

func (v Verdict) String() string {
	if v >= 0 && int(v) < len(verdictNames) {
		return verdictNames[v]
	}
	return fmt.Sprintf("Verdict(%d)", int(v))
}

// AuthDecision is an authorizer's decision.
type AuthDecision struct {
	Verdict Verdict
	// Reason is shown to the user when the verdict is Deny or ReadOnly.
	Reason string
	// Prompt is the question to ask for a Challenge, such as "TOTP code: ".
	Prompt string
	// Echo says whether the client shows the answer as it is typed.
	Echo bool
	// ChallengeID is opaque to the host and comes back in ChallengeAnswer.
	ChallengeID string
}

// ChallengeAnswer is the user's reply to a challenge, with the request it
// belongs to, so that an authorizer need not keep state between the calls.
type ChallengeAnswer struct {
	Request     AuthRequest
	ChallengeID string
	Answer      string
}

// Description is what a plugin says about itself after the handshake.
type Description struct {
	Name    string
	Kind    Kind
	Version string // the plugin's own version
	// SDKVersion is the SDK release the plugin was built with ("" for a
	// plugin not written with this SDK).
	SDKVersion string
}
