package compose_test

import (
	"strings"
	"testing"
	"time"
	_ "time/tzdata" // the zones below, whatever the machine has installed

	"github.com/goshterm/gosh/mux/compose"
	"github.com/goshterm/gosh/mux/layout"
)

// TestStatusClockFollowsTime: a Composer reused from frame to frame (which
// keeps the clock's text while the local minute lasts) shows the clock a
// fresh one shows, as time walks forwards and back across minutes and
// across zone transitions: daylight saving in New York, Lord Howe's
// half-hour one, Amsterdam's 1937 change from +00:19:32, and a zone whose
// offset is not whole minutes.
func TestStatusClockFollowsTime(t *testing.T) {
	zone := func(name string) *time.Location {
		loc, err := time.LoadLocation(name)
		if err != nil {
			t.Fatal(err)
		}
		return loc
	}
	cases := []struct {
		loc  *time.Location
		near time.Time // the walk centres on the end of the zone in effect then
	}{
		{time.UTC, time.Date(2024, 3, 5, 14, 7, 0, 0, time.UTC)},
		{zone("America/New_York"), time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC)},
		{zone("America/New_York"), time.Date(2024, 10, 1, 0, 0, 0, 0, time.UTC)},
		{zone("Australia/Lord_Howe"), time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC)},
		{zone("Europe/Amsterdam"), time.Date(1937, 6, 1, 0, 0, 0, 0, time.UTC)},
		{time.FixedZone("odd", 19*60+32), time.Date(2024, 3, 5, 14, 7, 0, 0, time.UTC)},
	}
	pane := paneScreen(60, 3, "$ ")
	for _, tc := range cases {
		centre := tc.near.In(tc.loc)
		if _, end := centre.ZoneBounds(); !end.IsZero() {
			centre = end
		}
		var c compose.Composer
		frame := c.Compose(nil, &compose.FrameSpec{Width: 60, Height: 4, Active: 0, Status: status(),
			Panes: []compose.Pane{{Rect: layout.Rect{W: 60, H: 3}, Screen: pane}}})
		// Forward in 7 s steps, then back in 13 s steps, then forward
		// again: every second of the minutes around the transition is
		// seen from both sides.
		at := centre.Add(-150 * time.Second)
		for i := range 150 {
			switch {
			case i < 45:
				at = at.Add(7 * time.Second)
			case i < 90:
				at = at.Add(-13 * time.Second)
			default:
				at = at.Add(11 * time.Second)
			}
			st := status()
			st.Clock = at.In(tc.loc)
			frame = c.Compose(frame, &compose.FrameSpec{Width: 60, Height: 4, Active: 0, Status: st,
				Panes: []compose.Pane{{Rect: layout.Rect{W: 60, H: 3}, Screen: pane}}})
			got := strings.TrimRight(rows(frame)[3], " ")
			if want := compose.Clock(st.Clock); !strings.HasSuffix(got, " "+want) {
				t.Fatalf("%s at %s: status line %q, want it to end with the clock %q",
					tc.loc, st.Clock.UTC().Format(time.RFC3339), got, want)
			}
		}
	}
}
