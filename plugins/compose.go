package plugins

import (
	"strings"

	"github.com/goshterm/gosh/mux/compose"
	"github.com/goshterm/gosh/sdk"
	"github.com/goshterm/gosh/vt"
)

// Compose returns the view's status line pieces for mux/compose: the
// plugins' segments as compose.Segments, and the markers of plugins that are
// down joined into compose.Status.Marker ("plugin sysinfo restarting").
// The daemon sets both on the client's compose.Status before each frame.
func (v *StatusView) Compose() (segs []compose.Segment, marker string) {
	var marks []string
	for _, s := range v.Segments() {
		if m, ok := strings.CutPrefix(s.Text, MarkerPrefix); ok {
			marks = append(marks, "plugin "+m)
			continue
		}
		a := compose.AlignLeft
		if s.Align == sdk.AlignRight {
			a = compose.AlignRight
		}
		segs = append(segs, compose.Segment{Text: s.Text, Style: vtStyle(s), Align: a})
	}
	return segs, strings.Join(marks, ", ")
}

func vtColor(c sdk.Color) vt.Color {
	switch c.Type {
	case sdk.ColorIndexed:
		return vt.IndexedColor(uint8(c.Value))
	case sdk.ColorRGB:
		return vt.RGBColor(uint8(c.Value>>16), uint8(c.Value>>8), uint8(c.Value))
	}
	return 0
}

func vtStyle(s sdk.Segment) vt.Style {
	st := vt.Style{Fg: vtColor(s.FG), Bg: vtColor(s.BG)}
	for from, to := range map[sdk.Attr]vt.Attr{
		sdk.AttrBold: vt.Bold, sdk.AttrDim: vt.Dim, sdk.AttrItalic: vt.Italic,
		sdk.AttrReverse: vt.Inverse, sdk.AttrBlink: vt.Blink,
	} {
		if s.Attrs&from != 0 {
			st.Attrs |= to
		}
	}
	if s.Attrs&sdk.AttrUnderline != 0 {
		st.Underline = vt.UnderlineSingle
	}
	return st
}
