package input

import (
	"bytes"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/goshterm/gosh/mux/layout"
	"github.com/goshterm/gosh/vt"
)

// Kind is the kind of an Action.
type Kind uint8

// Action kinds.
const (
	// Send: write Bytes to Pane's pty. Consecutive sends to one pane are
	// merged into one action.
	Send Kind = iota
	// Command: run Command (a tmux command line from a binding) for this
	// client, through the command table.
	Command
	// CopyMode: put Pane in copy mode; Command is the binding's line
	// ("copy-mode", or "copy-mode -u" to also page up at once).
	CopyMode
	// CopyKey: Pane is in copy mode and Key is for it
	// (copymode.Mode.Key(Key.String())).
	CopyKey
	// Focus: make Pane the active pane (a mouse click on it).
	Focus
	// DragBorder: move Border to column (vertical) or row (horizontal)
	// To: layout.Tree.DragBorder(Border, To), then resize the panes.
	DragBorder
	// Wheel: Lines of scrolling in Pane, which did not ask for the mouse:
	// negative back into the history (entering copy mode if needed, as
	// tmux's "copy-mode -e"), positive forward.
	Wheel
	// Detach: detach this client.
	Detach
	// Click: a left press at (X, Y) outside every pane and border: the
	// status line (compose.Composer.WindowAt says which window's entry
	// is there; tmux selects it) or the area outside a smaller window.
	Click
	// SelectStart: a left-button drag began in Pane, which did not ask
	// for the mouse, at (X, Y) in the pane (where the button went down):
	// copy mode starts there with a selection (tmux's MouseDrag1Pane,
	// copy-mode -M). SelectMove: the drag is at (X, Y), clamped to the
	// pane. SelectEnd: the button went up: the selection is copied and
	// copy mode ends (MouseDragEnd1Pane, copy-pipe-and-cancel).
	SelectStart
	SelectMove
	SelectEnd
)

// Action is one thing the client's input asks for.
type Action struct {
	Kind    Kind
	Pane    layout.PaneID
	Bytes   []byte
	Command string
	Key     Key
	Border  layout.Border
	To      int
	Lines   int
	X, Y    int // Click (frame); SelectStart, SelectMove (in Pane)
}

// PaneState is what input needs to know about a pane.
type PaneState struct {
	ID       layout.PaneID
	Modes    vt.Modes // the pane's screen modes (vt.Screen.Modes)
	CopyMode bool     // keys go to its copy mode
}

// Context is the current window as the client sees it. Frame
// coordinates are window coordinates: the window is drawn at the top
// left of the frame (mux/compose).
type Context struct {
	// Layout is the current window's layout, read (never changed) to
	// route mouse reports; nil sends every report to the active pane, or
	// drops it.
	Layout *layout.Tree
	// LoadLayout, when set and Layout is nil, is called for Layout the
	// first time a mouse report needs it: a caller whose layout takes a
	// copy under a lock pays for it only when the mouse is used, not for
	// every key.
	LoadLayout func() *layout.Tree
	// Active is the active pane; keys go to it.
	Active layout.PaneID
	// Panes are the window's panes; a pane missing here has zero modes.
	Panes []PaneState
}

// layout returns Layout, loading it first when needed (LoadLayout).
func (c *Context) layout() *layout.Tree {
	if c.Layout == nil && c.LoadLayout != nil {
		c.Layout = c.LoadLayout()
		c.LoadLayout = nil
	}
	return c.Layout
}

func (c *Context) pane(id layout.PaneID) PaneState {
	for _, p := range c.Panes {
		if p.ID == id {
			return p
		}
	}
	return PaneState{ID: id}
}

// Defaults for Config.
const (
	// DefaultEscapeTime is how long a lone ESC (or the start of a
	// sequence) waits for the rest before it is taken as the Escape key.
	// tmux 3.5 uses 10 ms; input here arrives over the network in whole
	// reads of the client's terminal, so a sequence split across reads is
	// rare, and 50 ms leaves room for a slow client without making
	// Escape feel late.
	DefaultEscapeTime = 50 * time.Millisecond
	// DefaultRepeatTime is tmux's repeat-time.
	DefaultRepeatTime = 500 * time.Millisecond
	// DefaultWheelLines is how far one wheel step scrolls (tmux's
	// copy-mode WheelUpPane: scroll-up -N 5).
	DefaultWheelLines = 5
)

