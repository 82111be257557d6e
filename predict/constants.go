package predict

import "time"

// Timing constants. The first six are mosh-client's (src/frontend/
// terminaloverlay.h, mosh-protocol.md §9.5) and must stay equal to them, so
// that gosh shows guesses exactly when mosh would on the same link.
//
// The display triggers compare the transport's send interval, not SRTT:
// mosh sends at most two frames per round trip (send interval =
// ceil(SRTT/2) clamped to [20, 250] ms, §6.1), so 30 ms means an SRTT
// above about 60 ms. The gap between the on and off values is hysteresis,
// so that a link hovering around one value doesn't make echo flicker
// between local and remote.
const (
	// SRTTTriggerHigh: above this send interval guesses are shown.
	SRTTTriggerHigh = 30 * time.Millisecond
	// SRTTTriggerLow: at or below this, and with nothing outstanding, they
	// stop being shown.
	SRTTTriggerLow = 20 * time.Millisecond
	// FlagTriggerHigh: above this send interval shown guesses are
	// underlined, so that the user can tell unconfirmed text on a link
	// slow enough for a wrong guess to be visible for a while.
	FlagTriggerHigh = 80 * time.Millisecond
	// FlagTriggerLow: at or below this they are no longer underlined.
	FlagTriggerLow = 50 * time.Millisecond
	// GlitchThreshold: a guess still unjudged this long after it was made
	// means the link stalls (a "glitch"), so guesses are shown even on a
	// link whose send interval is low.
	GlitchThreshold = 250 * time.Millisecond
	// GlitchFlagThreshold: a guess unjudged this long turns underlining on
	// too.
	GlitchFlagThreshold = 5000 * time.Millisecond
	// GlitchRepairMinInterval: quick confirmations at least this far apart
	// each count down the glitch trigger by one.
	GlitchRepairMinInterval = 150 * time.Millisecond
	// glitchRepairCount is the glitch trigger value that shows guesses;
	// twice as much underlines them too. Each quick confirmation takes one
	// off, so ten quick echoes in a row turn a glitch's display off again.
	glitchRepairCount = 10
	// LateEchoGrace is how long a guess stays unjudged after the echo ack
	// covered its key while the frame still shows the cell unchanged, once
	// an echo has been seen to come late (see Engine.lateEcho): a program
	// that answers more slowly than the server's 50 ms echo timeout gets
	// that much longer.
	LateEchoGrace = 100 * time.Millisecond
	// lateEchoPoll is WaitTime while a guess waits for a late echo.
	lateEchoPoll = LateEchoGrace / 4
	// suspectWatch is how long after a guess was judged wrong on an
	// unchanged cell its echo may still come and count as late, and
	// lagMemory how long after such a late echo guesses get
	// LateEchoGrace.
	suspectWatch = 500 * time.Millisecond
	lagMemory    = 10 * time.Second
	// maxSuspects bounds the guesses watched that way.
	maxSuspects = 8
	// ActiveWait is how often the caller should call Cull while guesses
	// are outstanding and a timing trigger could still change (mosh polls
	// at the same rate).
	ActiveWait = 50 * time.Millisecond
	// NoWait is what WaitTime returns when nothing can change until the
	// next input or frame.
	NoWait = time.Duration(1<<63 - 1)
	// PasteThreshold: a read of more bytes than this is a paste, not
	// typing; it throws the guesses away rather than guessing its echo.
	PasteThreshold = 100
)

// Bounds that keep a hostile or broken input from growing state.
const (
	// maxOriginals bounds the contents a cell remembers from before it was
	// guessed; older ones are dropped.
	maxOriginals = 4
	// maxCursors bounds the guessed cursor positions kept (one per key in
	// an unconfirmed run); the oldest go first.
	maxCursors = 256
	// maxSeq bounds an escape sequence the key reader collects before it
	// gives up on it.
	maxSeq = 64
	// contextAbove and contextBelow are the rows of text around the cursor
	// a Heuristic sees.
	contextAbove = 2
	contextBelow = 1
)
