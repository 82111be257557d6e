package plugins

import (
	"strings"
	"testing"
	"time"

	"github.com/goshterm/gosh/mux/compose"
	"github.com/goshterm/gosh/sdk"
	"github.com/goshterm/gosh/vt"
)

func TestVTStyle(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		seg  sdk.Segment
		want vt.Style
	}{
		"default":   {seg: sdk.Segment{}, want: vt.Style{}},
		"indexed":   {seg: sdk.Segment{FG: sdk.Indexed(2), BG: sdk.Indexed(236)}, want: vt.Style{Fg: vt.IndexedColor(2), Bg: vt.IndexedColor(236)}},
		"rgb":       {seg: sdk.Segment{FG: sdk.RGB(1, 2, 3)}, want: vt.Style{Fg: vt.RGBColor(1, 2, 3)}},
		"bold+ul":   {seg: sdk.Segment{Attrs: sdk.AttrBold | sdk.AttrUnderline}, want: vt.Style{Attrs: vt.Bold, Underline: vt.UnderlineSingle}},
		"rev+blink": {seg: sdk.Segment{Attrs: sdk.AttrReverse | sdk.AttrBlink | sdk.AttrDim | sdk.AttrItalic}, want: vt.Style{Attrs: vt.Inverse | vt.Blink | vt.Dim | vt.Italic}},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			if got := vtStyle(tc.seg); got != tc.want {
				t.Errorf("vtStyle = %+v, want %+v", got, tc.want)
			}
		})
	}
}

// A status plugin's segments, and the marker of one that is down, reach the
// composed frame's status line.
func TestComposeStatusLine(t *testing.T) {
	cfg := testConfig(fixture(t, "status-exit"))
	cfg.BackoffMin, cfg.BackoffMax = time.Hour, time.Hour
	h := startHost(t, cfg)
	v := h.NewStatusView(sdk.StatusRequest{Session: sdk.Session{Name: "ok"}})
	defer v.Close()
	eventually(t, "first segments", func() bool { return hasText(v.Segments(), "gen 1") })
	segs, marker := v.Compose()
	if len(segs) != 1 || segs[0].Text != "gen 1" || marker != "" {
		t.Fatalf("Compose = %+v, %q", segs, marker)
	}
	v.Update(sdk.StatusRequest{Session: sdk.Session{Name: "fault"}, Event: sdk.Event{Kind: sdk.EventPaneFocus}})
	eventually(t, "marker", func() bool { _, m := v.Compose(); return m != "" })
	segs, marker = v.Compose()
	if marker != "plugin status-exit restarting" || len(segs) != 1 {
		t.Errorf("Compose while down = %+v, %q", segs, marker)
	}
	line := statusRow(compose.Compose(nil, &compose.FrameSpec{
		Width: 80, Height: 3, Active: -1,
		Status: compose.Status{Session: "ok", Segments: segs, Marker: marker},
	}))
	if !strings.Contains(line, "gen 1") || !strings.Contains(line, "plugin status-exit restarting") {
		t.Errorf("composed status line %q: want the plugin's segment and its marker", line)
	}
}

// statusRow returns the frame's last row as text.
func statusRow(s *vt.Screen) string {
	w, h := s.Size()
	var b strings.Builder
	for x := range w {
		c := s.Cell(x, h-1)
		switch {
		case c.Width == 0:
		case c.Text == "":
			b.WriteByte(' ')
		default:
			b.WriteString(c.Text)
		}
	}
	return b.String()
}
