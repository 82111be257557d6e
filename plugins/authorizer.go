package plugins

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/goshterm/gosh/sdk"
)

// ErrBadChallenge is returned by Answer for a challenge id the host did not
// issue.
var ErrBadChallenge = errors.New("plugins: unknown challenge")

// Authorize runs the attach request past every authorizer plugin in order.
// Each may allow (the next one is asked), downgrade to read-only (the next
// one is asked; the result stays read-only), deny (final), or challenge
// (the caller prompts the user and calls Answer with the returned
// ChallengeID, which the daemon must keep on its side, never round-trip
// through the client). With no authorizer plugin configured the answer is
// Allow. An authorizer that is down, slow or failing denies: the host fails
// closed, and says which plugin was at fault.
func (h *Host) Authorize(ctx context.Context, req sdk.AuthRequest) sdk.AuthDecision {
	return h.authorizeFrom(ctx, req, 0, req.Access == sdk.AccessReadOnly)
}

// Answer passes the user's answer to the authorizer that issued the
// challenge and, if it allows, continues with the authorizers after it.
// ans.ChallengeID is the id Authorize returned; ans.Request the original
// request.
func (h *Host) Answer(ctx context.Context, ans sdk.ChallengeAnswer) (sdk.AuthDecision, error) {
	idx, ro, inner, ok := parseChallengeID(ans.ChallengeID)
	if !ok || idx >= len(h.procs) {
		return sdk.AuthDecision{Verdict: sdk.Deny, Reason: "unknown challenge"}, ErrBadChallenge
	}
	p := h.procs[idx]
	impl, _ := p.running().(sdk.Authorizer)
	if impl == nil {
		return h.down(p), nil
	}
	ans.ChallengeID = inner
	cctx, cancel := context.WithTimeout(ctx, h.cfg.AuthTimeout)
	d, err := impl.Answer(cctx, ans)
	cancel()
	p.callDone(err, h.cfg.MaxTimeouts)
	if err != nil {
		return h.failed(p, err), nil
	}
	switch d.Verdict {
	case sdk.Allow:
	case sdk.ReadOnly:
		ro = true
	case sdk.Challenge:
		return sdk.AuthDecision{Verdict: sdk.Deny, Reason: fmt.Sprintf("authorizer %q challenged twice", p.spec.Name)}, nil
	default:
		return denied(p, d), nil
	}
	return h.authorizeFrom(ctx, ans.Request, idx+1, ro), nil
}

func (h *Host) authorizeFrom(ctx context.Context, req sdk.AuthRequest, start int, ro bool) sdk.AuthDecision {
	for i := start; i < len(h.procs); i++ {
		p := h.procs[i]
		in := p.info()
		if in.Kind != sdk.KindAuthorizer {
			continue
		}
		impl, _ := p.running().(sdk.Authorizer)
		if impl == nil {
			return h.down(p)
		}
		cctx, cancel := context.WithTimeout(ctx, h.cfg.AuthTimeout)
		d, err := impl.Authorize(cctx, req)
		cancel()
		p.callDone(err, h.cfg.MaxTimeouts)
		if err != nil {
			return h.failed(p, err)
		}
		switch d.Verdict {
		case sdk.Allow:
		case sdk.ReadOnly:
			ro = true
		case sdk.Challenge:
			return sdk.AuthDecision{
				Verdict:     sdk.Challenge,
				Prompt:      cleanText(d.Prompt, maxTextRunes),
				Echo:        d.Echo,
				ChallengeID: challengeID(i, ro, d.ChallengeID),
			}
		default:
			return denied(p, d)
		}
	}
	if ro {
		return sdk.AuthDecision{Verdict: sdk.ReadOnly, Reason: "read-only"}
	}
	return sdk.AuthDecision{Verdict: sdk.Allow}
}

func denied(p *proc, d sdk.AuthDecision) sdk.AuthDecision {
	reason := cleanText(d.Reason, maxTextRunes)
	if reason == "" {
		reason = fmt.Sprintf("denied by %s", p.spec.Name)
	}
	return sdk.AuthDecision{Verdict: sdk.Deny, Reason: reason}
}

func (h *Host) down(p *proc) sdk.AuthDecision {
	in := p.info()
	return sdk.AuthDecision{Verdict: sdk.Deny, Reason: fmt.Sprintf("authorizer %q is %v; attach refused until it is back", in.Name, in.State)}
}

func (h *Host) failed(p *proc, err error) sdk.AuthDecision {
	h.cfg.Logger.Named(p.spec.Name).Warn("authorizer call failed; denying", "error", err)
	return sdk.AuthDecision{Verdict: sdk.Deny, Reason: fmt.Sprintf("authorizer %q did not answer; attach refused", p.spec.Name)}
}

// challengeID wraps a plugin's challenge id with where the chain stopped:
// "index/ro/inner".
func challengeID(idx int, ro bool, inner string) string {
	r := "0"
	if ro {
		r = "1"
	}
	return strconv.Itoa(idx) + "/" + r + "/" + inner
}

func parseChallengeID(s string) (idx int, ro bool, inner string, ok bool) {
	a, rest, ok1 := strings.Cut(s, "/")
	r, inner, ok2 := strings.Cut(rest, "/")
	n, err := strconv.Atoi(a)
	if !ok1 || !ok2 || err != nil || n < 0 || (r != "0" && r != "1") {
		return 0, false, "", false
	}
	return n, r == "1", inner, true
}