// Config configures a State. The zero value is tmux's defaults.
type Config struct {
	// Keys are the prefix keys and key tables; nil: Prefix and Bindings.
	Keys       *Keys
	Prefix     Key      // without Keys: the prefix key (zero: C-b)
	Bindings   Bindings // without Keys: the prefix table (nil: DefaultBindings())
	EscapeTime time.Duration
	RepeatTime time.Duration
	WheelLines int
}

// State is one client's input state machine: the bytes its terminal sent
// go in (Feed), actions come out. It is pure: time is an argument, and
// it reads the Context it is given without keeping it. Not safe for
// concurrent use; one per client.
//
//	        prefix              bound key
//	normal ───────▶ prefixed ───────────▶ action (repeating: repeat window)
//	   ▲               │ other key: the root table's action, or dropped
//	   └───────────────┘
//	normal, a key the root table binds ──▶ action
//	switch-client -T NAME (SetTable): the next key is looked up in NAME
//	  as after the prefix (a prefix key there opens the prefix table)
//	confirm-before: prompting ── y ──▶ Command, any other key ──▶ normal
//	command-prompt (StartPrompt): editing ── Enter ──▶ Command, Escape ──▶ normal
//	CSI 200~: pasting ── content streamed to the pane ── CSI 201~ ──▶ normal
type State struct {
	cfg   Config
	keys  *Keys      // the prefix keys and key tables (SetKeys)
	root  Bindings   // keys' root table, looked up for every key
	stops plainStops // the typed keys Plain leaves to Feed with keys

	buf       []byte    // unparsed input: an incomplete sequence
	pendingAt time.Time // when buf became non-empty

	table       string // the table the next key is looked up in; "" is root
	repeatTable string // the table of the last repeating binding
	repeatUntil time.Time
	name        []byte // a key's name, looked up in a table
	confirmCmd  string
	prompt      string
	cmdPrompt   *CommandPrompt // a command prompt being answered (prompt.go)
	pause       bool           // a binding acted: stop so that it runs before the next keys
	paused      bool           // run stopped for pause; TakePaused has the rest

	pasting     bool
	pastePane   layout.PaneID
	pasteDrop   bool // the pane is in copy mode: the paste is dropped
	pasteMarked bool // the pane wants CSI 200~/201~ around it

	dragging   bool
	drag       layout.Border
	capturing  bool // a press went to a pane: its drag and release follow it
	capture    layout.PaneID
	captureOff layout.Rect

	selecting bool // a left press in a pane that did not ask for the mouse
	selMoved  bool // …has moved: a selection is being dragged
	selPane   layout.PaneID
	selRect   layout.Rect
	selX      int // where the button went down, in the pane
	selY      int

	out    []Action
	outBuf []Action // out's storage, reused by the next Feed or Flush
	arena  []byte   // the Send actions' bytes, reused likewise
}

// maxKeptArena bounds the Send bytes' storage kept between Feeds: a paste
// is not pinned for the client's life.
const maxKeptArena = 4096

// New returns a State for one client.
func New(cfg Config) *State {
	keys := cfg.Keys
	if keys == nil {
		keys = DefaultKeys()
		if cfg.Prefix != (Key{}) {
			keys.Prefix = cfg.Prefix
		}
		if cfg.Bindings != nil {
			keys.Tables[TablePrefix] = cfg.Bindings
		}
	}
	if cfg.EscapeTime <= 0 {
		cfg.EscapeTime = DefaultEscapeTime
	}
	if cfg.RepeatTime <= 0 {
		cfg.RepeatTime = DefaultRepeatTime
	}
	if cfg.WheelLines <= 0 {
		cfg.WheelLines = DefaultWheelLines
	}
	s := &State{cfg: cfg}
	s.SetKeys(keys)
	return s
}

// Keys returns the prefix keys and key tables the State uses.
func (s *State) Keys() *Keys { return s.keys }

