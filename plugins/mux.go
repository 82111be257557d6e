package plugins

import (
	"context"
	"time"

	"github.com/goshterm/gosh/mux"
	"github.com/goshterm/gosh/mux/compose"
	"github.com/goshterm/gosh/sdk"
)

// MuxHooks adapts h to mux.Hooks, so that the daemon consults the status
// and authorizer plugins: mux.Config{Hooks: plugins.MuxHooks(h)}. mux
// knows nothing of plugins; this file converts its plain facts into sdk
// types and back.
func MuxHooks(h *Host) mux.Hooks { return muxHooks{h: h} }

type muxHooks struct{ h *Host }

var _ mux.Hooks = muxHooks{}

// ClientStatus implements mux.Hooks with a StatusView.
func (m muxHooks) ClientStatus(f mux.StatusFacts, wake func()) mux.StatusSource {
	v := m.h.NewStatusView(toStatusRequest(f))
	v.OnChange(wake)
	return muxStatus{v: v}
}

// Authorize implements mux.Hooks with Host.Authorize. A daemon started on
// demand by the attach it is about to judge has just launched its
// plugins: the first attach waits for their handshakes (at most
// StartTimeout) rather than being refused by an authorizer that is still
// starting.
func (m muxHooks) Authorize(ctx context.Context, req mux.AuthRequest) mux.AuthDecision {
	wctx, cancel := context.WithTimeout(ctx, m.h.cfg.StartTimeout)
	_ = m.h.Wait(wctx) // on timeout Authorize says which plugin is not up
	cancel()
	return toMuxDecision(m.h.Authorize(ctx, toAuthRequest(req)))
}

// Answer implements mux.Hooks with Host.Answer.
func (m muxHooks) Answer(ctx context.Context, req mux.AuthRequest, challenge, answer string) mux.AuthDecision {
	d, err := m.h.Answer(ctx, sdk.ChallengeAnswer{Request: toAuthRequest(req), ChallengeID: challenge, Answer: answer})
	if err != nil && d.Reason == "" {
		d = sdk.AuthDecision{Verdict: sdk.Deny, Reason: err.Error()}
	}
	return toMuxDecision(d)
}

var _ mux.PluginLister = muxHooks{}

// Plugins implements mux.PluginLister with Host.Plugins, so that the
// daemon's list-plugins (and `gosh plugin list`) shows its live plugins.
func (m muxHooks) Plugins() []mux.PluginInfo {
	in := m.h.Plugins()
	out := make([]mux.PluginInfo, len(in))
	for i, p := range in {
		out[i] = mux.PluginInfo{Name: p.Name, Kind: p.Kind.String(), Version: p.Version, State: p.State.String(),
			Restarts: p.Restarts, LastError: p.LastError, PID: p.PID}
	}
	return out
}

// muxStatus is a client's StatusView as a mux.StatusSource.
type muxStatus struct{ v *StatusView }

func (s muxStatus) Update(f mux.StatusFacts)            { s.v.Update(toStatusRequest(f)) }
func (s muxStatus) Status() ([]compose.Segment, string) { return s.v.Compose() }
func (s muxStatus) Close()                              { s.v.Close() }

var statusEvents = map[mux.StatusEvent]sdk.EventKind{
	mux.EventNone:        sdk.EventTick,
	mux.EventPaneFocus:   sdk.EventPaneFocus,
	mux.EventCwdChange:   sdk.EventCwdChange,
	mux.EventCommandExit: sdk.EventCommandExit,
}

func toStatusRequest(f mux.StatusFacts) sdk.StatusRequest {
	return sdk.StatusRequest{
		Session: sdk.Session{ID: f.SessionID, Name: f.Session, Windows: f.Windows, Attached: f.Attached},
		Window:  sdk.Window{ID: f.WindowID, Index: f.WindowIndex, Name: f.WindowName, Panes: f.Panes},
		Pane: sdk.Pane{ID: f.PaneID, Rect: sdk.Rect{X: f.X, Y: f.Y, Width: f.Width, Height: f.Height},
			Echo: f.Echo, Canonical: f.Canonical, Title: f.Title, Program: f.Program, Cwd: f.Cwd},
		Client: sdk.Client{ID: f.Client, User: f.User, Width: f.ClientWidth, Height: f.ClientHeight, Term: f.Term},
		Event:  sdk.Event{Kind: statusEvents[f.Event], PaneID: f.PaneID, Time: time.Now()},
	}
}

func toAuthRequest(r mux.AuthRequest) sdk.AuthRequest {
	a := sdk.AuthRequest{User: r.User, UID: r.UID, SSH: sdk.SSHConn{ClientAddr: r.SSHClient, KeyFingerprint: r.SSHKey},
		Session: r.Session, Access: sdk.AccessReadWrite}
	if r.ReadOnly {
		a.Access = sdk.AccessReadOnly
	}
	return a
}

func toMuxDecision(d sdk.AuthDecision) mux.AuthDecision {
	out := mux.AuthDecision{Reason: d.Reason, Prompt: d.Prompt, Echo: d.Echo, ChallengeID: d.ChallengeID}
	switch d.Verdict {
	case sdk.Allow:
		out.Verdict = mux.AuthAllow
	case sdk.ReadOnly:
		out.Verdict = mux.AuthReadOnly
	case sdk.Challenge:
		out.Verdict = mux.AuthChallenge
	default:
		out.Verdict = mux.AuthDeny
	}
	return out
}
