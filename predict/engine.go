package predict

import (
	"time"
	"unicode/utf8"

	"github.com/goshterm/gosh/vt"
)

// Engine is the prediction engine of one client. Feed it what the user
// types (NewUserInput), every new server frame with its echo ack (Cull), and
// draw what Apply returns. See the package documentation for the model.
//
// An Engine is not safe for concurrent use.
type Engine struct {
	mode      Mode
	overwrite bool
	heur      Heuristic
	builtin   bool // heur is Builtin: context lines are built only when it reads them

	sendInterval, srtt time.Duration
	pane               PaneFacts

	cols, rows int          // size of the frames the guesses were made on (0: none yet)
	cells      [][]cellPred // cells[y] is nil until row y gets a guess
	live       []int        // live[y]: active guesses in cells[y]
	nlive      int          // active cell guesses in all
	cursors    []cursorPred // newest last

	epoch     uint64 // the epoch new guesses join
	confirmed uint64 // guesses of epochs ≤ confirmed are shown
	lateAck   uint64 // newest echo ack: keys in client states ≤ lateAck have had their echo
	lastFrame uint64 // newest client state that carried keys
	keyFrame  uint64 // client state of the last key handled (guessed or not)

	srttTrigger bool
	flagging    bool
	glitch      int       // glitch trigger: > 0 shows, > glitchRepairCount underlines
	lastQuick   time.Time // last quick confirmation that counted the glitch trigger down

	// proven: the program echoed a guess as guessed (a confirmed cell),
	// and since then every key was guessed and no guess proved wrong
	// (KeyContext.Proven).
	proven bool
	// blind: guesses were thrown away while keys were in flight, so the
	// frame's cursor is not where the next key lands until the frame has
	// caught up with every key typed; nothing is guessed until then.
	blind bool
	// lateAny: the last cull left a guess waiting for a late echo.
	lateAny bool
	// suspects are guesses judged wrong on an unchanged cell, watched
	// for a while in case their echo still comes; lagUntil is until when
	// the program counts as slow because one did (see lateEcho).
	suspects []suspect
	lagUntil time.Time

	typed int // printable keys on the current input line (a lower bound)
	keys  keyReader

	scratch *vt.Screen // one row, to measure widths and grapheme joins as vt draws them
	buf     []byte     // overlay bytes, reused
	line    []byte     // context line being built, reused
	lines   []string   // KeyContext.Lines, reused

	stats Stats
}

// cellPred is the guess for one cell.
type cellPred struct {
	active  bool
	unknown bool // the cell will change but we can't tell to what: only underlined
	shown   bool // Apply has drawn it
	text    string
	style   vt.Style
	epoch   uint64    // tentative while epoch > Engine.confirmed
	expire  uint64    // judged once the echo ack reaches this client state
	at      time.Time // when it was made (for the glitch trigger)
	orig    [maxOriginals]string
	norig   int
	// old is the shown guess this one replaced when a key of a newer,
	// still unconfirmed epoch changed the cell (typing into the middle of
	// a line after a key that started an epoch). It stays on the screen
	// until the new guess is confirmed or the echo ack passes its own key,
	// so the line doesn't flicker back to the server's older text.
	old    oldGuess
	hasOld bool
	// late is when the echo ack first covered this guess while the frame
	// still showed the cell as it was before the key (LateEchoGrace).
	late time.Time
}

// suspect is a guess judged wrong while its cell was unchanged.
type suspect struct {
	x, y  int
	text  string
	until time.Time
}

type oldGuess struct {
	text    string
	style   vt.Style
	unknown bool
	expire  uint64
}

// cursorPred is a guessed cursor position.
type cursorPred struct {
	x, y   int
	epoch  uint64
	expire uint64
	at     time.Time
	// wrap: a character was just put in the last column of the pane, so
	// the program's cursor is either still there (a terminal's pending
	// wrap) or already at the start of the next row; both count as right.
	wrap bool
	left int // the pane's left column, for wrap
	// anchor: put at the server's cursor when an epoch was killed, so
	// that later keys start from there; never judged wrong.
	anchor bool
	shown  bool
	late   time.Time // as cellPred.late
}