// SetKeys makes the State use k from the next key on (bind-key,
// unbind-key and set-option prefix change the server's keys). k must not
// change afterwards.
func (s *State) SetKeys(k *Keys) {
	s.keys, s.root, s.stops = k, k.Tables[TableRoot], newPlainStops(k)
	if s.table != "" && !k.HasTable(s.table) {
		s.table = "" // its table went: back to the root table
	}
}

// SetTable makes the next key be looked up in table (switch-client -T):
// "prefix" is as if the prefix key was pressed, "root" (or "") is the
// root table; any other table whose binding acts, or that has no binding
// for the key, leaves the client in the root table again, as tmux does.
func (s *State) SetTable(table string) {
	if table == TableRoot {
		table = ""
	}
	s.table = table
	s.repeatUntil = time.Time{}
}

// Table returns the table the next key is looked up in ("root" when the
// client is in none other), as tmux's client_key_table.
func (s *State) Table() string {
	if s.table == "" {
		return TableRoot
	}
	return s.table
}

// Prompt is the question a confirm-before binding is asking ("kill-pane
// #P? (y/n)", a tmux format the caller may expand), or "" when none is;
// the composer shows it on the status line.
func (s *State) Prompt() string { return s.prompt }

// Confirming reports whether Prompt is a confirm-before question, which
// tmux shows with a space before the cursor, rather than a command
// prompt's label and answer.
func (s *State) Confirming() bool { return s.prompt != "" && s.confirmCmd != "" }

// Prefixed reports whether the prefix key was pressed and the next key
// will be looked up in the bindings.
func (s *State) Prefixed() bool { return s.table == TablePrefix }

// Deadline reports when Flush should be called: the input ends in an
// incomplete sequence (a lone ESC, say) that is taken as keys once the
// escape time has passed without more bytes.
//
// Inside a bracketed paste there is no deadline: a tail that may begin
// the end marker waits for the next bytes, however late, because taking
// half a marker as text would leave the paste open and every later key
// (the prefix included) would be pasted.
func (s *State) Deadline() (time.Time, bool) {
	if len(s.buf) == 0 || s.pasting {
		return time.Time{}, false
	}
	return s.pendingAt.Add(s.cfg.EscapeTime), true
}

// Feed parses b, the bytes the client's terminal sent, and returns what
// they ask for. now is the time they arrived. Bytes that begin a sequence
// are kept for the next Feed or Flush, so a sequence split across reads
// is handled whole, and a mouse report is never passed on in part.
//
// The actions and their Bytes are valid until the next Feed or Flush,
// which reuses their storage (a keystroke allocates nothing): carry them
// out first, or copy them.
func (s *State) Feed(ctx *Context, b []byte, now time.Time) []Action {
	if len(s.buf) == 0 && len(b) > 0 {
		s.pendingAt = now
	}
	s.buf = append(s.buf, b...)
	return s.run(ctx, now, false)
}

// Plain reports whether Feed(ctx, b, now) would do nothing but send b,
// byte for byte, to ctx's active pane, provided that pane is not in copy
// mode, and would leave the state as it is: no sequence is pending, no
// prefix, other key table, prompt, paste or repeat window is open, and b
// holds only characters and control keys that are neither prefix key,
// that the root table does not bind, and that no pane mode re-encodes
// (no ESC: every sequence, and Escape, takes the slow way). A caller may
// then write b to the active pane itself and skip Feed, with no Context
// to build: typing's fast path.
func (s *State) Plain(b []byte, now time.Time) bool {
	// A binding that stopped the run (TakePaused) left keys in buf.
	if len(b) == 0 || len(s.buf) > 0 || s.table != "" || s.prompt != "" || s.cmdPrompt != nil ||
		s.pasting || now.Before(s.repeatUntil) {
		return false
	}
	for len(b) > 0 {
		// Without ESC, a key is a character or a control key, passed
		// on as it came (reencode changes only cursor and keypad keys,
		// which begin with ESC); an incomplete UTF-8 character waits.
		// An ASCII byte is a key by itself, told by one look (ESC,
		// the prefix keys and the root table's keys are marked).
		if c := b[0]; c < utf8.RuneSelf {
			if s.stops.bytes[c] {
				return false
			}
			b = b[1:]
			continue
		}
		ev, n := parseEvent(b, false)
		if n == 0 || s.stops.stopsRune(ev.key) {
			return false
		}
		b = b[n:]
	}
	return true
}

