package main

import (
	"context"
	"testing"
	"time"

	"github.com/goshterm/gosh/sdk"
	"github.com/goshterm/gosh/sdk/sdktest"
)

// RFC 6238 appendix B, SHA-1 rows: the key is the ASCII string
// "12345678901234567890" and codes have 8 digits; the 6-digit codes that
// authenticator apps show are their last six digits (the same truncated
// value modulo 10^6).
func TestTOTPVectors(t *testing.T) {
	key := []byte("12345678901234567890")
	vectors := map[int64]string{
		59:          "94287082",
		1111111109:  "07081804",
		1111111111:  "14050471",
		1234567890:  "89005924",
		2000000000:  "69279037",
		20000000000: "65353130",
	}
	for unix, want := range vectors {
		tm := time.Unix(unix, 0)
		if got := totp(key, tm, 8); got != want {
			t.Errorf("T=%d: 8-digit code %s, want %s", unix, got, want)
		}
		if got := totp(key, tm, 6); got != want[2:] {
			t.Errorf("T=%d: 6-digit code %s, want %s", unix, got, want[2:])
		}
		if !verifyTOTP(key, want[2:], tm) {
			t.Errorf("T=%d: verify rejected the right code", unix)
		}
		if !verifyTOTP(key, want[2:], tm.Add(totpStep)) {
			t.Errorf("T=%d: verify rejected the code one step late", unix)
		}
		if verifyTOTP(key, want[2:], tm.Add(3*totpStep)) {
			t.Errorf("T=%d: verify accepted a code three steps old", unix)
		}
	}
}

func TestDecodeSecret(t *testing.T) {
	// "12345678901234567890" in base32, as an app would show it.
	k, err := decodeSecret("gezd gnbv gy3t qojq gezd gnbv gy3t qojq")
	if err != nil || string(k) != "12345678901234567890" {
		t.Errorf("decodeSecret = %q, %v", k, err)
	}
	if _, err := decodeSecret("not base32!"); err == nil {
		t.Error("a bad secret was accepted")
	}
}

func TestAuthorize(t *testing.T) {
	now := time.Unix(1111111111, 0)
	a, err := newAllowlist(config{
		Sessions: map[string]sessionPolicy{
			"pair":   {Allow: []string{"ann", "SHA256:annkey"}, ReadOnly: []string{"bob"}},
			"secure": {Allow: []string{"ann", "carl"}, TOTP: true},
		},
		TOTPSecrets: map[string]string{"ann": "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"},
	}, func() time.Time { return now })
	if err != nil {
		t.Fatal(err)
	}
	c := sdktest.Serve(t, "auth-allowlist", a)
	ctx := context.Background()

	tests := map[string]struct {
		req        sdk.AuthRequest
		want       sdk.Verdict
		wantReason string
	}{
		"allowed user":            {req: sdk.AuthRequest{User: "ann", Session: "pair"}, want: sdk.Allow},
		"allowed key, other user": {req: sdk.AuthRequest{User: "guest", Session: "pair", SSH: sdk.SSHConn{KeyFingerprint: "SHA256:annkey"}}, want: sdk.Allow},
		"read-only user":          {req: sdk.AuthRequest{User: "bob", Session: "pair"}, want: sdk.ReadOnly, wantReason: `bob may only watch session "pair"`},
		"allowed asking to watch": {req: sdk.AuthRequest{User: "ann", Session: "pair", Access: sdk.AccessReadOnly}, want: sdk.ReadOnly},
		"stranger":                {req: sdk.AuthRequest{User: "eve", Session: "pair", SSH: sdk.SSHConn{KeyFingerprint: "SHA256:evekey"}}, want: sdk.Deny, wantReason: `eve (key SHA256:evekey) may not attach to session "pair"`},
		"unshared session":        {req: sdk.AuthRequest{User: "ann", Session: "private"}, want: sdk.Deny, wantReason: `session "private" is not shared`},
		"totp without secret":     {req: sdk.AuthRequest{User: "carl", Session: "secure"}, want: sdk.Deny, wantReason: `session "secure" needs a TOTP code and carl has no TOTP secret`},
		"totp challenge":          {req: sdk.AuthRequest{User: "ann", Session: "secure"}, want: sdk.Challenge},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			d, err := c.Authorizer.Authorize(ctx, tc.req)
			if err != nil {
				t.Fatal(err)
			}
			if d.Verdict != tc.want || (tc.wantReason != "" && d.Reason != tc.wantReason) {
				t.Errorf("got %v %q, want %v %q", d.Verdict, d.Reason, tc.want, tc.wantReason)
			}
		})
	}

	req := sdk.AuthRequest{User: "ann", Session: "secure"}
	d, err := c.Authorizer.Authorize(ctx, req)
	if err != nil || d.Prompt != "TOTP code for ann: " {
		t.Fatalf("challenge = %+v, %v", d, err)
	}
	answers := map[string]sdk.Verdict{"050471": sdk.Allow, "050472": sdk.Deny, "": sdk.Deny, "14050471": sdk.Deny}
	for code, want := range answers {
		got, err := c.Authorizer.Answer(ctx, sdk.ChallengeAnswer{Request: req, ChallengeID: d.ChallengeID, Answer: code})
		if err != nil || got.Verdict != want {
			t.Errorf("answer %q: %+v, %v; want %v", code, got, err, want)
		}
	}
}