// Stats counts what the engine did, for the client's --stats and for
// benchmarks. Cells count one per screen cell guessed, so a key typed in
// insert mode in the middle of a line may count several.
type Stats struct {
	Keys       uint64 // keys read (none in mode Never, nor in a paste)
	Predicted  uint64 // keys a guess was made for
	Immediate  uint64 // epochs shown at once on the heuristic's word
	Shown      uint64 // guessed cells drawn at least once
	Confirmed  uint64 // guessed cells the server's frame proved right
	Wrong      uint64 // guessed cells the server's frame proved wrong
	WrongShown uint64 // wrong guesses (cells or cursor) that had been drawn
	Rollbacks  uint64 // unconfirmed epochs killed by a wrong guess
	Resets     uint64 // times every outstanding guess was thrown away
	Pastes     uint64 // reads longer than PasteThreshold
}

// New returns an engine with no guesses. The link is assumed fast (send
// interval 0) until SetSendInterval says otherwise.
func New(cfg Config) *Engine {
	e := &Engine{
		mode:      cfg.Mode,
		overwrite: cfg.Overwrite,
		heur:      cfg.Heuristic,
		epoch:     1,
		scratch:   vt.NewScreen(8, 1),
	}
	if e.heur == nil {
		e.heur = Builtin{}
	}
	_, e.builtin = e.heur.(Builtin)
	return e
}

// Mode returns the configured mode.
func (e *Engine) Mode() Mode { return e.mode }

// SetSendInterval tells the engine the transport's current send interval
// (mosh-protocol.md §6.1: ceil(SRTT/2) clamped to [20, 250] ms), which
// drives the display and underline triggers. Call it whenever it changes,
// before Cull.
func (e *Engine) SetSendInterval(d time.Duration) { e.sendInterval = d }

// SetSRTT tells the engine the transport's smoothed round-trip time, which
// heuristics see. Without it they see twice the send interval.
func (e *Engine) SetSRTT(d time.Duration) { e.srtt = d }

// SetPane tells the engine the server's facts about the active pane, as
// carried by the newest server frame; call it before Cull with that frame.
// Guesses are thrown away when the active pane moves or changes, and when
// it enters the no-echo state of a password prompt (so nothing typed there
// stays on the screen).
func (e *Engine) SetPane(f PaneFacts) {
	if !f.Known {
		f = PaneFacts{}
	}
	old := e.pane
	e.pane = f
	if (old.Known != f.Known || old.Rect != f.Rect) && e.Active() {
		e.reset()
	}
	if f.NoEcho() && e.Active() {
		e.reset()
	}
	if old.Canonical != f.Canonical || old.Echo != f.Echo {
		e.typed = 0
	}
	if old.Canonical != f.Canonical || old.Echo != f.Echo || old.Program != f.Program || old.Known != f.Known {
		e.proven = false
	}
}

// Pane returns the facts last given to SetPane.
func (e *Engine) Pane() PaneFacts { return e.pane }

// Reset throws every guess away, as a window resize must (the client calls
// it on SIGWINCH; Cull also notices a frame of a new size). What is typed
// next waits for confirmation again.
func (e *Engine) Reset() {
	e.reset()
	e.keys.reset()
}

// Active reports whether any guess is outstanding.
func (e *Engine) Active() bool { return e.nlive > 0 || len(e.cursors) > 0 }

// Stats returns the counters.
func (e *Engine) Stats() Stats { return e.stats }

// Showing reports whether Apply would currently draw confirmed guesses:
// the mode allows it, and in Adaptive mode the link is slow or has
// glitched.
func (e *Engine) Showing() bool {
	if e.pane.NoEcho() {
		return false
	}
	switch e.mode {
	case Always, Experimental:
		return true
	case Adaptive:
		return e.srttTrigger || e.glitch > 0
	}
	return false
}

// Flagging reports whether drawn guesses are underlined.
func (e *Engine) Flagging() bool { return e.flagging }

// WaitTime returns how long the client may wait before calling Cull again
// when nothing else happens: ActiveWait while guesses are outstanding and
// a timing trigger (glitch, underline) could still fire, NoWait otherwise.
func (e *Engine) WaitTime(now time.Time) time.Duration {
	switch {
	case e.mode == Never || !e.Active():
		return NoWait
	case e.lateAny:
		return lateEchoPoll // judge it soon after its grace ends
	case e.glitch > 0 && e.flagging:
		return NoWait
	}
	return ActiveWait
}

