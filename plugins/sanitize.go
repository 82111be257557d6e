package plugins

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/goshterm/gosh/sdk"
)

// Limits on what a plugin may hand the host, so that a buggy or hostile
// plugin can neither smuggle escape sequences into the user's terminal nor
// make the host allocate without bound.
const (
	maxSegments     = 32
	maxSegmentRunes = 256
	maxCells        = 512
	maxCellBytes    = 32 // one grapheme cluster, generously
	maxTextRunes    = 512
)

// cleanText drops control characters (C0, DEL, C1: ECMA-48 §5) and invalid
// UTF-8, and caps the length at n runes.
func cleanText(s string, n int) string {
	var b strings.Builder
	runes := 0
	for _, r := range s {
		if runes >= n {
			break
		}
		if r == utf8.RuneError || unicode.IsControl(r) {
			continue
		}
		b.WriteRune(r)
		runes++
	}
	return b.String()
}

func cleanSegments(segs []sdk.Segment) []sdk.Segment {
	if len(segs) > maxSegments {
		segs = segs[:maxSegments]
	}
	out := make([]sdk.Segment, 0, len(segs))
	for _, s := range segs {
		s.Text = cleanText(s.Text, maxSegmentRunes)
		if s.Text == "" {
			continue
		}
		out = append(out, s)
	}
	return out
}

// cleanPrediction drops cells outside the request's lines or the pane, and
// cells that are not one printable character; a Predict with nothing left
// still stands (the client predicts the key itself).
func cleanPrediction(p sdk.Prediction, req sdk.PredictRequest) sdk.Prediction {
	pane := req.Pane.Rect
	if len(p.Cells) == 0 {
		return p
	}
	cells := make([]sdk.PredictedCell, 0, min(len(p.Cells), maxCells))
	for _, c := range p.Cells {
		if len(cells) == maxCells {
			break
		}
		if c.Row < 0 || c.Col < 0 || c.Row >= len(req.Lines) || (pane.Width > 0 && c.Col >= pane.Width) {
			continue
		}
		if len(c.Text) > maxCellBytes || cleanText(c.Text, maxCellBytes) != c.Text {
			continue
		}
		cells = append(cells, c)
	}
	p.Cells = cells
	if len(cells) == 0 {
		p.Cells = nil
	}
	return p
}
