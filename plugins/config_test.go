package plugins

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/goshterm/gosh/sdk"
)

func TestParseConfig(t *testing.T) {
	t.Parallel()
	home, _ := os.UserHomeDir()
	tests := map[string]struct {
		yaml    string
		want    []Spec
		wantErr string
	}{
		"full entry": {
			yaml: "plugins:\n  - name: clock\n    path: /opt/gosh-plugin-clock\n    kind: status\n    args: [-utc]\n    env: [TZ=UTC]\n",
			want: []Spec{{Name: "clock", Path: "/opt/gosh-plugin-clock", Kind: sdk.KindStatus, Args: []string{"-utc"}, Env: []string{"TZ=UTC"}}},
		},
		"name from file, relative and home paths": {
			yaml: "plugins:\n  - path: bin/gosh-plugin-a\n  - path: ~/gosh-plugin-b\n",
			want: []Spec{{Name: "a", Path: "/etc/gosh/bin/gosh-plugin-a"}, {Name: "b", Path: filepath.Join(home, "gosh-plugin-b")}},
		},
		"disabled entry skipped": {
			yaml: "plugins:\n  - path: /a\n    disabled: true\n",
		},
		"other keys ignored": {
			yaml: "prefix: C-a\nstatus: {interval: 5}\n",
		},
		"missing path":  {yaml: "plugins:\n  - name: x\n", wantErr: "plugins[0]: path is required"},
		"unknown kind":  {yaml: "plugins:\n  - path: /a\n    kind: printer\n", wantErr: `unknown plugin kind "printer"`},
		"not yaml list": {yaml: "plugins: 3\n", wantErr: "/etc/gosh/config.yaml"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			got, err := parseConfig("/etc/gosh/config.yaml", []byte(tc.yaml))
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("error %v, want it to mention %q", err, tc.wantErr)
				}
				return
			}
			if err != nil || !reflect.DeepEqual(got, tc.want) {
				t.Errorf("got %+v, %v; want %+v", got, err, tc.want)
			}
		})
	}
}

func TestLoadMergesAndDiscovers(t *testing.T) {
	dir := t.TempDir()
	for name, mode := range map[string]os.FileMode{"gosh-plugin-b": 0o755, "a-tool": 0o755, "README.md": 0o644} {
		if err := os.WriteFile(filepath.Join(dir, name), nil, mode); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Mkdir(filepath.Join(dir, "subdir"), 0o755); err != nil {
		t.Fatal(err)
	}
	conf := filepath.Join(t.TempDir(), "config.yaml")
	body := "plugins:\n  - path: " + filepath.Join(dir, "gosh-plugin-b") + "\n    kind: predictor\n  - name: a-tool\n    path: /elsewhere/x\n"
	if err := os.WriteFile(conf, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	specs, err := Load(conf, dir)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, s := range specs {
		got = append(got, s.Name+"="+s.Kind.String())
	}
	// b comes from the file (with its kind) and is not found twice; a-tool
	// from the directory is renamed so that both are addressable.
	want := []string{"b=predictor", "a-tool=unknown", "a-tool#2=unknown"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Load = %q, want %q", got, want)
	}
	if specs, err := Load(filepath.Join(dir, "none.yaml"), filepath.Join(dir, "none")); err != nil || len(specs) != 0 {
		t.Errorf("missing config and dir: %v, %v; want nothing and no error", specs, err)
	}
}

func TestBackoff(t *testing.T) {
	t.Parallel()
	want := map[int]time.Duration{1: 250 * time.Millisecond, 2: 500 * time.Millisecond, 3: time.Second, 8: 30 * time.Second, 100: 30 * time.Second}
	for n, w := range want {
		if got := backoff(250*time.Millisecond, 30*time.Second, n); got != w {
			t.Errorf("backoff(%d) = %v, want %v", n, got, w)
		}
	}
}

func TestChallengeID(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		idx   int
		ro    bool
		inner string
	}{{0, false, "totp"}, {3, true, "a/b/c"}, {1, false, ""}} {
		idx, ro, inner, ok := parseChallengeID(challengeID(tc.idx, tc.ro, tc.inner))
		if !ok || idx != tc.idx || ro != tc.ro || inner != tc.inner {
			t.Errorf("round trip of %+v = %d %v %q %v", tc, idx, ro, inner, ok)
		}
	}
	for _, bad := range []string{"", "x/0/a", "-1/0/a", "1/2/a", "1"} {
		if _, _, _, ok := parseChallengeID(bad); ok {
			t.Errorf("parseChallengeID(%q) accepted", bad)
		}
	}
}

func TestCleanText(t *testing.T) {
	t.Parallel()
	tests := map[string]struct{ in, want string }{
		"plain":           {"main ✓", "main ✓"},
		"CSI":             {"\x1b[31mred\x1b[0m", "[31mred[0m"},
		"C1 and DEL":      {"a\u009bb\x7fc", "abc"},
		"invalid utf8":    {"a\xffb", "ab"},
		"newline and tab": {"a\nb\tc", "abc"},
	}
	for name, tc := range tests {
		if got := cleanText(tc.in, 100); got != tc.want {
			t.Errorf("%s: cleanText(%q) = %q, want %q", name, tc.in, got, tc.want)
		}
	}
	if got := cleanText(strings.Repeat("x", 1000), 10); got != strings.Repeat("x", 10) {
		t.Errorf("not capped: %d runes", len(got))
	}
}

func FuzzParseConfig(f *testing.F) {
	f.Add([]byte("plugins:\n  - path: /a\n    kind: status\n"))
	f.Add([]byte("plugins: [{path: x, args: [1, 2]}]"))
	f.Fuzz(func(t *testing.T, b []byte) {
		specs, err := parseConfig("/c/config.yaml", b)
		if err != nil {
			return
		}
		for _, s := range specs {
			if s.Path == "" || !filepath.IsAbs(s.Path) {
				t.Fatalf("spec with bad path: %+v", s)
			}
			if s.Kind < sdk.KindUnknown || s.Kind > sdk.KindAuthorizer {
				t.Fatalf("spec with bad kind: %+v", s)
			}
		}
	})
}

func FuzzCleanSegments(f *testing.F) {
	f.Add("\x1b[31mred", "\u009b")
	f.Fuzz(func(t *testing.T, a, b string) {
		for _, s := range cleanSegments([]sdk.Segment{{Text: a}, {Text: b}}) {
			for _, r := range s.Text {
				if r < 0x20 || (r >= 0x7f && r < 0xa0) {
					t.Fatalf("control %U survived in %q", r, s.Text)
				}
			}
		}
	})
}

func FuzzChallengeID(f *testing.F) {
	f.Add("0/1/totp")
	f.Add("12/0/")
	f.Fuzz(func(t *testing.T, s string) {
		idx, ro, inner, ok := parseChallengeID(s)
		if !ok {
			return
		}
		if idx < 0 {
			t.Fatalf("negative index from %q", s)
		}
		// What parses re-encodes to something that parses the same way.
		i2, r2, in2, ok2 := parseChallengeID(challengeID(idx, ro, inner))
		if !ok2 || i2 != idx || r2 != ro || in2 != inner {
			t.Fatalf("%q: round trip changed %d %v %q", s, idx, ro, inner)
		}
	})
}