// NewUserInput records keys the user typed, read in one read from the
// terminal, and guesses their effect on fb, the newest server frame.
// frameNum is the number of the client state (ssp) that carries these keys
// to the server; their guesses are judged once the server's echo ack
// reaches it. A read longer than PasteThreshold bytes is a paste: it throws
// the guesses away instead.
func (e *Engine) NewUserInput(now time.Time, keys []byte, frameNum uint64, fb *vt.Screen) {
	if e.mode == Never {
		return
	}
	e.lastFrame = max(e.lastFrame, frameNum)
	e.cull(now, fb)
	if len(keys) > PasteThreshold {
		e.keys.reset()
		e.typed = 0
		e.reset()
		e.stats.Pastes++
		return
	}
	for _, b := range keys {
		k, ok, k2, ok2 := e.keys.feed(b)
		if ok {
			e.key(now, k, frameNum, fb)
		}
		if ok2 {
			e.key(now, k2, frameNum, fb)
		}
	}
	if k, ok := e.keys.flush(); ok {
		e.key(now, k, frameNum, fb)
	}
}

// Cull judges the outstanding guesses against fb, the newest server frame,
// whose echo ack is lateAck (mosh-protocol.md §6.8): guesses whose key the
// ack covers are retired when right and withdrawn when wrong. Call it for
// every new frame, after each WaitTime, and before Apply.
func (e *Engine) Cull(now time.Time, fb *vt.Screen, lateAck uint64) {
	e.lateAck = max(e.lateAck, lateAck)
	e.cull(now, fb)
}

// key handles one parsed key.
func (e *Engine) key(now time.Time, k Key, frame uint64, fb *vt.Screen) {
	e.stats.Keys++
	defer e.track(k)
	if k.Kind == KeyRune && k.Rune >= 0x80 {
		k.Width = e.runeWidth(k.Seq)
	}
	if e.mode == Experimental {
		e.epoch = e.confirmed
	}
	if e.pane.NoEcho() {
		if e.Active() {
			e.reset()
		}
		return
	}
	b := e.bounds(fb)
	cur := e.cursorPos(fb)
	if b.Empty() || !b.Contains(cur) {
		// The cursor isn't in the active pane (a mux prompt, a status
		// line): we don't know where typing goes.
		e.becomeTentative()
		e.proven = false
		return
	}
	// Showing a key at once is safe only when the frame is up to date:
	// nothing guessed is outstanding and the echo ack covers every key
	// typed before (one that wasn't guessed may have moved the cursor).
	pending := e.Active() || e.lateAck < e.keyFrame
	e.keyFrame = frame
	if e.blind && !pending {
		e.blind = false
	}
	if e.blind {
		// Guessing from the frame's cursor now would put this key where
		// the keys still in flight have not yet moved it: wrong, and
		// its rollback would anchor the next key wrong again (a run of
		// 15 wrong guesses in one bench/echo vim session).
		e.becomeTentative()
		e.proven = false
		return
	}
	ctx := KeyContext{
		Key: k, Cursor: cur, Bounds: b, Col: cur.X - b.X, Pane: e.pane,
		Typed: e.typed, Pending: pending, SendInterval: e.sendInterval,
		SRTT: e.srtt, Mode: e.mode, Overwrite: e.overwrite, Proven: e.proven,
	}
	if ctx.SRTT == 0 {
		ctx.SRTT = 2 * e.sendInterval
	}
	switch {
	case !e.builtin:
		e.context(&ctx, fb, false)
	case k.Kind == KeyRune && !e.proven && e.pane.Known && !e.pane.Canonical && IsShell(e.pane.Program):
		// Builtin reads only the cursor's row (AtPrompt's Before and
		// After), and only until the program is proven: building the
		// rows around it for every key was most of a key's work.
		e.context(&ctx, fb, true)
	}
	d := e.heur.Decide(ctx)
	if d.Verdict == NoAnswer {
		d = Builtin{}.Decide(ctx)
	}
	switch d.Verdict {
	case Predict:
		if d.Immediate && !pending && e.confirmed < e.epoch {
			e.confirmed = e.epoch
			e.stats.Immediate++
		}
		if e.predict(now, k, d, frame, b, fb) {
			e.stats.Predicted++
		} else {
			e.proven = false
		}
	case Reset:
		e.reset()
	default:
		// A key we can't guess may change what the program does with
		// the next ones (Escape leaves vim's insert mode).
		e.becomeTentative()
		e.proven = false
	}
}

// track keeps Typed: what a cooked-mode line buffer holds at least.
func (e *Engine) track(k Key) {
	switch k.Kind {
	case KeyRune:
		e.typed++
	case KeyBackspace:
		e.typed = max(e.typed-1, 0)
	default:
		e.typed = 0
	}
}

