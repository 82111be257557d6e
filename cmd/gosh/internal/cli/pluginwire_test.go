package cli

import (
	"crypto/sha256"
	"encoding/base64"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestSSHFacts(t *testing.T) {
	blob := []byte("not really a key, but a blob all the same")
	sum := sha256.Sum256(blob)
	want := "SHA256:" + base64.RawStdEncoding.EncodeToString(sum[:])
	auth := filepath.Join(t.TempDir(), "auth")
	// sshd writes one line per completed method; the key that completed
	// public key authentication is the last publickey line.
	content := "password\npublickey ssh-ed25519 " + base64.StdEncoding.EncodeToString([]byte("an earlier key")) +
		"\nkeyboard-interactive\npublickey ssh-ed25519 " + base64.StdEncoding.EncodeToString(blob) + "\n"
	if err := os.WriteFile(auth, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	env := map[string]string{"SSH_CONNECTION": "2001:db8::7 50022 2001:db8::1 22", "SSH_USER_AUTH": auth}
	client, key := sshFacts(func(k string) string { return env[k] })
	if client != "[2001:db8::7]:50022" || key != want {
		t.Fatalf("sshFacts = %q, %q; want [2001:db8::7]:50022, %q", client, key, want)
	}
	if c, k := sshFacts(func(string) string { return "" }); c != "" || k != "" {
		t.Fatalf("a local attach has ssh facts %q %q", c, k)
	}
}

func TestAskUserReadsOneLine(t *testing.T) {
	in := strings.NewReader("123456\r\nrest")
	var out strings.Builder
	ans, err := askUser(in, &out, "TOTP code: ", false)
	if err != nil || ans != "123456" {
		t.Fatalf("askUser = %q, %v", ans, err)
	}
	if out.String() != "TOTP code: " {
		t.Fatalf("prompt shown as %q", out.String())
	}
	if _, err := askUser(strings.NewReader(""), &out, "q: ", true); err == nil {
		t.Fatal("no answer at all should be an error")
	}
}

func TestPluginPathsHonourConfigDir(t *testing.T) {
	t.Setenv(ConfigDirEnv, "/x/gosh")
	c, d := pluginPaths()
	if c != "/x/gosh/config.yaml" || d != "/x/gosh/plugins" {
		t.Fatalf("pluginPaths = %q, %q", c, d)
	}
}

func FuzzUserAuthFingerprint(f *testing.F) {
	f.Add("publickey ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIKey\n")
	f.Add("password\npublickey ssh-rsa !!!\n")
	f.Add("")
	f.Fuzz(func(t *testing.T, s string) {
		fp := userAuthFingerprint(s)
		if fp != "" && (!strings.HasPrefix(fp, "SHA256:") || len(fp) != len("SHA256:")+43) {
			t.Fatalf("malformed fingerprint %q", fp)
		}
	})
}
