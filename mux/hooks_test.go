package mux_test

import (
	"context"
	"strings"
	"sync"
	"testing"

	"github.com/goshterm/gosh/mux"
	"github.com/goshterm/gosh/mux/compose"
	"github.com/goshterm/gosh/mux/muxtest"
)

// fakeHooks authorises by session name and serves one status source per
// client whose segments the test sets.
type fakeHooks struct {
	mu      sync.Mutex
	asked   []mux.AuthRequest
	answers []string
	sources []*fakeStatus
}

func (h *fakeHooks) ClientStatus(f mux.StatusFacts, wake func()) mux.StatusSource {
	h.mu.Lock()
	defer h.mu.Unlock()
	s := &fakeStatus{wake: wake, facts: []mux.StatusFacts{f}, text: "seg-" + f.Session}
	h.sources = append(h.sources, s)
	return s
}

func (h *fakeHooks) Authorize(_ context.Context, req mux.AuthRequest) mux.AuthDecision {
	h.mu.Lock()
	h.asked = append(h.asked, req)
	h.mu.Unlock()
	switch req.Session {
	case "open":
		return mux.AuthDecision{Verdict: mux.AuthAllow}
	case "watch":
		return mux.AuthDecision{Verdict: mux.AuthReadOnly}
	case "secret":
		return mux.AuthDecision{Verdict: mux.AuthChallenge, Prompt: "code: ", ChallengeID: "inner-id"}
	}
	return mux.AuthDecision{Verdict: mux.AuthDeny, Reason: "not for " + req.SSHClient}
}

func (h *fakeHooks) Answer(_ context.Context, req mux.AuthRequest, challenge, answer string) mux.AuthDecision {
	h.mu.Lock()
	h.answers = append(h.answers, challenge+"="+answer)
	h.mu.Unlock()
	if challenge == "inner-id" && answer == "42" && req.Session == "secret" {
		return mux.AuthDecision{Verdict: mux.AuthAllow}
	}
	return mux.AuthDecision{Verdict: mux.AuthDeny, Reason: "wrong code"}
}

type fakeStatus struct {
	wake func()

	mu     sync.Mutex
	facts  []mux.StatusFacts
	text   string
	marker string
	closed bool
}

func (s *fakeStatus) Update(f mux.StatusFacts) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.facts = append(s.facts, f)
}

func (s *fakeStatus) Status() ([]compose.Segment, string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return []compose.Segment{{Text: s.text, Align: compose.AlignRight}}, s.marker
}

func (s *fakeStatus) Close() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.closed = true
}

func (s *fakeStatus) set(text, marker string) {
	s.mu.Lock()
	s.text, s.marker = text, marker
	s.mu.Unlock()
	s.wake()
}

func (s *fakeStatus) sawEvent(e mux.StatusEvent, cwd string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, f := range s.facts {
		if f.Event == e && f.Cwd == cwd {
			return true
		}
	}
	return false
}

func hookServer(t *testing.T, sessions ...string) (*mux.Server, *fakeHooks) {
	t.Helper()
	h := &fakeHooks{}
	s := mux.NewServer(mux.Config{Shell: "/bin/sh", Env: muxtest.Env, Hooks: h})
	t.Cleanup(func() { s.Close() })
	for _, n := range sessions {
		muxtest.MustRun(t, s, "new-session", "-d", "-s", n, "-x", "80", "-y", "23")
	}
	return s, h
}

func attachReq(target string, a mux.AttachRequest) mux.Request {
	if a.Cols == 0 {
		a.Cols, a.Rows = 80, 24
	}
	return mux.Request{Version: mux.ProtocolVersion, Argv: []string{"attach-session", "-t", target}, Attach: &a}
}