// predict makes the guess for a key the heuristic said to predict, and
// reports whether it did.
func (e *Engine) predict(now time.Time, k Key, d Decision, frame uint64, b Rect, fb *vt.Screen) bool {
	if d.Cells != nil || d.MoveCursor {
		e.custom(now, d, frame, b, fb)
		return true
	}
	ow := e.overwrite
	switch d.Edit {
	case EditInsert:
		ow = false
	case EditOverwrite:
		ow = true
	}
	switch k.Kind {
	case KeyRune:
		if k.Width != 1 {
			e.becomeTentative()
			return false
		}
		return e.typeRune(now, k.Seq, ow, frame, b, fb)
	case KeyBackspace:
		return e.backspace(now, ow, frame, b, fb)
	case KeyLeft:
		return e.move(now, -1, frame, b, fb)
	case KeyRight:
		return e.move(now, 1, frame, b, fb)
	case KeyEnter:
		e.becomeTentative()
		c := e.initCursor(now, frame, fb)
		e.newline(now, c, frame, b, fb)
		return true
	}
	e.becomeTentative()
	return false
}

// typeRune guesses a printable width-1 character.
func (e *Engine) typeRune(now time.Time, text string, ow bool, frame uint64, b Rect, fb *vt.Screen) bool {
	right := b.X + b.W
	c := e.initCursor(now, frame, fb)
	if c.wrap {
		// The last column is full: the character goes to the start of
		// the next row of the pane, if the program wraps as a terminal
		// does.
		e.becomeTentative()
		c = e.initCursor(now, frame, fb)
		e.newline(now, c, frame, b, fb)
	}
	if c.x >= right-1 {
		// Programs differ at the right edge (some wrap early, some
		// scroll, some stop): what they do there is a new epoch.
		e.becomeTentative()
		c = e.initCursor(now, frame, fb)
	}
	x, y := c.x, c.y
	prev, _, _, _ := e.cellAt(x-1, y, fb)
	if x > 0 && !e.separate(prev, text) {
		// vt would join it to the character on its left (a combining
		// or joining character): not a cell of its own.
		e.becomeTentative()
		return false
	}
	style := e.leftStyle(x, y, b, fb)
	if !ow {
		for i := right - 1; i > x; i-- {
			t, st, w, unk := e.cellAt(i-1, y, fb)
			e.set(now, frame, i, y, t, st, unk || w != 1 || i == right-1, fb)
		}
	}
	e.set(now, frame, x, y, text, style, false, fb)
	if x == right-1 {
		c.wrap, c.left = true, b.X
	} else {
		c.x++
	}
	c.expire, c.at = frame, now
	return true
}

// backspace guesses DEL: the cursor goes left, and the line closes up
// (insert) or the cell is blanked (overwrite, the kernel's BS SP BS).
func (e *Engine) backspace(now time.Time, ow bool, frame uint64, b Rect, fb *vt.Screen) bool {
	right := b.X + b.W
	c := e.initCursor(now, frame, fb)
	if c.wrap {
		e.becomeTentative()
		return false
	}
	if c.x <= b.X {
		if e.pane.Known {
			// A line editor or the kernel may go up to the row above,
			// or not: a new epoch. (mosh just doesn't move.)
			e.becomeTentative()
		}
		return false
	}
	c.x--
	c.expire, c.at = frame, now
	x, y := c.x, c.y
	if ow {
		_, st, _, _ := e.cellAt(x, y, fb)
		e.set(now, frame, x, y, "", st, false, fb)
		return true
	}
	for i := x; i < right; i++ {
		if i+2 < right {
			t, st, w, unk := e.cellAt(i+1, y, fb)
			e.set(now, frame, i, y, t, st, unk || w != 1, fb)
		} else {
			// What comes in from the right (a wrapped line's next row,
			// a wide character) is unknown.
			e.set(now, frame, i, y, "", vt.Style{}, true, fb)
		}
	}
	return true
}

// move guesses an arrow key: the cursor moves one column within the pane.
func (e *Engine) move(now time.Time, dx int, frame uint64, b Rect, fb *vt.Screen) bool {
	c := e.initCursor(now, frame, fb)
	if c.wrap {
		e.becomeTentative()
		return false
	}
	nx := c.x + dx
	if nx < b.X || nx >= b.X+b.W {
		return false
	}
	c.x = nx
	c.expire, c.at = frame, now
	return true
}

