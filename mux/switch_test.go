package mux_test

import (
	"strings"
	"testing"
	"time"

	"github.com/goshterm/gosh/mux"
	"github.com/goshterm/gosh/mux/muxtest"
)

func clientSession(t *testing.T, s *mux.Server) string {
	t.Helper()
	return strings.TrimSpace(muxtest.MustRun(t, s, "list-clients", "-F", "#{client_name} #{session_name}"))
}

func TestSwitchClientLikeTmux(t *testing.T) {
	s := muxtest.NewServer(t)
	for _, n := range []string{"b", "a", "c"} {
		muxtest.MustRun(t, s, "new-session", "-d", "-s", n, "-x", "80", "-y", "23")
	}
	c := muxtest.Attach(t, s, "a", 80, 24)
	c.WaitContains("[a]")
	// ")" is switch-client -n: sessions in name order.
	c.Type("\x02)")
	c.WaitContains("[b]")
	c.Type("\x02)")
	c.WaitContains("[c]")
	c.Type("\x02)") // wraps around
	c.WaitContains("[a]")
	c.Type("\x02(")
	c.WaitContains("[c]")
	c.Type("\x02L") // back to the last one
	c.WaitContains("[a]")
	if got := clientSession(t, s); got != "client1 a" {
		t.Errorf("list-clients: %q, want client1 a", got)
	}
	// From the command line, for a client by name, to a window of
	// another session.
	muxtest.MustRun(t, s, "new-window", "-d", "-t", "b:5", "-n", "five")
	muxtest.MustRun(t, s, "switch-client", "-c", "client1", "-t", "b:5")
	c.WaitContains("5:five*")
	if got := clientSession(t, s); got != "client1 b" {
		t.Errorf("after switch-client -t b:5: %q", got)
	}
	for argv, want := range map[string]string{
		"switch-client -t b":             "no current client",
		"switch-client -c nope -t b":     "can't find client: nope",
		"switch-client -c client1 -t zz": "can't find session: zz",
		"switch-client -c client1":       "switch-client needs -t, -n, -p, -l or -T",
		"switchc -x":                     "command switch-client: unknown flag -x",
	} {
		if _, err := muxtest.Run(s, strings.Fields(argv)...); err == nil || !strings.HasPrefix(err.Error(), want) {
			t.Errorf("%s: %v, want %q", argv, err, want)
		}
	}
	// One session only: there is no next.
	one := muxtest.NewServer(t)
	muxtest.MustRun(t, one, "new-session", "-d", "-s", "solo")
	muxtest.Attach(t, one, "solo", 80, 24).WaitContains("[solo]")
	if _, err := muxtest.Run(one, "switch-client", "-c", "client1", "-n"); err == nil || err.Error() != "can't find next session" {
		t.Errorf("switch-client -n with one session: %v", err)
	}
	if _, err := muxtest.Run(one, "switch-client", "-c", "client1", "-l"); err == nil || err.Error() != "can't find last session" {
		t.Errorf("switch-client -l with no last session: %v", err)
	}
}

