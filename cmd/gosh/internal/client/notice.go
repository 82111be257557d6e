package client

import (
	"fmt"
	"net/netip"
	"time"
)

// Notice bar timings (mosh-client's, mosh-protocol.md §10).
const (
	// SilenceThreshold: after this long without a new server state the
	// bar counts up the time since last contact.
	SilenceThreshold = 6500 * time.Millisecond
	// ConnectingDelay: while nothing has come from the server yet, the bar
	// says so after this long (a quick connection shows no bar at all).
	ConnectingDelay = 250 * time.Millisecond
	// MessageTime is how long a network error stays on the bar (mosh:
	// 3.1 s for network errors).
	MessageTime = 3100 * time.Millisecond
)

// noticeState is everything the notice bar shows, besides the time.
type noticeState struct {
	Server    netip.AddrPort
	Start     time.Time // when the client started
	Connected bool      // a server state has arrived
	LastHeard time.Time // when the newest server state arrived
	Escape    EscapeKey
	Waiting   bool // the escape key was typed; its command is pending
	Quitting  bool // the user asked to quit; waiting for the server's ack
	// Message is a transient notice (a network error), shown until
	// MessageUntil.
	Message      string
	MessageUntil time.Time
}

// noticeText returns the notice bar's text at now, or "" for no bar. It is
// a pure function so that its wording can be tested at any silence.
//
//	gosh: Commands: Ctrl-Z suspends, "." quits, "^" gives literal Ctrl-^
//	gosh: connecting to 192.0.2.1:60001 (waiting for the server's first reply)…
//	gosh: last contact 12 s ago — Ctrl-^ . to quit
//	gosh: sendto failed (last contact 1:05 ago) — Ctrl-^ . to quit
func noticeText(now time.Time, s noticeState) string {
	if s.Waiting {
		return "gosh: " + s.Escape.Hint()
	}
	msg := ""
	if s.Message != "" && now.Before(s.MessageUntil) {
		msg = s.Message
	}
	if s.Quitting {
		return "gosh: exiting… (waiting for the server to acknowledge)"
	}
	quit := ""
	if !s.Escape.Disabled {
		quit = " — " + s.Escape.Name() + " . to quit"
	}
	if !s.Connected {
		if now.Sub(s.Start) < ConnectingDelay && msg == "" {
			return ""
		}
		wait := fmt.Sprintf("connecting to %s (waiting for the server's first reply)…", s.Server)
		if msg != "" {
			return "gosh: " + msg + " (" + wait + ")" + quit
		}
		return "gosh: " + wait + quit
	}
	silence := now.Sub(s.LastHeard)
	if silence > SilenceThreshold {
		ago := "last contact " + formatSilence(silence) + " ago"
		if msg != "" {
			return "gosh: " + msg + " (" + ago + ")" + quit
		}
		return "gosh: " + ago + quit
	}
	if msg != "" {
		return "gosh: " + msg
	}
	return ""
}

// formatSilence formats a duration as mosh does: "N s" under a minute, then
// "M:SS", then "H:MM:SS".
func formatSilence(d time.Duration) string {
	n := int64(d / time.Second)
	switch {
	case n < 60:
		return fmt.Sprintf("%d s", n)
	case n < 3600:
		return fmt.Sprintf("%d:%02d", n/60, n%60)
	}
	return fmt.Sprintf("%d:%02d:%02d", n/3600, n/60%60, n%60)
}

// noticeWake returns when noticeText may next change by itself (with no
// new input or datagram), or the zero time if it can't.
func noticeWake(now time.Time, s noticeState) time.Time {
	var next time.Time
	earliest := func(t time.Time) {
		if t.After(now) && (next.IsZero() || t.Before(next)) {
			next = t
		}
	}
	if s.Message != "" {
		earliest(s.MessageUntil)
	}
	switch {
	case s.Waiting || s.Quitting:
	case !s.Connected:
		earliest(s.Start.Add(ConnectingDelay))
	default:
		earliest(s.LastHeard.Add(SilenceThreshold + time.Millisecond))
		if now.Sub(s.LastHeard) > SilenceThreshold {
			// the count goes up each whole second of silence
			elapsed := now.Sub(s.LastHeard)
			earliest(s.LastHeard.Add(elapsed.Truncate(time.Second) + time.Second))
		}
	}
	return next
}