// newline moves the guessed cursor to the start of the pane's next row.
// On the pane's bottom row the program would scroll, which we don't
// guess; the row is guessed blank instead (mosh does the same).
func (e *Engine) newline(now time.Time, c *cursorPred, frame uint64, b Rect, fb *vt.Screen) {
	c.x, c.wrap = b.X, false
	c.expire, c.at = frame, now
	if c.y < b.Y+b.H-1 {
		c.y++
		return
	}
	for x := b.X; x < b.X+b.W; x++ {
		e.set(now, frame, x, c.y, "", vt.Style{}, false, fb)
	}
}

// custom applies a heuristic's own cells and cursor.
func (e *Engine) custom(now time.Time, d Decision, frame uint64, b Rect, fb *vt.Screen) {
	c := e.initCursor(now, frame, fb)
	for _, ce := range d.Cells {
		if !b.Contains(Point{ce.X, ce.Y}) {
			continue
		}
		text := ce.Text
		if text == " " {
			text = ""
		}
		if text != "" {
			r, size := utf8.DecodeRuneInString(text)
			if size != len(text) || r == utf8.RuneError || r < 0x20 || r == 0x7F ||
				(r >= 0x80 && e.runeWidth(text) != 1) {
				continue
			}
			prev, _, _, _ := e.cellAt(ce.X-1, ce.Y, fb)
			if ce.X > 0 && !e.separate(prev, text) {
				continue
			}
		}
		e.set(now, frame, ce.X, ce.Y, text, e.leftStyle(ce.X, ce.Y, b, fb), false, fb)
	}
	if d.MoveCursor {
		c.x = min(max(d.Cursor.X, b.X), b.X+b.W-1)
		c.y = min(max(d.Cursor.Y, b.Y), b.Y+b.H-1)
		c.wrap = false
	}
	c.expire, c.at = frame, now
}

// set makes (or remakes) the guess for cell (x, y).
func (e *Engine) set(now time.Time, frame uint64, x, y int, text string, st vt.Style, unknown bool, fb *vt.Screen) {
	if y < 0 || y >= e.rows || x < 0 || x >= e.cols {
		return
	}
	if e.cells[y] == nil {
		e.cells[y] = make([]cellPred, e.cols)
	}
	p := &e.cells[y][x]
	switch {
	case !p.active:
		*p = cellPred{active: true}
		e.live[y]++
		e.nlive++
	case p.epoch != e.epoch && p.epoch <= e.confirmed:
		p.old = oldGuess{text: p.text, style: p.style, unknown: p.unknown, expire: p.expire}
		p.hasOld = true
	}
	if text == " " || text == "\u00a0" {
		text = ""
	}
	actual := fb.Cell(x, y).Text
	if p.norig == maxOriginals {
		copy(p.orig[:], p.orig[1:])
		p.norig--
	}
	p.orig[p.norig] = actual
	p.norig++
	st.Link, st.LinkID = "", ""
	p.text, p.style, p.unknown, p.shown = text, st, unknown, false
	p.epoch, p.expire, p.at = e.epoch, frame, now
	p.late = time.Time{}
}

// cellAt returns what the engine believes cell (x, y) will show: its guess
// if it has one, else the frame's cell.
func (e *Engine) cellAt(x, y int, fb *vt.Screen) (text string, st vt.Style, width int, unknown bool) {
	if y >= 0 && y < len(e.cells) && e.cells[y] != nil && x >= 0 && x < len(e.cells[y]) {
		if p := &e.cells[y][x]; p.active {
			return p.text, p.style, 1, p.unknown
		}
	}
	c := fb.Cell(x, y)
	return c.Text, c.Style, c.Width, false
}

// leftStyle is the style a typed character gets: that of the cell to its
// left, or the frame's pen in the pane's first column.
func (e *Engine) leftStyle(x, y int, b Rect, fb *vt.Screen) vt.Style {
	if x > b.X {
		_, st, _, _ := e.cellAt(x-1, y, fb)
		return st
	}
	return fb.Pen()
}

// initCursor returns the newest cursor guess in the current epoch,
// starting one (at the previous guess, or at the frame's cursor) if
// needed.
func (e *Engine) initCursor(now time.Time, frame uint64, fb *vt.Screen) *cursorPred {
	n := len(e.cursors)
	switch {
	case n == 0:
		c := fb.Cursor()
		e.pushCursor(cursorPred{x: c.X, y: c.Y, epoch: e.epoch, expire: frame, at: now})
	case e.cursors[n-1].epoch != e.epoch:
		c := e.cursors[n-1]
		c.epoch, c.expire, c.at, c.anchor, c.shown = e.epoch, frame, now, false, false
		e.pushCursor(c)
	}
	return &e.cursors[len(e.cursors)-1]
}