func TestListKeys(t *testing.T) {
	s := muxtest.NewServer(t)
	out := muxtest.MustRun(t, s, "list-keys")
	for _, want := range []string{
		"bind-key    -T prefix     %                    split-window -h\n",
		"bind-key -r -T prefix     Up                   select-pane -U\n",
		"bind-key    -T prefix     \\;                   last-pane\n",
		"bind-key    -T prefix     Space                next-layout\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("list-keys lacks %q:\n%s", want, out)
		}
	}
	if got := muxtest.MustRun(t, s, "lsk", "-N", "q"); got != "C-b q Show the pane numbers\n" {
		t.Errorf("list-keys -N q = %q", got)
	}
	// prefix ? (list-keys -N): each key's note, keys padded to the widest
	// and in tmux's order (by key code: C0 controls, Space, characters,
	// special keys, then M-, C-, S- keys), as tmux 3.3a's.
	out = muxtest.MustRun(t, s, "list-keys", "-N")
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	if len(lines) < 70 || lines[0] != "C-b C-b     Send the prefix key to the pane" || lines[3] != "C-b Space   Switch to the next layout" {
		t.Errorf("list-keys -N starts:\n%s", strings.Join(lines[:min(len(lines), 5)], "\n"))
	}
	var keys []string
	for _, l := range lines {
		keys = append(keys, strings.Fields(l)[1])
	}
	// tmux 3.3a's list-keys -N, less the keys gosh lacks (C, DC, S-arrows)
	// and with gosh's notes for < and >.
	want := "C-b C-o C-z Space ! \" # $ % & ' ( ) , - . / 0 1 2 3 4 5 6 7 8 9 : ; < = > ? D E L M [ ] c d f i l m n o p q r s t w x z { } ~ " +
		"PPage Up Down Left Right M-1 M-2 M-3 M-4 M-5 M-n M-o M-p M-Up M-Down M-Left M-Right C-Up C-Down C-Left C-Right"
	if got := strings.Join(keys, " "); got != want {
		t.Errorf("list-keys -N order:\n got %s\nwant %s", got, want)
	}
	for argv, want := range map[string]string{
		"list-keys -T nosuch": "table nosuch doesn't exist",
		"list-keys F13":       "unknown key: F13",
	} {
		if _, err := muxtest.Run(s, strings.Fields(argv)...); err == nil || err.Error() != want {
			t.Errorf("%s: %v, want %q", argv, err, want)
		}
	}
}

func TestClockMode(t *testing.T) {
	at := time.Date(2026, 11, 24, 13, 7, 0, 0, time.UTC)
	s := mux.NewServer(mux.Config{Shell: "/bin/sh", Env: muxtest.Env, Now: func() time.Time { return at }})
	t.Cleanup(func() { s.Close() })
	muxtest.MustRun(t, s, "new-session", "-d", "-s", "k", "-x", "80", "-y", "23")
	muxtest.MustRun(t, s, "send-keys", "-t", "k", "echo under-the-clock", "Enter")
	muxtest.WaitCapture(t, s, "k", "under-the-clock\n")
	c := muxtest.Attach(t, s, "k", 80, 24)
	c.WaitContains("under-the-clock")
	c.Type("\x02t")
	rows := c.WaitText("the clock", func(rows []string) bool { return !strings.Contains(strings.Join(rows, "\n"), "under-the-clock") })
	// 13:07 in 5x5 glyphs 6 columns apart, centred on the 80x23 pane:
	// the first glyph starts at column 40-15, row 11-3.
	scr, _ := c.Screen()
	blue := scr.Cell(25+4, 8).Style.Bg // the 1's stroke
	if blue.IsDefault() {
		t.Errorf("no clock glyph at (29,8):\n%s", strings.Join(rows, "\n"))
	}
	if got := scr.Cell(25+6+2, 8+2).Style.Bg; got != blue {
		t.Errorf("the 3's middle bar missing at (33,10)")
	}
	// A key ends clock mode and is used up; the pane is as it was.
	c.Type("x")
	c.WaitContains("under-the-clock")
	if out := muxtest.MustRun(t, s, "capture-pane", "-p", "-t", "k"); strings.Contains(out, "$ x") {
		t.Errorf("the key that ended clock mode reached the pane:\n%s", out)
	}
	// From the command line, for a pane: every client showing it sees it.
	muxtest.MustRun(t, s, "clock-mode", "-t", "k:0.0")
	c.WaitText("the clock again", func(rows []string) bool { return !strings.Contains(strings.Join(rows, "\n"), "under-the-clock") })
	if _, err := muxtest.Run(s, "clock-mode", "-t", "k:0.7"); err == nil || err.Error() != "can't find pane: 7" {
		t.Errorf("clock-mode on a missing pane: %v", err)
	}
	if _, err := muxtest.Run(s, "set", "-g", "clock-mode-style", "13"); err == nil {
		t.Error("clock-mode-style 13 accepted")
	}
}