// TakePaused returns the bytes Feed (or Flush) left unread because a
// binding acted before them, and forgets them: the caller carries out the
// actions first, then feeds these bytes again. Keys typed right after a
// binding arrive in the same read over a slow link, and the binding may
// change what they do: prefix [ then k moves in copy mode, prefix , then
// a name answers the prompt, prefix q then 1 picks a pane. A caller that
// never takes them gets them at the Deadline, through Flush.
func (s *State) TakePaused() []byte {
	if !s.paused {
		return nil
	}
	s.paused = false
	out := append([]byte(nil), s.buf...)
	s.buf = s.buf[:0]
	return out
}

// Flush resolves an incomplete sequence whose escape time has passed at
// now (a lone ESC becomes the Escape key). It does nothing before the
// Deadline.
func (s *State) Flush(ctx *Context, now time.Time) []Action {
	d, ok := s.Deadline()
	if !ok || now.Before(d) {
		return nil
	}
	return s.run(ctx, now, true)
}

func (s *State) run(ctx *Context, now time.Time, final bool) []Action {
	if ctx == nil {
		ctx = &Context{}
	}
	s.out, s.arena = s.outBuf[:0], s.arena[:0]
	buf := s.buf
	for len(buf) > 0 {
		if s.pasting {
			buf = s.paste(buf, final)
			if s.pasting {
				break
			}
			continue
		}
		ev, n := parseEvent(buf, final)
		if n == 0 {
			break
		}
		s.handle(ctx, ev, now)
		buf = buf[n:]
		if s.pause {
			s.pause = false
			s.paused = len(buf) > 0
			break
		}
	}
	// Keep the unparsed tail at the front of the buffer.
	n := copy(s.buf, buf)
	s.buf = s.buf[:n]
	if n > 0 && final {
		s.pendingAt = now
	}
	if cap(s.buf) > 4096 && n < 256 {
		s.buf = append([]byte(nil), s.buf...) // don't pin a huge read
	}
	out := s.out
	s.out, s.outBuf = nil, out[:0]
	if cap(s.arena) > maxKeptArena {
		s.arena = nil
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

var pasteEnd = []byte("\x1b[201~")

// paste streams bracketed-paste content to its pane until the end marker.
// A tail that may be the start of the marker is kept, unless final.
func (s *State) paste(buf []byte, final bool) []byte {
	if i := bytes.Index(buf, pasteEnd); i >= 0 {
		s.pasteContent(buf[:i])
		if s.pasteMarked {
			s.send(s.pastePane, pasteEnd)
		}
		s.pasting = false
		return buf[i+len(pasteEnd):]
	}
	keep := 0
	if !final {
		for k := min(len(pasteEnd)-1, len(buf)); k > 0; k-- {
			if bytes.HasPrefix(pasteEnd, buf[len(buf)-k:]) {
				keep = k
				break
			}
		}
	}
	s.pasteContent(buf[:len(buf)-keep])
	return buf[len(buf)-keep:]
}

func (s *State) pasteContent(b []byte) {
	if len(b) > 0 && !s.pasteDrop {
		s.send(s.pastePane, b)
	}
}

// emit appends an action, merging consecutive sends to one pane.
func (s *State) emit(a Action) {
	if a.Kind == Send {
		if len(a.Bytes) == 0 {
			return
		}
		// The bytes go to the arena; a send that continues the last one
		// extends it there (its bytes are the arena's tail).
		start := len(s.arena)
		n := len(s.out)
		merge := n > 0 && s.out[n-1].Kind == Send && s.out[n-1].Pane == a.Pane
		if merge {
			start -= len(s.out[n-1].Bytes)
		}
		s.arena = append(s.arena, a.Bytes...)
		b := s.arena[start:len(s.arena):len(s.arena)]
		if merge {
			s.out[n-1].Bytes = b
			return
		}
		a.Bytes = b
	}
	s.out = append(s.out, a)
}

func (s *State) send(p layout.PaneID, b []byte) {
	s.emit(Action{Kind: Send, Pane: p, Bytes: b})
}

func (s *State) handle(ctx *Context, ev event, now time.Time) {
	switch ev.kind {
	case evKey:
		s.key(ctx, ev.key, ev.raw, now)
	case evMouse:
		s.mouse(ctx, ev.mouse)
	case evFocusIn, evFocusOut:
		// The client's terminal gained or lost focus: the active pane
		// hears of it if it asked (?1004).
		if p := ctx.pane(ctx.Active); p.Modes.FocusEvents && !p.CopyMode {
			s.send(p.ID, ev.raw)
		}
	case evPasteStart:
		s.table = ""
		p := ctx.pane(ctx.Active)
		s.pasting = true
		s.pastePane = p.ID
		s.pasteDrop = p.CopyMode || s.prompt != ""
		s.pasteMarked = p.Modes.BracketedPaste
		if s.pasteMarked && !s.pasteDrop {
			s.send(p.ID, ev.raw)
		}
	}
}

func (s *State) key(ctx *Context, k Key, raw []byte, now time.Time) {
	if k.Code == KeyUnknown && len(raw) == 0 {
		return // a dropped fragment
	}
	if s.cmdPrompt != nil {
		s.promptKey(k)
		return
	}
	if s.prompt != "" {
		if k.Mods == 0 && (k.Rune == 'y' || k.Rune == 'Y') {
			s.emit(Action{Kind: Command, Command: s.confirmCmd})
		}
		s.prompt, s.confirmCmd = "", ""
		return
	}
	if s.table != "" {
		table := s.table
		s.table = ""
		s.tableKey(ctx, table, k, now)
		return
	}
	if now.Before(s.repeatUntil) {
		if b, ok := s.lookup(s.repeatTable, k); ok && b.Repeat {
			s.bound(ctx, s.repeatTable, b, now)
			return
		}
		s.repeatUntil = time.Time{}
	}
	if s.keys.isPrefix(k) {
		s.table = TablePrefix
		return
	}
	p := ctx.pane(ctx.Active)
	if p.CopyMode {
		// As in tmux, a pane in copy mode takes the keys the root
		// table would (its own table replaces root).
		s.emit(Action{Kind: CopyKey, Pane: p.ID, Key: k})
		return
	}
	if b, ok := s.lookup(TableRoot, k); ok {
		s.bound(ctx, TableRoot, b, now)
		return
	}
	s.send(p.ID, reencode(k, raw, p.Modes))
}

// tableKey handles k typed with a table open (after the prefix, or
// switch-client -T), in the order of tmux's server_client_handle_key: a
// prefix key opens the prefix table from any other table; then the
// table's binding; then, for a key the table does not bind, the root
// table's; a key neither binds goes nowhere, not to the pane.
func (s *State) tableKey(ctx *Context, table string, k Key, now time.Time) {
	if table != TablePrefix && s.keys.isPrefix(k) {
		s.table = TablePrefix
		return
	}
	if b, ok := s.lookup(table, k); ok {
		s.bound(ctx, table, b, now)
		return
	}
	if table == TablePrefix && s.keys.isPrefix(k) {
		// The prefix twice sends it, whatever key it is (tmux needs
		// an explicit "bind C-a send-prefix" after changing it).
		cmd := "send-prefix"
		if k != s.keys.Prefix {
			cmd = "send-prefix -2"
		}
		s.bound(ctx, table, Binding{Command: cmd}, now)
		return
	}
	if b, ok := s.lookup(TableRoot, k); ok {
		s.bound(ctx, TableRoot, b, now)
	}
}

// lookup finds k's binding in table, by the key's name, without
// allocating it.
func (s *State) lookup(table string, k Key) (Binding, bool) {
	t := s.root
	if table != TableRoot {
		t = s.keys.Tables[table]
	}
	if len(t) == 0 {
		return Binding{}, false
	}
	s.name = k.appendName(s.name[:0])
	b, ok := t[string(s.name)]
	return b, ok
}

// reencode returns the bytes for a key as the pane's modes want them.
// The client's terminal may be in another mode than the pane (mosh puts
// the real terminal in application cursor mode for good, mosh-protocol
// §8.6), so cursor keys are re-encoded by the pane's DECCKM and keypad
// keys by its DECKPAM; every other key passes unchanged.
func reencode(k Key, raw []byte, m vt.Modes) []byte {
	if reencoded(k) {
		return encodeKey(k, m.AppCursorKeys, m.AppKeypad)
	}
	return raw
}

// reencoded reports whether reencode may change a key's bytes: an
// unmodified cursor or keypad key. A character (most keys) is told by its
// Code alone, before the look through the keypad's finals.
func reencoded(k Key) bool {
	if k.Mods != 0 || k.Code == KeyNone {
		return false
	}
	if _, ok := cursorFinal(k.Code); ok {
		return true
	}
	_, ok := keypadFinal(k.Code)
	return ok
}

// bound runs a binding of table.
func (s *State) bound(ctx *Context, table string, b Binding, now time.Time) {
	if b.Repeat {
		s.repeatUntil, s.repeatTable = now.Add(s.cfg.RepeatTime), table
	} else {
		s.repeatUntil = time.Time{}
	}
	cmd := strings.TrimSpace(b.Command)
	switch {
	case isSequence(cmd):
		// Several commands (bind-key x new-window \; split-window): the
		// command table runs them in turn, whatever the first is.
		s.emit(Action{Kind: Command, Command: cmd})
		s.pause = true
	case cmd == "send-prefix" || cmd == "send-prefix -2":
		// The prefix the client typed, as this client's state knows it
		// (the command-table send-prefix reads the option instead).
		k := s.keys.Prefix
		if cmd != "send-prefix" {
			k = s.keys.Prefix2
		}
		p := ctx.pane(ctx.Active)
		if k != (Key{}) {
			s.send(p.ID, encodeKey(k, p.Modes.AppCursorKeys, p.Modes.AppKeypad))
		}
	case cmd == "detach-client":
		s.emit(Action{Kind: Detach})
	case cmd == "copy-mode" || strings.HasPrefix(cmd, "copy-mode "):
		s.emit(Action{Kind: CopyMode, Pane: ctx.Active, Command: cmd})
		s.pause = true
	default:
		if prompt, run, ok := parseConfirm(cmd); ok {
			s.prompt, s.confirmCmd = prompt, run
			return
		}
		s.emit(Action{Kind: Command, Command: cmd})
		s.pause = true
	}
}

// isSequence reports whether a command line holds more than one
// command: a ';' outside quotes ends one, escaped or not (tmux's command
// syntax; a binding's commands are kept separated by "\;").
func isSequence(line string) bool {
	var quote byte
	for i := 0; i < len(line); i++ {
		switch c := line[i]; {
		case quote != 0:
			if c == quote {
				quote = 0
			} else if c == '\\' && quote == '"' {
				i++
			}
		case c == '\'' || c == '"':
			quote = c
		case c == ';':
			return true
		case c == '\\' && i+1 < len(line) && line[i+1] != ';':
			i++
		}
	}
	return false
}

// mouse routes one mouse report, as tmux does with "mouse on": a press
// on another pane focuses it; a report a pane asked for (?1000 …) goes to
// it in its encoding, pane-relative, and the drag and release after a
// press follow that pane; a press on a border starts dragging it; the
// wheel over a pane that did not ask scrolls it (copy mode).
func (s *State) mouse(ctx *Context, m Mouse) {
	if s.dragging {
		switch m.Action {
		case MouseMotion:
			if b, ok := findBorder(ctx.layout(), s.drag); ok {
				s.drag = b
				to := m.Y
				if b.Vertical {
					to = m.X
				}
				s.emit(Action{Kind: DragBorder, Border: b, To: to})
			}
			return
		case MouseRelease:
			s.dragging = false
			return
		}
		s.dragging = false
	}
	if s.selecting && m.Action != MousePress && !m.Wheel() {
		r := s.selRect
		switch {
		case m.Action == MouseRelease:
			s.selecting = false
			if s.selMoved {
				s.emit(Action{Kind: SelectEnd, Pane: s.selPane})
			}
		case m.Button == ButtonLeft:
			if !s.selMoved {
				s.selMoved = true
				s.emit(Action{Kind: SelectStart, Pane: s.selPane, X: s.selX, Y: s.selY})
			}
			s.emit(Action{Kind: SelectMove, Pane: s.selPane,
				X: min(max(m.X-r.X, 0), r.W-1), Y: min(max(m.Y-r.Y, 0), r.H-1)})
		}
		return
	}
	s.selecting = false
	if s.capturing && (m.Action != MousePress || m.Wheel()) {
		p := ctx.pane(s.capture)
		rel := m
		rel.X, rel.Y = max(m.X-s.captureOff.X, 0), max(m.Y-s.captureOff.Y, 0)
		if m.Action == MouseRelease {
			s.capturing = false
		}
		if p.Modes.Mouse != vt.MouseNone && !p.CopyMode {
			s.send(p.ID, EncodeMouse(rel, p.Modes.Mouse, p.Modes.MouseEncoding))
		}
		return
	}
	s.capturing = false
	var id layout.PaneID
	var r layout.Rect
	if tree := ctx.layout(); tree == nil {
		id = ctx.Active
		r = layout.Rect{W: 1 << 20, H: 1 << 20}
	} else {
		found := false
		for _, pr := range tree.Rects() {
			if pr.Contains(m.X, m.Y) {
				id, r, found = pr.Pane, pr.Rect, true
				break
			}
		}
		if !found {
			if m.Action == MousePress && m.Button == ButtonLeft {
				if b, ok := tree.BorderAt(m.X, m.Y); ok {
					s.dragging, s.drag = true, b
				} else {
					s.emit(Action{Kind: Click, X: m.X, Y: m.Y})
				}
			}
			return
		}
	}
	p := ctx.pane(id)
	if m.Action == MousePress && !m.Wheel() && id != ctx.Active {
		s.emit(Action{Kind: Focus, Pane: id})
	}
	if p.Modes.Mouse != vt.MouseNone && !p.CopyMode {
		rel := m
		rel.X, rel.Y = m.X-r.X, m.Y-r.Y
		s.send(id, EncodeMouse(rel, p.Modes.Mouse, p.Modes.MouseEncoding))
		if m.Action == MousePress && !m.Wheel() {
			s.capturing, s.capture, s.captureOff = true, id, r
		}
		return
	}
	if m.Action == MousePress && m.Button == ButtonLeft {
		s.selecting, s.selMoved, s.selPane, s.selRect = true, false, id, r
		s.selX, s.selY = m.X-r.X, m.Y-r.Y
		return
	}
	if m.Action == MousePress && m.Wheel() {
		lines := s.cfg.WheelLines
		if m.Button == ButtonWheelUp {
			lines = -lines
		}
		s.emit(Action{Kind: Wheel, Pane: id, Lines: lines})
	}
}

// findBorder finds where the border being dragged is now: the same line
// (orientation, extent) at or nearest to where it was, since the caller
// moved it after the last DragBorder action (or could not).
func findBorder(t *layout.Tree, prev layout.Border) (layout.Border, bool) {
	if t == nil {
		return prev, false
	}
	if b, ok := t.BorderAt(prev.X, prev.Y); ok && b == prev {
		return b, true
	}
	w, h := t.Size()
	span := w
	if !prev.Vertical {
		span = h
	}
	for d := 1; d < span; d++ {
		for _, sign := range [2]int{-1, 1} {
			x, y := prev.X, prev.Y
			if prev.Vertical {
				x += sign * d
			} else {
				y += sign * d
			}
			b, ok := t.BorderAt(x, y)
			if !ok || b.Vertical != prev.Vertical || b.Len != prev.Len {
				continue
			}
			if (prev.Vertical && b.Y == prev.Y) || (!prev.Vertical && b.X == prev.X) {
				return b, true
			}
		}
	}
	return prev, false
}