func (e *Engine) pushCursor(c cursorPred) {
	if len(e.cursors) >= maxCursors {
		e.cursors = append(e.cursors[:0], e.cursors[len(e.cursors)-maxCursors+1:]...)
	}
	e.cursors = append(e.cursors, c)
}

// cursorPos is where the next key acts: the newest cursor guess, else the
// frame's cursor.
func (e *Engine) cursorPos(fb *vt.Screen) Point {
	if n := len(e.cursors); n > 0 {
		return Point{e.cursors[n-1].x, e.cursors[n-1].y}
	}
	c := fb.Cursor()
	return Point{c.X, c.Y}
}

// bounds is the area guesses may touch: the active pane within the
// screen, or the screen.
func (e *Engine) bounds(fb *vt.Screen) Rect {
	cols, rows := fb.Size()
	scr := Rect{0, 0, cols, rows}
	if e.pane.Known && !e.pane.Rect.Empty() {
		return e.pane.Rect.intersect(scr)
	}
	return scr
}

// becomeTentative starts a new epoch: later guesses stay hidden until one
// of them is confirmed.
func (e *Engine) becomeTentative() {
	if e.mode != Experimental {
		e.epoch++
	}
}

// reset throws every guess away and starts a new epoch.
func (e *Engine) reset() {
	if e.Active() {
		e.stats.Resets++
	}
	for y, row := range e.cells {
		if e.live[y] > 0 {
			clear(row)
			e.live[y] = 0
		}
	}
	e.nlive = 0
	e.cursors = e.cursors[:0]
	e.proven = false
	e.blind = e.lateAck < e.keyFrame
	e.becomeTentative()
}

// killEpoch withdraws the guesses of epoch and later ones, after one of
// them proved wrong, and anchors later keys at the frame's cursor.
func (e *Engine) killEpoch(epoch uint64, fb *vt.Screen) {
	kept := e.cursors[:0]
	for _, c := range e.cursors {
		if c.epoch < epoch {
			kept = append(kept, c)
		}
	}
	e.cursors = kept
	fc := fb.Cursor()
	e.pushCursor(cursorPred{x: fc.X, y: fc.Y, epoch: e.epoch, expire: e.lastFrame, anchor: true})
	for y, row := range e.cells {
		for i := 0; i < len(row) && e.live[y] > 0; i++ {
			if row[i].active && row[i].epoch >= epoch {
				e.retire(y, &row[i])
			}
		}
	}
	e.becomeTentative()
	e.proven = false
	e.blind = e.lateAck < e.keyFrame
	e.stats.Rollbacks++
}

// retire removes the guess p of row y.
func (e *Engine) retire(y int, p *cellPred) {
	*p = cellPred{}
	e.live[y]--
	e.nlive--
}

// validity is the verdict on one guess.
type validity uint8

const (
	pending         validity = iota // the echo ack doesn't cover its key yet
	correct                         // the frame shows it: confirms its epoch
	correctNoCredit                 // can't tell (blank, unknown, or the cell showed it before)
	wrong                           // the frame shows something else
)

// blankText treats the ways a cell can look empty as one.
func blankText(s string) bool { return s == "" || s == " " || s == "\u00a0" }

func textEqual(a, b string) bool { return a == b || blankText(a) && blankText(b) }

func (e *Engine) cellValidity(p *cellPred, x, y int, fb *vt.Screen) validity {
	cols, rows := fb.Size()
	if x >= cols || y >= rows {
		return wrong
	}
	if e.lateAck < p.expire {
		return pending
	}
	if p.unknown || blankText(p.text) {
		return correctNoCredit
	}
	if !textEqual(fb.Cell(x, y).Text, p.text) {
		return wrong
	}
	for _, o := range p.orig[:p.norig] {
		if textEqual(o, p.text) {
			// It looked like this before the key: no evidence of echo.
			return correctNoCredit
		}
	}
	return correct
}

