package main

import (
	"crypto/hmac"
	"crypto/sha1"
	"crypto/subtle"
	"encoding/base32"
	"encoding/binary"
	"fmt"
	"strings"
	"time"
)

// TOTP parameters of RFC 6238 §4 as authenticator apps use them: HMAC-SHA1,
// a 30-second step counted from the Unix epoch, six digits.
const (
	totpStep   = 30 * time.Second
	totpDigits = 6
	// totpSkew accepts the codes of one step either side, for clock drift
	// and a code typed as it rolls over (RFC 6238 §5.2).
	totpSkew = 1
)

// hotp is RFC 4226 §5.3: HMAC-SHA1 of the big-endian counter, dynamic
// truncation, modulo 10^digits.
func hotp(key []byte, counter uint64, digits int) string {
	var msg [8]byte
	binary.BigEndian.PutUint64(msg[:], counter)
	m := hmac.New(sha1.New, key)
	m.Write(msg[:])
	sum := m.Sum(nil)
	off := sum[len(sum)-1] & 0x0f
	code := binary.BigEndian.Uint32(sum[off:off+4]) & 0x7fffffff
	mod := uint32(1)
	for range digits {
		mod *= 10
	}
	return fmt.Sprintf("%0*d", digits, code%mod)
}

// totp is RFC 6238 §4.2: HOTP with T = floor(unix time / step).
func totp(key []byte, t time.Time, digits int) string {
	return hotp(key, uint64(t.Unix())/uint64(totpStep/time.Second), digits)
}

// verifyTOTP compares code with the codes of the steps around t, in
// constant time.
func verifyTOTP(key []byte, code string, t time.Time) bool {
	code = strings.TrimSpace(code)
	if len(code) != totpDigits {
		return false
	}
	ok := 0
	for d := -totpSkew; d <= totpSkew; d++ {
		want := totp(key, t.Add(time.Duration(d)*totpStep), totpDigits)
		ok |= subtle.ConstantTimeCompare([]byte(want), []byte(code))
	}
	return ok == 1
}

// decodeSecret reads a base32 secret (RFC 4648 §6) as authenticator apps
// show it: any case, spaces allowed, padding optional.
func decodeSecret(s string) ([]byte, error) {
	s = strings.ToUpper(strings.ReplaceAll(s, " ", ""))
	s = strings.TrimRight(s, "=")
	b, err := base32.StdEncoding.WithPadding(base32.NoPadding).DecodeString(s)
	if err != nil {
		return nil, fmt.Errorf("auth-allowlist: bad base32 TOTP secret: %w", err)
	}
	return b, nil
}
