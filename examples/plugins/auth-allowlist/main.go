// Command gosh-plugin-auth-allowlist is a gosh authorizer plugin: per
// session, it lets in the users and ssh keys on an allow list, lets those on
// a read-only list watch, refuses everyone else with a reason, and can ask
// for a TOTP code (RFC 6238) as a second factor.
//
// The config is JSON:
//
//	{
//	  "sessions": {
//	    "pair": {
//	      "allow":     ["ann", "SHA256:4Wd0…"],
//	      "read_only": ["bob"],
//	      "totp": true
//	    },
//	    "*": {"allow": ["ann"]}
//	  },
//	  "totp_secrets": {"ann": "JBSWY3DPEHPK3PXP"}
//	}
//
// An entry matches the requesting user name or the ssh key fingerprint.
// "*" is the entry for sessions not named. A session with "totp" challenges
// every user it would let in, and denies a user who has no secret.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"slices"
	"time"

	"github.com/goshterm/gosh/sdk"
)

type sessionPolicy struct {
	Allow    []string `json:"allow"`
	ReadOnly []string `json:"read_only"`
	TOTP     bool     `json:"totp"`
}

type config struct {
	Sessions    map[string]sessionPolicy `json:"sessions"`
	TOTPSecrets map[string]string        `json:"totp_secrets"`
}

type allowlist struct {
	cfg     config
	secrets map[string][]byte
	now     func() time.Time
}

func newAllowlist(cfg config, now func() time.Time) (*allowlist, error) {
	a := &allowlist{cfg: cfg, secrets: make(map[string][]byte), now: now}
	for user, s := range cfg.TOTPSecrets {
		k, err := decodeSecret(s)
		if err != nil {
			return nil, fmt.Errorf("auth-allowlist: secret of %q: %w", user, err)
		}
		a.secrets[user] = k
	}
	return a, nil
}

const challengeTOTP = "totp"

// base is the verdict before any second factor.
func (a *allowlist) base(req sdk.AuthRequest) (sdk.AuthDecision, bool) {
	pol, ok := a.cfg.Sessions[req.Session]
	if !ok {
		pol, ok = a.cfg.Sessions["*"]
	}
	if !ok {
		return sdk.AuthDecision{Verdict: sdk.Deny, Reason: fmt.Sprintf("session %q is not shared", req.Session)}, false
	}
	match := func(list []string) bool {
		return slices.Contains(list, req.User) || (req.SSH.KeyFingerprint != "" && slices.Contains(list, req.SSH.KeyFingerprint))
	}
	switch {
	case match(pol.Allow):
		if req.Access == sdk.AccessReadOnly {
			return sdk.AuthDecision{Verdict: sdk.ReadOnly}, pol.TOTP
		}
		return sdk.AuthDecision{Verdict: sdk.Allow}, pol.TOTP
	case match(pol.ReadOnly):
		return sdk.AuthDecision{Verdict: sdk.ReadOnly, Reason: fmt.Sprintf("%s may only watch session %q", who(req), req.Session)}, pol.TOTP
	}
	return sdk.AuthDecision{Verdict: sdk.Deny, Reason: fmt.Sprintf("%s may not attach to session %q", who(req), req.Session)}, false
}

func who(req sdk.AuthRequest) string {
	if req.SSH.KeyFingerprint != "" {
		return fmt.Sprintf("%s (key %s)", req.User, req.SSH.KeyFingerprint)
	}
	return req.User
}

func (a *allowlist) Authorize(_ context.Context, req sdk.AuthRequest) (sdk.AuthDecision, error) {
	d, needTOTP := a.base(req)
	if !needTOTP {
		return d, nil
	}
	if _, ok := a.secrets[req.User]; !ok {
		return sdk.AuthDecision{Verdict: sdk.Deny, Reason: fmt.Sprintf("session %q needs a TOTP code and %s has no TOTP secret", req.Session, req.User)}, nil
	}
	return sdk.AuthDecision{Verdict: sdk.Challenge, Prompt: fmt.Sprintf("TOTP code for %s: ", req.User), ChallengeID: challengeTOTP}, nil
}

func (a *allowlist) Answer(_ context.Context, ans sdk.ChallengeAnswer) (sdk.AuthDecision, error) {
	if ans.ChallengeID != challengeTOTP {
		return sdk.AuthDecision{Verdict: sdk.Deny, Reason: "unknown challenge"}, nil
	}
	d, needTOTP := a.base(ans.Request)
	key, ok := a.secrets[ans.Request.User]
	if !needTOTP || !ok {
		return sdk.AuthDecision{Verdict: sdk.Deny, Reason: "no challenge was due"}, nil
	}
	if !verifyTOTP(key, ans.Answer, a.now()) {
		return sdk.AuthDecision{Verdict: sdk.Deny, Reason: "wrong TOTP code"}, nil
	}
	return d, nil
}

func loadConfig(path string) (config, error) {
	var cfg config
	b, err := os.ReadFile(path)
	if err != nil {
		return cfg, fmt.Errorf("auth-allowlist: %w", err)
	}
	if err := json.Unmarshal(b, &cfg); err != nil {
		return cfg, fmt.Errorf("auth-allowlist: %s: %w", path, err)
	}
	return cfg, nil
}

func main() {
	path := flag.String("config", os.ExpandEnv("$HOME/.config/gosh/allowlist.json"), "the allow list (JSON)")
	flag.Parse()
	cfg, err := loadConfig(*path)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	a, err := newAllowlist(cfg, time.Now)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	sdk.Serve("auth-allowlist", a, sdk.WithVersion("0.1.0"))
}