// lateEcho reports whether a guess the echo ack says is wrong may only be
// late: the frame still shows the cell as it was before the key, as if
// the program had not got to the key yet. The server's echo ack means
// "the key arrived 50 ms ago" (mosh-protocol.md §6.8), not "the program
// has answered it"; a program slower than that (vim on a busy machine)
// would otherwise have every guess judged wrong, its epochs killed one
// after the other, and shown ones withdrawn and redrawn. So once an echo
// has been seen to come after its guess was judged wrong (watchSuspects),
// such a guess is judged again on later frames, for LateEchoGrace after
// the ack first covered it. Until then, a program that doesn't echo is
// rolled back at its ack, as in mosh.
func (e *Engine) lateEcho(now time.Time, p *cellPred, x, y int, fb *vt.Screen) bool {
	if !e.pane.Known || p.unknown || p.norig == 0 || blankText(p.text) {
		return false // with a stock mosh-server, judged as mosh does
	}
	if !textEqual(fb.Cell(x, y).Text, p.orig[p.norig-1]) {
		return false // the program wrote something else there
	}
	if !now.Before(e.lagUntil) {
		// No echo has come late lately: a program that doesn't echo
		// (a pager) is rolled back at once, as mosh does. Watch this
		// one in case it comes late.
		if len(e.suspects) >= maxSuspects {
			e.suspects = e.suspects[1:]
		}
		e.suspects = append(e.suspects, suspect{x: x, y: y, text: p.text, until: now.Add(suspectWatch)})
		return false
	}
	if p.late.IsZero() {
		p.late = now
	}
	if now.Sub(p.late) >= LateEchoGrace {
		return false
	}
	e.lateAny = true
	return true
}

// cursorLate is lateEcho for a cursor guess (Enter's new line): while the
// program is known to be slow, a cursor it has not moved yet gets the
// same grace.
func (e *Engine) cursorLate(now time.Time, c *cursorPred) bool {
	if !e.pane.Known || !now.Before(e.lagUntil) {
		return false
	}
	if c.late.IsZero() {
		c.late = now
	}
	if now.Sub(c.late) >= LateEchoGrace {
		return false
	}
	e.lateAny = true
	return true
}

// watchSuspects notices an echo that came after its guess was judged
// wrong: the program is slow, and for lagMemory guesses get LateEchoGrace.
func (e *Engine) watchSuspects(now time.Time, fb *vt.Screen) {
	kept := e.suspects[:0]
	for _, s := range e.suspects {
		switch {
		case !now.Before(s.until):
		case fb.Cell(s.x, s.y).Text == s.text:
			e.lagUntil = now.Add(lagMemory)
		default:
			kept = append(kept, s)
		}
	}
	e.suspects = kept
}

func (e *Engine) cursorValidity(c *cursorPred, fb *vt.Screen) validity {
	cols, rows := fb.Size()
	if c.x >= cols || c.y >= rows {
		return wrong
	}
	if e.lateAck < c.expire {
		return pending
	}
	fc := fb.Cursor()
	if fc.X == c.x && fc.Y == c.y || c.wrap && fc.X == c.left && fc.Y == c.y+1 {
		return correct
	}
	return wrong
}

// updateTriggers sets the display and underline triggers from the send
// interval, with hysteresis (see the constants).
func (e *Engine) updateTriggers() {
	si := e.sendInterval
	if si > SRTTTriggerHigh {
		e.srttTrigger = true
	} else if e.srttTrigger && si <= SRTTTriggerLow && !e.Active() {
		e.srttTrigger = false
	}
	if si > FlagTriggerHigh {
		e.flagging = true
	} else if si <= FlagTriggerLow {
		e.flagging = false
	}
	if e.glitch > glitchRepairCount {
		e.flagging = true
	}
}