func TestHooksDenyWithReason(t *testing.T) {
	s, h := hookServer(t, "closed")
	resp := s.Handle(context.Background(), attachReq("closed", mux.AttachRequest{SSHClient: "192.0.2.1:4000", SSHKey: "SHA256:abc"}))
	if resp.Code == 0 || resp.Attach != nil {
		t.Fatalf("a denied attach got an endpoint: %+v", resp)
	}
	if want := "access denied: not for 192.0.2.1:4000"; resp.Stderr != want {
		t.Fatalf("stderr %q, want %q", resp.Stderr, want)
	}
	if s.Clients() != 0 {
		t.Fatalf("%d clients after a refusal", s.Clients())
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	if len(h.asked) != 1 || h.asked[0].SSHKey != "SHA256:abc" || h.asked[0].Session != "closed" || h.asked[0].User == "" {
		t.Fatalf("the authorizer was asked %+v", h.asked)
	}
}

func TestHooksReadOnlyVerdict(t *testing.T) {
	s, _ := hookServer(t, "watch")
	resp := s.Handle(context.Background(), attachReq("watch", mux.AttachRequest{}))
	if resp.Code != 0 || resp.Attach == nil {
		t.Fatalf("attach: %s", resp.Stderr)
	}
	if out := muxtest.MustRun(t, s, "list-clients"); !strings.Contains(out, "(ro)") {
		t.Fatalf("the authorizer's read-only verdict is not applied: %q", out)
	}
}

func TestHooksChallengeRoundTrip(t *testing.T) {
	s, h := hookServer(t, "secret")
	ctx := context.Background()
	first := s.Handle(ctx, attachReq("secret", mux.AttachRequest{}))
	if first.Challenge == nil || first.Attach != nil || first.Code == 0 {
		t.Fatalf("want a challenge, got %+v", first)
	}
	ch := first.Challenge
	if ch.Prompt != "code: " || ch.Session != "secret" || ch.Token == "" || strings.Contains(ch.Token, "inner-id") {
		t.Fatalf("challenge %+v (the authorizer's id must stay in the daemon)", ch)
	}
	// A wrong answer is refused, and the token is spent.
	wrong := s.Handle(ctx, attachReq("=secret", mux.AttachRequest{Challenge: &mux.ChallengeReply{Token: ch.Token, Answer: "41"}}))
	if wrong.Attach != nil || !strings.Contains(wrong.Stderr, "wrong code") {
		t.Fatalf("wrong answer: %+v", wrong)
	}
	again := s.Handle(ctx, attachReq("=secret", mux.AttachRequest{Challenge: &mux.ChallengeReply{Token: ch.Token, Answer: "42"}}))
	if again.Attach != nil || !strings.Contains(again.Stderr, "expired or is unknown") {
		t.Fatalf("a spent token was accepted: %+v", again)
	}
	// A fresh challenge answered right attaches.
	second := s.Handle(ctx, attachReq("secret", mux.AttachRequest{}))
	if second.Challenge == nil {
		t.Fatalf("no second challenge: %+v", second)
	}
	ok := s.Handle(ctx, attachReq("=secret", mux.AttachRequest{Challenge: &mux.ChallengeReply{Token: second.Challenge.Token, Answer: "42"}}))
	if ok.Code != 0 || ok.Attach == nil {
		t.Fatalf("the right answer was refused: %+v", ok)
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	if len(h.answers) != 2 || h.answers[0] != "inner-id=41" || h.answers[1] != "inner-id=42" {
		t.Fatalf("answers passed to the hooks: %q", h.answers)
	}
}

func TestHooksChallengeForAnotherSessionRefused(t *testing.T) {
	s, _ := hookServer(t, "secret", "open")
	ctx := context.Background()
	first := s.Handle(ctx, attachReq("secret", mux.AttachRequest{}))
	if first.Challenge == nil {
		t.Fatalf("no challenge: %+v", first)
	}
	other := s.Handle(ctx, attachReq("=open", mux.AttachRequest{Challenge: &mux.ChallengeReply{Token: first.Challenge.Token, Answer: "42"}}))
	if other.Attach != nil || !strings.Contains(other.Stderr, "access denied") {
		t.Fatalf("a challenge for one session opened another: %+v", other)
	}
}

func TestHooksStatusSegmentsAndMarkerInFrame(t *testing.T) {
	s, h := hookServer(t, "open")
	c := muxtest.Attach(t, s, "open", 80, 24)
	status := func() string {
		rows := c.Text()
		if len(rows) < 24 {
			return ""
		}
		return rows[23]
	}
	muxtest.Eventually(t, "the source's segment on the status line", func() bool { return strings.Contains(status(), "seg-open") })
	h.mu.Lock()
	src := h.sources[0]
	h.mu.Unlock()
	src.set("seg-two", "plugin x restarting")
	muxtest.Eventually(t, "new segment and marker after wake", func() bool {
		st := status()
		return strings.Contains(st, "seg-two") && strings.Contains(st, "plugin x restarting")
	})
	// A cd in the pane reaches the source as a cwd-change event.
	dir := t.TempDir()
	c.Type("cd " + dir + "\r")
	muxtest.Eventually(t, "a cwd-change event with the new cwd", func() bool { return src.sawEvent(mux.EventCwdChange, dir) })
	c.Quit()
	muxtest.Eventually(t, "the source closed on detach", func() bool {
		src.mu.Lock()
		defer src.mu.Unlock()
		return src.closed
	})
}

func TestNoHooksRefusesStrayChallengeAnswer(t *testing.T) {
	s := muxtest.NewServer(t)
	muxtest.MustRun(t, s, "new-session", "-d", "-s", "a")
	resp := s.Handle(context.Background(), attachReq("a", mux.AttachRequest{Challenge: &mux.ChallengeReply{Token: "x", Answer: "y"}}))
	if resp.Attach != nil || !strings.Contains(resp.Stderr, "access denied") {
		t.Fatalf("an answer to no challenge attached: %+v", resp)
	}
}

func newSessionReq(name string, a mux.AttachRequest) mux.Request {
	if a.Cols == 0 {
		a.Cols, a.Rows = 80, 24
	}
	return mux.Request{Version: mux.ProtocolVersion, Argv: []string{"new-session", "-s", name}, Attach: &a}
}

// hasSession reports whether the server has a session called name.
func hasSession(s *mux.Server, name string) bool {
	_, err := muxtest.Run(s, "has-session", "-t", "="+name)
	return err == nil
}

// TestHooksDeniedNewSessionLeavesNothing: new-session makes its session
// before the authorizer decides on the attach; a refusal takes it away
// again, panes and all, and an idle server stays up for the next client.
func TestHooksDeniedNewSessionLeavesNothing(t *testing.T) {
	s, h := hookServer(t)
	resp := s.Handle(context.Background(), newSessionReq("closed", mux.AttachRequest{SSHClient: "192.0.2.1:4000"}))
	if resp.Code == 0 || resp.Attach != nil || resp.Stderr != "access denied: not for 192.0.2.1:4000" {
		t.Fatalf("denied new-session: %+v", resp)
	}
	if hasSession(s, "closed") {
		t.Error("the denied new-session left its session behind")
	}
	if out, _ := muxtest.Run(s, "list-panes", "-a"); out != "" {
		t.Errorf("panes left behind:\n%s", out)
	}
	select {
	case <-s.Done():
		t.Fatal("the server ended: a refused client should not stop an idle server")
	default:
	}
	h.mu.Lock()
	asked := len(h.asked)
	h.mu.Unlock()
	if asked != 1 {
		t.Errorf("the authorizer was asked %d times", asked)
	}
	// The name is free again, and an allowed new-session attaches and stays.
	ok := s.Handle(context.Background(), newSessionReq("open", mux.AttachRequest{}))
	if ok.Code != 0 || ok.Attach == nil || !hasSession(s, "open") {
		t.Fatalf("allowed new-session: %+v", ok)
	}
	// Another session existing does not save a refused one.
	again := s.Handle(context.Background(), newSessionReq("closed", mux.AttachRequest{}))
	if again.Code == 0 || hasSession(s, "closed") || !hasSession(s, "open") {
		t.Errorf("second denied new-session: %+v; closed kept %v", again, hasSession(s, "closed"))
	}
}

// TestFailedNewSessionAttachLeavesNothing: an attach that fails after
// the authorizer said yes (no endpoint can be opened) removes the session
// too; new-session -d is not affected.
func TestFailedNewSessionAttachLeavesNothing(t *testing.T) {
	s, _ := hookServer(t)
	resp := s.Handle(context.Background(), newSessionReq("open", mux.AttachRequest{IP: "not-an-ip"}))
	if resp.Code == 0 || !strings.Contains(resp.Stderr, "bad bind address") {
		t.Fatalf("attach with a bad bind address: %+v", resp)
	}
	if hasSession(s, "open") {
		t.Error("the failed attach left its session behind")
	}
	muxtest.MustRun(t, s, "new-session", "-d", "-s", "closed")
	if !hasSession(s, "closed") {
		t.Error("new-session -d needs no attach and keeps its session")
	}
}

// TestHooksChallengedNewSession: the session waits for the answer; a
// right answer attaches to it, a wrong one removes it.
func TestHooksChallengedNewSession(t *testing.T) {
	s, _ := hookServer(t)
	ctx := context.Background()
	first := s.Handle(ctx, newSessionReq("secret", mux.AttachRequest{}))
	if first.Challenge == nil || !hasSession(s, "secret") {
		t.Fatalf("want a challenge and the session waiting: %+v", first)
	}
	wrong := s.Handle(ctx, attachReq("=secret", mux.AttachRequest{Challenge: &mux.ChallengeReply{Token: first.Challenge.Token, Answer: "41"}}))
	if wrong.Attach != nil || !strings.Contains(wrong.Stderr, "wrong code") {
		t.Fatalf("wrong answer: %+v", wrong)
	}
	if hasSession(s, "secret") {
		t.Error("a wrong answer left the new session behind")
	}
	second := s.Handle(ctx, newSessionReq("secret", mux.AttachRequest{}))
	if second.Challenge == nil {
		t.Fatalf("no second challenge: %+v", second)
	}
	ok := s.Handle(ctx, attachReq("=secret", mux.AttachRequest{Challenge: &mux.ChallengeReply{Token: second.Challenge.Token, Answer: "42"}}))
	if ok.Code != 0 || ok.Attach == nil || !hasSession(s, "secret") {
		t.Fatalf("the right answer: %+v", ok)
	}
}

// lastFacts is the newest facts the source was told.
func (s *fakeStatus) lastFacts() mux.StatusFacts {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.facts[len(s.facts)-1]
}

// TestHooksFactsFollowTermiosAndProgram: the frame's pane facts and the
// plugins' status facts, which one read per frame serves, follow the
// pane's line discipline (a password prompt turns echo off) and its
// foreground program as they change.
func TestHooksFactsFollowTermiosAndProgram(t *testing.T) {
	s, h := hookServer(t, "open")
	c := muxtest.Attach(t, s, "open", 80, 24)
	muxtest.Eventually(t, "a status source", func() bool {
		h.mu.Lock()
		defer h.mu.Unlock()
		return len(h.sources) > 0
	})
	h.mu.Lock()
	src := h.sources[0]
	h.mu.Unlock()
	both := func(what string, echo bool, program string) {
		t.Helper()
		muxtest.Eventually(t, what, func() bool {
			// A key's echo makes a frame: facts are read per frame, and
			// an exec prints nothing.
			c.Type(" ")
			_, p := c.Screen()
			f := src.lastFacts()
			return p.Echo == echo && f.Echo == echo && p.Program == program && f.Program == program && f.WindowName == program
		})
	}
	both("echo on at the shell", true, "sh")
	c.Type("stty -echo\r")
	both("echo off after stty -echo", false, "sh")
	c.Type("stty echo\r")
	both("echo on again", true, "sh")
	c.Type("exec sleep 30\r")
	both("the foreground program is sleep", true, "sleep")
}
