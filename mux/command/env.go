package command

import (
	"context"
	"io"
)

// Ref names one pane and the window and session it is reached through, by
// their ids (tmux's $session, @window, %pane). Env resolves a target into a
// Ref; a session or window target yields its active window and pane.
type Ref struct {
	Session, Window, Pane int
}

// Direction is a pane neighbour or resize direction.
type Direction int

// Directions, as in select-pane -L/-R/-U/-D.
const (
	Left Direction = iota
	Right
	Up
	Down
)

// NewSessionOptions configure new-session.
type NewSessionOptions struct {
	Name          string // "" lets the server pick ("0", "1", …)
	WindowName    string
	Dir           string // "" is the client's directory
	Width, Height int    // 0 for the default (80x24)
	Command       []string
	Env           map[string]string // -e: added to the first pane's environment
}

// WindowOptions configure new-window.
type WindowOptions struct {
	Name    string
	Dir     string
	Index   int  // -1 for the next free index
	After   bool // -a: the index after Index (the current window's), moving later windows up
	Before  bool // -b: Index itself (the current window's), moving the windows from there up
	Kill    bool // -k: close the window at Index first
	Detach  bool
	Command []string
	Env     map[string]string // -e: added to the pane's environment
}

// SplitOptions configure split-window.
type SplitOptions struct {
	// Horizontal puts the new pane to the right (tmux -h); otherwise
	// below (-v).
	Horizontal bool
	// Before puts the new pane left of or above the target (-b).
	Before bool
	// Size is the new pane's size in cells, or Percent of the target's
	// size; both zero means half.
	Size, Percent int
	Dir           string
	Detach        bool
	Command       []string
	Env           map[string]string // -e: added to the pane's environment
	// Full splits the whole window instead of the target pane (-f): the
	// new pane spans its full height (-h) or width.
	Full bool
}

// BreakOptions configure break-pane.
type BreakOptions struct {
	// Name names the new window (-n); "" keeps the window's name when the
	// pane was alone in it, else automatic-rename.
	Name string
	// Index is the new window's index, -1 for the next free one. With
	// After or Before (-a, -b) the window goes just after or before
	// Index, and the windows from there up to the next free index move
	// up by one.
	Index         int
	After, Before bool
	// Detach leaves the current window current (-d).
	Detach bool
}

// MoveOptions configure move-window.
type MoveOptions struct {
	// Index, After, Before and Detach are as in BreakOptions.
	Index         int
	After, Before bool
	Detach        bool
	// Kill closes a window already at Index (-k) instead of failing.
	Kill bool
}

// CaptureOptions configure capture-pane.
type CaptureOptions struct {
	// Start and End are line numbers: 0 is the first visible line,
	// negative numbers reach into the scrollback. HasStart/HasEnd false
	// means the visible screen's first/last line; StartHistory ("-S -")
	// means the oldest scrollback line and EndVisible ("-E -") the last.
	Start, End         int
	HasStart, HasEnd   bool
	StartHistory       bool
	EndVisible         bool
	Escapes            bool // -e: include SGR sequences
	Join               bool // -J: join wrapped lines, keep trailing spaces
	PreserveTrailing   bool // -N
	Alternate          bool // -a: the main screen a full-screen program hides (tmux's alternate screen)
	IgnoreMissingAlter bool // -q: -a without one is no error
}

// Env is what commands act on: the multiplexer implements it for each
// request. Methods return errors already phrased for the user, such as
// "can't find session: foo". Implementations serialise calls themselves;
// a command's Exec makes its calls in sequence.
type Env interface {
	// Stdout receives the command's output.
	Stdout() io.Writer
	// Cwd is the client's working directory, the default for -c.
	Cwd() string

	// Find resolves a target (see ParseTarget); "" is the current
	// session, window or pane.
	Find(target string, kind Kind) (Ref, error)
	// Vars returns the format variables for r.
	Vars(r Ref) Vars
	// Sessions lists every session (sorted by name), Windows the windows
	// of r's session (by index), Panes the panes of r's window (in layout
	// order).
	Sessions() []Ref
	Windows(r Ref) []Ref
	Panes(r Ref) []Ref

	NewSession(o NewSessionOptions) (Ref, error)
	KillSession(r Ref) error
	RenameSession(r Ref, name string) error

	NewWindow(r Ref, o WindowOptions) (Ref, error)
	SelectWindow(r Ref) error
	KillWindow(r Ref) error
	RenameWindow(r Ref, name string) error

	SplitWindow(r Ref, o SplitOptions) (Ref, error)
	SelectPane(r Ref) error
	// Neighbor returns the pane next to r in direction d (wrapping
	// around, as tmux does).
	Neighbor(r Ref, d Direction) (Ref, error)
	ResizePane(r Ref, d Direction, cells int) error
	// ResizePaneTo makes r's cell cells wide (width) or high: resize-pane
	// -x/-y, which moves whichever border tmux's layout_resize_pane_to
	// moves (the one before the cell when it is the last of its split).
	ResizePaneTo(r Ref, width bool, cells int) error
	ToggleZoom(r Ref) error
	KillPane(r Ref) error
	// SwapPanes swaps two panes' places. In one window the dst pane ends
	// active, or with detach the src pane (tmux 3.3a's swap-pane, whose
	// -d picks src); across windows each window's active place keeps a
	// pane.
	SwapPanes(src, dst Ref, detach bool) error
	// SelectLayout arranges r's window by a preset name; "" applies the
	// window's last preset again, if it had one.
	SelectLayout(r Ref, name string) error
	// StepLayout applies the preset after (step 1, next-layout) or
	// before (-1, previous-layout) the window's last one.
	StepLayout(r Ref, step int) error
	// SpreadLayout evens out the cells around r's pane (select-layout
	// -E).
	SpreadLayout(r Ref) error
	// UndoLayout puts back the layout before the last select-layout
	// (select-layout -o).
	UndoLayout(r Ref) error
	// RotateWindow moves the panes of r's window one cell along pane
	// order (rotate-window): up, or down when down is set; keepZoom
	// zooms the new active pane when the window was zoomed (-Z).
	RotateWindow(r Ref, down, keepZoom bool) error
	// BreakPane moves r's pane into a new window of dst's session
	// (break-pane) and returns where it is now.
	BreakPane(r, dst Ref, o BreakOptions) (Ref, error)
	// JoinPane moves src's pane next to dst's, splitting dst's cell as
	// o says (Dir, Command and Env unused): join-pane.
	JoinPane(src, dst Ref, o SplitOptions) (Ref, error)
	// MoveWindow moves r's window to dst's session (move-window).
	MoveWindow(r, dst Ref, o MoveOptions) (Ref, error)
	// SwapWindows exchanges the places (index and session) of src's and
	// dst's windows (swap-window); unless detach, src's window is then
	// current.
	SwapWindows(src, dst Ref, detach bool) error
	// RenumberWindows gives r's session's windows consecutive indexes
	// from base-index, in order (move-window -r).
	RenumberWindows(r Ref) error

	// KeyModes are the modes of r's pane that change key encoding.
	KeyModes(r Ref) KeyModes
	// Send writes input to r's pane.
	Send(r Ref, b []byte) error
	Capture(r Ref, o CaptureOptions) (string, error)

	// SetOption sets an option on r's session or window, or globally.
	SetOption(r Ref, global bool, name, value string) error
	KillServer() error
}

// Exec is what a command does once its arguments are parsed.
type Exec func(ctx context.Context, env Env, a *Args) error