// cull judges the guesses against fb.
func (e *Engine) cull(now time.Time, fb *vt.Screen) {
	if e.mode == Never {
		return
	}
	cols, rows := fb.Size()
	if cols != e.cols || rows != e.rows {
		e.reset()
		e.cols, e.rows = cols, rows
		e.cells = make([][]cellPred, rows)
		e.live = make([]int, rows)
		e.suspects = e.suspects[:0]
	}
	if e.pane.NoEcho() && e.Active() {
		e.reset()
	}
	e.updateTriggers()
	e.lateAny = false
	e.watchSuspects(now, fb)
	exp := e.mode == Experimental
	for y, row := range e.cells {
		for x := 0; x < len(row) && e.live[y] > 0; x++ {
			p := &row[x]
			if !p.active {
				continue
			}
			if p.hasOld && e.lateAck >= p.old.expire {
				p.hasOld = false // the frame has the old guess's echo now
			}
			v := e.cellValidity(p, x, y, fb)
			if v == wrong && e.lateEcho(now, p, x, y, fb) {
				continue
			}
			switch v {
			case wrong:
				e.stats.Wrong++
				if p.shown {
					e.stats.WrongShown++
				}
				switch {
				case exp:
					e.retire(y, p)
				case p.epoch > e.confirmed:
					e.killEpoch(p.epoch, fb)
				default:
					e.reset()
					return
				}
			case correct:
				e.confirmed = max(e.confirmed, p.epoch)
				e.proven = true
				if !p.late.IsZero() {
					e.lagUntil = now.Add(lagMemory) // still slow
				}
				// The program's own rendition (syntax colouring, say)
				// is a better guess for the cells typed after this one
				// than the one they inherited.
				st := fb.Cell(x, y).Style
				st.Link, st.LinkID = "", ""
				for j := x + 1; j < len(row); j++ {
					if row[j].active && !row[j].unknown {
						row[j].style = st
					}
				}
				if now.Sub(p.at) < GlitchThreshold && e.glitch > 0 && now.Sub(e.lastQuick) >= GlitchRepairMinInterval {
					e.glitch--
					e.lastQuick = now
				}
				e.stats.Confirmed++
				e.retire(y, p)
			case correctNoCredit:
				e.retire(y, p)
			case pending:
				switch age := now.Sub(p.at); {
				case age >= GlitchFlagThreshold:
					e.glitch = 2 * glitchRepairCount
				case age >= GlitchThreshold && e.glitch < glitchRepairCount:
					e.glitch = glitchRepairCount
				}
			}
		}
	}
	if n := len(e.cursors); n > 0 && !e.lateAny {
		// (While a cell waits for a late echo the cursor, which the
		// program has not moved yet either, waits with it.)
		c := &e.cursors[n-1]
		if !c.anchor && e.cursorValidity(c, fb) == wrong && !e.cursorLate(now, c) {
			if c.shown {
				e.stats.WrongShown++
			}
			if exp {
				e.cursors = e.cursors[:0]
			} else {
				e.reset()
				return
			}
		}
	}
	kept := e.cursors[:0]
	for _, c := range e.cursors {
		switch v := e.cursorValidity(&c, fb); {
		case v == wrong && e.lateAny:
			// Its grace runs from now, with the cells' it waits with:
			// when theirs ends, so does its own.
			if c.late.IsZero() && e.pane.Known && now.Before(e.lagUntil) {
				c.late = now
			}
			kept = append(kept, c)
		case v == pending:
			kept = append(kept, c)
		case v == correct && !c.late.IsZero():
			e.lagUntil = now.Add(lagMemory) // still slow
		}
	}
	e.cursors = kept
}

// context fills in the rows of text around the cursor, or with rowOnly
// the cursor's row alone.
func (e *Engine) context(k *KeyContext, fb *vt.Screen, rowOnly bool) {
	b := k.Bounds
	y0 := max(k.Cursor.Y-contextAbove, b.Y)
	y1 := min(k.Cursor.Y+contextBelow, b.Y+b.H-1)
	if rowOnly {
		y0, y1 = k.Cursor.Y, k.Cursor.Y
	}
	e.lines = e.lines[:0]
	for y := y0; y <= y1; y++ {
		line := e.line[:0]
		keep, cut := 0, 0
		for x := b.X; x < b.X+b.W; x++ {
			if y == k.Cursor.Y && x == k.Cursor.X {
				cut = len(line)
				keep = cut
			}
			t, _, w, _ := e.cellAt(x, y, fb)
			if w == 0 && t == "" {
				continue // second column of a wide character
			}
			if blankText(t) {
				line = append(line, ' ')
				continue
			}
			line = append(line, t...)
			keep = len(line)
		}
		e.line = line
		s := string(line[:keep])
		if y == k.Cursor.Y {
			k.Row = len(e.lines)
			k.Before, k.After = s[:cut], s[cut:]
		}
		e.lines = append(e.lines, s)
	}
	k.Lines = e.lines
}

// runeWidth returns the columns vt gives the character text on its own.
func (e *Engine) runeWidth(text string) int {
	s := e.scratch
	s.WriteString("\r\x1b[2K")
	s.WriteString(text)
	if c := s.Cell(0, 0); c.Text == text {
		return c.Width
	}
	return 0
}

// separate reports whether vt draws text in a cell of its own after prev,
// rather than joining it to prev's grapheme cluster (UAX #29).
func (e *Engine) separate(prev, text string) bool {
	if len(text) == 1 && text[0] < 0x80 && (prev == "" || len(prev) == 1 && prev[0] < 0x80) {
		return true // ASCII never joins ASCII
	}
	if blankText(prev) {
		prev = ""
	}
	s := e.scratch
	s.WriteString("\r\x1b[2K")
	s.WriteString(prev)
	x := s.Cursor().X
	s.WriteString(text)
	return s.Cell(x, 0).Text == text
}
