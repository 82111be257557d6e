package client

import (
	"net/netip"
	"testing"
	"time"
)

func TestNoticeText(t *testing.T) {
	t0 := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	server := netip.MustParseAddrPort("192.0.2.1:60001")
	connected := noticeState{Server: server, Start: t0, Connected: true, LastHeard: t0}
	connecting := noticeState{Server: server, Start: t0}
	tests := []struct {
		name string
		at   time.Duration
		s    noticeState
		want string
	}{
		{"fresh contact: no bar", time.Second, connected, ""},
		{"6 s: still no bar", 6 * time.Second, connected, ""},
		{"6.5 s exactly: no bar", 6500 * time.Millisecond, connected, ""},
		{"7 s", 7 * time.Second, connected, "gosh: last contact 7 s ago — Ctrl-^ . to quit"},
		{"12.9 s counts whole seconds", 12900 * time.Millisecond, connected, "gosh: last contact 12 s ago — Ctrl-^ . to quit"},
		{"59 s", 59 * time.Second, connected, "gosh: last contact 59 s ago — Ctrl-^ . to quit"},
		{"65 s is M:SS", 65 * time.Second, connected, "gosh: last contact 1:05 ago — Ctrl-^ . to quit"},
		{"59:59", 3599 * time.Second, connected, "gosh: last contact 59:59 ago — Ctrl-^ . to quit"},
		{"H:MM:SS", 3723 * time.Second, connected, "gosh: last contact 1:02:03 ago — Ctrl-^ . to quit"},
		{"connecting, quick: no bar", 100 * time.Millisecond, connecting, ""},
		{"connecting after 250 ms", 300 * time.Millisecond, connecting,
			"gosh: connecting to 192.0.2.1:60001 (waiting for the server's first reply)… — Ctrl-^ . to quit"},
		{"escape hint wins", 20 * time.Second, func() noticeState { s := connected; s.Waiting = true; return s }(),
			`gosh: Commands: Ctrl-Z suspends, "." quits, "^" gives literal Ctrl-^`},
		{"network error", time.Second, func() noticeState {
			s := connected
			s.Message, s.MessageUntil = "network error: cannot send", t0.Add(3*time.Second)
			return s
		}(), "gosh: network error: cannot send"},
		{"network error expired", 4 * time.Second, func() noticeState {
			s := connected
			s.Message, s.MessageUntil = "network error: cannot send", t0.Add(3*time.Second)
			return s
		}(), ""},
		{"network error while silent", 8 * time.Second, func() noticeState {
			s := connected
			s.Message, s.MessageUntil = "network error: cannot send", t0.Add(9*time.Second)
			return s
		}(), "gosh: network error: cannot send (last contact 8 s ago) — Ctrl-^ . to quit"},
		{"custom escape key", 8 * time.Second, func() noticeState { s := connected; s.Escape = EscapeKey{Key: '~'}; return s }(),
			"gosh: last contact 8 s ago — ~ . to quit"},
		{"no escape key", 8 * time.Second, func() noticeState { s := connected; s.Escape = EscapeKey{Disabled: true}; return s }(),
			"gosh: last contact 8 s ago"},
		{"quitting", 8 * time.Second, func() noticeState { s := connected; s.Quitting = true; return s }(),
			"gosh: exiting… (waiting for the server to acknowledge)"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := noticeText(t0.Add(tc.at), tc.s); got != tc.want {
				t.Errorf("got  %q\nwant %q", got, tc.want)
			}
		})
	}
}

// TestNoticeWake checks that the loop is woken exactly when the bar's
// text changes: at the threshold, then at each whole second.
func TestNoticeWake(t *testing.T) {
	t0 := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	s := noticeState{Start: t0, Connected: true, LastHeard: t0}
	now := t0.Add(time.Second)
	for range 10 {
		next := noticeWake(now, s)
		if !next.After(now) {
			t.Fatalf("wake %v not after %v", next, now)
		}
		if noticeText(next, s) == noticeText(now, s) {
			t.Errorf("text at wake-up %v unchanged: %q", next.Sub(t0), noticeText(next, s))
		}
		now = next
	}
	if got := now.Sub(t0); got < 14*time.Second || got > 16*time.Second {
		t.Errorf("after 10 wake-ups the silence is %v", got)
	}
	c := noticeState{Start: t0}
	if got := noticeWake(t0, c); !got.Equal(t0.Add(ConnectingDelay)) {
		t.Errorf("connecting wake %v", got.Sub(t0))
	}
}
