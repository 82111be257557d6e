// Command gosh-plugin-predict-prompt is a gosh predictor plugin that reads
// the line the cursor is on:
//
//   - after a password, passphrase, PIN or sudo prompt (a line ending in
//     ':'), it forbids prediction, so that no secret is ever drawn on the
//     screen, even when the pane's echo flag is not known;
//   - right after a recognised shell prompt ("$ ", "# ", "% ", "> " at the
//     end of the text before the cursor) or while typing a command after
//     one, it asks for confident prediction, because a shell's line editor
//     echoes printable keys;
//   - on Ctrl-C it resets the epoch: the interrupted program's output will
//     not match what was predicted;
//   - otherwise it defers to gosh's built-in heuristic.
package main

import (
	"context"
	"regexp"
	"strings"

	"github.com/goshterm/gosh/sdk"
)

// secretPrompt matches the text before the cursor on a line that asks for a
// secret: sudo's "[sudo] password for ann:", ssh's "Enter passphrase for
// key '…':", "PIN:", "Verification code:", "Password for 'https://…':".
var secretPrompt = regexp.MustCompile(`(?:[Pp]ass(?:word|phrase|code)|PASSWORD|\bPIN\b|\bsudo\b|[Vv]erification code|\bOTP\b|[Ss]ecret|[Tt]oken).*:$`)

// shellPrompt matches a prompt at the start of a line, up to 80 cells of
// anything without a prompt character, then the prompt character and a
// space: "ann@box:~/src$ ", "# ", "% ", ">>> " is not one (two '>' before
// the space are allowed: the last one counts).
var shellPrompt = regexp.MustCompile(`^[^$#%>]{0,80}[$#%>] `)

type promptPredictor struct{}

func (promptPredictor) Predict(_ context.Context, req sdk.PredictRequest) (sdk.Prediction, error) {
	if string(req.Key) == "\x03" {
		return sdk.Prediction{Decision: sdk.Reset}, nil
	}
	if req.CursorLine < 0 || req.CursorLine >= len(req.Lines) {
		return sdk.Prediction{}, nil
	}
	before := prefix(req.Lines[req.CursorLine], req.CursorCol)
	trimmed := strings.TrimRight(before, " ")
	switch {
	case secretPrompt.MatchString(trimmed):
		return sdk.Prediction{Decision: sdk.DontPredict}, nil
	case req.Pane.Canonical && !req.Pane.Echo:
		// A line discipline that reads without echo is a password read
		// whatever the prompt says.
		return sdk.Prediction{Decision: sdk.DontPredict}, nil
	case shellPrompt.MatchString(before):
		return sdk.Prediction{Decision: sdk.Predict}, nil
	}
	return sdk.Prediction{Decision: sdk.Defer}, nil
}

// prefix returns the first col runes of line, padded with spaces when the
// cursor is past the end (lines arrive with trailing blanks trimmed).
// Wide characters make this approximate, which only matters on lines with
// CJK before the cursor.
func prefix(line string, col int) string {
	if col <= 0 {
		return ""
	}
	r := []rune(line)
	if col <= len(r) {
		return string(r[:col])
	}
	return line + strings.Repeat(" ", min(col-len(r), 1024))
}

func main() {
	sdk.Serve("predict-prompt", promptPredictor{}, sdk.WithVersion("0.1.0"))
}
