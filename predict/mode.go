package predict

import (
	"errors"
	"fmt"
)

// Mode says when predictions are drawn (mosh's --predict and
// MOSH_PREDICTION_DISPLAY).
type Mode uint8

// Prediction modes.
const (
	// Adaptive draws guesses only when the link is slow enough to need
	// them (send interval above SRTTTriggerHigh) or after echoes were
	// slow (the glitch trigger). It is the default.
	Adaptive Mode = iota
	// Always draws confirmed guesses whatever the link.
	Always
	// Never makes no guesses at all.
	Never
	// Experimental draws every guess at once, without waiting for an epoch
	// to be confirmed, and repairs a wrong guess cell by cell instead of
	// throwing the epoch away.
	Experimental
)

var modeNames = [...]string{"adaptive", "always", "never", "experimental"}

// String returns the mode's name as ParseMode accepts it.
func (m Mode) String() string {
	if int(m) < len(modeNames) {
		return modeNames[m]
	}
	return fmt.Sprintf("Mode(%d)", m)
}

// ErrUnknownMode is returned (wrapped) by ParseMode for a name it doesn't
// know. mosh-client prints "Unknown prediction mode" and exits 1 for the
// same input; the client should do the same.
var ErrUnknownMode = errors.New("predict: unknown prediction mode")

// ParseMode parses a mode name as mosh does for --predict and
// MOSH_PREDICTION_DISPLAY: "adaptive", "always", "never" or "experimental",
// case-sensitive. The empty string is not a mode (mosh rejects a set but
// empty MOSH_PREDICTION_DISPLAY); the caller uses Adaptive when the option
// is absent.
func ParseMode(s string) (Mode, error) {
	for i, n := range modeNames {
		if s == n {
			return Mode(i), nil
		}
	}
	return Adaptive, fmt.Errorf("%w %q", ErrUnknownMode, s)
}

// Config configures an Engine.
type Config struct {
	Mode Mode
	// Overwrite makes typed characters replace the cell under the cursor
	// instead of pushing the rest of the line right, and backspace blank
	// the cell instead of pulling the line left (mosh's --predict-overwrite
	// and MOSH_PREDICTION_OVERWRITE=yes).
	Overwrite bool
	// Heuristic decides, key by key, whether to predict. nil means
	// Builtin{}.
	Heuristic Heuristic
}
